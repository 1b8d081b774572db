/**
 * The Entra HTTP layer: the one way every tenant singleton talks to Microsoft Graph and the portal API.
 *
 * Dynamic providers are serialized by closure capture and re-created in a plain Node process, so this module keeps
 * to plain functions and data: no module-level clients or state, packages `require()`d inside the functions that use
 * them (types come from `import type`, which compiles away), `process.env` read only when a token is needed.
 *
 * Each `send` runs one `@azure/core-rest-pipeline` pipeline: [proxy (real hosts)] -> auth -> retry -> HTTP client.
 * The token is fetched once, before the first attempt, so a slow sign-in (device code) is not cut by the request
 * timeout; a cached token has at least five minutes left, more than the whole retry budget.
 * The retry and auth policies are this module's own: core's retry policies cannot bound the total time or explain
 * why they gave up, and core's bearer policy refuses plain-http URLs (the emulator) and cannot refuse an app-only
 * portal token before sending it.
 */
import type {
  HttpClient,
  HttpHeaders,
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
  SendRequest,
} from "@azure/core-rest-pipeline";
import { runClient } from "./runReads";
import type { TokenCredential } from "@azure/identity";
import { createTokenSource, tokenRefusal, type TokenSource } from "./credentials";
import { endpointProblem, isLoopbackUrl, shownEndpoint } from "./endpoints";
import {
  createEntraError,
  formatSeconds,
  httpFailureError,
  isEntraError,
  redactSecrets,
  transportFailureError,
  urlWithoutQuery,
  type EntraError,
} from "./errors";
import type { EntraApi, EntraClient, EntraRequest, EntraTarget } from "../objects/objectSettings";

// What a request and an answer are lives in types.ts, which runReads.ts shares without importing this file.
export type { EntraClient, EntraRequest, EntraResponse } from "../objects/objectSettings";

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First back-off wait; doubles per attempt, with jitter. */
  baseDelayMs: number;
  /** Budget for the whole `send`: attempts, waits and timeouts together. */
  maxTotalMs: number;
  /** Longest single wait: back-off is capped here, and a longer `Retry-After` ends the retries. */
  maxDelayMs: number;
}

export interface EntraClientOptions {
  /** Replaces the credential chosen from the endpoints (tests, or callers with their own credential). */
  credential?: TokenCredential;
  retry?: Partial<RetryOptions>;
  /** Per attempt; Graph's authentication-methods requests time out after 60 s on the service side too. */
  timeoutMs?: number;
}

export const defaultRetryOptions: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxTotalMs: 120_000,
  maxDelayMs: 60_000,
};
export const defaultTimeoutMs = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Pure pieces: validation, Retry-After, back-off, the retry decision.
// ---------------------------------------------------------------------------------------------------------------

/** Every problem with a target, each naming the setting, the value and what is allowed. Empty when it is fine. */
export function validateTarget(target: EntraTarget): string[] {
  const problems: string[] = [];
  if (typeof target?.tenantId !== "string" || target.tenantId.trim() === "") {
    problems.push(`tenantId is ${JSON.stringify(target?.tenantId)}; a directory (tenant) id is required.`);
  }
  for (const api of ["graph", "portal"] as const) {
    const value: unknown = target?.endpoints?.[api];
    const problem = endpointProblem(value, api);
    if (problem !== undefined) {
      problems.push(`endpoints.${api} is ${JSON.stringify(shownEndpoint(value))}; ${problem}.`);
    }
  }
  return problems;
}

/** Every problem with the options, and the options with defaults filled in. */
export function resolveClientOptions(options: EntraClientOptions = {}): {
  retry: RetryOptions;
  timeoutMs: number;
  problems: string[];
} {
  const retry: RetryOptions = { ...defaultRetryOptions, ...definedOnly(options.retry ?? {}) };
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const problems: string[] = [];
  const check = (name: string, value: number, min: number, integer: boolean) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      problems.push(
        `${name} is ${JSON.stringify(value)}; ${integer ? "an integer" : "a number"} >= ${min} is required.`,
      );
    }
  };
  check("retry.maxAttempts", retry.maxAttempts, 1, true);
  check("retry.baseDelayMs", retry.baseDelayMs, 0, false);
  check("retry.maxTotalMs", retry.maxTotalMs, 1, false);
  check("retry.maxDelayMs", retry.maxDelayMs, 0, false);
  check("timeoutMs", timeoutMs, 1, false);
  return { retry, timeoutMs, problems };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A `Retry-After` value as milliseconds from `nowMs`: delay-seconds (`1`, `2.5`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`; a date in the past means 0). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim() ?? "";
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only text with letters can be an HTTP-date; Date.parse would read other strings ("-1", "1 2") as dates.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** How long the service asked to wait: `retry-after-ms` / `x-ms-retry-after-ms` (Azure), else `Retry-After`. */
export function retryAfterFromHeaders(headers: HttpHeaders, nowMs: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = headers.get(name)?.trim();
    if (value && /^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value));
  }
  return parseRetryAfter(headers.get("retry-after"), nowMs);
}

/**
 * Exponential back-off with "equal jitter": after attempt n, between half and all of base * 2^(n-1), capped at
 * maxDelayMs. Half fixed so a retry never comes immediately; half random so parallel deployments spread out.
 * `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: number): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random * exponential) / 2);
}

export type AttemptOutcome =
  { kind: "response"; status: number; retryAfterMs?: number } | { kind: "transport"; timedOut: boolean };

/** Retry after `delayMs`; or stop: `exhausted` says why when the failure was retryable, `notRetried` when it was
 * retryable for other methods only. */
export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; exhausted?: string; notRetried?: string };

const retryableStatuses = [429, 503, 504];

/**
 * Whether and when to try again. GET, PUT, PATCH and DELETE are idempotent on these APIs (PUT and PATCH write
 * absolute values; DELETE resets a method to its default), so they are retried on 429/503/504 and on connection
 * failures or timeouts. A POST may have been processed when the connection dropped or a gateway timed out (504), so
 * it is retried only on 429/503 with Retry-After: the service then said it did not take the request.
 */
export function decideRetry(input: {
  method: string;
  outcome: AttemptOutcome;
  /** Attempts made so far, this one included. */
  attempts: number;
  /** Since the first attempt started. */
  elapsedMs: number;
  options: RetryOptions;
  /** In [0, 1), for the jitter. */
  random: number;
}): RetryDecision {
  const { method, outcome, attempts, elapsedMs, options } = input;
  const isPost = method.toUpperCase() === "POST";
  if (outcome.kind === "response") {
    if (!retryableStatuses.includes(outcome.status)) return { retry: false };
    if (isPost && !((outcome.status === 429 || outcome.status === 503) && outcome.retryAfterMs !== undefined)) {
      return { retry: false, notRetried: "a POST is retried only on 429/503 with Retry-After" };
    }
  } else if (isPost) {
    return { retry: false, notRetried: "a POST may already have been processed" };
  }

  if (attempts >= options.maxAttempts) {
    return {
      retry: false,
      exhausted: `the limit of ${options.maxAttempts} attempt${options.maxAttempts === 1 ? "" : "s"} was reached`,
    };
  }
  const retryAfterMs = outcome.kind === "response" ? outcome.retryAfterMs : undefined;
  if (retryAfterMs !== undefined && retryAfterMs > options.maxDelayMs) {
    // Retrying before the service's time would only earn another 429; say so instead of waiting past the cap.
    return {
      retry: false,
      exhausted:
        `the service asked to wait ${formatSeconds(retryAfterMs)} (Retry-After), ` +
        `more than the ${formatSeconds(options.maxDelayMs)} allowed for one wait`,
    };
  }
  const delayMs = retryAfterMs ?? backoffDelay(attempts, options.baseDelayMs, options.maxDelayMs, input.random);
  if (elapsedMs + delayMs >= options.maxTotalMs) {
    return {
      retry: false,
      exhausted:
        `waiting ${formatSeconds(delayMs)} more would pass the ${formatSeconds(options.maxTotalMs)} budget ` +
        `(${formatSeconds(elapsedMs)} spent)`,
    };
  }
  return { retry: true, delayMs };
}

/** The service's request id from response headers. */
export function requestIdFromHeaders(headers: HttpHeaders): string | undefined {
  return headers.get("request-id") ?? headers.get("x-ms-request-id") ?? undefined;
}

/** Parsed JSON; undefined for an empty body; the text itself when it is not JSON. */
export function parseResponseBody(text: string | null | undefined): unknown {
  if (text === undefined || text === null || text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Headers every request carries; `Content-Type` only with a body, `X-Requested-With` as the portal's own UI sends. */
export function requestHeaders(api: EntraApi, clientRequestId: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "x-ms-client-request-id": clientRequestId,
  };
  // Graph documents `client-request-id` for correlation; it echoes it back.
  if (api === "graph") headers["client-request-id"] = clientRequestId;
  // unverified which portal headers are required; the admin center sends this one, so we do too.
  if (api === "portal") headers["X-Requested-With"] = "XMLHttpRequest";
  if (hasBody) headers["Content-Type"] = "application/json";
  return headers;
}

// ---------------------------------------------------------------------------------------------------------------
// The client.
// ---------------------------------------------------------------------------------------------------------------

/** What one `send` learns along the way; the policies write it, `send` turns it into the result or the error. */
export interface SendState {
  /** When the first attempt started (after the token was obtained). */
  startedAt: number;
  attempts: number;
  /** Tokens sent, to strip from any echoed body. */
  tokensSent: string[];
  /** The last per-attempt timeout in force. */
  timeoutMs: number;
  exhausted?: string;
  notRetried?: string;
  timedOut: boolean;
}

export function createEntraClient(target: EntraTarget, options: EntraClientOptions = {}): EntraClient {
  const resolved = resolveClientOptions(options);
  const problems = [...validateTarget(target), ...resolved.problems];
  if (problems.length > 0) {
    throw createEntraError(`The Entra client cannot start: ${problems.join(" ")}`, {
      kind: "config",
      method: "",
      url: "",
      attempts: 0,
    });
  }
  const tokens = createTokenSource(target, options.credential);
  let httpClient: HttpClient | undefined;

  const direct: EntraClient = {
    send: async (request) => {
      const core = require("@azure/core-rest-pipeline") as typeof import("@azure/core-rest-pipeline");
      const crypto = require("node:crypto") as typeof import("node:crypto");
      httpClient ??= core.createDefaultHttpClient();

      const requestProblems = validateRequest(request);
      if (requestProblems.length > 0) {
        throw createEntraError(`The request was not sent: ${requestProblems.join(" ")}`, {
          kind: "config",
          method: String(request.method),
          url: "",
          attempts: 0,
        });
      }
      const base = target.endpoints[request.api].replace(/\/+$/, "");
      const url = base + request.path;
      const plainUrl = urlWithoutQuery(url);

      const loopback = isLoopbackUrl(base);
      const clientRequestId = crypto.randomUUID();
      const hasBody = request.body !== undefined;
      const state: SendState = {
        startedAt: 0,
        attempts: 0,
        tokensSent: [],
        timeoutMs: resolved.timeoutMs,
        timedOut: false,
      };

      const pipeline = core.createEmptyPipeline();
      // Real hosts honour HTTPS_PROXY / NO_PROXY like every Azure SDK; the emulator is never proxied.
      if (!loopback) pipeline.addPolicy(core.proxyPolicy());
      // Policies without a phase run before the "Retry" phase: auth wraps the retries.
      pipeline.addPolicy(
        authPolicy(tokens, request.api, state, { method: request.method, url: plainUrl }, (url) =>
          tokenRefusal(target, request.api, url, options.credential !== undefined),
        ),
      );
      pipeline.addPolicy(retryPolicy(request.method, resolved, state), { phase: "Retry" });

      const pipelineRequest = core.createPipelineRequest({
        url,
        method: request.method,
        headers: core.createHttpHeaders({
          ...requestHeaders(request.api, clientRequestId, hasBody),
          ...(request.prefer === undefined ? {} : { Prefer: request.prefer }),
        }),
        body: hasBody ? JSON.stringify(request.body) : undefined,
        requestId: clientRequestId,
        // Plain http only for loopback (validateTarget refuses it elsewhere). No keep-alive there: the emulator
        // drops connections on purpose, and tests must not leave sockets behind.
        allowInsecureConnection: loopback,
        disableKeepAlive: loopback,
      });

      let response: PipelineResponse;
      try {
        response = await pipeline.sendRequest(httpClient, pipelineRequest);
      } catch (e) {
        throw toTransportError(e, request.method, plainUrl, clientRequestId, state);
      }

      const requestId = requestIdFromHeaders(response.headers);
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, body: parseResponseBody(response.bodyAsText), requestId };
      }
      // A rejected token may have been revoked or rotated: the next send asks for a new one.
      if (response.status === 401) tokens.invalidate(request.api);
      throw httpFailureError({
        api: request.api,
        method: request.method,
        url: plainUrl,
        status: response.status,
        bodyText: response.bodyAsText ?? "",
        headerRequestId: requestId,
        clientRequestId,
        permission: request.permission,
        attempts: state.attempts,
        exhausted: state.exhausted,
        secrets: state.tokensSent,
      });
    },
  };
  // In the provider plugin, the reads of one run are shared and batched (runReads.ts); elsewhere this is `direct`.
  return runClient(direct, target);
}

function validateRequest(request: EntraRequest): string[] {
  const problems: string[] = [];
  if (request.api !== "graph" && request.api !== "portal") {
    problems.push(`api is ${JSON.stringify(request.api)}; allowed: "graph", "portal".`);
  }
  if (!["GET", "PATCH", "PUT", "DELETE", "POST"].includes(request.method)) {
    problems.push(`method is ${JSON.stringify(request.method)}; allowed: GET, PATCH, PUT, DELETE, POST.`);
  }
  if (typeof request.path !== "string" || !request.path.startsWith("/") || request.path.startsWith("//")) {
    problems.push(`path is ${JSON.stringify(request.path)}; a path starting with one "/" is required.`);
  }
  if (typeof request.permission !== "string" || request.permission.trim() === "") {
    problems.push(
      `permission is ${JSON.stringify(request.permission)}; the Graph permission or portal role the call needs is required.`,
    );
  }
  return problems;
}

/** Sets the bearer token; a token failure (or an app-only portal token) ends the send before any request. */
function authPolicy(
  tokens: TokenSource,
  api: EntraApi,
  state: SendState,
  described: { method: string; url: string },
  refusal: (url: string) => Promise<string | undefined>,
): PipelinePolicy {
  return {
    name: "entraSsprAuth",
    sendRequest: async (request: PipelineRequest, next: SendRequest) => {
      // The URL actually about to leave, checked again here: the target may have been changed since the client was
      // built, and no pipeline policy of ours follows redirects, so this is the last hop a token can take.
      const destination = await refusal(request.url);
      if (destination !== undefined) {
        throw createEntraError(`No token is sent to ${described.url}: ${destination}`, {
          kind: "config",
          method: described.method,
          url: described.url,
          attempts: 0,
        });
      }
      const token = await tokens.getToken(api, described);
      if (!state.tokensSent.includes(token)) state.tokensSent.push(token);
      request.headers.set("Authorization", `Bearer ${token}`);
      return next(request);
    },
  };
}

/**
 * Attempts, timeouts and waits for one request. Each attempt gets its own abort signal and timer (so the timeout
 * covers reading the body too), bounded by what is left of the total budget. Exported for its tests, which drive it
 * on fake timers with a stub `next`.
 */
export function retryPolicy(
  method: string,
  resolved: { retry: RetryOptions; timeoutMs: number },
  state: SendState,
): PipelinePolicy {
  return {
    name: "entraSsprRetry",
    sendRequest: async (request: PipelineRequest, next: SendRequest) => {
      state.startedAt = Date.now();
      for (;;) {
        const elapsedBefore = Date.now() - state.startedAt;
        state.timeoutMs = Math.max(1, Math.min(resolved.timeoutMs, resolved.retry.maxTotalMs - elapsedBefore));
        state.attempts += 1;
        state.timedOut = false;
        const controller = new AbortController();
        const timer = setTimeout(() => {
          state.timedOut = true;
          controller.abort();
        }, state.timeoutMs);
        request.abortSignal = controller.signal;

        let outcome: AttemptOutcome;
        let response: PipelineResponse | undefined;
        let failure: unknown;
        try {
          response = await next(request);
          outcome = {
            kind: "response",
            status: response.status,
            retryAfterMs: retryAfterFromHeaders(response.headers, Date.now()),
          };
        } catch (e) {
          failure = e;
          outcome = { kind: "transport", timedOut: state.timedOut };
        } finally {
          clearTimeout(timer);
        }

        const decision = decideRetry({
          method,
          outcome,
          attempts: state.attempts,
          elapsedMs: Date.now() - state.startedAt,
          options: resolved.retry,
          random: Math.random(),
        });
        if (!decision.retry) {
          state.exhausted = decision.exhausted;
          state.notRetried = decision.notRetried;
          if (response) return response;
          throw failure;
        }
        await new Promise<void>((resolve) => setTimeout(resolve, decision.delayMs));
      }
    },
  };
}

/** Turns whatever the pipeline threw into an EntraError, keeping nothing of the original but its code and text
 * (core's errors carry the request, headers and all: they must never be attached). */
function toTransportError(
  error: unknown,
  method: string,
  url: string,
  clientRequestId: string,
  state: SendState,
): EntraError {
  if (isEntraError(error)) return error;
  const code =
    typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string"
      ? (error as { code: string }).code
      : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  return transportFailureError({
    method,
    url,
    timedOut: state.timedOut,
    timeoutMs: state.timeoutMs,
    code,
    detail: redactSecrets(detail, state.tokensSent).slice(0, 500),
    clientRequestId,
    attempts: state.attempts,
    exhausted: state.exhausted,
    notRetried: state.notRetried,
  });
}
