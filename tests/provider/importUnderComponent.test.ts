/**
 * `pulumi import` into the component, through the rehearsal engine with the engine's import semantics
 * (engine/importResources.ts: Read then Check only, never Diff; the URN from the parent; a parent that is not in
 * state refused), for each tenant object of the full stack (every method, the methods policy root, SSPR for
 * administrators): into an existing stack whose state lost the objects, and into a new stack, whose import file names
 * the component too. The import writes nothing; the next `up` deletes nothing, creates no imported object and writes
 * nothing (in the new stack only the ownership claim, made by the component and never importable, is created and
 * written to the mark).
 */
import { importResources, type ImportSpec } from "../../engine/importResources";
import type { EngineState } from "../../engine/engine";
import { isWriteRequest } from "../../emulator/requestLog";
import { fullConfig } from "../../scripts/bench/stacks";
import { emulatorStack } from "../../scripts/stack/emulatorStack";
import { withEmulatorEndpoints } from "../../scripts/stack/stackConfig";
import { useEmulator } from "../support/emulator";
import { useProviderHost } from "../support/rehearsalHost";

const hosted = useProviderHost();
const lab = useEmulator();
const componentUrn = "urn:pulumi:dev::entra-sspr::entra-sspr:index:SelfServicePasswordReset::sspr";
const notImportable = ["entra-sspr:index:TenantOwnership", "entra-sspr:index:PilotGroupRelease"];

const writes = (): string[] =>
  lab.emulator
    .requests()
    .filter(isWriteRequest)
    .map((entry) => `${entry.method} ${entry.path}`);

/** The tenant objects of a state, as `pulumi import` would name them: type, the program's name, id, the component. */
function importsOf(state: EngineState): ImportSpec[] {
  return Object.values(state)
    .filter((entry) => entry.custom && entry.type.startsWith("entra-sspr:index:"))
    .filter((entry) => !notImportable.includes(entry.type))
    .map((entry) => ({
      type: entry.type,
      name: entry.name,
      id: `${entry.id ?? ""}@${lab.emulator.url}`, // a lab tenant's id names its emulator
      parent: entry.parent,
    }));
}

describe("pulumi import under the component", () => {
  let stack: ReturnType<typeof emulatorStack>;
  let applied: EngineState;
  // The emulator starts from its seed before each test (tests/support/emulator.ts): each test applies the full stack
  // first, so the tenant holds what the program asks for.
  beforeEach(async () => {
    stack = emulatorStack({ host: hosted.host, emulatorUrl: lab.emulator.url });
    applied = (await stack.up(fullConfig())).state;
  });
  const config = () => withEmulatorEndpoints(fullConfig(), lab.emulator.url);

  it("covers every importable object type of the schema", () => {
    const types = new Set(importsOf(applied).map((spec) => spec.type));
    expect([...types].sort()).toEqual([
      "entra-sspr:index:AdministratorPasswordReset",
      "entra-sspr:index:AuthenticationMethodConfiguration",
      "entra-sspr:index:AuthenticationMethodsPolicy",
      "entra-sspr:index:PasswordResetPolicy",
    ]);
  });

  it("into an existing stack, each object alone: it lands at the program's URN under the component, by Read and Check only; the next up writes and deletes nothing", async () => {
    let state = applied;
    for (const spec of importsOf(applied)) {
      const urn = Object.values(state).find((entry) => entry.name === spec.name)!.urn;
      const { [urn]: lostEntry, ...lost } = state;
      lab.emulator.clearRequests();
      const diff = jest.spyOn(hosted.host, "diff");
      const result = await importResources([spec], { host: hosted.host, config: config(), priorState: lost });
      expect(diff).not.toHaveBeenCalled();
      diff.mockRestore();
      expect(result.warnings).toEqual([]);
      expect(result.imported).toEqual([urn]); // the program's URN: the component's type is part of it
      expect(result.state[urn]).toMatchObject({ parent: componentUrn, id: lostEntry.id, custom: true });
      // The next up finds every object where the program registers it: nothing created, deleted or written.
      const next = await stack.up(fullConfig(), result.state);
      expect(next.steps.filter((step) => !["same", "update"].includes(step.op))).toEqual([]);
      expect(writes()).toEqual([]);
      state = next.state;
    }
  });

  it("into a new stack: the component first, then its objects; the next up deletes nothing and creates only the ownership claim", async () => {
    const imports = [
      { type: "entra-sspr:index:SelfServicePasswordReset", name: "sspr", component: true },
      ...importsOf(applied),
    ];
    // A tenant no stack owns yet, holding what the program asks for: the applied tenant without the ownership mark.
    const tenant = lab.emulator.state();
    const unowned = tenant.applications.filter((app) => app.uniqueName !== "entra-sspr-ownership-mark");
    lab.emulator.seed({ ...tenant, applications: unowned });
    lab.emulator.clearRequests();
    const result = await importResources(imports, { host: hosted.host, config: config() });
    expect(writes()).toEqual([]);
    expect(result.imported[0]).toBe(componentUrn);
    const next = await stack.up(fullConfig(), result.state);
    expect(next.steps.filter((step) => step.op === "delete" || step.op === "replace")).toEqual([]);
    expect(next.steps.filter((step) => step.op === "create").map((step) => step.type)).toEqual([
      "entra-sspr:index:TenantOwnership",
    ]);
    // Only the new stack's claim is written (the mark's application): no tenant setting changes.
    // (created with `POST /applications` when the tenant has no mark: the atomic first claim, ownershipMark.ts).
    expect(
      writes().filter((write) => !write.includes("entra-sspr-ownership-mark") && write !== "POST /v1.0/applications"),
    ).toEqual([]);
  });

  it("refuses a parent that is not in state, and shows why a top-level import is the wrong place", async () => {
    const [policy] = importsOf(applied).filter((spec) => spec.type === "entra-sspr:index:PasswordResetPolicy");
    await expect(importResources([policy], { host: hosted.host, config: config() })).rejects.toThrow(
      `unknown parent '${componentUrn}' for resource`,
    );
    // Without --parent the object lands at the top level, another URN than the program's: the next up would create
    // the program's and delete this one.
    const topLevel = await importResources([{ ...policy, parent: undefined }], { host: hosted.host, config: config() });
    expect(topLevel.imported).toEqual([
      "urn:pulumi:dev::entra-sspr::entra-sspr:index:PasswordResetPolicy::sspr-password-reset-policy",
    ]);
  });
});
