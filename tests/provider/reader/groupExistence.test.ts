/**
 * Existence before any write: through the provider plugin against the emulator, a write that brings a
 * group into a policy reads it first and writes nothing when it is missing or not a security group; a group the
 * tenant already references is never read, so destroy is not blocked by a group deleted since.
 */
import {
  AuthenticationMethodConfiguration,
  AuthenticationMethodsPolicy,
  PasswordResetPolicy,
} from "../../../components/resources";
import { groupsIntroduced, referencedGroupIds } from "../../../provider/reader/groupExistence";
import { collectRegistrations, type Registration } from "../../../engine/mockRun";
import { ProviderHostError } from "../../../engine/providerHost";
import { useProviderHost } from "../../support/rehearsalHost";
import { useEmulator } from "../../support/emulator";
import { groupsWith, securityGroup } from "../../support/groups";

const pilot = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";
const missing = "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a";
const microsoft365 = "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e";

const lab = useEmulator({
  seed: {
    groups: [
      ...groupsWith(pilot),
      { ...securityGroup(microsoft365, "All staff"), securityEnabled: false, groupTypes: ["Unified"] },
    ],
  },
});
const hosted = useProviderHost();

async function register(program: () => unknown): Promise<Registration> {
  const registrations = await collectRegistrations(program);
  expect(registrations).toHaveLength(1);
  return registrations[0];
}

async function createFailure(registration: Registration): Promise<ProviderHostError> {
  const checked = await hosted.host.check(registration.urn, {}, registration.inputs);
  expect(checked.failures).toEqual([]);
  try {
    await hosted.host.create(registration.urn, checked.inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderHostError);
    return error as ProviderHostError;
  }
  throw new Error("expected the create to fail");
}

const lines = (): string[] => lab.emulator.requests().map((entry) => `${entry.method} ${entry.path}`);
const writes = (): string[] => lines().filter((line) => !line.startsWith("GET "));

describe("which groups a write introduces", () => {
  it("finds group targets, groupId and the portal's group list; never all_users or the zero GUID", () => {
    expect(
      referencedGroupIds({
        includeTargets: [
          { targetType: "group", id: "all_users" },
          { targetType: "group", id: pilot.toUpperCase() },
        ],
        featureSettings: { x: { includeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" } } },
        groupId: missing,
        passwordResetEnabledGroupIds: [microsoft365],
      }).sort(),
    ).toEqual([pilot, missing, microsoft365].sort());
  });

  it("only groups in the inputs and in the written fields that the tenant does not reference yet", () => {
    const inputs = { includeTargets: [{ targetType: "group", id: pilot }] };
    const already = { includeTargets: [{ targetType: "group", id: pilot }] };
    const changed = { includeTargets: [{ targetType: "group", id: pilot }], state: "enabled" };
    expect(groupsIntroduced(inputs, {}, changed)).toEqual([pilot]);
    expect(groupsIntroduced(inputs, already, changed)).toEqual([]);
    // A restore writes the snapshot's groups back: they are not the inputs', so they are never looked up.
    expect(groupsIntroduced(inputs, {}, { includeTargets: [{ targetType: "group", id: missing }] })).toEqual([]);
  });
});

describe("PasswordResetPolicy: the one group allowed to reset must exist", () => {
  const settings = {
    enablement: "selected" as const,
    methodsRequired: 1 as const,
    registration: { requireOnSignIn: true, reconfirmDays: 180 },
    notifications: { users: true, admins: true },
  };

  it("a group id that does not exist: refused before the PUT, naming the id, the 404 and the permission", async () => {
    const registration = await register(
      () => new PasswordResetPolicy("sspr", { ...lab.target, ...settings, groupId: missing }),
    );
    lab.emulator.clearRequests();
    const error = await createFailure(registration);
    expect(error.details).toContain(
      `PasswordResetPolicy: nothing was written, because group ${missing} does not exist in the tenant (Graph answered 404)`,
    );
    expect(error.details).toContain("reading a group needs GroupMember.Read.All (or Group.Read.All)");
    expect(lines().slice(0, 2)).toEqual([
      "GET /api/PasswordReset/PasswordResetPolicies",
      `GET /v1.0/groups/${missing}`,
    ]);
    expect(writes()).toEqual([]);
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });

  it("a Microsoft 365 group (not a security group) is refused the same way", async () => {
    const registration = await register(
      () => new PasswordResetPolicy("sspr", { ...lab.target, ...settings, groupId: microsoft365 }),
    );
    const error = await createFailure(registration);
    expect(error.details).toContain(
      `group ${microsoft365} "All staff" is not a security group (securityEnabled is false)`,
    );
    expect(writes()).toEqual([]);
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });

  it("an existing security group is read once, then written; destroy later needs no group read", async () => {
    const registration = await register(
      () => new PasswordResetPolicy("sspr", { ...lab.target, ...settings, groupId: pilot }),
    );
    const checked = await hosted.host.check(registration.urn, {}, registration.inputs);
    lab.emulator.clearRequests();
    const created = await hosted.host.create(registration.urn, checked.inputs);
    expect(lines()).toEqual([
      "GET /api/PasswordReset/PasswordResetPolicies",
      `GET /v1.0/groups/${pilot}`,
      "PUT /api/PasswordReset/PasswordResetPolicies",
      "GET /api/PasswordReset/PasswordResetPolicies",
    ]);
    // Someone deletes the pilot group; destroy still puts the tenant back.
    const next = lab.emulator.state();
    next.groups = next.groups.filter((group) => group.id !== pilot);
    lab.emulator.seed(next);
    lab.emulator.clearRequests();
    await hosted.host.delete(registration.urn, created.id, created.properties);
    expect(lines().some((line) => line.includes("/groups/"))).toBe(false);
    expect(lab.emulator.state().passwordResetPolicies).toEqual(lab.seeded.passwordResetPolicies);
  });
});

describe("AuthenticationMethodConfiguration: include and exclude targets must exist", () => {
  it("every missing or non-security group is named in one error and nothing is patched", async () => {
    const registration = await register(
      () =>
        new AuthenticationMethodConfiguration("email", {
          ...lab.target,
          methodId: "Email",
          state: "enabled",
          includeTargets: [
            { targetType: "group", id: pilot },
            { targetType: "group", id: missing },
          ],
          excludeTargets: [{ targetType: "group", id: microsoft365 }],
        }),
    );
    lab.emulator.clearRequests();
    const error = await createFailure(registration);
    expect(error.details).toContain(`group ${missing} does not exist in the tenant`);
    expect(error.details).toContain(`group ${microsoft365} "All staff" is not a security group`);
    expect(writes()).toEqual([]);
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });
});

describe("AuthenticationMethodsPolicy: the registration campaign's groups must exist", () => {
  it("a campaign aimed at a missing group writes nothing", async () => {
    const registration = await register(
      () =>
        new AuthenticationMethodsPolicy("methods", {
          ...lab.target,
          registrationCampaign: {
            state: "enabled",
            snoozeDurationInDays: 1,
            includeTargets: [
              { targetType: "group", id: missing, targetedAuthenticationMethod: "microsoftAuthenticator" },
            ],
            excludeTargets: [],
          },
        }),
    );
    lab.emulator.clearRequests();
    const error = await createFailure(registration);
    expect(error.details).toContain(
      `AuthenticationMethodsPolicy: nothing was written, because group ${missing} does not exist in the tenant`,
    );
    expect(writes()).toEqual([]);
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });
});
