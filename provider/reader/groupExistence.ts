/**
 * Existence before any write: a write that brings a group into an Entra policy (the one group allowed to reset, a
 * method's include or exclude target) first reads that group from Graph and refuses, writing nothing, when it does
 * not exist or is not a security group. Entra does not check this on write for every object (Maester MT.1067 flags
 * methods policies that point at groups that no longer exist), and a missing group means nobody can reset.
 *
 * Only groups the write introduces are read: referenced by the inputs and by the fields being written, and not
 * referenced by the tenant already. So a second `up` reads nothing, and destroy, which writes back what the tenant
 * held, is never blocked by a group that was deleted since.
 *
 * Plain functions; the client is passed in.
 */
import type { EntraClient } from "../http/client";
import { isEntraError } from "../http/errors";
import { isGuid, isRecord } from "../../lib/predicates";

/**
 * `GET /groups/{id}`: GroupMember.Read.All is the least privileged permission (Group.Read.All and Directory.Read.All
 * also do), per https://learn.microsoft.com/graph/api/group-get ("Permissions").
 */
export const groupReadPermission = "GroupMember.Read.All (or Group.Read.All)";

/** The group id Graph uses for "no group" in Authenticator feature settings: never looked up. */
const noGroup = "00000000-0000-0000-0000-000000000000";

/**
 * Group object ids a document points at: the `id` of every `{ targetType: "group", id }` (include, exclude and
 * feature targets), every `groupId`, and the portal's `passwordResetEnabledGroupIds`. Lower-cased, each once;
 * `all_users` and the zero GUID are not groups.
 */
export function referencedGroupIds(document: unknown): string[] {
  const found = new Set<string>();
  const add = (value: unknown): void => {
    if (isGuid(value) && value.toLowerCase() !== noGroup) found.add(value.toLowerCase());
  };
  const work: unknown[] = [document];
  while (work.length > 0) {
    const value = work.pop();
    if (Array.isArray(value)) {
      work.push(...value);
      continue;
    }
    if (!isRecord(value)) continue;
    if (value.targetType === "group") add(value.id);
    add(value.groupId);
    if (Array.isArray(value.passwordResetEnabledGroupIds)) value.passwordResetEnabledGroupIds.forEach(add);
    work.push(...Object.values(value));
  }
  return [...found];
}

/** The groups a write brings in: in the inputs and in the fields written, not already in the tenant's object. */
export function groupsIntroduced(inputs: unknown, remote: unknown, changed: unknown): string[] {
  const wanted = new Set(referencedGroupIds(inputs));
  const already = new Set(referencedGroupIds(remote));
  return referencedGroupIds(changed).filter((id) => wanted.has(id) && !already.has(id));
}

/**
 * Reads each group and throws one error listing every group that does not exist or is not a security group (the
 * write is then not sent). Other failures (403 without the read permission, throttling) propagate as they are;
 * their message names the permission.
 */
export async function requireSecurityGroups(client: EntraClient, groupIds: string[], kind: string): Promise<void> {
  const problems: string[] = [];
  for (const id of groupIds) {
    let group: unknown;
    try {
      const response = await client.send({
        api: "graph",
        method: "GET",
        path: `/v1.0/groups/${encodeURIComponent(id)}?$select=id,displayName,securityEnabled`,
        permission: groupReadPermission,
      });
      group = response.body;
    } catch (error) {
      if (isEntraError(error) && error.status === 404) {
        problems.push(`group ${id} does not exist in the tenant (Graph answered 404)`);
        continue;
      }
      throw error;
    }
    if (!isRecord(group) || group.securityEnabled !== true) {
      const name = isRecord(group) && typeof group.displayName === "string" ? ` "${group.displayName}"` : "";
      problems.push(
        `group ${id}${name} is not a security group (securityEnabled is ${JSON.stringify(isRecord(group) ? group.securityEnabled : undefined)})`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `${kind}: nothing was written, because ${problems.join("; ")}. Policies can only target existing security ` +
        "groups: create the group, or set the config's group to one that exists " +
        `(reading a group needs ${groupReadPermission}).`,
    );
  }
}

/** The one call the specs make before a write: reads the groups the write introduces, if any. */
export async function requireIntroducedGroups(
  client: EntraClient,
  kind: string,
  write: { inputs: unknown; remote: unknown; changed: unknown },
): Promise<void> {
  const introduced = groupsIntroduced(write.inputs, write.remote, write.changed);
  if (introduced.length > 0) await requireSecurityGroups(client, introduced, kind);
}
