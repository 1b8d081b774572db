/**
 * The four tenant singletons through the real path: each resource is constructed under `pulumi.runtime.setMocks`,
 * and the serialized `__provider` and inputs Pulumi produced are sent over gRPC to Pulumi's own dynamic-provider
 * host (`@pulumi/pulumi/cmd/dynamic-provider/index.js`), which talks HTTP to the in-process emulator seeded with
 * the shared real-world fixtures. One host and one emulator for the whole file.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AdministratorPasswordReset,
  AuthenticationMethodConfiguration,
  AuthenticationMethodsPolicy,
  PasswordResetPolicy,
} from "../../../components/entra";
import type { TenantSeed, TenantState } from "../../../emulator/server";
import { collectRegistrations, type Registration } from "../../../harness/mockRun";
import type { PropertyMap } from "../../../harness/propertyValues";
import { type ProviderHost, ProviderHostError, startProviderHost } from "../../../harness/providerHost";
import { useEmulator } from "../../support/emulator";
import { loadFixture } from "../../support/fixtures";
import { groupsWith } from "../../support/groups";

const portalFixture = loadFixture("portal-password-reset-policies.get.json");
const methodsPolicyFixture = loadFixture("graph-authentication-methods-policy.get.json");
const campaignPatch = loadFixture("graph-authentication-methods-policy.patch-registration-campaign.json");

const pilotGroup = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";

const seed: TenantSeed = {
  passwordResetPolicies: portalFixture,
  authenticationMethodsPolicy: methodsPolicyFixture as TenantSeed["authenticationMethodsPolicy"],
  groups: groupsWith(pilotGroup),
};

const lab = useEmulator({ seed });
let host: ProviderHost;

beforeAll(async () => {
  host = await startProviderHost();
});

afterAll(async () => {
  await host?.stop();
});

/** The one dynamic-resource registration a program makes under mocks: its URN, serialized provider and inputs. */
async function register(program: () => unknown): Promise<Registration> {
  const registrations = await collectRegistrations(program);
  expect(registrations).toHaveLength(1);
  expect(typeof registrations[0].inputs.__provider).toBe("string");
  return registrations[0];
}

/** `pulumi up` of a new resource: Check, then Create with the checked inputs. */
async function adopt(registration: Registration): Promise<{ inputs: PropertyMap; id: string; outputs: PropertyMap }> {
  const checked = await host.check(registration.urn, {}, registration.inputs);
  expect(checked.failures).toEqual([]);
  const created = await host.create(registration.urn, checked.inputs);
  return { inputs: checked.inputs, id: created.id, outputs: created.properties };
}

/** The request log as `METHOD path` lines. */
function requestLines(): string[] {
  return lab.emulator.requests().map((entry) => `${entry.method} ${entry.path}`);
}

/** Changes the tenant behind the provider's back, as an admin in the admin center would. */
function drift(change: (state: TenantState) => void): void {
  const next = lab.emulator.state();
  change(next);
  lab.emulator.seed(next);
  lab.emulator.clearRequests();
}

/** The tenant without fields the service itself maintains (Graph moves `lastModifiedDateTime` on every write). */
function withoutServerStamps(state: TenantState): TenantState {
  const copy = structuredClone(state);
  delete copy.authenticationMethodsPolicy.lastModifiedDateTime;
  return copy;
}

const portalPath = "/api/PasswordReset/PasswordResetPolicies";

describe("the four resource classes under mocks", () => {
  it("register their type tokens and expose snapshot and current as outputs (declared, not re-initialised)", async () => {
    const resources: { snapshot: unknown; current: unknown }[] = [];
    const registrations = await collectRegistrations(() => {
      resources.push(
        new PasswordResetPolicy("sspr", { ...lab.target, enablement: "all" }),
        new AuthenticationMethodConfiguration("sms", { ...lab.target, methodId: "Sms", state: "enabled" }),
        new AuthenticationMethodsPolicy("methods", { ...lab.target, migrationState: "migrationComplete" }),
        new AdministratorPasswordReset("admins", { ...lab.target, allowedToUseSSPR: true }),
      );
    });
    // Registration order follows provider serialization, which is asynchronous.
    expect(registrations.map((registration) => registration.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/entra-sspr:AdministratorPasswordReset",
      "pulumi-nodejs:dynamic/entra-sspr:AuthenticationMethodConfiguration",
      "pulumi-nodejs:dynamic/entra-sspr:AuthenticationMethodsPolicy",
      "pulumi-nodejs:dynamic/entra-sspr:PasswordResetPolicy",
    ]);
    for (const resource of resources) {
      expect(pulumi.Output.isInstance(resource.snapshot)).toBe(true);
      expect(pulumi.Output.isInstance(resource.current)).toBe(true);
    }
    // No credential can reach the state through the inputs: only target, settings and the serialized provider.
    const admins = registrations.find((registration) => registration.name === "admins");
    expect(Object.keys(admins?.inputs ?? {}).sort()).toEqual([
      "__provider",
      "allowedToUseSSPR",
      "endpoints",
      "tenantId",
    ]);
  });
});

describe("PasswordResetPolicy through the dynamic-provider host", () => {
  const settings = {
    enablement: "selected" as const,
    groupId: pilotGroup,
    methodsRequired: 2 as const,
    registration: { requireOnSignIn: true, reconfirmDays: 90 },
    notifications: { users: true, admins: true },
  };

  it("adopts, shows drift on refresh, converges, writes nothing the second time and restores the seed", async () => {
    const registration = await register(() => new PasswordResetPolicy("sspr", { ...lab.target, ...settings }));
    expect(registration.type).toBe("pulumi-nodejs:dynamic/entra-sspr:PasswordResetPolicy");

    const { inputs, id, outputs } = await adopt(registration);
    // The pilot group is new to the policy: it is read first (existence before any write).
    expect(requestLines()).toEqual([
      `GET ${portalPath}`,
      `GET /v1.0/groups/${pilotGroup}`,
      `PUT ${portalPath}`,
      `GET ${portalPath}`,
    ]);
    expect(inputs.onDelete).toBe("restore");
    // The snapshot holds the owned portal fields as they were, the group's name included.
    expect(outputs.snapshot).toEqual({
      enablementType: 1,
      passwordResetEnabledGroupIds: ["GROUP"],
      passwordResetEnabledGroupName: "mndz",
      numberOfAuthenticationMethodsRequired: 1,
      registrationRequiredOnSignIn: true,
      registrationReconfirmIntevalInDays: 180,
      notifyUsersOnPasswordReset: true,
      notifyOnAdminPasswordReset: false,
    });
    const adopted = lab.emulator.state().passwordResetPolicies;
    expect(adopted).toEqual({
      ...portalFixture,
      passwordResetEnabledGroupIds: [pilotGroup],
      passwordResetEnabledGroupName: "",
      numberOfAuthenticationMethodsRequired: 2,
      registrationReconfirmIntevalInDays: 90,
      notifyOnAdminPasswordReset: true,
    });

    // Drift made in the admin center: SSPR switched to All and admins no longer notified.
    drift((state) => {
      state.passwordResetPolicies.enablementType = 2;
      state.passwordResetPolicies.notifyOnAdminPasswordReset = false;
    });
    const read = await host.read(registration.urn, id, outputs);
    expect(requestLines()).toEqual([`GET ${portalPath}`]);
    expect(read.id).toBe(id);
    expect(read.properties).toMatchObject({ enablement: "all", notifications: { users: true, admins: false } });
    expect(read.inputs).toMatchObject({ enablement: "all", notifications: { users: true, admins: false } });
    expect(read.properties.snapshot).toEqual(outputs.snapshot);

    const noDrift = await host.diff(registration.urn, id, outputs, inputs);
    expect(noDrift.changes).toBe(false);
    const drifted = await host.diff(registration.urn, id, read.properties, inputs);
    expect(drifted).toMatchObject({ changes: true, replaces: [] });

    lab.emulator.clearRequests();
    const updated = await host.update(registration.urn, id, read.properties, inputs);
    expect(requestLines()).toEqual([`GET ${portalPath}`, `PUT ${portalPath}`, `GET ${portalPath}`]);
    expect(lab.emulator.state().passwordResetPolicies).toEqual(adopted);
    expect(updated.properties.snapshot).toEqual(outputs.snapshot);

    // Second apply: the diff from state says nothing to do; even an update (as after a refresh) writes nothing.
    expect((await host.diff(registration.urn, id, updated.properties, inputs)).changes).toBe(false);
    lab.emulator.clearRequests();
    await host.update(registration.urn, id, updated.properties, inputs);
    expect(requestLines()).toEqual([`GET ${portalPath}`]);

    lab.emulator.clearRequests();
    await host.delete(registration.urn, id, updated.properties);
    expect(requestLines()).toEqual([`GET ${portalPath}`, `PUT ${portalPath}`, `GET ${portalPath}`]);
    expect(lab.emulator.state()).toStrictEqual(lab.seeded);
  });
});

const smsPath = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms";
// A method configuration is read from the policy, which carries every method (components/entra/sharedReads.ts).
const smsReadPath = "/v1.0/policies/authenticationMethodsPolicy";

function sms(state: TenantState): Record<string, unknown> {
  const found = state.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
    (method) => method.id === "Sms",
  );
  if (!found) throw new Error("the seed has no Sms configuration");
  return found;
}

describe("AuthenticationMethodConfiguration through the dynamic-provider host", () => {
  const settings = {
    methodId: "sms" as never, // any casing is accepted; check canonicalises it
    state: "disabled" as const,
    includeTargets: [{ targetType: "group" as const, id: pilotGroup.toUpperCase(), isUsableForSignIn: false }],
  };

  it("adds its targets to the tenant's, shows drift, converges, writes nothing the second time and restores", async () => {
    const registration = await register(
      () => new AuthenticationMethodConfiguration("sms", { ...lab.target, ...settings }),
    );
    expect(registration.type).toBe("pulumi-nodejs:dynamic/entra-sspr:AuthenticationMethodConfiguration");

    const { inputs, id, outputs } = await adopt(registration);
    expect(inputs).toMatchObject({ methodId: "Sms", includeTargetsMode: "add", onDelete: "restore" });
    expect(requestLines()).toEqual([
      `GET ${smsReadPath}`,
      `GET /v1.0/groups/${pilotGroup}`,
      `PATCH ${smsPath}`,
      `GET ${smsReadPath}`,
    ]);
    const original = sms(lab.seeded);
    expect(outputs.snapshot).toEqual({ state: "enabled", includeTargets: original.includeTargets });
    // all_users keeps its own members (nobody loses SMS sign-in); the pilot group is added.
    const adopted = sms(lab.emulator.state());
    expect(adopted).toEqual({
      ...original,
      state: "disabled",
      includeTargets: [
        ...(original.includeTargets as unknown[]),
        { targetType: "group", id: pilotGroup, isUsableForSignIn: false },
      ],
    });

    // Drift: someone re-enables SMS and removes the pilot group in the admin center.
    drift((state) => {
      const method = sms(state);
      method.state = "enabled";
      method.includeTargets = original.includeTargets;
    });
    const read = await host.read(registration.urn, id, outputs);
    expect(requestLines()).toEqual([`GET ${smsReadPath}`]);
    expect(read.properties).toMatchObject({ state: "enabled", includeTargets: [] });
    expect(read.inputs).toMatchObject({ state: "enabled", includeTargets: [] });
    expect((await host.diff(registration.urn, id, outputs, inputs)).changes).toBe(false);
    expect(await host.diff(registration.urn, id, read.properties, inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });

    lab.emulator.clearRequests();
    const updated = await host.update(registration.urn, id, read.properties, inputs);
    // The drift removed the pilot group, so putting it back reads it again first.
    expect(requestLines()).toEqual([
      `GET ${smsReadPath}`,
      `GET /v1.0/groups/${pilotGroup}`,
      `PATCH ${smsPath}`,
      `GET ${smsReadPath}`,
    ]);
    expect(sms(lab.emulator.state())).toEqual(adopted);

    expect((await host.diff(registration.urn, id, updated.properties, inputs)).changes).toBe(false);
    lab.emulator.clearRequests();
    await host.update(registration.urn, id, updated.properties, inputs);
    expect(requestLines()).toEqual([`GET ${smsReadPath}`]);

    lab.emulator.clearRequests();
    await host.delete(registration.urn, id, updated.properties);
    expect(requestLines()).toEqual([`GET ${smsReadPath}`, `PATCH ${smsPath}`, `GET ${smsReadPath}`]);
    expect(withoutServerStamps(lab.emulator.state())).toStrictEqual(withoutServerStamps(lab.seeded));
  });
});

const policyPath = "/v1.0/policies/authenticationMethodsPolicy";

describe("AuthenticationMethodsPolicy through the dynamic-provider host", () => {
  const campaign = (campaignPatch.registrationEnforcement as Record<string, Record<string, unknown>>)
    .authenticationMethodsRegistrationCampaign;
  const settings = {
    registrationCampaign: campaign as never,
    // The seeded tenant reports no migration state (null): that counts as complete, so nothing is written for it.
    migrationState: "migrationComplete" as const,
  };

  it("adopts, shows drift, converges, writes nothing the second time and restores", async () => {
    const registration = await register(
      () => new AuthenticationMethodsPolicy("methods", { ...lab.target, ...settings }),
    );
    expect(registration.type).toBe("pulumi-nodejs:dynamic/entra-sspr:AuthenticationMethodsPolicy");

    const { inputs, id, outputs } = await adopt(registration);
    // The campaign's group is new to the policy: it is read first (existence before any write).
    expect(requestLines()).toEqual([
      `GET ${policyPath}`,
      `GET /v1.0/groups/${pilotGroup}`,
      `PATCH ${policyPath}`,
      `GET ${policyPath}`,
    ]);
    expect(outputs.snapshot).toEqual({
      registrationEnforcement: methodsPolicyFixture.registrationEnforcement,
      policyMigrationState: null,
    });
    expect(outputs.current).toMatchObject({ migrationState: "migrationComplete" });
    const adopted = lab.emulator.state().authenticationMethodsPolicy;
    expect(adopted.registrationEnforcement).toEqual(campaignPatch.registrationEnforcement);
    expect(adopted.policyMigrationState).toBeUndefined();

    drift((state) => {
      const enforcement = state.authenticationMethodsPolicy.registrationEnforcement as Record<
        string,
        Record<string, unknown>
      >;
      enforcement.authenticationMethodsRegistrationCampaign.state = "disabled";
      enforcement.authenticationMethodsRegistrationCampaign.snoozeDurationInDays = 5;
    });
    const read = await host.read(registration.urn, id, outputs);
    expect(requestLines()).toEqual([`GET ${policyPath}`]);
    expect(read.properties).toMatchObject({ registrationCampaign: { state: "disabled", snoozeDurationInDays: 5 } });
    expect(read.inputs).toMatchObject({ registrationCampaign: { state: "disabled", snoozeDurationInDays: 5 } });
    expect((await host.diff(registration.urn, id, outputs, inputs)).changes).toBe(false);
    expect(await host.diff(registration.urn, id, read.properties, inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });

    lab.emulator.clearRequests();
    const updated = await host.update(registration.urn, id, read.properties, inputs);
    expect(requestLines()).toEqual([`GET ${policyPath}`, `PATCH ${policyPath}`, `GET ${policyPath}`]);
    expect(lab.emulator.state().authenticationMethodsPolicy.registrationEnforcement).toEqual(
      campaignPatch.registrationEnforcement,
    );

    expect((await host.diff(registration.urn, id, updated.properties, inputs)).changes).toBe(false);
    lab.emulator.clearRequests();
    await host.update(registration.urn, id, updated.properties, inputs);
    expect(requestLines()).toEqual([`GET ${policyPath}`]);

    lab.emulator.clearRequests();
    await host.delete(registration.urn, id, updated.properties);
    expect(requestLines()).toEqual([`GET ${policyPath}`, `PATCH ${policyPath}`, `GET ${policyPath}`]);
    expect(withoutServerStamps(lab.emulator.state())).toStrictEqual(withoutServerStamps(lab.seeded));
  });

  it("refuses to move the migration state backwards, naming both states", async () => {
    const registration = await register(
      () => new AuthenticationMethodsPolicy("methods", { ...lab.target, migrationState: "preMigration" }),
    );
    const checked = await host.check(registration.urn, {}, registration.inputs);
    expect(checked.failures).toEqual([]);
    const error = await host.create(registration.urn, checked.inputs).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderHostError);
    expect((error as ProviderHostError).details).toMatch(
      /migrationState cannot move from "migrationComplete" to "preMigration".*null counts as migrationComplete/,
    );
    expect(requestLines()).toEqual([`GET ${policyPath}`]);
    expect(lab.emulator.state()).toStrictEqual(lab.seeded);
  });
});

const authorizationPath = "/v1.0/policies/authorizationPolicy";

describe("AdministratorPasswordReset through the dynamic-provider host", () => {
  it("adopts, shows drift, converges, writes nothing the second time and restores", async () => {
    expect(lab.seeded.authorizationPolicy.allowedToUseSSPR).toBe(true);
    const registration = await register(
      () => new AdministratorPasswordReset("admins", { ...lab.target, allowedToUseSSPR: false }),
    );
    expect(registration.type).toBe("pulumi-nodejs:dynamic/entra-sspr:AdministratorPasswordReset");

    const { inputs, id, outputs } = await adopt(registration);
    expect(requestLines()).toEqual([
      `GET ${authorizationPath}`,
      `PATCH ${authorizationPath}`,
      `GET ${authorizationPath}`,
    ]);
    expect(outputs).toMatchObject({ snapshot: { allowedToUseSSPR: true }, current: { allowedToUseSSPR: false } });
    expect(lab.emulator.state().authorizationPolicy).toEqual({
      ...lab.seeded.authorizationPolicy,
      allowedToUseSSPR: false,
    });

    drift((state) => {
      state.authorizationPolicy.allowedToUseSSPR = true;
    });
    const read = await host.read(registration.urn, id, outputs);
    expect(requestLines()).toEqual([`GET ${authorizationPath}`]);
    expect(read.properties).toMatchObject({ allowedToUseSSPR: true, current: { allowedToUseSSPR: true } });
    expect(read.inputs).toMatchObject({ allowedToUseSSPR: true });
    expect((await host.diff(registration.urn, id, outputs, inputs)).changes).toBe(false);
    expect(await host.diff(registration.urn, id, read.properties, inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });

    lab.emulator.clearRequests();
    const updated = await host.update(registration.urn, id, read.properties, inputs);
    expect(requestLines()).toEqual([
      `GET ${authorizationPath}`,
      `PATCH ${authorizationPath}`,
      `GET ${authorizationPath}`,
    ]);
    expect(lab.emulator.state().authorizationPolicy.allowedToUseSSPR).toBe(false);

    expect((await host.diff(registration.urn, id, updated.properties, inputs)).changes).toBe(false);
    lab.emulator.clearRequests();
    await host.update(registration.urn, id, updated.properties, inputs);
    expect(requestLines()).toEqual([`GET ${authorizationPath}`]);

    lab.emulator.clearRequests();
    await host.delete(registration.urn, id, updated.properties);
    expect(requestLines()).toEqual([
      `GET ${authorizationPath}`,
      `PATCH ${authorizationPath}`,
      `GET ${authorizationPath}`,
    ]);
    expect(lab.emulator.state()).toStrictEqual(lab.seeded);
  });
});

describe("request economy through the dynamic-provider host", () => {
  it("adopting a tenant that already matches is one GET; a refresh of each resource is one GET", async () => {
    // The tenant already has what each resource asks for (SSPR for All, SMS on, a new tenant's null migration state
    // counting as complete, SSPR for admins on).
    drift((state) => {
      state.passwordResetPolicies.enablementType = 2;
    });
    const registrations = await Promise.all([
      register(() => new PasswordResetPolicy("sspr", { ...lab.target, enablement: "all" })),
      register(
        () => new AuthenticationMethodConfiguration("sms", { ...lab.target, methodId: "Sms", state: "enabled" }),
      ),
      register(
        () => new AuthenticationMethodsPolicy("methods", { ...lab.target, migrationState: "migrationComplete" }),
      ),
      register(() => new AdministratorPasswordReset("admins", { ...lab.target, allowedToUseSSPR: true })),
    ]);
    for (const registration of registrations) {
      const { id, outputs } = await adopt(registration);
      expect(lab.emulator.requests().filter((entry) => entry.method !== "GET")).toEqual([]);
      expect(lab.emulator.requests()).toHaveLength(1);
      lab.emulator.clearRequests();
      await host.read(registration.urn, id, outputs);
      expect(lab.emulator.requests()).toHaveLength(1);
      expect(lab.emulator.requests()[0].method).toBe("GET");
      lab.emulator.clearRequests();
    }
  });
});

describe("faults through the dynamic-provider host", () => {
  const settings = {
    enablement: "all" as const,
    methodsRequired: 2 as const,
    notifications: { users: true, admins: true },
  };

  it("waits out a 429 with Retry-After and then succeeds", async () => {
    lab.emulator.addFault({ method: "PUT", path: portalPath, status: 429, retryAfter: 1 });
    const registration = await register(() => new PasswordResetPolicy("sspr", { ...lab.target, ...settings }));
    const started = Date.now();
    await adopt(registration);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(lab.emulator.requests().map((entry) => `${entry.method} ${entry.status}`)).toEqual([
      "GET 200",
      "PUT 429",
      "PUT 200",
      "GET 200",
    ]);
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({
      enablementType: 2,
      numberOfAuthenticationMethodsRequired: 2,
    });
  });

  it("leaves the portal object fully old when retries run out mid-update, and a rerun converges", async () => {
    const registration = await register(() => new PasswordResetPolicy("sspr", { ...lab.target, ...settings }));
    const { inputs, id, outputs } = await adopt(registration);
    const applied = lab.emulator.state();
    drift((state) => {
      Object.assign(state.passwordResetPolicies, { enablementType: 0, numberOfAuthenticationMethodsRequired: 1 });
      state.passwordResetPolicies.notifyOnAdminPasswordReset = false;
    });
    const drifted = lab.emulator.state();
    const read = await host.read(registration.urn, id, outputs);

    lab.emulator.addFault({ method: "PUT", path: portalPath, status: 503, retryAfter: 0, count: 5 });
    lab.emulator.clearRequests();
    const failed = await host.update(registration.urn, id, read.properties, inputs).catch((reason: unknown) => reason);
    expect(failed).toBeInstanceOf(ProviderHostError);
    expect((failed as ProviderHostError).details).toMatch(/503/);
    expect(lab.emulator.requests().map((entry) => `${entry.method} ${entry.status}`)).toEqual([
      "GET 200",
      ...Array<string>(5).fill("PUT 503"),
    ]);
    // Fully old: the whole-object PUT never landed (never a mix of old and new fields).
    expect(lab.emulator.state()).toStrictEqual(drifted);

    // The engine keeps the old outputs after a failed update; the rerun starts from them and converges.
    lab.emulator.clearRequests();
    const rerun = await host.update(registration.urn, id, read.properties, inputs);
    expect(requestLines()).toEqual([`GET ${portalPath}`, `PUT ${portalPath}`, `GET ${portalPath}`]);
    expect(lab.emulator.state().passwordResetPolicies).toStrictEqual(applied.passwordResetPolicies);
    expect((await host.diff(registration.urn, id, rerun.properties, inputs)).changes).toBe(false);
  });

  it("leaves a method configuration fully old when retries run out mid-update, and a rerun converges", async () => {
    const registration = await register(
      () =>
        new AuthenticationMethodConfiguration("sms", {
          ...lab.target,
          methodId: "Sms",
          state: "disabled",
          includeTargets: [{ targetType: "group", id: pilotGroup }],
          includeTargetsMode: "exact",
        }),
    );
    const { inputs, id, outputs } = await adopt(registration);
    const applied = sms(lab.emulator.state());
    drift((state) => {
      Object.assign(sms(state), { state: "enabled", includeTargets: sms(lab.seeded).includeTargets });
    });
    const drifted = lab.emulator.state();
    const read = await host.read(registration.urn, id, outputs);

    lab.emulator.addFault({ method: "PATCH", path: smsPath, status: 503, retryAfter: 0, count: 5 });
    const failed = await host.update(registration.urn, id, read.properties, inputs).catch((reason: unknown) => reason);
    expect(failed).toBeInstanceOf(ProviderHostError);
    expect(lab.emulator.state()).toStrictEqual(drifted);

    const rerun = await host.update(registration.urn, id, read.properties, inputs);
    expect(sms(lab.emulator.state())).toStrictEqual(applied);
    expect((await host.diff(registration.urn, id, rerun.properties, inputs)).changes).toBe(false);
  });
});
