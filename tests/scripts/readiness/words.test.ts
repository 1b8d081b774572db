/**
 * Readiness in text, from hand-built reports of real-world shapes: repeated fixes said once with the people they
 * concern (ten names, then a count), administrators judged and named apart.
 */
import type { ReadinessReport, ReadinessRow } from "../../../components/readiness/readinessReport";
import { formatDiagnosis, formatReadiness } from "../../../scripts/readiness/words";

const fix =
  "register 1 more of the methods offered to the user (Email): the user must complete registration first; prompted " +
  "at next sign-in (https://aka.ms/mysecurityinfo)";

function row(user: string, overrides: Partial<ReadinessRow> = {}): ReadinessRow {
  return {
    user,
    displayName: user.split("@")[0],
    isAdministrator: false,
    adminRoles: [],
    required: 2,
    inScope: true,
    registeredEnough: false,
    capable: false,
    canReset: false,
    undetermined: false,
    reason: "registered 1 of the 2 required methods offered to them",
    fix,
    ...overrides,
  };
}

const counts = (users: number, canReset: number) => ({
  users,
  inScope: users,
  registeredEnough: canReset,
  capable: canReset,
  canReset,
  cannotReset: users - canReset,
  undetermined: 0,
});

function report(rows: ReadinessRow[], allowedToUseSSPR = true): ReadinessReport {
  const users = rows.filter((entry) => !entry.isAdministrator);
  const administrators = rows.filter((entry) => entry.isAdministrator);
  return {
    tenantId: "munyakazi.org",
    registrationSource: "report",
    counts: counts(rows.length, rows.filter((entry) => entry.canReset).length),
    groups: {
      users: counts(users.length, users.filter((entry) => entry.canReset).length),
      administrators: {
        ...counts(administrators.length, administrators.filter((entry) => entry.canReset).length),
        allowedToUseSSPR,
        names: administrators.map((entry) => entry.user),
      },
    },
    percentage: 0,
    summary: "summary",
    reasons: [],
    rows,
    problems: [],
  };
}

describe("readiness in text", () => {
  it("nineteen people with the same fix: one line, then ten names and a count", () => {
    const people = Array.from({ length: 19 }, (_, index) => row(`user${index + 1}@munyakazi.org`));
    const text = formatReadiness(report([...people, row("c.vogel@munyakazi.org", { canReset: true })]), "lab");
    expect(text).toContain(
      `    Cannot reset today:\n      19 people: ${fix}\n` +
        "        registered 1 of the 2 required methods offered to them: " +
        `${people
          .slice(0, 10)
          .map((entry) => entry.user)
          .join(", ")} and 9 more`,
    );
    expect(text.match(/mysecurityinfo/g)).toHaveLength(1);
    expect(text).toContain("In the SSPR scope: 20 of 20");
    expect(text).not.toContain("Administrators (");
  });

  it("administrators are counted apart, named, with their own verdicts", () => {
    const admin = {
      isAdministrator: true,
      adminRoles: ["Global Administrator"],
      reason: "SSPR for administrators is off",
      fix: "Administrator policy: allow administrators to reset (allowedToUseSSPR true)",
    };
    const text = formatReadiness(
      report(
        [
          row("c.vogel@munyakazi.org", { canReset: true }),
          row("admin@munyakazi.org", admin),
          row("j.mukamana@munyakazi.org", admin),
        ],
        false,
      ),
      "lab",
    );
    expect(text).toContain("In the SSPR scope: 1 of 1;");
    expect(text).toContain(
      "  Administrators (2, judged by the administrator policy, not the SSPR scope: 2 methods, never security " +
        "questions; SSPR for administrators off (allowedToUseSSPR false)):\n" +
        "    Can reset: 0 of 2.\n" +
        "    Cannot reset today:\n" +
        `      2 people: ${admin.fix}\n` +
        "        SSPR for administrators is off: admin@munyakazi.org and j.mukamana@munyakazi.org",
    );
  });

  it("the doctor says an administrator is judged by the administrator policy", () => {
    const text = formatDiagnosis(
      { user: "admin@munyakazi.org", canReset: true, undetermined: false, isAdministrator: true, checks: [] },
      "lab",
    );
    expect(text).toContain("An administrator: judged by the administrator policy");
  });
});
