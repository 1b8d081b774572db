/**
 * Group membership as Graph serves it: `/groups/{id}/members` (users and nested groups), `/groups/{id}/
 * transitiveMembers`, `/users/{id}/memberOf` and `/users/{id}/transitiveMemberOf` (Graph docs v1.0
 * `group-list-members`, `group-list-transitivemembers`, `user-list-memberof`, `user-list-transitivememberof`).
 */
import { directoryObjectMissing, pagedCollection, type Operation, type Route } from "../graphRouting";
import { sameId } from "../types";
import { findGroup, findUser, memberObjects, transitiveGroupIds, transitiveMemberIds } from "./directory";

const readMembers: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"],
  deniedCode: "Authorization_RequestDenied",
};

/** assumed: Graph's directory collections page at 100 by default and accept `$top` up to 999. */
export const directoryPaging = { defaultPageSize: 100, maxPageSize: 999 };

const groupMembers = (transitive: boolean): Route => ({
  pattern: ["groups", "{}", transitive ? "transitivemembers" : "members"],
  operations: {
    GET: {
      ...readMembers,
      handle: (context) => {
        const { state, params } = context;
        const group = findGroup(state, params[0]);
        if (group === undefined) return directoryObjectMissing(params[0]);
        const ids = transitive ? transitiveMemberIds(state, group.id) : (state.groupMembers[group.id] ?? []);
        const path = `groups/${group.id}/${transitive ? "transitiveMembers" : "members"}`;
        return pagedCollection(context, path, "directoryObjects", memberObjects(state, ids), directoryPaging);
      },
    },
  },
});

const userGroups = (transitive: boolean): Route => ({
  pattern: ["users", "{}", transitive ? "transitivememberof" : "memberof"],
  operations: {
    GET: {
      ...readMembers,
      handle: (context) => {
        const { state, params } = context;
        const user = findUser(state, params[0]);
        if (user === undefined) return directoryObjectMissing(params[0]);
        const ids = transitive
          ? transitiveGroupIds(state, user.id)
          : Object.entries(state.groupMembers)
              .filter(([, members]) => members.some((member) => sameId(member, user.id)))
              .map(([groupId]) => groupId);
        const path = `users/${user.id}/${transitive ? "transitiveMemberOf" : "memberOf"}`;
        return pagedCollection(context, path, "directoryObjects", memberObjects(state, ids), directoryPaging);
      },
    },
  },
});

export const membershipRoutes: Route[] = [groupMembers(false), groupMembers(true), userGroups(false), userGroups(true)];
