/**
 * The local Entra emulator: one HTTP server for Microsoft Graph (`/v1.0`, `/beta`), the admin center's portal API
 * (`/api`), the login host's OpenID configuration document for its tenant (`login.ts`) and the emulator's own
 * control routes (`/_emulator`). This file does the I/O (sockets, bodies, faults,
 * throttling, the request log); the answers come from the pure modules `graph.ts` and `portal.ts`.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createDefaultTenant } from "./defaultTenant";
import {
  checkThrottle,
  FaultTable,
  parseFault,
  Throttle,
  innerRequestFault,
  type ActiveFault,
  type FaultSpec,
  type ThrottleOptions,
} from "./faults";
import { handleGraphOrBatch } from "./batch";
import type { GraphLimits } from "./throttling";
import { decodedSegments, malformedPathMessage } from "./odata";
import type { GraphVersion } from "./graphRouting";
import { handlePortalRequest } from "./portal";
import { errorBody, graphCodeForStatus, parseJsonBody, reasonForStatus, type ResponseIds } from "./responses";
import { bindHostProblem, controlContentTypeProblem, isLoopbackName, requestOriginProblem } from "./localOnly";
import { droppedHeader, RequestLog } from "./requestLog";
import { openIdConfiguration, openIdConfigurationTenant } from "./login";
import { applySeed, checkSeed } from "./state";
import { parseCalendarDate, utcDate } from "./emulatorCalendar";
import { applyDueChanges, calendarView, type CalendarEntryView } from "./microsoftChanges";
import {
  deepClone,
  isPlainObject,
  type AppliedMicrosoftChange,
  type MicrosoftChangesMode,
  type ApiError,
  type ApiKind,
  type ApiResponse,
  type IncomingRequest,
  type RequestLogEntry,
  type TenantSeed,
  type TenantState,
} from "./types";

export type { TenantSeed, TenantState, RequestLogEntry, AppliedMicrosoftChange, MicrosoftChangesMode } from "./types";
export type { CalendarEntryView } from "./microsoftChanges";
export type { FaultSpec, ActiveFault, ThrottleOptions } from "./faults";
export { GraphLimits, documentedGraphLimits } from "./throttling";

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Anything but a loopback address needs `allowRemote` (see `localOnly.ts`). */
  host?: string;
  /**
   * Answer other machines: bind to any `host` and skip the `Host`/`Origin` checks. Off by default; the CLI's
   * `--allow-remote` warns when it is on.
   */
  allowRemote?: boolean;
  /** Laid over the default tenant at start; `POST /_emulator/reset` returns to it. */
  seed?: TenantSeed;
  /** Off by default. */
  throttle?: ThrottleOptions;
  /**
   * Graph's documented identity-and-access limits (`throttling.ts`), off by default. One instance may be shared by
   * many emulators: one application's budget across a fleet of tenants.
   */
  graphLimits?: GraphLimits;
  /** The application the limits count against (default `entra-sspr`): the emulator's lab tokens name none. */
  graphLimitsApp?: string;
  /** Added before every API answer (not control routes), so a benchmark's wall time reflects round trips. */
  latencyMs?: number;
  /** How many request log entries are kept (the newest); default `defaultRequestLogLimit` in `requestLog.ts`. */
  requestLogLimit?: number;
  /** How many bytes of request log entries are kept (the newest); default `defaultRequestLogBytes`. */
  requestLogBytes?: number;
  /**
   * The emulator's date, `YYYY-MM-DD`; wins over the seed's `today`. Without either it is the machine's date (UTC)
   * and follows the clock. It decides which of Microsoft's dated changes are in effect (`calendar.ts`).
   */
  today?: string;
  /**
   * `apply`: Microsoft's configuration changes due on the start date are applied to the start-up tenant (and
   * recorded); `hold`, the default: the tenant starts as given. Wins over the seed's `microsoftChanges`.
   */
  microsoftChanges?: MicrosoftChangesMode;
}

/** The emulator's date as `GET /_emulator/today` shows it. */
export interface TodayView {
  /** `YYYY-MM-DD`. */
  today: string;
  /** True while no date was given: the date is the machine's (UTC) and moves with it. */
  followsClock: boolean;
}

/** `GET /_emulator/calendar`: Microsoft's dated changes as they stand for the tenant on the emulator's date. */
export interface CalendarView extends TodayView {
  ownTelephonyProvider: boolean;
  entries: CalendarEntryView[];
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`; Graph at `${url}/v1.0`, the portal API at `${url}/api`. */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** A deep copy of the tenant. */
  state(): TenantState;
  /** A deep copy of the request log (the newest entries; see `requestLog.ts`). */
  requests(): RequestLogEntry[];
  /** Log entries dropped (oldest first) since the log was last cleared. */
  droppedRequests(): number;
  clearRequests(): void;
  /** Like `PUT /_emulator/state`: the start-up tenant with the given sections replaced. Throws on a bad seed. */
  seed(seed: TenantSeed): void;
  /** Like `POST /_emulator/reset`. */
  reset(): void;
  /** Like `POST /_emulator/faults`. Throws on a bad fault. */
  addFault(fault: FaultSpec): ActiveFault;
  clearFaults(): void;
  /** Like `GET /_emulator/today`. */
  today(): TodayView;
  /**
   * Like `PUT /_emulator/today`: a date `YYYY-MM-DD`, or null to follow the machine's clock again. Moving the date
   * from before a configuration change's day to it or later applies the change (unless `hold`); `apply` applies
   * every due change the tenant has not had. Returns the changes applied now. Throws on a bad date.
   */
  setToday(today: string | null, microsoftChanges?: MicrosoftChangesMode): AppliedMicrosoftChange[];
  /** Like `GET /_emulator/calendar`. */
  calendar(): CalendarView;
  /** Like `PUT /_emulator/telephony`. */
  setOwnTelephonyProvider(ownTelephonyProvider: boolean): void;
}

/** Request bodies above this are refused (the real methods policy fails to save above about 20 KB). */
const maxBodyBytes = 1_000_000;

const graphContentType =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const jsonContentType = "application/json; charset=utf-8";

type Target = { api: "graph"; version: GraphVersion; rest: string } | { api: "portal"; rest: string };

/** Which API a path belongs to, and the path below that API's root. */
function classify(path: string): Target | undefined {
  const match = /^\/(v1\.0|beta|api)(?=\/|$)(.*)$/i.exec(path);
  if (match === null) return undefined;
  const root = match[1].toLowerCase();
  if (root === "api") return { api: "portal", rest: match[2] };
  return { api: "graph", version: root as GraphVersion, rest: match[2] };
}

function splitSegments(rest: string): string[] | undefined {
  const parts = rest.split("/").slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return decodedSegments(parts);
}

function readBody(request: IncomingMessage): Promise<string | "tooLarge"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(tooLarge ? "tooLarge" : Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

class Emulator {
  private readonly baseline: TenantState;
  private tenant: TenantState;
  private readonly log: RequestLog;
  private readonly faults = new FaultTable();
  private readonly throttle: Throttle | undefined;
  private readonly graphLimits: GraphLimits | undefined;
  private readonly graphLimitsApp: string;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly latencyMs: number;
  private readonly allowRemote: boolean;
  /** The date given at start (undefined: the machine's); `reset` returns to it. */
  private readonly startToday: string | undefined;
  /** The date given since (undefined: the machine's, following its clock). */
  private givenToday: string | undefined;

  constructor(options: EmulatorOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.allowRemote = options.allowRemote === true;
    const problems = [...(options.seed === undefined ? [] : checkSeed(options.seed))];
    if (options.throttle !== undefined) problems.push(...checkThrottle(options.throttle));
    if (!(Number.isInteger(this.latencyMs) && this.latencyMs >= 0 && this.latencyMs <= 60_000))
      problems.push(`latencyMs is ${JSON.stringify(options.latencyMs)}; allowed: an integer 0-60000`);
    if (options.today !== undefined) {
      const parsed = parseCalendarDate(options.today, "today");
      if ("problem" in parsed) problems.push(parsed.problem);
    }
    if (options.microsoftChanges !== undefined && !["apply", "hold"].includes(options.microsoftChanges))
      problems.push(`microsoftChanges is ${JSON.stringify(options.microsoftChanges)}; allowed: "apply", "hold"`);
    if (problems.length > 0) throw new Error(`Invalid emulator options: ${problems.join("; ")}`);
    this.startToday = options.today ?? options.seed?.today;
    this.givenToday = this.startToday;
    const seeded = options.seed === undefined ? createDefaultTenant() : applySeed(createDefaultTenant(), options.seed);
    const mode = options.microsoftChanges ?? options.seed?.microsoftChanges ?? "hold";
    this.baseline =
      mode === "apply"
        ? applyDueChanges(seeded, { today: this.today(), trigger: "start", now: new Date() }).next
        : seeded;
    this.tenant = deepClone(this.baseline);
    this.throttle = options.throttle === undefined ? undefined : new Throttle(options.throttle);
    this.graphLimits = options.graphLimits;
    this.graphLimitsApp = options.graphLimitsApp ?? "entra-sspr";
    this.log = new RequestLog(options.requestLogLimit, options.requestLogBytes);
  }

  state(): TenantState {
    return deepClone(this.tenant);
  }

  requests(): RequestLogEntry[] {
    return deepClone(this.log.list());
  }

  droppedRequests(): number {
    return this.log.dropped;
  }

  clearRequests(): void {
    this.log.clear();
  }

  /**
   * The start-up tenant with the seed's sections in place. A seed's `today` sets the date (as a start would: a seed
   * is the tenant as it is on that date, so nothing is applied for the days it skips); `microsoftChanges: "apply"`
   * applies the configuration changes due on the date that the seeded tenant has not had.
   */
  seed(seed: unknown): TenantState {
    const problems = checkSeed(seed);
    if (problems.length > 0) throw new SeedError(problems);
    const given = seed as TenantSeed;
    const seeded = applySeed(this.baseline, given);
    if (given.today !== undefined) this.givenToday = given.today;
    this.tenant =
      given.microsoftChanges === "apply"
        ? applyDueChanges(seeded, { today: this.today(), trigger: "seed", now: new Date() }).next
        : seeded;
    return this.state();
  }

  reset(): void {
    this.tenant = deepClone(this.baseline);
    this.givenToday = this.startToday;
  }

  /** The emulator's date: the one given, or the machine's (UTC). */
  today(): string {
    return this.givenToday ?? utcDate(new Date());
  }

  todayView(): TodayView {
    return { today: this.today(), followsClock: this.givenToday === undefined };
  }

  /**
   * A new date (null: the machine's again). Without a mode, the configuration changes whose day the date moves
   * onto or past (from before it) are applied, as Microsoft applies them on that day; `apply` applies every due
   * change the tenant has not had; `hold` applies nothing.
   */
  setToday(today: unknown, mode?: unknown): AppliedMicrosoftChange[] {
    const problems: string[] = [];
    if (today !== null) {
      const parsed = parseCalendarDate(today, "today");
      if ("problem" in parsed) problems.push(`${parsed.problem}, or null to follow the machine's clock`);
    }
    if (mode !== undefined && mode !== "apply" && mode !== "hold")
      problems.push(`microsoftChanges is ${JSON.stringify(mode)}; allowed: "apply", "hold" (or leave it out)`);
    if (problems.length > 0) throw new SeedError(problems, "Invalid date");
    const before = this.today();
    this.givenToday = today === null ? undefined : (today as string);
    if (mode === "hold") return [];
    const { next, applied } = applyDueChanges(this.tenant, {
      today: this.today(),
      movedFrom: mode === "apply" ? undefined : before,
      trigger: mode === "apply" ? "asked" : "date moved",
      now: new Date(),
    });
    this.tenant = next;
    return deepClone(applied);
  }

  calendar(): CalendarView {
    return {
      ...this.todayView(),
      ownTelephonyProvider: this.tenant.ownTelephonyProvider,
      entries: calendarView(this.tenant, this.today()),
    };
  }

  setOwnTelephonyProvider(value: unknown): void {
    if (typeof value !== "boolean")
      throw new SeedError(
        [`ownTelephonyProvider is ${JSON.stringify(value) ?? "undefined"}; allowed: true or false`],
        "Invalid telephony",
      );
    this.tenant = { ...this.tenant, ownTelephonyProvider: value };
  }

  addFault(fault: unknown): ActiveFault {
    const parsed = parseFault(fault);
    if ("problems" in parsed) throw new SeedError(parsed.problems, "Invalid fault");
    return this.faults.add(parsed.fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrival = new Date();
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    const method = (request.method ?? "GET").toUpperCase();
    const ids: ResponseIds = { requestId: randomUUID(), clientRequestId: "" };
    const raw = await readBody(request);
    const target = classify(url.pathname);

    const foreign = this.allowRemote
      ? undefined
      : requestOriginProblem(headerValue(request.headers.host), headerValue(request.headers.origin));
    if (foreign !== undefined) {
      this.send(response, target?.api ?? "graph", { status: 403, error: { code: "Forbidden", message: foreign } }, ids);
      return;
    }
    if (/^\/_emulator(\/|$)/i.test(url.pathname)) {
      const contentType = controlContentTypeProblem(
        method,
        headerValue(request.headers["content-type"]),
        raw === "tooLarge" ? "-" : raw,
      );
      if (contentType !== undefined) {
        this.send(
          response,
          "graph",
          { status: 415, error: { code: "UnsupportedMediaType", message: contentType } },
          ids,
        );
        return;
      }
      this.onControl(method, url.pathname.toLowerCase().replace(/\/$/, ""), raw, response, ids);
      return;
    }
    const loginTenant = method === "GET" ? openIdConfigurationTenant(url.pathname) : undefined;
    if (loginTenant !== undefined) {
      // The login host's document, not Graph or the portal: neither logged nor delayed (emulator/login.ts).
      const answer = openIdConfiguration(this.tenant, loginTenant);
      response.writeHead(answer.status, {
        "Content-Type": "application/json; charset=utf-8",
        "x-ms-request-id": ids.requestId,
      });
      response.end(JSON.stringify(answer.body));
      return;
    }
    if (target === undefined) {
      const error = {
        code: "BadRequest",
        message: `Invalid version or API root in '${url.pathname}'; use /v1.0, /beta or /api.`,
      };
      this.send(response, "graph", { status: 404, error }, ids);
      return;
    }
    ids.clientRequestId =
      headerValue(request.headers["client-request-id"]) ??
      headerValue(request.headers["x-ms-client-request-id"]) ??
      ids.requestId;

    const entry: RequestLogEntry = {
      api: target.api,
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      status: 0,
      time: arrival.toISOString(),
    };
    const batched = batchRequests(method, url.pathname, raw);
    if (batched !== undefined) Object.assign(entry, batched);
    this.log.push(entry);
    let clientGone = false;
    response.on("close", () => {
      if (!response.writableFinished) clientGone = true;
    });

    if (this.latencyMs > 0) await this.delay(this.latencyMs);
    // Faults come first: before throttling, auth and handling, and a faulted request changes nothing.
    const fault = this.faults.take(method, url.pathname);
    if (fault?.delayMs !== undefined && fault.delayMs > 0) await this.delay(fault.delayMs);
    if (clientGone) return; // the client gave up (e.g. its timeout): nothing is handled, status stays 0
    if (fault?.drop === true) {
      request.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) };
      const status = fault.status;
      const error: ApiError | undefined =
        fault.body === undefined && status >= 400
          ? { code: graphCodeForStatus(status), message: `${reasonForStatus(status)} (fault injected by the emulator)` }
          : undefined;
      entry.status = this.send(response, target.api, { status, body: fault.body, error, headers }, ids, url.pathname);
      return;
    }

    const admission = this.throttle?.admit(Date.now());
    if (admission !== undefined && !admission.admitted) {
      entry.status = this.send(
        response,
        target.api,
        {
          status: 429,
          error: { code: "TooManyRequests", message: "Too many requests. Retry after the time given in Retry-After." },
          headers: { "Retry-After": String(admission.retryAfterSeconds) },
        },
        ids,
      );
      return;
    }

    const limited = this.limitOuter(target, method, url);
    if (limited !== undefined) {
      entry.status = this.send(response, target.api, limited, ids);
      return;
    }
    const answer = this.answer(target, method, url, request, raw);
    entry.status = this.send(response, target.api, answer, ids, url.pathname);
  }

  /** Graph's documented limits on one request (a `$batch` is counted request by request, in `limitInner`). */
  private limitOuter(target: Target, method: string, url: URL): ApiResponse | undefined {
    if (this.graphLimits === undefined) return undefined;
    if (target.api === "graph" && target.rest.replace(/^\/+/, "").toLowerCase() === "$batch") return undefined;
    return this.limited(target.api, method, target.rest, url.searchParams);
  }

  /** Each request inside a `$batch` counted and answered on its own, as Graph does. */
  private readonly limitInner = (inner: IncomingRequest): ApiResponse | undefined =>
    this.graphLimits === undefined
      ? undefined
      : this.limited("graph", inner.method, inner.segments.join("/"), inner.query);

  private limited(api: ApiKind, method: string, path: string, query: URLSearchParams): ApiResponse | undefined {
    const admission = this.graphLimits?.admit({
      app: this.graphLimitsApp,
      tenant: this.tenant.tenantId,
      tenantUsers: this.tenant.users.length,
      api,
      method,
      path,
      query,
    });
    if (admission === undefined || admission.admitted) return undefined;
    return {
      status: 429,
      error: {
        code: "TooManyRequests",
        message: `Too many requests (${admission.scope}). Retry after the time given in Retry-After.`,
      },
      headers: { "Retry-After": String(admission.retryAfterSeconds), "x-ms-throttle-scope": admission.scope },
    };
  }

  /** Runs the API's pure handler and keeps its next tenant, if any. */
  private answer(
    target: Target,
    method: string,
    url: URL,
    request: IncomingMessage,
    raw: string | "tooLarge",
  ): ApiResponse {
    if (raw === "tooLarge")
      return {
        status: 413,
        error: { code: "RequestEntityTooLarge", message: `The request body exceeds ${maxBodyBytes} bytes.` },
      };
    const segments = splitSegments(target.rest);
    if (segments === undefined) return { status: 400, error: { code: "BadRequest", message: malformedPathMessage } };
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = headerValue(value);
    const incoming: IncomingRequest = { method, segments, query: url.searchParams, headers, rawBody: raw };
    const now = new Date();
    try {
      const result =
        target.api === "graph"
          ? handleGraphOrBatch(
              this.tenant,
              incoming,
              target.version,
              now,
              this.today(),
              this.limitInner,
              (innerMethod, innerPath) =>
                innerRequestFault(this.faults, this.throttle, innerMethod, innerPath, Date.now()),
            )
          : handlePortalRequest(this.tenant, incoming, now);
      if (result.nextState !== undefined) this.tenant = result.nextState;
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, error: { code: "InternalServerError", message: `The emulator failed: ${message}` } };
    }
  }

  /** Writes an answer in the API's conventions; returns the status for the log. */
  private send(response: ServerResponse, api: ApiKind, answer: ApiResponse, ids: ResponseIds, path = ""): number {
    if (response.destroyed) return 0;
    const headers: Record<string, string> = { ...answer.headers };
    if (api === "graph") {
      headers["request-id"] = ids.requestId;
      headers["client-request-id"] = ids.clientRequestId || ids.requestId;
    } else {
      // assumed: the portal's id header; x-ms-request-id is what Azure front ends commonly send.
      headers["x-ms-request-id"] = ids.requestId;
      if (ids.clientRequestId !== "") headers["x-ms-client-request-id"] = ids.clientRequestId;
    }
    const body =
      answer.error !== undefined
        ? errorBody(api, answer.error, ids, new Date(), answer.status, { tenantId: this.tenant.tenantId, path })
        : answer.body;
    let payload = "";
    if (typeof body === "string") {
      headers["Content-Type"] = "text/plain; charset=utf-8";
      payload = body;
    } else if (body !== undefined && answer.status !== 204) {
      headers["Content-Type"] = api === "graph" ? graphContentType : jsonContentType;
      payload = JSON.stringify(body);
    }
    response.writeHead(answer.status, headers);
    response.end(payload);
    return answer.status;
  }

  private onControl(
    method: string,
    path: string,
    raw: string | "tooLarge",
    response: ServerResponse,
    ids: ResponseIds,
  ): void {
    const reply = (answer: ApiResponse): void => {
      this.send(response, "graph", answer, ids);
    };
    const withBody = (use: (body: unknown) => ApiResponse): ApiResponse => {
      if (raw === "tooLarge")
        return { status: 413, error: { code: "RequestEntityTooLarge", message: "The body is too large." } };
      const parsed = parseJsonBody(raw);
      if ("problem" in parsed) return { status: 400, error: { code: "BadRequest", message: parsed.problem } };
      try {
        return use(parsed.value);
      } catch (error) {
        if (error instanceof SeedError) return { status: 400, error: { code: "BadRequest", message: error.message } };
        throw error;
      }
    };
    const routes: Record<string, Partial<Record<string, () => ApiResponse>>> = {
      "/_emulator/state": {
        GET: () => ({ status: 200, body: this.tenant }),
        PUT: () => withBody((body) => ({ status: 200, body: this.seed(body) })),
      },
      "/_emulator/reset": {
        POST: () => {
          this.reset();
          return { status: 204 };
        },
      },
      "/_emulator/faults": {
        GET: () => ({ status: 200, body: this.faults.list() }),
        POST: () => withBody((body) => ({ status: 201, body: this.addFault(body) })),
        DELETE: () => {
          this.clearFaults();
          return { status: 204 };
        },
      },
      "/_emulator/requests": {
        GET: () => ({ status: 200, body: this.log.list(), headers: { [droppedHeader]: String(this.log.dropped) } }),
        DELETE: () => {
          this.clearRequests();
          return { status: 204 };
        },
      },
      "/_emulator/today": {
        GET: () => ({ status: 200, body: this.todayView() }),
        PUT: () =>
          withBody((body) => {
            const { today, microsoftChanges } = onlyMembers(body, ["today", "microsoftChanges"], ["today"], "date");
            const applied = this.setToday(today, microsoftChanges);
            return { status: 200, body: { ...this.todayView(), applied } };
          }),
      },
      "/_emulator/calendar": {
        GET: () => ({ status: 200, body: this.calendar() }),
      },
      "/_emulator/telephony": {
        GET: () => ({ status: 200, body: { ownTelephonyProvider: this.tenant.ownTelephonyProvider } }),
        PUT: () =>
          withBody((body) => {
            const { ownTelephonyProvider } = onlyMembers(
              body,
              ["ownTelephonyProvider"],
              ["ownTelephonyProvider"],
              "telephony",
            );
            this.setOwnTelephonyProvider(ownTelephonyProvider);
            return { status: 200, body: { ownTelephonyProvider: this.tenant.ownTelephonyProvider } };
          }),
      },
    };
    const route = routes[path];
    if (route === undefined) {
      reply({
        status: 404,
        error: {
          code: "NotFound",
          message: `No control route ${path}; see /_emulator/state, reset, faults, requests, today, calendar, telephony.`,
        },
      });
      return;
    }
    const handler = route[method];
    if (handler === undefined) {
      reply({
        status: 405,
        error: { code: "MethodNotAllowed", message: `${method} is not allowed on ${path}.` },
        headers: { Allow: Object.keys(route).join(", ") },
      });
      return;
    }
    reply(handler());
  }
}

/** A bad seed, fault, date or other control-route body: the problems, all at once. */
class SeedError extends Error {
  constructor(problems: string[], prefix = "Invalid seed") {
    super(`${prefix}: ${problems.join("; ")}`);
    this.name = "SeedError";
  }
}

/** A control route's body: an object with these members only (`required` among them); throws a `SeedError` otherwise. */
function onlyMembers(
  body: unknown,
  allowed: readonly string[],
  required: readonly string[],
  what: string,
): Record<string, unknown> {
  const shape = `allowed: an object {${allowed.join(", ")}}`;
  if (!isPlainObject(body)) throw new SeedError([`the body is ${JSON.stringify(body)}; ${shape}`], `Invalid ${what}`);
  const problems = [
    ...required.filter((name) => !(name in body)).map((name) => `${name} is missing; it is required`),
    ...Object.keys(body)
      .filter((name) => !allowed.includes(name))
      .map((name) => `${name} is not a known property; ${shape}`),
  ];
  if (problems.length > 0) throw new SeedError(problems, `Invalid ${what}`);
  return body;
}

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = new Emulator(options);
  const server = createServer((request, response) => {
    emulator.onRequest(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { "Content-Type": jsonContentType });
        response.end(JSON.stringify({ error: { code: "InternalServerError", message: String(error) } }));
      }
    });
  });
  const host = options.host ?? "127.0.0.1";
  const refused = bindHostProblem(host, options.allowRemote === true);
  if (refused !== undefined) throw new Error(`Invalid emulator options: ${refused}`);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  if (options.allowRemote !== true && !isLoopbackName(address)) {
    // `localhost` resolved to something else: give the port back rather than answer other machines.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw new Error(`Invalid emulator options: ${bindHostProblem(address, false)}`);
  }
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        emulator.stopTimers();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
    state: () => emulator.state(),
    requests: () => emulator.requests(),
    droppedRequests: () => emulator.droppedRequests(),
    clearRequests: () => emulator.clearRequests(),
    seed: (seed) => {
      emulator.seed(seed);
    },
    reset: () => emulator.reset(),
    addFault: (fault) => emulator.addFault(fault),
    clearFaults: () => emulator.clearFaults(),
    today: () => emulator.todayView(),
    setToday: (today, microsoftChanges) => emulator.setToday(today, microsoftChanges),
    calendar: () => deepClone(emulator.calendar()),
    setOwnTelephonyProvider: (ownTelephonyProvider) => emulator.setOwnTelephonyProvider(ownTelephonyProvider),
  };
}

/**
 * The methods and URLs inside a `$batch` body, for the request log (undefined for anything else or a body that is not
 * one).
 */
function batchRequests(
  method: string,
  pathname: string,
  raw: string,
): Pick<RequestLogEntry, "batch" | "batchUrls"> | undefined {
  if (method !== "POST" || !/^\/(v1\.0|beta)\/\$batch$/i.test(pathname)) return undefined;
  try {
    const requests: unknown = (JSON.parse(raw) as { requests?: unknown }).requests;
    if (!Array.isArray(requests)) return undefined;
    return {
      batch: requests.map((request: { method?: unknown }) => String(request?.method ?? "").toUpperCase()),
      batchUrls: requests.map((request: { url?: unknown }) => String(request?.url ?? "")),
    };
  } catch {
    return undefined;
  }
}
