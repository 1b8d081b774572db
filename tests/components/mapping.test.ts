import { configLockoutWarnings } from "../../components/lockoutGuards";
import type { SsprMethods, SsprSettings } from "../../components/ssprArgs";
import {
  adminCenterSettings,
  administratorSettings,
  authenticatorFeatureSettings,
  helpdeskSettings,
  includeTargets,
  memberObjectIds,
  methodChildren,
  methodConfigurationSettings,
  methodTargetId,
  methodsPolicySettings,
  missingMembers,
  onDeleteFor,
  passwordResetPolicySettings,
  securityQuestionsSettings,
  settingsWarnings,
  disabledConfigurations,
} from "../../components/mapping";
import { runbook } from "../support/runbook";

const pilotGroupId = "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d";

describe("passwordResetPolicySettings", () => {
  it("maps the runbook; no group, no legacy method switches, and the helpdesk link it does not name left alone", () => {
    expect(passwordResetPolicySettings(runbook)).toEqual({
      enablement: "all",
      methodsRequired: 2,
      securityQuestions: { enabled: false },
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: true },
    });
  });

  it("selected carries the group id", () => {
    const settings: SsprSettings = { ...runbook, scope: "selected", group: { id: pilotGroupId } };
    expect(passwordResetPolicySettings(settings, pilotGroupId)).toMatchObject({
      enablement: "selected",
      groupId: pilotGroupId,
    });
  });

  it("selected without a group id is a programming error, not a silent 'all'", () => {
    expect(() => passwordResetPolicySettings({ ...runbook, scope: "selected" })).toThrow(/pilot group's id/);
  });

  it("a group id is ignored outside scope selected", () => {
    expect(passwordResetPolicySettings(runbook, pilotGroupId)).not.toHaveProperty("groupId");
  });

  it("none owns the enablement only when nothing else is given", () => {
    expect(passwordResetPolicySettings({ scope: "none" })).toEqual({ enablement: "none" });
  });

  it("security questions absent are not owned", () => {
    const settings: SsprSettings = { ...runbook, methods: { email: true, mobilePhone: true } };
    expect(passwordResetPolicySettings(settings)).not.toHaveProperty("securityQuestions");
  });
});

describe("small mappings", () => {
  it("securityQuestionsSettings", () => {
    expect(securityQuestionsSettings(undefined)).toBeUndefined();
    expect(securityQuestionsSettings(false)).toEqual({ enabled: false });
    expect(securityQuestionsSettings({ register: 5, reset: 3 })).toEqual({ enabled: true, register: 5, reset: 3 });
  });

  it("helpdeskSettings", () => {
    expect(helpdeskSettings(undefined)).toBeUndefined();
    expect(helpdeskSettings(false)).toEqual({ customize: false, emailOrUrl: "" });
    expect(helpdeskSettings("https://support.example.org")).toEqual({
      customize: true,
      emailOrUrl: "https://support.example.org",
    });
  });

  it("methodTargetId: all users, or the pilot group", () => {
    expect(methodTargetId("all", pilotGroupId)).toBe("all_users");
    expect(methodTargetId("selected", pilotGroupId)).toBe(pilotGroupId);
  });

  it("administratorSettings: absent leaves the admin policy alone", () => {
    expect(administratorSettings(undefined)).toBeUndefined();
    expect(administratorSettings({ allowed: false })).toEqual({ allowedToUseSSPR: false });
    expect(administratorSettings({ allowed: true })).toEqual({ allowedToUseSSPR: true });
  });

  it("methodsPolicySettings: absent leaves the migration state alone", () => {
    expect(methodsPolicySettings(undefined)).toBeUndefined();
    expect(methodsPolicySettings({ migrationState: "migrationComplete" })).toEqual({
      migrationState: "migrationComplete",
    });
  });

  it("onDeleteFor: restore unless told to retain", () => {
    expect(onDeleteFor(undefined)).toBe("restore");
    expect(onDeleteFor("restore")).toBe("restore");
    expect(onDeleteFor("retain")).toBe("retain");
  });
});

describe("methodChildren", () => {
  const settingsFor = (methods: SsprSettings["methods"] & object, target = "all_users") =>
    Object.fromEntries(
      methodChildren(methods).map((child) => [child.suffix, methodConfigurationSettings(child, target)]),
    );

  it("the runbook: email -> Email; mobile phone -> Sms (not for sign-in) and Voice; all added to all_users", () => {
    expect(settingsFor(runbook.methods ?? {})).toEqual({
      email: {
        methodId: "Email",
        state: "enabled",
        includeTargetsMode: "add",
        includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
      },
      sms: {
        methodId: "Sms",
        state: "enabled",
        includeTargetsMode: "add",
        includeTargets: [
          { targetType: "group", id: "all_users", isRegistrationRequired: false, isUsableForSignIn: false },
        ],
      },
      voice: {
        methodId: "Voice",
        state: "enabled",
        includeTargetsMode: "add",
        includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
      },
    });
  });

  it("false and absent manage nothing", () => {
    expect(methodChildren({})).toEqual([]);
    expect(methodChildren({ email: false, mobilePhone: false, officePhone: false, authenticatorApp: false })).toEqual(
      [],
    );
  });

  it("office phone alone -> Voice with office phone allowed, added to the pilot group", () => {
    expect(settingsFor({ officePhone: true }, pilotGroupId)).toEqual({
      voice: {
        methodId: "Voice",
        state: "enabled",
        includeTargetsMode: "add",
        properties: { isOfficePhoneAllowed: true },
        includeTargets: [{ targetType: "group", id: pilotGroupId, isRegistrationRequired: false }],
      },
    });
  });

  it("mobile and office phone share one Voice child", () => {
    const children = methodChildren({ mobilePhone: true, officePhone: true });
    expect(children.map((child) => child.suffix)).toEqual(["sms", "voice"]);
    expect(children[1].settings).toEqual({
      methodId: "Voice",
      state: "enabled",
      includeTargetsMode: "add",
      properties: { isOfficePhoneAllowed: true },
    });
  });

  it("Authenticator -> MicrosoftAuthenticator with app name and location shown to everyone", () => {
    expect(settingsFor({ authenticatorApp: true })).toEqual({
      "microsoft-authenticator": {
        methodId: "MicrosoftAuthenticator",
        state: "enabled",
        includeTargetsMode: "add",
        properties: { featureSettings: authenticatorFeatureSettings },
        includeTargets: [
          { targetType: "group", id: "all_users", isRegistrationRequired: false, authenticationMode: "any" },
        ],
      },
    });
    expect(authenticatorFeatureSettings.displayLocationInformationRequiredState).toEqual({
      state: "enabled",
      includeTarget: { targetType: "group", id: "all_users" },
      excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" },
    });
    expect(authenticatorFeatureSettings.displayAppInformationRequiredState).toEqual(
      authenticatorFeatureSettings.displayLocationInformationRequiredState,
    );
  });

  it('"disable" turns a method off and adds no target', () => {
    expect(settingsFor({ email: "disable", authenticatorApp: "disable" })).toEqual({
      email: { methodId: "Email", state: "disabled", includeTargetsMode: "add" },
      "microsoft-authenticator": { methodId: "MicrosoftAuthenticator", state: "disabled", includeTargetsMode: "add" },
    });
  });

  it.each([
    // mobilePhone, officePhone, expected Voice child settings (undefined: no Voice child)
    [true, false, { state: "enabled" }, true],
    [true, "disable", { state: "enabled", properties: { isOfficePhoneAllowed: false } }, true],
    [false, "disable", { properties: { isOfficePhoneAllowed: false } }, false],
    ["disable", true, { state: "enabled", properties: { isOfficePhoneAllowed: true } }, true],
    ["disable", false, { state: "disabled" }, false],
    ["disable", "disable", { state: "disabled", properties: { isOfficePhoneAllowed: false } }, false],
  ] as const)("Voice for mobilePhone %p and officePhone %p", (mobilePhone, officePhone, expected, addsTarget) => {
    const voice = methodChildren({ mobilePhone, officePhone }).find((child) => child.suffix === "voice");
    expect(voice?.settings).toEqual({ methodId: "Voice", includeTargetsMode: "add", ...expected });
    expect(voice && includeTargets(voice, "all_users") !== undefined).toBe(addsTarget);
  });

  it("the Sms child follows mobile phone only", () => {
    expect(methodChildren({ officePhone: true }).map((child) => child.suffix)).toEqual(["voice"]);
    expect(methodChildren({ mobilePhone: "disable" }).find((child) => child.suffix === "sms")?.settings).toEqual({
      methodId: "Sms",
      state: "disabled",
      includeTargetsMode: "add",
    });
  });
});

describe("pilot group members", () => {
  const directory = [
    { userPrincipalName: "C.Vogel@munyakazi.org", objectId: "11111111-1111-1111-1111-111111111111" },
    { userPrincipalName: "a.okafor@munyakazi.org", objectId: "22222222-2222-2222-2222-222222222222" },
  ];

  it("resolves object ids in the order given, case-insensitively", () => {
    expect(memberObjectIds(["a.okafor@munyakazi.org", "c.vogel@munyakazi.org"], directory, "munyakazi.org")).toEqual([
      "22222222-2222-2222-2222-222222222222",
      "11111111-1111-1111-1111-111111111111",
    ]);
  });

  it("names every missing member in one error", () => {
    const wanted = ["c.vogel@munyakazi.org", "x.missing@munyakazi.org", "y.missing@munyakazi.org"];
    expect(missingMembers(wanted, directory)).toEqual(["x.missing@munyakazi.org", "y.missing@munyakazi.org"]);
    expect(() => memberObjectIds(wanted, directory, "munyakazi.org")).toThrow(
      "sspr:settings.group.members: users must exist before the pilot: x.missing@munyakazi.org, " +
        "y.missing@munyakazi.org not found in tenant munyakazi.org. Create the users first, or correct the user principal names.",
    );
  });
});

describe("adminCenterSettings", () => {
  it("the runbook in admin-center words", () => {
    expect(adminCenterSettings(runbook)).toEqual({
      "Self service password reset enabled": "All",
      "Number of methods required to reset": 2,
      "Methods available to users": ["Email", "Mobile phone"],
      "Require users to register when signing in": "Yes",
      "Number of days before users are asked to re-confirm their authentication information": 180,
      "Notify users on password resets": "Yes",
      "Notify all admins when other admins reset their password": "Yes",
    });
  });

  it("the pilot, security questions, helpdesk, administrators and migration", () => {
    const settings: SsprSettings = {
      ...runbook,
      scope: "selected",
      group: { displayName: "SSPR Pilot", members: ["c.vogel@munyakazi.org"] },
      methods: { authenticatorApp: true, securityQuestions: { register: 4, reset: 3 } },
      notifications: { users: true, admins: false },
      helpdesk: "https://support.example.org",
      administrators: { allowed: false },
      methodsPolicy: { migrationState: "migrationComplete" },
    };
    expect(adminCenterSettings(settings)).toMatchObject({
      "Self service password reset enabled": "Selected",
      "Selected group": "SSPR Pilot",
      "Methods available to users": ["Mobile app (Microsoft Authenticator)", "Security questions"],
      "Number of questions required to register": 4,
      "Number of questions required to reset": 3,
      "Notify all admins when other admins reset their password": "No",
      "Customize helpdesk link": "Yes",
      "Custom helpdesk email or URL": "https://support.example.org",
      "Administrators can reset their own password": "No",
      "Manage migration": "Migration Complete",
    });
  });

  it("an existing group reads by its name where the lookup found it, else by its id", () => {
    const id = "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d";
    const settings: SsprSettings = { ...runbook, scope: "selected", group: { id } };
    expect(adminCenterSettings(settings, "Finance")["Selected group"]).toBe(`Finance (group ${id})`);
    expect(adminCenterSettings(settings)["Selected group"]).toBe(id);
  });

  it("none lists no methods", () => {
    expect(adminCenterSettings({ scope: "none", methods: { email: true }, helpdesk: false })).toEqual({
      "Self service password reset enabled": "None",
      "Customize helpdesk link": "No",
    });
  });
});

describe("settingsWarnings", () => {
  it("the runbook warrants none", () => {
    expect(settingsWarnings(runbook)).toEqual([]);
  });

  it("security questions: retirement and no admins (warned by the lockout guards, components/lockoutGuards.ts)", () => {
    const settings = { ...runbook, methods: { email: true, securityQuestions: { register: 3, reset: 3 } } };
    expect(settingsWarnings(settings)).toEqual([]);
    expect(configLockoutWarnings(settings, new Date("2026-11-27T00:00:00Z"))).toContainEqual(
      expect.stringMatching(/retire in March 2027.*administrators can never use them/),
    );
  });

  it('"disable" warns who loses the method, for every purpose it serves; office phone keeps voice on', () => {
    const warnings = settingsWarnings({
      ...runbook,
      methods: { email: true, mobilePhone: "disable", officePhone: true },
    });
    // One warning, saying both what goes off and what stays on (issue 27: two warnings contradicted each other).
    expect(warnings).toEqual([
      "Mobile phone (SMS and voice) is only partly turned off: Sms goes off in the authentication methods policy, and " +
        "everyone it reached can no longer use it to reset their password (SSPR) or as a second factor (MFA); Voice " +
        "stays on for Office phone (methods.officePhone: offer) and still reaches Mobile phone (SMS and voice).",
    ]);
  });

  it('the general rule: a "disable" warning says "is turned off" only of configurations that really go off', () => {
    const choices = [true, false, "disable", undefined] as const;
    for (const mobilePhone of choices)
      for (const officePhone of choices) {
        const methods = { email: true, mobilePhone, officePhone } as SsprMethods;
        const warnings = settingsWarnings({ ...runbook, methods });
        const children = methodChildren(methods);
        for (const key of ["mobilePhone", "officePhone"] as const) {
          if (methods[key] !== "disable") continue;
          const words = key === "mobilePhone" ? "Mobile phone (SMS and voice)" : "Office phone";
          const about = warnings.filter((warning) => warning.startsWith(words));
          expect(about).toHaveLength(1);
          const { kept } = disabledConfigurations(key, children);
          // "is turned off ... everyone it reached" only when nothing of it stays on; otherwise what stays is named.
          if (kept.length > 0) {
            expect(about[0]).not.toContain(`${words} is turned off`);
            for (const id of kept) expect(about[0]).toContain(`${id} stays on`);
            // ... and it is true: the configuration kept is on in what the stack writes.
            for (const id of kept)
              expect(children.find((child) => child.settings.methodId === id)?.settings.state).not.toBe("disabled");
          }
        }
        expect(warnings.join(" ")).not.toContain("Office phone keeps the Voice method on");
      }
  });

  it('"disable" of Email names password reset only: Email is no second factor for members', () => {
    expect(settingsWarnings({ ...runbook, methods: { email: "disable", mobilePhone: true } })).toEqual([
      "Email is turned off in the authentication methods policy: everyone it reached can no longer use it to reset " +
        "their password (SSPR).",
    ]);
  });

  it("scope none applies no method, so it warns about none", () => {
    expect(settingsWarnings({ scope: "none", methods: { email: "disable" } })).toEqual([]);
  });
});
