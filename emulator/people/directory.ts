/**
 * Questions the people routes ask of the tenant: who a user is, which groups they are in (nested groups
 * included), who a group holds, which directory roles a user has, and whether the tenant is licensed for the
 * reports that need Entra ID P1. Pure functions over the tenant state.
 */
import { sameId, type DirectoryGroup, type DirectoryUser, type JsonObject, type TenantState } from "../types";

export function findUser(state: TenantState, idOrName: string): DirectoryUser | undefined {
  return state.users.find(
    (candidate) => sameId(candidate.id, idOrName) || sameId(candidate.userPrincipalName, idOrName),
  );
}

export function findGroup(state: TenantState, id: string): DirectoryGroup | undefined {
  return state.groups.find((group) => sameId(group.id, id));
}

/** The groups that list `memberId` directly. */
function directParents(state: TenantState, memberId: string): string[] {
  return Object.entries(state.groupMembers)
    .filter(
      ([groupId, members]) => findGroup(state, groupId) !== undefined && members.some((id) => sameId(id, memberId)),
    )
    .map(([groupId]) => groupId);
}

/** Every group the object is in, directly or through nested groups; cycles are harmless. */
export function transitiveGroupIds(state: TenantState, memberId: string): string[] {
  const seen: string[] = [];
  const queue = directParents(state, memberId);
  while (queue.length > 0) {
    const groupId = queue.shift() as string;
    if (seen.some((id) => sameId(id, groupId))) continue;
    seen.push(groupId);
    queue.push(...directParents(state, groupId));
  }
  return seen;
}

/** A group's members as Graph lists them: users and groups, each with its `@odata.type`. Unknown ids are skipped. */
export function memberObjects(state: TenantState, ids: readonly string[]): JsonObject[] {
  return ids.flatMap((id): JsonObject[] => {
    const user = state.users.find((candidate) => sameId(candidate.id, id));
    if (user !== undefined) return [{ "@odata.type": "#microsoft.graph.user", ...user }];
    const group = findGroup(state, id);
    return group === undefined ? [] : [{ "@odata.type": "#microsoft.graph.group", ...group }];
  });
}

/** Every member id of a group, nested groups' members included (the nested groups themselves too, as Graph does). */
export function transitiveMemberIds(state: TenantState, groupId: string): string[] {
  const seen: string[] = [];
  const queue = [...(state.groupMembers[findGroup(state, groupId)?.id ?? groupId] ?? [])];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.some((known) => sameId(known, id))) continue;
    seen.push(id);
    const group = findGroup(state, id);
    if (group !== undefined) queue.push(...(state.groupMembers[group.id] ?? []));
  }
  return seen;
}

/** The directory roles that list the user as a member. */
export function rolesOf(state: TenantState, userId: string): JsonObject[] {
  return state.directoryRoles.filter((role) =>
    (state.directoryRoleMembers[String(role.id)] ?? []).some((member) => sameId(member, userId)),
  );
}

const premiumPlans = ["AAD_PREMIUM", "AAD_PREMIUM_P2"];

/**
 * Whether the tenant has Entra ID P1 or P2: an enabled subscription carrying the AAD_PREMIUM or AAD_PREMIUM_P2
 * service plan (Learn: "A Microsoft Entra ID P1 or P2 license is required to access usage and insights", which
 * includes the registration report).
 */
export function hasEntraIdPremium(state: TenantState): boolean {
  return state.subscribedSkus.some(
    (sku) =>
      sku.capabilityStatus !== "Suspended" &&
      sku.capabilityStatus !== "Deleted" &&
      Array.isArray(sku.servicePlans) &&
      sku.servicePlans.some(
        (plan: unknown) =>
          typeof plan === "object" &&
          plan !== null &&
          premiumPlans.includes(String((plan as JsonObject).servicePlanName)) &&
          (plan as JsonObject).provisioningStatus !== "Disabled",
      ),
  );
}
