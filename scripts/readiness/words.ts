/**
 * Readiness and doctor results as text and JSON. Pure. The doctor's JSON is exactly the shape:
 * `{ "user", "canReset", "checks": [{ "id", "ok", "found", "fix" }] }`; a check that could not be judged has
 * `ok: false` and a `found` that starts with "unknown:".
 */
import { redactSecrets } from "../../components/entra/errors";
import { problemKind } from "./judgement";
import type { ReadinessReport } from "./readinessReport";
import type { Diagnosis, ReadProblem } from "./types";

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

export function formatReadiness(report: ReadinessReport, where: string): string {
  const { counts } = report;
  const lines = [
    `Who can reset (${where}; registered methods from ${sourceWords[report.registrationSource]}):`,
    `  ${report.summary}.`,
    `  In the SSPR scope: ${counts.inScope} of ${counts.users}; registered enough of the methods offered to them: ` +
      `${counts.registeredEnough}; capable (both): ${counts.capable}; can reset: ${counts.canReset}.`,
  ];
  const blocked = report.rows.filter((row) => !row.canReset);
  if (blocked.length > 0) {
    lines.push("  Cannot reset today:");
    for (const row of blocked)
      lines.push(
        `    ${row.user} (${row.displayName}${row.isAdministrator ? ", administrator" : ""}): ${row.reason ?? "unknown"}` +
          (row.fix !== undefined && !row.undetermined ? `\n      Fix: ${row.fix}` : ""),
      );
  }
  const notes = report.problems.map(problemLine);
  if (notes.length > 0)
    lines.push("  Not read (reported as such, not as people not ready):", ...notes.map((n) => `    ${n}`));
  return redactSecrets(lines.join("\n"));
}

export function readinessJson(report: ReadinessReport): string {
  return redactSecrets(JSON.stringify(report, null, 2));
}

export function formatDiagnosis(diagnosis: Diagnosis, where: string): string {
  const verdict = diagnosis.canReset ? "Yes" : diagnosis.undetermined ? "Cannot tell (see unknown checks)" : "No";
  const width = Math.max(...diagnosis.checks.map((check) => check.id.length));
  const lines = [`Can ${diagnosis.user} reset their password at https://aka.ms/sspr? ${verdict} (${where})`];
  for (const check of diagnosis.checks) {
    const mark =
      check.status === "pass" ? "PASS" : check.status === "fail" ? (check.blocking ? "FAIL" : "WARN") : "????";
    lines.push(`  ${mark} ${check.id.padEnd(width)}  ${check.found}`);
    if (check.fix !== "") lines.push(`       ${"".padEnd(width)}  Fix: ${check.fix}`);
  }
  return redactSecrets(lines.join("\n"));
}

export function doctorJson(diagnosis: Diagnosis): string {
  const document = {
    user: diagnosis.user,
    canReset: diagnosis.canReset,
    checks: diagnosis.checks.map((check) => ({
      id: check.id,
      ok: check.ok,
      found: check.status === "unknown" ? `unknown: ${check.found}` : check.found,
      fix: check.fix,
    })),
  };
  return redactSecrets(JSON.stringify(document, null, 2));
}
