import * as pulumi from "@pulumi/pulumi";
import { collectRegistrations, runUnderMocks } from "../../engine/mockRun";
import { urnFor } from "../../engine/propertyValues";
import { KvItem, kvItemType } from "../support/kvItem";
import { type KvServer, startKvServer } from "../support/kvServer";

let kv: KvServer;

beforeAll(async () => {
  kv = await startKvServer();
});

afterAll(async () => {
  await kv?.stop();
});

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
        const settings = new pulumi.Config("sspr").requireObject<{ greeting: string }>("settings");
        return new KvItem("configured", { serverUrl: kv.url, key: "configured", value: settings.greeting });
      },
      { config: { "sspr:settings": JSON.stringify({ greeting: "hello from config" }) } },
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
    // Without the fix the run never ends; with it, it ends 250 ms after the failure. The bound only tells the two
    // apart sooner than jest's limit, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("rejects with the program's own error", async () => {
    await expect(
      collectRegistrations(() => {
        throw new Error("program broke: sspr.enablement is 'sometimes'");
      }),
    ).rejects.toThrow("program broke: sspr.enablement is 'sometimes'");
  });
});
