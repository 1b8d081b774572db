/**
 * The state diet: each resource stores a small forwarder as its `__provider` (components/entra/providerForwarder.ts)
 * instead of its whole provider serialized by value. Proven through the real path (program, Pulumi's
 * dynamic-provider host, emulator), including the upgrade: state written by the self-contained providers is
 * refreshed, updated and destroyed by the new ones.
 */
import * as pulumi from "@pulumi/pulumi";
import { forwardingProviders } from "../../../components/entra/providerForwarder";
import { withoutServiceTimestamps } from "../../../scripts/bench/run";
import { withSelfContainedProviders } from "../../../scripts/bench/selfContainedProviders";
import { fullConfig } from "../../../scripts/bench/stacks";
import { emulatorStack } from "../../../scripts/emulatorStack";
import { destroyState, refreshState, type EngineState } from "../../../harness/engine";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

const entraType = /^pulumi-nodejs:dynamic\/entra-sspr:/;
const kilobyte = 1024;

const hosted = useProviderHost();

const fixture = useEmulator();

const size = (state: EngineState): number => Buffer.byteLength(JSON.stringify(state));
const entraEntries = (state: EngineState) => Object.values(state).filter((entry) => entraType.test(entry.type));
const writes = () =>
  fixture.emulator
    .requests()
    .filter((entry) => entry.method !== "GET")
    .map((entry) => `${entry.method} ${entry.path}`);

describe("the forwarder each resource stores as __provider", () => {
  it("names the implementation's package and carries none of its code", async () => {
    const { text } = await pulumi.runtime.serializeFunction(
      () => forwardingProviders.AuthenticationMethodConfiguration,
    );
    expect(text).toContain('require("@entra-sspr/providers")');
    expect(text).toContain('"AuthenticationMethodConfiguration"');
    // Nothing of the lifecycle, the HTTP layer or the sign-in code is in it.
    for (const code of [
      "singletonProvider",
      "createEntraClient",
      "graph.microsoft.com",
      "authenticationMethodsPolicy",
    ]) {
      expect(text).not.toContain(code);
    }
    expect(text.length).toBeLessThan(4 * kilobyte);
  });

  // The full stack's state size (8 resources, under 150 KB) is the bench's to assert (tests/scripts/bench.test.ts),
  // on the same apply it measures.
});

describe("state written by the self-contained providers (before the forwarders)", () => {
  let old: EngineState;
  beforeEach(async () => {
    const { state } = await emulatorStack({ host: hosted.host, emulatorUrl: fixture.emulator.url }).up(fullConfig());
    old = await withSelfContainedProviders(state);
    // The heavy state of the earlier versions: every resource carries its whole provider, twice.
    expect(size(old)).toBeGreaterThan(10 * size(state));
    fixture.emulator.clearRequests();
  });

  it("is refreshed without drift, updated to the forwarders without a tenant write, then destroyed to the seed", async () => {
    const stack = emulatorStack({ host: hosted.host, emulatorUrl: fixture.emulator.url });
    const refreshed = await refreshState(old, hosted.host);
    expect(refreshed.drift).toEqual([]);

    const upgraded = await stack.up(fullConfig(), refreshed.state);
    // Only the provider changed: each Entra resource updates (so its outputs drop the old code) and writes nothing.
    const updates = upgraded.steps.filter((step) => step.op !== "same");
    expect(updates.map((step) => step.type)).toEqual(entraEntries(old).map((entry) => entry.type));
    for (const step of updates) {
      expect(step.op).toBe("update");
      expect(step.diffs).toContain("__provider");
    }
    expect(writes()).toEqual([]);
    for (const entry of entraEntries(upgraded.state)) {
      expect(entry.outputs.__provider).toBe(entry.inputs.__provider);
      expect(String(entry.inputs.__provider)).toContain('require("@entra-sspr/providers")');
    }
    expect(size(upgraded.state)).toBeLessThan(150 * kilobyte);

    // The next run is a no-op again.
    const next = await stack.up(fullConfig(), upgraded.state);
    expect(next.steps.filter((step) => step.op !== "same")).toEqual([]);
    expect(writes()).toEqual([]);

    await destroyState(next.state, hosted.host);
    expect(withoutServiceTimestamps(fixture.emulator.state())).toBe(withoutServiceTimestamps(fixture.seeded));
  });

  it("destroyed as it is, runs its own code and still restores the seed", async () => {
    await destroyState(old, hosted.host);
    expect(withoutServiceTimestamps(fixture.emulator.state())).toBe(withoutServiceTimestamps(fixture.seeded));
  });
});
