import type { SsprSettings } from "../../components/ssprArgs";
import { judgePlan } from "../../policy/baselineRule";
import {
  administratorsSspr,
  authenticatorForAll,
  baselineRules,
  methodGroupsExist,
  migrationComplete,
  noSecurityQuestions,
  notifyAdmins,
  notifyUsers,
  reconfirmNotNever,
  registerOnSignIn,
  registrationProtected,
  reportSuspiciousActivity,
  smsNotForSignIn,
  smsVoiceEmailOff,
  ssprEnabledForAll,
  twoMethodsRequired,
} from "../../policy/baselineRules";
import { resourceTypes, type PlannedResource } from "../../policy/plannedResource";
import { pilotGroupId, planFor, runPolicy } from "../support/policyArgs";
import { runbook } from "../support/runbook";

const withSettings = (changes: Partial<SsprSettings>): PlannedResource[] => planFor({ ...runbook, ...changes });

describe("the rules cover the reference's baseline rows", () => {
  it("has one rule per row, each with unique name and baseline ids", () => {
    expect(baselineRules).toHaveLength(15);
    expect(new Set(baselineRules.map((rule) => rule.name)).size).toBe(15);
    for (const rule of baselineRules) expect(rule.baselineIds.length).toBeGreaterThan(0);
    const ids = baselineRules.flatMap((rule) => rule.baselineIds).join(" ");
    for (const id of [
      "CIS M365 5.2.4.1",
      "CIS Azure 2.5",
      "CIS Azure 2.9",
      "CIS Azure 2.10",
      "CIS Azure 2.11",
      "CISA MS.AAD.3.3v2",
      "CISA MS.AAD.3.4v1",
      "CISA MS.AAD.3.5v2",
      "EIDSCA AP01",
      "EIDSCA AG01",
      "EIDSCA AG02",
      "EIDSCA AG03",
      "EIDSCA AS04",
      "ZTA 22072",
      "ZTA 21806",
      "Maester MT.1067",
    ]) {
      expect(ids).toContain(id);
    }
  });
});

// Each rule: a plan it passes, a plan it fails (or reports a conflict for), with the words the message must carry.
describe.each([
  {
    rule: ssprEnabledForAll,
    passing: planFor(runbook),
    failing: withSettings({ scope: "selected", group: { id: pilotGroupId } }),
    says: ["Self service password reset enabled is Selected", "CIS M365 5.2.4.1", "sspr:settings.scope: all"],
  },
  {
    rule: twoMethodsRequired,
    passing: planFor(runbook),
    failing: withSettings({ methodsRequired: 1 }),
    says: ["Number of methods required to reset is 1", "sspr:settings.methodsRequired: 2"],
  },
  {
    rule: reconfirmNotNever,
    passing: planFor(runbook),
    failing: withSettings({ registration: { requireOnSignIn: true, reconfirmDays: 0 } }),
    says: ["re-confirm their authentication information is 0 (never)", "reconfirmDays: 180"],
  },
  {
    rule: notifyUsers,
    passing: planFor(runbook),
    failing: withSettings({ notifications: { users: false, admins: true } }),
    says: ["Notify users on password resets is No", "sspr:settings.notifications.users: true"],
  },
  {
    rule: notifyAdmins,
    passing: planFor(runbook),
    failing: withSettings({ notifications: { users: true, admins: false } }),
    says: ["Notify all admins when other admins reset their password is No", "CIS Azure 1.10/2.11/5.11"],
  },
  {
    rule: registerOnSignIn,
    passing: planFor(runbook),
    failing: withSettings({ registration: { requireOnSignIn: false, reconfirmDays: 180 } }),
    says: ["Require users to register when signing in is No"],
  },
  {
    rule: noSecurityQuestions,
    passing: planFor(runbook),
    failing: withSettings({ methods: { ...runbook.methods, securityQuestions: { register: 3, reset: 3 } } }),
    says: ["Security questions are on", "ZTA 22072", "March 2027", "securityQuestions: false"],
  },
  {
    rule: migrationComplete,
    passing: withSettings({ methodsPolicy: { migrationState: "migrationComplete" } }),
    failing: [{ type: resourceTypes.methodsPolicy, name: "p", props: { migrationState: "migrationInProgress" } }],
    says: ['Manage migration is "migrationInProgress"', "CISA MS.AAD.3.4v1", "Migration Complete"],
  },
  {
    rule: smsNotForSignIn,
    passing: planFor(runbook),
    failing: [
      {
        type: resourceTypes.methodConfiguration,
        name: "sms",
        props: { methodId: "Sms", state: "enabled", includeTargets: [{ id: "all_users", isUsableForSignIn: true }] },
      },
    ],
    says: ["SMS Use for sign-in is on for all_users", "EIDSCA AS04"],
  },
  {
    rule: authenticatorForAll,
    passing: withSettings({ methods: { ...runbook.methods, authenticatorApp: true } }),
    failing: planFor({
      ...runbook,
      scope: "selected",
      group: { id: pilotGroupId },
      methods: { authenticatorApp: true },
    }),
    says: ["it targets a group, not All users", "CISA MS.AAD.3.3v2"],
  },
  {
    rule: reportSuspiciousActivity,
    passing: [
      {
        type: resourceTypes.methodsPolicy,
        name: "p",
        props: {
          reportSuspiciousActivity: { state: "enabled", includeTarget: { targetType: "group", id: "all_users" } },
        },
      },
    ],
    failing: [
      {
        type: resourceTypes.methodsPolicy,
        name: "p",
        props: {
          reportSuspiciousActivity: { state: "disabled", includeTarget: { targetType: "group", id: "all_users" } },
        },
      },
    ],
    says: ['Report suspicious activity is "disabled"', "EIDSCA AG02/AG03", "Target: All users"],
  },
])("$rule.name", ({ rule, passing, failing, says }) => {
  it("reports nothing for a compliant plan", async () => {
    expect(await runPolicy(rule, passing)).toEqual({ violations: [], notApplicable: [] });
    expect(judgePlan(rule, passing).status).toBe("pass");
  });

  it("reports a violation naming the baseline, the setting, the value and the fix", async () => {
    const { violations } = await runPolicy(rule, failing);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(`[${rule.baselineIds.join(", ")}]`);
    for (const words of says) expect(violations[0]).toContain(words);
    expect(judgePlan(rule, failing).status).toBe("fail");
  });
});

describe("settings the stack leaves to the tenant", () => {
  it("are not applicable, through CrossGuard's notApplicable, naming the config key", async () => {
    const plan = planFor({ scope: "none" });
    const run = await runPolicy(twoMethodsRequired, plan);
    expect(run.violations).toEqual([]);
    expect(run.notApplicable).toEqual([
      "Number of methods required to reset is not set by this stack (sspr:settings.methodsRequired absent), so " +
        "the tenant's value decides",
    ]);
    expect(judgePlan(migrationComplete, plan)).toEqual({
      status: "not-applicable",
      message: expect.stringContaining("sspr:settings.methodsPolicy absent"),
    });
    expect(judgePlan(authenticatorForAll, planFor(runbook)).status).toBe("not-applicable");
    // Enabled through the stack config, target left to the tenant.
    const reportEnabled = planFor({ ...runbook, reportSuspiciousActivity: { state: "enabled" } });
    expect(judgePlan(reportSuspiciousActivity, reportEnabled)).toEqual({
      status: "not-applicable",
      message: expect.stringContaining("reportSuspiciousActivity.target: all"),
    });
    const reportForAll = planFor({ ...runbook, reportSuspiciousActivity: { state: "enabled", target: "all" } });
    expect(judgePlan(reportSuspiciousActivity, reportForAll).status).toBe("pass");
  });

  it("never judges a resource of another type or another method", async () => {
    const email = planFor(runbook).filter((resource) => resource.props.methodId === "Email");
    expect(await runPolicy(smsNotForSignIn, email)).toEqual({ violations: [], notApplicable: [] });
    expect(await runPolicy(ssprEnabledForAll, email)).toEqual({ violations: [], notApplicable: [] });
  });
});

describe("conflicts are reported as conflicts", () => {
  it("SMS, Voice and Email offered for SSPR: CISA and CIS against the runbook, with what would be left", async () => {
    const { violations } = await runPolicy(smsVoiceEmailOff, planFor(runbook));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^\[CISA MS\.AAD\.3\.5v2, CIS M365 5\.2\.3\.5, CIS M365 5\.2\.3\.7\] Conflict/);
    expect(violations[0]).toContain("Email OTP, SMS, Voice call are offered for password reset");
    expect(violations[0]).toContain("leaves password reset with no method this stack offers");
    expect(violations[0]).toContain("Number of methods required to reset is 2");
    // What disabling costs beyond reset, method by method: SMS and Voice are second factors; Email is not.
    expect(violations[0]).toContain("which also takes SMS and Voice call away as a second factor (MFA)");
    expect(violations[0]).not.toMatch(/Email OTP[^.]* away as a second factor|MFA sign-in/);
    expect(judgePlan(smsVoiceEmailOff, planFor(runbook)).status).toBe("conflict");

    const withAuthenticator = withSettings({ methods: { ...runbook.methods, authenticatorApp: true } });
    expect(judgePlan(smsVoiceEmailOff, withAuthenticator).message).toContain("Microsoft Authenticator only");
  });

  it("passes when all three are disabled, fails when one is on although SSPR is off", async () => {
    const off = withSettings({
      methods: { email: "disable", mobilePhone: "disable", authenticatorApp: true },
      methodsRequired: 1,
    });
    expect(await runPolicy(smsVoiceEmailOff, off)).toEqual({ violations: [], notApplicable: [] });
    const unused: PlannedResource[] = [
      { type: resourceTypes.passwordResetPolicy, name: "p", props: { enablement: "none" } },
      { type: resourceTypes.methodConfiguration, name: "e", props: { methodId: "Email", state: "enabled" } },
    ];
    const { violations } = await runPolicy(smsVoiceEmailOff, unused);
    expect(violations).toEqual([expect.stringContaining("Email OTP turned on although password reset does not use")]);
    expect(judgePlan(smsVoiceEmailOff, unused).status).toBe("fail");
  });

  it("administrators' SSPR is a conflict on, off and unmanaged, each naming both sides", async () => {
    for (const [allowed, words] of [
      [false, "Password reset for administrators is off"],
      [true, "Password reset for administrators is on"],
      [undefined, "not managed by this stack"],
    ] as const) {
      const plan = withSettings(allowed === undefined ? {} : { administrators: { allowed } });
      const { violations } = await runPolicy(administratorsSspr, plan);
      expect(violations).toHaveLength(1);
      expect(violations[0]).toContain("Conflict between baselines");
      expect(violations[0]).toContain(words);
      expect(violations[0]).toContain("EIDSCA AP01 and ZTA 21842 ask for off");
      expect(violations[0]).toContain("ScubaGear issue #284");
    }
  });
});

describe("stack rules that look across resources", () => {
  it("registration protection passes only with a Conditional Access policy on the user action", async () => {
    const policy: PlannedResource = {
      type: resourceTypes.conditionalAccessPolicy,
      name: "register-security-info",
      props: { conditions: { applications: { includedUserActions: ["urn:user:registersecurityinfo"] } } },
    };
    expect(await runPolicy(registrationProtected, [...planFor(runbook), policy])).toEqual({
      violations: [],
      notApplicable: [],
    });
    const run = await runPolicy(registrationProtected, planFor(runbook));
    expect(run.notApplicable).toEqual([expect.stringContaining("Register security information")]);
  });

  it("method groups: all_users and stack-created groups pass; another group cannot be shown to exist", async () => {
    expect(judgePlan(methodGroupsExist, planFor(runbook)).status).toBe("pass");
    const pilot = planFor({ ...runbook, scope: "selected", group: { displayName: "SSPR Pilot" } });
    const created: PlannedResource = {
      type: resourceTypes.group,
      name: "sspr-pilot-group",
      props: { displayName: "SSPR Pilot", objectId: pilotGroupId },
    };
    expect(await runPolicy(methodGroupsExist, [...pilot, created])).toEqual({ violations: [], notApplicable: [] });
    const run = await runPolicy(methodGroupsExist, pilot);
    expect(run.notApplicable).toEqual([
      expect.stringContaining(`${pilotGroupId} (Email include, Sms include, Voice include, SSPR scope)`),
    ]);
  });
});
