import { startEmulator } from "../../../emulator/server";
import {
  describeSsprSettings,
  describeTargets,
  diffSsprSettings,
  formatSettingChanges,
  formatSsprSettings,
  readTenantSettings,
  type ReportLine,
  type SsprSettingsReport,
} from "../../../scripts/rehearse/tenantReport";
import { emulatorEndpoints } from "../../support/emulator";
import { loadFixture } from "../../support/fixtures";

type Json = Record<string, unknown>;

const portalFixture = (): Json => loadFixture("portal-password-reset-policies.get.json");
const graphFixture = (): Json => loadFixture("graph-authentication-methods-policy.get.json");

/** The fixture's method list with one configuration replaced or added. */
function withMethod(policy: Json, configuration: Json): Json {
  const others = (policy.authenticationMethodConfigurations as Json[]).filter((c) => c.id !== configuration.id);
  return { ...policy, authenticationMethodConfigurations: [...others, configuration] };
}

const value = (report: SsprSettingsReport, setting: string): string | undefined =>
  report.lines.find((line) => line.setting === setting)?.value;

describe("describeSsprSettings", () => {
  it("describes the shared fixtures line by line in admin-center words (methods from the Graph policy)", () => {
    const report = describeSsprSettings(portalFixture(), graphFixture(), { allowedToUseSSPR: false });
    expect(report.methodsSource).toBe("authenticationMethodsPolicy");
    const expected: ReportLine[] = [
      { section: "Properties", setting: "Self service password reset enabled", value: "Selected: mndz (group GROUP)" },
      { section: "Authentication methods", setting: "Number of methods required to reset", value: "1" },
      { section: "Authentication methods", setting: "Methods available to users", value: "Mobile phone" },
      {
        section: "Authentication methods",
        setting: "Methods decided by",
        value:
          "Authentication methods policy (Microsoft reports no migration state, as for new tenants: the legacy SSPR " +
          "method settings no longer apply)",
      },
      { section: "Authentication methods", setting: "Mobile app notification", value: "Off" },
      { section: "Authentication methods", setting: "Mobile app code", value: "Off" },
      // The fixture's Email is enabled with no include targets: nobody can use it.
      { section: "Authentication methods", setting: "Email", value: "Enabled, but no users are targeted" },
      // Sms enabled for all users; the fixture has no Voice configuration at all.
      {
        section: "Authentication methods",
        setting: "Mobile phone",
        value: "Text only, for all users (voice calls: off)",
      },
      { section: "Authentication methods", setting: "Office phone", value: "Off" },
      { section: "Authentication methods", setting: "Security questions", value: "Off" },
      { section: "Registration", setting: "Require users to register when signing in", value: "Yes" },
      {
        section: "Registration",
        setting: "Number of days before users are asked to re-confirm their authentication information",
        value: "180",
      },
      { section: "Notifications", setting: "Notify users on password resets", value: "Yes" },
      { section: "Notifications", setting: "Notify all admins when other admins reset their password", value: "No" },
      { section: "Customization", setting: "Customize helpdesk link", value: "No" },
      { section: "Customization", setting: "Custom helpdesk email or URL", value: "(none)" },
      { section: "Administrator policy", setting: "Administrators can reset their own password", value: "No" },
    ];
    expect(report.lines).toEqual(expected);
  });

  it("before the migration, the methods come from the portal's legacy switches, and it says so", () => {
    for (const state of ["preMigration", "migrationInProgress"]) {
      const report = describeSsprSettings(
        portalFixture(),
        { ...graphFixture(), policyMigrationState: state },
        { allowedToUseSSPR: true },
      );
      expect(report.methodsSource).toBe("legacySsprPolicy");
      // The portal fixture: email and mobile phone on, the rest off; the Graph policy (Email untargeted) is ignored.
      expect(value(report, "Methods available to users")).toBe("Email, Mobile phone");
      expect(value(report, "Email")).toBe("On (for everyone SSPR is enabled for)");
      expect(value(report, "Mobile phone")).toBe("On (for everyone SSPR is enabled for)");
      expect(value(report, "Office phone")).toBe("Off");
      expect(value(report, "Methods decided by")).toMatch(/^Legacy SSPR policy/);
    }
    const capped = describeSsprSettings(
      { ...portalFixture(), officePhoneOptionEnabled: true, officePhoneOptionAllowed: false },
      { ...graphFixture(), policyMigrationState: "preMigration" },
      {},
    );
    expect(value(capped, "Office phone")).toBe("Not available in this tenant");
  });

  it("an explicit migrationComplete reads the Graph policy and says the migration is complete", () => {
    const report = describeSsprSettings(
      portalFixture(),
      { ...graphFixture(), policyMigrationState: "migrationComplete" },
      {},
    );
    expect(report.methodsSource).toBe("authenticationMethodsPolicy");
    expect(value(report, "Methods decided by")).toBe("Authentication methods policy (migration complete)");
    expect(value(report, "Administrators can reset their own password")).toBe("Unknown (missing)");
  });

  it("maps Graph methods onto the SSPR methods: mobile phone = Sms + Voice, office phone, app notification and code", () => {
    let policy = withMethod(graphFixture(), {
      id: "Voice",
      state: "enabled",
      isOfficePhoneAllowed: "true", // Graph's own sample shows the string
      includeTargets: [{ targetType: "group", id: "all_users" }],
    });
    policy = withMethod(policy, {
      id: "MicrosoftAuthenticator",
      state: "enabled",
      isSoftwareOathEnabled: true,
      includeTargets: [{ targetType: "group", id: "g-pilot" }],
      excludeTargets: [{ targetType: "group", id: "g-admins" }],
    });
    policy = withMethod(policy, {
      id: "Email",
      state: "enabled",
      includeTargets: [
        { targetType: "group", id: "all_users" },
        { targetType: "group", id: "g-pilot" },
      ],
    });
    const report = describeSsprSettings(portalFixture(), policy, {});
    expect(value(report, "Mobile phone")).toBe("On for all users: text and voice call");
    expect(value(report, "Office phone")).toBe("On for all users");
    expect(value(report, "Mobile app notification")).toBe("On for group g-pilot except group g-admins");
    expect(value(report, "Mobile app code")).toBe("On for group g-pilot except group g-admins");
    expect(value(report, "Email")).toBe("On for all users (and group g-pilot)");
    expect(value(report, "Methods available to users")).toBe(
      "Mobile app notification, Mobile app code, Email, Mobile phone, Office phone",
    );
  });

  it("mobile app code also comes from the SoftwareOath method; voice without office phones is not office phone", () => {
    let policy = withMethod(graphFixture(), {
      id: "SoftwareOath",
      state: "enabled",
      includeTargets: [{ targetType: "group", id: "all_users" }],
    });
    policy = withMethod(policy, { id: "Sms", state: "disabled", includeTargets: [] });
    policy = withMethod(policy, {
      id: "Voice",
      state: "enabled",
      isOfficePhoneAllowed: false,
      includeTargets: [{ targetType: "group", id: "g1" }],
    });
    const report = describeSsprSettings(portalFixture(), policy, {});
    expect(value(report, "Mobile app code")).toBe("On for all users");
    expect(value(report, "Mobile app notification")).toBe("Off");
    expect(value(report, "Office phone")).toBe("Off");
    expect(value(report, "Mobile phone")).toBe("Voice call only, for group g1 (text: off)");
  });

  it("words every scope, security questions, a custom helpdesk link and unexpected values", () => {
    const words = (portal: Json): string | undefined =>
      value(
        describeSsprSettings({ ...portalFixture(), ...portal }, graphFixture(), {}),
        "Self service password reset enabled",
      );
    expect(words({ enablementType: 0 })).toBe("None");
    expect(words({ enablementType: 2 })).toBe("All");
    expect(words({ passwordResetEnabledGroupName: "" })).toBe("Selected: group GROUP");
    expect(words({ passwordResetEnabledGroupIds: [] })).toBe("Selected, but no group is chosen");
    expect(words({ enablementType: 7 })).toBe("Unknown (enablementType 7)");

    const report = describeSsprSettings(
      {
        ...portalFixture(),
        securityQuestionsOptionEnabled: true,
        customizeHelpdeskLink: true,
        customHelpdeskEmailOrUrl: "https://help.munyakazi.org",
        registrationReconfirmIntevalInDays: 0,
        registrationRequiredOnSignIn: "maybe",
      },
      graphFixture(),
      { allowedToUseSSPR: true },
    );
    expect(value(report, "Security questions")).toBe("On: 5 to register, 3 to reset");
    expect(value(report, "Methods available to users")).toBe("Mobile phone, Security questions");
    expect(value(report, "Custom helpdesk email or URL")).toBe("https://help.munyakazi.org");
    expect(value(report, "Customize helpdesk link")).toBe("Yes");
    expect(value(report, "Number of days before users are asked to re-confirm their authentication information")).toBe(
      "0 (never)",
    );
    expect(value(report, "Require users to register when signing in")).toBe('Unknown ("maybe")');
    expect(value(report, "Administrators can reset their own password")).toBe("Yes");
  });
});

describe("describeTargets", () => {
  it("words include and exclude targets", () => {
    expect(describeTargets({ includeTargets: [{ id: "all_users" }] })).toBe("all users");
    expect(describeTargets({ includeTargets: [{ id: "a" }, { id: "b" }], excludeTargets: [{ id: "c" }] })).toBe(
      "groups a, b except group c",
    );
  });

  it("names a group whose name is known (the SSPR group's, from the portal), the others by id", () => {
    const pilot = "5A8C1E3F-6B2D-4E7A-9F1C-3D5B7A9E2C04";
    expect(
      describeTargets({ includeTargets: [{ id: pilot }, { id: "b" }] }, { [pilot.toLowerCase()]: "SSPR Pilot" }),
    ).toBe("groups 'SSPR Pilot', b");
    const report = describeSsprSettings(
      { enablementType: 1, passwordResetEnabledGroupIds: [pilot], passwordResetEnabledGroupName: "SSPR Pilot" },
      { authenticationMethodConfigurations: [{ id: "Email", state: "enabled", includeTargets: [{ id: pilot }] }] },
      {},
    );
    expect(report.lines.find((line) => line.setting === "Email")?.value).toBe("On for group 'SSPR Pilot'");
  });
});

describe("formatSsprSettings", () => {
  it("prints each section once, in blade order, with the values aligned within a section", () => {
    const report = describeSsprSettings(portalFixture(), graphFixture(), { allowedToUseSSPR: true });
    const text = formatSsprSettings(report);
    const lines = text.split("\n");
    const titles = lines.filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim());
    expect(titles).toEqual([
      "Properties",
      "Authentication methods",
      "Registration",
      "Notifications",
      "Customization",
      "Administrator policy",
    ]);
    const methodRows = lines.slice(lines.indexOf("  Authentication methods") + 1, lines.indexOf("  Registration"));
    expect(methodRows).toHaveLength(9);
    const valueColumns = new Set(
      methodRows.map((row) => {
        const line = report.lines.find((candidate) => row.trimStart().startsWith(candidate.setting));
        return row.lastIndexOf(line?.value ?? "\u0000");
      }),
    );
    expect(valueColumns.size).toBe(1);
    expect(text).toContain("    Self service password reset enabled  Selected: mndz (group GROUP)");
  });
});

describe("diffSsprSettings", () => {
  const before = describeSsprSettings(portalFixture(), graphFixture(), { allowedToUseSSPR: true });

  it("lists exactly the settings that changed, with both values", () => {
    const after = describeSsprSettings(
      { ...portalFixture(), enablementType: 2, notifyOnAdminPasswordReset: true },
      graphFixture(),
      { allowedToUseSSPR: true },
    );
    const changes = diffSsprSettings(before, after);
    expect(changes).toEqual([
      {
        section: "Properties",
        setting: "Self service password reset enabled",
        before: "Selected: mndz (group GROUP)",
        after: "All",
      },
      {
        section: "Notifications",
        setting: "Notify all admins when other admins reset their password",
        before: "No",
        after: "Yes",
      },
    ]);
    expect(formatSettingChanges(changes)).toBe(
      "  Properties > Self service password reset enabled: Selected: mndz (group GROUP) -> All\n" +
        "  Notifications > Notify all admins when other admins reset their password: No -> Yes",
    );
  });

  it("is empty for the same tenant, and names lines only one side has", () => {
    expect(diffSsprSettings(before, before)).toEqual([]);
    expect(formatSettingChanges([])).toBe("  No changes");
    const shorter: SsprSettingsReport = { ...before, lines: before.lines.slice(1) };
    expect(diffSsprSettings(before, shorter)).toEqual([
      {
        section: "Properties",
        setting: "Self service password reset enabled",
        before: "Selected: mndz (group GROUP)",
        after: undefined,
      },
    ]);
    expect(diffSsprSettings(shorter, before)[0]).toMatchObject({
      before: undefined,
      after: "Selected: mndz (group GROUP)",
    });
  });
});

describe("readTenantSettings", () => {
  it("reads the three documents with three GETs through the HTTP layer (lab credential on loopback)", async () => {
    const emulator = await startEmulator({ seed: { passwordResetPolicies: portalFixture() } });
    try {
      const settings = await readTenantSettings({
        tenantId: "munyakazi.org",
        endpoints: emulatorEndpoints(emulator.url),
      });
      expect(settings.portal).toMatchObject({ enablementType: 1, passwordResetEnabledGroupIds: ["GROUP"] });
      expect(settings.methodsPolicy.id).toBe("authenticationMethodsPolicy");
      expect(settings.authorizationPolicy.allowedToUseSSPR).toBe(true);
      expect(
        emulator
          .requests()
          .map((r) => `${r.method} ${r.path} ${r.status}`)
          .sort(),
      ).toEqual([
        "GET /api/PasswordReset/PasswordResetPolicies 200",
        "GET /v1.0/policies/authenticationMethodsPolicy 200",
        "GET /v1.0/policies/authorizationPolicy 200",
      ]);
    } finally {
      await emulator.stop();
    }
  });
});
