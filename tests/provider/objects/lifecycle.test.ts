/**
 * The four tenant singletons through the real path: each resource is constructed under `pulumi.runtime.setMocks`,
 * and the inputs Pulumi produced are sent over gRPC to the entra-sspr provider plugin (started as the CLI starts
 * it), which talks HTTP to the in-process emulator seeded with the shared real-world fixtures. One plugin and one
 * emulator for the whole file.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AdministratorPasswordReset,
  AuthenticationMethodConfiguration,
  AuthenticationMethodsPolicy,
  PasswordResetPolicy,
} from "../../../components/resources";
import type { TenantSeed, TenantState } from "../../../emulator/server";
import { collectRegistrations, type Registration } from "../../../engine/mockRun";
import type { PropertyMap } from "../../../engine/propertyValues";
import { ProviderHostError } from "../../../engine/providerHost";
import { useProviderHost } from "../../support/rehearsalHost";
import { useEmulator } from "../../support/emulator";
import { loadFixture } from "../../support/fixtures";
import { groupsWith } from "../../support/groups";
import { isWriteRequest } from "../../../emulator/requestLog";

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
const hosted = useProviderHost();

/** The one registration a program makes under mocks: its URN and inputs (no provider code: the plugin serves it). */
async function register(program: () => unknown): Promise<Registration> {
  const registrations = await collectRegistrations(program);
  expect(registrations).toHaveLength(1);
  expect(registrations[0].inputs).not.toHaveProperty("__provider");
  return registrations[0];
}

/** `pulumi up` of a new resource: Check, then Create with the checked inputs. */
async function adopt(registration: Registration): Promise<{ inputs: PropertyMap; id: string; outputs: PropertyMap }> {
  await hosted.host.configure();
  const checked = await hosted.host.check(registration.urn, {}, registration.inputs);
  expect(checked.failures).toEqual([]);
  const created = await hosted.host.create(registration.urn, checked.inputs);
  return { inputs: checked.inputs, id: created.id, outputs: created.properties };
}

/**
 * Each step of these tests is its own deployment (`pulumi up`, `refresh`, `destroy`): the engine configures the
 * provider first, which starts a run, so nothing read in an earlier step is reused (runReads.ts). Clears the log.
 */
async function newRun(): Promise<void> {
  lab.emulator.clearRequests();
  await hosted.host.configure();
}

/** The request log as `METHOD path` lines. */
function requestLines(): string[] {
  // A `$batch` shows the methods it carried: a write and its read-back leave together (runReads.ts `runAfter`).
  return lab.emulator
    .requests()
    .map((entry) => `${entry.method} ${entry.path}${entry.batch === undefined ? "" : ` [${entry.batch.join(", ")}]`}`);
}

/** Changes the tenant behind the provider's back, as an admin in the admin center would. */
async function drift(change: (state: TenantState) => void): Promise<void> {
  const next = lab.emulator.state();
  change(next);
  lab.emulator.seed(next);
  await newRun();
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
      "entra-sspr:index:AdministratorPasswordReset",
      "entra-sspr:index:AuthenticationMethodConfiguration",
      "entra-sspr:index:AuthenticationMethodsPolicy",
      "entra-sspr:index:PasswordResetPolicy",
    ]);
    for (const resource of resources) {
      expect(pulumi.Output.isInstance(resource.snapshot)).toBe(true);
      expect(pulumi.Output.isInstance(resource.current)).toBe(true);
    }
    // No credential and no code can reach the state through the inputs: only target and settings.
    const admins = registrations.find((registration) => registration.name === "admins");
    expect(Object.keys(admins?.inputs ?? {}).sort()).toEqual(["allowedToUseSSPR", "endpoints", "tenantId"]);
  });
});

const smsPath = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms";
// A method configuration is read from the policy, which carries every method (components/entra/sharedReads.ts).
const smsReadPath = "/v1.0/policies/authenticationMethodsPolicy";
const policyPath = "/v1.0/policies/authenticationMethodsPolicy";
const authorizationPath = "/v1.0/policies/authorizationPolicy";
const campaign = (campaignPatch.registrationEnforcement as Record<string, Record<string, unknown>>)
  .authenticationMethodsRegistrationCampaign;

function sms(state: TenantState): Record<string, unknown> {
  const found = state.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
    (method) => method.id === "Sms",
  );
  if (!found) throw new Error("the seed has no Sms configuration");
  return found;
}

/** What `pulumi up` of a new resource gave: the checked inputs and the created resource's id and outputs. */
interface Adopted {
  inputs: PropertyMap;
  id: string;
  outputs: PropertyMap;
}

/**
 * One tenant singleton in the shared lifecycle script below: how to build it, the requests each step sends, how the
 * admin center drifts it, and the resource's own checks after adoption.
 */
interface LifecycleCase {
  type: string;
  /** The resource under `setMocks`, at the emulator, destroying with `onDelete` ("restore" when absent). */
  resource(onDelete?: "retain"): unknown;
  /** The one GET a refresh sends. */
  readPath: string;
  /** First `up`: read, anything looked up before the write, the write, the read-back. */
  adoptRequests: string[];
  /** An update after drift (a group the drift removed is looked up again before the write). */
  updateRequests: string[];
  /** Destroy with restore. */
  restoreRequests: string[];
  /** The resource's own checks of the adoption (inputs, snapshot, the tenant it left). */
  adopted(result: Adopted): void;
  /** The part of the tenant the resource writes. */
  owned(state: TenantState): unknown;
  /** A change made in the admin center behind the stack's back. */
  drift(state: TenantState): void;
  /** What a refresh reads back after the drift, as outputs and as inputs. */
  drifted: { properties: Record<string, unknown>; inputs: Record<string, unknown> };
  /** The tenant as compared with the seed after destroy (Graph moves `lastModifiedDateTime` on every write). */
  comparable(state: TenantState): TenantState;
}

const passwordResetPolicyCase: LifecycleCase = {
  type: "PasswordResetPolicy",
  resource: (onDelete) =>
    new PasswordResetPolicy("sspr", {
      ...lab.target,
      enablement: "selected",
      groupId: pilotGroup,
      methodsRequired: 2,
      registration: { requireOnSignIn: true, reconfirmDays: 90 },
      notifications: { users: true, admins: true },
      onDelete,
    }),
  readPath: portalPath,
  // The pilot group is new to the policy: it is read first (existence before any write).
  adoptRequests: [`GET ${portalPath}`, `GET /v1.0/groups/${pilotGroup}`, `PUT ${portalPath}`, `GET ${portalPath}`],
  updateRequests: [`GET ${portalPath}`, `PUT ${portalPath}`, `GET ${portalPath}`],
  restoreRequests: [`GET ${portalPath}`, `PUT ${portalPath}`, `GET ${portalPath}`],
  adopted: ({ outputs }) => {
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
    expect(lab.emulator.state().passwordResetPolicies).toEqual({
      ...portalFixture,
      passwordResetEnabledGroupIds: [pilotGroup],
      passwordResetEnabledGroupName: "",
      numberOfAuthenticationMethodsRequired: 2,
      registrationReconfirmIntevalInDays: 90,
      notifyOnAdminPasswordReset: true,
    });
  },
  owned: (state) => state.passwordResetPolicies,
  // SSPR switched to All and admins no longer notified.
  drift: (state) => {
    state.passwordResetPolicies.enablementType = 2;
    state.passwordResetPolicies.notifyOnAdminPasswordReset = false;
  },
  drifted: {
    properties: { enablement: "all", notifications: { users: true, admins: false } },
    inputs: { enablement: "all", notifications: { users: true, admins: false } },
  },
  comparable: (state) => state,
};

const methodConfigurationCase: LifecycleCase = {
  type: "AuthenticationMethodConfiguration",
  resource: (onDelete) =>
    new AuthenticationMethodConfiguration("sms", {
      ...lab.target,
      methodId: "sms" as never, // any casing is accepted; check canonicalises it
      state: "disabled",
      includeTargets: [{ targetType: "group", id: pilotGroup.toUpperCase(), isUsableForSignIn: false }],
      onDelete,
    }),
  readPath: smsReadPath,
  adoptRequests: [`GET ${smsReadPath}`, `GET /v1.0/groups/${pilotGroup}`, `POST /v1.0/$batch [PATCH, GET]`],
  // The drift removed the pilot group, so putting it back reads it again first.
  updateRequests: [`GET ${smsReadPath}`, `GET /v1.0/groups/${pilotGroup}`, `POST /v1.0/$batch [PATCH, GET]`],
  restoreRequests: [`GET ${smsReadPath}`, `POST /v1.0/$batch [PATCH, GET]`],
  adopted: ({ inputs, outputs }) => {
    expect(inputs).toMatchObject({ methodId: "Sms", includeTargetsMode: "add" });
    const original = sms(lab.seeded);
    expect(outputs.snapshot).toEqual({ state: "enabled", includeTargets: original.includeTargets });
    // all_users keeps its own members (nobody loses SMS sign-in); the pilot group is added.
    expect(sms(lab.emulator.state())).toEqual({
      ...original,
      state: "disabled",
      includeTargets: [
        ...(original.includeTargets as unknown[]),
        { targetType: "group", id: pilotGroup, isUsableForSignIn: false },
      ],
    });
  },
  owned: sms,
  // Someone re-enables SMS and removes the pilot group.
  drift: (state) => {
    const method = sms(state);
    method.state = "enabled";
    method.includeTargets = sms(lab.seeded).includeTargets;
  },
  drifted: {
    properties: { state: "enabled", includeTargets: [] },
    inputs: { state: "enabled", includeTargets: [] },
  },
  comparable: withoutServerStamps,
};

const methodsPolicyCase: LifecycleCase = {
  type: "AuthenticationMethodsPolicy",
  resource: (onDelete) =>
    new AuthenticationMethodsPolicy("methods", {
      ...lab.target,
      registrationCampaign: campaign as never,
      // The seeded tenant reports no migration state (null): that counts as complete, so nothing is written for it.
      migrationState: "migrationComplete",
      onDelete,
    }),
  readPath: policyPath,
  // The campaign's group is new to the policy: it is read first (existence before any write).
  adoptRequests: [`GET ${policyPath}`, `GET /v1.0/groups/${pilotGroup}`, `POST /v1.0/$batch [PATCH, GET]`],
  updateRequests: [`GET ${policyPath}`, `POST /v1.0/$batch [PATCH, GET]`],
  restoreRequests: [`GET ${policyPath}`, `POST /v1.0/$batch [PATCH, GET]`],
  adopted: ({ outputs }) => {
    expect(outputs.snapshot).toEqual({
      registrationEnforcement: methodsPolicyFixture.registrationEnforcement,
      policyMigrationState: null,
    });
    expect(outputs.current).toMatchObject({ migrationState: "migrationComplete" });
    const adopted = lab.emulator.state().authenticationMethodsPolicy;
    expect(adopted.registrationEnforcement).toEqual(campaignPatch.registrationEnforcement);
    expect(adopted.policyMigrationState).toBeUndefined();
  },
  owned: (state) => state.authenticationMethodsPolicy.registrationEnforcement,
  drift: (state) => {
    const enforcement = state.authenticationMethodsPolicy.registrationEnforcement as Record<
      string,
      Record<string, unknown>
    >;
    enforcement.authenticationMethodsRegistrationCampaign.state = "disabled";
    enforcement.authenticationMethodsRegistrationCampaign.snoozeDurationInDays = 5;
  },
  drifted: {
    properties: { registrationCampaign: { state: "disabled", snoozeDurationInDays: 5 } },
    inputs: { registrationCampaign: { state: "disabled", snoozeDurationInDays: 5 } },
  },
  comparable: withoutServerStamps,
};

const administratorCase: LifecycleCase = {
  type: "AdministratorPasswordReset",
  resource: (onDelete) =>
    new AdministratorPasswordReset("admins", { ...lab.target, allowedToUseSSPR: false, onDelete }),
  readPath: authorizationPath,
  adoptRequests: [`GET ${authorizationPath}`, `POST /v1.0/$batch [PATCH, GET]`],
  updateRequests: [`GET ${authorizationPath}`, `POST /v1.0/$batch [PATCH, GET]`],
  restoreRequests: [`GET ${authorizationPath}`, `POST /v1.0/$batch [PATCH, GET]`],
  adopted: ({ outputs }) => {
    expect(lab.seeded.authorizationPolicy.allowedToUseSSPR).toBe(true);
    expect(outputs).toMatchObject({ snapshot: { allowedToUseSSPR: true }, current: { allowedToUseSSPR: false } });
    expect(lab.emulator.state().authorizationPolicy).toEqual({
      ...lab.seeded.authorizationPolicy,
      allowedToUseSSPR: false,
    });
  },
  owned: (state) => state.authorizationPolicy,
  drift: (state) => {
    state.authorizationPolicy.allowedToUseSSPR = true;
  },
  drifted: {
    properties: { allowedToUseSSPR: true, current: { allowedToUseSSPR: true } },
    inputs: { allowedToUseSSPR: true },
  },
  comparable: (state) => state,
};

// The lifecycle every tenant singleton shares, one table row per resource (as awsx's ec2/vpc.test.ts runs one
// script per subnet strategy). Cases only one resource has stay in its own describe below or in its own file.
describe.each([passwordResetPolicyCase, methodConfigurationCase, methodsPolicyCase, administratorCase])(
  "$type through the provider plugin",
  (row) => {
    it("adopts, shows drift on refresh, converges, writes nothing the second time and restores the seed", async () => {
      const registration = await register(() => row.resource());
      expect(registration.type).toBe(`entra-sspr:index:${row.type}`);

      const adoption = await adopt(registration);
      const { inputs, id, outputs } = adoption;
      expect(requestLines()).toEqual(row.adoptRequests);
      expect(inputs.onDelete).toBe("restore");
      row.adopted(adoption);
      const adopted = row.owned(lab.emulator.state());

      // Drift made in the admin center: a refresh reads it (one GET) and keeps the snapshot taken at adoption.
      await drift(row.drift);
      const read = await hosted.host.read(registration.urn, id, outputs);
      expect(requestLines()).toEqual([`GET ${row.readPath}`]);
      expect(read.id).toBe(id);
      expect(read.properties).toMatchObject(row.drifted.properties);
      expect(read.inputs).toMatchObject(row.drifted.inputs);
      expect(read.properties.snapshot).toEqual(outputs.snapshot);

      expect((await hosted.host.diff(registration.urn, id, outputs, inputs)).changes).toBe(false);
      expect(await hosted.host.diff(registration.urn, id, read.properties, inputs)).toMatchObject({
        changes: true,
        replaces: [],
      });

      await newRun();
      const updated = await hosted.host.update(registration.urn, id, read.properties, inputs);
      expect(requestLines()).toEqual(row.updateRequests);
      expect(row.owned(lab.emulator.state())).toEqual(adopted);
      expect(updated.properties.snapshot).toEqual(outputs.snapshot);

      // Second apply: the diff from state says nothing to do; even an update (as after a refresh) writes nothing.
      expect((await hosted.host.diff(registration.urn, id, updated.properties, inputs)).changes).toBe(false);
      await newRun();
      await hosted.host.update(registration.urn, id, updated.properties, inputs);
      expect(requestLines()).toEqual([`GET ${row.readPath}`]);

      await newRun();
      await hosted.host.delete(registration.urn, id, updated.properties);
      expect(requestLines()).toEqual(row.restoreRequests);
      expect(row.comparable(lab.emulator.state())).toStrictEqual(row.comparable(lab.seeded));
    });

    it("retain: destroy sends nothing and leaves the tenant as the stack made it", async () => {
      const registration = await register(() => row.resource("retain"));
      const { inputs, id, outputs } = await adopt(registration);
      expect(inputs.onDelete).toBe("retain");
      const applied = lab.emulator.state();
      await newRun();
      await hosted.host.delete(registration.urn, id, outputs);
      expect(requestLines()).toEqual([]);
      expect(lab.emulator.state()).toStrictEqual(applied);
    });
  },
);

describe("AuthenticationMethodsPolicy through the provider plugin", () => {
  it("refuses to move the migration state backwards, naming both states", async () => {
    const registration = await register(
      () => new AuthenticationMethodsPolicy("methods", { ...lab.target, migrationState: "preMigration" }),
    );
    const checked = await hosted.host.check(registration.urn, {}, registration.inputs);
    expect(checked.failures).toEqual([]);
    const error = await hosted.host.create(registration.urn, checked.inputs).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderHostError);
    expect((error as ProviderHostError).details).toMatch(
      /migrationState cannot move from "migrationComplete" to "preMigration".*null counts as migrationComplete/,
    );
    expect(requestLines()).toEqual([`GET ${policyPath}`]);
    expect(lab.emulator.state()).toStrictEqual(lab.seeded);
  });
});

describe("request economy through the provider plugin", () => {
  it("adopting a tenant that already matches is one GET; a refresh of each resource is one GET", async () => {
    // The tenant already has what each resource asks for (SSPR for All, SMS on, a new tenant's null migration state
    // counting as complete, SSPR for admins on).
    await drift((state) => {
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
      expect(lab.emulator.requests().filter(isWriteRequest)).toEqual([]);
      expect(lab.emulator.requests()).toHaveLength(1);
      await newRun();
      await hosted.host.read(registration.urn, id, outputs);
      expect(lab.emulator.requests()).toHaveLength(1);
      expect(lab.emulator.requests()[0].method).toBe("GET");
      await newRun();
    }
  });
});

describe("faults through the provider plugin", () => {
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
    await drift((state) => {
      Object.assign(state.passwordResetPolicies, { enablementType: 0, numberOfAuthenticationMethodsRequired: 1 });
      state.passwordResetPolicies.notifyOnAdminPasswordReset = false;
    });
    const drifted = lab.emulator.state();
    const read = await hosted.host.read(registration.urn, id, outputs);

    lab.emulator.addFault({ method: "PUT", path: portalPath, status: 503, retryAfter: 0, count: 5 });
    await newRun();
    const failed = await hosted.host
      .update(registration.urn, id, read.properties, inputs)
      .catch((reason: unknown) => reason);
    expect(failed).toBeInstanceOf(ProviderHostError);
    expect((failed as ProviderHostError).details).toMatch(/503/);
    expect(lab.emulator.requests().map((entry) => `${entry.method} ${entry.status}`)).toEqual([
      "GET 200",
      ...Array<string>(5).fill("PUT 503"),
    ]);
    // Fully old: the whole-object PUT never landed (never a mix of old and new fields).
    expect(lab.emulator.state()).toStrictEqual(drifted);

    // The engine keeps the old outputs after a failed update; the rerun starts from them and converges.
    await newRun();
    const rerun = await hosted.host.update(registration.urn, id, read.properties, inputs);
    expect(requestLines()).toEqual([`GET ${portalPath}`, `PUT ${portalPath}`, `GET ${portalPath}`]);
    expect(lab.emulator.state().passwordResetPolicies).toStrictEqual(applied.passwordResetPolicies);
    expect((await hosted.host.diff(registration.urn, id, rerun.properties, inputs)).changes).toBe(false);
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
    await drift((state) => {
      Object.assign(sms(state), { state: "enabled", includeTargets: sms(lab.seeded).includeTargets });
    });
    const drifted = lab.emulator.state();
    const read = await hosted.host.read(registration.urn, id, outputs);

    // Six: the PATCH's try inside its `$batch` (with its read-back), then the client's five alone.
    lab.emulator.addFault({ method: "PATCH", path: smsPath, status: 503, retryAfter: 0, count: 6 });
    const failed = await hosted.host
      .update(registration.urn, id, read.properties, inputs)
      .catch((reason: unknown) => reason);
    expect(failed).toBeInstanceOf(ProviderHostError);
    expect(lab.emulator.state()).toStrictEqual(drifted);

    const rerun = await hosted.host.update(registration.urn, id, read.properties, inputs);
    expect(sms(lab.emulator.state())).toStrictEqual(applied);
    expect((await hosted.host.diff(registration.urn, id, rerun.properties, inputs)).changes).toBe(false);
  });
});
