import { createDefaultTenant, defaultMethodConfigurations, methodODataTypes } from "../../emulator/defaultTenant";
import { applySeed, checkSeed } from "../../emulator/state";
import type { TenantSeed } from "../../emulator/types";
import { methodsPolicyFixture, portalFixture } from "./helpers";

describe("the default tenant", () => {
  const tenant = createDefaultTenant();

  it("is a new tenant: migration state null, SSPR off for users, on for admins", () => {
    expect(tenant.authenticationMethodsPolicy.policyMigrationState).toBeNull();
    expect(tenant.passwordResetPolicies.enablementType).toBe(0);
    expect(tenant.authorizationPolicy).toMatchObject({ id: "authorizationPolicy", allowedToUseSSPR: true });
  });

  it("has every method the emulator knows, each equal to its default configuration", () => {
    const configurations = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations;
    expect(configurations.map((c) => c.id).sort()).toEqual(Object.keys(methodODataTypes).sort());
    for (const configuration of configurations) {
      expect(configuration).toEqual(defaultMethodConfigurations[String(configuration.id)]);
      expect(configuration["@odata.type"]).toBe(methodODataTypes[String(configuration.id)]);
    }
  });

  it("shapes the portal object exactly like the real response (same fields, same order)", () => {
    expect(Object.keys(tenant.passwordResetPolicies)).toEqual(Object.keys(portalFixture()));
  });

  it("has MOS's 23 staff, the project's sample user among them, each with their registered methods", () => {
    expect(tenant.users).toHaveLength(23);
    expect(tenant.users.map((u) => u.userPrincipalName)).toContain("c.vogel@munyakazi.org");
    expect(Object.keys(tenant.authenticationMethods).sort()).toEqual(tenant.users.map((u) => u.id).sort());
    // The registration report is derived from them (emulator/people/registrationReport.ts): no rows laid over it.
    expect(tenant.userRegistrationDetails).toEqual([]);
  });

  it("is a fresh copy each time", () => {
    const first = createDefaultTenant();
    first.authenticationMethodsPolicy.authenticationMethodConfigurations[0].state = "changed";
    expect(createDefaultTenant().authenticationMethodsPolicy.authenticationMethodConfigurations[0].state).not.toBe(
      "changed",
    );
  });
});

describe("checkSeed", () => {
  it("accepts the fixtures as seed sections", () => {
    expect(
      checkSeed({ authenticationMethodsPolicy: methodsPolicyFixture(), passwordResetPolicies: portalFixture() }),
    ).toEqual([]);
  });

  it("names unknown sections and malformed ones", () => {
    expect(checkSeed({ passwordResetPolicy: {}, users: [{ id: "1" }], groups: {} })).toEqual([
      expect.stringContaining("seed.passwordResetPolicy is not a known property"),
      "seed.users[0].userPrincipalName is missing; it is required",
      "seed.users[0].displayName is missing; it is required",
      "seed.groups is {}; allowed: an array",
    ]);
    expect(checkSeed([])).toEqual(["seed is []; allowed: an object"]);
  });

  it("takes a $comment of words for the file's reader (as npm run snapshot writes), and nothing else there", () => {
    expect(checkSeed({ $comment: ["A copy of tenant contoso.example"], users: [] })).toEqual([]);
    expect(checkSeed({ $comment: "one line" })).toEqual([]);
    expect(checkSeed({ $comment: { users: [] } })).toEqual([
      'seed.$comment is {"users":[]}; allowed: a string or a list of strings',
    ]);
    expect(applySeed(createDefaultTenant(), { $comment: "words" })).toEqual(createDefaultTenant());
  });

  it("checks the people sections too, all problems at once", () => {
    expect(
      checkSeed({
        authenticationMethods: { u1: [{ id: "x" }] },
        securityQuestionsRegistered: { u1: -1 },
        directoryRoles: [{ id: "r" }],
        directoryRoleMembers: { r: [""] },
        subscribedSkus: [{}],
        organization: [],
      }),
    ).toEqual([
      "seed.authenticationMethods.u1[0].@odata.type is missing; it is required",
      "seed.securityQuestionsRegistered.u1 is -1; allowed: a whole number of questions, 0 or more",
      "seed.directoryRoles[0].displayName is missing; it is required",
      expect.stringContaining("seed.directoryRoleMembers.r[0]"),
      "seed.subscribedSkus[0].skuPartNumber is missing; it is required",
      "seed.organization is []; allowed: an object",
    ]);
  });
});

describe("applySeed", () => {
  it("replaces the given sections and keeps the others", () => {
    const baseline = createDefaultTenant();
    const seeded = applySeed(baseline, { passwordResetPolicies: portalFixture() });
    expect(seeded.passwordResetPolicies).toEqual(portalFixture());
    expect(seeded.authorizationPolicy).toEqual(baseline.authorizationPolicy);
  });

  it("keeps default configurations of methods a seeded policy leaves out, and drops @odata.context", () => {
    const fixture = methodsPolicyFixture();
    const seeded = applySeed(createDefaultTenant(), { authenticationMethodsPolicy: fixture } as TenantSeed);
    const ids = seeded.authenticationMethodsPolicy.authenticationMethodConfigurations.map((c) => c.id);
    expect(ids).toEqual([
      "Fido2",
      "MicrosoftAuthenticator",
      "Sms",
      "TemporaryAccessPass",
      "Email",
      "Voice",
      "SoftwareOath",
      "X509Certificate",
    ]);
    expect(seeded.authenticationMethodsPolicy).not.toHaveProperty("@odata.context");
    expect(seeded.authenticationMethodsPolicy.authenticationMethodConfigurations.slice(0, 5)).toEqual(
      fixture.authenticationMethodConfigurations,
    );
  });

  it("drops memberships of groups that a seed removes", () => {
    const baseline = createDefaultTenant();
    const seeded = applySeed(baseline, { groups: [{ id: "g1", displayName: "Only" }] });
    expect(seeded.groupMembers).toEqual({});
  });

  it("does not change the baseline or the seed", () => {
    const baseline = createDefaultTenant();
    const seed = { users: [{ id: "u", userPrincipalName: "u@x.org", displayName: "U" }] };
    const seeded = applySeed(baseline, seed);
    seeded.users[0].displayName = "changed";
    expect(seed.users[0].displayName).toBe("U");
    expect(baseline).toEqual(createDefaultTenant());
  });
});
