/**
 * Who gains or loses a method if this stack is applied: the tenant's methods policy as it is (one GET), the stack's
 * method settings planned on top of it with the same rules the providers apply (`mapping.ts`, `targetEffect.ts`),
 * and the groups involved (name and member count). Plugin side: the program asks for it at `pulumi preview` through
 * the package's function `getPeoplePreview` (`provider/functions.ts`); the rehearsal's reports use it too.
 */
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { EntraClient } from "../http/client";
import { todayFor } from "../../components/methodCatalogue";
import { methodConfigurationDesired, methodConfigurationOwned } from "../objects/authenticationMethodConfiguration";
import { isRecord } from "../../lib/predicates";
import { graphReadPermission, groupMembersPath, groupPath, methodsPolicyOf } from "./tenantReader";
import { methodConfigurationOf } from "../../lib/tenantCodecs";
import {
  allUsersTargetId,
  methodChildren,
  methodConfigurationSettings,
  methodTargetId,
} from "../../components/mapping";
import {
  describePeopleEffects,
  methodEffects,
  methodsPolicyDecidesReset,
  methodView,
  methodViews,
  type GroupFacts,
  type MethodEffect,
  type MethodView,
  type PeopleEffects,
  type SsprScope,
} from "../../components/peopleEffects";

/** Stands in for the id of a pilot group the stack has not created yet. */
export const plannedPilotGroupId = "(the pilot group)";

/** The stack's method configurations planned on the tenant's: state and include targets as the providers would set them. */
export function plannedMethodViews(
  tenantPolicy: unknown,
  args: SelfServicePasswordResetArgs,
  groupId: string,
): MethodView[] {
  if (args.scope === "none" || args.methods === undefined) return [];
  const targetId = methodTargetId(args.scope, groupId);
  return methodChildren(args.methods).map((child) => {
    const settings = methodConfigurationSettings(child, targetId);
    const tenant = methodConfigurationOf(tenantPolicy, settings.methodId) ?? {};
    const desired = methodConfigurationDesired(settings, methodConfigurationOwned(tenant, settings));
    // The planned configuration: the tenant's, with what the stack owns (state, targets, properties) as planned.
    const planned = methodView({
      ...tenant,
      ...(isRecord(desired.properties) ? desired.properties : {}),
      id: settings.methodId,
      state: desired.state ?? tenant.state ?? null,
      includeTargets: Array.isArray(desired.includeTargets) ? desired.includeTargets : tenant.includeTargets,
    });
    return planned ?? { id: settings.methodId, state: null, targets: [] };
  });
}

/** The SSPR scope the args ask for. */
export function ssprScope(args: SelfServicePasswordResetArgs, groupId: string): SsprScope {
  if (args.scope === "all") return { kind: "all" };
  if (args.scope === "selected") return { kind: "group", id: groupId };
  return { kind: "none" };
}

/**
 * A group's name and the users it reaches, nested groups included (the methods policy and SSPR honour nesting): the
 * users among its transitive members, by user principal name, first page only (a large group says "at least").
 * Two GETs per group, made in parallel. Graph docs `group-list-transitivemembers`: a caller without permission to read
 * users (GroupMember.Read.All alone) gets members "with limited information" (`@odata.type` and `id`, other
 * properties null): they are then counted, not named.
 */
export async function readGroupFacts(client: EntraClient, id: string): Promise<GroupFacts> {
  const permission = graphReadPermission("peoplePreview");
  const [group, members] = await Promise.all([
    client.send({ api: "graph", method: "GET", path: groupPath(id, "displayName"), permission }),
    client.send({
      api: "graph",
      method: "GET",
      path: groupMembersPath(id, "id,userPrincipalName", { transitive: true }),
      permission,
    }),
  ]);
  const page = isRecord(members.body) && Array.isArray(members.body.value) ? members.body.value : undefined;
  const users = page?.filter(
    (member): member is Record<string, unknown> =>
      isRecord(member) && member["@odata.type"] === "#microsoft.graph.user",
  );
  const names = (users ?? []).flatMap((user) =>
    typeof user.userPrincipalName === "string" ? [user.userPrincipalName] : [],
  );
  return {
    ...(isRecord(group.body) && typeof group.body.displayName === "string"
      ? { displayName: group.body.displayName }
      : {}),
    ...(users === undefined ? {} : { memberCount: users.length }),
    ...(names.length === 0 ? {} : { members: names }),
    ...(isRecord(members.body) && typeof members.body["@odata.nextLink"] === "string" ? { more: true } : {}),
  };
}

/**
 * The targets the effects name, and the SSPR scope's group when there is anything to say (the warnings name it):
 * each is read once.
 */
export function namedGroups(effects: readonly MethodEffect[], scopeGroupId: string): Set<string> {
  const ids = effects.flatMap((effect) => [
    ...effect.gains,
    ...effect.loses,
    ...effect.dormant,
    ...(effect.features ?? []).flatMap((change) => change.targets),
    ...(effect.gains.length > 0 ? (effect.after?.excluded ?? []) : []),
    ...(effect.loses.length > 0 ? (effect.before?.excluded ?? []) : []),
  ]);
  if (ids.length > 0 && scopeGroupId !== "") ids.push(scopeGroupId.toLowerCase());
  return new Set(ids.filter((id) => id !== allUsersTargetId));
}

/**
 * Reads the tenant and says who would gain or lose which method if the stack were applied now. `methodsPolicy`: the
 * methods policy when the caller already read it (the preview reads it once for these lines and the lockout guards).
 */
export async function previewPeopleEffects(
  client: EntraClient,
  args: SelfServicePasswordResetArgs,
  methodsPolicy?: Record<string, unknown>,
): Promise<PeopleEffects> {
  const policy = await methodsPolicyOf(client, methodsPolicy);
  const group = args.scope === "selected" ? args.group : undefined;
  const groupId = group !== undefined && "id" in group ? group.id.toLowerCase() : plannedPilotGroupId;
  const before = methodViews(policy);
  const effects = methodEffects(before, plannedMethodViews(policy, args, groupId));
  const groups: Record<string, GroupFacts> = {};
  if (group !== undefined && !("id" in group)) {
    groups[groupId] = {
      displayName: group.displayName,
      ...(group.members ? { memberCount: group.members.length, members: group.members } : {}),
    };
  }
  const named = namedGroups(effects, args.scope === "selected" ? groupId : "");
  for (const id of named) {
    if (id in groups) continue;
    groups[id] = await readGroupFacts(client, id);
  }
  const decidesReset = methodsPolicyDecidesReset(policy, args.methodsPolicy?.migrationState);
  return describePeopleEffects(effects, groups, ssprScope(args, groupId), decidesReset, todayFor(args));
}
