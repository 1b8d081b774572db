/**
 * The admin center's portal API (`https://main.iam.ad.ext.azure.com/api`), served under `/api`. Undocumented by
 * Microsoft: what is known is in docs/reference/portal-api.md; every other behaviour here is marked assumed. Pure functions.
 */
import { authenticate, authorizePortal, portalAudience } from "./auth";
import { parseJsonBody } from "./responses";
import {
  deepClone,
  isPlainObject,
  sameId,
  type ApiResponse,
  type IncomingRequest,
  type JsonObject,
  type TenantState,
} from "./types";
import { checkOnPremisesPasswordResetPolicies, checkPasswordResetPolicies } from "./validation";

type PortalSection = "passwordResetPolicies" | "onPremisesPasswordResetPolicies";

const sections: Record<string, { section: PortalSection; check: (body: unknown) => string[] }> = {
  "passwordreset/passwordresetpolicies": { section: "passwordResetPolicies", check: checkPasswordResetPolicies },
  "passwordreset/onpremisespasswordresetpolicies": {
    section: "onPremisesPasswordResetPolicies",
    check: checkOnPremisesPasswordResetPolicies,
  },
};

/**
 * `?getPasswordResetEnabledGroup=true` also returns the group's name (docs/reference/portal-api.md#endpoints). assumed: the name comes from the
 * directory when the group exists there; otherwise the stored name is returned (the fixture's group "GROUP" is
 * redacted and exists nowhere).
 */
function withGroupName(state: TenantState, policies: JsonObject, query: URLSearchParams): JsonObject {
  if (query.get("getPasswordResetEnabledGroup")?.toLowerCase() !== "true") return policies;
  const ids = policies.passwordResetEnabledGroupIds;
  const groupId = Array.isArray(ids) && typeof ids[0] === "string" ? ids[0] : undefined;
  const group = groupId === undefined ? undefined : state.groups.find((candidate) => sameId(candidate.id, groupId));
  return group === undefined ? policies : { ...policies, passwordResetEnabledGroupName: group.displayName };
}

/** Answers one portal request (path below `/api`). */
export function handlePortalRequest(state: TenantState, request: IncomingRequest, now: Date): ApiResponse {
  const auth = authenticate(request.headers.authorization, [portalAudience], now.getTime(), state.tenantId);
  if ("status" in auth) return { status: 401, error: { code: "Unauthorized", message: auth.message } };
  const refused = authorizePortal(auth.identity);
  if (refused !== undefined)
    return {
      status: refused.status,
      error: { code: refused.status === 401 ? "Unauthorized" : "Forbidden", message: refused.message },
    };

  // The community OpenAPI description (nodoc) marks `x-ms-client-request-id` required and shows this exact answer when
  // it is missing (docs/reference/portal-api.md#what-public-callers-show). assumed: checked after the token, on every method.
  if ((request.headers["x-ms-client-request-id"] ?? "").trim() === "")
    return {
      status: 400,
      error: { code: "ArgumentNull", message: "Value cannot be null. Parameter name: correlationId" },
    };

  const route = sections[request.segments.join("/").toLowerCase()];
  if (route === undefined)
    return {
      status: 404,
      error: { code: "NotFound", message: `No portal API resource at /api/${request.segments.join("/")}.` },
    };

  if (request.method === "GET") {
    const stored = state[route.section];
    const body = route.section === "passwordResetPolicies" ? withGroupName(state, stored, request.query) : stored;
    return { status: 200, body };
  }
  if (request.method !== "PUT")
    return {
      status: 405,
      error: {
        code: "MethodNotAllowed",
        message: `The requested resource does not support http method '${request.method}'.`,
      },
      headers: { Allow: "GET, PUT" },
    };

  const parsed = parseJsonBody(request.rawBody);
  if ("problem" in parsed) return { status: 400, error: { code: "BadRequest", message: parsed.problem } };
  const problems = route.check(parsed.value);
  if (problems.length > 0 || !isPlainObject(parsed.value))
    return { status: 400, error: { code: "BadRequest", message: problems.join("; ") } };

  // The whole object is replaced by what was sent (docs/reference/portal-api.md#what-public-callers-show: tools PUT the whole object). unverified: what the real
  // service does with a body missing fields; the emulator stores exactly what it is given.
  const next = deepClone(state);
  next[route.section] = deepClone(parsed.value);
  // 200 with the JSON boolean `true`, per the community OpenAPI description (nodoc `password_reset.yml`) (docs/reference/portal-api.md#what-public-callers-show).
  // Callers must not trust it: they read back and compare.
  return { status: 200, body: true, nextState: next };
}
