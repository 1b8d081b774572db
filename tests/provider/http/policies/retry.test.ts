/**
 * The client's retry policy on jest's fake timers with a stub `next`, as `@azure/core-rest-pipeline` tests its own
 * retry policies (test/throttlingRetryPolicy.spec.ts): every wait is asserted to the millisecond, and none of it is
 * spent in real time. The same policy against the emulator is in client.test.ts, and through Pulumi's
 * dynamic-provider host in lifecycle.test.ts.
 */
import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse,
  type SendRequest,
} from "@azure/core-rest-pipeline";
import { resolveClientOptions } from "../../../../provider/http/client";
import { retryPolicy, type RetryOptions } from "../../../../provider/http/policies/retry";
import type { SendState } from "../../../../provider/http/policies/sendState";

const url = "https://graph.microsoft.com/v1.0/policies/authorizationPolicy";

function answer(request: PipelineRequest, status: number, headers: Record<string, string> = {}): PipelineResponse {
  return { request, status, headers: createHttpHeaders(headers) };
}

/** A `next` that gives the listed answers in turn; `"hang"` waits until the attempt is aborted. */
function scripted(...answers: ({ status: number; headers?: Record<string, string> } | "hang")[]) {
  return jest.fn<ReturnType<SendRequest>, Parameters<SendRequest>>(async (request) => {
    const next = answers.shift();
    if (next === undefined) throw new Error("the stub has no more answers");
    if (next !== "hang") return answer(request, next.status, next.headers);
    return new Promise<PipelineResponse>((_resolve, reject) => {
      request.abortSignal?.addEventListener("abort", () => reject(new Error("The operation was aborted.")));
    });
  });
}

/** The policy for one GET (or `method`) with the given options, and the state `send` would read afterwards. */
function policyFor(retry: Partial<RetryOptions>, method = "GET", timeoutMs = 60_000) {
  const resolved = resolveClientOptions({ retry, timeoutMs });
  expect(resolved.problems).toEqual([]);
  const state: SendState = { startedAt: 0, attempts: 0, tokensSent: [], timeoutMs, timedOut: false };
  const request = createPipelineRequest({ url, method: method as PipelineRequest["method"] });
  return { policy: retryPolicy(method, resolved, state), state, request };
}

beforeEach(() => {
  jest.useFakeTimers();
  // Back-off jitter at its lowest: each wait is half of base * 2^(n-1).
  jest.spyOn(Math, "random").mockReturnValue(0);
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe("the retry policy on fake timers", () => {
  it("waits exactly the Retry-After of a 429 (not the shorter back-off) before the next attempt", async () => {
    const { policy, state, request } = policyFor({ baseDelayMs: 5 });
    const next = scripted({ status: 429, headers: { "Retry-After": "1" } }, { status: 200 });
    const sent = policy.sendRequest(request, next);

    await jest.advanceTimersByTimeAsync(999);
    expect(next).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(next).toHaveBeenCalledTimes(2);
    expect((await sent).status).toBe(200);
    expect(state).toMatchObject({ attempts: 2, exhausted: undefined });
  });

  it("prefers Azure's retry-after-ms to Retry-After", async () => {
    const { policy, request } = policyFor({});
    const next = scripted({ status: 503, headers: { "retry-after-ms": "250", "Retry-After": "3" } }, { status: 204 });
    const sent = policy.sendRequest(request, next);

    await jest.advanceTimersByTimeAsync(249);
    expect(next).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect((await sent).status).toBe(204);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it("backs off exponentially on 504 without Retry-After: 500, 1000, 2000 ms with base 1 s", async () => {
    const { policy, state, request } = policyFor({ baseDelayMs: 1000 });
    const next = scripted({ status: 504 }, { status: 504 }, { status: 504 }, { status: 200 });
    const sent = policy.sendRequest(request, next);

    for (const [wait, callsBefore] of [
      [500, 1],
      [1000, 2],
      [2000, 3],
    ]) {
      await jest.advanceTimersByTimeAsync(wait - 1);
      expect(next).toHaveBeenCalledTimes(callsBefore);
      await jest.advanceTimersByTimeAsync(1);
      expect(next).toHaveBeenCalledTimes(callsBefore + 1);
    }
    expect((await sent).status).toBe(200);
    expect(state.attempts).toBe(4);
  });

  it("stops at the attempt limit and hands back the last answer, saying why", async () => {
    const { policy, state, request } = policyFor({ maxAttempts: 3 });
    const throttled = { status: 429, headers: { "Retry-After": "2" } };
    const next = scripted(throttled, throttled, throttled, { status: 200 });
    const sent = policy.sendRequest(request, next);

    await jest.advanceTimersByTimeAsync(4000);
    const response = await sent;
    expect(response.status).toBe(429);
    expect(next).toHaveBeenCalledTimes(3);
    expect(state).toMatchObject({ attempts: 3, exhausted: "the limit of 3 attempts was reached" });
    expect(jest.getTimerCount()).toBe(0);
  });

  it("stops before a wait that would pass the total budget", async () => {
    const { policy, state, request } = policyFor({ maxTotalMs: 3000 });
    const throttled = { status: 503, headers: { "Retry-After": "2" } };
    const next = scripted(throttled, throttled, { status: 200 });
    const sent = policy.sendRequest(request, next);

    await jest.advanceTimersByTimeAsync(2000);
    const response = await sent;
    // 2 s waited, 2 s more would reach 4 s of a 3 s budget: the second 503 is the answer.
    expect(response.status).toBe(503);
    expect(next).toHaveBeenCalledTimes(2);
    expect(state.exhausted).toMatch(/^waiting 2 s more would pass the 3 s budget/);
  });

  it("aborts an attempt at its timeout and retries a GET after the back-off", async () => {
    const { policy, state, request } = policyFor({ baseDelayMs: 1000 }, "GET", 5000);
    const next = scripted("hang", { status: 200 });
    const sent = policy.sendRequest(request, next);

    await jest.advanceTimersByTimeAsync(4999);
    expect(request.abortSignal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(next).toHaveBeenCalledTimes(1);
    // The first back-off (half of 1 s at the lowest jitter), then the second attempt.
    await jest.advanceTimersByTimeAsync(499);
    expect(next).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect((await sent).status).toBe(200);
    expect(state).toMatchObject({ attempts: 2, timedOut: false });
  });

  it("never retries a POST that got no answer, however long the budget", async () => {
    const { policy, state, request } = policyFor({}, "POST", 5000);
    const next = scripted("hang", { status: 200 });
    const sent = policy.sendRequest(request, next).catch((reason: unknown) => reason);

    await jest.advanceTimersByTimeAsync(5000);
    expect(await sent).toEqual(new Error("The operation was aborted."));
    expect(next).toHaveBeenCalledTimes(1);
    expect(state).toMatchObject({ attempts: 1, timedOut: true, notRetried: "a POST may already have been processed" });
  });
});
