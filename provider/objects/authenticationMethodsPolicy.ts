/**
 * AuthenticationMethodsPolicy: the root of the Graph authentication methods policy (not its method configurations,
 * which are AuthenticationMethodConfiguration resources): registration campaign, report-suspicious-activity and
 * system-preferred MFA (both beta only: read and written on `/beta` when owned), and the migration state.
 *
 * The migration state moves forward only (preMigration -> migrationInProgress -> migrationComplete); a tenant
 * reporting `null` (every new tenant) counts as migrationComplete. Asking to go back fails at apply with a clear
 * error (check cannot see the tenant), and restore never moves it back either: Microsoft does not allow it, and
 * since 30 September 2025 the legacy policies it would hand methods back to can no longer manage them.
 */
import { activeCalendar, microsoftChangeWords, microsoftEditsExplaining } from "../../components/calendar";
import {
  tenantOfImportId,
  type CheckFailure,
  type CheckedTarget,
  type OwnedSettings,
  type RemoteDocument,
  type SingletonSpec,
} from "./singletonSpec";
import { deepEqual, isUnknown, keptOrMerged, recordOf, withoutNulls } from "./jsonValues";
import { canonicalTarget, canonicalTargets } from "./targetLists";
import { checkEnum, checkInteger, checkObject, failure, withoutRedundant } from "./inputChecks";
import { singletonProvider } from "./singletonProvider";
import { isGuid, isRecord } from "../../lib/predicates";
import type { AuthenticationMethodsPolicySettings } from "./objectSettings";
import { requireIntroducedGroups } from "../reader/groupExistence";
import { onGraphBeta, tenantObjectPaths } from "../../lib/endpoints";

export const authenticationMethodsPolicyPermission = "Policy.ReadWrite.AuthenticationMethod";

export type AuthenticationMethodsPolicyInputs = CheckedTarget & AuthenticationMethodsPolicySettings;

/** Root properties that exist only on Graph beta. */
export const betaPolicyFields = ["reportSuspiciousActivitySettings", "systemCredentialPreferences"];

export const migrationStates = ["preMigration", "migrationInProgress", "migrationComplete"] as const;

const featureStates = ["default", "enabled", "disabled"];

export function methodsPolicyPath(fields: readonly string[]): string {
  const path = tenantObjectPaths.authenticationMethodsPolicy;
  return fields.some((field) => betaPolicyFields.includes(field)) ? onGraphBeta(path) : path;
}

/** Position of a migration state; `null` (a new tenant) counts as complete; -1 for a value this code does not know. */
export function migrationRank(state: unknown): number {
  if (state === null || state === undefined) return migrationStates.length - 1;
  return migrationStates.indexOf(state as (typeof migrationStates)[number]);
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (pure)
// ---------------------------------------------------------------------------------------------------------------

function checkTargetList(
  property: string,
  value: unknown,
  allowed: string[],
  targetTypes: string[],
  allowAllUsers: boolean,
  failures: CheckFailure[],
): void {
  if (isUnknown(value) || value === undefined) return;
  if (!Array.isArray(value)) {
    failures.push(failure(property, value, "a list of targets { targetType, id }"));
    return;
  }
  value.forEach((element, index) =>
    checkTarget(`${property}[${index}]`, element, allowed, targetTypes, allowAllUsers, failures),
  );
}

function checkTarget(
  property: string,
  value: unknown,
  allowed: string[],
  targetTypes: string[],
  allowAllUsers: boolean,
  failures: CheckFailure[],
): void {
  const target = checkObject(property, value, allowed, allowed, failures);
  if (!target) return;
  failures.push(...checkEnum(`${property}.targetType`, target.targetType, targetTypes));
  const id = target.id;
  const allUsers = allowAllUsers && typeof id === "string" && id.toLowerCase() === "all_users";
  if (!isUnknown(id) && !isGuid(id) && !allUsers) {
    failures.push(
      failure(`${property}.id`, id, allowAllUsers ? 'an object id (GUID) or "all_users"' : "an object id (GUID)"),
    );
  }
  if (allowed.includes("targetedAuthenticationMethod")) {
    failures.push(
      ...checkEnum(`${property}.targetedAuthenticationMethod`, target.targetedAuthenticationMethod, [
        "microsoftAuthenticator",
      ]),
    );
  }
}

/** Every problem with the inputs, at once. */
export function validateAuthenticationMethodsPolicy(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (inputs.registrationCampaign !== undefined) {
    // Only `state` is required: each member given is owned, the others stay as the tenant has them.
    const keys = ["state", "snoozeDurationInDays", "includeTargets", "excludeTargets"];
    const campaign = checkObject("registrationCampaign", inputs.registrationCampaign, keys, ["state"], failures);
    if (campaign) {
      failures.push(...checkEnum("registrationCampaign.state", campaign.state, featureStates));
      failures.push(
        ...checkInteger(
          "registrationCampaign.snoozeDurationInDays",
          campaign.snoozeDurationInDays,
          0,
          14,
          true,
          "days",
        ),
      );
      checkTargetList(
        "registrationCampaign.includeTargets",
        campaign.includeTargets,
        ["targetType", "id", "targetedAuthenticationMethod"],
        ["group", "user"],
        true,
        failures,
      );
      checkTargetList(
        "registrationCampaign.excludeTargets",
        campaign.excludeTargets,
        ["targetType", "id"],
        ["group", "user"],
        false,
        failures,
      );
    }
  }
  if (inputs.reportSuspiciousActivity !== undefined) {
    const keys = ["state", "includeTarget", "voiceReportingCode"];
    const report = checkObject("reportSuspiciousActivity", inputs.reportSuspiciousActivity, keys, ["state"], failures);
    if (report) {
      failures.push(...checkEnum("reportSuspiciousActivity.state", report.state, featureStates));
      if (report.includeTarget !== undefined)
        checkTarget(
          "reportSuspiciousActivity.includeTarget",
          report.includeTarget,
          ["targetType", "id"],
          ["group"],
          true,
          failures,
        );
      failures.push(
        ...checkInteger(
          "reportSuspiciousActivity.voiceReportingCode",
          report.voiceReportingCode,
          0,
          9,
          true,
          "the digit a user presses to report a voice prompt",
        ),
      );
    }
  }
  if (inputs.systemCredentialPreferences !== undefined) {
    const keys = ["state", "includeTargets", "excludeTargets"];
    const preferences = checkObject(
      "systemCredentialPreferences",
      inputs.systemCredentialPreferences,
      keys,
      ["state"],
      failures,
    );
    if (preferences) {
      failures.push(...checkEnum("systemCredentialPreferences.state", preferences.state, featureStates));
      checkTargetList(
        "systemCredentialPreferences.includeTargets",
        preferences.includeTargets,
        ["targetType", "id"],
        ["group"],
        true,
        failures,
      );
      checkTargetList(
        "systemCredentialPreferences.excludeTargets",
        preferences.excludeTargets,
        ["targetType", "id"],
        ["group"],
        false,
        failures,
      );
    }
  }
  failures.push(...checkEnum("migrationState", inputs.migrationState, migrationStates, true));
  return withoutRedundant(failures);
}

// ---------------------------------------------------------------------------------------------------------------
// Normalising and mapping (pure)
// ---------------------------------------------------------------------------------------------------------------

export function methodsPolicyFields(inputs: AuthenticationMethodsPolicySettings): string[] {
  const fields: string[] = [];
  if (inputs.registrationCampaign !== undefined) fields.push("registrationEnforcement");
  if (inputs.reportSuspiciousActivity !== undefined) fields.push("reportSuspiciousActivitySettings");
  if (inputs.systemCredentialPreferences !== undefined) fields.push("systemCredentialPreferences");
  if (inputs.migrationState !== undefined) fields.push("policyMigrationState");
  return fields;
}

/**
 * `pulumi import`: the registration campaign and the migration state as v1.0 holds them (report suspicious activity
 * and system-preferred MFA live on beta only, and are left out). A `null` migration state is not owned.
 */
export function methodsPolicyImportable(remote: RemoteDocument): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  const campaign = campaignOf(remote.registrationEnforcement);
  if (typeof campaign.state === "string") {
    settings.registrationCampaign = Object.fromEntries(
      ["state", "snoozeDurationInDays", "includeTargets", "excludeTargets"]
        .filter((key) => campaign[key] !== undefined)
        .map((key) => [key, campaign[key]]),
    );
  }
  if (typeof remote.policyMigrationState === "string") settings.migrationState = remote.policyMigrationState;
  return settings;
}

function campaignOf(registrationEnforcement: unknown): Record<string, unknown> {
  const campaign = isRecord(registrationEnforcement)
    ? registrationEnforcement.authenticationMethodsRegistrationCampaign
    : undefined;
  return isRecord(campaign) ? campaign : {};
}

/** Only the members the stack gives are owned (compared, written, restored); `state` always is. */
function onlyOwned(canonical: Record<string, unknown>, given: object): Record<string, unknown> {
  const keys = new Set(["state", ...Object.keys(given)]);
  return Object.fromEntries(Object.entries(canonical).filter(([key]) => keys.has(key)));
}

function canonicalCampaign(campaign: Record<string, unknown>, given: object): Record<string, unknown> {
  return onlyOwned(
    {
      // A campaign Graph reports without a state is Microsoft-managed.
      state: campaign.state ?? "default",
      snoozeDurationInDays: campaign.snoozeDurationInDays ?? null,
      includeTargets: canonicalTargets(campaign.includeTargets),
      excludeTargets: canonicalTargets(campaign.excludeTargets, true),
    },
    given,
  );
}

function canonicalReport(report: Record<string, unknown>, given: object): Record<string, unknown> {
  return onlyOwned(
    {
      state: report.state ?? "default",
      includeTarget: canonicalTarget(report.includeTarget ?? null),
      voiceReportingCode: report.voiceReportingCode ?? null,
    },
    given,
  );
}

function canonicalPreferences(preferences: Record<string, unknown>, given: object): Record<string, unknown> {
  return onlyOwned(
    {
      state: preferences.state ?? "default",
      includeTargets: canonicalTargets(preferences.includeTargets),
      excludeTargets: canonicalTargets(preferences.excludeTargets, true),
    },
    given,
  );
}

export function methodsPolicyOwned(remote: RemoteDocument, inputs: AuthenticationMethodsPolicySettings): OwnedSettings {
  const owned: OwnedSettings = {};
  if (inputs.registrationCampaign !== undefined)
    owned.registrationCampaign = canonicalCampaign(
      campaignOf(remote.registrationEnforcement),
      inputs.registrationCampaign,
    );
  if (inputs.reportSuspiciousActivity !== undefined)
    owned.reportSuspiciousActivity = canonicalReport(
      recordOf(remote.reportSuspiciousActivitySettings),
      inputs.reportSuspiciousActivity,
    );
  if (inputs.systemCredentialPreferences !== undefined)
    owned.systemCredentialPreferences = canonicalPreferences(
      recordOf(remote.systemCredentialPreferences),
      inputs.systemCredentialPreferences,
    );
  // `null` (and absent) counts as complete: a new tenant reports null and a PATCH leaves it null.
  if (inputs.migrationState !== undefined) owned.migrationState = remote.policyMigrationState ?? "migrationComplete";
  return owned;
}

export function methodsPolicyDesired(inputs: AuthenticationMethodsPolicySettings): OwnedSettings {
  const desired: OwnedSettings = {};
  if (inputs.registrationCampaign !== undefined)
    desired.registrationCampaign = canonicalCampaign({ ...inputs.registrationCampaign }, inputs.registrationCampaign);
  if (inputs.reportSuspiciousActivity !== undefined)
    desired.reportSuspiciousActivity = canonicalReport(
      { ...inputs.reportSuspiciousActivity },
      inputs.reportSuspiciousActivity,
    );
  if (inputs.systemCredentialPreferences !== undefined)
    desired.systemCredentialPreferences = canonicalPreferences(
      { ...inputs.systemCredentialPreferences },
      inputs.systemCredentialPreferences,
    );
  if (inputs.migrationState !== undefined) desired.migrationState = inputs.migrationState;
  return desired;
}

/** Refuses to move the migration state backwards (or from a state this code does not know). */
export function guardMigration(current: OwnedSettings, desired: OwnedSettings): void {
  if (desired.migrationState === undefined || deepEqual(current.migrationState, desired.migrationState)) return;
  const from = migrationRank(current.migrationState);
  const to = migrationRank(desired.migrationState);
  if (from < 0 || to < from) {
    throw new Error(
      `AuthenticationMethodsPolicy: migrationState cannot move from ${JSON.stringify(current.migrationState)} to ` +
        `${JSON.stringify(desired.migrationState)}: the migration only moves forward (preMigration -> ` +
        `migrationInProgress -> migrationComplete) and a tenant reporting null counts as migrationComplete. ` +
        `Set migrationState to ${JSON.stringify(current.migrationState)} or remove it.`,
    );
  }
}

/** The raw fields realising `next`; a field whose owned value is already right keeps the tenant's exact value. */
export function methodsPolicyToGraph(
  next: OwnedSettings,
  remote: RemoteDocument,
  inputs: AuthenticationMethodsPolicySettings,
): RemoteDocument {
  const raw: RemoteDocument = {};
  const current = methodsPolicyOwned(remote, inputs);
  // Whole complex values are sent (the tenant's, with the given members merged in), so the outcome does not depend on
  // whether Graph merges or replaces complex properties on PATCH (unverified).
  if (inputs.registrationCampaign !== undefined) {
    raw.registrationEnforcement = keptOrMerged(
      current.registrationCampaign,
      next.registrationCampaign,
      remote.registrationEnforcement,
      { authenticationMethodsRegistrationCampaign: { ...inputs.registrationCampaign } },
    );
  }
  if (inputs.reportSuspiciousActivity !== undefined) {
    raw.reportSuspiciousActivitySettings = keptOrMerged(
      current.reportSuspiciousActivity,
      next.reportSuspiciousActivity,
      remote.reportSuspiciousActivitySettings,
      { ...inputs.reportSuspiciousActivity },
    );
  }
  if (inputs.systemCredentialPreferences !== undefined) {
    raw.systemCredentialPreferences = keptOrMerged(
      current.systemCredentialPreferences,
      next.systemCredentialPreferences,
      remote.systemCredentialPreferences,
      { ...inputs.systemCredentialPreferences },
    );
  }
  if (inputs.migrationState !== undefined) {
    raw.policyMigrationState = deepEqual(current.migrationState, next.migrationState)
      ? (remote.policyMigrationState ?? null)
      : next.migrationState;
  }
  return raw;
}

/** Snapshot fields restore may write: never the migration state backwards (Microsoft refuses; see the file header). */
export function methodsPolicyRestorable(changed: RemoteDocument, remote: RemoteDocument): RemoteDocument {
  // A PATCH cannot remove a property: fields absent before adoption stay as they are.
  const restorable = withoutNulls(changed);
  if (
    "policyMigrationState" in restorable &&
    migrationRank(restorable.policyMigrationState) <= migrationRank(remote.policyMigrationState)
  ) {
    delete restorable.policyMigrationState;
  }
  return restorable;
}

export const authenticationMethodsPolicySpec: SingletonSpec<AuthenticationMethodsPolicyInputs> = {
  kind: "AuthenticationMethodsPolicy",
  settingKeys: ["registrationCampaign", "reportSuspiciousActivity", "systemCredentialPreferences", "migrationState"],
  microsoftChanges: (previous, current, now) =>
    microsoftEditsExplaining(
      "registrationCampaign",
      previous === undefined ? undefined : recordOf(previous.registrationCampaign),
      recordOf(current.registrationCampaign),
      now,
      activeCalendar(),
    ).map((entry) => microsoftChangeWords(entry, "registrationCampaign.state: microsoftManaged")),
  supportsReset: false,
  validate: validateAuthenticationMethodsPolicy,
  id: (inputs) => `${inputs.tenantId}/authenticationMethodsPolicy`,
  async get(client, _inputs, fields) {
    const request = {
      api: "graph",
      method: "GET",
      path: methodsPolicyPath(fields),
      permission: authenticationMethodsPolicyPermission,
    } as const;
    // The v1.0 document is the one the method configurations read too: one read of a run serves all (runReads.ts).
    const response = await client.send(request);
    if (!isRecord(response.body)) throw new Error("AuthenticationMethodsPolicy: Graph returned no policy object");
    return response.body;
  },
  rawFields: methodsPolicyFields,
  importId: (id) => tenantOfImportId(id, "authenticationMethodsPolicy"),
  importable: methodsPolicyImportable,
  owned: methodsPolicyOwned,
  desired: (inputs) => methodsPolicyDesired(inputs),
  guard: guardMigration,
  toRaw: methodsPolicyToGraph,
  async send(client, inputs, remote, changed) {
    await requireIntroducedGroups(client, "AuthenticationMethodsPolicy", { inputs, remote, changed });
    // PATCH answers 200 with the policy; the lifecycle still reads back with a GET like for every object.
    await client.send({
      api: "graph",
      method: "PATCH",
      path: methodsPolicyPath(Object.keys(changed)),
      body: changed,
      permission: authenticationMethodsPolicyPermission,
    });
  },
  restorable: methodsPolicyRestorable,
};

export const authenticationMethodsPolicyProvider = singletonProvider(authenticationMethodsPolicySpec);
