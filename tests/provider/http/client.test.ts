import { createHttpHeaders } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { spawn } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import {
  callerOf,
  createEntraClient,
  parseResponseBody,
  requestHeaders,
  resolveClientOptions,
  validateTarget,
  type EntraClient,
  type EntraRequest,
} from "../../../provider/http/client";
import {
  backoffDelay,
  decideRetry,
  defaultRetryOptions,
  parseRetryAfter,
  retryAfterFromHeaders,
  type RetryOptions,
} from "../../../provider/http/policies/retry";
import { decodeJwtPayload, labToken } from "../../../provider/http/credentials";
import { isEntraError, type EntraError } from "../../../provider/http/errors";
import { defaultTenantId } from "../../../emulator/defaultTenant";
import { useEmulator } from "../../support/emulator";

const tenantId = "6f1c2a7e-3b9d-4e58-a1c4-5d2e8f0b9a31";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error("expected a rejection");
}

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("1", now)).toBe(1000);
    expect(parseRetryAfter(" 2.5 ", now)).toBe(2500);
    expect(parseRetryAfter("0", now)).toBe(0);
  });

  it("reads an HTTP-date as the time left until it, and a past date as no wait", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
  });

  it("ignores absent or unreadable values", () => {
    for (const value of [undefined, "", "-1", "soon", "1 2", "0x10"])
      expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it("prefers Azure's millisecond headers over Retry-After", () => {
    expect(retryAfterFromHeaders(createHttpHeaders({ "retry-after-ms": "250", "retry-after": "3" }), now)).toBe(250);
    expect(retryAfterFromHeaders(createHttpHeaders({ "x-ms-retry-after-ms": "40" }), now)).toBe(40);
    expect(retryAfterFromHeaders(createHttpHeaders({ "Retry-After": "3" }), now)).toBe(3000);
    expect(retryAfterFromHeaders(createHttpHeaders({}), now)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("doubles per attempt with jitter between half and all of the step", () => {
    expect(backoffDelay(1, 1000, 60000, 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60000, 0.999)).toBe(1000);
    expect(backoffDelay(3, 1000, 60000, 0)).toBe(2000);
    expect(backoffDelay(3, 1000, 60000, 0.5)).toBe(3000);
  });

  it("is capped by the longest single wait", () => {
    expect(backoffDelay(20, 1000, 60000, 0.999)).toBeLessThanOrEqual(60000);
    expect(backoffDelay(20, 1000, 60000, 0)).toBe(30000);
  });
});

describe("decideRetry", () => {
  const options: RetryOptions = { maxAttempts: 5, baseDelayMs: 1000, maxTotalMs: 120000, maxDelayMs: 60000 };
  const decide = (method: string, outcome: Parameters<typeof decideRetry>[0]["outcome"], attempts = 1, elapsedMs = 0) =>
    decideRetry({ method, outcome, attempts, elapsedMs, options, random: 0 });

  it("honours Retry-After on 429/503 and backs off exponentially on 504 and transport failures", () => {
    expect(decide("GET", { kind: "response", status: 429, retryAfterMs: 1000 })).toEqual({
      retry: true,
      delayMs: 1000,
    });
    expect(decide("PATCH", { kind: "response", status: 503 }, 2)).toEqual({ retry: true, delayMs: 1000 });
    expect(decide("PUT", { kind: "response", status: 504 }, 3)).toEqual({ retry: true, delayMs: 2000 });
    expect(decide("DELETE", { kind: "transport", timedOut: false })).toEqual({ retry: true, delayMs: 500 });
    expect(decide("GET", { kind: "transport", timedOut: true })).toEqual({ retry: true, delayMs: 500 });
  });

  it("does not retry other statuses", () => {
    for (const status of [200, 400, 401, 403, 404, 409, 500, 502]) {
      expect(decide("GET", { kind: "response", status })).toEqual({ retry: false });
    }
  });

  it("retries a POST only on 429/503 with Retry-After", () => {
    expect(decide("POST", { kind: "response", status: 429, retryAfterMs: 2000 })).toEqual({
      retry: true,
      delayMs: 2000,
    });
    expect(decide("POST", { kind: "response", status: 503, retryAfterMs: 0 })).toEqual({ retry: true, delayMs: 0 });
    expect(decide("POST", { kind: "response", status: 429 })).toMatchObject({
      retry: false,
      notRetried: expect.any(String),
    });
    expect(decide("POST", { kind: "response", status: 504, retryAfterMs: 1 })).toMatchObject({
      retry: false,
      notRetried: expect.any(String),
    });
    expect(decide("POST", { kind: "transport", timedOut: false })).toEqual({
      retry: false,
      notRetried: "a POST may already have been processed",
    });
  });

  it("stops at the attempt limit, at a Retry-After beyond the single-wait cap, and before the total budget", () => {
    expect(decide("GET", { kind: "response", status: 429, retryAfterMs: 1 }, 5)).toEqual({
      retry: false,
      exhausted: "the limit of 5 attempts was reached",
    });
    expect(decide("GET", { kind: "response", status: 429, retryAfterMs: 90000 })).toEqual({
      retry: false,
      exhausted: "the service asked to wait 90 s (Retry-After), more than the 60 s allowed for one wait",
    });
    expect(decide("GET", { kind: "response", status: 503, retryAfterMs: 30000 }, 2, 100000)).toEqual({
      retry: false,
      exhausted: "waiting 30 s more would pass the 120 s budget (100 s spent)",
    });
  });
});

describe("validateTarget and resolveClientOptions", () => {
  it("accepts https hosts and loopback http", () => {
    expect(
      validateTarget({
        tenantId,
        endpoints: { graph: "https://graph.microsoft.com", portal: "https://main.iam.ad.ext.azure.com/api" },
      }),
    ).toEqual([]);
    expect(
      validateTarget({ tenantId, endpoints: { graph: "http://127.0.0.1:9", portal: "http://[::1]:9/api" } }),
    ).toEqual([]);
  });

  it("reports every problem at once, naming setting and value", () => {
    const problems = validateTarget({
      tenantId: " ",
      endpoints: { graph: "http://graph.example.com", portal: "https://user:pw@portal.example.com/api?x=1" },
    });
    expect(problems).toEqual([
      'tenantId is " "; a directory (tenant) id is required.',
      'endpoints.graph is "http://graph.example.com"; expected https; plain http is allowed only on a loopback host (127.0.0.1, localhost, [::1]), since tokens would travel in clear.',
      'endpoints.portal is "(a URL with user info, not shown)"; expected a URL without user name or password.',
    ]);
    expect(problems.join("\n")).not.toContain("pw@");
    expect(validateTarget({ tenantId, endpoints: { graph: "nope", portal: "" } })).toHaveLength(2);
  });

  it("fills defaults and reports bad options together", () => {
    const resolved = resolveClientOptions({ retry: { maxAttempts: 2 } });
    expect(resolved).toEqual({ retry: { ...defaultRetryOptions, maxAttempts: 2 }, timeoutMs: 60000, problems: [] });
    expect(defaultRetryOptions).toEqual({ maxAttempts: 5, baseDelayMs: 1000, maxTotalMs: 120000, maxDelayMs: 60000 });
    expect(resolveClientOptions({ retry: { maxAttempts: 0.5 }, timeoutMs: -1 }).problems).toEqual([
      "retry.maxAttempts is 0.5; an integer >= 1 is required.",
      "timeoutMs is -1; a number >= 1 is required.",
    ]);
  });

  it("refuses to build a client on a bad target, with an EntraError of kind config", () => {
    let thrown: unknown;
    try {
      createEntraClient({
        tenantId: "",
        endpoints: { graph: "http://evil.example", portal: "http://127.0.0.1:1/api" },
      });
    } catch (e) {
      thrown = e;
    }
    expect(isEntraError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ kind: "config" });
    expect((thrown as Error).message).toContain("tenantId");
    expect((thrown as Error).message).toContain("endpoints.graph");
  });
});

describe("callerOf", () => {
  it("reads the tenant's id from tid when it is a GUID (lower-case), with the object id and application grants", () => {
    const token = labToken("graph", {
      tid: "6F1C2A7E-3B9D-4E58-A1C4-5D2E8F0B9A31",
      oid: "AAAAAAAA-0000-0000-0000-000000000001",
    });
    expect(callerOf(token)).toEqual({
      objectId: "aaaaaaaa-0000-0000-0000-000000000001",
      tenantId: tenantId,
      writesApplications: true,
    });
  });

  it("names no tenant for a tid that is not a GUID, or none at all: the organization is then read", () => {
    expect(callerOf(labToken("graph", { tid: "munyakazi.org" }))).not.toHaveProperty("tenantId");
    expect(callerOf(labToken("graph", { tid: undefined }))).not.toHaveProperty("tenantId");
    expect(callerOf("not-a-jwt")).toBeUndefined();
  });
});

describe("send with a malformed request", () => {
  it("rejects before sending, naming every problem", async () => {
    const client = createEntraClient({
      tenantId,
      endpoints: { graph: "http://127.0.0.1:9", portal: "http://127.0.0.1:9/api" },
    });
    const error = await rejection(
      client.send({ api: "azure" as "graph", method: "HEAD" as "GET", path: "v1.0/x", permission: "" }),
    );
    expect(error).toMatchObject({ name: "EntraError", kind: "config", attempts: 0 });
    expect(error.message).toBe(
      'The request was not sent: api is "azure"; allowed: "graph", "portal". method is "HEAD"; allowed: GET, PATCH, ' +
        'PUT, DELETE, POST. path is "v1.0/x"; a path starting with one "/" is required. permission is ""; the Graph ' +
        "permission or portal role the call needs is required.",
    );
  });

  it.each([["/v1.0/groups/.."], ["/v1.0/groups/."], ["/v1.0/groups/%2E%2E"], ["/v1.0/groups/../users?$top=1"]])(
    "never sends a path with a dot segment (%s): a '..' group id would be DELETE /v1.0/",
    async (path) => {
      const client = createEntraClient({
        tenantId,
        endpoints: { graph: "http://127.0.0.1:9", portal: "http://127.0.0.1:9/api" },
      });
      const error = await rejection(
        client.send({ api: "graph", method: "DELETE", path, permission: "Group.ReadWrite.All" }),
      );
      expect(error).toMatchObject({ name: "EntraError", kind: "config", attempts: 0 });
      expect(error.message).toContain(`path is ${JSON.stringify(path)}; a "." or ".." segment is not allowed.`);
    },
  );
});

describe("requestHeaders and parseResponseBody", () => {
  it("sends the portal's headers to the portal and Graph's correlation header to Graph", () => {
    expect(requestHeaders("portal", "c-1", true)).toEqual({
      Accept: "application/json",
      "x-ms-client-request-id": "c-1",
      "X-Requested-With": "XMLHttpRequest",
      "Content-Type": "application/json",
    });
    expect(requestHeaders("graph", "c-2", false)).toEqual({
      Accept: "application/json",
      "x-ms-client-request-id": "c-2",
      "client-request-id": "c-2",
    });
  });

  it("parses JSON, keeps other text and maps empty bodies to undefined", () => {
    expect(parseResponseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseResponseBody("plain")).toBe("plain");
    expect(parseResponseBody("")).toBeUndefined();
    expect(parseResponseBody(undefined)).toBeUndefined();
  });
});

/** A bare loopback server that records what arrives, for what the emulator's log does not show (headers, bodies). */
async function startRecorder(
  answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<{
  url: string;
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  stop(): Promise<void>;
}> {
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("createEntraClient on the wire", () => {
  it("sends the bearer token, the JSON body and the correlation headers; reads the request-id", async () => {
    const recorder = await startRecorder((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "request-id": "srv-1" });
      res.end('{"ok":true}');
    });
    try {
      const client: EntraClient = createEntraClient({
        tenantId,
        endpoints: { graph: recorder.url + "/", portal: recorder.url + "/api" },
      });
      const portal = await client.send({
        api: "portal",
        method: "PUT",
        path: "/PasswordReset/PasswordResetPolicies",
        body: { enablementType: 2 },
        permission: "Authentication Policy Administrator",
      });
      expect(portal).toEqual({ status: 200, body: { ok: true }, requestId: "srv-1" });
      const graph = await client.send({
        api: "graph",
        method: "GET",
        path: "/v1.0/policies/authorizationPolicy?$select=id",
        permission: "Policy.Read.All",
      });
      expect(graph.status).toBe(200);

      const [put, get] = recorder.seen;
      expect(put.url).toBe("/api/PasswordReset/PasswordResetPolicies");
      expect(JSON.parse(put.body)).toEqual({ enablementType: 2 });
      expect(put.headers["content-type"]).toBe("application/json");
      expect(put.headers["x-requested-with"]).toBe("XMLHttpRequest");
      expect(put.headers["x-ms-client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(decodeJwtPayload(String(put.headers.authorization).replace(/^Bearer /, ""))).toMatchObject({
        aud: "74658136-14ec-4630-ad9b-26e160ff0fc6",
        tid: tenantId,
      });
      expect(get.url).toBe("/v1.0/policies/authorizationPolicy?$select=id");
      expect(get.headers["content-type"]).toBeUndefined();
      expect(get.headers["x-requested-with"]).toBeUndefined();
      expect(get.headers["client-request-id"]).toBe(get.headers["x-ms-client-request-id"]);
      expect(get.headers["x-ms-client-request-id"]).not.toBe(put.headers["x-ms-client-request-id"]);
      expect(decodeJwtPayload(String(get.headers.authorization).replace(/^Bearer /, ""))).toMatchObject({
        aud: "https://graph.microsoft.com",
      });
    } finally {
      await recorder.stop();
    }
  });

  it("retries a 503 with an HTTP-date Retry-After and keeps one client-request-id across attempts", async () => {
    let calls = 0;
    const recorder = await startRecorder((_req, res) => {
      calls += 1;
      if (calls === 1) {
        // A date already reached: the wait is zero, and the retry follows at once.
        res.writeHead(503, { "retry-after": new Date(Date.now() - 1000).toUTCString() });
        res.end("busy");
        return;
      }
      res.writeHead(204);
      res.end();
    });
    try {
      const client = createEntraClient(
        { tenantId, endpoints: { graph: recorder.url, portal: recorder.url + "/api" } },
        { retry: { baseDelayMs: 60000 } },
      );
      const started = Date.now();
      const response = await client.send({ api: "graph", method: "DELETE", path: "/v1.0/x", permission: "P" });
      expect(response).toEqual({ status: 204, body: undefined, requestId: undefined });
      // The back-off (60 s base) would wait at least 30 s; the date already reached waits nothing. The bound only
      // tells the two apart, with room for a loaded machine.
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(recorder.seen).toHaveLength(2);
      expect(recorder.seen[0].headers["x-ms-client-request-id"]).toBe(
        recorder.seen[1].headers["x-ms-client-request-id"],
      );
    } finally {
      await recorder.stop();
    }
  });

  it("does not retry a POST whose connection dropped", async () => {
    const recorder = await startRecorder((req) => req.socket.destroy());
    try {
      const client = createEntraClient(
        { tenantId, endpoints: { graph: recorder.url, portal: recorder.url + "/api" } },
        { retry: { baseDelayMs: 1 } },
      );
      const error = await rejection(
        client.send({ api: "graph", method: "POST", path: "/v1.0/x", body: {}, permission: "P" }),
      );
      expect(error).toMatchObject({ name: "EntraError", kind: "network", attempts: 1 });
      expect(error.message).toContain("not retried: a POST may already have been processed");
      expect(recorder.seen).toHaveLength(1);
    } finally {
      await recorder.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Against the emulator, with its injected faults.
// ---------------------------------------------------------------------------------------------------------------

describe("createEntraClient against the emulator", () => {
  const lab = useEmulator();
  const authorizationPolicy = "/v1.0/policies/authorizationPolicy";
  const passwordResetPolicies = "/PasswordReset/PasswordResetPolicies";
  const readAuthorizationPolicy: EntraRequest = {
    api: "graph",
    method: "GET",
    path: authorizationPolicy,
    permission: "Policy.Read.All",
  };
  const writeAuthorizationPolicy: EntraRequest = {
    api: "graph",
    method: "PATCH",
    path: authorizationPolicy,
    body: { allowedToUseSSPR: false },
    permission: "Policy.ReadWrite.Authorization",
  };
  const readPortalPolicy: EntraRequest = {
    api: "portal",
    method: "GET",
    path: passwordResetPolicies,
    permission: "Authentication Policy Administrator",
  };
  /** Fast retries: the waits themselves are asserted on fake timers in retryPolicy.test.ts. */
  const fast = { retry: { baseDelayMs: 5, maxAttempts: 3 } };

  /** A credential handing out one fixed token. */
  const fixedCredential = (token: string): TokenCredential => ({
    getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }),
  });

  /** No token text anywhere a user or Pulumi could see the error. */
  function expectNoTokenText(error: Error, tokens: string[]): void {
    for (const text of [error.message, JSON.stringify(error), String(error), error.stack ?? ""]) {
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
      for (const token of tokens) expect(text).not.toContain(token);
    }
  }

  it("reads and writes both APIs with the lab credential", async () => {
    const client = createEntraClient(lab.target);
    const graph = await client.send(readAuthorizationPolicy);
    expect(graph.status).toBe(200);
    expect(graph.body).toMatchObject({ id: "authorizationPolicy" });
    expect(graph.requestId).toMatch(/\S/);
    const patched = await client.send(writeAuthorizationPolicy);
    expect(patched).toEqual({ status: 204, body: undefined, requestId: expect.any(String) });
    expect(lab.emulator.state().authorizationPolicy.allowedToUseSSPR).toBe(false);
    const portal = await client.send(readPortalPolicy);
    expect(portal.body).toMatchObject({ objectId: "default", enablementType: expect.any(Number) });
  });

  it("gives up when retries are exhausted, naming the endpoint, the attempts and the request-id", async () => {
    lab.emulator.addFault({ path: authorizationPolicy, status: 503, count: 10 });
    const error = await rejection(createEntraClient(lab.target, fast).send(readAuthorizationPolicy));
    expect(isEntraError(error)).toBe(true);
    expect(error).toMatchObject({ kind: "http", status: 503, code: "ServiceUnavailable", attempts: 3 });
    const requestId = (error as EntraError).requestId;
    expect(requestId).toMatch(/\S/);
    expect(error.message).toContain(
      `GET ${lab.emulator.url}${authorizationPolicy} failed after 3 attempts (retries exhausted: the limit of 3 attempts was reached)`,
    );
    expect(error.message).toContain(`request-id ${requestId}`);
    expect(lab.emulator.requests()).toHaveLength(3);
    expectNoTokenText(error, []);
  });

  it("stops at once when Retry-After asks for longer than one wait may last", async () => {
    lab.emulator.addFault({ path: authorizationPolicy, status: 429, retryAfter: 30, count: 5 });
    const error = await rejection(
      createEntraClient(lab.target, { retry: { maxDelayMs: 2000 } }).send(readAuthorizationPolicy),
    );
    expect(error.message).toContain(
      "the service asked to wait 30 s (Retry-After), more than the 2 s allowed for one wait",
    );
    expect(lab.emulator.requests()).toHaveLength(1);
  });

  it("retries a dropped connection and succeeds", async () => {
    lab.emulator.addFault({ path: "/api" + passwordResetPolicies, drop: true });
    const response = await createEntraClient(lab.target, fast).send(readPortalPolicy);
    expect(response.status).toBe(200);
    expect(lab.emulator.requests().map((entry) => entry.status)).toEqual([0, 200]);
  });

  it("reports a connection dropped on every attempt", async () => {
    lab.emulator.addFault({ path: authorizationPolicy, drop: true, count: 10 });
    const error = await rejection(createEntraClient(lab.target, fast).send(writeAuthorizationPolicy));
    expect(error).toMatchObject({ name: "EntraError", kind: "network", attempts: 3 });
    expect(error.message).toMatch(
      new RegExp(
        `^PATCH ${lab.emulator.url}${authorizationPolicy} failed: the connection failed \\(.+\\) after 3 attempts`,
      ),
    );
    expect(lab.emulator.requests().map((entry) => entry.status)).toEqual([0, 0, 0]);
    expectNoTokenText(error, []);
  });

  it("times out a slow answer, and a retry after a timeout can succeed", async () => {
    // An answer a minute late (the emulator's stop clears the pending delays): a client that waited for it would
    // get a 200 instead of the timeout, and the bound below tells the two apart with room for a loaded machine.
    const late = { path: "/api" + passwordResetPolicies, delayMs: 60_000 };
    lab.emulator.addFault(late);
    const started = Date.now();
    const error = await rejection(
      createEntraClient(lab.target, { retry: { maxAttempts: 1 }, timeoutMs: 200 }).send(readPortalPolicy),
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(error).toMatchObject({ kind: "timeout", code: "TIMEOUT", attempts: 1 });
    expect(error.message).toContain("timed out after 200 ms without an answer");

    lab.emulator.clearFaults();
    lab.emulator.addFault(late);
    // A timeout the retry's prompt answer meets even when the machine is busy (it answers in milliseconds).
    const response = await createEntraClient(lab.target, { ...fast, timeoutMs: 1000 }).send(readPortalPolicy);
    expect(response.status).toBe(200);
  });

  it("explains a 401 for a garbage token without showing it", async () => {
    const garbage = "garbage-token-0123456789-do-not-show";
    const error = await rejection(
      createEntraClient(lab.target, { ...fast, credential: fixedCredential(garbage) }).send(writeAuthorizationPolicy),
    );
    expect(error).toMatchObject({ kind: "http", status: 401, code: "InvalidAuthenticationToken", attempts: 1 });
    expect(error.message).toContain("The token was rejected (401");
    expect(error.message).toContain("Policy.ReadWrite.Authorization");
    expect(lab.emulator.requests()).toHaveLength(1);
    expectNoTokenText(error, [garbage]);
  });

  it("names the missing Graph permission on a 403", async () => {
    const readOnly = labToken("graph", { tid: defaultTenantId, roles: ["Policy.Read.All"] });
    const error = await rejection(
      createEntraClient(lab.target, { ...fast, credential: fixedCredential(readOnly) }).send(writeAuthorizationPolicy),
    );
    expect(error).toMatchObject({ status: 403, code: "Authorization_RequestDenied", requestId: expect.any(String) });
    expect(error.message).toContain(
      "The caller needs the Microsoft Graph permission Policy.ReadWrite.Authorization (application permission",
    );
    expectNoTokenText(error, [readOnly]);
  });

  it("names the portal role on a portal 403", async () => {
    const noRole = labToken("portal", { tid: defaultTenantId, wids: [] });
    const error = await rejection(
      createEntraClient(lab.target, { ...fast, credential: fixedCredential(noRole) }).send(readPortalPolicy),
    );
    expect(error).toMatchObject({ status: 403, url: `${lab.emulator.url}/api${passwordResetPolicies}` });
    expect(error.message).toContain("Authentication Policy Administrator (or Global Administrator)");
    expectNoTokenText(error, [noRole]);
  });

  it("refuses an app-only portal token before sending anything", async () => {
    const appOnly = labToken("portal", { tid: defaultTenantId, scp: undefined, roles: ["user_impersonation"] });
    const error = await rejection(
      createEntraClient(lab.target, { ...fast, credential: fixedCredential(appOnly) }).send(readPortalPolicy),
    );
    expect(error).toMatchObject({
      kind: "auth",
      method: "GET",
      url: `${lab.emulator.url}/api${passwordResetPolicies}`,
    });
    expect(error.message).toContain("The portal API needs a delegated user token");
    expect(lab.emulator.requests()).toEqual([]);
    expectNoTokenText(error, [appOnly]);
  });

  it("works after closure serialization, in a plain Node process without a TypeScript loader", async () => {
    lab.emulator.addFault({ path: authorizationPolicy, status: 503, retryAfter: 0 });
    const captured = lab.target;
    const run = async () => {
      const client = createEntraClient(captured, { retry: { baseDelayMs: 5 } });
      const response = await client.send({
        api: "graph",
        method: "GET",
        path: "/v1.0/policies/authorizationPolicy",
        permission: "Policy.Read.All",
      });
      return { status: response.status, id: (response.body as { id?: string }).id };
    };
    const pulumi = await import("@pulumi/pulumi");
    const serialized = await pulumi.runtime.serializeFunction(run);
    const output = await runInPlainNode(serialized.text, serialized.exportName);
    expect(JSON.parse(output)).toEqual({ status: 200, id: "authorizationPolicy" });
    expect(lab.emulator.requests().map((entry) => entry.status)).toEqual([503, 200]);
  });
});

/** Evaluates serialized function text in a fresh `node` (cwd = the project, for `require`) and returns its stdout. */
function runInPlainNode(text: string, exportName: string): Promise<string> {
  const harness = `
    let source = "";
    process.stdin.on("data", (chunk) => (source += chunk));
    process.stdin.on("end", () => {
      const module = { exports: {} };
      new Function("exports", "require", "module", source)(module.exports, require, module);
      module.exports[${JSON.stringify(exportName)}]().then(
        (result) => process.stdout.write(JSON.stringify(result)),
        (error) => { process.stderr.write(String(error && error.message)); process.exit(1); },
      );
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", harness], { cwd: path.resolve(__dirname, "../../.."), stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    const killer = setTimeout(() => child.kill(), 30_000);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => {
      clearTimeout(killer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`node exited with ${code}: ${stderr}`));
    });
    child.stdin.end(text);
  });
}
