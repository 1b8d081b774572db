/**
 * Groups and users as Graph serves them: `/groups` (GET with `$filter`, POST), `/groups/{id}` (GET, DELETE), adding a member by
 * reference (`/groups/{id}/members/$ref`), `/users` (GET with `$filter`) and `/users/{id or userPrincipalName}`.
 * Memberships, registered methods and roles are in `emulator/people/`.
 */
import { randomUUID } from "node:crypto";
import {
  badRequest,
  collection,
  contextUrl,
  directoryNotFound,
  directoryObjectMissing,
  filtered,
  ok,
  problemsResponse,
  type Operation,
  type Route,
} from "../graphRouting";
import { applySelect, decodedSegments, malformedPathMessage, type FilterableProperties } from "../odata";
import { deepClone, describeValue, isPlainObject, sameId, type DirectoryGroup, type TenantState } from "../types";
import { checkNewGroup } from "../validation";

// Graph docs `group-get` / `group-list` ("Permissions"): GroupMember.Read.All is the least privileged application
// permission for reading groups; Group.Read.All and Directory.Read.All also do.
const readGroups: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"],
  deniedCode: "Authorization_RequestDenied",
};
const readUsers: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: ["User.Read.All", "Directory.Read.All"],
  deniedCode: "Authorization_RequestDenied",
};

const groupFilters: FilterableProperties = {
  id: "string",
  displayName: "string",
  mailNickname: "string",
  securityEnabled: "boolean",
  mailEnabled: "boolean",
};
const userFilters: FilterableProperties = {
  id: "string",
  userPrincipalName: "string",
  displayName: "string",
  mail: "string",
};

const findGroup = (state: TenantState, id: string): DirectoryGroup | undefined =>
  state.groups.find((group) => sameId(group.id, id));

const groupsRoute: Route = {
  pattern: ["groups"],
  operations: {
    GET: {
      ...readGroups,
      handle: ({ state, query, version }) => {
        const groups = filtered(state.groups, query, groupFilters, "Group");
        return Array.isArray(groups) ? collection(version, "groups", groups, query) : groups;
      },
    },
    // Graph docs `group-post-groups`: Group.Create is the least privileged application permission.
    POST: {
      permissions: ["Group.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
      deniedCode: "Authorization_RequestDenied",
      hasBody: true,
      handle: ({ state, body, version, now }) => {
        const problems: string[] = [];
        checkNewGroup(body, "group", problems);
        if (problems.length > 0 || !isPlainObject(body)) return problemsResponse(problems);
        const group: DirectoryGroup = {
          id: randomUUID(),
          createdDateTime: now.toISOString(),
          description: body.description ?? null,
          displayName: String(body.displayName),
          groupTypes: body.groupTypes ?? [],
          mail: null,
          mailEnabled: body.mailEnabled,
          mailNickname: body.mailNickname,
          securityEnabled: body.securityEnabled,
        };
        const next = deepClone(state);
        next.groups.push(group);
        next.groupMembers[group.id] = [];
        return {
          status: 201,
          body: { "@odata.context": contextUrl(version, "groups/$entity"), ...group },
          nextState: next,
        };
      },
    },
  },
};

const groupRoute: Route = {
  pattern: ["groups", "{}"],
  operations: {
    GET: {
      ...readGroups,
      handle: ({ state, params: [id], query, version }) => {
        const group = findGroup(state, id);
        if (group === undefined) return directoryObjectMissing(id);
        return ok({
          "@odata.context": contextUrl(version, "groups/$entity"),
          ...applySelect(group, query.get("$select")),
        });
      },
    },
    // Graph docs `group-delete`: `DELETE /groups/{id}`, 204 No Content; Group.ReadWrite.All, delegated and application,
    // with no higher-privileged alternative (Directory.ReadWrite.All does not delete). Deleted security and Microsoft
    // 365 groups go to `deletedItems` for 30 days; the emulator has no `deletedItems` and drops the group at once.
    // The docs are silent on policies that name a deleted group: the emulator leaves their ids as they are (what
    // the SSPR and methods policies then hold is a group nobody is a member of). An owner of the group may delete it
    // with Group.Create (azuread `Group` docs). assumed: the emulator keeps no owners, so Group.Create deletes any
    // group, as if the caller created it (as for member adds below).
    DELETE: {
      permissions: ["Group.ReadWrite.All", "Group.Create"],
      deniedCode: "Authorization_RequestDenied",
      handle: ({ state, params: [id] }) => {
        const group = findGroup(state, id);
        if (group === undefined) return directoryObjectMissing(id);
        const next = deepClone(state);
        next.groups = next.groups.filter((candidate) => !sameId(candidate.id, group.id));
        delete next.groupMembers[group.id];
        // The group leaves every group it was nested in (memberships are relationships, not copies).
        for (const [parent, members] of Object.entries(next.groupMembers))
          next.groupMembers[parent] = members.filter((member) => !sameId(member, group.id));
        return { status: 204, nextState: next };
      },
    },
  },
};

const memberReferencePattern = /\/(?:directoryObjects|users)\/([^/?#]+)\/?$/i;

const groupMemberRefRoute: Route = {
  pattern: ["groups", "{}", "members", "$ref"],
  operations: {
    // An owner of the group may add members with Group.Create (azuread `Group` docs). assumed: the emulator does not
    // keep owners, so it lets Group.Create add members to any group, as if the caller created it.
    POST: {
      permissions: ["Group.ReadWrite.All", "GroupMember.ReadWrite.All", "Directory.ReadWrite.All", "Group.Create"],
      deniedCode: "Authorization_RequestDenied",
      hasBody: true,
      handle: ({ state, params: [id], body }) => {
        const reference = isPlainObject(body) ? body["@odata.id"] : undefined;
        const match = typeof reference === "string" ? memberReferencePattern.exec(reference) : null;
        if (match === null)
          return badRequest(
            `@odata.id is ${describeValue(reference)}; allowed: a URL ending in /directoryObjects/{id} (e.g. https://graph.microsoft.com/v1.0/directoryObjects/{id})`,
          );
        const group = findGroup(state, id);
        if (group === undefined) return directoryObjectMissing(id);
        const userId = decodedSegments([match[1]])?.[0];
        if (userId === undefined) return badRequest(malformedPathMessage);
        const user = state.users.find((candidate) => sameId(candidate.id, userId));
        if (user === undefined) return directoryObjectMissing(userId);
        const members = state.groupMembers[group.id] ?? [];
        if (members.some((member) => sameId(member, user.id)))
          return badRequest(
            "One or more added object references already exist for the following modified properties: 'members'.",
            "Request_BadRequest",
          );
        const next = deepClone(state);
        next.groupMembers[group.id] = [...members, user.id];
        return { status: 204, nextState: next };
      },
    },
  },
};

const usersRoute: Route = {
  pattern: ["users"],
  operations: {
    GET: {
      ...readUsers,
      handle: ({ state, query, version }) => {
        const users = filtered(state.users, query, userFilters, "User");
        return Array.isArray(users) ? collection(version, "users", users, query) : users;
      },
    },
  },
};

const userRoute: Route = {
  pattern: ["users", "{}"],
  operations: {
    GET: {
      ...readUsers,
      handle: ({ state, params: [idOrName], query, version }) => {
        const user = state.users.find(
          (candidate) => sameId(candidate.id, idOrName) || sameId(candidate.userPrincipalName, idOrName),
        );
        if (user === undefined)
          return idOrName.includes("@") ? directoryNotFound(idOrName) : directoryObjectMissing(idOrName);
        return ok({
          "@odata.context": contextUrl(version, "users/$entity"),
          ...applySelect(user, query.get("$select")),
        });
      },
    },
  },
};

export const groupsAndUsersRoutes: Route[] = [groupsRoute, groupRoute, groupMemberRefRoute, usersRoute, userRoute];
