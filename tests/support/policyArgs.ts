/**
 * CrossGuard's validation args built by hand (docs/reference/pulumi-engine.md#policy-packs: tests call `validateResource` / `validateStack`
 * directly), and plans built from the project's own mapping so the rules read the child inputs the component
 * really registers.
 */
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { SsprSettings } from "../../components/ssprArgs";
import {
  administratorSettings,
  methodChildren,
  methodConfigurationSettings,
  methodsPolicySettings,
  methodTargetId,
  passwordResetPolicySettings,
} from "../../components/mapping";
import { methodsPolicyRootInputs } from "../../components/methodsPolicySettings";
import type { BaselineRule } from "../../policy/baselineRule";
import { crossGuardPolicy } from "../../policy/crossGuard";
import { resourceTypes, type PlannedResource } from "../../policy/plannedResource";

class NotApplicable extends Error {}

const options = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason ?? "");
};

function resourceArgs(resource: PlannedResource): ResourceValidationArgs {
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn ?? `urn:pulumi:dev::entra-sspr::${resource.type}::${resource.name}`,
    props: resource.props,
    opts: options,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => ({}) as T,
    notApplicable,
  };
}

function policyResource(resource: PlannedResource): PolicyResource {
  const { notApplicable: _skip, getConfig: _config, stackTags: _tags, ...rest } = resourceArgs(resource);
  return { ...rest, dependencies: [], propertyDependencies: {} };
}

/** What CrossGuard would show for a rule over a plan: violations, and the not-applicable reasons. */
export interface PolicyRun {
  violations: string[];
  notApplicable: string[];
}

export async function runPolicy(rule: BaselineRule, resources: PlannedResource[]): Promise<PolicyRun> {
  const policy = crossGuardPolicy(rule);
  const run: PolicyRun = { violations: [], notApplicable: [] };
  const report = (message: string): void => {
    run.violations.push(message);
  };
  const guarded = async (call: () => void | Promise<void>): Promise<void> => {
    try {
      await call();
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
      run.notApplicable.push(error.message);
    }
  };
  if ("validateStack" in policy) {
    const stack = policy as StackValidationPolicy;
    const args: StackValidationArgs = {
      resources: resources.map(policyResource),
      stackTags: new Map(),
      getConfig: <T extends object>() => ({}) as T,
      notApplicable,
    };
    await guarded(() => stack.validateStack(args, report));
  } else {
    const validate = (policy as ResourceValidationPolicy).validateResource;
    if (validate === undefined || Array.isArray(validate)) throw new Error(`${rule.name}: one validateResource`);
    for (const resource of resources) await guarded(() => validate(resourceArgs(resource), report));
  }
  return run;
}

export const pilotGroupId = "5d3c2b1a-0f9e-4d8c-b7a6-958473625140";

/**
 * The child resources the component registers for `settings`, as (type, name, inputs), using the mapping the
 * component uses; a pilot group (scope selected) is the existing group {@link pilotGroupId}.
 */
export function planFor(settings: SsprSettings, name = "sspr"): PlannedResource[] {
  const resources: PlannedResource[] = [];
  if (settings.scope !== "none" && settings.methods !== undefined) {
    const targetId = methodTargetId(settings.scope, pilotGroupId);
    for (const child of methodChildren(settings.methods)) {
      resources.push({
        type: resourceTypes.methodConfiguration,
        name: `${name}-method-${child.suffix}`,
        props: { ...methodConfigurationSettings(child, targetId) },
      });
    }
  }
  const methodsPolicy = { ...methodsPolicySettings(settings.methodsPolicy), ...methodsPolicyRootInputs(settings) };
  if (Object.keys(methodsPolicy).length > 0) {
    resources.push({ type: resourceTypes.methodsPolicy, name: `${name}-methods-policy`, props: { ...methodsPolicy } });
  }
  resources.push({
    type: resourceTypes.passwordResetPolicy,
    name: `${name}-password-reset-policy`,
    props: { ...passwordResetPolicySettings(settings, settings.scope === "selected" ? pilotGroupId : undefined) },
  });
  const administrators = administratorSettings(settings.administrators);
  if (administrators !== undefined) {
    resources.push({
      type: resourceTypes.administrators,
      name: `${name}-administrators`,
      props: { ...administrators },
    });
  }
  return resources;
}
