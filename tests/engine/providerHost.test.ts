import * as pulumi from "@pulumi/pulumi";
import { collectRegistrations, type Registration } from "../../engine/mockRun";
import { isSecret, makeSecret, type PropertyMap } from "../../engine/propertyValues";
import { type ProviderHost, ProviderHostError, startProviderHost } from "../../engine/providerHost";
import { KvItem, type KvItemArgs } from "../support/kvItem";
import { type KvServer, startKvServer } from "../support/kvServer";

let host: ProviderHost;
let kv: KvServer;

beforeAll(async () => {
  [host, kv] = await Promise.all([startProviderHost(), startKvServer()]);
});

afterAll(async () => {
  await Promise.all([host?.stop(), kv?.stop()]);
});

/** The registration (with its serialized provider) that a program constructing one item produces under mocks. */
async function registerItem(name: string, args: Omit<KvItemArgs, "serverUrl">): Promise<Registration> {
  const registrations = await collectRegistrations(() => new KvItem(name, { serverUrl: kv.url, ...args }));
  expect(registrations).toHaveLength(1);
  return registrations[0];
}

function logText(): string {
  return host
    .logs()
    .map((line) => line.text)
    .join("\n");
}

describe("startProviderHost", () => {
  it("returns every Check failure as a list, from a package required inside the method", async () => {
    const registration = await registerItem("invalid", { key: "Not A Key", value: "" });
    const checked = await host.check(registration.urn, {}, registration.inputs);
    expect(checked.failures).toEqual([
      { property: "key", reason: "key must be lower-case letters, digits and dashes" },
      { property: "value", reason: "value must not be empty" },
    ]);
    expect(checked.inputs.__provider).toBe(registration.inputs.__provider);
  });

  it("creates, reads, diffs, updates and deletes through the host, changing the server", async () => {
    const registration = await registerItem("round-trip", { key: "round-trip", value: "v1" });
    const { urn } = registration;
    const checked = await host.check(urn, {}, registration.inputs);
    expect(checked.failures).toEqual([]);

    const created = await host.create(urn, checked.inputs);
    expect(created.id).toBe("round-trip");
    expect(kv.items.get("round-trip")).toEqual({ value: "v1", revision: created.properties.revision });
    expect(created.properties).toMatchObject({
      key: "round-trip",
      value: "v1",
      __provider: registration.inputs.__provider,
    });

    kv.items.set("round-trip", { value: "changed by hand", revision: 99 });
    const read = await host.read(urn, created.id, created.properties);
    expect(read.id).toBe("round-trip");
    expect(read.properties).toMatchObject({ value: "changed by hand", revision: 99 });

    const unchanged = await host.diff(urn, created.id, created.properties, checked.inputs);
    expect(unchanged).toMatchObject({ changes: false, kind: "none", replaces: [] });
    const news: PropertyMap = { ...checked.inputs, value: "v2" };
    const changed = await host.diff(urn, created.id, created.properties, news);
    expect(changed).toMatchObject({ changes: true, kind: "some", replaces: [], deleteBeforeReplace: false });
    const moved = await host.diff(urn, created.id, created.properties, { ...news, key: "elsewhere" });
    expect(moved).toMatchObject({ changes: true, replaces: ["key"], deleteBeforeReplace: true });

    const updated = await host.update(urn, created.id, created.properties, news);
    expect(updated.properties).toMatchObject({ value: "v2" });
    expect(kv.items.get("round-trip")).toEqual({ value: "v2", revision: updated.properties.revision });

    await host.delete(urn, created.id, updated.properties);
    expect(kv.items.has("round-trip")).toBe(false);
    const gone = await host.read(urn, created.id, updated.properties);
    expect(gone.id).toBe("");
  });

  it("rejects with the provider's message when a method throws", async () => {
    const registration = await registerItem("refused", { key: "refused", value: "v" });
    kv.failNext(503, "maintenance window");
    const create = host.create(registration.urn, registration.inputs);
    await expect(create).rejects.toThrow(ProviderHostError);
    await expect(create).rejects.toThrow(
      /Create urn:pulumi:.*::refused: kv server refused PUT .*: 503 maintenance window/,
    );
    expect(kv.items.has("refused")).toBe(false);

    kv.failNext(500, "read path broke");
    await expect(host.read(registration.urn, "refused", registration.inputs)).rejects.toThrow("500 read path broke");
  });

  it("records what pulumi.log prints inside a provider method", async () => {
    const registration = await registerItem("logged", { key: "logged", value: "v" });
    host.clearLogs();
    const created = await host.create(registration.urn, registration.inputs);
    expect(host.logs()).toContainEqual({
      stream: "stdout",
      text: `info: [runtime] kv item logged created at revision ${created.properties.revision}`,
    });
  });

  it("sends secrets as plain values and keeps them secret in the results, never in the logs", async () => {
    const registration = await registerItem("secretive", {
      key: "secretive",
      value: "v",
      note: pulumi.secret("tok-3n7"),
    });
    expect(isSecret(registration.inputs.note)).toBe(true);
    host.clearLogs();

    const checked = await host.check(registration.urn, {}, registration.inputs);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.note).toEqual(makeSecret("tok-3n7"));
    const created = await host.create(registration.urn, checked.inputs);
    expect(kv.items.get("secretive")?.note).toBe("tok-3n7");
    expect(created.properties.note).toEqual(makeSecret("tok-3n7"));
    expect(isSecret(created.properties.value)).toBe(false);
    expect(logText()).toContain("kv item secretive created");
    expect(logText()).not.toContain("tok-3n7");
  });

  it("stops the host process", async () => {
    const other = await startProviderHost();
    const pid = other.pid ?? -1;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await other.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    await other.stop();
  });
});
