/**
 * The authorization policy as Graph serves it: `/policies/authorizationPolicy` (a singleton on v1.0, a collection
 * of the one policy on beta) and its item path `/policies/authorizationPolicy/authorizationPolicy` (GET, PATCH),
 * where `allowedToUseSSPR` lives.
 */
import {
  contextUrl,
  directoryNotFound,
  ok,
  problemsResponse,
  type GraphVersion,
  type Operation,
  type Route,
} from "../graphRouting";
import { deepClone, mergePatch, sameId, type ApiResponse, type JsonObject, type TenantState } from "../types";
import { checkAuthorizationPolicyPatch } from "../validation";

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

/** The beta path `/policies/authorizationPolicy/authorizationPolicy` (docs/reference/endpoints-and-permissions.md#authorization-policy); assumed to work on v1.0 as well. */
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

export const authorizationPolicyRoutes: Route[] = [authorizationPolicyRoute, authorizationPolicyItemRoute];
