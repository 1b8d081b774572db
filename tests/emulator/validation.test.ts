import { createDefaultTenant, defaultMethodConfiguration } from "../../emulator/defaultTenant";
import type { JsonObject } from "../../emulator/types";
import {
  checkAuthorizationPolicyPatch,
  checkMethodConfiguration,
  checkMethodConfigurationPatch,
  checkMethodsPolicyPatch,
  checkNewGroup,
  checkOnPremisesPasswordResetPolicies,
  checkPasswordResetPolicies,
  nextMigrationState,
} from "../../emulator/validation";
import { portalFixture } from "./helpers";

const method = (id: string): JsonObject => {
  const configuration = defaultMethodConfiguration(id);
  if (configuration === undefined) throw new Error(`no default for ${id}`);
  return configuration;
};

describe("checkMethodConfigurationPatch", () => {
  const emailType = "#microsoft.graph.emailAuthenticationMethodConfiguration";

  it("accepts the documented Email PATCH and returns the patch without annotations", () => {
    const result = checkMethodConfigurationPatch(method("Email"), {
      "@odata.type": emailType,
      "@odata.context": "ignored",
      allowExternalIdToUseEmailOtp: "enabled",
    });
    expect(result).toEqual({ problems: [], patch: { allowExternalIdToUseEmailOtp: "enabled" } });
  });

  it("requires the method's own @odata.type", () => {
    expect(checkMethodConfigurationPatch(method("Email"), { state: "enabled" }).problems).toEqual([
      `@odata.type is missing; it must be "${emailType}"`,
    ]);
    const wrong = checkMethodConfigurationPatch(method("Email"), {
      "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
    });
    expect(wrong.problems).toHaveLength(1);
    expect(wrong.problems[0]).toContain("it must be");
  });

  it("accepts the type without '#' and in another case", () => {
    expect(
      checkMethodConfigurationPatch(method("Sms"), {
        "@odata.type": "microsoft.graph.SmsAuthenticationMethodConfiguration",
      }).problems,
    ).toEqual([]);
  });

  it("reports every problem at once, naming setting, value and what is allowed", () => {
    const { problems } = checkMethodConfigurationPatch(method("TemporaryAccessPass"), {
      "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
      state: "on",
      defaultLength: 49,
      maximumLifetimeInMinutes: 9,
      isUsableOnce: "yes",
      colour: "blue",
    });
    expect(problems).toEqual([
      'state is "on"; allowed: "enabled", "disabled"',
      "defaultLength is 49; allowed: an integer 8-48",
      "maximumLifetimeInMinutes is 9; allowed: an integer 10-43200",
      'isUsableOnce is "yes"; allowed: true or false',
      expect.stringContaining("The property 'colour' does not exist on type"),
    ]);
  });

  it("checks targets: arrays of objects with targetType and id, and the method's own members", () => {
    const { problems } = checkMethodConfigurationPatch(method("Sms"), {
      "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
      includeTargets: [{ targetType: "group" }, { targetType: "team", id: "x", isUsableForSignIn: "no" }, "all_users"],
      excludeTargets: { id: "g" },
    });
    expect(problems).toEqual([
      "includeTargets[0].id is missing; it is required",
      'includeTargets[1].targetType is "team"; allowed: "group", "user"',
      'includeTargets[1].isUsableForSignIn is "no"; allowed: true or false',
      'includeTargets[2] is "all_users"; allowed: an object',
      'excludeTargets is {"id":"g"}; allowed: an array',
    ]);
  });

  it("accepts Authenticator targets in the older schema of the docs sample", () => {
    const target = {
      targetType: "group",
      id: "all_users",
      isRegistrationRequired: false,
      authenticationMode: "any",
      outlookMobileAllowedState: "default",
      displayAppInformationRequiredState: "default",
      numberMatchingRequiredState: "default",
    };
    const result = checkMethodConfigurationPatch(method("MicrosoftAuthenticator"), {
      "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
      includeTargets: [target],
    });
    expect(result.problems).toEqual([]);
  });

  it("treats id as read-only: the same id (any case) passes, another fails", () => {
    const type = { "@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration" };
    expect(checkMethodConfigurationPatch(method("Voice"), { ...type, id: "voice" }).problems).toEqual([]);
    expect(checkMethodConfigurationPatch(method("Voice"), { ...type, id: "Sms" }).problems).toEqual([
      'id is "Sms"; it is read-only and must be "Voice" if given',
    ]);
  });

  it("rejects a body that is not an object", () => {
    expect(checkMethodConfigurationPatch(method("Email"), [1]).problems).toEqual([
      "the body is [1]; allowed: a JSON object",
    ]);
  });
});

describe("checkMethodConfiguration (cross-property rules)", () => {
  it("requires minimum <= default <= maximum lifetime for a Temporary Access Pass", () => {
    const tap = method("TemporaryAccessPass");
    expect(checkMethodConfiguration(tap)).toEqual([]);
    expect(checkMethodConfiguration({ ...tap, defaultLifetimeInMinutes: 500 })).toEqual([
      "defaultLifetimeInMinutes is 500; allowed: between minimumLifetimeInMinutes (60) and maximumLifetimeInMinutes (480)",
    ]);
    expect(checkMethodConfiguration({ ...tap, minimumLifetimeInMinutes: 600 })).toHaveLength(2);
  });
});

describe("nextMigrationState", () => {
  it("moves forward", () => {
    expect(nextMigrationState("preMigration", "migrationInProgress")).toEqual({ state: "migrationInProgress" });
    expect(nextMigrationState("migrationInProgress", "migrationComplete")).toEqual({ state: "migrationComplete" });
    expect(nextMigrationState("preMigration", "preMigration")).toEqual({ state: "preMigration" });
  });

  it("never moves back", () => {
    expect(nextMigrationState("migrationInProgress", "preMigration")).toEqual({
      problem: expect.stringContaining("only moves forward"),
    });
    expect(nextMigrationState("migrationComplete", "migrationInProgress")).toEqual({
      problem: expect.stringContaining("only moves forward"),
    });
  });

  it("treats null (a new tenant) as complete and keeps it null", () => {
    expect(nextMigrationState(null, "migrationComplete")).toEqual({ state: null });
    expect(nextMigrationState(null, null)).toEqual({ state: null });
    expect(nextMigrationState(null, "preMigration")).toEqual({
      problem: expect.stringContaining("treated as migrationComplete"),
    });
  });

  it("rejects values outside the enum", () => {
    expect(nextMigrationState("preMigration", "unknownFutureValue")).toEqual({
      problem:
        'policyMigrationState is "unknownFutureValue"; allowed: "preMigration", "migrationInProgress", "migrationComplete"',
    });
    expect(nextMigrationState("preMigration", null)).toEqual({
      problem: expect.stringContaining("policyMigrationState is null"),
    });
  });
});

describe("checkMethodsPolicyPatch", () => {
  const policy = createDefaultTenant().authenticationMethodsPolicy;

  it("checks the registration campaign", () => {
    const { problems } = checkMethodsPolicyPatch(
      policy,
      {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: {
            snoozeDurationInDays: 15,
            state: "on",
            includeTargets: [{ id: "g", targetType: "group", targetedAuthenticationMethod: "sms" }],
            surprise: true,
          },
        },
      },
      "v1.0",
    );
    expect(problems).toEqual([
      "registrationEnforcement.authenticationMethodsRegistrationCampaign.snoozeDurationInDays is 15; allowed: an integer 0-14",
      'registrationEnforcement.authenticationMethodsRegistrationCampaign.state is "on"; allowed: "default", "enabled", "disabled"',
      'registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets[0].targetedAuthenticationMethod is "sms"; allowed: "microsoftAuthenticator", "fido2", "Fido2"',
      expect.stringContaining(
        "registrationEnforcement.authenticationMethodsRegistrationCampaign.surprise is not a known property",
      ),
    ]);
  });

  it("accepts a campaign targeting passkeys, spelt as Learn (fido2) or the Graph resource page (Fido2) spell it", () => {
    for (const method of ["fido2", "Fido2", "microsoftAuthenticator"])
      expect(
        checkMethodsPolicyPatch(
          policy,
          {
            registrationEnforcement: {
              authenticationMethodsRegistrationCampaign: {
                state: "default",
                includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: method }],
              },
            },
          },
          "v1.0",
        ).problems,
      ).toEqual([]);
  });

  it("accepts read-only properties only with their current value", () => {
    expect(
      checkMethodsPolicyPatch(policy, { id: "authenticationMethodsPolicy", policyVersion: "1.4" }, "v1.0").problems,
    ).toEqual([]);
    expect(checkMethodsPolicyPatch(policy, { policyVersion: "2.0" }, "v1.0").problems).toEqual([
      'policyVersion is "2.0"; it is read-only (the tenant has "1.4")',
    ]);
  });

  it("accepts beta-only properties on beta only", () => {
    const body = {
      reportSuspiciousActivitySettings: {
        state: "enabled",
        includeTarget: { targetType: "group", id: "all_users" },
        voiceReportingCode: 0,
      },
    };
    expect(checkMethodsPolicyPatch(policy, body, "beta").problems).toEqual([]);
    expect(checkMethodsPolicyPatch(policy, body, "v1.0").problems).toEqual([
      "The property 'reportSuspiciousActivitySettings' does not exist on type 'microsoft.graph.authenticationMethodsPolicy' in v1.0 (it is beta only).",
    ]);
  });
});

describe("checkAuthorizationPolicyPatch", () => {
  const current = createDefaultTenant().authorizationPolicy;

  it("accepts allowedToUseSSPR as a boolean", () => {
    expect(checkAuthorizationPolicyPatch(current, { allowedToUseSSPR: false })).toEqual({
      problems: [],
      patch: { allowedToUseSSPR: false },
    });
  });

  it("rejects wrong types, unknown properties and a changed id", () => {
    expect(
      checkAuthorizationPolicyPatch(current, { allowedToUseSSPR: "false", ssprForUsers: true, id: "other" }).problems,
    ).toEqual([
      'allowedToUseSSPR is "false"; allowed: true or false',
      "The property 'ssprForUsers' does not exist on type 'microsoft.graph.authorizationPolicy'.",
      'id is "other"; it is read-only (the tenant has "authorizationPolicy")',
    ]);
  });
});

describe("checkNewGroup", () => {
  it("requires the four properties Graph requires", () => {
    const problems: string[] = [];
    checkNewGroup({ displayName: "Pilot", mailEnabled: "no" }, "group", problems);
    expect(problems).toEqual([
      "group.mailNickname is missing; it is required",
      "group.securityEnabled is missing; it is required",
      'group.mailEnabled is "no"; allowed: true or false',
    ]);
  });
});

describe("checkPasswordResetPolicies", () => {
  it("accepts the real portal response as it is", () => {
    expect(checkPasswordResetPolicies(portalFixture())).toEqual([]);
  });

  it("accepts a body missing fields (stored as given)", () => {
    expect(checkPasswordResetPolicies({ enablementType: 2 })).toEqual([]);
  });

  it("enforces the admin center's ranges, all problems at once", () => {
    expect(
      checkPasswordResetPolicies({
        enablementType: 3,
        numberOfAuthenticationMethodsRequired: 0,
        registrationReconfirmIntevalInDays: 731,
        numberOfQuestionsToRegister: 6,
        numberOfQuestionsToReset: 2,
        notifyUsersOnPasswordReset: "yes",
      }),
    ).toEqual([
      "enablementType is 3; allowed: an integer 0-2",
      "numberOfAuthenticationMethodsRequired is 0; allowed: an integer 1-2",
      "registrationReconfirmIntevalInDays is 731; allowed: an integer 0-730",
      "numberOfQuestionsToRegister is 6; allowed: an integer 3-5",
      "numberOfQuestionsToReset is 2; allowed: an integer 3-5",
      'notifyUsersOnPasswordReset is "yes"; allowed: true or false',
    ]);
  });

  it("needs register >= reset", () => {
    expect(checkPasswordResetPolicies({ numberOfQuestionsToRegister: 3, numberOfQuestionsToReset: 4 })).toEqual([
      "numberOfQuestionsToRegister is 3 and numberOfQuestionsToReset is 4; allowed: register >= reset",
    ]);
  });

  it("needs exactly one group for Selected", () => {
    expect(checkPasswordResetPolicies({ enablementType: 1, passwordResetEnabledGroupIds: ["a"] })).toEqual([]);
    for (const ids of [[], ["a", "b"], undefined])
      // Through JSON, as a request body arrives: an undefined member disappears.
      expect(
        checkPasswordResetPolicies(
          JSON.parse(JSON.stringify({ enablementType: 1, passwordResetEnabledGroupIds: ids })),
        ),
      ).toEqual([expect.stringContaining("enablementType 1 (Selected) needs exactly one group id")]);
  });

  it("needs a helpdesk address when the custom link is on", () => {
    expect(checkPasswordResetPolicies({ customizeHelpdeskLink: true, customHelpdeskEmailOrUrl: "" })).toHaveLength(1);
    expect(
      checkPasswordResetPolicies({ customizeHelpdeskLink: true, customHelpdeskEmailOrUrl: "https://help.example" }),
    ).toEqual([]);
  });
});

describe("checkOnPremisesPasswordResetPolicies", () => {
  it("checks the known booleans and passes other fields", () => {
    expect(checkOnPremisesPasswordResetPolicies({ accountUnlockEnabled: true, other: 1 })).toEqual([]);
    expect(checkOnPremisesPasswordResetPolicies({ passwordWritebackSupported: 1 })).toEqual([
      "passwordWritebackSupported is 1; allowed: true or false",
    ]);
  });
});
