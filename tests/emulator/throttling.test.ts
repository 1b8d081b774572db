import { documentedGraphLimits, GraphLimits, resourceUnitCost, type LimitedRequest } from "../../emulator/throttling";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { graphAppToken } from "./helpers";

const q = (text = "") => new URLSearchParams(text);

describe("resourceUnitCost (Microsoft Graph identity and access base costs)", () => {
  it("charges the documented base costs and the query's adjustments, never below 1", () => {
    expect(resourceUnitCost("GET", "users", q())).toBe(2);
    expect(resourceUnitCost("GET", "users", q("$select=id"))).toBe(1);
    expect(resourceUnitCost("GET", "groups/abc/transitiveMembers", q())).toBe(5);
    expect(resourceUnitCost("GET", "groups/abc/transitiveMembers", q("$select=id&$top=10"))).toBe(3);
    expect(resourceUnitCost("GET", "subscribedSkus", q("$expand=x"))).toBe(4);
    expect(resourceUnitCost("GET", "policies/authorizationPolicy", q("$select=a"))).toBe(1);
    expect(resourceUnitCost("PATCH", "users", q())).toBe(1);
  });
});

const request = (over: Partial<LimitedRequest> = {}): LimitedRequest => ({
  app: "app",
  tenant: "t1",
  tenantUsers: 10,
  api: "graph",
  method: "GET",
  path: "organization",
  query: q(),
  ...over,
});

describe("GraphLimits", () => {
  it("keeps Microsoft's documented numbers", () => {
    expect(documentedGraphLimits.appTenant.small).toEqual({ limit: 3_500, windowMs: 10_000 });
    expect(documentedGraphLimits.appTenant.large).toEqual({ limit: 8_000, windowMs: 10_000 });
    expect(documentedGraphLimits.app.units).toEqual({ limit: 150_000, windowMs: 20_000 });
    expect(documentedGraphLimits.tenant.writes).toEqual({ limit: 18_000, windowMs: 300_000 });
  });

  it("throttles the app + tenant pair by its size, and answers Retry-After until the window frees", () => {
    const limits = new GraphLimits({
      ...documentedGraphLimits,
      appTenant: { ...documentedGraphLimits.appTenant, small: { limit: 3, windowMs: 10_000 } },
    });
    for (let i = 0; i < 3; i += 1) expect(limits.admit(request(), 1_000 + i).admitted).toBe(true);
    expect(limits.admit(request(), 1_500)).toEqual({
      admitted: false,
      retryAfterSeconds: 10,
      scope: "Tenant_Application/Read/app/t1",
    });
    // Another tenant of the same app has its own pair budget; a medium tenant's is larger.
    expect(limits.admit(request({ tenant: "t2" }), 1_500).admitted).toBe(true);
    expect(limits.admit(request({ tenantUsers: 60 }), 1_600).admitted).toBe(true);
    expect(limits.admit(request(), 11_000).admitted).toBe(true);
    expect(limits.counts.throttled).toBe(1);
  });

  it("shares the application's budget across tenants", () => {
    const limits = new GraphLimits({
      ...documentedGraphLimits,
      app: { ...documentedGraphLimits.app, units: { limit: 4, windowMs: 20_000 } },
    });
    expect(limits.admit(request({ tenant: "a", path: "users" }), 0).admitted).toBe(true); // 2 units
    expect(limits.admit(request({ tenant: "b", path: "users" }), 0).admitted).toBe(true); // 2 units
    const refused = limits.admit(request({ tenant: "c" }), 5_000);
    expect(refused).toMatchObject({ admitted: false, retryAfterSeconds: 15, scope: "Application/Read/app" });
  });

  it("counts writes per tenant across applications, and a request back before its Retry-After as early", () => {
    const limits = new GraphLimits(
      { ...documentedGraphLimits, tenant: { writes: { limit: 1, windowMs: 300_000 } } },
      100,
    );
    expect(limits.admit(request({ method: "PATCH", app: "x" }), 0).admitted).toBe(true);
    expect(limits.admit(request({ method: "PATCH", app: "y" }), 10)).toMatchObject({
      admitted: false,
      scope: "Tenant/Write/t1",
    });
    expect(limits.admit(request({ method: "GET", app: "y" }), 50).admitted).toBe(true); // in flight: not early
    expect(limits.counts.early).toBe(0);
    limits.admit(request({ method: "GET", app: "y" }), 5_000);
    expect(limits.counts.early).toBe(1);
  });
});

describe("the emulator under GraphLimits", () => {
  let emulator: RunningEmulator;
  const limits = new GraphLimits({
    ...documentedGraphLimits,
    appTenant: { ...documentedGraphLimits.appTenant, small: { limit: 3, windowMs: 60_000 } },
  });
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, graphLimits: limits });
  });
  afterAll(() => emulator.stop());

  const token = graphAppToken(["Organization.Read.All", "Policy.Read.All"]);

  it("counts and answers each request inside a $batch on its own, with Retry-After", async () => {
    const response = await fetch(`${emulator.url}/v1.0/$batch`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        requests: [1, 2, 3, 4, 5].map((id) => ({
          id: String(id),
          method: "GET",
          url: "/policies/authorizationPolicy",
        })),
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      responses: { id: string; status: number; headers: Record<string, string> }[];
    };
    const statuses = body.responses.map((entry) => entry.status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(body.responses[3].headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    // The pair's budget is spent: a plain request is refused too, with the scope Graph names.
    const plain = await fetch(`${emulator.url}/v1.0/organization`, { headers: { Authorization: `Bearer ${token}` } });
    expect(plain.status).toBe(429);
    expect(plain.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(plain.headers.get("x-ms-throttle-scope")).toMatch(/^Tenant_Application\/Read\//);
  });
});
