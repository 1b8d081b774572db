import { request as httpRequest } from "node:http";
import { createDefaultTenant } from "../../emulator/defaultTenant";
import { startEmulator } from "../../emulator/server";
import {
  allGraphPermissions,
  call,
  graphAppToken,
  graphError,
  methodsPolicyFixture,
  portalFixture,
  portalUserToken,
  type Json,
} from "./helpers";
import { useEmulator } from "../support/emulator";

const token = graphAppToken(allGraphPermissions);
const authorizationPath = "/v1.0/policies/authorizationPolicy";
const policiesPath = "/api/PasswordReset/PasswordResetPolicies";

describe("control routes", () => {
  // Started with a seed: reset returns to it, not to the bare default tenant.
  const lab = useEmulator({ seed: { passwordResetPolicies: portalFixture() } });

  it("GET /_emulator/state is the whole tenant", async () => {
    const reply = await call(lab.emulator.url, "GET", "/_emulator/state");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(lab.emulator.state());
    expect((reply.body as Json).passwordResetPolicies).toEqual(portalFixture());
  });

  it("PUT /_emulator/state replaces the given sections of the start-up tenant; fixtures work as sections", async () => {
    const reply = await call(lab.emulator.url, "PUT", "/_emulator/state", {
      body: { authenticationMethodsPolicy: methodsPolicyFixture(), tenantId: "11111111-2222-3333-4444-555555555555" },
    });
    expect(reply.status).toBe(200);
    const state = lab.emulator.state();
    expect(state.tenantId).toBe("11111111-2222-3333-4444-555555555555");
    expect(state.authenticationMethodsPolicy.policyVersion).toBe("1.4");
    expect(state.passwordResetPolicies).toEqual(portalFixture());
    expect(reply.body).toEqual(state);
  });

  it("PUT /_emulator/state with bad input is a 400 with a Graph-shaped error and changes nothing", async () => {
    const before = lab.emulator.state();
    const unknownSection = await call(lab.emulator.url, "PUT", "/_emulator/state", {
      body: { passwordResetPolicy: {} },
    });
    expect(unknownSection.status).toBe(400);
    expect(graphError(unknownSection).message).toContain("seed.passwordResetPolicy is not a known property");
    const malformed = await call(lab.emulator.url, "PUT", "/_emulator/state", { rawBody: "{" });
    expect(malformed.status).toBe(400);
    expect(graphError(malformed).code).toBe("BadRequest");
    expect(() => lab.emulator.seed({ users: "none" } as never)).toThrow("seed.users");
    expect(lab.emulator.state()).toEqual(before);
  });

  it("POST /_emulator/reset returns to the start-up seed", async () => {
    await call(lab.emulator.url, "PATCH", authorizationPath, { token, body: { allowedToUseSSPR: false } });
    await call(lab.emulator.url, "PUT", policiesPath, { token: portalUserToken(), body: { enablementType: 2 } });
    expect((await call(lab.emulator.url, "POST", "/_emulator/reset")).status).toBe(204);
    const state = lab.emulator.state();
    expect(state.authorizationPolicy.allowedToUseSSPR).toBe(true);
    expect(state.passwordResetPolicies).toEqual(portalFixture());
  });

  it("logs API requests (not control routes) and clears the log", async () => {
    await call(lab.emulator.url, "GET", `${authorizationPath}?$select=allowedToUseSSPR`, { token });
    await call(lab.emulator.url, "GET", policiesPath, { token: portalUserToken([]) });
    await call(lab.emulator.url, "GET", "/_emulator/state");
    const log = (await call(lab.emulator.url, "GET", "/_emulator/requests")).body as Json[];
    expect(log).toEqual([
      {
        api: "graph",
        method: "GET",
        path: authorizationPath,
        query: "$select=allowedToUseSSPR",
        status: 200,
        time: expect.any(String),
      },
      { api: "portal", method: "GET", path: policiesPath, query: "", status: 403, time: expect.any(String) },
    ]);
    expect(lab.emulator.requests()).toEqual(log);
    expect((await call(lab.emulator.url, "DELETE", "/_emulator/requests")).status).toBe(204);
    expect(lab.emulator.requests()).toEqual([]);
  });

  it("answers 404 for an unknown control route and 405 for a wrong method", async () => {
    expect((await call(lab.emulator.url, "GET", "/_emulator/nothing")).status).toBe(404);
    expect((await call(lab.emulator.url, "DELETE", "/_emulator/state")).status).toBe(405);
  });

  describe("faults", () => {
    it("answers the status with Retry-After for count requests, before auth, and changes nothing", async () => {
      const added = await call(lab.emulator.url, "POST", "/_emulator/faults", {
        body: { method: "PATCH", path: "/V1.0/policies/*", status: 503, retryAfter: 7, count: 2 },
      });
      expect(added.status).toBe(201);
      const before = lab.emulator.state();
      for (let i = 0; i < 2; i++) {
        // No token at all: the fault still comes first.
        const reply = await call(lab.emulator.url, "PATCH", authorizationPath, { body: { allowedToUseSSPR: false } });
        expect(reply.status).toBe(503);
        expect(reply.headers.get("retry-after")).toBe("7");
        expect(graphError(reply).code).toBe("ServiceUnavailable");
        expect(reply.headers.get("request-id")).toBe(graphError(reply).innerError["request-id"]);
      }
      expect(lab.emulator.state()).toEqual(before);
      expect((await call(lab.emulator.url, "GET", authorizationPath, { token })).status).toBe(200); // other method
      expect(
        (await call(lab.emulator.url, "PATCH", authorizationPath, { token, body: { allowedToUseSSPR: false } })).status,
      ).toBe(204);
      expect(lab.emulator.requests().map((entry) => entry.status)).toEqual([503, 503, 200, 204]);
    });

    it("sends a given body as it is, in the portal too", async () => {
      lab.emulator.addFault({ path: policiesPath, status: 429, body: { message: "slow down" } });
      const reply = await call(lab.emulator.url, "GET", policiesPath, { token: portalUserToken() });
      expect(reply.status).toBe(429);
      expect(reply.body).toEqual({ message: "slow down" });
    });

    it("delays the answer by delayMs", async () => {
      lab.emulator.addFault({ path: authorizationPath, delayMs: 300 });
      const started = Date.now();
      const reply = await call(lab.emulator.url, "GET", authorizationPath, { token });
      expect(reply.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it("a client that gives up during the delay: nothing is handled", async () => {
      const delayMs = 1000;
      lab.emulator.addFault({ method: "PATCH", path: authorizationPath, delayMs });
      // The client gives up once the request has arrived (a fixed timeout could fire before it arrives on a busy
      // machine), then the delay runs out: the emulator's timer was set at arrival, before this wait's.
      const giveUp = new AbortController();
      const sent = call(lab.emulator.url, "PATCH", authorizationPath, {
        token,
        body: { allowedToUseSSPR: false },
        signal: giveUp.signal,
      });
      while (lab.emulator.requests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      giveUp.abort();
      await expect(sent).rejects.toThrow(/abort/i);
      await new Promise((resolve) => setTimeout(resolve, delayMs + 50));
      expect(lab.emulator.state().authorizationPolicy.allowedToUseSSPR).toBe(true);
      expect(lab.emulator.requests().map((entry) => entry.status)).toEqual([0]);
    });

    it("drop: true destroys the socket without an answer (socket hang up), logged with status 0", async () => {
      lab.emulator.addFault({ path: "/v1.0/*", drop: true });
      const error = await new Promise<Error>((resolve) => {
        const url = new URL(`${lab.emulator.url}${authorizationPath}`);
        const req = httpRequest(url, { method: "GET", headers: { Authorization: `Bearer ${token}` } }, () =>
          resolve(new Error("got an answer")),
        );
        req.on("error", resolve);
        req.end();
      });
      expect(error.message).toBe("socket hang up");
      expect(lab.emulator.requests()).toEqual([expect.objectContaining({ path: authorizationPath, status: 0 })]);
      expect((await call(lab.emulator.url, "GET", authorizationPath, { token })).status).toBe(200);
    });

    it("lists and clears faults; rejects bad faults with a 400", async () => {
      lab.emulator.addFault({ path: "/api/*", status: 500 });
      expect(((await call(lab.emulator.url, "GET", "/_emulator/faults")).body as Json[]).length).toBe(1);
      expect((await call(lab.emulator.url, "DELETE", "/_emulator/faults")).status).toBe(204);
      expect((await call(lab.emulator.url, "GET", policiesPath, { token: portalUserToken() })).status).toBe(200);
      const bad = await call(lab.emulator.url, "POST", "/_emulator/faults", { body: { path: "api", status: "500" } });
      expect(bad.status).toBe(400);
      expect(graphError(bad).message).toContain('status is "500"');
      expect(() => lab.emulator.addFault({ path: "/x" })).toThrow("the fault does nothing");
    });
  });
});

describe("throttling", () => {
  it("is off by default", async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () => call(emulator.url, "GET", authorizationPath, { token }).then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await emulator.stop();
    }
  });

  it("answers 429 with Retry-After and TooManyRequests once more than N requests arrive in S seconds", async () => {
    const emulator = await startEmulator({ port: 0, throttle: { requests: 3, perSeconds: 60 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(emulator.url, "GET", authorizationPath, { token })).status);
      const throttled = await call(emulator.url, "GET", authorizationPath, { token });
      expect(statuses).toEqual([200, 200, 200]);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
      expect(graphError(throttled).code).toBe("TooManyRequests");
      expect((await call(emulator.url, "GET", "/_emulator/state")).status).toBe(200); // control routes are not throttled
    } finally {
      await emulator.stop();
    }
  });

  it("latencyMs delays every API answer (control routes not), and the request is logged at arrival", async () => {
    const emulator = await startEmulator({ port: 0, latencyMs: 120 });
    try {
      const started = Date.now();
      const reply = await call(emulator.url, "GET", authorizationPath, { token });
      expect(reply.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
      expect(emulator.requests().map((entry) => `${entry.method} ${entry.path}`)).toEqual([`GET ${authorizationPath}`]);
    } finally {
      await emulator.stop();
    }
    await expect(startEmulator({ port: 0, latencyMs: -1 })).rejects.toThrow("latencyMs is -1");
  });

  it("rejects bad throttle and seed options at start", async () => {
    await expect(startEmulator({ port: 0, throttle: { requests: 0, perSeconds: 1 } })).rejects.toThrow(
      "throttle.requests is 0",
    );
    await expect(startEmulator({ port: 0, seed: { groups: {} } as never })).rejects.toThrow("seed.groups");
  });
});

describe("in-process helpers", () => {
  it("return deep copies", async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      const state = emulator.state();
      state.authorizationPolicy.allowedToUseSSPR = false;
      expect(emulator.state()).toEqual(createDefaultTenant());
      expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    } finally {
      await emulator.stop();
    }
  });
});

describe("the emulator's date", () => {
  const machineDate = (): string => new Date().toISOString().slice(0, 10);

  describe("on a plain start", () => {
    const plain = useEmulator();

    it("is the machine's date (UTC), following the clock, and the default tenant is unchanged", async () => {
      const reply = await call(plain.emulator.url, "GET", "/_emulator/today");
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ today: machineDate(), followsClock: true });
      expect(plain.emulator.today()).toEqual(reply.body);
      expect(plain.emulator.state()).toEqual(createDefaultTenant());
      expect(plain.emulator.state().microsoftChangesApplied).toEqual([]);
      expect(plain.emulator.state().ownTelephonyProvider).toBe(false);
    });

    it("PUT /_emulator/today sets a date (null returns to the clock); reset returns to the start's", async () => {
      const set = await call(plain.emulator.url, "PUT", "/_emulator/today", {
        body: { today: "2027-02-01", microsoftChanges: "hold" },
      });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ today: "2027-02-01", followsClock: false, applied: [] });
      expect((await call(plain.emulator.url, "GET", "/_emulator/today")).body).toEqual({
        today: "2027-02-01",
        followsClock: false,
      });
      const back = await call(plain.emulator.url, "PUT", "/_emulator/today", { body: { today: null } });
      expect(back.body).toEqual({ today: machineDate(), followsClock: true, applied: [] });
      plain.emulator.setToday("2027-03-01", "hold");
      expect((await call(plain.emulator.url, "POST", "/_emulator/reset")).status).toBe(204);
      expect(plain.emulator.today()).toEqual({ today: machineDate(), followsClock: true });
    });

    it("a bad date is a 400 naming the expected form YYYY-MM-DD, and changes nothing", async () => {
      const before = plain.emulator.state();
      for (const today of ["2027-02-30", "1 Feb 2027", 20270201]) {
        const reply = await call(plain.emulator.url, "PUT", "/_emulator/today", { body: { today } });
        expect(reply.status).toBe(400);
        expect(graphError(reply)).toMatchObject({
          code: "BadRequest",
          message: `Invalid date: today is ${JSON.stringify(today)}; expected a date in the form YYYY-MM-DD (for example 2027-02-01), or null to follow the machine's clock`,
        });
      }
      const missing = await call(plain.emulator.url, "PUT", "/_emulator/today", { body: { date: "2027-02-01" } });
      expect(missing.status).toBe(400);
      expect(graphError(missing).message).toBe(
        "Invalid date: today is missing; it is required; date is not a known property; allowed: an object {today, microsoftChanges}",
      );
      const mode = await call(plain.emulator.url, "PUT", "/_emulator/today", {
        body: { today: "2027-02-01", microsoftChanges: "later" },
      });
      expect(mode.status).toBe(400);
      expect(graphError(mode).message).toContain('microsoftChanges is "later"; allowed: "apply", "hold"');
      expect(plain.emulator.today()).toEqual({ today: machineDate(), followsClock: true });
      expect(plain.emulator.state()).toEqual(before);
      expect(() => plain.emulator.setToday("2027-13-01")).toThrow("expected a date in the form YYYY-MM-DD");
      expect((await call(plain.emulator.url, "DELETE", "/_emulator/today")).status).toBe(405);
    });

    it("GET|PUT /_emulator/telephony: the tenant's own telephony provider, false by default, validated", async () => {
      expect((await call(plain.emulator.url, "GET", "/_emulator/telephony")).body).toEqual({
        ownTelephonyProvider: false,
      });
      const set = await call(plain.emulator.url, "PUT", "/_emulator/telephony", {
        body: { ownTelephonyProvider: true },
      });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ ownTelephonyProvider: true });
      expect(plain.emulator.state().ownTelephonyProvider).toBe(true);
      const bad = await call(plain.emulator.url, "PUT", "/_emulator/telephony", {
        body: { ownTelephonyProvider: "yes" },
      });
      expect(bad.status).toBe(400);
      expect(graphError(bad).message).toBe('Invalid telephony: ownTelephonyProvider is "yes"; allowed: true or false');
      plain.emulator.reset();
      expect(plain.emulator.state().ownTelephonyProvider).toBe(false);
    });

    it("GET /_emulator/calendar lists Microsoft's dated changes as they stand for the tenant on its date", async () => {
      plain.emulator.setToday("2027-02-01", "hold");
      const reply = await call(plain.emulator.url, "GET", "/_emulator/calendar");
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        today: "2027-02-01",
        followsClock: false,
        ownTelephonyProvider: false,
        entries: [
          expect.objectContaining({
            id: "passkeys-for-sms-and-voice-users",
            date: "2026-09-01",
            kind: "tenantConfiguration",
            source: "https://learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement",
            reached: true,
            inEffect: false,
            applied: null,
          }),
          expect.objectContaining({ id: "microsoft-sms-and-voice-retired", reached: true, inEffect: true }),
          expect.objectContaining({ id: "security-questions-retired", reached: false, inEffect: false }),
        ],
      });
      plain.emulator.setOwnTelephonyProvider(true);
      expect(plain.emulator.calendar().entries[1]).toMatchObject({ reached: true, inEffect: false });
    });
  });

  describe("given at start", () => {
    it("by the start option, which wins over the seed's today; a bad one refuses to start", async () => {
      const emulator = await startEmulator({ port: 0, today: "2027-02-01", seed: { today: "2026-01-01" } });
      try {
        expect((await call(emulator.url, "GET", "/_emulator/today")).body).toEqual({
          today: "2027-02-01",
          followsClock: false,
        });
        expect(emulator.state()).toEqual(createDefaultTenant()); // a date alone changes no setting
      } finally {
        await emulator.stop();
      }
      await expect(startEmulator({ port: 0, today: "2027/02/01" })).rejects.toThrow(
        'Invalid emulator options: today is "2027/02/01"; expected a date in the form YYYY-MM-DD',
      );
      await expect(startEmulator({ port: 0, microsoftChanges: "now" as never })).rejects.toThrow(
        'microsoftChanges is "now"; allowed: "apply", "hold"',
      );
    });

    it("by the seed's today (a seed file's field), checked like every seed section", async () => {
      const emulator = await startEmulator({ port: 0, seed: { today: "2026-08-31", ownTelephonyProvider: true } });
      try {
        expect(emulator.today()).toEqual({ today: "2026-08-31", followsClock: false });
        expect(emulator.state().ownTelephonyProvider).toBe(true);
        const bad = await call(emulator.url, "PUT", "/_emulator/state", { body: { today: "tomorrow" } });
        expect(bad.status).toBe(400);
        expect(graphError(bad).message).toContain(
          'seed.today is "tomorrow"; expected a date in the form YYYY-MM-DD (for example 2027-02-01)',
        );
        // PUT /_emulator/state with a today: the tenant as it is on that date (nothing applied for the days skipped).
        const seeded = await call(emulator.url, "PUT", "/_emulator/state", { body: { today: "2027-03-01" } });
        expect(seeded.status).toBe(200);
        expect(emulator.today()).toEqual({ today: "2027-03-01", followsClock: false });
        expect(emulator.state().microsoftChangesApplied).toEqual([]);
      } finally {
        await emulator.stop();
      }
    });
  });
});
