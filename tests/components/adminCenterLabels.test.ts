/**
 * One label per setting: the component's settings output, the tenant report and the baseline rules name a setting
 * with the table's words, so the three never disagree (they once said "Administrators may use SSPR",
 * "Administrators can reset their own password" and "Password reset for administrators" for one setting).
 */
import { adminCenterLabels, labelOf, settingPath, type AdminCenterSetting } from "../../components/adminCenterLabels";
import { adminCenterSettings } from "../../components/mapping";
import type { SsprSettings } from "../../components/ssprArgs";
import { baselineRules } from "../../policy/baselineRules";
import { describeSsprSettings, reportSections } from "../../scripts/rehearse/tenantReport";
import { loadFixture } from "../support/fixtures";
import { runbook } from "../support/runbook";

const labels = new Set(Object.values(adminCenterLabels).map((entry) => entry.label));

it("says where a setting is: area, blade and label", () => {
  expect(settingPath("reconfirmDays")).toBe(
    "Password reset > Registration: Number of days before users are asked to re-confirm their authentication information",
  );
  expect(settingPath("migration")).toBe("Authentication methods > Policies: Manage migration");
});

it("the settings output names every Password reset setting with the table's label", () => {
  const settings: SsprSettings = {
    ...runbook,
    scope: "selected",
    group: { displayName: "SSPR Pilot" },
    methods: { email: true, securityQuestions: { register: 4, reset: 3 } },
    helpdesk: "https://support.example.org",
    administrators: { allowed: true },
    methodsPolicy: { migrationState: "migrationComplete" },
  };
  const keys = Object.keys(adminCenterSettings(settings));
  expect(keys.filter((key) => !labels.has(key))).toEqual([]);
  expect(keys).toContain(labelOf("administrators"));
});

it("the tenant report's lines of the table's settings stand in the table's blade", () => {
  const report = describeSsprSettings(
    loadFixture("portal-password-reset-policies.get.json"),
    loadFixture("graph-authentication-methods-policy.get.json"),
    { allowedToUseSSPR: true },
  );
  const byLabel = new Map(
    Object.values(adminCenterLabels).map((entry): [string, string] => [entry.label, entry.blade]),
  );
  const tabled = report.lines.filter((line) => byLabel.has(line.setting));
  for (const line of tabled) expect(line.section).toBe(byLabel.get(line.setting));
  for (const setting of ["enablement", "methodsRequired", "administrators"] as AdminCenterSetting[])
    expect(tabled.map((line) => line.setting)).toContain(labelOf(setting));
  expect(reportSections).toContain(adminCenterLabels.administrators.blade);
});

it("the baseline rules locate their Password reset settings with the table's paths", () => {
  const paths = Object.keys(adminCenterLabels).map((key) => settingPath(key as AdminCenterSetting));
  const passwordReset = baselineRules.filter((rule) => rule.setting.startsWith("Password reset"));
  expect(passwordReset.length).toBeGreaterThan(5);
  for (const rule of passwordReset) expect(paths.some((path) => rule.setting.startsWith(path))).toBe(true);
});
