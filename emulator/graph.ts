/**
 * The Microsoft Graph routes of the emulator, served under `/v1.0` and `/beta`. Pure: a request and the tenant in,
 * an answer (and maybe the next tenant) out. Order of checks as in Graph: token (401), route (400/405),
 * permission (403), body (400), then the resource itself (404, 400, 2xx).
 */
import { randomUUID } from "node:crypto";
import { authenticate, graphAudiences, hasPermission, missingPermissionMessage } from "./auth";
import { defaultMethodConfiguration } from "./defaultTenant";
import {
  badRequest,
  collection,
  contextUrl,
  directoryNotFound,
  directoryObjectMissing,
  filtered,
  ok,
  problemsResponse,
  type GraphVersion,
  type Operation,
  type Route,
} from "./graphRouting";
import { applySelect, type FilterableProperties } from "./odata";
import { peopleRoutes } from "./people/routes";
import { organizationRoutes } from "./organization";
import { parseJsonBody } from "./responses";
import {
  deepClone,
  describeValue,
  isPlainObject,
  mergePatch,
  sameId,
  type ApiResponse,
  type DirectoryGroup,
  type IncomingRequest,
  type JsonObject,
  type TenantState,
} from "./types";
import {
  betaOnlyPolicyProperties,
  checkAuthorizationPolicyPatch,
  checkMethodConfiguration,
  checkMethodConfigurationPatch,
  checkMethodsPolicyPatch,
  checkNewGroup,
} from "./validation";

export type { GraphVersion, Operation, OperationContext, Route } from "./graphRouting";

// ---------------------------------------------------------------------------------------------------------------
// Authentication methods policy
// ---------------------------------------------------------------------------------------------------------------

const readMethods: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: ["Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"],
  deniedCode: "accessDenied",
};
const writeMethods: Pick<Operation, "permissions" | "deniedCode" | "hasBody"> = {
  permissions: ["Policy.ReadWrite.AuthenticationMethod"],
  deniedCode: "accessDenied",
  hasBody: true,
};

/** The policy as a version shows it: v1.0 leaves out the beta-only properties. */
function policyView(state: TenantState, version: GraphVersion): JsonObject {
  const policy: JsonObject = {
    "@odata.context": contextUrl(version, "authenticationMethodsPolicy"),
    ...deepClone(state.authenticationMethodsPolicy),
  };
  if (version === "v1.0") for (const key of betaOnlyPolicyProperties) delete policy[key];
  return policy;
}

function findMethodIndex(state: TenantState, id: string): number {
  return state.authenticationMethodsPolicy.authenticationMethodConfigurations.findIndex(
    (configuration) => typeof configuration.id === "string" && sameId(configuration.id, id),
  );
}

const methodNotFound = (id: string): ApiResponse => ({
  status: 404,
  error: { code: "itemNotFound", message: `The authentication method configuration '${id}' was not found.` },
});

/** A new tenant with one method configuration replaced; the policy's `lastModifiedDateTime` moves along. */
function withMethodConfiguration(state: TenantState, index: number, configuration: JsonObject, now: Date): TenantState {
  const next = deepClone(state);
  next.authenticationMethodsPolicy.authenticationMethodConfigurations[index] = configuration;
  next.authenticationMethodsPolicy.lastModifiedDateTime = now.toISOString();
  return next;
}

const methodsPolicyRoute: Route = {
  pattern: ["policies", "authenticationmethodspolicy"],
  operations: {
    GET: { ...readMethods, handle: ({ state, version }) => ok(policyView(state, version)) },
    PATCH: {
      ...writeMethods,
      handle: ({ state, body, version, now }) => {
        const { problems, patch } = checkMethodsPolicyPatch(state.authenticationMethodsPolicy, body, version);
        if (problems.length > 0) return problemsResponse(problems);
        const next = deepClone(state);
        next.authenticationMethodsPolicy = {
          ...(mergePatch(state.authenticationMethodsPolicy, patch) as TenantState["authenticationMethodsPolicy"]),
          lastModifiedDateTime: now.toISOString(),
        };
        return { status: 200, body: policyView(next, version), nextState: next };
      },
    },
  },
};

const methodConfigurationsRoute: Route = {
  pattern: ["policies", "authenticationmethodspolicy", "authenticationmethodconfigurations"],
  operations: {
    GET: {
      ...readMethods,
      handle: ({ state, version, query }) =>
        collection(
          version,
          "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
          state.authenticationMethodsPolicy.authenticationMethodConfigurations,
          query,
        ),
    },
  },
};

const methodConfigurationRoute: Route = {
  pattern: ["policies", "authenticationmethodspolicy", "authenticationmethodconfigurations", "{}"],
  operations: {
    GET: {
      ...readMethods,
      handle: ({ state, params: [id], version }) => {
        const index = findMethodIndex(state, id);
        if (index < 0) return methodNotFound(id);
        return ok({
          // As in the Graph docs' single-method GET samples.
          "@odata.context": contextUrl(version, "authenticationMethodConfigurations/$entity"),
          ...state.authenticationMethodsPolicy.authenticationMethodConfigurations[index],
        });
      },
    },
    PATCH: {
      ...writeMethods,
      handle: ({ state, params: [id], body, now }) => {
        const index = findMethodIndex(state, id);
        if (index < 0) return methodNotFound(id);
        const current = state.authenticationMethodsPolicy.authenticationMethodConfigurations[index];
        const { problems, patch } = checkMethodConfigurationPatch(current, body);
        const merged = mergePatch(current, patch) as JsonObject;
        problems.push(...checkMethodConfiguration(merged));
        if (problems.length > 0) return problemsResponse(problems);
        return { status: 204, nextState: withMethodConfiguration(state, index, merged, now) };
      },
    },
    DELETE: {
      permissions: ["Policy.ReadWrite.AuthenticationMethod"],
      deniedCode: "accessDenied",
      handle: ({ state, params: [id], now }) => {
        const index = findMethodIndex(state, id);
        if (index < 0) return methodNotFound(id);
        const current = state.authenticationMethodsPolicy.authenticationMethodConfigurations[index];
        // assumed: a seeded method the emulator has no default for reverts to disabled with no targets.
        const restored = defaultMethodConfiguration(String(current.id)) ?? {
          "@odata.type": current["@odata.type"],
          id: current.id,
          state: "disabled",
          includeTargets: [],
          excludeTargets: [],
        };
        return { status: 204, nextState: withMethodConfiguration(state, index, restored, now) };
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Authorization policy
// ---------------------------------------------------------------------------------------------------------------

const readAuthorization: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: ["Policy.Read.All", "Policy.ReadWrite.Authorization"],
  deniedCode: "Authorization_RequestDenied",
};

const patchAuthorization: Operation = {
  permissions: ["Policy.ReadWrite.Authorization"],
  deniedCode: "Authorization_RequestDenied",
  hasBody: true,
  handle: ({ state, body }) => {
    const { problems, patch } = checkAuthorizationPolicyPatch(state.authorizationPolicy, body);
    if (problems.length > 0) return problemsResponse(problems);
    const next = deepClone(state);
    next.authorizationPolicy = mergePatch(state.authorizationPolicy, patch) as JsonObject;
    return { status: 204, nextState: next };
  },
};

const authorizationEntity = (state: TenantState, version: GraphVersion): ApiResponse =>
  ok({ "@odata.context": contextUrl(version, "policies/authorizationPolicy/$entity"), ...state.authorizationPolicy });

const authorizationPolicyRoute: Route = {
  pattern: ["policies", "authorizationpolicy"],
  operations: {
    GET: {
      ...readAuthorization,
      // unverified: beta models the policy as a collection here (hence its item path below); v1.0 as a singleton.
      handle: ({ state, version }) =>
        version === "beta"
          ? ok({
              "@odata.context": contextUrl(version, "policies/authorizationPolicy"),
              value: [state.authorizationPolicy],
            })
          : authorizationEntity(state, version),
    },
    PATCH: patchAuthorization,
  },
};

/** The beta path `/policies/authorizationPolicy/authorizationPolicy` ([REF]); assumed to work on v1.0 as well. */
const authorizationPolicyItemRoute: Route = {
  pattern: ["policies", "authorizationpolicy", "{}"],
  operations: {
    GET: {
      ...readAuthorization,
      handle: ({ state, params: [id], version }) =>
        sameId(id, "authorizationPolicy") ? authorizationEntity(state, version) : directoryNotFound(id),
    },
    PATCH: {
      ...patchAuthorization,
      handle: (context) =>
        sameId(context.params[0], "authorizationPolicy")
          ? patchAuthorization.handle(context)
          : directoryNotFound(context.params[0]),
    },
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Groups and users
// ---------------------------------------------------------------------------------------------------------------

const readGroups: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: ["Group.Read.All", "Directory.Read.All"],
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
    POST: {
      permissions: ["Group.ReadWrite.All", "Directory.ReadWrite.All"],
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
  },
};

const memberReferencePattern = /\/(?:directoryObjects|users)\/([^/?#]+)\/?$/i;

const groupMemberRefRoute: Route = {
  pattern: ["groups", "{}", "members", "$ref"],
  operations: {
    POST: {
      permissions: ["Group.ReadWrite.All", "GroupMember.ReadWrite.All", "Directory.ReadWrite.All"],
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
        const userId = decodeURIComponent(match[1]);
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

const routes: Route[] = [
  ...peopleRoutes, // emulator/people: directory people, their methods, roles, licences, the registration report
  methodsPolicyRoute,
  methodConfigurationsRoute,
  methodConfigurationRoute,
  authorizationPolicyRoute,
  authorizationPolicyItemRoute,
  groupsRoute,
  groupRoute,
  groupMemberRefRoute,
  usersRoute,
  userRoute,
  ...organizationRoutes,
];

/** Finds the route for the segments below the version; returns its captured parameters. */
export function matchGraphRoute(segments: readonly string[]): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    const params: string[] = [];
    const matches = route.pattern.every((part, index) => {
      if (part === "{}") {
        params.push(segments[index]);
        return segments[index] !== "";
      }
      return part === segments[index].toLowerCase();
    });
    if (matches) return { route, params };
  }
  return undefined;
}

const graphChallenge = {
  "WWW-Authenticate":
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

/** Answers one Graph request. */
export function handleGraphRequest(
  state: TenantState,
  request: IncomingRequest,
  version: GraphVersion,
  now: Date,
): ApiResponse {
  const auth = authenticate(request.headers.authorization, graphAudiences, now.getTime());
  if ("status" in auth)
    return { status: 401, error: { code: auth.code, message: auth.message }, headers: graphChallenge };

  const matched = matchGraphRoute(request.segments);
  if (matched === undefined)
    return badRequest(`Resource not found for the segment '${request.segments.at(-1) ?? ""}'.`);
  const operation = matched.route.operations[request.method];
  if (operation === undefined)
    return {
      status: 405,
      error: {
        code: "Request_BadRequest",
        message: `Specified HTTP method (${request.method}) is not allowed for the request uri.`,
      },
      headers: { Allow: Object.keys(matched.route.operations).join(", ") },
    };
  if (!hasPermission(auth.identity.permissions, operation.permissions))
    return {
      status: 403,
      error: { code: operation.deniedCode, message: missingPermissionMessage(operation.permissions) },
    };

  let body: unknown;
  if (operation.hasBody) {
    const parsed = parseJsonBody(request.rawBody);
    if ("problem" in parsed) return badRequest(parsed.problem);
    body = parsed.value;
  }
  return operation.handle({
    state,
    params: matched.params,
    query: request.query,
    body,
    version,
    now,
    headers: request.headers,
  });
}
