/**
 * The Entra HTTP layer: the one way every tenant singleton talks to Microsoft Graph and the portal API.
 *
 * It runs in the provider plugin (`provider/`: one process serves every resource and tenant of a deployment) and in
 * the commands' own processes. It keeps no module-level clients or state and reads `process.env` only when a token is
 * needed. The packages `require()`d inside functions are left from 0.1, when dynamic providers carried this code into
 * state by closure capture; `tests/components/entra/client.test.ts` still checks that it survives that, and nothing
 * else depends on it.
 *
 * Each `send` runs one `@azure/core-rest-pipeline` pipeline: [proxy (real hosts)] -> auth -> retry -> HTTP client.
 * The token is fetched once, before the first attempt, so a slow sign-in (device code) is not cut by the request
 * timeout; a cached token has at least five minutes left, more than the whole retry budget.
 * The retry and auth policies are this layer's own, one per file (`policies/retry.ts`,
 * `policies/bearerTokenToKnownHosts.ts`): core's retry policies cannot bound the total time or explain
 * why they gave up, and core's bearer policy refuses plain-http URLs (the emulator) and cannot refuse an app-only
 * portal token before sending it.
 */
import type { HttpClient, HttpHeaders, PipelineResponse } from "@azure/core-rest-pipeline";
import { runClient } from "./runReads";
import type { TokenCredential } from "@azure/identity";
import { createTokenSource, decodeJwtPayload, tokenRefusal } from "./credentials";
import { authPolicy } from "./policies/bearerTokenToKnownHosts";
import { defaultRetryOptions, retryPolicy, type RetryOptions } from "./policies/retry";
import type { SendState } from "./policies/sendState";
import { endpointProblem, isLoopbackUrl, shownEndpoint } from "../../lib/endpoints";
import { isGuid } from "../../lib/predicates";
import {
  createEntraError,
  httpFailureError,
  isEntraError,
  redactSecrets,
  transportFailureError,
  urlWithoutQuery,
  type EntraError,
} from "./errors";
import type { CallerIdentity, EntraApi, EntraClient, EntraRequest, EntraTarget } from "./httpTypes";

// What a request and an answer are lives in httpTypes.ts, which runReads.ts shares without importing this file.
export type { EntraClient, EntraRequest, EntraResponse } from "./httpTypes";

export interface EntraClientOptions {
  /** Replaces the credential chosen from the endpoints (tests, or callers with their own credential). */
  credential?: TokenCredential;
  retry?: Partial<RetryOptions>;
  /** Per attempt; Graph's authentication-methods requests time out after 60 s on the service side too. */
  timeoutMs?: number;
}

export const defaultTimeoutMs = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Pure pieces: validation, options, the request's headers and the answer's body.
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
  direct.caller = async () => callerOf(await tokens.getToken("graph"));
  // In the provider plugin, the reads of one run are shared and batched (runReads.ts); elsewhere this is `direct`.
  return runClient(direct, target);
}

/**
 * The identity a Graph token names (claims read, never verified: Graph does that). `tid` is the tenant's GUID in every
 * access token Entra issues ("Access token claims reference",
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference: `tid`, "String, a GUID"), even
 * when the sign-in named the tenant by a domain: the organization's id without a request (`tenantOwnership.ts`).
 */
export function callerOf(token: string): CallerIdentity | undefined {
  const claims = decodeJwtPayload(token);
  if (claims === undefined) return undefined;
  const granted = [
    ...(typeof claims.scp === "string" ? claims.scp.split(" ") : []),
    ...(Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === "string") : []),
  ].map((permission) => permission.toLowerCase());
  return {
    ...(typeof claims.oid === "string" && claims.oid !== "" ? { objectId: claims.oid.toLowerCase() } : {}),
    ...(isGuid(claims.tid) ? { tenantId: claims.tid.toLowerCase() } : {}),
    writesApplications: ["application.readwrite.ownedby", "application.readwrite.all"].some((permission) =>
      granted.includes(permission),
    ),
  };
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
  } else if (
    request.path
      .split("?")[0]
      .split("/")
      .some((segment) => /^(\.|%2e){1,2}$/i.test(segment))
  ) {
    // A "." or ".." segment (an id such as ".." put into `/groups/{id}`) would make the URL another object's, e.g.
    // `DELETE /v1.0/groups/..` -> `DELETE /v1.0/` once the URL is normalised: never sent.
    problems.push(`path is ${JSON.stringify(request.path)}; a "." or ".." segment is not allowed.`);
  }
  if (typeof request.permission !== "string" || request.permission.trim() === "") {
    problems.push(
      `permission is ${JSON.stringify(request.permission)}; the Graph permission or portal role the call needs is required.`,
    );
  }
  return problems;
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
