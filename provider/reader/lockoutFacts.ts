/**
 * What the tenant lockout guards read (`components/lockoutGuards.ts`), read-only: the methods policy, the groups an
 * offered method excludes (and SMS's targets) with their members, the portal's legacy switches before the migration,
 * and the administrators in a Selected group. Used at preview by the plugin's `getLockoutFacts` (the component
 * invokes it) and by `npm run lockout-check`.
 */
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { EntraClient } from "../http/client";
import { isEntraError } from "../http/errors";
import {
  graphReadPermission,
  groupMembersPath,
  groupPath,
  methodsPolicyOf,
  readCollection,
  readGraphObject,
  readTenantObject,
  registrationDetailsPath,
} from "./tenantReader";
import {
  legacySwitchesDecide,
  methodConfigurationOf,
  methodConfigurationsOf,
  reportedMigrationState,
} from "../../lib/tenantCodecs";
import { isRecord } from "../../lib/predicates";
import { legacySwitchesOf, offeredMethodIds, type LockoutFacts } from "../../components/lockoutGuards";

/** The ids (lower case) of a Graph collection, every page. */
async function collectIds(client: EntraClient, first: string, permission: string): Promise<string[]> {
  return (await readCollection(client, first, permission)).map((item) => String(item.id).toLowerCase());
}

/** Member object ids of a group. Direct members (nested groups are not expanded). */
const groupMembers = (client: EntraClient, id: string): Promise<string[]> =>
  collectIds(client, groupMembersPath(id, "id", { top: 999 }), graphReadPermission("lockoutGroupsRead"));

/**
 * Graph's `nonPremium` answer for a report without its licence: 403 `Authentication_RequestFromNonPremiumTenantOrB2CTenant`,
 * "Neither tenant is B2C or tenant doesn't have premium license" (microsoftgraph/microsoft-graph-docs-contrib#8777,
 * for exactly `userRegistrationDetails`; Learn: the authentication methods reports need Entra ID P1 or P2).
 */
export const reportLicenceErrorCode = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

/**
 * The administrators (`isAdmin`) of the registration report, or undefined with the reason in `cannotTell` when the
 * report cannot be read (no Entra ID P1, or no AuditLog.Read.All): the check cannot tell, and the deploy goes on.
 */
async function readAdministrators(
  client: EntraClient,
  groupName: string,
  cannotTell: string[],
): Promise<string[] | undefined> {
  try {
    return await collectIds(
      client,
      registrationDetailsPath("isAdmin eq true"),
      graphReadPermission("lockoutAdministratorsRead"),
    );
  } catch (error) {
    if (!isEntraError(error) || error.status !== 403) throw error;
    const why =
      error.code === reportLicenceErrorCode
        ? "Graph's registration report (userRegistrationDetails) needs a Microsoft Entra ID P1 or P2 licence, which this tenant lacks"
        : "the identity may not read Graph's registration report (userRegistrationDetails needs AuditLog.Read.All: run pulumi up in bootstrap/ again)";
    cannotTell.push(
      `cannot tell whether administrators are members of the SSPR group "${groupName}" while their password reset is ` +
        `off (sspr:settings.administrators.allowed: false): ${why}. Check the group's members against Roles and ` +
        "administrators in the admin center, or allow administrators (administrators.allowed: true).",
    );
    return undefined;
  }
}

/**
 * Everything the tenant guards need, read-only. `methodsPolicy`: the methods policy when the caller already read it
 * (a preview reads it once for the people lines and these guards).
 */
export async function readLockoutFacts(
  client: EntraClient,
  args: SelfServicePasswordResetArgs,
  methodsPolicy?: Record<string, unknown>,
): Promise<LockoutFacts> {
  const policy = await methodsPolicyOf(client, methodsPolicy);
  const methods = methodConfigurationsOf(policy);
  const migrationState = reportedMigrationState(policy);

  const legacySwitches = legacySwitchesDecide(policy)
    ? legacySwitchesOf(await readTenantObject(client, "passwordResetPolicy"))
    : {};

  const groupIds = new Set<string>();
  const scopeGroupId =
    args.scope === "selected" && args.group !== undefined && "id" in args.group ? args.group.id : undefined;
  if (scopeGroupId !== undefined) groupIds.add(scopeGroupId.toLowerCase());
  for (const offered of offeredMethodIds(args)) {
    const method = methodConfigurationOf(policy, offered.id);
    const lists = [method?.excludeTargets, ...(offered.id === "Sms" ? [method?.includeTargets] : [])];
    for (const list of lists) {
      for (const target of Array.isArray(list) ? list.filter(isRecord) : []) {
        const id = String(target.id ?? "").toLowerCase();
        if (id !== "" && id !== "all_users") groupIds.add(id);
      }
    }
  }
  const groups: LockoutFacts["groups"] = {};
  for (const id of groupIds) {
    let group: Record<string, unknown>;
    try {
      group = await readGraphObject(client, groupPath(id, "id,displayName"), graphReadPermission("lockoutGroupsRead"));
    } catch (error) {
      // A deleted group excludes nobody (Maester MT.1067 is about such references; the policy pack names them).
      if (isEntraError(error) && error.status === 404) continue;
      throw error;
    }
    groups[id] = {
      displayName: typeof group.displayName === "string" ? group.displayName : id,
      members: await groupMembers(client, id),
    };
  }
  // Administrators only matter when their SSPR is off and a Selected group may hold some (isAdmin: Graph's report).
  const cannotTell: string[] = [];
  const administrators =
    args.administrators?.allowed === false && scopeGroupId !== undefined
      ? await readAdministrators(client, groups[scopeGroupId]?.displayName ?? scopeGroupId, cannotTell)
      : undefined;
  return {
    ...(cannotTell.length === 0 ? {} : { cannotTell }),
    migrationState,
    methods,
    legacySwitches,
    groups,
    ...(scopeGroupId === undefined ? {} : { scopeGroupId }),
    ...(administrators === undefined ? {} : { administrators }),
  };
}
