/**
 * The baseline rules as CrossGuard policies (`@pulumi/policy`): a resource rule becomes `validateResource`, a stack
 * rule `validateStack`. Fail and conflict both report a violation (a conflict says so first, naming both sides), so
 * a stack that makes a conflict rule mandatory sees its preview stop with the reason; not-applicable goes through
 * CrossGuard's own `notApplicable`.
 */
import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { BaselineRule, RuleOutcome } from "./baselineRule";
import { defaultEnforcementLevel } from "./packConfig";
import type { PlannedResource } from "./plannedResource";

/** The violation text: baseline ids first, then the rule's message; a conflict says it is one. */
export function violationMessage(rule: BaselineRule, outcome: RuleOutcome): string {
  const prefix = outcome.status === "conflict" ? "Conflict between baselines: " : "";
  return `[${rule.baselineIds.join(", ")}] ${prefix}${outcome.message}`;
}

function report(
  rule: BaselineRule,
  outcome: RuleOutcome,
  reportViolation: ReportViolation,
  notApplicable: (reason?: string) => never,
  urn?: string,
): void {
  if (outcome.status === "pass") return;
  if (outcome.status === "not-applicable") notApplicable(outcome.message);
  reportViolation(violationMessage(rule, outcome), urn);
}

function plain(resource: { type: string; name: string; urn: string; props: Record<string, unknown> }): PlannedResource {
  return { type: resource.type, name: resource.name, urn: resource.urn, props: resource.props };
}

export function crossGuardPolicy(rule: BaselineRule): ResourceValidationPolicy | StackValidationPolicy {
  const common = {
    name: rule.name,
    description: `${rule.description} Baselines: ${rule.baselineIds.join(", ")}.`,
    enforcementLevel: defaultEnforcementLevel,
    tags: rule.baselineIds,
  };
  if (rule.kind === "resource") {
    return {
      ...common,
      validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (args.type !== rule.resourceType) return;
        const resource = plain(args);
        if (rule.applies !== undefined && !rule.applies(resource)) return;
        report(rule, rule.judge(resource), reportViolation, args.notApplicable, args.urn);
      },
    };
  }
  return {
    ...common,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      report(rule, rule.judge(args.resources.map(plain)), reportViolation, args.notApplicable);
    },
  };
}

export function crossGuardPolicies(
  rules: readonly BaselineRule[],
): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return rules.map(crossGuardPolicy);
}
