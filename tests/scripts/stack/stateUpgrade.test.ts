/**
 * `npm run upgrade-state -- --in old.json --out new.json` on state the old dynamic resources wrote
 * (`tests/support/dynamic-resources-state.json`, as `pulumi stack export` gives it: with the dynamic resources'
 * default provider `pulumi:providers:pulumi-nodejs` and each resource's reference to it). The upgrade is a pure
 * transform: no code from the state runs (every `__provider` holds a payload that leaves a file if evaluated), none is
 * left, and the upgraded state's next `up` (rehearsal engine -> plugin -> emulator) writes only the mark's move.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as yaml from "js-yaml";
import { fullConfig } from "../../../scripts/bench/stacks";
import { emulatorStack } from "../../../scripts/stack/emulatorStack";
import {
  holdsDynamicResources,
  type ExportedDeployment,
  type ExportedResource,
} from "../../../scripts/stack/stateUpgrade";
import type { EngineState, StateEntry } from "../../../engine/engine";
import type { TenantState } from "../../../emulator/server";
import { isWriteRequest } from "../../../emulator/requestLog";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

const run = promisify(execFile);
const repositoryRoot = path.resolve(__dirname, "../../..");
const hosted = useProviderHost();
const fixture = useEmulator();

const written = JSON.parse(
  fs.readFileSync(path.join(repositoryRoot, "tests/support/dynamic-resources-state.json"), "utf8"),
) as { state: EngineState; tenantAfterUp: TenantState };
const oldProvider = "urn:pulumi:dev::entra-sspr::pulumi:providers:pulumi-nodejs::default";

/** The fixture as `pulumi stack export` writes it: the engine's entries, plus the dynamic provider and references. */
function exported(state: EngineState): ExportedDeployment {
  const resources: ExportedResource[] = [
    {
      urn: oldProvider,
      custom: true,
      id: "0c0ffee0-0000-4000-8000-000000000001",
      type: "pulumi:providers:pulumi-nodejs",
      inputs: {},
      outputs: {},
    },
    ...Object.values(state).map((entry) => ({
      ...(entry as unknown as ExportedResource),
      ...(entry.type.startsWith("pulumi-nodejs:dynamic/")
        ? { provider: `${oldProvider}::0c0ffee0-0000-4000-8000-000000000001` }
        : {}),
    })),
  ];
  return { version: 3, deployment: { manifest: { time: "2026-11-27T10:00:00Z" }, resources } };
}

/** Back to the rehearsal engine's state (engine/engine.ts), the package's default provider included. */
function engineState(upgraded: ExportedDeployment): EngineState {
  return Object.fromEntries(
    (upgraded.deployment.resources ?? []).map((resource) => {
      const { provider: _provider, ...entry } = resource;
      return [resource.urn, { ...entry, outputs: entry.outputs ?? entry.inputs } as unknown as StateEntry];
    }),
  );
}

describe("npm run upgrade-state", () => {
  it("upgrades without running code from state; the next up writes only the mark's move", async () => {
    fixture.reseed(written.tenantAfterUp);
    const old = JSON.parse(
      JSON.stringify(written.state).split("http://127.0.0.1:EMULATOR_PORT").join(fixture.emulator.url),
    ) as EngineState;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-upgrade-test-"));
    const marker = path.join(folder, "ran");
    const hostile = `exports.handler = (() => { require("fs").writeFileSync(${JSON.stringify(marker)}, "x"); })();`;
    for (const entry of Object.values(old)) {
      if (entry.inputs.__provider === undefined) continue;
      entry.inputs.__provider = hostile;
      entry.outputs.__provider = hostile;
    }
    const input = path.join(folder, "old.json");
    const output = path.join(folder, "new.json");
    fs.writeFileSync(input, JSON.stringify(exported(old)));
    expect(holdsDynamicResources(exported(old))).toBe(true);

    const { stdout } = await run(
      process.execPath,
      ["-r", "sucrase/register", "scripts/upgradeState.ts", "--in", input, "--out", output],
      { cwd: repositoryRoot, timeout: 60_000 },
    );
    expect(stdout).toContain("Upgraded:");
    expect(fs.existsSync(marker)).toBe(false);
    const text = fs.readFileSync(output, "utf8");
    expect(text).not.toContain("__provider");
    expect(text).not.toContain("pulumi-nodejs");
    expect(fs.statSync(output).mode & 0o077).toBe(0);
    const upgraded = JSON.parse(text) as ExportedDeployment;
    expect(holdsDynamicResources(upgraded)).toBe(false);

    // The package's default provider takes the old one's place, holding only the provider's own config.
    const resources = upgraded.deployment.resources ?? [];
    const provider = resources[0];
    expect(provider).toMatchObject({
      type: "pulumi:providers:entra-sspr",
      urn: "urn:pulumi:dev::entra-sspr::pulumi:providers:entra-sspr::default",
    });
    expect(Object.keys(provider.inputs ?? {}).sort()).toEqual(["endpoints", "tenantId", "version"]);
    expect(provider.inputs?.tenantId).toBe("munyakazi.org");
    const reference = `${provider.urn}::${provider.id}`;
    const custom = resources.filter((resource) => resource.type.startsWith("entra-sspr:index:") && resource.custom);
    expect(custom).toHaveLength(8);
    expect(custom.every((resource) => resource.provider === reference)).toBe(true);
    expect(resources.every((resource) => !resource.urn.includes("pulumi-nodejs"))).toBe(true);

    const stack = emulatorStack({ host: hosted.host, emulatorUrl: fixture.emulator.url });
    fixture.emulator.clearRequests();
    const next = await stack.up(fullConfig(), engineState(upgraded));
    expect(next.steps.filter((step) => !["same", "update"].includes(step.op))).toEqual([]);
    // The provider switch: the engine takes the upgraded provider as the package's default provider, unchanged (its
    // CheckConfig and DiffConfig see the same tenant), so nothing it serves is replaced.
    expect(next.providerStep).toMatchObject({ urn: provider.urn, op: "same" });
    expect(next.state[provider.urn]?.id).toBe(provider.id);
    expect(
      fixture.emulator
        .requests()
        .filter(isWriteRequest)
        .map((request) => `${request.method} ${request.path}`),
    ).toEqual([
      "POST /v1.0/applications",
      expect.stringMatching(/^DELETE \/v1\.0\/organization\/[^/]+\/extensions\/entraSspr\.ownership$/),
    ]);
    expect(fs.existsSync(marker)).toBe(false);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("says when a state holds nothing to upgrade, and writes nothing", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-upgrade-test-"));
    const input = path.join(folder, "old.json");
    fs.writeFileSync(input, JSON.stringify({ version: 3, deployment: { resources: [] } }));
    const { stdout } = await run(
      process.execPath,
      ["-r", "sucrase/register", "scripts/upgradeState.ts", "--in", input, "--out", path.join(folder, "new.json")],
      { cwd: repositoryRoot, timeout: 60_000 },
    );
    expect(stdout).toContain("nothing to upgrade");
    expect(fs.existsSync(path.join(folder, "new.json"))).toBe(false);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("deploy.yml stops on old state before any preview, refresh or up, naming upgrade-state; upgraded state passes", async () => {
    const workflow = yaml.load(fs.readFileSync(path.join(repositoryRoot, ".github/workflows/deploy.yml"), "utf8")) as {
      jobs: Record<string, { steps: { name?: string; run?: string; uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const stop = steps.findIndex((step) => step.run?.includes("npm run upgrade-state -- --stack") === true);
    expect(stop).toBeGreaterThan(-1);
    const runsProviders = (step: (typeof steps)[number]) =>
      /pulumi (preview|up|refresh|destroy)\b/.test(step.run ?? "") ||
      (step.uses?.startsWith("pulumi/actions") === true && step.with?.command !== undefined);
    expect(steps.slice(0, stop).filter(runsProviders)).toEqual([]);
    expect(steps.slice(stop).some(runsProviders)).toBe(true);

    // The step's own test, run on an exported old state and on its upgrade.
    const script = steps[stop].run ?? "";
    const test = /grep -q (.*) exported-state\.json/.exec(script);
    expect(test).not.toBeNull();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-upgrade-test-"));
    const input = path.join(folder, "exported-state.json");
    fs.writeFileSync(input, JSON.stringify(exported(written.state)));
    const grep = (file: string) =>
      run("sh", ["-c", `grep -q ${test?.[1]} ${JSON.stringify(file)}`]).then(
        () => "found",
        () => "not found",
      );
    expect(await grep(input)).toBe("found");
    const output = path.join(folder, "upgraded.json");
    await run(process.execPath, ["-r", "sucrase/register", "scripts/upgradeState.ts", "--in", input, "--out", output], {
      cwd: repositoryRoot,
      timeout: 60_000,
    });
    expect(await grep(output)).toBe("not found");
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
