/**
 * Graph's identity and access throttling, as Microsoft documents it, shared by every emulated tenant of one run (a
 * fleet of emulators is one application talking to many tenants, so the per-application budget is shared).
 *
 * Source: "Microsoft Graph service-specific throttling limits", section "Identity and access service limits",
 * https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits (read 2026-12-06;
 * docs/reference/endpoints-and-permissions.md#graph-throttling-limits):
 *
 * | Limit type              | Resource unit quota                           | Write quota                    |
 * | application+tenant pair | S 3,500 / M 5,000 / L 8,000 RU per 10 seconds | 3,000 requests per 150 seconds |
 * | application             | 150,000 RU per 20 seconds                     | 35,000 requests per 5 minutes  |
 * | tenant                  | not applicable                                | 18,000 requests per 5 minutes  |
 *
 * S is under 50 users, M 50 to 500, L above 500. Base costs: GET `users` 2, `groups/{id}/members` 3,
 * `groups/{id}/transitiveMembers` 5, `subscribedSkus` 3, `applications` 2, any other GET 1; a write costs 1 RU and 1
 * write. `$select` takes 1 off, `$expand` adds 1, `$top` under 20 takes 1 off; never below 1. Each request inside a
 * `$batch` is counted and answered on its own (https://learn.microsoft.com/graph/json-batching: "each request is
 * throttled on its own"; the batch envelope itself costs nothing here, which is assumed: Graph does not say).
 *
 * The documented algorithm is a token bucket; the emulator keeps a sliding window of admitted costs per scope, which
 * admits the same totals per window (assumed equivalent for what a client sees). A refused request costs nothing and
 * gets `Retry-After`: the seconds until enough of the window has passed (Graph's identity service may omit the header;
 * the emulator always sends it, so a client that honours it is tested).
 *
 * The portal API (`/api`) publishes no limit. `assumedPortalLimit` is **assumed**: 600 requests per 60 seconds per
 * tenant, a guess kept here so it is easy to change.
 */

export interface ThrottleWindow {
  /** Units admitted per window. */
  limit: number;
  windowMs: number;
}

export interface GraphLimitsConfig {
  appTenant: { small: ThrottleWindow; medium: ThrottleWindow; large: ThrottleWindow; writes: ThrottleWindow };
  app: { units: ThrottleWindow; writes: ThrottleWindow };
  tenant: { writes: ThrottleWindow };
  /** assumed: the portal API publishes no limit. */
  portal: ThrottleWindow;
}

/** Microsoft's documented numbers (header above). */
export const documentedGraphLimits: GraphLimitsConfig = {
  appTenant: {
    small: { limit: 3_500, windowMs: 10_000 },
    medium: { limit: 5_000, windowMs: 10_000 },
    large: { limit: 8_000, windowMs: 10_000 },
    writes: { limit: 3_000, windowMs: 150_000 },
  },
  app: { units: { limit: 150_000, windowMs: 20_000 }, writes: { limit: 35_000, windowMs: 300_000 } },
  tenant: { writes: { limit: 18_000, windowMs: 300_000 } },
  portal: assumedPortalLimit(),
};

/** assumed: the portal API documents no throttling (docs/reference/portal-api.md). */
export function assumedPortalLimit(): ThrottleWindow {
  return { limit: 600, windowMs: 60_000 };
}

const baseCosts: [RegExp, number][] = [
  [/^users$/, 2],
  [/^groups\/[^/]+\/members$/, 3],
  [/^groups\/[^/]+\/transitivemembers$/, 5],
  [/^subscribedskus$/, 3],
  [/^applications$/, 2],
  [/^applications\/[^/]+\/extensionproperties$/, 2],
  [/^oauth2permissiongrants(\/[^/]+)?$/, 2],
  [/^contracts$/, 3],
  [/^users\/[^/]+\/(memberof|transitivememberof|ownedobjects|licensedetails)$/, 2],
];

/** The documented resource-unit cost of one Graph request (path below the version, without the query). */
export function resourceUnitCost(method: string, path: string, query: URLSearchParams): number {
  const normal = path.replace(/^\/+|\/+$/g, "").toLowerCase();
  let cost = 1;
  if (method.toUpperCase() === "GET") for (const [pattern, value] of baseCosts) if (pattern.test(normal)) cost = value;
  if (query.has("$select")) cost -= 1;
  if (query.has("$expand")) cost += 1;
  const top = Number(query.get("$top"));
  if (query.has("$top") && Number.isFinite(top) && top < 20) cost -= 1;
  return Math.max(1, cost);
}

export interface LimitedRequest {
  /** The application (the token's client). */
  app: string;
  tenant: string;
  /** Users in the tenant: decides S, M or L. */
  tenantUsers: number;
  api: "graph" | "portal";
  method: string;
  /** Below the version, e.g. `users` or `policies/authenticationMethodsPolicy`. */
  path: string;
  query: URLSearchParams;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number; scope: string };

class SlidingWindow {
  private entries: { at: number; units: number }[] = [];
  private total = 0;
  constructor(readonly window: ThrottleWindow) {}
  private prune(now: number): void {
    while (this.entries.length > 0 && now - this.entries[0].at >= this.window.windowMs) {
      this.total -= this.entries[0].units;
      this.entries.shift();
    }
  }
  /** Milliseconds until `units` more fit, 0 when they fit now. */
  waitFor(units: number, now: number): number {
    this.prune(now);
    if (this.total + units <= this.window.limit) return 0;
    let freed = 0;
    for (const entry of this.entries) {
      freed += entry.units;
      if (this.total - freed + units <= this.window.limit) return entry.at + this.window.windowMs - now;
    }
    return this.window.windowMs;
  }
  add(units: number, now: number): void {
    this.entries.push({ at: now, units });
    this.total += units;
  }
}

export interface ThrottlingCounts {
  admitted: number;
  throttled: number;
  /** Requests that came back for a tenant before the `Retry-After` it was given had passed. */
  early: number;
  byScope: Record<string, number>;
}

/**
 * The counters of one application's run across tenants. One instance is shared by the emulators of a fleet.
 */
export class GraphLimits {
  private readonly windows = new Map<string, SlidingWindow>();
  /** App + tenant -> the time until which it was told to wait. */
  private readonly toldToWait = new Map<string, { issuedAt: number; until: number }>();
  readonly counts: ThrottlingCounts = { admitted: 0, throttled: 0, early: 0, byScope: {} };

  /**
   * `graceMs`: a request arriving within this time of a 429 was sent before the client could read it (requests in
   * flight together), so it is not counted as early.
   */
  constructor(
    readonly config: GraphLimitsConfig = documentedGraphLimits,
    private readonly graceMs = 500,
  ) {}

  private window(key: string, window: ThrottleWindow): SlidingWindow {
    let found = this.windows.get(key);
    if (found === undefined) {
      found = new SlidingWindow(window);
      this.windows.set(key, found);
    }
    return found;
  }

  admit(request: LimitedRequest, now: number = Date.now()): Admission {
    const pair = `${request.app}/${request.tenant}`;
    const told = this.toldToWait.get(pair);
    // A client honouring Retry-After (whole seconds, rounded up) never comes back earlier; 50 ms for clock jitter.
    if (told !== undefined && now - told.issuedAt > this.graceMs && now + 50 < told.until) this.counts.early += 1;
    const write = request.method.toUpperCase() !== "GET";
    const checks: [string, SlidingWindow, number][] = [];
    if (request.api === "portal") {
      checks.push([
        `Portal/${request.tenant} (assumed limit)`,
        this.window(`portal/${request.tenant}`, this.config.portal),
        1,
      ]);
    } else {
      const units = resourceUnitCost(request.method, request.path, request.query);
      const size =
        request.tenantUsers < 50
          ? this.config.appTenant.small
          : request.tenantUsers <= 500
            ? this.config.appTenant.medium
            : this.config.appTenant.large;
      checks.push([`Tenant_Application/Read/${pair}`, this.window(`at/${pair}/${size.limit}`, size), units]);
      checks.push([`Application/Read/${request.app}`, this.window(`a/${request.app}`, this.config.app.units), units]);
      if (write) {
        checks.push([`Tenant_Application/Write/${pair}`, this.window(`atw/${pair}`, this.config.appTenant.writes), 1]);
        checks.push([`Application/Write/${request.app}`, this.window(`aw/${request.app}`, this.config.app.writes), 1]);
        checks.push([
          `Tenant/Write/${request.tenant}`,
          this.window(`tw/${request.tenant}`, this.config.tenant.writes),
          1,
        ]);
      }
    }
    for (const [scope, window, units] of checks) {
      const wait = window.waitFor(units, now);
      if (wait > 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil(wait / 1000));
        this.toldToWait.set(pair, { issuedAt: now, until: now + retryAfterSeconds * 1000 });
        this.counts.throttled += 1;
        const kind = scope.split("/").slice(0, 2).join("/");
        this.counts.byScope[kind] = (this.counts.byScope[kind] ?? 0) + 1;
        return { admitted: false, retryAfterSeconds, scope };
      }
    }
    for (const [, window, units] of checks) window.add(units, now);
    this.counts.admitted += 1;
    return { admitted: true };
  }
}
