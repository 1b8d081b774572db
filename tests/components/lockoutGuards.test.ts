import { parseStackConfig } from "../../components/config";
import type { SsprSettings } from "../../components/ssprArgs";
import {
  configLockoutProblems,
  configLockoutWarnings,
  tenantLockoutWarnings,
  type LockoutFacts,
} from "../../components/lockoutGuards";
import { runbook } from "../support/runbook";

const before = new Date("2027-02-28T23:59:59Z");
const retired = new Date("2027-03-01T00:00:00Z");
const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const contractors = "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d";

const withQuestions: SsprSettings = {
  ...runbook,
  methodsRequired: 1,
  methods: { email: true, securityQuestions: { register: 3, reset: 3 } },
};

describe("security questions and their retirement (injectable clock)", () => {
  it("before 1 March 2027: a warning that names the date and the fix", () => {
    expect(configLockoutProblems(withQuestions, [], before)).toEqual([]);
    expect(configLockoutWarnings(withQuestions, before)).toContainEqual(
      expect.stringMatching(
        /from 1 March 2027 .*sspr:settings\.methods\.securityQuestions.*Fix: Password reset > Authentication methods/,
      ),
    );
  });

  it("on or after 1 March 2027: an error before any request, naming the setting, the value and the fix", () => {
    const raw = {
      tenantId: "munyakazi.org",
      sspr: { ...withQuestions },
    };
    expect(parseStackConfig(raw, before).ok).toBe(true);
    expect(parseStackConfig(raw, retired)).toEqual({
      ok: false,
      problems: [
        'sspr:settings.methods.securityQuestions: {"register":3,"reset":3} is not allowed; expected false: ' +
          "security questions retired on 1 March 2027 (https://admin.microsoft.com/#/MessageCenter/:/messages/MC1234564; " +
          "https://learn.microsoft.com/entra/identity/authentication/concept-authentication-security-questions) and can no longer be offered. " +
          "Fix: Password reset > Authentication methods > clear Security questions and offer another method " +
          "(methods.securityQuestions: false)",
      ],
    });
    expect(configLockoutWarnings(withQuestions, retired).join(" ")).not.toContain("from 1 March 2027");
    // The runbook's phones count after 1 February 2027 only with the tenant's own telephony provider.
    expect(configLockoutProblems({ ...runbook, ownTelephonyProvider: true }, [], retired)).toEqual([]);
    expect(configLockoutProblems({ ...runbook }, [], retired).map((problem) => problem.path)).toEqual([
      ["methodsRequired"],
    ]);
  });
});

describe("administrators", () => {
  it("warns when security questions are administrators' only way to two methods", () => {
    const warnings = configLockoutWarnings(withQuestions, before);
    expect(warnings).toContainEqual(
      expect.stringContaining(
        "Security questions are the only way for administrators to reach the two methods their reset requires: " +
          "sspr:settings.methods offers only Email besides Security questions",
      ),
    );
    const enough = {
      ...withQuestions,
      methods: { ...withQuestions.methods, mobilePhone: true, authenticatorApp: true },
    };
    expect(configLockoutWarnings(enough, before).join(" ")).not.toContain("only way for administrators");
    const adminsOff = { ...withQuestions, administrators: { allowed: false } };
    expect(configLockoutWarnings(adminsOff, before).join(" ")).not.toContain("only way for administrators");
  });

  it("warns when administrators' SSPR is off while scope All includes them", () => {
    expect(configLockoutWarnings({ ...runbook, administrators: { allowed: false } }, before)).toEqual([
      expect.stringMatching(
        /^Password reset for administrators is off \(sspr:settings\.administrators\.allowed: false\) while Self service password reset enabled is All/,
      ),
    ]);
    expect(configLockoutWarnings(runbook, before)).toEqual([]);
  });
});

const facts = (changes: Partial<LockoutFacts> = {}): LockoutFacts => ({
  migrationState: null,
  methods: [
    { id: "Email", state: "enabled", includeTargets: [{ id: "all_users" }], excludeTargets: [] },
    {
      id: "Sms",
      state: "enabled",
      includeTargets: [{ id: "all_users", targetType: "group", isUsableForSignIn: false }],
      excludeTargets: [],
    },
    { id: "Voice", state: "enabled", includeTargets: [], excludeTargets: [] },
  ],
  legacySwitches: {},
  groups: {},
  ...changes,
});

describe("guards that need the tenant", () => {
  it("say nothing for a tenant without exclusions, SMS sign-in or pending migration", () => {
    expect(tenantLockoutWarnings(runbook, facts())).toEqual([]);
  });

  it("warn when an offered method excludes a group partly in the SSPR scope, with its name and count", () => {
    const excluding = facts({
      methods: [{ id: "Email", state: "enabled", excludeTargets: [{ id: contractors, targetType: "group" }] }],
      groups: {
        [contractors]: { displayName: "Contractors", members: ["u1", "u2", "u3"] },
        [pilot]: { displayName: "Password reset pilot", members: ["u2", "u9"] },
      },
    });
    expect(tenantLockoutWarnings(runbook, excluding)).toEqual([
      'Email: the authentication methods policy excludes group "Contractors" (3 of its members in the SSPR scope), ' +
        "so they cannot use Email to reset their password although sspr:settings.methods offers it. Fix: " +
        "Authentication methods > Email > Exclude: remove the group, or make sure its members have enough other " +
        "methods.",
    ]);
    const selected: SsprSettings = { ...runbook, scope: "selected", group: { id: pilot } };
    expect(tenantLockoutWarnings(selected, { ...excluding, scopeGroupId: pilot })).toEqual([
      expect.stringContaining('excludes group "Contractors" (1 of its members in the SSPR scope)'),
    ]);
    const outside = { ...excluding, groups: { ...excluding.groups, [pilot]: { displayName: "p", members: ["u9"] } } };
    expect(tenantLockoutWarnings(selected, { ...outside, scopeGroupId: pilot })).toEqual([]);
    // A method the stack does not offer is not SSPR's concern.
    expect(tenantLockoutWarnings({ ...runbook, methods: { mobilePhone: true } }, excluding)).toEqual([]);
  });

  it("warn when administrators' SSPR is off while administrators are in the Selected group", () => {
    const selected: SsprSettings = {
      ...runbook,
      scope: "selected",
      group: { id: pilot },
      administrators: { allowed: false },
    };
    const withAdmins = facts({
      scopeGroupId: pilot,
      groups: { [pilot]: { displayName: "Password reset pilot", members: ["u1", "a1", "a2"] } },
      administrators: ["a1", "a2", "a3"],
    });
    expect(tenantLockoutWarnings(selected, withAdmins)).toEqual([
      expect.stringContaining('while 2 administrators are members of the SSPR group "Password reset pilot"'),
    ]);
    expect(tenantLockoutWarnings({ ...selected, administrators: { allowed: true } }, withAdmins)).toEqual([]);
    expect(tenantLockoutWarnings(selected, { ...withAdmins, administrators: ["a3"] })).toEqual([]);
  });

  it("warn about SMS targets usable for sign-in", () => {
    const signIn = facts({
      methods: [
        {
          id: "Sms",
          state: "enabled",
          includeTargets: [{ id: "all_users", targetType: "group", isUsableForSignIn: true }],
        },
      ],
    });
    expect(tenantLockoutWarnings(runbook, signIn)).toEqual([
      expect.stringMatching(
        /^SMS is usable for sign-in for All users \(Authentication methods > SMS: Use for sign-in on\).*Fix: Authentication methods > SMS > Configure > Use for sign-in: off/,
      ),
    ]);
  });

  it("name the legacy switches that still decide before and during the migration", () => {
    const legacySwitches = {
      emailOptionEnabled: true,
      mobilePhoneOptionEnabled: false,
      securityQuestionsOptionEnabled: true,
    };
    expect(tenantLockoutWarnings(runbook, facts({ migrationState: "preMigration", legacySwitches }))).toEqual([
      expect.stringContaining(
        "password reset still uses only the legacy Password reset > Authentication methods switches (on: Email, " +
          "Security questions)",
      ),
    ]);
    expect(tenantLockoutWarnings(runbook, facts({ migrationState: "migrationInProgress", legacySwitches }))).toEqual([
      expect.stringContaining("Migration In Progress"),
    ]);
    expect(tenantLockoutWarnings(runbook, facts({ migrationState: "migrationComplete", legacySwitches }))).toEqual([]);
  });
});
