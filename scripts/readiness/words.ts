/**
 * Readiness and doctor results as text and JSON. Pure. The doctor's JSON is exactly the issue's shape:
 * `{ "user", "canReset", "checks": [{ "id", "ok", "found", "fix" }] }`; a check that could not be judged has
 * `ok: false` and a `found` that starts with "unknown:".
 */
import { dayWords } from "../../components/calendar";
import { redactSecrets } from "../../provider/http/errors";
import { problemKind } from "../../components/readiness/judgement";
import { someNames } from "../../components/peopleEffects";
import type { ReadinessCounts, ReadinessReport, ReadinessRow } from "../../components/readiness/readinessReport";
import type { Diagnosis, ReadProblem } from "../../components/readiness/readinessTypes";

const sourceWords: Record<ReadinessReport["registrationSource"], string> = {
  report: "the registration report (Entra ID P1)",
  methods: "each user's authentication methods (the report needs Entra ID P1), read in $batch requests",
  none: "nowhere: they could not be read",
};

function problemLine(problem: ReadProblem): string {
  const needs = problem.needs === undefined ? "" : ` (needs ${problem.needs})`;
  return `${problem.what}: ${problemKind(problem)}${needs}`;
}

/** The one line `npm run lab` ends with. */
export function readinessSummaryLine(report: ReadinessReport): string {
  return `Readiness: ${report.summary}.`;
}

/** Rows that share a reason and a fix: said once, with the people it concerns. */
function groupedByFix(rows: readonly ReadinessRow[]): { reason: string; fix?: string; rows: ReadinessRow[] }[] {
  const groups: { reason: string; fix?: string; rows: ReadinessRow[] }[] = [];
  for (const row of rows) {
    const reason = row.reason ?? "unknown";
    const fix = row.fix !== undefined && !row.undetermined ? row.fix : undefined;
    const group = groups.find((candidate) => candidate.reason === reason && candidate.fix === fix);
    if (group === undefined) groups.push({ reason, ...(fix === undefined ? {} : { fix }), rows: [row] });
    else group.rows.push(row);
  }
  return groups;
}

/** One person, or "19 people" followed by their names (ten, then a count), with the fix said once. */
function blockedLines(rows: readonly ReadinessRow[], indent: string): string[] {
  const lines: string[] = [];
  for (const group of groupedByFix(rows)) {
    if (group.rows.length === 1) {
      const [row] = group.rows;
      lines.push(`${indent}${row.user} (${row.displayName}): ${group.reason}`);
      if (group.fix !== undefined) lines.push(`${indent}  Fix: ${group.fix}`);
      continue;
    }
    const names = someNames(group.rows.map((row) => row.user));
    if (group.fix === undefined)
      lines.push(`${indent}${group.rows.length} people: ${group.reason}`, `${indent}  ${names}`);
    else lines.push(`${indent}${group.rows.length} people: ${group.fix}`, `${indent}  ${group.reason}: ${names}`);
  }
  return lines;
}

function countsLine(counts: ReadinessCounts): string {
  return (
    `In the SSPR scope: ${counts.inScope} of ${counts.users}; registered enough of the methods offered to them: ` +
    `${counts.registeredEnough}; capable (both): ${counts.capable}; can reset: ${counts.canReset}.`
  );
}

/** The administrator policy as read: two methods (one on a one-gate tenant), never security questions. */
function administratorPolicyWords(report: ReadinessReport): string {
  const allowed = report.groups.administrators.allowedToUseSSPR;
  const required = [...new Set(report.rows.filter((row) => row.isAdministrator).map((row) => row.required))];
  const switchWords =
    allowed === undefined
      ? "SSPR for administrators: not read"
      : `SSPR for administrators ${allowed ? "on" : "off"} (allowedToUseSSPR ${allowed})`;
  return (
    `judged by the administrator policy, not the SSPR scope: ${required.join(" or ") || 2} methods, never ` +
    `security questions; ${switchWords}`
  );
}

export function formatReadiness(report: ReadinessReport, where: string, timeline: readonly string[] = []): string {
  const users = report.rows.filter((row) => !row.isAdministrator);
  const administrators = report.rows.filter((row) => row.isAdministrator);
  const onDay = report.on === undefined ? "" : ` on ${dayWords(report.on)}`;
  const cannot = report.on === undefined ? "Cannot reset today:" : `Cannot reset on ${dayWords(report.on)}:`;
  const lines = [
    `Who can reset${onDay} (${where}; registered methods from ${sourceWords[report.registrationSource]}):`,
    `  ${report.summary}.`,
    ...(report.rulesInForce ?? []).map(
      (rule) => `  In force since ${dayWords(rule.date)}: ${rule.title} (${rule.source}).`,
    ),
    `  Users (${report.groups.users.users}, judged by the SSPR policy; administrators apart, below):`,
    `    ${countsLine(report.groups.users)}`,
  ];
  const blocked = users.filter((row) => !row.canReset);
  if (blocked.length > 0) lines.push(`    ${cannot}`, ...blockedLines(blocked, "      "));
  if (administrators.length > 0) {
    lines.push(`  Administrators (${administrators.length}, ${administratorPolicyWords(report)}):`);
    lines.push(
      `    Can reset: ${report.groups.administrators.canReset} of ${administrators.length}` +
        (report.groups.administrators.canReset === 0
          ? "."
          : `: ${someNames(administrators.filter((row) => row.canReset).map((row) => `${row.user} (${row.adminRoles.join(", ")})`))}.`),
    );
    const adminsBlocked = administrators.filter((row) => !row.canReset);
    if (adminsBlocked.length > 0) lines.push(`    ${cannot}`, ...blockedLines(adminsBlocked, "      "));
  }
  if (timeline.length > 0)
    lines.push(
      "  Ahead, on the dates Microsoft has announced (next 12 months):",
      ...timeline.map((line) => `    ${line}`),
    );
  const notes = report.problems.map(problemLine);
  if (notes.length > 0)
    lines.push("  Not read (reported as such, not as people not ready):", ...notes.map((n) => `    ${n}`));
  return redactSecrets(lines.join("\n"));
}

export function readinessJson(report: ReadinessReport & { timeline?: unknown }): string {
  return redactSecrets(JSON.stringify(report, null, 2));
}

export function formatDiagnosis(diagnosis: Diagnosis, where: string): string {
  const verdict = diagnosis.canReset ? "Yes" : diagnosis.undetermined ? "Cannot tell (see unknown checks)" : "No";
  const width = Math.max(...diagnosis.checks.map((check) => check.id.length));
  const lines = [`Can ${diagnosis.user} reset their password at https://aka.ms/sspr? ${verdict} (${where})`];
  if (diagnosis.isAdministrator)
    lines.push(
      "  An administrator: judged by the administrator policy (its methods, never security questions), not by the " +
        "SSPR scope or the methods policy.",
    );
  for (const check of diagnosis.checks) {
    const mark =
      check.status === "pass" ? "PASS" : check.status === "fail" ? (check.blocking ? "FAIL" : "WARN") : "????";
    lines.push(`  ${mark} ${check.id.padEnd(width)}  ${check.found}`);
    if (check.fix !== "") lines.push(`       ${"".padEnd(width)}  Fix: ${check.fix}`);
  }
  return redactSecrets(lines.join("\n"));
}

export function doctorJson(diagnosis: Diagnosis, day: { on?: string; timeline?: unknown } = {}): string {
  const document = {
    user: diagnosis.user,
    canReset: diagnosis.canReset,
    ...day,
    checks: diagnosis.checks.map((check) => ({
      id: check.id,
      ok: check.ok,
      found: check.status === "unknown" ? `unknown: ${check.found}` : check.found,
      fix: check.fix,
    })),
  };
  return redactSecrets(JSON.stringify(document, null, 2));
}
