/**
 * The authentication methods policy as Graph serves it: `/policies/authenticationMethodsPolicy` (GET, PATCH), its
 * `authenticationMethodConfigurations` collection (GET) and each method configuration (GET, PATCH, DELETE). v1.0
 * leaves out the policy's beta-only properties and the beta-only method configurations (`HardwareOath`, a preview:
 * `betaOnlyMethodConfigurations` in `defaultTenant.ts`); beta shows those with their default until one is stored.
 * assumed: v1.0 answers a beta-only method's id as it answers any unknown id (404); Graph does not document it.
 */
import {
  betaOnlyMethodConfiguration,
  betaOnlyMethodConfigurations,
  defaultMethodConfiguration,
} from "../defaultTenant";
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

const isBetaOnly = (id: unknown): boolean => typeof id === "string" && betaOnlyMethodConfiguration(id) !== undefined;

/** The method configurations a version shows: v1.0 without the beta-only ones; beta with their defaults if missing. */
function configurationsView(state: TenantState, version: GraphVersion): JsonObject[] {
  const stored = state.authenticationMethodsPolicy.authenticationMethodConfigurations;
  if (version === "v1.0") return stored.filter((configuration) => !isBetaOnly(configuration.id));
  const missing = Object.keys(betaOnlyMethodConfigurations)
    .filter((id) => findMethodIndex(state, id) < 0)
    .map((id) => betaOnlyMethodConfiguration(id) as JsonObject);
  return [...stored, ...missing];
}

/** The policy as a version shows it: v1.0 leaves out the beta-only properties and method configurations. */
function policyView(state: TenantState, version: GraphVersion): JsonObject {
  const policy: JsonObject = {
    "@odata.context": contextUrl(version, "authenticationMethodsPolicy"),
    ...deepClone(state.authenticationMethodsPolicy),
    authenticationMethodConfigurations: deepClone(configurationsView(state, version)),
  };
  if (version === "v1.0") for (const key of betaOnlyPolicyProperties) delete policy[key];
  return policy;
}

function findMethodIndex(state: TenantState, id: string): number {
  return state.authenticationMethodsPolicy.authenticationMethodConfigurations.findIndex(
    (configuration) => typeof configuration.id === "string" && sameId(configuration.id, id),
  );
}

/**
 * The configuration a request names, as its version sees it; `index` -1 for a beta-only default not stored yet.
 * Undefined for an id the version does not know.
 */
function findMethod(
  state: TenantState,
  id: string,
  version: GraphVersion,
): { index: number; configuration: JsonObject } | undefined {
  if (version === "v1.0" && isBetaOnly(id)) return undefined;
  const index = findMethodIndex(state, id);
  if (index >= 0)
    return { index, configuration: state.authenticationMethodsPolicy.authenticationMethodConfigurations[index] };
  const fallback = version === "beta" ? betaOnlyMethodConfiguration(id) : undefined;
  return fallback === undefined ? undefined : { index: -1, configuration: fallback };
}

const methodNotFound = (id: string): ApiResponse => ({
  status: 404,
  error: { code: "itemNotFound", message: `The authentication method configuration '${id}' was not found.` },
});

/**
 * A new tenant with one method configuration replaced (index -1: added, a beta-only method's first write; undefined
 * configuration: removed, a beta-only method back to its default); the policy's `lastModifiedDateTime` moves along.
 */
function withMethodConfiguration(
  state: TenantState,
  index: number,
  configuration: JsonObject | undefined,
  now: Date,
): TenantState {
  const next = deepClone(state);
  const configurations = next.authenticationMethodsPolicy.authenticationMethodConfigurations;
  if (configuration === undefined) {
    if (index >= 0) configurations.splice(index, 1);
  } else if (index < 0) configurations.push(configuration);
  else configurations[index] = configuration;
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
        // Read-only members are compared with what this version shows (a client writes back what it read).
        const shown = {
          ...state.authenticationMethodsPolicy,
          authenticationMethodConfigurations: configurationsView(state, version),
        };
        const { problems, patch } = checkMethodsPolicyPatch(shown, body, version);
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
          configurationsView(state, version),
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
        const found = findMethod(state, id, version);
        if (found === undefined) return methodNotFound(id);
        return ok({
          // As in the Graph docs' single-method GET samples.
          "@odata.context": contextUrl(version, "authenticationMethodConfigurations/$entity"),
          ...found.configuration,
        });
      },
    },
    PATCH: {
      ...writeMethods,
      handle: ({ state, params: [id], body, now, version }) => {
        const found = findMethod(state, id, version);
        if (found === undefined) return methodNotFound(id);
        const current = found.configuration;
        const { problems, patch } = checkMethodConfigurationPatch(current, body);
        const merged = mergePatch(current, patch) as JsonObject;
        problems.push(...checkMethodConfiguration(merged));
        if (problems.length > 0) return problemsResponse(problems);
        return { status: 204, nextState: withMethodConfiguration(state, found.index, merged, now) };
      },
    },
    DELETE: {
      permissions: ["Policy.ReadWrite.AuthenticationMethod"],
      deniedCode: "accessDenied",
      handle: ({ state, params: [id], now, version }) => {
        const found = findMethod(state, id, version);
        if (found === undefined) return methodNotFound(id);
        const { index, configuration: current } = found;
        // A beta-only method reverts to its default by dropping the stored one (the beta views show the default).
        if (isBetaOnly(current.id))
          return { status: 204, nextState: withMethodConfiguration(state, index, undefined, now) };
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
