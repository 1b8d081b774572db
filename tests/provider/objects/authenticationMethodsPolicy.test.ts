import {
  authenticationMethodsPolicyProvider,
  guardMigration,
  methodsPolicyDesired,
  methodsPolicyFields,
  methodsPolicyOwned,
  methodsPolicyPath,
  methodsPolicyRestorable,
  methodsPolicyToGraph,
  validateAuthenticationMethodsPolicy,
} from "../../../provider/objects/authenticationMethodsPolicy";
import type { AuthenticationMethodsPolicySettings } from "../../../provider/objects/objectSettings";
import { useEmulator } from "../../support/emulator";
import { loadFixture } from "../../support/fixtures";

const policyFixture = loadFixture("graph-authentication-methods-policy.get.json");
const campaignPatch = loadFixture("graph-authentication-methods-policy.patch-registration-campaign.json");
const campaign = (campaignPatch.registrationEnforcement as Record<string, unknown>)
  .authenticationMethodsRegistrationCampaign as NonNullable<
  AuthenticationMethodsPolicySettings["registrationCampaign"]
>;

const pilot = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";

describe("validateAuthenticationMethodsPolicy", () => {
  it("accepts the documented PATCH sample and valid beta settings", () => {
    expect(
      validateAuthenticationMethodsPolicy({
        registrationCampaign: campaign,
        reportSuspiciousActivity: {
          state: "enabled",
          includeTarget: { targetType: "group", id: "all_users" },
          voiceReportingCode: 0,
        },
        systemCredentialPreferences: {
          state: "enabled",
          includeTargets: [{ targetType: "group", id: "all_users" }],
          excludeTargets: [],
        },
        migrationState: "migrationComplete",
      }),
    ).toEqual([]);
  });

  it("lists every failure at once, each naming the property, the value and what is allowed", () => {
    expect(
      validateAuthenticationMethodsPolicy({
        registrationCampaign: {
          state: "on",
          snoozeDurationInDays: 15,
          includeTargets: [{ targetType: "group", id: "all_users", targetedAuthenticationMethod: "sms" }],
          excludeTargets: [{ targetType: "group", id: "nobody" }],
        },
        reportSuspiciousActivity: { state: "enabled", includeTarget: { targetType: "group", id: pilot } },
        systemCredentialPreferences: "on",
        migrationState: "done",
      }),
    ).toEqual([
      {
        property: "registrationCampaign.state",
        reason: 'registrationCampaign.state is "on"; allowed: "default", "enabled", "disabled"',
      },
      {
        property: "registrationCampaign.snoozeDurationInDays",
        reason: "registrationCampaign.snoozeDurationInDays is 15; allowed: an integer from 0 to 14 (days)",
      },
      {
        property: "registrationCampaign.includeTargets[0].targetedAuthenticationMethod",
        reason:
          'registrationCampaign.includeTargets[0].targetedAuthenticationMethod is "sms"; allowed: "microsoftAuthenticator"',
      },
      {
        property: "registrationCampaign.excludeTargets[0].id",
        reason: 'registrationCampaign.excludeTargets[0].id is "nobody"; allowed: an object id (GUID)',
      },
      {
        property: "systemCredentialPreferences",
        reason: 'systemCredentialPreferences is "on"; allowed: an object with state, includeTargets, excludeTargets',
      },
      {
        property: "migrationState",
        reason: 'migrationState is "done"; allowed: "preMigration", "migrationInProgress", "migrationComplete"',
      },
    ]);
  });
});

describe("mapping and the migration rule", () => {
  const settings: AuthenticationMethodsPolicySettings = {
    registrationCampaign: campaign,
    migrationState: "migrationComplete",
  };

  it("owns registrationEnforcement and policyMigrationState; beta fields are read and written on /beta", () => {
    expect(methodsPolicyFields(settings)).toEqual(["registrationEnforcement", "policyMigrationState"]);
    expect(methodsPolicyPath(methodsPolicyFields(settings))).toBe("/v1.0/policies/authenticationMethodsPolicy");
    expect(methodsPolicyPath(["registrationEnforcement", "systemCredentialPreferences"])).toBe(
      "/beta/policies/authenticationMethodsPolicy",
    );
  });

  it("reads the documented GET sample, counting a missing migration state as complete", () => {
    expect(methodsPolicyOwned(policyFixture, settings)).toEqual({
      registrationCampaign: {
        state: "default",
        snoozeDurationInDays: 1,
        includeTargets: [
          { id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
        ],
        excludeTargets: [],
      },
      migrationState: "migrationComplete",
    });
  });

  it("writes the whole campaign when it changes and nothing for a null state asked to be complete", () => {
    const current = methodsPolicyOwned(policyFixture, settings);
    const raw = methodsPolicyToGraph(methodsPolicyDesired(settings), policyFixture, settings);
    expect(raw).toEqual({ registrationEnforcement: campaignPatch.registrationEnforcement, policyMigrationState: null });
    expect(methodsPolicyToGraph(current, policyFixture, settings).registrationEnforcement).toBe(
      policyFixture.registrationEnforcement,
    );
  });

  it("treats target order and id casing as equal", () => {
    const tenant = {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          ...campaign,
          includeTargets: [{ ...campaign.includeTargets?.[0], id: pilot.toUpperCase() }],
        },
      },
    };
    expect(methodsPolicyOwned(tenant, settings).registrationCampaign).toEqual(
      methodsPolicyDesired(settings).registrationCampaign,
    );
  });

  it("only moves the migration state forward, null counting as complete", () => {
    expect(() =>
      guardMigration({ migrationState: "preMigration" }, { migrationState: "migrationInProgress" }),
    ).not.toThrow();
    expect(() =>
      guardMigration({ migrationState: "migrationComplete" }, { migrationState: "migrationInProgress" }),
    ).toThrow(
      'AuthenticationMethodsPolicy: migrationState cannot move from "migrationComplete" to "migrationInProgress"',
    );
    expect(() =>
      guardMigration({ migrationState: "unknownFutureValue" }, { migrationState: "migrationComplete" }),
    ).toThrow(/cannot move from "unknownFutureValue"/);
  });

  it("restore never moves the migration state back and never writes an absent property", () => {
    expect(
      methodsPolicyRestorable(
        { policyMigrationState: "preMigration", registrationEnforcement: { a: 1 } },
        { policyMigrationState: "migrationInProgress" },
      ),
    ).toEqual({ registrationEnforcement: { a: 1 } });
    expect(methodsPolicyRestorable({ policyMigrationState: null, reportSuspiciousActivitySettings: null }, {})).toEqual(
      {},
    );
  });
});

describe("the AuthenticationMethodsPolicy provider against the emulator", () => {
  const lab = useEmulator();
  const beta = {
    reportSuspiciousActivitySettings: {
      state: "default",
      includeTarget: { targetType: "group", id: "all_users" },
      voiceReportingCode: 0,
    },
    systemCredentialPreferences: {
      state: "default",
      includeTargets: [{ targetType: "group", id: "all_users" }],
      excludeTargets: [],
    },
  };

  beforeEach(() => {
    lab.reseed({
      authenticationMethodsPolicy: {
        ...lab.seeded.authenticationMethodsPolicy,
        ...beta,
        policyMigrationState: "preMigration",
      },
    });
  });

  const inputs = (settings: AuthenticationMethodsPolicySettings) => ({
    ...lab.target,
    onDelete: "restore",
    ...settings,
  });

  it("manages the beta settings through /beta and restores them", async () => {
    const { outs } = await authenticationMethodsPolicyProvider.create(
      inputs({
        reportSuspiciousActivity: {
          state: "enabled",
          includeTarget: { targetType: "group", id: "all_users" },
          voiceReportingCode: 8,
        },
        systemCredentialPreferences: {
          state: "enabled",
          includeTargets: [{ targetType: "group", id: "all_users" }],
          excludeTargets: [],
        },
      }),
    );
    expect(lab.emulator.requests().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "GET /beta/policies/authenticationMethodsPolicy",
      "PATCH /beta/policies/authenticationMethodsPolicy",
      "GET /beta/policies/authenticationMethodsPolicy",
    ]);
    expect(lab.emulator.state().authenticationMethodsPolicy).toMatchObject({
      reportSuspiciousActivitySettings: { state: "enabled", voiceReportingCode: 8 },
      systemCredentialPreferences: { state: "enabled" },
    });
    await authenticationMethodsPolicyProvider.delete("id", outs);
    const restored = lab.emulator.state();
    delete restored.authenticationMethodsPolicy.lastModifiedDateTime;
    delete lab.seeded.authenticationMethodsPolicy.lastModifiedDateTime;
    expect(restored).toStrictEqual(lab.seeded);
  });

  it("moves the migration forward and leaves it there on destroy", async () => {
    const { outs } = await authenticationMethodsPolicyProvider.create(
      inputs({ migrationState: "migrationInProgress" }),
    );
    expect(outs.snapshot).toEqual({ policyMigrationState: "preMigration" });
    expect(lab.emulator.state().authenticationMethodsPolicy.policyMigrationState).toBe("migrationInProgress");
    lab.emulator.clearRequests();
    await authenticationMethodsPolicyProvider.delete("id", outs);
    expect(lab.emulator.requests().map((entry) => entry.method)).toEqual(["GET"]);
    expect(lab.emulator.state().authenticationMethodsPolicy.policyMigrationState).toBe("migrationInProgress");
  });
});

describe("owning only the members the stack names", () => {
  const tenant = {
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        state: "default",
        snoozeDurationInDays: 1,
        includeTargets: [
          { id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
        ],
        excludeTargets: [{ id: "5d3c2b1a-0f9e-4d8c-b7a6-958473625140", targetType: "group" }],
      },
    },
    reportSuspiciousActivitySettings: {
      state: "default",
      includeTarget: { targetType: "group", id: "all_users" },
      voiceReportingCode: 0,
    },
  };

  it("compares and writes only the given members; the tenant's others stay as they are", () => {
    const inputs: AuthenticationMethodsPolicySettings = {
      registrationCampaign: { state: "enabled", snoozeDurationInDays: 3 },
      reportSuspiciousActivity: { state: "enabled" },
    };
    expect(validateAuthenticationMethodsPolicy({ ...inputs })).toEqual([]);
    expect(methodsPolicyOwned(tenant, inputs)).toEqual({
      registrationCampaign: { state: "default", snoozeDurationInDays: 1 },
      reportSuspiciousActivity: { state: "default" },
    });
    const raw = methodsPolicyToGraph(methodsPolicyDesired(inputs), tenant, inputs);
    expect(raw.registrationEnforcement).toEqual({
      authenticationMethodsRegistrationCampaign: {
        ...tenant.registrationEnforcement.authenticationMethodsRegistrationCampaign,
        state: "enabled",
        snoozeDurationInDays: 3,
      },
    });
    expect(raw.reportSuspiciousActivitySettings).toEqual({
      ...tenant.reportSuspiciousActivitySettings,
      state: "enabled",
    });
  });
});
