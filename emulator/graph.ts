/**
 * The Microsoft Graph dispatcher of the emulator, served under `/v1.0` and `/beta`: the route table assembled from
 * each API area's module, and the order of checks as in Graph: token (401), route (400/405), permission (403),
 * body (400), then the resource itself (404, 400, 2xx). Pure: a request and the tenant in, an answer (and maybe the
 * next tenant) out.
 */
import { authenticate, graphAudiences, hasPermission, missingPermissionMessage } from "./auth";
import { utcDate } from "./emulatorCalendar";
import { badRequest, type GraphVersion, type Route } from "./graphRouting";
import { matchOperation } from "./graphRouteMatcher";
import { organizationRoutes } from "./organization";
import { peopleRoutes } from "./people/routes";
import { parseJsonBody } from "./responses";
import { applicationRoutes } from "./routes/applications";
import { authenticationMethodsPolicyRoutes } from "./routes/authenticationMethodsPolicy";
import { authorizationPolicyRoutes } from "./routes/authorizationPolicy";
import { groupsAndUsersRoutes } from "./routes/groupsAndUsers";
import type { ApiResponse, IncomingRequest, TenantState } from "./types";

/** Matched in this order; the first route whose pattern fits the path serves it. */
const routes: Route[] = [
  ...peopleRoutes, // emulator/people: directory people, their methods, roles, licences, the registration report
  ...authenticationMethodsPolicyRoutes,
  ...authorizationPolicyRoutes,
  ...groupsAndUsersRoutes,
  ...organizationRoutes,
  ...applicationRoutes, // the ownership mark's application
];

const graphChallenge = {
  "WWW-Authenticate":
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

/** Answers one Graph request. `today` is the emulator's date (default: the machine's date in UTC). */
export function handleGraphRequest(
  state: TenantState,
  request: IncomingRequest,
  version: GraphVersion,
  now: Date,
  today: string = utcDate(now),
): ApiResponse {
  const auth = authenticate(request.headers.authorization, graphAudiences, now.getTime(), state.tenantId);
  if ("status" in auth)
    return { status: 401, error: { code: auth.code, message: auth.message }, headers: graphChallenge };

  const matched = matchOperation(routes, request.method, request.segments);
  if ("status" in matched) return matched;
  const { operation, params } = matched;
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
    params,
    query: request.query,
    body,
    version,
    now,
    today,
    headers: request.headers,
    caller: auth.identity,
  });
}
