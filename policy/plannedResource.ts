/**
 * What the baseline rules look at: the resources a stack plans, by type token and inputs, whether CrossGuard hands
 * them over (`pulumi preview --policy-pack policy`) or `npm run compliance` takes them from a rehearsal. Only plain
 * data: no `@pulumi/policy` and no Pulumi runtime here, so the same rules run in both places.
 */
import { isRecord } from "../lib/predicates";

/** The part of a CrossGuard `PolicyResource` / `ResourceValidationArgs` the rules read. */
export interface PlannedResource {
  type: string;
  name: string;
  urn?: string;
  props: Record<string, unknown>;
}

const entraType = (className: string): string => `entra-sspr:index:${className}`;

/** The component's children, by their type tokens (the entra-sspr provider plugin serves the tenant objects). */
export const resourceTypes = {
  passwordResetPolicy: entraType("PasswordResetPolicy"),
  methodConfiguration: entraType("AuthenticationMethodConfiguration"),
  methodsPolicy: entraType("AuthenticationMethodsPolicy"),
  administrators: entraType("AdministratorPasswordReset"),
  group: "azuread:index/group:Group",
  conditionalAccessPolicy: "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
} as const;

export const allUsers = "all_users";

export function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
  return resources.filter((resource) => resource.type === type);
}

/** The method configuration child for a Graph method id (`Email`, `Sms`, ...), compared case-insensitively. */
export function methodConfiguration(
  resources: readonly PlannedResource[],
  methodId: string,
): PlannedResource | undefined {
  return ofType(resources, resourceTypes.methodConfiguration).find(
    (resource) => String(resource.props.methodId ?? "").toLowerCase() === methodId.toLowerCase(),
  );
}

export function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Include target ids of a method configuration or campaign, lower-cased (`all_users` or group ids). */
export function targetIds(targets: unknown): string[] {
  return list(targets).map((target) => String(target.id ?? "").toLowerCase());
}

/** Whether SSPR is on for users in this plan (`enablement` selected or all), or undefined when not planned. */
export function ssprActive(resources: readonly PlannedResource[]): boolean | undefined {
  const policy = ofType(resources, resourceTypes.passwordResetPolicy)[0];
  if (policy === undefined) return undefined;
  return policy.props.enablement === "selected" || policy.props.enablement === "all";
}
