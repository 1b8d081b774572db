/**
 * The doctor and readiness end to end: the lab stack is applied to an emulator once (through `rehearse`, the
 * dynamic-provider host and HTTP), its tenant is taken as the starting point, and each test seeds the symptom of
 * one row of the runbook's "Common Errors & Fixes" table, then reads it through the project's HTTP layer and
 * asserts the verdict and the fix.
 */
import { createEntraClient, type EntraClient } from "../../../provider/http/client";
import { startEmulator, type TenantSeed, type TenantState } from "../../../emulator/server";
import { diagnose, runbookFixes } from "../../../components/readiness/judgement";
import { assessReadiness } from "../../../components/readiness/readinessReport";
import { readTenantSnapshot } from "../../../provider/reader/readinessSnapshot";
import type { Check, CheckId, Diagnosis } from "../../../components/readiness/readinessTypes";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { graphAppToken, portalUserToken } from "../../emulator/helpers";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";
import { isWriteRequest } from "../../../emulator/requestLog";

type Json = Record<string, unknown>;

const lab = useEmulator();
const hosted = useProviderHost();
let applied: TenantState;

beforeAll(async () => {
  const emulator = await startEmulator();
  try {
    const result = await rehearse({ stack: "lab", emulatorUrl: emulator.url, host: hosted.host });
    expect(result.errors).toEqual([]);
    applied = emulator.state();
  } finally {
    await emulator.stop();
  }
});

/** The lab tenant after `pulumi up` (SSPR All, 2 methods, Email and mobile phone for all users), plus `seed`. */
function seedApplied(seed: TenantSeed = {}): void {
  lab.reseed({
    passwordResetPolicies: applied.passwordResetPolicies,
    authenticationMethodsPolicy: applied.authenticationMethodsPolicy,
    ...seed,
  });
}

async function doctor(upn: string, seed: TenantSeed = {}, client?: EntraClient): Promise<Diagnosis> {
  seedApplied(seed);
  const snapshot = await readTenantSnapshot(client ?? createEntraClient(lab.target), lab.target.tenantId, {
    userPrincipalName: upn,
  });
  return diagnose(snapshot, upn);
}

function checkOf(diagnosis: Diagnosis, id: CheckId): Check {
  const found = diagnosis.checks.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

const failing = (diagnosis: Diagnosis): string[] =>
  diagnosis.checks.filter((entry) => entry.status === "fail").map((entry) => entry.id);

const user = (upn: string): Json => {
  const found = lab.seeded.users.find((candidate) => candidate.userPrincipalName === upn);
  if (found === undefined) throw new Error(upn);
  return found;
};
const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const finance = "cbcfbb00-5f66-5509-982c-18fa15d312b9";

const selectedPilot = (): Json => ({
  ...applied.passwordResetPolicies,
  enablementType: 1,
  passwordResetEnabledGroupIds: [pilot],
});

describe("doctor: one check per row of the runbook's table", () => {
  it("the test account c.vogel can reset once the runbook is applied: every check passes or only warns", async () => {
    const diagnosis = await doctor("c.vogel@munyakazi.org");
    expect(diagnosis.canReset).toBe(true);
    expect(diagnosis.checks.map((entry) => entry.id)).toEqual([
      "user-exists",
      "sspr-enabled",
      "user-in-scope",
      "methods-offered",
      "user-registered",
      "methods-sufficient",
      "admin-notifications",
      "writeback",
      "licence",
    ]);
    // The default tenant's Global Administrator has no mailbox: a warning, not a reason c.vogel cannot reset.
    expect(failing(diagnosis)).toEqual(["admin-notifications"]);
    expect(checkOf(diagnosis, "methods-sufficient").found).toBe(
      "usable for reset: Email, Mobile phone (2 of 2 required)",
    );
  });

  it('"SSPR portal shows not enabled": a user outside the Selected group; a member of a nested group is in', async () => {
    const outside = await doctor("s.keller@munyakazi.org", { passwordResetPolicies: selectedPilot() });
    expect(outside.canReset).toBe(false);
    expect(failing(outside)).toEqual(["user-in-scope", "admin-notifications"]);
    expect(checkOf(outside, "user-in-scope").found).toContain(
      "the user is not a member, directly or through a nested group",
    );
    // The fix names the scope as it is (Selected), never "must be All ..., not None" (issue 27).
    expect(checkOf(outside, "user-in-scope").fix).toBe(
      'Properties: Self service password reset enabled is Selected (group "Password reset pilot"): add the user to ' +
        'group "Password reset pilot" (or to a group nested in it), or set scope: all',
    );
    expect(checkOf(outside, "user-in-scope").fix).not.toMatch(/None|must be All/);
    // a.uwase is in Finance, which is nested in the pilot group.
    const nested = await doctor("a.uwase@munyakazi.org", { passwordResetPolicies: selectedPilot() });
    expect(nested.canReset).toBe(true);
    expect(checkOf(nested, "user-in-scope").found).toContain(
      "the user is a member (directly or through a nested group)",
    );
  });

  it('"SSPR portal shows not enabled": SSPR None', async () => {
    const none = await doctor("c.vogel@munyakazi.org", {
      passwordResetPolicies: { ...applied.passwordResetPolicies, enablementType: 0 },
    });
    expect(none.canReset).toBe(false);
    expect(checkOf(none, "sspr-enabled")).toMatchObject({ ok: false, fix: runbookFixes.enable });
  });

  it('"SSPR doesn\'t work" / "no recovery methods": an unregistered user', async () => {
    const diagnosis = await doctor("l.okafor@munyakazi.org");
    expect(diagnosis.canReset).toBe(false);
    expect(failing(diagnosis)).toEqual(["user-registered", "methods-sufficient", "admin-notifications"]);
    const registered = checkOf(diagnosis, "user-registered");
    expect(registered.fix).toContain(runbookFixes.register);
    expect(registered.fix).toContain(runbookFixes.addMethods);
  });

  it("one method registered when two are required", async () => {
    const diagnosis = await doctor("t.nkurunziza@munyakazi.org");
    expect(diagnosis.canReset).toBe(false);
    const sufficient = checkOf(diagnosis, "methods-sufficient");
    expect(sufficient.found).toBe("usable for reset: Mobile phone (1 of 2 required)");
    expect(sufficient.fix).toContain("register 1 more of the methods offered to the user (Email)");
  });

  it("only a method the policy does not offer to them", async () => {
    const diagnosis = await doctor("r.hoffmann@munyakazi.org");
    expect(diagnosis.canReset).toBe(false);
    expect(checkOf(diagnosis, "user-registered").ok).toBe(true);
    const sufficient = checkOf(diagnosis, "methods-sufficient");
    expect(sufficient.found).toBe(
      "usable for reset: none (0 of 2 required); registered but not offered to the user: Mobile app (Microsoft Authenticator)",
    );
    expect(sufficient.fix).toContain("methods.authenticatorApp: offer");
  });

  it('more methods offered than required reads "4 offered, 2 required", never "4 of the 2 required" (issue 27)', async () => {
    const methods = structuredClone(applied.authenticationMethodsPolicy);
    for (const configuration of methods.authenticationMethodConfigurations) {
      configuration.state = "enabled";
      configuration.includeTargets = [{ targetType: "group", id: "all_users", isRegistrationRequired: false }];
      configuration.excludeTargets = [];
    }
    const diagnosis = await doctor("c.vogel@munyakazi.org", { authenticationMethodsPolicy: methods });
    const offered = checkOf(diagnosis, "methods-offered");
    const [, have, required] = /(\d+) offered, (\d+) required/.exec(offered.found) ?? [];
    expect(Number(have)).toBeGreaterThan(Number(required));
    // The general rule, on every check of every shape: no "N of (the) M required" with N above M.
    for (const check of diagnosis.checks)
      for (const [, n, m] of check.found.matchAll(/(\d+) of (?:the )?(\d+) required/g))
        expect(Number(n)).toBeLessThanOrEqual(Number(m));
  });

  it("a method enabled for all users but excluding the user's group is not offered to them", async () => {
    const methods = structuredClone(applied.authenticationMethodsPolicy);
    for (const configuration of methods.authenticationMethodConfigurations)
      if (configuration.id === "Sms" || configuration.id === "Voice")
        configuration.excludeTargets = [{ targetType: "group", id: finance }];
    const diagnosis = await doctor("a.uwase@munyakazi.org", { authenticationMethodsPolicy: methods });
    expect(diagnosis.canReset).toBe(false);
    const offered = checkOf(diagnosis, "methods-offered");
    expect(offered.ok).toBe(false);
    expect(offered.found).toContain(`Mobile phone (Sms: the user is excluded (group ${finance})`);
    expect(offered.found).toContain("1 of the 2 required");
    // Someone outside Finance still gets both.
    expect((await doctor("c.vogel@munyakazi.org", { authenticationMethodsPolicy: methods })).canReset).toBe(true);
  });

  it('"Admin not getting notifications": an administrator without mail, and notifications off', async () => {
    const diagnosis = await doctor("j.mukamana@munyakazi.org");
    expect(diagnosis.isAdministrator).toBe(true);
    expect(diagnosis.canReset).toBe(true);
    const notifications = checkOf(diagnosis, "admin-notifications");
    expect(notifications.found).toBe(
      "Notify all admins when other admins reset their password: Yes; 3 administrators, 1 without a mail address: admin@munyakazi.org",
    );
    expect(notifications.fix).toContain(runbookFixes.notifications);
    const off = await doctor("j.mukamana@munyakazi.org", {
      passwordResetPolicies: { ...applied.passwordResetPolicies, notifyOnAdminPasswordReset: false },
      users: lab.seeded.users.map((entry) => ({ ...entry, mail: entry.mail ?? "it@munyakazi.org" })),
    });
    expect(checkOf(off, "admin-notifications")).toMatchObject({
      ok: false,
      found: "Notify all admins when other admins reset their password: No; 3 administrators, 0 without a mail address",
      fix: runbookFixes.notifications,
    });
  });

  it("administrators are judged by the administrator policy: two methods, never security questions", async () => {
    // Security questions on for users: the admin's registered questions do not count.
    const seed: TenantSeed = {
      passwordResetPolicies: { ...applied.passwordResetPolicies, securityQuestionsOptionEnabled: true },
      authenticationMethods: { ...lab.seeded.authenticationMethods, [String(user("e.habimana@munyakazi.org").id)]: [] },
      securityQuestionsRegistered: { [String(user("e.habimana@munyakazi.org").id)]: 5 },
    };
    const admin = await doctor("e.habimana@munyakazi.org", seed);
    expect(admin.isAdministrator).toBe(true);
    expect(admin.canReset).toBe(false);
    expect(checkOf(admin, "user-registered").ok).toBe(false);
    // admin@ registered the Authenticator app, which the methods policy does not offer: the admin policy does.
    const globalAdmin = await doctor("admin@munyakazi.org");
    expect(globalAdmin.canReset).toBe(true);
    const off = await doctor("admin@munyakazi.org", {
      authorizationPolicy: { ...applied.authorizationPolicy, allowedToUseSSPR: false },
    });
    expect(off.canReset).toBe(false);
    expect(checkOf(off, "sspr-enabled").found).toContain("allowedToUseSSPR false");
  });

  it("security questions count for users once as many are answered as the policy asks to register", async () => {
    const okafor = String(user("l.okafor@munyakazi.org").id);
    const portal = {
      ...applied.passwordResetPolicies,
      securityQuestionsOptionEnabled: true,
      numberOfQuestionsToRegister: 5,
    };
    const five = await doctor("l.okafor@munyakazi.org", {
      passwordResetPolicies: portal,
      securityQuestionsRegistered: { [okafor]: 5 },
    });
    expect(checkOf(five, "methods-sufficient").found).toBe("usable for reset: Security questions (1 of 2 required)");
    const three = await doctor("l.okafor@munyakazi.org", {
      passwordResetPolicies: portal,
      securityQuestionsRegistered: { [okafor]: 3 },
    });
    expect(checkOf(three, "user-registered").ok).toBe(false);
  });

  it('"Writeback to on-premises AD needed": a synced user', async () => {
    const vogel = String(user("c.vogel@munyakazi.org").id);
    const synced: TenantSeed = {
      users: lab.seeded.users.map((entry) => (entry.id === vogel ? { ...entry, onPremisesSyncEnabled: true } : entry)),
      organization: { ...lab.seeded.organization, onPremisesSyncEnabled: true },
    };
    const diagnosis = await doctor("c.vogel@munyakazi.org", synced);
    expect(diagnosis.canReset).toBe(false);
    const writeback = checkOf(diagnosis, "writeback");
    expect(writeback.found).toContain("synced from on-premises (onPremisesSyncEnabled true)");
    expect(writeback.fix).toContain(runbookFixes.writeback);
    const withWriteback = await doctor("c.vogel@munyakazi.org", {
      ...synced,
      onPremisesPasswordResetPolicies: { ...lab.seeded.onPremisesPasswordResetPolicies, enablementForTenant: true },
    });
    expect(checkOf(withWriteback, "writeback").ok).toBe(true);
    expect(withWriteback.canReset).toBe(true);
  });

  it("a user who does not exist, and a disabled account", async () => {
    const missing = await doctor("nobody@munyakazi.org");
    expect(missing.canReset).toBe(false);
    expect(checkOf(missing, "user-exists").found).toContain("no user nobody@munyakazi.org");
    const disabled = await doctor("c.vogel@munyakazi.org", {
      users: lab.seeded.users.map((entry) =>
        entry.userPrincipalName === "c.vogel@munyakazi.org" ? { ...entry, accountEnabled: false } : entry,
      ),
    });
    expect(checkOf(disabled, "user-exists").found).toContain("the account is disabled");
    expect(disabled.canReset).toBe(false);
  });

  it("a Selected group that does not exist (the real portal payload's redacted id) puts nobody in scope", async () => {
    const diagnosis = await doctor("c.vogel@munyakazi.org", {
      passwordResetPolicies: {
        ...applied.passwordResetPolicies,
        enablementType: 1,
        passwordResetEnabledGroupIds: ["GROUP"],
      },
    });
    expect(checkOf(diagnosis, "user-in-scope").found).toContain("that group does not exist in the directory");
  });
});

describe("licences and permissions are reported as such", () => {
  it("a free tenant: the licence warns, the report is refused, each user's methods are read instead", async () => {
    const diagnosis = await doctor("t.nkurunziza@munyakazi.org", { subscribedSkus: [] });
    expect(checkOf(diagnosis, "licence")).toMatchObject({ ok: false });
    expect(checkOf(diagnosis, "methods-sufficient").found).toBe("usable for reset: Mobile phone (1 of 2 required)");
    const batches = lab.emulator.requests().filter((entry) => entry.path === "/v1.0/$batch");
    expect(batches.map((entry) => entry.status)).toEqual([200]);
  });

  it("a missing permission makes the check unknown and the verdict undetermined, not 'not ready'", async () => {
    const token = graphAppToken([
      "Policy.Read.All",
      "User.Read.All",
      "GroupMember.Read.All",
      "RoleManagement.Read.Directory",
      "Organization.Read.All",
    ]);
    const credential = {
      getToken: async (scope: string | string[]) => ({
        token: String(scope).startsWith("74658136") ? portalUserToken() : token,
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    const client = createEntraClient(lab.target, { credential });
    const diagnosis = await doctor("l.okafor@munyakazi.org", {}, client);
    expect(diagnosis.canReset).toBe(false);
    expect(diagnosis.undetermined).toBe(true);
    const registered = checkOf(diagnosis, "user-registered");
    expect(registered.status).toBe("unknown");
    expect(registered.found).toContain("permission missing (needs UserAuthenticationMethod.Read.All)");
    expect(failing(diagnosis)).toEqual(["admin-notifications"]);
  });
});

describe("readiness: the whole tenant", () => {
  it("without the permissions to read registrations, everybody in scope is undetermined, nobody 'not ready'", async () => {
    const token = graphAppToken([
      "Policy.Read.All",
      "User.Read.All",
      "GroupMember.Read.All",
      "RoleManagement.Read.Directory",
      "Organization.Read.All",
    ]);
    const credential = {
      getToken: async (scope: string | string[]) => ({
        token: String(scope).startsWith("74658136") ? portalUserToken() : token,
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    seedApplied();
    const report = assessReadiness(
      await readTenantSnapshot(createEntraClient(lab.target, { credential }), lab.target.tenantId),
    );
    expect(report.counts).toMatchObject({ users: 23, inScope: 23, canReset: 0, cannotReset: 0, undetermined: 23 });
    expect(report.summary).toContain(
      "23 undetermined (the registration report: permission missing (needs AuditLog.Read.All); " +
        "the user's registered methods: permission missing (needs UserAuthenticationMethod.Read.All))",
    );
  });

  it("counts a seeded Selected tenant exactly, the same from the report and from the $batch fallback", async () => {
    const counts = {
      users: 23,
      // The pilot's four (c.vogel, and Finance's three through nesting) and the three two-gate administrators.
      inScope: 7,
      // Everyone but l.okafor, t.nkurunziza, k.schneider, r.hoffmann.
      registeredEnough: 19,
      capable: 6,
      canReset: 6,
      cannotReset: 17,
      undetermined: 0,
    };
    const licensed: TenantSeed = { passwordResetPolicies: selectedPilot() };
    seedApplied(licensed);
    const fromReport = assessReadiness(await readTenantSnapshot(createEntraClient(lab.target), lab.target.tenantId));
    expect(fromReport.registrationSource).toBe("report");
    expect(fromReport.counts).toEqual(counts);
    expect(fromReport.percentage).toBe(26);
    expect(fromReport.reasons.map((entry) => [entry.reason, entry.users.length])).toEqual([
      ["not registered", 1],
      ["not in the Selected group", 16],
    ]);
    expect(fromReport.summary).toMatch(
      /^6 of 23 staff can reset \(26%\): 3 of 20 users, 3 of 3 administrators \(by the administrator policy\); 17 cannot: not registered: l\.okafor@munyakazi\.org; not in the Selected group: /,
    );
    expect(fromReport.rows.filter((row) => row.canReset).map((row) => row.user)).toEqual([
      "admin@munyakazi.org",
      "c.vogel@munyakazi.org",
      "j.mukamana@munyakazi.org",
      "e.habimana@munyakazi.org",
      "a.uwase@munyakazi.org",
      "p.niyonzima@munyakazi.org",
    ]);

    seedApplied({ ...licensed, subscribedSkus: [] });
    const snapshot = await readTenantSnapshot(createEntraClient(lab.target), lab.target.tenantId);
    const fromMethods = assessReadiness(snapshot);
    expect(fromMethods.registrationSource).toBe("methods");
    expect(fromMethods.counts).toEqual(counts);
    // 23 users, 20 per $batch: 2 batch requests, and the report's refusal noted as a missing licence.
    expect(snapshot.batchRequests).toBe(2);
    expect(lab.emulator.requests().filter((entry) => entry.path === "/v1.0/$batch")).toHaveLength(2);
    expect(snapshot.problems).toEqual([
      expect.objectContaining({ what: "the registration report", kind: "licence", status: 403 }),
    ]);
  });

  it("never writes: only GETs and $batch posts of GETs reach the tenant", async () => {
    seedApplied({ subscribedSkus: [] });
    await readTenantSnapshot(createEntraClient(lab.target), lab.target.tenantId);
    const writes = lab.emulator.requests().filter(isWriteRequest);
    expect(writes).toEqual([]);
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });
});
