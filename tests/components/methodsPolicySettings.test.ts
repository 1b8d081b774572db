import { parseStackConfig } from "../../components/config";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { adminCenterSettings } from "../../components/mapping";
import { methodsPolicyRootInputs } from "../../components/methodsPolicySettings";
import { validateAuthenticationMethodsPolicy } from "../../provider/objects/authenticationMethodsPolicy";
import { runbook, runbookTenantId } from "../support/runbook";

const pilot = "5d3c2b1a-0f9e-4d8c-b7a6-958473625140";
const contractors = "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d";

function stack(extra: Record<string, unknown>): Record<string, unknown> {
  return { tenantId: runbookTenantId, sspr: { ...runbook, methodsRequired: 1, methods: { email: true }, ...extra } };
}

describe("the rest of the methods policy as stack config", () => {
  const settings = {
    registrationCampaign: { state: "enabled", snoozeDays: 3, targets: "all", excludeGroups: [contractors] },
    reportSuspiciousActivity: { state: "enabled", target: "all", voiceReportingCode: 0 },
    systemPreferredMfa: { state: "microsoftManaged", includeGroups: [pilot] },
  } as const;

  it("parses into component args and maps onto the AuthenticationMethodsPolicy resource's inputs", () => {
    const parsed = parseStackConfig(stack(settings));
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const inputs = methodsPolicyRootInputs(parsed.args);
    expect(inputs).toEqual({
      registrationCampaign: {
        state: "enabled",
        snoozeDurationInDays: 3,
        includeTargets: [
          { targetType: "group", id: "all_users", targetedAuthenticationMethod: "microsoftAuthenticator" },
        ],
        excludeTargets: [{ targetType: "group", id: contractors }],
      },
      reportSuspiciousActivity: {
        state: "enabled",
        includeTarget: { targetType: "group", id: "all_users" },
        voiceReportingCode: 0,
      },
      systemCredentialPreferences: { state: "default", includeTargets: [{ targetType: "group", id: pilot }] },
    });
    // The resource's own check accepts what the mapping makes.
    expect(validateAuthenticationMethodsPolicy({ ...inputs })).toEqual([]);
  });

  it("owns only what is said: a member left out is not an input", () => {
    expect(methodsPolicyRootInputs({ registrationCampaign: { state: "disabled" } })).toEqual({
      registrationCampaign: { state: "disabled" },
    });
    expect(methodsPolicyRootInputs({})).toEqual({});
  });

  it("reads in admin-center words", () => {
    const rows = adminCenterSettings({ ...(stack(settings).sspr as SelfServicePasswordResetArgs) });
    expect(rows).toMatchObject({
      "Registration campaign: State": "Enabled",
      "Registration campaign: Days allowed to snooze": 3,
      "Registration campaign: Include": "All users",
      "Registration campaign: Exclude": contractors,
      "Report suspicious activity: State": "Enabled",
      "Report suspicious activity: Target": "All users",
      "Report suspicious activity: Reporting code": 0,
      "System-preferred multifactor authentication: State": "Microsoft managed",
      "System-preferred multifactor authentication: Include": pilot,
    });
  });

  it("reports every problem at once, naming the key, the value and what is allowed", () => {
    const parsed = parseStackConfig(
      stack({
        registrationCampaign: { state: "on", snoozeDays: 15, targets: ["everyone"] },
        reportSuspiciousActivity: { target: "all", voiceReportingCode: 12 },
        systemPreferredMfa: { state: "enabled", excludeGroups: [] },
      }),
    );
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'sspr:settings.registrationCampaign.state: "on" is not allowed; expected "enabled", "disabled" or ' +
        '"microsoftManaged" (Microsoft managed)',
      "sspr:settings.registrationCampaign.snoozeDays: 15 is not allowed; expected an integer from 0 to 14 (days " +
        "allowed to snooze)",
      'sspr:settings.registrationCampaign.targets[0]: "everyone" is not allowed; expected a group object id (GUID)',
      'sspr:settings.reportSuspiciousActivity.state: missing; expected "enabled", "disabled" or "microsoftManaged" ' +
        "(Microsoft managed)",
      "sspr:settings.reportSuspiciousActivity.voiceReportingCode: 12 is not allowed; expected a digit from 0 to 9 " +
        "(pressed on a voice call to report it)",
      "sspr:settings.systemPreferredMfa.excludeGroups: [] is not allowed; expected at least one group object id",
    ]);
  });
});
