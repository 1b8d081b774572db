import * as pulumi from "@pulumi/pulumi";
import {
  CheckFailedError,
  changedProperties,
  destroyState,
  EngineError,
  refreshState,
  runProgram,
  type Step,
} from "../../engine/engine";
import { isSecret, makeSecret, urnFor } from "../../engine/propertyValues";
import { type ProviderHost, startProviderHost } from "../../engine/providerHost";
import { KvItem, kvItemType } from "../support/kvItem";
import { type KvServer, startKvServer } from "../support/kvServer";

// The engine is tested with dynamic test resources (kv items, any provider's stand-in): they run in Pulumi's
// dynamic-provider host, not in the entra-sspr plugin the other files share, so this file starts its own.
let host: ProviderHost;
let kv: KvServer;

beforeAll(async () => {
  [host, kv] = await Promise.all([startProviderHost(), startKvServer()]);
});

afterAll(async () => {
  await Promise.all([host?.stop(), kv?.stop()]);
});

/** Two items; the second's value is built from the first's `revision` output, so it flows between resources. */
function pairProgram(prefix: string, firstValue: string, secondKey = `${prefix}-second`) {
  return () => {
    const first = new KvItem(`${prefix}-first`, { serverUrl: kv.url, key: `${prefix}-first`, value: firstValue });
    const second = new KvItem(`${prefix}-second`, {
      serverUrl: kv.url,
      key: secondKey,
      value: pulumi.interpolate`after revision ${first.revision}`,
    });
    return { firstRevision: first.revision, secondValue: second.value };
  };
}

const ops = (steps: Step[]): string[] => steps.map((step) => `${step.op} ${step.name}`);
const urn = (name: string): string => urnFor(kvItemType, name);
/** The dynamic-provider host's default provider, which the engine registers and records first. */
const defaultProviderUrn = "urn:pulumi:dev::entra-sspr::pulumi:providers:pulumi-nodejs::default";

describe("runProgram", () => {
  it("creates every resource on the first run and flows an output of one into another's input", async () => {
    const result = await runProgram(pairProgram("flow", "one"), { host });
    expect(ops(result.steps)).toEqual(["create flow-first", "create flow-second"]);
    const firstRevision = kv.items.get("flow-first")?.revision;
    expect(kv.items.get("flow-first")?.value).toBe("one");
    expect(kv.items.get("flow-second")?.value).toBe(`after revision ${firstRevision}`);
    expect(result.state[urn("flow-first")]).toMatchObject({
      id: "flow-first",
      type: kvItemType,
      outputs: { revision: firstRevision },
    });
    expect(result.outputs).toEqual({ firstRevision, secondValue: `after revision ${firstRevision}` });
  });

  it("reports same on a second run with the same inputs, without writing", async () => {
    const first = await runProgram(pairProgram("again", "one"), { host });
    const writesBefore = kv.requests.filter((request) => request.startsWith("PUT")).length;
    const second = await runProgram(pairProgram("again", "one"), { host, priorState: first.state });
    expect(ops(second.steps)).toEqual(["same again-first", "same again-second"]);
    expect(kv.requests.filter((request) => request.startsWith("PUT"))).toHaveLength(writesBefore);
    expect(second.state[urn("again-second")].outputs).toEqual(first.state[urn("again-second")].outputs);
  });

  it("updates after an input change, and what depends on the changed output too", async () => {
    const first = await runProgram(pairProgram("change", "one"), { host });
    const second = await runProgram(pairProgram("change", "two"), { host, priorState: first.state });
    expect(second.steps).toEqual([
      { urn: urn("change-first"), type: kvItemType, name: "change-first", op: "update", diffs: ["value"] },
      { urn: urn("change-second"), type: kvItemType, name: "change-second", op: "update", diffs: ["value"] },
    ]);
    const revision = kv.items.get("change-first")?.revision;
    expect(kv.items.get("change-first")?.value).toBe("two");
    expect(kv.items.get("change-second")?.value).toBe(`after revision ${revision}`);
  });

  it("replaces a resource whose provider asks for it, deleting the old one", async () => {
    const first = await runProgram(pairProgram("move", "one"), { host });
    const second = await runProgram(pairProgram("move", "one", "move-moved"), { host, priorState: first.state });
    expect(ops(second.steps)).toEqual(["same move-first", "replace move-second"]);
    expect(second.steps[1].diffs).toEqual(["key"]);
    expect(kv.items.has("move-second")).toBe(false);
    expect(kv.items.has("move-moved")).toBe(true);
    expect(second.state[urn("move-second")].id).toBe("move-moved");
  });

  it("deletes a prior resource the program no longer registers", async () => {
    const first = await runProgram(pairProgram("drop", "one"), { host });
    const second = await runProgram(
      () => new KvItem("drop-first", { serverUrl: kv.url, key: "drop-first", value: "one" }),
      { host, priorState: first.state },
    );
    expect(ops(second.steps)).toEqual(["same drop-first", "delete drop-second"]);
    expect(kv.items.has("drop-second")).toBe(false);
    // The default provider the engine registers, then the one resource left.
    expect(Object.keys(second.state)).toEqual([defaultProviderUrn, urn("drop-first")]);
  });

  it("rejects with every check failure listed and creates nothing for them", async () => {
    const run = runProgram(
      () => {
        new KvItem("bad-one", { serverUrl: kv.url, key: "Bad One", value: "fine" });
        new KvItem("bad-two", { serverUrl: kv.url, key: "bad-two", value: "" });
      },
      { host },
    );
    const error = await run.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(EngineError);
    const engineError = error as EngineError;
    expect(engineError.errors.map((inner) => inner instanceof CheckFailedError)).toEqual([true, true]);
    expect(engineError.message).toContain(`Check ${urn("bad-one")} failed: key: key must be lower-case letters`);
    expect(engineError.message).toContain(`Check ${urn("bad-two")} failed: value: value must not be empty`);
    expect(kv.items.has("bad-two")).toBe(false);
    expect(Object.keys(engineError.state)).toEqual([defaultProviderUrn]);
  });

  it("keeps a secret input secret in state and in the program's outputs, and out of the logs", async () => {
    host.clearLogs();
    const result = await runProgram(
      () => {
        const item = new KvItem("hush", { serverUrl: kv.url, key: "hush", value: "v", note: pulumi.secret("tok-9q2") });
        return { note: item.note };
      },
      { host },
    );
    expect(kv.items.get("hush")?.note).toBe("tok-9q2");
    expect(result.state[urn("hush")].inputs.note).toEqual(makeSecret("tok-9q2"));
    expect(result.state[urn("hush")].outputs.note).toEqual(makeSecret("tok-9q2"));
    expect(isSecret(result.outputs?.note)).toBe(true);
    expect(host.logs().map((line) => line.text)).toContain(
      "info: [runtime] kv item hush created at revision " + kv.items.get("hush")?.revision,
    );
    expect(JSON.stringify(host.logs())).not.toContain("tok-9q2");
  });

  it("echoes non-dynamic resources and invokes through the default handlers, or the given ones", async () => {
    class Plain extends pulumi.CustomResource {
      constructor(name: string, props: pulumi.Inputs) {
        super("test:index:Plain", name, props);
      }
    }
    const result = await runProgram(
      async () => {
        const looked = await pulumi.runtime.invoke("test:index:lookup", { name: "pilot" });
        new Plain("plain", { label: looked.name });
      },
      { host, handleResource: (request) => ({ id: "plain-42", state: { ...request.inputs, extra: true } }) },
    );
    expect(result.state[urnFor("test:index:Plain", "plain")]).toMatchObject({
      id: "plain-42",
      inputs: { label: "pilot" },
      outputs: { label: "pilot", extra: true },
    });
    expect(ops(result.steps)).toEqual(["create plain"]);
  });
});

describe("destroyState and refreshState", () => {
  it("destroys in reverse registration order", async () => {
    const { state } = await runProgram(pairProgram("gone", "one"), { host });
    kv.requests.length = 0;
    const destroyed = await destroyState(state, host);
    expect(kv.requests).toEqual(["DELETE /items/gone-second", "DELETE /items/gone-first"]);
    expect(ops(destroyed.steps)).toEqual(["delete gone-second", "delete gone-first"]);
    expect(destroyed.state).toEqual({});
  });

  it("deletes in dependency order: a dependent goes first even when state lists it first", async () => {
    const { state } = await runProgram(pairProgram("order", "one"), { host });
    // The same two entries, the dependent listed first (state merged from two runs can be in any order).
    const second = state[urn("order-second")];
    expect(second.dependencies).toContain(urn("order-first"));
    kv.requests.length = 0;
    const destroyed = await destroyState(
      { [second.urn]: second, [urn("order-first")]: state[urn("order-first")] },
      host,
    );
    expect(kv.requests).toEqual(["DELETE /items/order-second", "DELETE /items/order-first"]);
    expect(ops(destroyed.steps)).toEqual(["delete order-second", "delete order-first"]);
  });

  it("retainOnDelete: dropped from state, never deleted; other custom resources go through deleteResource", async () => {
    class Plain extends pulumi.CustomResource {
      constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Plain", name, props, opts);
      }
    }
    const program = () => {
      const kept = new KvItem("kept", { serverUrl: kv.url, key: "kept", value: "stays" }, { retainOnDelete: true });
      new Plain("plain-kept", { label: "stays" }, { retainOnDelete: true });
      new Plain("plain-gone", { label: kept.value });
    };
    const { state } = await runProgram(program, { host });
    expect(state[urn("kept")].retainOnDelete).toBe(true);
    expect(state[urnFor("test:index:Plain", "plain-gone")].retainOnDelete).toBeUndefined();
    kv.requests.length = 0;
    const deleted: string[] = [];
    const destroyed = await destroyState(state, host, {
      deleteResource: async (entry) => {
        deleted.push(entry.name);
      },
    });
    expect(kv.requests).toEqual([]);
    expect(kv.items.get("kept")?.value).toBe("stays");
    expect(deleted).toEqual(["plain-gone"]);
    // plain-gone depends on kept, so it goes first; the two retained ones in whichever order they registered.
    const described = destroyed.steps.map((step) => `${step.op} ${step.name}${step.retained ? " (retained)" : ""}`);
    expect(described[0]).toBe("delete plain-gone");
    expect(described.slice(1).sort()).toEqual(["delete kept (retained)", "delete plain-kept (retained)"]);
    expect(destroyed.state).toEqual({});
  });

  it("a failing deleteResource stops the destroy, keeping what is left in state", async () => {
    class Plain extends pulumi.CustomResource {
      constructor(name: string, props: pulumi.Inputs) {
        super("test:index:Plain", name, props);
      }
    }
    const { state } = await runProgram(() => new Plain("stuck", { label: "x" }), { host });
    const failed = destroyState(state, host, {
      deleteResource: async () => {
        throw new Error("403 Authorization_RequestDenied");
      },
    });
    await expect(failed).rejects.toThrow("403 Authorization_RequestDenied");
    const left = await failed.catch((error: EngineError) => error.state);
    expect(Object.keys(left)).toEqual([urnFor("test:index:Plain", "stuck")]);
  });

  it("reports drift and deleted resources, and refreshes state", async () => {
    const { state } = await runProgram(pairProgram("drift", "one"), { host });
    kv.items.set("drift-first", { value: "edited in the portal", revision: 500 });
    kv.items.delete("drift-second");
    const refreshed = await refreshState(state, host);
    expect(refreshed.drift).toEqual([
      {
        urn: urn("drift-first"),
        type: kvItemType,
        name: "drift-first",
        deleted: false,
        changed: ["revision", "value"],
      },
      { urn: urn("drift-second"), type: kvItemType, name: "drift-second", deleted: true, changed: [] },
    ]);
    expect(Object.keys(refreshed.state)).toEqual([defaultProviderUrn, urn("drift-first")]);
    expect(refreshed.state[urn("drift-first")].outputs).toMatchObject({ value: "edited in the portal", revision: 500 });
  });
});

describe("changedProperties", () => {
  it("compares values whatever their key order or secrecy", () => {
    expect(
      changedProperties({ a: { x: 1, y: 2 }, b: makeSecret("s"), c: 1 }, { a: { y: 2, x: 1 }, b: "s", d: 1 }),
    ).toEqual(["c", "d"]);
  });
});
