/**
 * The forwarder in state runs only the project's own `@entra-sspr/providers`, of the version and shape the state was
 * written with, and refuses anything else before it runs any of it: proven through Pulumi's dynamic-provider host
 * started in a project folder of each kind, destroying state an `up` wrote. The emulator's request log shows nothing
 * was sent, so no destroy stops halfway.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { providersVersion } from "../../../components/entra/providerForwarder";
import { fullConfig } from "../../../scripts/bench/stacks";
import { emulatorStack } from "../../../scripts/emulatorStack";
import { destroyState, type EngineState } from "../../../harness/engine";
import { startProviderHost } from "../../../harness/providerHost";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

const repositoryRoot = path.resolve(__dirname, "../../..");
const realProviders = path.join(repositoryRoot, "providers");

const hosted = useProviderHost();
const fixture = useEmulator();

let state: EngineState;
let scratch: string;

beforeAll(async () => {
  ({ state } = await emulatorStack({ host: hosted.host, emulatorUrl: fixture.emulator.url }).up(fullConfig()));
  // Inside the repository on purpose: its node_modules holds the real @entra-sspr/providers, the "parent folder".
  scratch = fs.mkdtempSync(path.join(repositoryRoot, ".forwarder-test-"));
}, 120_000);

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A project folder whose node_modules holds `@entra-sspr/providers` with this version and entry point (or none). */
function project(name: string, providers?: { version: string; index: string }): string {
  const root = path.join(scratch, name);
  fs.mkdirSync(root, { recursive: true });
  if (providers !== undefined) {
    const folder = path.join(root, "node_modules", "@entra-sspr", "providers");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, "package.json"),
      JSON.stringify({ name: "@entra-sspr/providers", version: providers.version, main: "index.js" }),
    );
    fs.writeFileSync(path.join(folder, "index.js"), providers.index);
  }
  return root;
}

/** Destroys the stack's state through a host started in `cwd`; the error it ends with. */
async function destroyFrom(cwd: string): Promise<Error> {
  const host = await startProviderHost({ cwd });
  try {
    await destroyState(state, host);
  } catch (error) {
    return error as Error;
  } finally {
    await host.stop();
  }
  throw new Error("expected the destroy to be refused");
}

describe("the forwarder refuses what it cannot trust, before any request", () => {
  it("a providers package of another version: refused naming both versions", async () => {
    // The other version would work (it is the real implementation): the refusal is about the version alone.
    const root = project("other-version", {
      version: "9.9.9",
      index: `module.exports = require(${JSON.stringify(realProviders)});`,
    });
    const error = await destroyFrom(root);
    expect(error.message).toContain(
      `this state was written with @entra-sspr/providers ${providersVersion}, but the project at`,
    );
    expect(error.message).toContain(
      "has @entra-sspr/providers 9.9.9. Nothing was run and nothing was sent to the tenant.",
    );
    expect(fixture.emulator.requests()).toEqual([]);
  }, 120_000);

  it("no package in the project: a package of that name in a parent folder is not used", async () => {
    expect(fs.existsSync(path.join(repositoryRoot, "node_modules", "@entra-sspr", "providers", "package.json"))).toBe(
      true,
    );
    const root = project("without-providers");
    const error = await destroyFrom(root);
    expect(error.message).toContain(
      `has none in ${path.join(fs.realpathSync(root), "node_modules", "@entra-sspr", "providers")} (a package of that ` +
        "name in a parent folder is not used; run `npm ci`)",
    );
    expect(fixture.emulator.requests()).toEqual([]);
  }, 120_000);

  it("a package of the same version but another shape: refused whole, naming both versions, not halfway", async () => {
    const index =
      `const real = require(${JSON.stringify(realProviders)});\n` +
      "module.exports = { ...real, TenantOwnership: { ...real.TenantOwnership, delete: undefined } };\n";
    const root = project("other-shape", { version: providersVersion, index });
    const error = await destroyFrom(root);
    expect(error.message).toContain(
      `this state was written with @entra-sspr/providers ${providersVersion}, but the project at`,
    );
    expect(error.message).toContain(`has @entra-sspr/providers ${providersVersion} without TenantOwnership.delete.`);
    // TenantOwnership is destroyed last: a forwarder that checked only its own method would have restored the rest.
    expect(fixture.emulator.requests()).toEqual([]);
  }, 120_000);

  it("positive control: the project's own package of the same version destroys the stack", async () => {
    const root = project("same-version", {
      version: providersVersion,
      index: `module.exports = require(${JSON.stringify(realProviders)});`,
    });
    const host = await startProviderHost({ cwd: root });
    try {
      await destroyState(state, host);
    } finally {
      await host.stop();
    }
    // It ran: each resource's delete read the tenant (which the fixture had put back to the seed, so nothing to restore).
    expect(fixture.emulator.requests().length).toBeGreaterThan(0);
  }, 120_000);
});
