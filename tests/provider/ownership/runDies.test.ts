/**
 * Nothing lost when a run dies (issue 25): the provider plugin is killed right after each kind of write lands in the
 * tenant, before the engine records it (as when a CI job is cancelled or a runner is lost). The rerun, with the state
 * the engine kept, converges; destroy then gives back the seed exactly, because the tenant keeps the stack's
 * before-snapshot beside the ownership claim (provider/ownership/tenantBefore.ts). The whole path: stack file ->
 * program -> component -> plugin (a process of its own, killed with SIGKILL) -> HTTP -> emulator.
 */
import type { TenantState } from "../../../emulator/server";
import { destroyState, type EngineState } from "../../../engine/engine";
import { startProviderPlugin, type ProviderHost } from "../../../engine/providerHost";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { useEmulator } from "../../support/emulator";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookLines } from "../../support/runbook";
import { writeStackFile } from "../../support/stackFiles";
import { beforeKey, decodeBefore } from "../../../provider/ownership/tenantBefore";

jest.setTimeout(180_000);

const shared = useRehearsalHost("rundies");
const lab = useEmulator();

/** The tenant's SSPR objects, without the stamps Graph moves on every write. */
function sspr(state: TenantState): Record<string, unknown> {
  const { lastModifiedDateTime: _stamp, ...methods } = state.authenticationMethodsPolicy;
  return {
    portal: state.passwordResetPolicies,
    methods,
    administrators: state.authorizationPolicy.allowedToUseSSPR,
  };
}

const methodsOf = (state: TenantState) => JSON.stringify(sspr(state).methods);

/** The kinds of write, each with how the test sees it has landed. */
const writes: [string, (seed: TenantState, now: TenantState) => boolean][] = [
  ["the mark", (_seed, now) => now.applications.some((application) => typeof application.notes === "string")],
  [
    "the portal PUT",
    (seed, now) => JSON.stringify(now.passwordResetPolicies) !== JSON.stringify(seed.passwordResetPolicies),
  ],
  ["a method PATCH (batched with the others)", (seed, now) => methodsOf(now) !== methodsOf(seed)],
  [
    "the authorization policy PATCH",
    (seed, now) => now.authorizationPolicy.allowedToUseSSPR !== seed.authorizationPolicy.allowedToUseSSPR,
  ],
];

/** Resolves when `landed` holds, checked on every turn of the event loop (the emulator runs in this process). */
function whenLanded(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!check()) return;
      clearInterval(timer);
      resolve();
    }, 1);
  });
}

/**
 * Once the plugin is dead, lets the requests it had in flight (each held 5 s by the fault) land or fail, then lifts
 * the fault, so what the rehearsal reads after the failure (the tenant, its people) is not held 5 s a request.
 */
async function afterInFlight(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 5_500));
  lab.emulator.clearFaults();
}

describe("a run that dies right after a write lands", () => {
  it.each(writes)("killed after %s: the rerun converges and destroy gives back the seed", async (_what, landed) => {
    const seed = lab.emulator.state();
    const stackFile = writeStackFile(shared.tmp, "runbook", runbookLines({ administrators: { allowed: false } }));
    const doomed: ProviderHost = await startProviderPlugin();
    const running = rehearse({ host: doomed, emulatorUrl: lab.emulator.url, stackFile });
    await whenLanded(() => landed(seed, lab.emulator.state()));
    // Everything after the write waits, so the plugin dies before it can answer the engine.
    lab.emulator.addFault({ path: "/*", delayMs: 5_000, count: 1_000 });
    if (doomed.pid !== undefined) process.kill(doomed.pid, "SIGKILL");
    await afterInFlight();
    const died = await running;
    expect(died.ok).toBe(false);
    expect(landed(seed, lab.emulator.state())).toBe(true);
    await doomed.stop();

    const rerun = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile,
      priorState: died.state,
    });
    expect(rerun.errors).toEqual([]);
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({ enablementType: 2 });
    expect(lab.emulator.state().authorizationPolicy.allowedToUseSSPR).toBe(false);

    await destroyState(rerun.state, shared.host);
    expect(sspr(lab.emulator.state())).toEqual(sspr(seed));
    // The mark (and the before it kept) is released last.
    expect(lab.emulator.state().applications.map((application) => application.notes)).toEqual([null]);
  });
});

/** What the tenant's mark keeps of the portal policy's before: its snapshot, or undefined. */
function keptPortalBefore(state: TenantState): Record<string, unknown> | undefined {
  const notes = state.applications.find((application) => typeof application.notes === "string")?.notes;
  if (typeof notes !== "string") return undefined;
  return decodeBefore((JSON.parse(notes) as { before?: string }).before)?.[beforeKey("PasswordResetPolicy")]?.snapshot;
}

describe("the first write keeps the before of every object the stack will change (issue 28)", () => {
  it("killed right after the claim lands with the methods: the portal policy's before is in the tenant already", async () => {
    const seed = lab.emulator.state();
    const stackFile = writeStackFile(shared.tmp, "runbook", runbookLines({ administrators: { allowed: false } }));
    const doomed: ProviderHost = await startProviderPlugin();
    const running = rehearse({ host: doomed, emulatorUrl: lab.emulator.url, stackFile });
    await whenLanded(() => writes[0][1](seed, lab.emulator.state()));
    lab.emulator.addFault({ path: "/*", delayMs: 5_000, count: 1_000 });
    if (doomed.pid !== undefined) process.kill(doomed.pid, "SIGKILL");
    await afterInFlight();
    await running;
    await doomed.stop();
    const kept = keptPortalBefore(lab.emulator.state());
    // Every portal field a stack may own, as the seed holds it; the portal itself not yet written.
    expect(kept).toMatchObject({ enablementType: seed.passwordResetPolicies.enablementType });
    for (const [field, value] of Object.entries(kept ?? {})) {
      expect([field, value]).toEqual([field, seed.passwordResetPolicies[field] ?? null]);
    }
    expect(lab.emulator.state().passwordResetPolicies).toEqual(seed.passwordResetPolicies);
  });

  it("so the portal policy writes no entry of its own: the first up never writes the mark alone (it rides in the methods' $batch)", async () => {
    const seed = lab.emulator.state();
    lab.emulator.clearRequests();
    const result = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile: writeStackFile(shared.tmp, "runbook", runbookLines({ administrators: { allowed: false } })),
    });
    expect(result.errors).toEqual([]);
    const markWrites = lab.emulator
      .requests()
      .filter((request) => request.method !== "GET" && /\/applications/.test(request.path));
    expect(markWrites).toEqual([]);
    expect(keptPortalBefore(lab.emulator.state())).toMatchObject({
      enablementType: seed.passwordResetPolicies.enablementType,
    });
    await destroyState(result.state, shared.host);
    expect(sspr(lab.emulator.state())).toEqual(sspr(seed));
  });
});

describe("a takeover inherits the tenant's before", () => {
  it.each([
    ["A first, then B", ["a", "b"]],
    ["B first, then A", ["b", "a"]],
  ])(
    "A changes the tenant, B takes it over and changes it more; both destroyed (%s): the seed comes back",
    async (_order, order) => {
      const seed = lab.emulator.state();
      const a = await rehearse({
        host: shared.host,
        emulatorUrl: lab.emulator.url,
        stackFile: writeStackFile(shared.tmp, "a", runbookLines({ administrators: { allowed: false } })),
      });
      expect(a.errors).toEqual([]);
      const b = await rehearse({
        host: shared.host,
        emulatorUrl: lab.emulator.url,
        stackFile: writeStackFile(
          shared.tmp,
          "b",
          runbookLines({
            // B owns what A owned (and more): an object only A owned is A's to put back (see docs/ownership.md).
            administrators: { allowed: false },
            methodsRequired: 1,
            methods: {
              email: true,
              mobilePhone: true,
              officePhone: true,
              authenticatorApp: true,
              securityQuestions: false,
            },
          }),
          ["entra-sspr:takeOverFrom: organization/entra-sspr/a"],
        ),
      });
      expect(b.errors).toEqual([]);
      const states: Record<string, typeof a.state> = { a: a.state, b: b.state };
      for (const stack of order) await destroyState(states[stack], shared.host);
      expect(sspr(lab.emulator.state())).toEqual(sspr(seed));
    },
  );
});

/**
 * What `pulumi import` leaves in a new stack's state: each tenant singleton of `state` read by its id alone (the
 * plugin's Read, as the engine imports), under the new stack's URN; nothing else (the new stack claims the tenant).
 */
async function importedState(state: EngineState, stack: string): Promise<EngineState> {
  const imported: EngineState = {};
  for (const entry of Object.values(state)) {
    if (!entry.custom || entry.id === undefined || entry.type.endsWith(":TenantOwnership")) continue;
    if (!entry.type.startsWith("entra-sspr:index:") || entry.type.endsWith("PilotGroupRelease")) continue;
    const urn = entry.urn.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${stack}::`);
    const read = await shared.host.read(urn, `${entry.id}@${lab.emulator.url}`, {});
    imported[urn] = {
      ...entry,
      urn,
      parent: entry.parent?.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${stack}::`),
      id: read.id,
      inputs: read.inputs ?? {},
      outputs: read.properties,
      dependencies: [],
    };
  }
  expect(Object.keys(imported).length).toBeGreaterThanOrEqual(3);
  return imported;
}

describe("pulumi import into a new stack of a tenant a stack already changed", () => {
  it("the new stack takes over, imports every object, and its destroy gives back the seed", async () => {
    const seed = lab.emulator.state();
    const stackFile = writeStackFile(shared.tmp, "a", runbookLines({ administrators: { allowed: false } }));
    const a = await rehearse({ host: shared.host, emulatorUrl: lab.emulator.url, stackFile });
    expect(a.errors).toEqual([]);
    // The new stack's first `up` after `pulumi import`: every tenant object adopted as the tenant holds it (Read
    // with the id alone), then the program's update with the stack's claim, then destroy.
    const b = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile: writeStackFile(shared.tmp, "b", runbookLines({ administrators: { allowed: false } }), [
        "entra-sspr:takeOverFrom: organization/entra-sspr/a",
      ]),
      priorState: await importedState(a.state, "b"),
    });
    expect(b.errors).toEqual([]);
    await destroyState(b.state, shared.host);
    expect(sspr(lab.emulator.state())).toEqual(sspr(seed));
  });
});

describe("a fault on a Graph write inside a $batch", () => {
  it("fires in the batch body, the stack converges after it, and destroy gives back the seed", async () => {
    const seed = lab.emulator.state();
    lab.emulator.addFault({
      method: "PATCH",
      path: "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/*",
      status: 429,
      retryAfter: 1,
    });
    const result = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile: writeStackFile(shared.tmp, "runbook", runbookLines()),
    });
    expect(result.errors).toEqual([]);
    // The fault was taken, by a request the plugin sent inside a batch (the only way its method PATCHes leave).
    expect(await (await fetch(`${lab.emulator.url}/_emulator/faults`)).json()).toEqual([]);
    expect(lab.emulator.requests().some((request) => request.path.endsWith("/$batch"))).toBe(true);
    expect(methodsOf(lab.emulator.state())).not.toBe(methodsOf(seed));
    await destroyState(result.state, shared.host);
    expect(sspr(lab.emulator.state())).toEqual(sspr(seed));
  });
});
