/**
 * `npm run doctor` and `npm run readiness` as a person runs them: a lab stack, a seed file, text or JSON, and the
 * exit code. Each run applies the stack to a fresh emulator through `rehearse`, in the file's one provider host.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { main as doctor } from "../../../scripts/readiness/doctorCommand";
import { main as readiness } from "../../../scripts/readiness/readinessCommand";
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookLines, runbookPilotGroup } from "../../support/runbook";

const shared = useRehearsalHost("readiness");

async function run(command: typeof doctor, argv: string[]): Promise<{ code: number; output: string }> {
  const printed: string[] = [];
  const code = await command(argv, (text) => printed.push(text), shared.host);
  return { code, output: printed.join("\n") };
}

describe("npm run doctor", () => {
  it("prints the exact JSON shape and exits 1 for a synced user in a seeded free tenant", async () => {
    const tenant = createDefaultTenant();
    const seed = {
      subscribedSkus: [],
      users: tenant.users.map((user) =>
        user.userPrincipalName === "c.vogel@munyakazi.org" ? { ...user, onPremisesSyncEnabled: true } : user,
      ),
    };
    const file = path.join(shared.tmp, "synced.json");
    fs.writeFileSync(file, JSON.stringify(seed));
    const { code, output } = await run(doctor, [
      "--stack",
      "lab",
      "--user",
      "c.vogel@munyakazi.org",
      "--seed",
      file,
      "--json",
    ]);
    expect(code).toBe(1);
    const document = JSON.parse(output) as { user: string; canReset: boolean; checks: Record<string, unknown>[] };
    expect(Object.keys(document)).toEqual(["user", "canReset", "checks"]);
    expect(document.user).toBe("c.vogel@munyakazi.org");
    expect(document.canReset).toBe(false);
    for (const check of document.checks) expect(Object.keys(check)).toEqual(["id", "ok", "found", "fix"]);
    const byId = Object.fromEntries(document.checks.map((check) => [check.id, check]));
    expect(byId.writeback).toMatchObject({ ok: false });
    expect(String(byId.writeback.fix)).toContain(
      "needs Entra ID P1 and Entra Connect; not in scope for a cloud-only tenant",
    );
    expect(byId.licence).toMatchObject({ ok: false });
    // The free tenant's methods were still read (per user, in a $batch), so registration is judged, not unknown.
    expect(byId["methods-sufficient"]).toMatchObject({ ok: true });
  });

  it("prints pass or fail with the fix, and exits 0 for a user who can reset; 2 for bad options", async () => {
    const { code, output } = await run(doctor, ["--stack", "lab", "--user", "c.vogel@munyakazi.org"]);
    expect(code).toBe(0);
    expect(output).toContain("Can c.vogel@munyakazi.org reset their password at https://aka.ms/sspr? Yes");
    expect(output).toMatch(/PASS methods-sufficient +usable for reset: Email, Mobile phone \(2 of 2 required\)/);
    expect(output).toContain("WARN admin-notifications");
    const bad = await run(doctor, ["--stack", "lab", "--user", "c.vogel"]);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--user is "c.vogel"');
  });
});

describe("npm run readiness", () => {
  it("summarises the lab tenant in JSON with exact counts", async () => {
    const { code, output } = await run(readiness, ["--stack", "lab", "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(output) as {
      counts: Record<string, number>;
      summary: string;
      registrationSource: string;
    };
    expect(report.registrationSource).toBe("report");
    expect(report.counts).toEqual({
      users: 23,
      inScope: 23,
      registeredEnough: 19,
      capable: 19,
      canReset: 19,
      cannotReset: 4,
      undetermined: 0,
    });
    expect(report.summary).toBe(
      "19 of 23 staff can reset (83%): 16 of 20 users, 3 of 3 administrators (by the administrator policy); " +
        "4 cannot: not registered: l.okafor@munyakazi.org; " +
        "registered 1 of the 2 required methods offered to them: t.nkurunziza@munyakazi.org, k.schneider@munyakazi.org; " +
        "registered only methods not offered to them: r.hoffmann@munyakazi.org",
    );
  });

  it("reads a pilot stack (Selected, a group the stack creates) through its rehearsal", async () => {
    const file = path.join(shared.tmp, "Pulumi.pilot.yaml");
    fs.writeFileSync(
      file,
      [
        "config:",
        "  entra-sspr:tenantId: lab.munyakazi.org",
        "  sspr:settings:",
        ...runbookLines({
          scope: "selected",
          group: { ...runbookPilotGroup, members: [...runbookPilotGroup.members, "t.nkurunziza@munyakazi.org"] },
        }).map((line) => `    ${line}`),
        "  entra-sspr:endpoints: { graph: http://127.0.0.1:8640, portal: http://127.0.0.1:8640 }",
        "",
      ].join("\n"),
    );
    const { code, output } = await run(readiness, ["--stack-file", file, "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(output) as {
      counts: Record<string, number>;
      reasons: { reason: string; users: string[] }[];
    };
    // The pilot's two members and the three two-gate administrators are in scope; t.nkurunziza has one method.
    expect(report.counts).toMatchObject({ users: 23, inScope: 5, capable: 4, canReset: 4, cannotReset: 19 });
    expect(report.reasons.map((entry) => [entry.reason, entry.users.length])).toEqual([
      ["not in the Selected group", 18],
      ["registered 1 of the 2 required methods offered to them", 1],
    ]);
    expect(report.reasons[1].users).toEqual(["t.nkurunziza@munyakazi.org"]);
    // JSON keeps both: everybody, and users and administrators apart.
    const groups = (JSON.parse(output) as { groups: Record<string, Record<string, unknown>> }).groups;
    expect(groups.users).toMatchObject({ users: 20, inScope: 2, canReset: 1, cannotReset: 19 });
    expect(groups.administrators).toMatchObject({
      users: 3,
      canReset: 3,
      allowedToUseSSPR: true,
      names: ["admin@munyakazi.org", "j.mukamana@munyakazi.org", "e.habimana@munyakazi.org"],
    });
    // The text: the pilot's scope without the administrators, who are judged and named apart; one fix for the 18.
    const { code: textCode, output: words } = await run(readiness, ["--stack-file", file]);
    expect(textCode).toBe(0);
    expect(words).toContain(
      "  Users (20, judged by the SSPR policy; administrators apart, below):\n" +
        "    In the SSPR scope: 2 of 20; registered enough of the methods offered to them: 1; capable (both): 1; " +
        "can reset: 1.\n",
    );
    expect(words).toContain(
      '      18 people: Properties: Self service password reset enabled is Selected (group "SSPR Pilot"): add the user to group "SSPR Pilot" (or to a group nested in it), or set scope: all\n' +
        "        not in the Selected group: l.okafor@munyakazi.org, a.uwase@munyakazi.org, p.niyonzima@munyakazi.org, " +
        "s.keller@munyakazi.org, m.brandt@munyakazi.org, d.ingabire@munyakazi.org, g.mutesi@munyakazi.org, " +
        "k.schneider@munyakazi.org, o.bizimana@munyakazi.org, f.umutoni@munyakazi.org and 8 more\n",
    );
    expect(words).toContain(
      "  Administrators (3, judged by the administrator policy, not the SSPR scope: 2 methods, never security " +
        "questions; SSPR for administrators on (allowedToUseSSPR true)):\n" +
        "    Can reset: 3 of 3: admin@munyakazi.org (Global Administrator)",
    );
    expect(words).not.toContain("In the SSPR scope: 5 of 23");
    expect(words.match(/Fix:|people:/g)).toHaveLength(2);
    const { output: text } = await run(doctor, ["--stack-file", file, "--user", "s.keller@munyakazi.org"]);
    expect(text).toContain('FAIL user-in-scope        SSPR is Selected: group "SSPR Pilot"');
  });

  it("refuses a stack it cannot read before anything runs", async () => {
    const { code, output } = await run(readiness, ["--stack", "nope"]);
    expect(code).toBe(1);
    expect(output).toContain("Pulumi.nope.yaml: cannot read the stack file");
  });
});
