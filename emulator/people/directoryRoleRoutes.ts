/**
 * Activated directory roles and their members: `GET /directoryRoles` and `GET /directoryRoles/{id}/members`
 * (Graph docs v1.0 `directoryrole-list`, `directoryrole-list-members`; least privileged read permission
 * `RoleManagement.Read.Directory`).
 */
import {
  collection,
  directoryObjectMissing,
  filtered,
  pagedCollection,
  type Operation,
  type Route,
} from "../graphRouting";
import { sameId } from "../types";
import { memberObjects } from "./directory";
import { directoryPaging } from "./membershipRoutes";

const readRoles: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: ["RoleManagement.Read.Directory", "Directory.Read.All", "RoleManagement.Read.All"],
  deniedCode: "Authorization_RequestDenied",
};

const rolesRoute: Route = {
  pattern: ["directoryroles"],
  operations: {
    GET: {
      ...readRoles,
      handle: ({ state, query, version }) => {
        const roles = filtered(
          state.directoryRoles,
          query,
          { id: "string", displayName: "string", roleTemplateId: "string" },
          "directoryRole",
        );
        return Array.isArray(roles) ? collection(version, "directoryRoles", roles, query) : roles;
      },
    },
  },
};

const roleMembersRoute: Route = {
  pattern: ["directoryroles", "{}", "members"],
  operations: {
    GET: {
      ...readRoles,
      handle: (context) => {
        const { state, params } = context;
        const role = state.directoryRoles.find((candidate) => sameId(String(candidate.id), params[0]));
        if (role === undefined) return directoryObjectMissing(params[0]);
        const members = memberObjects(state, state.directoryRoleMembers[String(role.id)] ?? []);
        return pagedCollection(
          context,
          `directoryRoles/${String(role.id)}/members`,
          "directoryObjects",
          members,
          directoryPaging,
        );
      },
    },
  },
};

export const directoryRoleRoutes: Route[] = [rolesRoute, roleMembersRoute];
