/**
 * JSON batching: `POST /v1.0/$batch` with up to 20 requests, each answered as if sent alone with the batch's
 * token (Graph docs "Combine multiple requests in one HTTP call using JSON batching"): the outer answer is 200
 * with `{"responses":[{id, status, headers, body}]}`; a request's failure is its own status and Graph error body.
 *
 * Documented: the limit of 20 requests; relative URLs without the version (`/users/{id}/...`, the leading slash
 * optional); unique ids; `dependsOn` (a request whose dependency failed gets 424); the outer request's
 * authentication applies to every request. assumed: the wording of the errors for a malformed batch (not
 * documented); requests run in the order given (Graph may run them in any order unless `dependsOn` chains them, so
 * any order is correct). Faults and the `--throttle` window apply to each request in the batch too, answered in the
 * batch body with its own status and `Retry-After` (`faults.ts`'s `innerRequestFault`), and Graph's documented limits
 * (`throttling.ts`, through `limitInner`) count and answer each request in it on its own, as Graph throttles them;
 * the request log sees the batch as one request.
 */
import { randomUUID } from "node:crypto";
import { authenticate, graphAudiences } from "./auth";
import { utcDate } from "./emulatorCalendar";
import { handleGraphRequest } from "./graph";
import type { GraphVersion } from "./graphRouting";
import { decodedSegments, malformedPathMessage } from "./odata";
import { graphErrorBody, parseJsonBody } from "./responses";
import { isPlainObject, type ApiResponse, type IncomingRequest, type JsonObject, type TenantState } from "./types";

/** Graph's documented limit of requests per batch. */
export const maxBatchRequests = 20;

const bad = (message: string): ApiResponse => ({ status: 400, error: { code: "BadRequest", message } });

/** `$batch` when the path is exactly that; every other request goes to the Graph routes. */
/** A fault or throttling answer for one request inside a batch (`faults.ts`'s `innerRequestFault`), or undefined. */
export type InnerRequestFault = (method: string, path: string) => ApiResponse | undefined;

export function handleGraphOrBatch(
  state: TenantState,
  request: IncomingRequest,
  version: GraphVersion,
  now: Date,
  today: string = utcDate(now),
  /** Graph's throttling of each inner request on its own (`throttling.ts`): a 429 answer, or undefined to serve it. */
  limitInner?: (inner: IncomingRequest) => ApiResponse | undefined,
  innerFault?: InnerRequestFault,
): ApiResponse {
  const isBatch = request.segments.length === 1 && request.segments[0].toLowerCase() === "$batch";
  return isBatch
    ? handleBatch(state, request, version, now, today, limitInner, innerFault)
    : handleGraphRequest(state, request, version, now, today);
}

function handleBatch(
  state: TenantState,
  request: IncomingRequest,
  version: GraphVersion,
  now: Date,
  today: string,
  limitInner?: (inner: IncomingRequest) => ApiResponse | undefined,
  innerFault?: InnerRequestFault,
): ApiResponse {
  const auth = authenticate(request.headers.authorization, graphAudiences, now.getTime(), state.tenantId);
  if ("status" in auth) return { status: 401, error: { code: auth.code, message: auth.message } };
  if (request.method !== "POST")
    return {
      status: 405,
      error: {
        code: "Request_BadRequest",
        message: `Specified HTTP method (${request.method}) is not allowed for the request uri.`,
      },
      headers: { Allow: "POST" },
    };
  const parsed = parseJsonBody(request.rawBody);
  if ("problem" in parsed) return bad(parsed.problem);
  const requests = isPlainObject(parsed.value) ? parsed.value.requests : undefined;
  if (!Array.isArray(requests) || requests.length === 0)
    return bad('The batch body needs "requests": an array of 1 to 20 requests.');
  if (requests.length > maxBatchRequests)
    return bad(`The batch holds ${requests.length} requests; at most ${maxBatchRequests} are allowed.`);
  const problems: string[] = [];
  const ids = new Set<string>();
  requests.forEach((entry: unknown, index) => {
    if (!isPlainObject(entry)) return problems.push(`requests[${index}] is not an object`);
    if (typeof entry.id !== "string" || entry.id === "")
      problems.push(`requests[${index}].id must be a non-empty string`);
    else if (ids.has(entry.id)) problems.push(`requests[${index}].id "${entry.id}" is not unique`);
    else ids.add(entry.id);
    if (typeof entry.method !== "string") problems.push(`requests[${index}].method must be an HTTP method`);
    if (typeof entry.url !== "string" || entry.url === "" || /^[a-z][a-z0-9+.-]*:/i.test(entry.url))
      problems.push(`requests[${index}].url must be a relative URL such as "/users/{id}" (without the version)`);
    return undefined;
  });
  if (problems.length > 0) return bad(problems.join("; "));

  let current = state;
  const responses: JsonObject[] = [];
  for (const entry of requests as JsonObject[]) {
    const relative = String(entry.url);
    const url = new URL(relative.startsWith("/") ? relative : `/${relative}`, "http://batch.invalid");
    const segments = url.pathname
      .split("/")
      .slice(1)
      .filter((part, index, all) => part !== "" || index < all.length - 1);
    const headers: Record<string, string | undefined> = { ...request.headers };
    if (isPlainObject(entry.headers))
      for (const [name, value] of Object.entries(entry.headers)) {
        // The batch's own token serves every request in it (https://learn.microsoft.com/graph/json-batching; see
        // above); an inner Authorization header is not a way to act as someone else, so it is dropped.
        if (name.toLowerCase() !== "authorization") headers[name.toLowerCase()] = String(value);
      }
    const decoded = decodedSegments(segments);
    let answer: ApiResponse;
    const dependsOn = Array.isArray(entry.dependsOn) ? entry.dependsOn.map(String) : [];
    const failed = dependsOn.find((id) => {
      const earlier = responses.find((response) => response.id === id);
      return earlier === undefined || Number(earlier.status) < 200 || Number(earlier.status) > 299;
    });
    const faulted =
      decoded === undefined ? undefined : innerFault?.(String(entry.method), `/${version}${url.pathname}`);
    if (decoded === undefined) answer = bad(malformedPathMessage);
    else if (faulted !== undefined) answer = faulted;
    else if (failed !== undefined)
      // Graph docs: a request whose dependency failed is answered 424 Failed Dependency.
      answer = {
        status: 424,
        error: { code: "FailedDependency", message: `The request depends on request ${failed}, which failed.` },
      };
    else
      try {
        const inner: IncomingRequest = {
          method: String(entry.method).toUpperCase(),
          segments: decoded,
          query: url.searchParams,
          headers,
          rawBody: entry.body === undefined ? "" : JSON.stringify(entry.body),
        };
        answer = limitInner?.(inner) ?? handleGraphRequest(current, inner, version, now, today);
      } catch (error) {
        answer = { status: 500, error: { code: "InternalServerError", message: String(error) } };
      }
    if (answer.nextState !== undefined) current = answer.nextState;
    const requestId = randomUUID();
    const body =
      answer.error !== undefined
        ? graphErrorBody(answer.error, { requestId, clientRequestId: requestId }, now)
        : answer.body;
    responses.push({
      id: entry.id,
      status: answer.status,
      headers: { ...answer.headers, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { body }),
    });
  }
  return { status: 200, body: { responses }, ...(current === state ? {} : { nextState: current }) };
}
