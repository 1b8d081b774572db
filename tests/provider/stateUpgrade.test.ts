/**
 * Upgrading a stack written by entra-sspr's dynamic resources to the provider plugin, through the real path (the
 * program under mocks, the plugin over gRPC, the emulator). The old state is a fixture the dynamic resources wrote
 * (`tests/support/dynamic-resources-state.json`: the full stack applied to the emulator's sample tenant at commit
 * be0d748, with the tenant as that run left it), not a model of one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { withoutServiceTimestamps } from "../../scripts/bench/run";
import { fullConfig } from "../../scripts/bench/stacks";
import { emulatorStack } from "../../scripts/stack/emulatorStack";
import { destroyState, refreshState, type EngineState } from "../../engine/engine";
import { startProviderHost } from "../../engine/providerHost";
import type { TenantState } from "../../emulator/server";
import { useEmulator } from "../support/emulator";
import { useProviderHost } from "../support/rehearsalHost";
import { isWriteRequest } from "../../emulator/requestLog";

const hosted = useProviderHost();
const fixture = useEmulator();

const written = JSON.parse(
  fs.readFileSync(path.join(__dirname, "../support/dynamic-resources-state.json"), "utf8"),
) as { state: EngineState; tenantAfterUp: TenantState };

const dynamicType = /^pulumi-nodejs:dynamic\/entra-sspr:(\w+)$/;
const writes = () =>
  fixture.emulator
    .requests()
    .filter(isWriteRequest)
    .map((entry) => `${entry.method} ${entry.path}`);

/** The fixture's state pointed at this test's emulator, and the emulator holding the tenant that state describes. */
function oldStack(): EngineState {
  fixture.reseed(written.tenantAfterUp);
  const text = JSON.stringify(written.state).split("http://127.0.0.1:EMULATOR_PORT").join(fixture.emulator.url);
  return JSON.parse(text) as EngineState;
}

describe("state written by the dynamic resources", () => {
  it("moves to the plugin's types in place (no replace, no settings written, the old code never run), refreshes without drift, destroys to the seed", async () => {
    const sample = fixture.seeded;
    const old = oldStack();
    const oldEntries = Object.values(old).filter((entry) => dynamicType.test(entry.type));
    expect(oldEntries).toHaveLength(8);
    expect(oldEntries.every((entry) => typeof entry.inputs.__provider === "string")).toBe(true);
    // What an edited state could hold in place of the serialized providers: code that leaves a file if anything runs it.
    const markerDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-upgrade-"));
    const marker = path.join(markerDir, "ran");
    const hostile = `exports.handler = (() => { require("fs").writeFileSync(${JSON.stringify(marker)}, "x"); })();`;
    for (const entry of oldEntries) {
      entry.inputs.__provider = hostile;
      entry.outputs.__provider = hostile;
    }
    const stack = emulatorStack({ host: hosted.host, emulatorUrl: fixture.emulator.url });

    const upgraded = await stack.up(fullConfig(), old);
    const changed = upgraded.steps.filter((step) => step.op !== "same");
    expect(changed.map((step) => step.type).sort()).toEqual(
      oldEntries.map((entry) => entry.type.replace(dynamicType, "entra-sspr:index:$1")).sort(),
    );
    expect(changed.every((step) => step.op === "update")).toBe(true);
    // Nothing that decides who can reset is written. The one write is the ownership mark moving from the
    // organization, where that version kept it, to the application this one keeps it in (ownershipMark.ts).
    expect(writes()).toEqual([
      "POST /v1.0/applications",
      expect.stringMatching(/^DELETE \/v1\.0\/organization\/[^/]+\/extensions\/entraSspr\.ownership$/),
    ]);
    fixture.emulator.clearRequests();
    // No code left in state, and nothing under the old URNs.
    expect(JSON.stringify(upgraded.state)).not.toContain("__provider");
    expect(Object.values(upgraded.state).filter((entry) => dynamicType.test(entry.type))).toEqual([]);

    const refreshed = await refreshState(upgraded.state, hosted.host);
    expect(refreshed.drift).toEqual([]);
    const next = await stack.up(fullConfig(), refreshed.state);
    expect(next.steps.filter((step) => step.op !== "same")).toEqual([]);
    expect(writes()).toEqual([]);

    await destroyState(next.state, hosted.host);
    expect(withoutServiceTimestamps(fixture.emulator.state())).toBe(withoutServiceTimestamps(sample));
    expect(fs.existsSync(marker)).toBe(false);
    fs.rmSync(markerDir, { recursive: true, force: true });
  });

  it("destroyed before the upgrade, is refused by the old forwarders before any request, naming the way forward", async () => {
    const old = oldStack();
    // What the CLI would run for the old state: Pulumi's dynamic-provider host, with the project's node_modules.
    const dynamicHost = await startProviderHost();
    try {
      await expect(destroyState(old, dynamicHost)).rejects.toThrow(/Run `pulumi up` once with this version/);
    } finally {
      await dynamicHost.stop();
    }
    expect(fixture.emulator.requests()).toEqual([]);
  });
});
