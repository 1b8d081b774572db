/**
 * The compliance table: every baseline rule judged on one plan, with the enforcement level the stack's pack config
 * gives it. Pure: `scripts/compliance.ts` supplies the plan (a rehearsal) and prints; the judging is `judgePlan`,
 * the same code the CrossGuard pack runs.
 */
import { judgePlan, type BaselineRule, type RuleStatus } from "./baselineRule";
import type { EnforcementLevel } from "./packConfig";
import type { PlannedResource } from "./plannedResource";

export interface ComplianceRow {
  rule: string;
  baselineIds: string[];
  setting: string;
  enforcement: EnforcementLevel;
  /** `disabled` when the stack's pack config turns the rule off (it is then not evaluated, as in CrossGuard). */
  status: RuleStatus | "disabled";
  message: string;
}

export interface ComplianceReport {
  rows: ComplianceRow[];
  summary: Record<ComplianceRow["status"], number>;
  /** Rules that would stop `pulumi preview --policy-pack`: mandatory and failed or in conflict. */
  blocking: string[];
}

export function evaluateCompliance(
  rules: readonly BaselineRule[],
  resources: readonly PlannedResource[],
  levels: Record<string, EnforcementLevel>,
): ComplianceReport {
  const rows = rules.map((rule): ComplianceRow => {
    const enforcement = levels[rule.name] ?? "advisory";
    const base = { rule: rule.name, baselineIds: rule.baselineIds, setting: rule.setting, enforcement };
    if (enforcement === "disabled") {
      return { ...base, status: "disabled", message: "disabled by the stack's pack config" };
    }
    return { ...base, ...judgePlan(rule, resources) };
  });
  const summary = { pass: 0, fail: 0, conflict: 0, "not-applicable": 0, disabled: 0 };
  for (const row of rows) summary[row.status] += 1;
  const blocking = rows
    .filter((row) => row.enforcement === "mandatory" && (row.status === "fail" || row.status === "conflict"))
    .map((row) => row.rule);
  return { rows, summary, blocking };
}

const statusWords: Record<ComplianceRow["status"], string> = {
  pass: "pass",
  fail: "FAIL",
  conflict: "CONFLICT",
  "not-applicable": "n/a",
  disabled: "disabled",
};

/** The table: one line per rule (result, enforcement, rule, baseline ids), its message indented below. */
export function formatCompliance(report: ComplianceReport, indent = "  "): string {
  const header = { result: "Result", enforcement: "Enforcement", rule: "Rule", ids: "Baselines" };
  const cells = [
    header,
    ...report.rows.map((row) => ({
      result: statusWords[row.status],
      enforcement: row.enforcement,
      rule: row.rule,
      ids: row.baselineIds.join(", "),
    })),
  ];
  const width = (key: keyof typeof header): number => Math.max(...cells.map((cell) => cell[key].length));
  const line = (cell: typeof header): string =>
    `${indent}${cell.result.padEnd(width("result"))}  ${cell.enforcement.padEnd(width("enforcement"))}  ` +
    `${cell.rule.padEnd(width("rule"))}  ${cell.ids}`;
  const messageIndent = `${indent}${" ".repeat(width("result") + width("enforcement") + 4)}`;
  const lines = [line(header)];
  report.rows.forEach((row, index) => {
    lines.push(line(cells[index + 1]));
    lines.push(`${messageIndent}${row.message}`);
  });
  const { summary } = report;
  lines.push(
    "",
    `${indent}${summary.pass} pass, ${summary.fail} fail, ${summary.conflict} conflict, ` +
      `${summary["not-applicable"]} not applicable, ${summary.disabled} disabled`,
  );
  if (report.blocking.length > 0) {
    lines.push(`${indent}Mandatory rules that would stop pulumi preview --policy-pack: ${report.blocking.join(", ")}`);
  }
  return lines.join("\n");
}
