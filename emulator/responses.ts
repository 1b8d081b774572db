/**
 * How answers look on the wire: Graph's error body, the portal's (assumed) error body, and JSON body parsing.
 * Pure functions; the server adds ids and headers.
 */
import { jsonShapeProblem } from "./jsonGuard";
import type { ApiError, ApiKind } from "./types";

/** `request-id` is new per response; `client-request-id` echoes the caller's (or repeats `request-id`, as Graph does). */
export interface ResponseIds {
  requestId: string;
  clientRequestId: string;
}

/** Graph's error code for a status the emulator produces without a specific one (faults, throttling, ...). */
export function graphCodeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: "BadRequest",
    401: "InvalidAuthenticationToken",
    403: "Authorization_RequestDenied",
    404: "Request_ResourceNotFound",
    405: "Request_BadRequest",
    409: "Conflict",
    412: "PreconditionFailed",
    413: "RequestEntityTooLarge",
    429: "TooManyRequests",
    500: "InternalServerError",
    501: "NotImplemented",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
  };
  return codes[status] ?? (status >= 500 ? "UnknownError" : "BadRequest");
}

/** A short reason for an injected or generic error. */
export function reasonForStatus(status: number): string {
  const reasons: Record<number, string> = {
    429: "Too many requests.",
    500: "An internal server error occurred.",
    502: "Bad gateway.",
    503: "The service is temporarily unavailable.",
    504: "The gateway timed out.",
  };
  return reasons[status] ?? `The request failed with status ${status}.`;
}

/** `{"error":{"code","message","innerError":{"request-id","date"}}}` (docs/reference/endpoints-and-permissions.md#errors-throttling-and-timeouts). */
export function graphErrorBody(error: ApiError, ids: ResponseIds, now: Date): unknown {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: { date: now.toISOString(), "request-id": ids.requestId, "client-request-id": ids.clientRequestId },
    },
  };
}

/**
 * The portal API's error body. 4xx answers are a `ClientException` (the community OpenAPI description, nodoc
 * `common.yml`; the same `ClassName` appears in real "Forbidden" output in unrelated repos) (docs/reference/portal-api.md#what-public-callers-show).
 * A 404 for an unknown route is ASP.NET Web API's `{"message": "No HTTP resource was found ..."}`
 * (same source). assumed: that 5xx and throttling answers use the ClientException shape too (nothing published).
 */
export function portalErrorBody(
  error: ApiError,
  ids: ResponseIds,
  status: number,
  context: { tenantId?: string; path?: string } = {},
): unknown {
  if (status === 404 && error.code === "NotFound") {
    return { message: `No HTTP resource was found that matches the request URI '${context.path ?? ""}'.` };
  }
  return {
    ClassName: "Microsoft.Portal.Framework.Exceptions.ClientException",
    Message: error.message,
    HttpStatusCode: status,
    XMsServerRequestId: ids.requestId,
    ClientData: {
      errorCode: error.code,
      localizedErrorDetails: null,
      clientRequestId: ids.clientRequestId || null,
      tenantId: context.tenantId ?? null,
      // assumed: the caller's object id; the emulator does not track who called, so it is left null.
      userObjectId: null,
    },
  };
}

export function errorBody(
  api: ApiKind,
  error: ApiError,
  ids: ResponseIds,
  now: Date,
  status = 400,
  context: { tenantId?: string; path?: string } = {},
): unknown {
  return api === "graph" ? graphErrorBody(error, ids, now) : portalErrorBody(error, ids, status, context);
}

/** Parses a request body that must be JSON; the message is Graph's for unreadable payloads. */
export function parseJsonBody(raw: string): { value: unknown } | { problem: string } {
  if (raw.trim() === "") return { problem: "Empty Payload. JSON content expected." };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {
      problem:
        "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    };
  }
  const problem = jsonShapeProblem(value);
  return problem === undefined ? { value } : { problem };
}
