import {
  authenticationMethodConfigurationDefaults,
  authenticationMethodConfigurationProvider,
  canonicalMethodId,
  methodConfigurationDesired,
  methodConfigurationFields,
  methodConfigurationOwned,
  methodConfigurationPath,
  methodConfigurationRestorable,
  methodConfigurationSettingsOf,
  methodConfigurationToGraph,
  validateAuthenticationMethodConfiguration,
} from "../../../provider/objects/authenticationMethodConfiguration";
import { deepEqual } from "../../../provider/objects/jsonValues";
import { zeroGuid } from "../../../provider/objects/targetLists";
import { desiredIncludeTargets } from "../../../provider/objects/targetEffect";
import type { AuthenticationMethodConfigurationSettings } from "../../../provider/objects/objectSettings";
import type { TenantState } from "../../../emulator/server";
import { useEmulator } from "../../support/emulator";
import { groupsWith } from "../../support/groups";
import { loadFixture } from "../../support/fixtures";

const methodsPolicyFixture = loadFixture("graph-authentication-methods-policy.get.json") as {
  authenticationMethodConfigurations: Record<string, unknown>[];
};

const pilot = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";
const other = "7c1d9e2f-4a6b-4c8d-9e0f-1a2b3c4d5e6f";

function fixtureMethod(id: string): Record<string, unknown> {
  const found = methodsPolicyFixture.authenticationMethodConfigurations.find((method) => method.id === id);
  if (!found) throw new Error(`no ${id} in the fixture`);
  return found;
}

describe("method ids and defaults", () => {
  it("accepts any casing of a method id and gives Graph's spelling", () => {
    expect(canonicalMethodId("microsoftauthenticator")).toBe("MicrosoftAuthenticator");
    expect(canonicalMethodId("SMS")).toBe("Sms");
    expect(canonicalMethodId("Fax")).toBeUndefined();
    expect(authenticationMethodConfigurationDefaults({ methodId: "email" })).toEqual({
      methodId: "Email",
      includeTargetsMode: "add",
    });
  });

  it("reads beta-only methods from /beta", () => {
    expect(methodConfigurationPath("Sms")).toBe(
      "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms",
    );
    expect(methodConfigurationPath("QRCodePin")).toMatch(/^\/beta\//);
  });
});

describe("validateAuthenticationMethodConfiguration", () => {
  it("accepts valid settings of each kind", () => {
    expect(
      validateAuthenticationMethodConfiguration({
        methodId: "MicrosoftAuthenticator",
        state: "enabled",
        includeTargetsMode: "exact",
        includeTargets: [{ targetType: "group", id: "All_Users", authenticationMode: "push" }],
        excludeTargets: [{ targetType: "group", id: other }],
        properties: {
          isSoftwareOathEnabled: false,
          featureSettings: {
            displayAppInformationRequiredState: {
              state: "enabled",
              includeTarget: { targetType: "group", id: "all_users" },
              excludeTarget: { targetType: "group", id: zeroGuid },
            },
          },
        },
      }),
    ).toEqual([]);
    expect(
      validateAuthenticationMethodConfiguration({
        methodId: "TemporaryAccessPass",
        properties: {
          defaultLength: 12,
          minimumLifetimeInMinutes: 60,
          defaultLifetimeInMinutes: 60,
          maximumLifetimeInMinutes: 480,
        },
      }),
    ).toEqual([]);
  });

  it("lists every failure at once, each naming the property, the value and what is allowed", () => {
    const failures = validateAuthenticationMethodConfiguration({
      methodId: "Sms",
      state: "on",
      includeTargetsMode: "replace",
      includeTargets: [
        { targetType: "user", id: other },
        { targetType: "group", id: "everyone", authenticationMode: "push" },
        { targetType: "group", id: pilot },
        { targetType: "group", id: pilot.toUpperCase() },
      ],
      excludeTargets: [{ targetType: "group", id: "all_users" }],
      properties: { isOfficePhoneAllowed: true, state: "enabled" },
    });
    expect(failures).toEqual([
      { property: "state", reason: 'state is "on"; allowed: "enabled", "disabled"' },
      { property: "includeTargetsMode", reason: 'includeTargetsMode is "replace"; allowed: "add", "exact"' },
      { property: "includeTargets[0].targetType", reason: 'includeTargets[0].targetType is "user"; allowed: "group"' },
      {
        property: "includeTargets[1].authenticationMode",
        reason:
          "includeTargets[1].authenticationMode is not known; allowed: targetType, id, isRegistrationRequired, isUsableForSignIn",
      },
      {
        property: "includeTargets[1].id",
        reason: 'includeTargets[1].id is "everyone"; allowed: a group object id (GUID) or "all_users"',
      },
      {
        property: "includeTargets[3].id",
        reason: `includeTargets[3].id is "${pilot.toUpperCase()}"; allowed: each target once (it is already in includeTargets)`,
      },
      {
        property: "excludeTargets[0].id",
        reason: 'excludeTargets[0].id is "all_users"; allowed: a group object id (GUID)',
      },
      {
        property: "properties.isOfficePhoneAllowed",
        reason:
          "properties.isOfficePhoneAllowed is not a property of Sms; allowed: none (the method has no own properties)",
      },
      {
        property: "properties.state",
        reason:
          "properties.state is not a method property; give state as its own input (id and @odata.type are set for you)",
      },
    ]);
  });

  it("checks each method's own properties and refuses number matching, which Microsoft enforces", () => {
    const failures = validateAuthenticationMethodConfiguration({
      methodId: "MicrosoftAuthenticator",
      properties: {
        isSoftwareOathEnabled: "no",
        featureSettings: {
          numberMatchingRequiredState: { state: "disabled" },
          displayLocationInformationRequiredState: {
            state: "on",
            excludeTarget: { targetType: "group", id: "all_users" },
          },
        },
      },
    });
    expect(failures.map((failure) => failure.property)).toEqual([
      "properties.isSoftwareOathEnabled",
      "properties.featureSettings.numberMatchingRequiredState",
      "properties.featureSettings.displayLocationInformationRequiredState.state",
      "properties.featureSettings.displayLocationInformationRequiredState.excludeTarget.id",
    ]);
    expect(failures[1].reason).toContain("enforced by Microsoft");
    expect(
      validateAuthenticationMethodConfiguration({
        methodId: "TemporaryAccessPass",
        properties: { defaultLength: 6, minimumLifetimeInMinutes: 600, maximumLifetimeInMinutes: 60 },
      }),
    ).toEqual([
      {
        property: "properties.defaultLength",
        reason: "properties.defaultLength is 6; allowed: an integer from 8 to 48 (characters)",
      },
      {
        property: "properties.minimumLifetimeInMinutes",
        reason: "properties.minimumLifetimeInMinutes is 600; allowed: at most properties.maximumLifetimeInMinutes (60)",
      },
    ]);
    expect(validateAuthenticationMethodConfiguration({ methodId: "Fax" })).toEqual([
      {
        property: "methodId",
        reason:
          'methodId is "Fax"; allowed: Email, Sms, Voice, MicrosoftAuthenticator, SoftwareOath, TemporaryAccessPass, Fido2, X509Certificate, HardwareOath, QRCodePin',
      },
    ]);
  });
});

describe("include targets", () => {
  const tenant = [
    { targetType: "group", id: "all_users", isRegistrationRequired: false, isUsableForSignIn: true },
    { targetType: "group", id: other, isRegistrationRequired: true },
  ];

  it("add: the tenant's targets stay (with their own members) and the missing given ones are added", () => {
    const given = [
      { targetType: "group", id: "ALL_USERS", isUsableForSignIn: false },
      { targetType: "group", id: pilot },
    ];
    expect(desiredIncludeTargets(given, tenant, "add")).toEqual([
      { targetType: "group", id: pilot },
      { targetType: "group", id: other, isRegistrationRequired: true },
      { targetType: "group", id: "all_users", isRegistrationRequired: false, isUsableForSignIn: true },
    ]);
    // Nothing to add: no change in add mode, whatever the order or casing.
    expect(
      deepEqual(
        desiredIncludeTargets([{ targetType: "group", id: other.toUpperCase() }], tenant, "add"),
        desiredIncludeTargets([], tenant, "add"),
      ),
    ).toBe(true);
  });

  // The effect rule: a method in force is never narrowed; one switched on from disabled gets exactly the given
  // targets, whatever dormant targets it carried (they would otherwise come into force for SSPR and MFA sign-in).
  const scopeTarget = [{ targetType: "group", id: pilot, isRegistrationRequired: false }];
  it.each([
    ["disabled", "enabled", [{ targetType: "group", id: pilot, isRegistrationRequired: false }]],
    [null, "enabled", [{ targetType: "group", id: pilot, isRegistrationRequired: false }]],
    ["enabled", "enabled", [scopeTarget[0], tenant[1], tenant[0]]],
    ["disabled", "disabled", [scopeTarget[0], tenant[1], tenant[0]]],
    [undefined, undefined, [scopeTarget[0], tenant[1], tenant[0]]],
  ])(
    "add, tenant state %p, wanted %p: dormant targets stay out of force only when the stack switches it on",
    (state, wanted, expected) => {
      expect(desiredIncludeTargets(scopeTarget, tenant, "add", state, wanted)).toEqual(expected);
    },
  );

  it("exact: the given list, a target the tenant has keeping the members the input leaves out", () => {
    expect(
      desiredIncludeTargets([{ targetType: "group", id: "All_Users", isUsableForSignIn: false }], tenant, "exact"),
    ).toEqual([{ targetType: "group", id: "all_users", isRegistrationRequired: false, isUsableForSignIn: false }]);
  });
});

describe("mapping between settings and Graph", () => {
  const authenticator: AuthenticationMethodConfigurationSettings = {
    methodId: "MicrosoftAuthenticator",
    state: "enabled",
    includeTargets: [{ targetType: "group", id: pilot }],
    includeTargetsMode: "add",
    excludeTargets: [],
    properties: {
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "enabled",
          includeTarget: { targetType: "group", id: "ALL_USERS" },
        },
      },
    },
  };

  it("owns state, targets and exactly the given properties", () => {
    expect(methodConfigurationFields(authenticator)).toEqual([
      "state",
      "includeTargets",
      "excludeTargets",
      "featureSettings",
    ]);
  });

  it("reads a configuration without featureSettings (the fixture's older schema) as Graph's defaults", () => {
    const owned = methodConfigurationOwned(fixtureMethod("MicrosoftAuthenticator"), authenticator);
    expect(owned).toEqual({
      state: "disabled",
      includeTargets: [fixtureMethod("MicrosoftAuthenticator").includeTargets as unknown[]].flat(),
      excludeTargets: [],
      properties: {
        featureSettings: {
          displayAppInformationRequiredState: {
            state: "default",
            includeTarget: { targetType: "group", id: "all_users" },
          },
        },
      },
    });
  });

  it("normalises target order, id casing and the zero-GUID sentinel, so an equal tenant needs no write", () => {
    const tenant = {
      "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
      state: "enabled",
      includeTargets: [
        { targetType: "group", id: pilot.toUpperCase() },
        { targetType: "group", id: "All_Users", authenticationMode: "any" },
      ],
      excludeTargets: [{ targetType: "group", id: zeroGuid }],
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "enabled",
          includeTarget: { targetType: "group", id: "all_users" },
          excludeTarget: { targetType: "group", id: zeroGuid },
        },
      },
    };
    const current = methodConfigurationOwned(tenant, authenticator);
    expect(methodConfigurationDesired(authenticator, current)).toEqual(current);
  });

  it("writes whole changed properties merged onto the tenant's, and leaves unchanged ones as they are", () => {
    const tenant = {
      state: "enabled",
      includeTargets: [{ targetType: "group", id: "All_Users", authenticationMode: "any" }],
      excludeTargets: [],
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "default",
          includeTarget: { targetType: "group", id: "all_users" },
          excludeTarget: { targetType: "group", id: zeroGuid },
        },
        displayLocationInformationRequiredState: { state: "enabled" },
      },
    };
    const current = methodConfigurationOwned(tenant, authenticator);
    const raw = methodConfigurationToGraph(methodConfigurationDesired(authenticator, current), tenant, authenticator);
    expect(raw).toEqual({
      state: "enabled",
      includeTargets: [
        { targetType: "group", id: "All_Users", authenticationMode: "any" },
        { targetType: "group", id: pilot },
      ],
      excludeTargets: tenant.excludeTargets,
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "enabled",
          includeTarget: { targetType: "group", id: "ALL_USERS" },
          excludeTarget: { targetType: "group", id: zeroGuid },
        },
        displayLocationInformationRequiredState: { state: "enabled" },
      },
    });
    expect(raw.excludeTargets).toBe(tenant.excludeTargets);
  });

  it("refresh in add mode shows the given targets the tenant has, so only a missing one is drift", () => {
    const current = {
      includeTargets: [
        { targetType: "group", id: "all_users" },
        { targetType: "group", id: pilot },
      ],
    };
    expect(methodConfigurationSettingsOf(current, authenticator)).toEqual({
      includeTargets: [{ targetType: "group", id: pilot }],
    });
    expect(methodConfigurationSettingsOf(current, { ...authenticator, includeTargetsMode: "exact" })).toEqual(current);
  });

  it("restores an absent target list as an empty one and never writes an absent property", () => {
    expect(
      methodConfigurationRestorable({ excludeTargets: null, isOfficePhoneAllowed: null, state: "enabled" }),
    ).toEqual({
      excludeTargets: [],
      state: "enabled",
    });
    expect(methodConfigurationRestorable({ allowExternalIdToUseEmailOtp: null })).toEqual({
      allowExternalIdToUseEmailOtp: "default",
    });
    expect(methodConfigurationRestorable({ featureSettings: undefined })).toEqual({
      featureSettings: expect.objectContaining({
        displayAppInformationRequiredState: expect.objectContaining({ state: "default" }),
      }),
    });
  });
});

describe("the AuthenticationMethodConfiguration provider against the emulator", () => {
  const lab = useEmulator({ seed: { groups: groupsWith(pilot, other) } });

  function method(state: TenantState, id: string): Record<string, unknown> {
    const found = state.authenticationMethodsPolicy.authenticationMethodConfigurations.find((entry) => entry.id === id);
    if (!found) throw new Error(`no ${id}`);
    return found;
  }

  async function checked(settings: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { inputs, failures } = await authenticationMethodConfigurationProvider.check(
      {},
      { ...lab.target, ...settings },
    );
    expect(failures).toEqual([]);
    return inputs;
  }

  it("turns on Authenticator feature settings, leaving the rest of the configuration as it was, and restores", async () => {
    const inputs = await checked({
      methodId: "microsoftAuthenticator",
      state: "enabled",
      properties: {
        featureSettings: {
          displayAppInformationRequiredState: { state: "enabled" },
          displayLocationInformationRequiredState: { state: "enabled" },
        },
      },
    });
    const { outs } = await authenticationMethodConfigurationProvider.create(inputs);
    const before = method(lab.seeded, "MicrosoftAuthenticator");
    const after = method(lab.emulator.state(), "MicrosoftAuthenticator");
    const beforeFeatures = before.featureSettings as Record<string, Record<string, unknown>>;
    expect(after).toEqual({
      ...before,
      state: "enabled",
      featureSettings: {
        displayAppInformationRequiredState: { ...beforeFeatures.displayAppInformationRequiredState, state: "enabled" },
        displayLocationInformationRequiredState: {
          ...beforeFeatures.displayLocationInformationRequiredState,
          state: "enabled",
        },
      },
    });
    expect(outs.snapshot).toEqual({ state: "disabled", featureSettings: before.featureSettings });

    await authenticationMethodConfigurationProvider.delete("id", outs);
    const restored = lab.emulator.state();
    delete restored.authenticationMethodsPolicy.lastModifiedDateTime;
    delete lab.seeded.authenticationMethodsPolicy.lastModifiedDateTime;
    expect(restored).toStrictEqual(lab.seeded);
  });

  it("an Authenticator of the older schema (no featureSettings) gets Graph's defaults back on destroy", async () => {
    const documented = methodsPolicyFixture.authenticationMethodConfigurations.find(
      (entry) => entry.id === "MicrosoftAuthenticator",
    ) as Record<string, unknown>;
    expect(documented).not.toHaveProperty("featureSettings");
    lab.reseed({
      groups: groupsWith(pilot, other),
      authenticationMethodsPolicy: {
        ...lab.seeded.authenticationMethodsPolicy,
        authenticationMethodConfigurations: [documented],
      },
    });
    const inputs = await checked({
      methodId: "MicrosoftAuthenticator",
      state: "enabled",
      properties: { featureSettings: { displayAppInformationRequiredState: { state: "enabled" } } },
    });
    const { outs } = await authenticationMethodConfigurationProvider.create(inputs);
    expect(outs.snapshotAbsent).toEqual(["featureSettings"]);
    await authenticationMethodConfigurationProvider.delete("id", outs);
    const restored = method(lab.emulator.state(), "MicrosoftAuthenticator");
    const microsoftManaged = {
      state: "default",
      includeTarget: { targetType: "group", id: "all_users" },
      excludeTarget: { targetType: "group", id: zeroGuid },
    };
    // What an absent featureSettings means, written back: nobody sees the app name any more, as before adoption.
    expect(restored.featureSettings).toMatchObject({
      displayAppInformationRequiredState: microsoftManaged,
      displayLocationInformationRequiredState: microsoftManaged,
    });
    expect({ ...restored, featureSettings: undefined }).toEqual({
      ...method(lab.seeded, "MicrosoftAuthenticator"),
      featureSettings: undefined,
    });
  });

  it("replaces exclusions and restores an exclusion list the seed did not have as an empty one", async () => {
    const sms = methodsPolicyFixture.authenticationMethodConfigurations.find((entry) => entry.id === "Sms");
    lab.emulator.seed({
      authenticationMethodsPolicy: {
        ...lab.seeded.authenticationMethodsPolicy,
        authenticationMethodConfigurations: [sms as Record<string, unknown>],
      },
    });
    const inputs = await checked({ methodId: "Sms", excludeTargets: [{ targetType: "group", id: other }] });
    const { outs } = await authenticationMethodConfigurationProvider.create(inputs);
    expect(outs.snapshot).toEqual({ excludeTargets: null });
    expect(method(lab.emulator.state(), "Sms").excludeTargets).toEqual([{ targetType: "group", id: other }]);
    await authenticationMethodConfigurationProvider.delete("id", outs);
    expect(method(lab.emulator.state(), "Sms").excludeTargets).toEqual([]);
  });

  it("reset sends Graph's DELETE, which reverts the method to its defaults", async () => {
    const inputs = await checked({ methodId: "Email", state: "disabled", onDelete: "reset" });
    const { outs } = await authenticationMethodConfigurationProvider.create(inputs);
    expect(method(lab.emulator.state(), "Email").state).toBe("disabled");
    lab.emulator.clearRequests();
    await authenticationMethodConfigurationProvider.delete("id", outs);
    expect(lab.emulator.requests().map((entry) => `${entry.method} ${entry.status}`)).toEqual(["DELETE 204"]);
    expect(method(lab.emulator.state(), "Email")).toEqual(method(lab.seeded, "Email"));
  });

  it("surfaces a refused PATCH as an error naming the status", async () => {
    lab.emulator.addFault({
      method: "PATCH",
      path: "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms",
      status: 403,
    });
    const inputs = await checked({ methodId: "Sms", state: "disabled" });
    await expect(authenticationMethodConfigurationProvider.create(inputs)).rejects.toThrow(/403/);
    expect(method(lab.emulator.state(), "Sms")).toEqual(method(lab.seeded, "Sms"));
  });
});
