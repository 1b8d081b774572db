import * as pulumi from "@pulumi/pulumi";
import {
  annotateSecrets,
  collectRegistrations,
  isSecret,
  makeSecret,
  type PropertyMap,
  type ProviderHost,
  ProviderHostError,
  type Registration,
  revealSecrets,
  runUnderMocks,
  startProviderHost,
  urnFor,
} from "../../scripts/providerHost";
import { KvItem, type KvItemArgs, kvItemType } from "../support/kvItem";
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

describe("collectRegistrations", () => {
  it("records a dynamic resource with its type token, a string __provider and the URN the SDK gives it", async () => {
    const run = await runUnderMocks(
      () => {
        const item = new KvItem("alpha", { serverUrl: kv.url, key: "alpha", value: "one" });
        return { urn: item.urn };
      },
      { newResource: (request) => ({ id: `${request.name}-id`, state: request.inputs }) },
      { stack: "lab" },
    );
    const [registration] = run.registrations;
    expect(registration.type).toBe("pulumi-nodejs:dynamic/kv-test:KvItem");
    expect(registration.type).toBe(kvItemType);
    expect(typeof registration.inputs.__provider).toBe("string");
    expect(registration.inputs.__provider).toContain("exports.handler");
    expect(registration.inputs).toMatchObject({ serverUrl: kv.url, key: "alpha", value: "one" });
    expect(registration.urn).toBe("urn:pulumi:lab::entra-sspr::pulumi-nodejs:dynamic/kv-test:KvItem::alpha");
    expect(run.outputs).toEqual({ urn: registration.urn });
  });

  it("gives a child the URN the SDK gives it", async () => {
    class Parent extends pulumi.ComponentResource {
      constructor(name: string) {
        super("test:index:Parent", name);
        this.registerOutputs({});
      }
    }
    const run = await runUnderMocks(
      () => {
        const parent = new Parent("outer");
        const child = new KvItem("inner", { serverUrl: kv.url, key: "inner", value: "x" }, { parent });
        return { childUrn: child.urn };
      },
      { newResource: (request) => ({ id: "id", state: request.inputs }) },
    );
    const child = run.registrations.find((registration) => registration.name === "inner");
    expect(child?.parent).toBe(urnFor("test:index:Parent", "outer"));
    expect(child?.urn).toBe(urnFor(kvItemType, "inner", "dev", child?.parent));
    expect(run.outputs).toEqual({ childUrn: child?.urn });
  });

  it("hands the program the config it is given", async () => {
    const registrations = await collectRegistrations(
      () => {
        const settings = new pulumi.Config().requireObject<{ greeting: string }>("sspr");
        return new KvItem("configured", { serverUrl: kv.url, key: "configured", value: settings.greeting });
      },
      { config: { "entra-sspr:sspr": JSON.stringify({ greeting: "hello from config" }) } },
    );
    expect(registrations[0].inputs.value).toBe("hello from config");
  });

  it("ends a run whose resource input failed, with that failure, instead of waiting on what depended on it", async () => {
    const started = Date.now();
    const run = await runUnderMocks(
      () => {
        const failing = pulumi.output("beta").apply((): string => {
          throw new Error("user nobody@munyakazi.org not found");
        });
        const first = new KvItem("first", { serverUrl: kv.url, key: "first", value: failing });
        const second = new KvItem("second", { serverUrl: kv.url, key: "second", value: first.value });
        // A stack output that waits on the failed resource must not keep the run open either.
        return { second: second.value };
      },
      { newResource: (request) => ({ id: `${request.name}-id`, state: request.inputs }) },
    );
    expect(run.errors.map((error) => error.message).join("\n")).toContain("user nobody@munyakazi.org not found");
    expect(run.registrations.map((registration) => registration.name)).toEqual([]);
    expect(run.outputs).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("rejects with the program's own error", async () => {
    await expect(
      collectRegistrations(() => {
        throw new Error("program broke: sspr.enablement is 'sometimes'");
      }),
    ).rejects.toThrow("program broke: sspr.enablement is 'sometimes'");
  });
});

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

describe("secret helpers", () => {
  it("marks outputs secret where the same-named input was, recurring into objects", () => {
    const outputs = { token: "t", nested: { inner: "i", plain: "p" }, list: ["a"], plain: "p" };
    const inputs = { token: makeSecret("t"), nested: { inner: makeSecret("i") }, list: [makeSecret("a")], plain: "p" };
    expect(annotateSecrets(outputs, inputs)).toEqual({
      token: makeSecret("t"),
      nested: { inner: makeSecret("i"), plain: "p" },
      list: makeSecret(["a"]),
      plain: "p",
    });
    expect(revealSecrets(inputs)).toEqual({ token: "t", nested: { inner: "i" }, list: ["a"], plain: "p" });
  });
});
