/**
 * How the tenant objects' raw documents read as admin-center settings. Pure (no Pulumi, no HTTP), so that the
 * singletons' lifecycles (the provider) and the tenant reader (`tenantReader.ts`, which read-only commands load)
 * decode alike, and each raw value is decoded in one place.
 */
import type { RemoteDocument } from "../provider/objects/singletonSpec";
import { isRecord } from "./predicates";

/** The portal's `enablementType` per admin-center scope (Properties blade): 0 None, 1 Selected, 2 All (docs/reference/portal-api.md#field-facts). */
export const enablementTypes: Readonly<Record<string, number>> = { none: 0, selected: 1, all: 2 };

/**
 * The admin-center scope of an `enablementType`: "none", "selected" or "all"; `enablementType <value>` for a value
 * this code does not know; null when the field is absent.
 */
export function enablementOf(enablementType: unknown): string | null {
  for (const [name, value] of Object.entries(enablementTypes)) if (value === enablementType) return name;
  return enablementType === undefined || enablementType === null ? null : `enablementType ${String(enablementType)}`;
}

/** The one group id, lower-cased; the raw list when the portal holds other than exactly one. */
export function groupIdOf(groupIds: unknown): unknown {
  if (Array.isArray(groupIds) && groupIds.length === 1 && typeof groupIds[0] === "string")
    return groupIds[0].toLowerCase();
  return groupIds ?? null;
}

/**
 * The portal policy's settings as a stack config sets them (each only when its fields are there): `pulumi import`
 * and the tenant reader. The legacy per-method switches are left out: they decide nothing since the methods-policy
 * migration, and owning them would mean writing them.
 */
export function passwordResetPolicyImportable(remote: RemoteDocument): Record<string, unknown> {
  const has = (...names: string[]) => names.every((name) => remote[name] !== undefined && remote[name] !== null);
  const settings: Record<string, unknown> = {};
  const enablement = enablementOf(remote.enablementType);
  if (enablement === "none" || enablement === "selected" || enablement === "all") settings.enablement = enablement;
  const groupId = groupIdOf(remote.passwordResetEnabledGroupIds);
  if (enablement === "selected" && typeof groupId === "string") settings.groupId = groupId;
  if (has("numberOfAuthenticationMethodsRequired"))
    settings.methodsRequired = remote.numberOfAuthenticationMethodsRequired;
  if (has("securityQuestionsOptionEnabled", "numberOfQuestionsToRegister", "numberOfQuestionsToReset")) {
    settings.securityQuestions = {
      enabled: remote.securityQuestionsOptionEnabled,
      register: remote.numberOfQuestionsToRegister,
      reset: remote.numberOfQuestionsToReset,
    };
  }
  if (has("registrationRequiredOnSignIn", "registrationReconfirmIntevalInDays")) {
    settings.registration = {
      requireOnSignIn: remote.registrationRequiredOnSignIn,
      reconfirmDays: remote.registrationReconfirmIntevalInDays,
    };
  }
  if (has("notifyUsersOnPasswordReset", "notifyOnAdminPasswordReset")) {
    settings.notifications = { users: remote.notifyUsersOnPasswordReset, admins: remote.notifyOnAdminPasswordReset };
  }
  if (has("customizeHelpdeskLink", "customHelpdeskEmailOrUrl")) {
    settings.helpdesk = { customize: remote.customizeHelpdeskLink, emailOrUrl: remote.customHelpdeskEmailOrUrl };
  }
  return settings;
}

/**
 * The authorization policy object from a GET. v1.0 answers with the object itself; beta models it as a collection
 * (`value: [..]`), which is accepted too in case a tenant or proxy answers that way (unverified for v1.0).
 */
export function authorizationPolicyOf(body: unknown): RemoteDocument {
  if (isRecord(body) && Array.isArray(body.value) && isRecord(body.value[0])) return body.value[0];
  if (isRecord(body) && !("value" in body)) return body;
  throw new Error("AdministratorPasswordReset: Graph returned no authorization policy object");
}

/**
 * The methods policy's migration state, `null` or absent counted as complete (new tenants report `null`; ScubaGear,
 * Maester and CIPP all count it so).
 */
export function migrationStateOf(methodsPolicy: RemoteDocument): string {
  const state = methodsPolicy.policyMigrationState;
  return typeof state === "string" && state !== "" ? state : "migrationComplete";
}

/** Before or during the migration the portal's legacy per-method switches still decide which methods SSPR offers. */
export function legacySwitchesDecide(methodsPolicy: RemoteDocument): boolean {
  const state = migrationStateOf(methodsPolicy);
  return state === "preMigration" || state === "migrationInProgress";
}

// ---------------------------------------------------------------------------------------------------------------
// Admin-center words of the raw documents (pure)
// ---------------------------------------------------------------------------------------------------------------

/** Who may reset (Properties blade): the scope, the group ids the portal holds and the group's name where known. */
export interface SsprScopeSetting {
  /** "none", "selected", "all"; `enablementType <value>` for an unknown value; null when absent. */
  enablement: string | null;
  groupIds: string[];
  /** The Selected group's name, when the portal returned one (`withGroupName`). */
  groupName?: string;
}

export function ssprScopeOf(portal: Record<string, unknown> | undefined): SsprScopeSetting {
  const ids = Array.isArray(portal?.passwordResetEnabledGroupIds)
    ? portal.passwordResetEnabledGroupIds.map(String)
    : [];
  const name = portal?.passwordResetEnabledGroupName;
  return {
    enablement: enablementOf(portal?.enablementType),
    groupIds: ids,
    ...(typeof name === "string" && name !== "" ? { groupName: name } : {}),
  };
}

/** The methods policy's migration state as Graph reports it: a string, or null (new tenants; absent). */
export function reportedMigrationState(methodsPolicy: Record<string, unknown>): string | null {
  return typeof methodsPolicy.policyMigrationState === "string" ? methodsPolicy.policyMigrationState : null;
}

/** The method configurations of the methods policy (objects only). */
export function methodConfigurationsOf(methodsPolicy: unknown): Record<string, unknown>[] {
  return isRecord(methodsPolicy) && Array.isArray(methodsPolicy.authenticationMethodConfigurations)
    ? methodsPolicy.authenticationMethodConfigurations.filter(isRecord)
    : [];
}

/** One method configuration by id (case-insensitive). */
export function methodConfigurationOf(methodsPolicy: unknown, id: string): Record<string, unknown> | undefined {
  return methodConfigurationsOf(methodsPolicy).find(
    (configuration) => typeof configuration.id === "string" && configuration.id.toLowerCase() === id.toLowerCase(),
  );
}

/** The ids of a target list (`includeTargets`, `excludeTargets`) as Graph holds them: `all_users` or group ids. */
export function targetIdsOf(targets: unknown): string[] {
  if (!Array.isArray(targets)) return [];
  return targets.filter(isRecord).flatMap((target) => (typeof target.id === "string" ? [target.id] : []));
}

/** Whether a method in this state is in force (its targets can use it). `null`/absent counts as not in force. */
export function isInForce(state: unknown): boolean {
  return state === "enabled";
}
