/**
 * The authentication methods policy as Graph serves it: `/policies/authenticationMethodsPolicy` (GET, PATCH), its
 * `authenticationMethodConfigurations` collection (GET) and each method configuration (GET, PATCH, DELETE). v1.0
 * leaves out the policy's beta-only properties.
 */
import { defaultMethodConfiguration } from "../defaultTenant";
import {
  collection,
  contextUrl,
  ok,
  problemsResponse,
  type GraphVersion,
  type Operation,
  type Route,
} from "../graphRouting";
import { deepClone, mergePatch, sameId, type ApiResponse, type JsonObject, type TenantState } from "../types";
import {
  betaOnlyPolicyProperties,
  checkMethodConfiguration,
  checkMethodConfigurationPatch,
  checkMethodsPolicyPatch,
} from "../validation";

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

export const authenticationMethodsPolicyRoutes: Route[] = [
  methodsPolicyRoute,
  methodConfigurationsRoute,
  methodConfigurationRoute,
];
