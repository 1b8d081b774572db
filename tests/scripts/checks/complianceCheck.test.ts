import * as fs from "node:fs";
import { useRehearsalHost } from "../../support/rehearsalHost";
import * as path from "node:path";
import { compliance, main, parseComplianceArgs } from "../../../scripts/checks/complianceCheck";

const shared = useRehearsalHost("compliance");

const statuses = (result: Awaited<ReturnType<typeof compliance>>): Record<string, string> =>
  Object.fromEntries((result.report?.rows ?? []).map((row) => [row.rule, `${row.status}/${row.enforcement}`]));

describe("npm run compliance -- --stack dev", () => {
  it("judges the runbook's plan with the pack's rules: passes, the runbook's conflicts, and what it leaves alone", async () => {
    const result = await compliance({ stack: "dev", host: shared.host });
    expect(result.errors).toEqual([]);
    expect(result.policyConfig).toMatch(/policy[/\\]config[/\\]dev\.json$/);
    expect(statuses(result)).toEqual({
      "sspr-enabled-for-all": "pass/mandatory",
      "sspr-two-methods-required": "pass/mandatory",
      "sspr-reconfirm-days-not-zero": "pass/advisory",
      "sspr-notify-users": "pass/advisory",
      "sspr-notify-admins": "pass/advisory",
      "sspr-register-on-sign-in": "pass/advisory",
      "security-questions-not-used": "pass/advisory",
      "methods-policy-migration-complete": "not-applicable/advisory",
      "administrators-sspr-contested": "conflict/advisory",
      "sms-voice-email-disabled": "conflict/advisory",
      "sms-not-usable-for-sign-in": "pass/advisory",
      "authenticator-enabled-for-all": "not-applicable/advisory",
      "report-suspicious-activity-enabled": "not-applicable/advisory",
      "registration-protected-by-conditional-access": "not-applicable/advisory",
      "method-policy-groups-exist": "pass/advisory",
    });
    expect(result.ok).toBe(true);
  });

  it("prints the table with the baseline ids and the conflicts, and exits 0", async () => {
    const printed: string[] = [];
    const code = await main(["--stack", "dev"], (text) => printed.push(text), shared.host);
    const output = printed.join("");
    expect(code).toBe(0);
    expect(output).toMatch(
      /CONFLICT\s+advisory\s+sms-voice-email-disabled\s+CISA MS\.AAD\.3\.5v2, CIS M365 5\.2\.3\.5/,
    );
    expect(output).toMatch(/CONFLICT\s+advisory\s+administrators-sspr-contested\s+EIDSCA AP01, ZTA 21842/);
    expect(output).toMatch(/pass\s+mandatory\s+sspr-enabled-for-all\s+CIS M365 5\.2\.4\.1/);
    expect(output).toContain("Email OTP, SMS, Voice call are offered for password reset (the runbook's choice)");
    expect(output).toContain("9 pass, 0 fail, 2 conflict, 4 not applicable, 0 disabled");
  });
});

describe("a stack that fails rules", () => {
  const stackFile = (): string => {
    const file = path.join(shared.tmp, "Pulumi.weak.yaml");
    fs.writeFileSync(
      file,
      [
        "config:",
        "  entra-sspr:tenantId: munyakazi.org",
        "  sspr:settings:",
        "    scope: selected",
        "    group: { displayName: SSPR Pilot, members: [c.vogel@munyakazi.org] }",
        "    methodsRequired: 1",
        // No security questions here: from 1 March 2027 the config itself refuses them (a date-free test).
        '    methods: { email: true, mobilePhone: "disable" }',
        "    registration: { requireOnSignIn: true, reconfirmDays: 0 }",
        "    notifications: { users: false, admins: false }",
        "    administrators: { allowed: false }",
        "",
      ].join("\n"),
    );
    return file;
  };

  it("fails them, and a mandatory failure gives exit code 1 with the rules named", async () => {
    const config = path.join(shared.tmp, "weak.json");
    fs.writeFileSync(config, JSON.stringify({ all: "mandatory", "sms-voice-email-disabled": "disabled" }));
    const result = await compliance({ stackFile: stackFile(), policyConfig: config, host: shared.host });
    expect(result.errors).toEqual([]);
    expect(statuses(result)).toMatchObject({
      "sspr-enabled-for-all": "fail/mandatory",
      "sspr-two-methods-required": "fail/mandatory",
      "sspr-reconfirm-days-not-zero": "fail/mandatory",
      "sspr-notify-users": "fail/mandatory",
      "sspr-notify-admins": "fail/mandatory",
      "sms-not-usable-for-sign-in": "pass/mandatory",
      "administrators-sspr-contested": "conflict/mandatory",
      "sms-voice-email-disabled": "disabled/disabled",
      // The pilot group is created by the stack (the emulator gives it a real id): it exists.
      "method-policy-groups-exist": "pass/mandatory",
    });
    expect(result.ok).toBe(false);
    expect(result.report?.blocking).toEqual([
      "sspr-enabled-for-all",
      "sspr-two-methods-required",
      "sspr-reconfirm-days-not-zero",
      "sspr-notify-users",
      "sspr-notify-admins",
      "administrators-sspr-contested",
    ]);

    const printed: string[] = [];
    const code = await main(
      ["--stack-file", stackFile(), "--policy-config", config, "--json"],
      (text) => printed.push(text),
      shared.host,
    );
    expect(code).toBe(1);
    const json = JSON.parse(printed.join("")) as { report: { rows: { rule: string; message: string }[] } };
    const row = json.report.rows.find((candidate) => candidate.rule === "sspr-enabled-for-all");
    expect(row?.message).toContain("Self service password reset enabled is Selected");
  });

  it("reports a bad pack config before rehearsing anything", async () => {
    const config = path.join(shared.tmp, "bad.json");
    fs.writeFileSync(config, JSON.stringify({ "sspr-enabled": "mandatory" }));
    const printed: string[] = [];
    const code = await main(["--stack", "dev", "--policy-config", config], (text) => printed.push(text), shared.host);
    expect(code).toBe(2);
    expect(printed.join("")).toContain('sspr-enabled: unknown rule; expected "all" or one of sspr-enabled-for-all');
  });

  it("needs a stack", () => {
    expect(parseComplianceArgs([])).toEqual({ problems: ["--stack <name> is required (reads Pulumi.<name>.yaml)"] });
  });
});
