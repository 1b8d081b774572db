/**
 * Groups follow ownership, end to end: stack files rehearsed (program, component, providers in Pulumi's
 * dynamic-provider host, HTTP, emulator), destroyed by the mini engine, which deletes the azuread group through the
 * stand-in (Graph's DELETE /groups/{id}) unless the group is retained. Who can reset is judged by the readiness
 * rules (`diagnose`) on the emulator's tenant.
 */
import * as pulumi from "@pulumi/pulumi";
import { createEntraClient } from "../../../provider/http/client";
import { SelfServicePasswordReset } from "../../../components/selfServicePasswordReset";
import type { TenantState } from "../../../emulator/server";
import { financeGroupId } from "../../../emulator/people/defaultPeople";
import { pilotGroupReleaseProvider } from "../../../provider/ownership/pilotGroupRelease";
import { destroyState, pluginCallHandler, refreshState, type EngineState } from "../../../engine/engine";
import { echoResource, runUnderMocks } from "../../../engine/mockRun";
import { emulatorResourceDeleter } from "../../../scripts/stack/azureadStandIns";
import { diagnose } from "../../../components/readiness/judgement";
import { readTenantSnapshot } from "../../../provider/reader/readinessSnapshot";
import { rehearse, type RehearseResult } from "../../../scripts/rehearse/rehearse";
import { useEmulator } from "../../support/emulator";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookArgs, runbookLines } from "../../support/runbook";
import { writeStackFile } from "../../support/stackFiles";
import { isWriteRequest } from "../../../emulator/requestLog";

const shared = useRehearsalHost("groups");
const lab = useEmulator();

/** The pilot stack A: scope selected, a group it creates for the two Finance people who have methods registered. */
const pilotGroup = {
  displayName: "SSPR Pilot",
  members: ["a.uwase@munyakazi.org", "p.niyonzima@munyakazi.org"],
};
const stackA = "organization/entra-sspr/a";

/** Before any stack: SSPR for the Finance group (Selected), as a tenant that ran a pilot by hand. */
function seedFinancePilot(): void {
  lab.reseed({
    passwordResetPolicies: {
      ...lab.emulator.state().passwordResetPolicies,
      enablementType: 1,
      passwordResetEnabledGroupIds: [financeGroupId],
    },
  });
}

/** Every user the readiness rules say can reset in the emulator's tenant now. */
async function whoCanReset(): Promise<string[]> {
  const snapshot = await readTenantSnapshot(createEntraClient(lab.target), lab.target.tenantId);
  return snapshot.users
    .map((user) => user.userPrincipalName)
    .filter((upn) => diagnose(snapshot, upn).canReset)
    .sort();
}

async function applied(name: string, sspr: string[], config: string[] = []): Promise<RehearseResult> {
  const result = await rehearse({
    host: shared.host,
    emulatorUrl: lab.emulator.url,
    stackFile: writeStackFile(shared.tmp, name, sspr, config),
  });
  expect(result.errors).toEqual([]);
  return result;
}

/** `pulumi destroy` of a stack's state; returns what the providers logged meanwhile. */
async function destroyed(state: EngineState): Promise<string[]> {
  const from = shared.host.logs().length;
  await destroyState(state, shared.host, { deleteResource: emulatorResourceDeleter(createEntraClient(lab.target)) });
  return shared.host
    .logs()
    .slice(from)
    .map((line) => line.text);
}

const groupNamed = (state: TenantState, displayName: string) =>
  state.groups.find((group) => group.displayName === displayName);

const deletes = (): string[] =>
  lab.emulator
    .requests()
    .filter((request) => request.method === "DELETE" && request.path.includes("/groups/"))
    .map((request) => request.path);

/** A applies its pilot with a created group; returns its state and the group's id. */
async function applyPilotA(): Promise<{ a: RehearseResult; groupId: string }> {
  const a = await applied("a", runbookLines({ scope: "selected", group: pilotGroup }));
  const group = groupNamed(lab.emulator.state(), pilotGroup.displayName);
  expect(group).toBeDefined();
  return { a, groupId: String(group?.id).toLowerCase() };
}

describe("a takeover, then the old stack's destroy: the group belongs to the new owner", () => {
  it.each([
    ["selects A's group", (groupId: string) => ({ scope: "selected", group: { id: groupId } })],
    ["is for all users", () => ({ scope: "all" })],
  ])("B %s: A's destroy leaves the group and says why; nobody who could reset before loses it", async (_, bScope) => {
    seedFinancePilot();
    const seeded = lab.emulator.state();
    const before = await whoCanReset();
    // The two Finance people with methods registered (l.okafor, in Finance too, has none), and the administrators,
    // whom the administrator policy lets reset whatever the scope.
    expect(before).toEqual(expect.arrayContaining(pilotGroup.members));
    expect(before).not.toContain("l.okafor@munyakazi.org");

    const { a, groupId } = await applyPilotA();
    const b = await applied("b", runbookLines(bScope(groupId)), [`entra-sspr:takeOverFrom: ${stackA}`]);
    const afterTakeover = lab.emulator.state();

    // A's refresh already says what its destroy will do with the group.
    const from = shared.host.logs().length;
    await refreshState(a.state, shared.host);
    expect(
      shared.host
        .logs()
        .slice(from)
        .map((line) => line.text),
    ).toContainEqual(
      expect.stringContaining(
        "PilotGroupRelease: the pilot group 'SSPR Pilot' now belongs to stack organization/entra-sspr/b (claimed ",
      ),
    );

    const logsA = await destroyed(a.state);
    // Nothing written to the tenant, the group included; the log names the new owner for the group and each setting.
    expect(deletes()).toEqual([]);
    expect(lab.emulator.state()).toEqual(afterTakeover);
    expect(logsA).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `PilotGroupRelease: the pilot group 'SSPR Pilot' \\(${groupId}\\) now belongs to stack ` +
            "organization/entra-sspr/b \\(claimed [^)]+\\); destroy leaves it in the tenant",
        ),
      ),
    );
    expect(logsA).toContainEqual(
      expect.stringContaining("PasswordResetPolicy: destroy wrote nothing: stack organization/entra-sspr/b (claimed "),
    );
    expect(await whoCanReset()).toEqual(expect.arrayContaining(before));

    // B's destroy gives back what the tenant held before A (the takeover inherits A's before-snapshot, kept in the
    // tenant): the Finance pilot; A's group still exists (B did not create it, so it does not delete it).
    await destroyed(b.state);
    const afterB = lab.emulator.state();
    expect(groupNamed(afterB, "SSPR Pilot")?.id.toLowerCase()).toBe(groupId);
    // (B for all users owns no group field: A's group stays selected, the scope is the seed's.)
    expect(afterB.passwordResetPolicies.enablementType).toBe(seeded.passwordResetPolicies.enablementType);
    expect(afterB.organizationExtensions).toEqual([]);
    expect(deletes()).toEqual([]);
    expect(await whoCanReset()).toEqual(expect.arrayContaining(before));
  });

  it("B destroyed first, then A (its mark gone with B): A puts the tenant back as before A and deletes its group", async () => {
    seedFinancePilot();
    const seeded = lab.emulator.state();
    const before = await whoCanReset();
    const { a, groupId } = await applyPilotA();
    const b = await applied("b", runbookLines({ scope: "all" }), [`entra-sspr:takeOverFrom: ${stackA}`]);
    await destroyed(b.state);

    const logsA = await destroyed(a.state);
    expect(logsA).toContainEqual(expect.stringContaining("the tenant's ownership mark is missing"));
    expect(deletes()).toEqual([`/v1.0/groups/${groupId}`]);
    const after = lab.emulator.state();
    expect(after.passwordResetPolicies).toEqual(seeded.passwordResetPolicies);
    expect(after.groups).toEqual(seeded.groups);
    expect(after.organizationExtensions).toEqual([]);
    expect(await whoCanReset()).toEqual(before);
  });
});

describe("the preview of a takeover", () => {
  it("says that the old owner's pilot group, which the tenant names, now belongs to this stack", async () => {
    const { groupId } = await applyPilotA();
    lab.emulator.clearRequests();
    const info = jest.spyOn(pulumi.log, "info").mockImplementation(() => Promise.resolve());
    // The preview's other words (a lockout guard on the tenant's own SMS setting) are not this test's.
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      const program = () => ({
        people: new SelfServicePasswordReset("sspr", {
          ...runbookArgs,
          endpoints: lab.endpoints,
          takeOverFrom: stackA,
        }).peopleEffects,
      });
      // The preview asks the plugin (the package's functions), as the CLI routes a program's invokes.
      const preview = await runUnderMocks(
        program,
        { newResource: echoResource, call: pluginCallHandler(shared.host) },
        { preview: true, stack: "b" },
      );
      expect(preview.errors).toEqual([]);
      expect(info).toHaveBeenCalledWith(
        `the pilot group 'SSPR Pilot' (${groupId}) that stack ${stackA} created now belongs to this stack: ` +
          `${stackA}'s destroy will leave it, and this stack's destroy does not delete it either (it did not create ` +
          "it); delete it in the Entra admin center once nothing names it.",
        expect.anything(),
      );
    } finally {
      info.mockRestore();
      warn.mockRestore();
    }
    // A preview writes nothing.
    expect(lab.emulator.requests().filter(isWriteRequest)).toEqual([]);
  });
});

describe("one stack, its own group", () => {
  it("destroy deletes the group it created, once the settings no longer name it", async () => {
    const seeded = lab.emulator.state();
    const { a, groupId } = await applyPilotA();
    lab.emulator.clearRequests();
    const logs = await destroyed(a.state);
    expect(deletes()).toEqual([`/v1.0/groups/${groupId}`]);
    // The group goes after the settings are back (they named it) and before the mark.
    const writes = lab.emulator
      .requests()
      .filter(isWriteRequest)
      .map((request) => `${request.method} ${request.path}`);
    const groupDelete = writes.indexOf(`DELETE /v1.0/groups/${groupId}`);
    expect(writes.slice(0, groupDelete)).toEqual(
      expect.arrayContaining(["PUT /api/PasswordReset/PasswordResetPolicies"]),
    );
    // The claim goes last: the mark application's notes are emptied (ownershipMark.ts).
    expect(writes.slice(groupDelete + 1)).toEqual(["PATCH /v1.0/applications(uniqueName='entra-sspr-ownership-mark')"]);
    const after = lab.emulator.state();
    expect(groupNamed(after, "SSPR Pilot")).toBeUndefined();
    expect(after.passwordResetPolicies).toEqual(seeded.passwordResetPolicies);
    expect(logs.filter((line) => line.includes("PilotGroupRelease"))).toEqual([]);
  });

  it("onDestroy retain keeps the group, as the settings that name it are kept", async () => {
    const a = await applied("a", runbookLines({ scope: "selected", group: pilotGroup, onDestroy: "retain" }));
    const during = lab.emulator.state();
    await destroyed(a.state);
    expect(deletes()).toEqual([]);
    const after = lab.emulator.state();
    expect(groupNamed(after, "SSPR Pilot")).toBeDefined();
    expect(after.passwordResetPolicies).toEqual(during.passwordResetPolicies);
  });

  it("a group an administrator still points a method at is left, and the log says which", async () => {
    const { a, groupId } = await applyPilotA();
    // After up, an administrator adds the pilot group to Authenticator (a target destroy does not take back).
    const state = lab.emulator.state();
    lab.emulator.seed({
      ...state,
      authenticationMethodsPolicy: {
        ...state.authenticationMethodsPolicy,
        authenticationMethodConfigurations: state.authenticationMethodsPolicy.authenticationMethodConfigurations.map(
          (configuration) =>
            configuration.id === "MicrosoftAuthenticator"
              ? {
                  ...configuration,
                  excludeTargets: [{ targetType: "group", id: groupId }],
                }
              : configuration,
        ),
      },
    });
    const logs = await destroyed(a.state);
    expect(deletes()).toEqual([]);
    expect(groupNamed(lab.emulator.state(), "SSPR Pilot")).toBeDefined();
    expect(logs).toContainEqual(
      expect.stringContaining(
        `PilotGroupRelease: the pilot group 'SSPR Pilot' (${groupId}) is left in the tenant: the authentication ` +
          "methods policy (MicrosoftAuthenticator) still name it",
      ),
    );
  });
});

describe("PilotGroupRelease inputs", () => {
  it("check names every bad input at once, before any call to the tenant", async () => {
    const { failures } = await pilotGroupReleaseProvider.check(
      {},
      { tenantId: "munyakazi.org", groupId: "SSPR Pilot", displayName: "", onDelete: "reset", members: ["x"] },
    );
    expect(failures.map((entry) => entry.property).sort()).toEqual(["displayName", "groupId", "members", "onDelete"]);
    expect(failures.find((entry) => entry.property === "groupId")?.reason).toBe(
      'groupId is "SSPR Pilot"; allowed: the group\'s object id',
    );
    expect(lab.emulator.requests()).toEqual([]);
  });

  it("a new group id replaces the release (the old group is released as on destroy); a new name only updates", async () => {
    const olds = { tenantId: "munyakazi.org", groupId: financeGroupId, displayName: "SSPR Pilot" };
    const renamed = await pilotGroupReleaseProvider.diff("id", olds, { ...olds, displayName: "SSPR Wave 2" });
    expect(renamed).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const moved = await pilotGroupReleaseProvider.diff("id", olds, {
      ...olds,
      groupId: "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04",
    });
    expect(moved.replaces).toEqual(["groupId"]);
  });
});
