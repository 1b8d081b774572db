/**
 * Errors of the Entra HTTP layer. Everything here is a plain function over plain data: dynamic providers are
 * serialized by closure capture and re-created in a process without a TypeScript loader, so no classes, no
 * module-level state, no packages. Every message passes through `redactSecrets`: a token must never reach an error,
 * a log line or Pulumi state, even when a service echoes one back.
 */

import { isHtmlBody, parsePortalErrorBody } from "./portalErrors";
import { isRecord } from "../../lib/predicates";

/** What failed: the service answered (`http`), the connection failed (`network`), it took too long (`timeout`),
 * no usable token (`auth`), or the target/options are wrong (`config`). */
export type EntraErrorKind = "http" | "network" | "timeout" | "auth" | "config";

export interface EntraErrorDetails {
  kind: EntraErrorKind;
  /** HTTP status of the last answer; absent when no answer came (network, timeout, auth, config). */
  status?: number;
  /** Graph `error.code`, or the Node error code for network failures (`ECONNRESET`, ...). */
  code?: string;
  /** `request-id` / `x-ms-request-id` of the last answer, or Graph's `innerError.request-id`. */
  requestId?: string;
  /** The `x-ms-client-request-id` this layer sent, for correlating with the service's logs. */
  clientRequestId?: string;
  method: string;
  /** Base URL plus path, never the query string. */
  url: string;
  /** How many HTTP attempts were made (0 when it failed before sending). */
  attempts: number;
}

/** A normal `Error` with name `EntraError` and the details as own enumerable properties (so they survive
 * `JSON.stringify` and Pulumi's error reporting). Not a subclass: subclasses do not survive closure serialization
 * as reliably as plain objects do. */
export type EntraError = Error & EntraErrorDetails & { name: "EntraError" };

/** Builds an EntraError. The message is redacted here, so no caller can forget to. */
export function createEntraError(message: string, details: EntraErrorDetails): EntraError {
  const error = new Error(redactSecrets(message));
  const fields: Record<string, unknown> = { name: "EntraError" };
  for (const [key, value] of Object.entries(details)) {
    if (value !== undefined) fields[key] = typeof value === "string" ? redactSecrets(value) : value;
  }
  Object.assign(error, fields);
  // The stack was captured while the name was still "Error"; keep its first line consistent with String(error).
  if (typeof error.stack === "string" && error.stack.startsWith("Error")) {
    error.stack = "EntraError" + error.stack.slice("Error".length);
  }
  return error as EntraError;
}

export function isEntraError(value: unknown): value is EntraError {
  return (
    value instanceof Error &&
    value.name === "EntraError" &&
    typeof (value as Partial<EntraErrorDetails>).kind === "string" &&
    typeof (value as Partial<EntraErrorDetails>).method === "string"
  );
}

/** The service answered that it will not take the request as sent (400 or 422): retrying it unchanged cannot help. */
export function isRefusal(value: unknown): boolean {
  return isEntraError(value) && value.kind === "http" && (value.status === 400 || value.status === 422);
}

/**
 * Removes anything that looks like a credential: JWTs (signed or `alg: none`), `Bearer <token>` and
 * `access_token`-style fields, plus any literal strings given (the exact tokens this layer sent, for opaque ones).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    // Short strings would redact ordinary words; no real token is that short.
    if (secret.length >= 8) result = result.split(secret).join("[redacted]");
  }
  // A token echoed back in pieces (its header, payload and signature apart) is redacted piece by piece too.
  for (const secret of secrets) {
    for (const segment of secret.split(".")) {
      if (segment.length >= 16 && segment !== secret) result = result.split(segment).join("[redacted]");
    }
  }
  return (
    result
      .replace(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[redacted JWT]")
      // A JWT's header or payload alone (base64url of a JSON object: "eyJ..."), as when a token comes back split.
      .replace(/\beyJ[A-Za-z0-9_-]{12,}/g, "[redacted JWT]")
      // 16+ characters: a real token is far longer, and prose such as "bearer token" must survive.
      .replace(/\b(Bearer)\s+(?!\[redacted)[A-Za-z0-9\-._~+/]{16,}=*/gi, "$1 [redacted]")
      .replace(
        /(["']?\b(?:access_token|refresh_token|id_token|client_secret|assertion|authorization)["']?\s*[:=]\s*["']?)(?!\[redacted|Bearer \[redacted)[^"'&\s,}]+/gi,
        "$1[redacted]",
      )
  );
}

/** The URL without its query string or fragment; the path is kept (it names the object). */
export function urlWithoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/** Body text as it may appear in a message: redacted, then cut to about 2 kB. */
export function bodyExcerpt(text: string, secrets: readonly string[] = [], limit = 2000): string {
  const redacted = redactSecrets(text.trim(), secrets);
  return redacted.length <= limit
    ? redacted
    : `${redacted.slice(0, limit)}... (${redacted.length - limit} more characters)`;
}

export interface GraphErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
}

/** Reads a Graph error body `{"error":{"code","message","innerError":{"request-id"}}}`; undefined for anything else. */
export function parseGraphErrorBody(text: string): GraphErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.error)) return undefined;
  const error = parsed.error;
  // Graph spells it innerError; some services send innererror.
  const inner = isRecord(error.innerError) ? error.innerError : isRecord(error.innererror) ? error.innererror : {};
  const result: GraphErrorBody = {
    code: typeof error.code === "string" ? error.code : undefined,
    message: typeof error.message === "string" ? error.message : undefined,
    requestId: typeof inner["request-id"] === "string" ? inner["request-id"] : undefined,
  };
  return result.code === undefined && result.message === undefined ? undefined : result;
}

/** The portal API's resource (application) id: the audience of its tokens. */
export const portalResourceId = "74658136-14ec-4630-ad9b-26e160ff0fc6";

/**
 * The sentence that tells what to grant after a 401/403. `permission` is the Graph permission (Graph) or the
 * directory role (portal) the request declared it needs.
 */
export function permissionAdvice(api: "graph" | "portal", status: number, permission: string): string {
  if (api === "portal") {
    const role = permission.trim() || "Authentication Policy Administrator";
    const roles = /global administrator/i.test(role) ? role : `${role} (or Global Administrator)`;
    const rejected =
      status === 401
        ? "The portal API rejected the token (401)."
        : "The portal API refused the request (403): the signed-in user lacks the role.";
    return (
      `${rejected} It needs a delegated user token for resource ${portalResourceId} of a user holding the ` +
      `${roles} role (az login as that user); service principals and managed identities are refused.`
    );
  }
  const need =
    `The caller needs the Microsoft Graph permission ${permission} ` +
    `(application permission with admin consent, or delegated with an admin role that allows it).`;
  return status === 401
    ? `The token was rejected (401: missing, expired, or issued for another audience or tenant). ${need}`
    : need;
}

export interface HttpFailure {
  api: "graph" | "portal";
  method: string;
  url: string;
  status: number;
  /** Response body text as received. */
  bodyText: string;
  /** From the response headers (`request-id`, `x-ms-request-id`). */
  headerRequestId?: string;
  clientRequestId?: string;
  permission: string;
  attempts: number;
  /** Set when the answer was retryable but the retry budget ran out; says why. */
  exhausted?: string;
  /** Literal secrets to strip from the echoed body (the tokens sent). */
  secrets?: readonly string[];
}

/** The EntraError for a non-2xx answer. */
export function httpFailureError(failure: HttpFailure): EntraError {
  const url = urlWithoutQuery(failure.url);
  const secrets = failure.secrets ?? [];
  // Graph's `{"error":{...}}`, or on the portal its ClientException: either way a code and a message.
  const graphError =
    parseGraphErrorBody(failure.bodyText) ??
    (failure.api === "portal" ? parsePortalErrorBody(failure.bodyText) : undefined);
  const requestId = failure.headerRequestId ?? graphError?.requestId;

  let what: string;
  if (isHtmlBody(failure.bodyText)) {
    // A sign-in or error page says nothing a person can act on and may echo request details: never shown.
    what = `${failure.status} (an HTML page, not shown)`;
  } else if (graphError) {
    const codePart = graphError.code ? ` ${graphError.code}` : "";
    const messagePart = graphError.message ? `: ${bodyExcerpt(graphError.message, secrets)}` : "";
    what = `${failure.status}${codePart}${messagePart}`;
  } else if (failure.bodyText.trim() === "") {
    what = `${failure.status} (empty body)`;
  } else {
    what = `${failure.status}: ${bodyExcerpt(failure.bodyText, secrets)}`;
  }

  const sentences = [
    endSentence(
      failure.exhausted
        ? `${failure.method} ${url} failed after ${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"} ` +
            `(retries exhausted: ${failure.exhausted}); last answer ${what}`
        : `${failure.method} ${url} failed with ${what}`,
    ),
  ];
  if (failure.status === 401 || failure.status === 403) {
    sentences.push(permissionAdvice(failure.api, failure.status, failure.permission));
  }
  sentences.push(correlation(requestId, failure.clientRequestId));

  return createEntraError(sentences.filter((s) => s !== "").join(" "), {
    kind: "http",
    status: failure.status,
    code: graphError?.code,
    requestId,
    clientRequestId: failure.clientRequestId,
    method: failure.method,
    url,
    attempts: failure.attempts,
  });
}

export interface TransportFailure {
  method: string;
  url: string;
  timedOut: boolean;
  /** The per-attempt timeout in force, for the message. */
  timeoutMs: number;
  /** Node error code (`ECONNRESET`, ...) when there was one. */
  code?: string;
  /** The underlying error's message (redacted before use). */
  detail: string;
  clientRequestId?: string;
  attempts: number;
  /** Set when the failure was retryable but the retry budget ran out; says why. */
  exhausted?: string;
  /** Why it was not retried at all (e.g. POST), when that is the case. */
  notRetried?: string;
}

/** The EntraError for a connection failure or timeout (no answer from the service). */
export function transportFailureError(failure: TransportFailure): EntraError {
  const url = urlWithoutQuery(failure.url);
  const cause = failure.timedOut
    ? `timed out after ${formatSeconds(failure.timeoutMs)} without an answer`
    : `the connection failed (${[failure.code, failure.detail].filter(Boolean).join(": ")})`;
  const tail = failure.exhausted
    ? `after ${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"} (retries exhausted: ${failure.exhausted})`
    : failure.notRetried
      ? `(not retried: ${failure.notRetried})`
      : "";
  const message = [
    `${failure.method} ${url} failed: ${cause}${tail ? " " + tail : ""}.`,
    correlation(undefined, failure.clientRequestId),
  ]
    .filter((s) => s !== "")
    .join(" ");
  return createEntraError(message, {
    kind: failure.timedOut ? "timeout" : "network",
    code: failure.timedOut ? "TIMEOUT" : failure.code,
    clientRequestId: failure.clientRequestId,
    method: failure.method,
    url,
    attempts: failure.attempts,
  });
}

/** Adds a full stop unless the text (often a service's message) already ends a sentence. */
function endSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function correlation(requestId: string | undefined, clientRequestId: string | undefined): string {
  const parts = [
    requestId ? `request-id ${requestId}` : "",
    clientRequestId ? `client-request-id ${clientRequestId}` : "",
  ].filter((p) => p !== "");
  return parts.length === 0 ? "" : `(${parts.join(", ")})`;
}

/** `1.5 s`, `60 s`, `250 ms`. */
export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
