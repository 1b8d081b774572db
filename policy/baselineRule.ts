/**
 * One baseline rule: a row of `docs/reference/baselines.md#rows` as code. A rule judges either one resource (a child of
 * the component, picked by type token) or the whole plan, and answers pass, fail, conflict (baselines disagree with
 * each other or with the runbook: said, not decided) or not-applicable (the stack does not manage the setting).
 * Plain functions and data: `crossGuard.ts` turns rules into `@pulumi/policy` policies, `compliance.ts` runs them on
 * a rehearsal's plan; both call the same `judge` functions.
 */
import type { PlannedResource } from "./plannedResource";

export type RuleStatus = "pass" | "fail" | "conflict" | "not-applicable";

export interface RuleOutcome {
  status: RuleStatus;
  /** Names the setting in admin-center words, the value, and what to do (for fail and conflict). */
  message: string;
}

interface RuleBase {
  /** The CrossGuard policy name (also the key in the pack's config). */
  name: string;
  /** The baselines' own ids, e.g. `CIS M365 5.2.4.1`. */
  baselineIds: string[];
  /** The setting, as the Entra admin center names it. */
  setting: string;
  /** What the baselines recommend. */
  recommended: string;
  description: string;
}

/** Judges one resource of `resourceType`; `applies` narrows further (a method id). */
export interface ResourceRule extends RuleBase {
  kind: "resource";
  resourceType: string;
  applies?: (resource: PlannedResource) => boolean;
  judge: (resource: PlannedResource) => RuleOutcome;
  /** Said when the plan has no resource the rule applies to. */
  whenAbsent: string;
}

/** Judges the plan as a whole (settings spread over several resources, or a setting the stack leaves alone). */
export interface StackRule extends RuleBase {
  kind: "stack";
  judge: (resources: readonly PlannedResource[]) => RuleOutcome;
}

export type BaselineRule = ResourceRule | StackRule;

export const pass = (message: string): RuleOutcome => ({ status: "pass", message });
export const fail = (message: string): RuleOutcome => ({ status: "fail", message });
export const conflict = (message: string): RuleOutcome => ({ status: "conflict", message });
export const notApplicable = (message: string): RuleOutcome => ({ status: "not-applicable", message });

const severity: Record<RuleStatus, number> = { pass: 0, "not-applicable": 1, conflict: 2, fail: 3 };

/** The outcome of a rule over a whole plan: a resource rule takes the worst of the resources it applies to. */
export function judgePlan(rule: BaselineRule, resources: readonly PlannedResource[]): RuleOutcome {
  if (rule.kind === "stack") return rule.judge(resources);
  const applicable = resources.filter(
    (resource) => resource.type === rule.resourceType && (rule.applies?.(resource) ?? true),
  );
  if (applicable.length === 0) return notApplicable(rule.whenAbsent);
  const outcomes = applicable.map((resource) => rule.judge(resource));
  return outcomes.reduce((worst, outcome) => (severity[outcome.status] > severity[worst.status] ? outcome : worst));
}
