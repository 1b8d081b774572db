/**
 * The pure rules: which methods a policy offers a user (targets, exclusions, the migration state, the portal's
 * capability flags), how SSPR counts them (the mobile app once; code only before the migration with one method
 * required), and when the administrator policy is two-gate.
 */
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { twoGatePolicyApplies, twoGateRolesOf } from "../../../components/readiness/administratorPolicy";
import {
  appCodeOnly,
  gatesOf,
  offeredMethods,
  reachOf,
  registeredFromMethods,
  registeredSsprMethods,
  type SsprMethod,
} from "../../../components/readiness/ssprMethods";

type Json = Record<string, unknown>;
const tenant = createDefaultTenant();
const name = (id: string): string => `group ${id}`;

const offered = (portal: Json, methodsPolicy: Json, groups: string[] = [], admin = false): SsprMethod[] =>
  offeredMethods({ portal, methodsPolicy, userGroupIds: groups, groupName: name, admin, paidTenant: true })
    .filter((entry) => entry.offered)
    .map((entry) => entry.method);

function policyWith(changes: Record<string, Json>, migration: string | null = null): Json {
  return {
    ...tenant.authenticationMethodsPolicy,
    policyMigrationState: migration,
    authenticationMethodConfigurations: tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.map(
      (configuration) => ({ ...configuration, ...(changes[String(configuration.id)] ?? {}) }),
    ),
  };
}

describe("reachOf", () => {
  const configuration = {
    state: "enabled",
    includeTargets: [{ targetType: "group", id: "g1" }],
    excludeTargets: [{ targetType: "group", id: "g2" }],
  };
  it.each([
    [["g1"], true, "on for group g1"],
    [[], false, "enabled for group g1 only, which the user is not in"],
    [["g1", "g2"], false, "the user is excluded (group g2)"],
  ])("groups %j -> %s", (groups, reaches, why) => {
    expect(reachOf(configuration, groups, name)).toEqual({ reaches, why });
  });
  it("a disabled method's dormant all_users target reaches nobody", () => {
    expect(reachOf({ state: "disabled", includeTargets: [{ id: "all_users" }] }, [], name).reaches).toBe(false);
  });
});

describe("offeredMethods", () => {
  it("the default tenant (migration null = complete): Sms reaches all users, Email targets nobody", () => {
    expect(offered(tenant.passwordResetPolicies, tenant.authenticationMethodsPolicy)).toEqual(["mobilePhone"]);
  });

  it("Voice with isOfficePhoneAllowed offers the office phone too, unless the tenant may not (officePhoneOptionAllowed)", () => {
    const policy = policyWith({ Voice: { state: "enabled", isOfficePhoneAllowed: true } });
    expect(offered(tenant.passwordResetPolicies, policy)).toEqual(["mobilePhone", "officePhone"]);
    expect(offered({ ...tenant.passwordResetPolicies, officePhoneOptionAllowed: false }, policy)).toEqual([
      "mobilePhone",
    ]);
  });

  it("Authenticator offers the notification, and the code only with its OTP codes on; SoftwareOath only the code", () => {
    expect(offered(tenant.passwordResetPolicies, policyWith({ MicrosoftAuthenticator: { state: "enabled" } }))).toEqual(
      ["appNotification", "mobilePhone"],
    );
    expect(
      offered(
        tenant.passwordResetPolicies,
        policyWith({ MicrosoftAuthenticator: { state: "enabled", isSoftwareOathEnabled: true } }),
      ),
    ).toEqual(["appNotification", "appCode", "mobilePhone"]);
    expect(offered(tenant.passwordResetPolicies, policyWith({ SoftwareOath: { state: "enabled" } }))).toEqual([
      "appCode",
      "mobilePhone",
    ]);
  });

  it("before the migration the legacy switches decide; in progress both do; security questions always from the portal", () => {
    const portal = {
      ...tenant.passwordResetPolicies,
      emailOptionEnabled: true,
      mobilePhoneOptionEnabled: false,
      securityQuestionsOptionEnabled: true,
    };
    expect(offered(portal, policyWith({}, "preMigration"))).toEqual(["email", "securityQuestions"]);
    expect(offered(portal, policyWith({}, "migrationInProgress"))).toEqual([
      "email",
      "mobilePhone",
      "securityQuestions",
    ]);
    expect(offered(portal, policyWith({}, "migrationComplete"))).toEqual(["mobilePhone", "securityQuestions"]);
  });

  it("administrators: everything but security questions, whatever the methods policy says", () => {
    const portal = { ...tenant.passwordResetPolicies, securityQuestionsOptionEnabled: true };
    expect(offered(portal, policyWith({ Sms: { state: "disabled" } }), [], true)).toEqual([
      "appNotification",
      "appCode",
      "email",
      "mobilePhone",
      "officePhone",
    ]);
  });
});

describe("counting", () => {
  it("the mobile app counts once; with one method required before the migration only its code counts", () => {
    expect(gatesOf(["appNotification", "appCode", "email"], false)).toEqual(["mobileApp", "email"]);
    expect(gatesOf(["appNotification"], true)).toEqual([]);
    expect(appCodeOnly({ policyMigrationState: "preMigration" }, 1)).toBe(true);
    expect(appCodeOnly({ policyMigrationState: "preMigration" }, 2)).toBe(false);
    expect(appCodeOnly({ policyMigrationState: null }, 1)).toBe(false);
  });

  it("registered methods from Graph method objects and from the report's names", () => {
    const methods = tenant.authenticationMethods["376f6f3f-aaa5-54ae-a099-203c8c2fafad"];
    expect(
      registeredFromMethods([{ "@odata.type": "#microsoft.graph.passwordAuthenticationMethod" }, ...methods]),
    ).toEqual(["email", "officePhone"]);
    expect(registeredSsprMethods(["alternateMobilePhone", "microsoftAuthenticatorPush", "fido2SecurityKey"])).toEqual([
      "appNotification",
      "appCode",
    ]);
  });
});

describe("the administrator policy", () => {
  it("applies to the roles Learn lists, not to readers", () => {
    const roles = (...names: string[]) => ({ roles: names.map((displayName) => ({ id: displayName, displayName })) });
    expect(twoGateRolesOf(roles("Global Administrator", "Global Reader"))).toEqual(["Global Administrator"]);
    expect(twoGateRolesOf(roles("Cloud Application Administrator"))).toEqual([]);
  });

  it("is two-gate with a custom domain or sync, one-gate on *.onmicrosoft.com alone", () => {
    expect(twoGatePolicyApplies(tenant.organization)).toBe(true);
    const onlyInitial = {
      verifiedDomains: [{ name: "contoso.onmicrosoft.com", isInitial: true }],
      onPremisesSyncEnabled: null,
    };
    expect(twoGatePolicyApplies(onlyInitial)).toBe(false);
    expect(twoGatePolicyApplies({ ...onlyInitial, onPremisesSyncEnabled: true })).toBe(true);
  });
});
