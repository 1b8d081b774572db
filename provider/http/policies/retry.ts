/**
 * The client's retry policy and its strategy, one file as `@azure/core-rest-pipeline` keeps
 * `policies/throttlingRetryPolicy.ts`: which answers are retried (429/503/504 and dropped connections), how long to
 * wait (`Retry-After` in seconds or as an HTTP date, exponential back-off otherwise), and the attempts and total time
 * allowed. Core's retry policies cannot bound the total time or explain why they gave up, hence this one.
 */
import type {
  HttpHeaders,
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
  SendRequest,
} from "@azure/core-rest-pipeline";
import { formatSeconds } from "../errors";
import type { SendState } from "./sendState";

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

export const defaultRetryOptions: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxTotalMs: 120_000,
  maxDelayMs: 60_000,
};
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
