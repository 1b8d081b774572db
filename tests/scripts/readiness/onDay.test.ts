/**
 * Readiness and doctor on a day of Microsoft's calendar, as a person runs them on the lab stack (the runbook: Email
 * and Mobile phone, two required). The verdicts are checked against an oracle written here from Microsoft's published
 * dates, not from the project's calendar table: from 1 February 2027 a phone no longer counts unless the tenant has
 * its own telephony provider; the day before, nothing has changed.
 */
import * as path from "node:path";
import { main as doctor } from "../../../scripts/readiness/doctorCommand";
import { main as readiness } from "../../../scripts/readiness/readinessCommand";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookLines } from "../../support/runbook";
import { writeStackFile } from "../../support/stackFiles";
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { registrationRows } from "../../../emulator/people/registrationReport";

const shared = useRehearsalHost("readiness-on");

async function run(command: typeof doctor, argv: string[]): Promise<{ code: number; output: string }> {
  const printed: string[] = [];
  const code = await command(argv, (text) => printed.push(text), shared.host);
  return { code, output: printed.join("\n") };
}

interface Row {
  user: string;
  canReset: boolean;
  isAdministrator: boolean;
  reason?: string;
}
interface Report {
  on: string;
  counts: { canReset: number; users: number };
  groups: { users: { canReset: number }; administrators: { canReset: number } };
  rows: Row[];
  rulesInForce: { id: string; date: string; source: string }[];
  timeline: { steps: { entry: { id: string; date: string }; loses: { users: string[]; administrators: string[] } }[] };
}

const readinessOn = async (day: string, stackArgs: string[] = ["--stack", "lab"]): Promise<Report> => {
  const { output } = await run(readiness, [...stackArgs, "--on", day, "--json"]);
  return JSON.parse(output) as Report;
};

/**
 * The oracle: who can reset on a day, from the registration report's methods and the runbook's policy alone.
 * Users need 2 of {Email, Mobile phone} offered to them; administrators 2 methods of any kind but questions.
 * Phones count before 1 February 2027, or with the tenant's own telephony provider.
 */
function oracle(day: string, ownTelephony: boolean): Map<string, boolean> {
  // The emulator's own report of the default tenant (the emulator is the independent oracle of the tenant's data).
  const rows = registrationRows(createDefaultTenant(), "2027-01-01");
  const phonesCount = ownTelephony || day < "2027-02-01";
  const verdicts = new Map<string, boolean>();
  for (const row of rows) {
    const methods = (row.methodsRegistered as string[]) ?? [];
    if (row.isAdmin === true) {
      const counted = new Set(
        methods.flatMap((name) =>
          name === "email"
            ? ["email"]
            : name === "mobilePhone" || name === "officePhone"
              ? phonesCount
                ? [name]
                : []
              : name.startsWith("microsoftAuthenticator") || name === "softwareOneTimePasscode"
                ? ["app"]
                : [],
        ),
      );
      verdicts.set(String(row.userPrincipalName), counted.size >= 2);
    } else {
      const counted = methods.filter((name) => name === "email" || (phonesCount && name === "mobilePhone"));
      verdicts.set(String(row.userPrincipalName), new Set(counted).size >= 2);
    }
  }
  return verdicts;
}

it("on 2027-02-01 no user of the runbook can reset and the report names why; on 2027-01-31 nothing changed yet", async () => {
  const after = await readinessOn("2027-02-01");
  expect(after.on).toBe("2027-02-01");
  expect(after.groups.users.canReset).toBe(0);
  expect(after.rulesInForce.map((rule) => rule.id)).toContain("sms-voice-end");
  for (const row of after.rows.filter((candidate) => !candidate.isAdministrator))
    expect(row.reason).toMatch(/stopped counting on 1 February 2027/);

  const before = await readinessOn("2027-01-31");
  const today = JSON.parse((await run(readiness, ["--stack", "lab", "--json"])).output) as Report;
  expect(before.rows.map((row) => [row.user, row.canReset])).toEqual(today.rows.map((row) => [row.user, row.canReset]));
  expect(before.counts.canReset).toBeGreaterThan(after.counts.canReset);

  // Against the oracle, person by person, where the oracle can judge (users in the registration report).
  for (const [report, day] of [
    [after, "2027-02-01"],
    [before, "2027-01-31"],
  ] as const) {
    const expected = oracle(day, false);
    expect(expected.size).toBeGreaterThan(20);
    // Registered enough is necessary: nobody the oracle rules out can reset, and on the day after everyone in
    // scope is judged by the same count.
    for (const row of report.rows)
      if (expected.get(row.user) === false) expect([row.user, row.canReset]).toEqual([row.user, false]);
    if (day === "2027-02-01")
      for (const row of report.rows) expect([row.user, row.canReset]).toEqual([row.user, expected.get(row.user)]);
  }

  // The timeline of 2027-01-31 says who loses reset the next day.
  const step = before.timeline.steps.find((candidate) => candidate.entry.id === "sms-voice-end");
  const lost = before.rows.filter((row) => row.canReset && !after.rows.find((r) => r.user === row.user)?.canReset);
  expect([...(step?.loses.users ?? []), ...(step?.loses.administrators ?? [])].sort()).toEqual(
    lost.map((row) => row.user).sort(),
  );
});

it("with the tenant's own telephony provider, the verdict on 2027-02-01 equals the verdict on 2027-01-31", async () => {
  const file = writeStackFile(shared.tmp, "telephony", [...runbookLines(), "ownTelephonyProvider: true"]);
  const stack = ["--stack-file", file, "--emulator"];
  const before = await readinessOn("2027-01-31", stack);
  const after = await readinessOn("2027-02-01", stack);
  expect(after.rows.map((row) => [row.user, row.canReset])).toEqual(before.rows.map((row) => [row.user, row.canReset]));
  expect(after.rulesInForce.map((rule) => rule.id)).not.toContain("sms-voice-end");
  expect(path.basename(file)).toBe("Pulumi.telephony.yaml");
});

it("doctor on a day: the verdict, the reason with its date, and a bad --on refused naming the form", async () => {
  const on = await run(doctor, ["--stack", "lab", "--user", "c.vogel@munyakazi.org", "--on", "2027-02-01"]);
  expect(on.code).toBe(1);
  expect(on.output).toContain("on 1 February 2027");
  expect(on.output).toMatch(/Mobile phone \(no longer for password reset \(SSPR\) since 1 February 2027/);
  const bad = await run(doctor, ["--stack", "lab", "--user", "c.vogel@munyakazi.org", "--on", "1 Feb 2027"]);
  expect(bad.code).toBe(2);
  expect(bad.output).toContain('--on is "1 Feb 2027"; expected a day as YYYY-MM-DD, such as 2027-02-01');
});
