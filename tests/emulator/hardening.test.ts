/**
 * The emulator answers malformed input like the service would, never with a 500: `__proto__` keys, unknown
 * properties that happen to be `Object.prototype` names, deeply nested JSON, non-numeric token lifetimes; and its
 * request log stays bounded.
 */
import { startEmulator } from "../../emulator/server";
import { defaultRequestLogBytes, defaultRequestLogLimit, droppedHeader } from "../../emulator/requestLog";
import { maxJsonDepth } from "../../emulator/jsonGuard";
import {
  allGraphPermissions,
  call,
  graphAppToken,
  graphError,
  graphUserToken,
  portalUserToken,
  type Json,
  type Reply,
} from "./helpers";
import { useEmulator } from "../support/emulator";

const lab = useEmulator();
const admin = graphAppToken(allGraphPermissions);
const graph = (method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Reply> =>
  call(lab.emulator.url, method, path, { token: admin, ...options });

const methodsPath = "/v1.0/policies/authenticationMethodsPolicy";
const emailPath = `${methodsPath}/authenticationMethodConfigurations/Email`;
const authorizationPath = "/v1.0/policies/authorizationPolicy";
const portalPath = "/api/PasswordReset/PasswordResetPolicies";
const emailType = "#microsoft.graph.emailAuthenticationMethodConfiguration";

/** A Graph-shaped 400 (error.code, error.message, error.innerError) and an unchanged tenant. */
async function expectGraph400(request: Promise<Reply>, ...fragments: string[]): Promise<Json> {
  const before = lab.emulator.state();
  const reply = await request;
  expect(reply.status).toBe(400);
  const error = graphError(reply);
  expect(error.code).toBe("BadRequest");
  expect(error.innerError).toEqual(expect.objectContaining({ "request-id": expect.any(String) }));
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  expect(lab.emulator.state()).toEqual(before);
  return error as unknown as Json;
}

/** `{"a":{"a":...{}}}`, `depth` levels, as text (JSON.stringify would recurse). */
const deepJson = (depth: number): string => '{"a":'.repeat(depth) + "{}" + "}".repeat(depth);

describe("__proto__ keys answer 400, never 500", () => {
  it("in a Graph PATCH body, at the top or nested", async () => {
    await expectGraph400(
      graph("PATCH", emailPath, { rawBody: `{"@odata.type":"${emailType}","__proto__":{"state":"enabled"}}` }),
      "The property '__proto__' (at $) is not allowed",
    );
    await expectGraph400(
      graph("PATCH", emailPath, {
        rawBody: `{"@odata.type":"${emailType}","includeTargets":[{"targetType":"group","id":"all_users","__proto__":{}}]}`,
      }),
      "(at $.includeTargets[0])",
    );
  });

  it("in a portal PUT body (the portal's error shape)", async () => {
    const before = lab.emulator.state();
    const stored = JSON.stringify(before.passwordResetPolicies);
    const reply = await call(lab.emulator.url, "PUT", portalPath, {
      token: portalUserToken(),
      rawBody: stored.replace(/^\{/, '{"__proto__":{"enablementType":2},'),
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      HttpStatusCode: 400,
      Message: expect.stringContaining("The property '__proto__' (at $) is not allowed"),
    });
    expect(lab.emulator.state()).toEqual(before);
  });

  it("in a seed and in a fault (control routes)", async () => {
    await expectGraph400(
      call(lab.emulator.url, "PUT", "/_emulator/state", { rawBody: '{"__proto__":{"tenantId":"x"}}' }),
      "'__proto__'",
    );
    await expectGraph400(
      call(lab.emulator.url, "POST", "/_emulator/faults", {
        rawBody: '{"path":"/v1.0/policies/authorizationPolicy","status":503,"__proto__":{"count":5}}',
      }),
      "'__proto__'",
    );
    expect((await call(lab.emulator.url, "GET", "/_emulator/faults")).body).toEqual([]);
  });
});

describe("Object.prototype names are unknown properties, like any other", () => {
  // Graph rejects a property a typed entity does not have with 400 ("The property 'x' does not exist on type 'T'.
  // Make sure to only use property names that are defined by the type or mark the type as open type.", code
  // RequestBodyRead on OData workloads: msgraph-sdk-dotnet#450, msgraph-sdk-java#391). The emulator keeps its own
  // code BadRequest for every 400; what the policy endpoints answer word for word is undocumented.
  it.each(["constructor", "toString", "hasOwnProperty", "valueOf"])(
    "%s in a method configuration PATCH is 400 and is not stored",
    async (key) => {
      await expectGraph400(
        graph("PATCH", emailPath, { body: { "@odata.type": emailType, [key]: "x" } }),
        `The property '${key}' does not exist on type 'microsoft.graph.emailAuthenticationMethodConfiguration'`,
      );
    },
  );

  it("in the methods policy, the authorization policy and nested target objects too", async () => {
    await expectGraph400(
      graph("PATCH", methodsPath, { body: { constructor: {} } }),
      "The property 'constructor' does not exist on type 'microsoft.graph.authenticationMethodsPolicy'",
    );
    await expectGraph400(
      graph("PATCH", authorizationPath, { body: { toString: "x" } }),
      "The property 'toString' does not exist on type 'microsoft.graph.authorizationPolicy'",
    );
    await expectGraph400(
      graph("PATCH", methodsPath, { body: { registrationEnforcement: { constructor: {} } } }),
      "registrationEnforcement.constructor is not a known property",
    );
  });

  it("a fault with a prototype name is refused instead of being taken for a setting", async () => {
    await expectGraph400(
      call(lab.emulator.url, "POST", "/_emulator/faults", {
        body: { path: authorizationPath, status: 503, toString: 1 },
      }),
      "toString is not a fault property",
    );
  });
});

describe("deeply nested JSON answers 400, never 500", () => {
  it.each([100_000, maxJsonDepth + 1])("a Graph PATCH nested %i levels", async (depth) => {
    await expectGraph400(
      graph("PATCH", emailPath, { rawBody: `{"@odata.type":"${emailType}","state":${deepJson(depth)}}` }),
      `nested more than ${maxJsonDepth} levels deep`,
    );
  });

  it("a seed, and a body just within the limit still reaches validation", async () => {
    await expectGraph400(
      call(lab.emulator.url, "PUT", "/_emulator/state", { rawBody: `{"users":${deepJson(100_000)}}` }),
      "nested more than",
    );
    await expectGraph400(
      graph("PATCH", emailPath, { rawBody: `{"@odata.type":"${emailType}","state":${deepJson(maxJsonDepth - 2)}}` }),
      "state is",
    );
  });
});

describe("token lifetime claims must be numbers", () => {
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
  it.each([
    ["exp as a string", { exp: String(inAnHour()) }, "exp"],
    ["exp as an object", { exp: { value: inAnHour() } }, "exp"],
    ["exp as null", { exp: null }, "exp"],
    ["nbf as a string", { exp: inAnHour(), nbf: "0" }, "nbf"],
  ])("%s: 401", async (_title, claims, claim) => {
    const reply = await call(lab.emulator.url, "GET", authorizationPath, {
      token: graphAppToken(allGraphPermissions, claims as Json),
    });
    expect(reply.status).toBe(401);
    expect(graphError(reply)).toMatchObject({
      code: "InvalidAuthenticationToken",
      message: `Lifetime validation failed, the token's ${claim} claim is not a number.`,
    });
  });

  it("a numeric exp in the future is still accepted", async () => {
    expect((await call(lab.emulator.url, "GET", authorizationPath, { token: admin })).status).toBe(200);
  });
});

describe("the request log is bounded", () => {
  it(`keeps the newest entries (default ${defaultRequestLogLimit}) and reports how many were dropped`, async () => {
    expect(defaultRequestLogLimit).toBe(10_000);
    const small = await startEmulator({ requestLogLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await call(small.url, "GET", `${authorizationPath}?n=${i}`, { token: admin });
      expect(small.requests().map((entry) => entry.query)).toEqual(["n=2", "n=3", "n=4"]);
      expect(small.droppedRequests()).toBe(2);
      const reply = await call(small.url, "GET", "/_emulator/requests");
      expect((reply.body as Json[]).map((entry) => entry.query)).toEqual(["n=2", "n=3", "n=4"]);
      expect(reply.headers.get(droppedHeader)).toBe("2");
      await call(small.url, "DELETE", "/_emulator/requests");
      expect(small.droppedRequests()).toBe(0);
      expect((await call(small.url, "GET", "/_emulator/requests")).headers.get(droppedHeader)).toBe("0");
    } finally {
      await small.stop();
    }
  });

  it("refuses a limit that is not a positive integer", async () => {
    await expect(startEmulator({ requestLogLimit: 0 })).rejects.toThrow("request log limit is 0");
  });
});

describe("the request log is bounded in bytes too", () => {
  const longPath = (i: number): string => `/v1.0/groups/${"x".repeat(8_000)}${i}`;

  it(`keeps at most ${defaultRequestLogBytes} bytes of entries (4 MiB) however long the paths`, async () => {
    expect(defaultRequestLogBytes).toBe(4 * 1024 * 1024);
    const busy = await startEmulator({});
    try {
      // 600 requests with 8 KB paths: about 4.9 MB of entries, well under the entry limit.
      for (let i = 0; i < 600; i++) await call(busy.url, "GET", longPath(i), { token: admin });
      const kept = busy.requests();
      expect(Buffer.byteLength(JSON.stringify(kept))).toBeLessThanOrEqual(defaultRequestLogBytes);
      expect(busy.droppedRequests()).toBeGreaterThan(0);
      expect(kept.length + busy.droppedRequests()).toBe(600);
      expect(kept[kept.length - 1].path).toBe(longPath(599)); // the newest are the ones kept
    } finally {
      await busy.stop();
    }
  });

  it("a small byte bound drops the oldest, never the newest, and refuses a bound that is not a positive integer", async () => {
    const small = await startEmulator({ requestLogBytes: 20_000 });
    try {
      for (let i = 0; i < 5; i++) await call(small.url, "GET", longPath(i), { token: admin });
      expect(small.requests().map((entry) => entry.path)).toEqual([longPath(3), longPath(4)]);
      expect(small.droppedRequests()).toBe(3);
    } finally {
      await small.stop();
    }
    await expect(startEmulator({ requestLogBytes: 0.5 })).rejects.toThrow("request log byte limit is 0.5");
  });
});

describe("a token for another tenant is refused", () => {
  const otherTenant = "0f9e8d7c-6b5a-4948-8372-615049382716";

  it("Graph, the portal API and $batch answer 401 InvalidAuthenticationToken, and change nothing", async () => {
    const { tenantId } = lab.emulator.state();
    expect(tenantId).not.toBe(otherTenant);
    const foreignGraph = graphAppToken(allGraphPermissions, { tid: otherTenant });
    const graphReply = await call(lab.emulator.url, "GET", authorizationPath, { token: foreignGraph });
    expect(graphReply.status).toBe(401);
    expect(graphError(graphReply)).toMatchObject({
      code: "InvalidAuthenticationToken",
      message: "Access token validation failure. The token was issued for another tenant.",
    });
    const batchReply = await call(lab.emulator.url, "POST", "/v1.0/$batch", {
      token: foreignGraph,
      body: { requests: [{ id: "1", method: "GET", url: "/policies/authorizationPolicy" }] },
    });
    expect(batchReply.status).toBe(401);
    const portalReply = await call(lab.emulator.url, "GET", portalPath, {
      token: portalUserToken(undefined, { tid: otherTenant }),
    });
    expect(portalReply.status).toBe(401);
  });

  it("the tenant's own id (any case) is accepted", async () => {
    const { tenantId } = lab.emulator.state();
    const own = graphAppToken(allGraphPermissions, { tid: tenantId.toUpperCase() });
    expect((await call(lab.emulator.url, "GET", authorizationPath, { token: own })).status).toBe(200);
    expect(
      (await call(lab.emulator.url, "GET", portalPath, { token: portalUserToken(undefined, { tid: tenantId }) }))
        .status,
    ).toBe(200);
  });
});

describe("inner $batch requests use the outer token", () => {
  const batchOf = (outer: string, innerAuthorization: string): Promise<Reply> =>
    call(lab.emulator.url, "POST", "/v1.0/$batch", {
      token: outer,
      body: {
        requests: [
          {
            id: "1",
            method: "GET",
            url: "/policies/authorizationPolicy",
            headers: { Authorization: innerAuthorization },
          },
        ],
      },
    });
  const inner = (reply: Reply): Json => (reply.body as { responses: Json[] }).responses[0];

  it("an inner Authorization with more permissions does not lift a weak outer token", async () => {
    const weak = graphUserToken(["User.Read"]);
    const reply = await batchOf(weak, `Bearer ${admin}`);
    expect(reply.status).toBe(200);
    expect(inner(reply).status).toBe(403);
  });

  it("an inner Authorization that is garbage does not spoil a good outer token", async () => {
    const reply = await batchOf(admin, "Bearer not-a-token");
    expect(inner(reply).status).toBe(200);
  });
});

describe("a malformed % escape answers 400 with Graph's error body, never 500", () => {
  it.each(["/v1.0/groups/%zz", "/v1.0/groups/abc%", "/v1.0/users/%E0%A4%A"])("sent alone: %s", async (path) => {
    await expectGraph400(graph("GET", path), "not valid percent-encoding");
  });

  it("in the portal API, with the portal's error shape", async () => {
    const reply = await call(lab.emulator.url, "GET", "/api/PasswordReset/%zz", { token: portalUserToken() });
    expect(reply.status).toBe(400);
  });

  it("inside $batch: that request is a 400 with Graph's body, the others are answered", async () => {
    const reply = await graph("POST", "/v1.0/$batch", {
      body: {
        requests: [
          { id: "1", method: "GET", url: "/groups/%zz" },
          { id: "2", method: "GET", url: "/policies/authorizationPolicy" },
        ],
      },
    });
    expect(reply.status).toBe(200);
    const [bad, good] = (reply.body as { responses: Json[] }).responses;
    expect(bad.status).toBe(400);
    expect((bad.body as { error: Json }).error).toMatchObject({
      code: "BadRequest",
      message: "The request path is not valid percent-encoding.",
      innerError: expect.objectContaining({ "request-id": expect.any(String) }),
    });
    expect(good.status).toBe(200);
  });

  it("in a member reference's @odata.id", async () => {
    const group = lab.emulator.state().groups[0];
    await expectGraph400(
      graph("POST", `/v1.0/groups/${group.id}/members/$ref`, {
        body: { "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/%zz" },
      }),
      "not valid percent-encoding",
    );
  });
});
