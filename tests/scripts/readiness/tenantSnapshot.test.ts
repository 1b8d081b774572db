/**
 * The reader's own rules, with a scripted client: it never writes, it follows `@odata.nextLink` only on the
 * configured endpoint, and it retries the requests Graph throttled inside a `$batch`.
 */
import type { EntraRequest } from "../../../provider/http/client";
import { createEntraError } from "../../../provider/http/errors";
import { readOnly, readTenantSnapshot } from "../../../provider/reader/readinessSnapshot";
import { scripted } from "../../support/scriptedClient";

type Json = Record<string, unknown>;

describe("readOnly", () => {
  const { client, sent } = scripted(() => ({}));
  const guarded = readOnly(client);
  it.each([
    ["PATCH", "/v1.0/policies/authorizationPolicy", undefined],
    ["PUT", "/PasswordReset/PasswordResetPolicies", {}],
    ["POST", "/v1.0/groups", {}],
    ["POST", "/v1.0/$batch", { requests: [{ id: "1", method: "PATCH", url: "/policies/authorizationPolicy" }] }],
  ])("refuses %s %s", async (method, path, body) => {
    await expect(
      guarded.send({ api: "graph", method: method as EntraRequest["method"], path, body, permission: "x" }),
    ).rejects.toThrow(`readiness never writes: refused ${method} ${path}`);
    expect(sent).toEqual([]);
  });
  it("lets GETs and batches of GETs through", async () => {
    await guarded.send({ api: "graph", method: "GET", path: "/v1.0/organization", permission: "x" });
    const body = { requests: [{ id: "1", method: "GET", url: "/organization" }] };
    await guarded.send({ api: "graph", method: "POST", path: "/v1.0/$batch", body, permission: "x" });
    expect(sent.map((request) => request.method)).toEqual(["GET", "POST"]);
  });
});

describe("the per-user fallback", () => {
  it("retries, after Retry-After, the requests Graph throttled inside a batch", async () => {
    const users = Array.from({ length: 3 }, (_, index) => ({
      id: `u${index}`,
      userPrincipalName: `u${index}@munyakazi.org`,
      displayName: `User ${index}`,
      accountEnabled: true,
    }));
    let batches = 0;
    const { client } = scripted((request) => {
      if (request.path.startsWith("/v1.0/users?")) return { value: users };
      if (request.path.startsWith("/v1.0/reports/"))
        throw createEntraError("403 Authentication_RequestFromNonPremiumTenantOrB2CTenant", {
          kind: "http",
          status: 403,
          code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
          method: "GET",
          url: request.path,
          attempts: 1,
        });
      if (request.path === "/v1.0/$batch") {
        batches++;
        const requests = (request.body as { requests: Json[] }).requests;
        return {
          responses: requests.map((entry) =>
            batches === 1 && entry.id === "1"
              ? {
                  id: entry.id,
                  status: 429,
                  headers: { "Retry-After": "2" },
                  body: { error: { code: "TooManyRequests" } },
                }
              : {
                  id: entry.id,
                  status: 200,
                  body: { value: [{ "@odata.type": "#microsoft.graph.emailAuthenticationMethod", id: "e" }] },
                },
          ),
        };
      }
      return request.path.includes("?") || request.path.endsWith("Skus") || request.path.endsWith("organization")
        ? { value: [] }
        : {};
    });
    const waits: number[] = [];
    const snapshot = await readTenantSnapshot(client, "t", {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(snapshot.registrationSource).toBe("methods");
    expect(snapshot.batchRequests).toBe(2);
    expect(waits).toEqual([2000]);
    expect(snapshot.users.map((user) => user.registered)).toEqual([["email"], ["email"], ["email"]]);
    expect(snapshot.users.every((user) => user.registeredProblem === undefined)).toBe(true);
  });
});
