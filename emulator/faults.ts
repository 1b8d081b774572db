/**
 * Injected faults and throttling. Faults are consumed per matching request; throttling is a sliding window.
 * Pure parsing and matching; the two small classes only keep counters.
 */
import { ownEntry } from "./jsonGuard";
import { describeValue, isPlainObject } from "./types";
import { isBoolean, isNonEmptyString, integerIn, type Check } from "./validation";
import type { ApiResponse } from "./types";

/** The body of `POST /_emulator/faults` (and `RunningEmulator.addFault`). */
export interface FaultSpec {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Path without query, case-insensitive; a trailing `*` matches every path starting with what precedes it. */
  path: string;
  /** Answer with this status instead of handling the request. */
  status?: number;
  /** `Retry-After` header value (seconds or an HTTP date); only with `status`. */
  retryAfter?: string | number;
  /** Wait this long before answering (or before handling, when the fault has no status and no drop). */
  delayMs?: number;
  /** Destroy the socket without an answer. */
  drop?: boolean;
  /** Body of the faulted answer; a string is sent as it is, anything else as JSON. Default: the API's error shape. */
  body?: unknown;
  /** How many matching requests the fault applies to (default 1). */
  count?: number;
  /** Let this many matching requests through first (default 0): "the second GET fails", a read-back after a write. */
  after?: number;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  /** Matching requests still to be faulted. */
  remaining: number;
  /** Matching requests still to be let through before the fault applies. */
  passing: number;
}

/** One hour: longer delays are almost certainly a mistake and would keep the server from stopping promptly. */
const maxDelayMs = 3_600_000;

const faultMembers: Record<string, Check> = {
  method: isNonEmptyString,
  path: (value, name, problems) => {
    if (typeof value !== "string" || !value.startsWith("/"))
      problems.push(
        `${name} is ${describeValue(value)}; allowed: a path starting with "/" (a trailing * matches a prefix)`,
      );
  },
  status: integerIn(100, 599),
  retryAfter: (value, name, problems) => {
    if (!(typeof value === "string" && value.trim() !== "") && !(typeof value === "number" && value >= 0))
      problems.push(`${name} is ${describeValue(value)}; allowed: seconds (a number >= 0) or an HTTP date string`);
  },
  delayMs: integerIn(0, maxDelayMs),
  drop: isBoolean,
  body: () => undefined,
  count: integerIn(1, Number.MAX_SAFE_INTEGER),
  after: integerIn(0, Number.MAX_SAFE_INTEGER),
};

/** Validates a fault; every problem at once. */
export function parseFault(input: unknown): { fault: FaultSpec } | { problems: string[] } {
  if (!isPlainObject(input)) return { problems: [`the fault is ${describeValue(input)}; allowed: a JSON object`] };
  const problems: string[] = [];
  if (!("path" in input)) problems.push("path is missing; it is required");
  for (const [key, value] of Object.entries(input)) {
    const check = ownEntry(faultMembers, key);
    if (check === undefined)
      problems.push(`${key} is not a fault property; allowed: ${Object.keys(faultMembers).join(", ")}`);
    else check(value, key, problems);
  }
  if (input.status === undefined && input.drop !== true && input.delayMs === undefined)
    problems.push("the fault does nothing; give status, drop: true or delayMs");
  if (input.retryAfter !== undefined && input.status === undefined)
    problems.push("retryAfter is only sent with a status; give status too");
  if (input.drop === true && input.status !== undefined)
    problems.push("drop and status exclude each other: a dropped request gets no answer");
  if (problems.length > 0) return { problems };
  return { fault: input as unknown as FaultSpec };
}

export function faultMatches(fault: FaultSpec, method: string, path: string): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  const wanted = fault.path.toLowerCase();
  const actual = path.toLowerCase();
  return wanted.endsWith("*") ? actual.startsWith(wanted.slice(0, -1)) : actual === wanted;
}

/** The faults waiting for requests, first added first used. */
export class FaultTable {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(fault: FaultSpec): ActiveFault {
    const active: ActiveFault = {
      ...structuredClone(fault),
      id: this.nextId++,
      remaining: fault.count ?? 1,
      passing: fault.after ?? 0,
    };
    this.faults.push(active);
    return structuredClone(active);
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return structuredClone(this.faults);
  }

  /**
   * The fault for this request, if any: the first matching one that has let its `after` requests through. Every
   * matching fault counts the request (so `after` counts requests, not requests that no other fault took); the one
   * taken counts down and is forgotten when used up.
   */
  take(method: string, path: string): FaultSpec | undefined {
    let taken: ActiveFault | undefined;
    for (const fault of this.faults.filter((one) => faultMatches(one, method, path))) {
      if (fault.passing > 0) fault.passing -= 1;
      else taken ??= fault;
    }
    if (taken === undefined) return undefined;
    taken.remaining -= 1;
    if (taken.remaining <= 0) this.faults.splice(this.faults.indexOf(taken), 1);
    return structuredClone(taken);
  }
}

export interface ThrottleOptions {
  /** At most this many requests ... */
  requests: number;
  /** ... in this many seconds. */
  perSeconds: number;
}

/** Parses the CLI's `--throttle N/S`. */
export function parseThrottle(text: string): ThrottleOptions | { problem: string } {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const problem = `--throttle is ${JSON.stringify(text)}; allowed: N/S with N requests (>= 1) per S seconds (> 0), e.g. 20/1`;
  if (match === null) return { problem };
  const requests = Number(match[1]);
  const perSeconds = Number(match[2]);
  if (requests < 1 || perSeconds <= 0) return { problem };
  return { requests, perSeconds };
}

export function checkThrottle(options: unknown): string[] {
  const problems: string[] = [];
  if (!isPlainObject(options)) return [`throttle is ${describeValue(options)}; allowed: { requests, perSeconds }`];
  integerIn(1, Number.MAX_SAFE_INTEGER)(options.requests, "throttle.requests", problems);
  if (typeof options.perSeconds !== "number" || !(options.perSeconds > 0))
    problems.push(`throttle.perSeconds is ${describeValue(options.perSeconds)}; allowed: a number > 0`);
  return problems;
}

/**
 * Sliding window over admitted requests: the (N+1)th request within S seconds gets 429 with `Retry-After` = the
 * seconds until the oldest admitted request leaves the window. Refused requests do not count, so a client that
 * waits `Retry-After` gets through.
 */
export class Throttle {
  private admitted: number[] = [];

  constructor(private readonly options: ThrottleOptions) {}

  admit(nowMs: number): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    const windowMs = this.options.perSeconds * 1000;
    this.admitted = this.admitted.filter((time) => nowMs - time < windowMs);
    if (this.admitted.length >= this.options.requests)
      return {
        admitted: false,
        retryAfterSeconds: Math.max(1, Math.ceil((this.admitted[0] + windowMs - nowMs) / 1000)),
      };
    this.admitted.push(nowMs);
    return { admitted: true };
  }
}

/**
 * The answer a fault or the throttle gives ONE request inside a `$batch`, or undefined to handle it. Graph throttles
 * and fails each request in a batch on its own and answers it in the batch body, with its own status and a
 * `Retry-After` header in that inner response (https://learn.microsoft.com/graph/json-batching, "Throttling and
 * batching"; https://learn.microsoft.com/graph/throttling). A fault's `path` matches the inner request's path with its
 * version (`/v1.0/policies/...`), as it would the request sent alone. assumed: `delayMs` and `drop` do not apply
 * inside a batch (one inner request cannot be dropped alone); a status fault or the throttle does. Shared by the
 * server (each fault and throttle count is the same table as for requests sent alone).
 */
export function innerRequestFault(
  faults: FaultTable,
  throttle: Throttle | undefined,
  method: string,
  path: string,
  nowMs: number,
): ApiResponse | undefined {
  const fault = faults.take(method, path);
  if (fault?.status !== undefined) {
    const status = fault.status;
    return {
      status,
      error: {
        code: status === 429 ? "TooManyRequests" : "InjectedFault",
        message: `${status} (fault injected by the emulator)`,
      },
      headers: fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) },
    };
  }
  const admission = throttle?.admit(nowMs);
  if (admission !== undefined && !admission.admitted)
    return {
      status: 429,
      error: { code: "TooManyRequests", message: "Too many requests. Retry after the time given in Retry-After." },
      headers: { "Retry-After": String(admission.retryAfterSeconds) },
    };
  return undefined;
}
