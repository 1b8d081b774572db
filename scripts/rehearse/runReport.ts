/**
 * A run's steps and errors in words (pure): what each resource is in admin-center words, one line per step of
 * `pulumi up` or `destroy`, and every error as lines a person can act on.
 */
import { CheckFailedError, EngineError, type EngineState, type Step } from "../../engine/engine";
import type { PropertyMap } from "../../engine/propertyValues";
import { ProviderHostError } from "../../engine/providerHost";
import { groupType } from "../stack/azureadStandIns";

const resourceWords: Record<string, string> = {
  "entra-sspr:index:SelfServicePasswordReset": "Self-service password reset (component)",
  "entra-sspr:index:PasswordResetPolicy": "Password reset policy (admin center, portal API)",
  "entra-sspr:index:AuthenticationMethodsPolicy": "Authentication methods policy",
  "entra-sspr:index:AdministratorPasswordReset": "Administrator password reset policy",
  "entra-sspr:index:TenantOwnership": "Ownership claim (who manages this tenant's SSPR; the mark in the tenant)",
  "entra-sspr:index:PilotGroupRelease": "Pilot group release (deletes the created group once nothing names it)",
  [groupType]: "Group",
};

/** The tenant objects destroy puts back as they were (or leaves, with onDestroy retain): never deleted. */
const restoredTypes = new Set([
  "entra-sspr:index:PasswordResetPolicy",
  "entra-sspr:index:AuthenticationMethodConfiguration",
  "entra-sspr:index:AuthenticationMethodsPolicy",
  "entra-sspr:index:AdministratorPasswordReset",
]);

/** What a step does, in words: a destroyed tenant object is restored (or retained), the claim released, a retained
 * resource kept. */
function opWords(step: Step, inputs: PropertyMap | undefined, released: ReadonlySet<string> = new Set()): string {
  if (step.op !== "delete") return step.op;
  // A retained group that a release of the same run deletes is not kept: say who deletes it (issue 27: a pilot's
  // destroy printed `keep  Group "SSPR Pilot"` beside the release that deletes it).
  if (step.retained === true)
    return typeof inputs?.displayName === "string" && step.type === groupType && released.has(inputs.displayName)
      ? "deleted by the release"
      : "keep";
  if (restoredTypes.has(step.type)) return inputs?.onDelete === "retain" ? "retain" : "restore";
  // The claim is given up (the mark emptied), so another stack may manage the tenant; nothing of SSPR changes.
  if (step.type === "entra-sspr:index:TenantOwnership") return "release";
  return "delete";
}

/** What a resource is, in admin-center words: `Authentication method Email`, `Group "SSPR Pilot"`. */
export function describeResource(type: string, inputs: PropertyMap = {}): string {
  if (type === "entra-sspr:index:AuthenticationMethodConfiguration") {
    return `Authentication method ${typeof inputs.methodId === "string" ? inputs.methodId : "(unknown)"}`;
  }
  if (type === groupType && typeof inputs.displayName === "string") return `Group "${inputs.displayName}"`;
  return resourceWords[type] ?? type;
}

const opSymbols: Record<Step["op"], string> = { create: "+", update: "~", same: " ", replace: "+-", delete: "-" };

/** One line per step: symbol, operation, what it is, its name, and the inputs that changed. */
export function formatSteps(steps: Step[], state: EngineState, indent = "  "): string {
  if (steps.length === 0) return `${indent}(no resources)`;
  // The groups the run's pilot group releases delete (by name: the release names the group it deletes).
  const released = new Set(
    steps
      .filter((step) => step.op === "delete" && step.type === "entra-sspr:index:PilotGroupRelease")
      .map((step) => state[step.urn]?.inputs?.displayName)
      .filter((name): name is string => typeof name === "string"),
  );
  const rows = steps.map((step) => ({
    head: `${opSymbols[step.op].padEnd(2)} ${opWords(step, state[step.urn]?.inputs, released)}`,
    what: describeResource(step.type, state[step.urn]?.inputs),
    name: step.name,
    diffs: step.diffs !== undefined && step.diffs.length > 0 ? `  changed: ${step.diffs.join(", ")}` : "",
  }));
  const headWidth = Math.max(...rows.map((row) => row.head.length));
  const whatWidth = Math.max(...rows.map((row) => row.what.length));
  return rows
    .map((row) => `${indent}${row.head.padEnd(headWidth)}  ${row.what.padEnd(whatWidth)}  ${row.name}${row.diffs}`)
    .join("\n");
}

/** `urn:pulumi:dev::entra-sspr::A$B::name` -> `name`. */
function nameFromUrn(urn: string): string {
  return urn.split("::").pop() || urn;
}

/** Every error as lines a person can act on; each engine error becomes one line per provider failure. */
export function describeErrors(errors: readonly unknown[]): string[] {
  const lines = errors.flatMap((error): string[] => {
    if (error instanceof CheckFailedError) {
      return error.failures.map((failure) => `${nameFromUrn(error.urn)}: ${failure.property}: ${failure.reason}`);
    }
    if (error instanceof ProviderHostError) return [`${nameFromUrn(error.urn)} (${error.method}): ${error.details}`];
    if (error instanceof EngineError) return describeErrors(error.errors);
    if (error instanceof AggregateError) return describeErrors(error.errors);
    // The SDK wraps a failed input as `error serializing property "<name>": <the failure>`: keep the failure.
    const message = error instanceof Error ? error.message : String(error);
    return [message.replace(/^(error serializing property "[^"]*": )+/, "")];
  });
  // The SDK repeats a failure in every resource that waited for it ("error serializing property ...: <the
  // failure>"): keep each failure once, in its own words.
  const unique = [...new Set(lines)];
  return unique.filter(
    (line) => line !== "" && !unique.some((other) => other !== line && other !== "" && line.includes(other)),
  );
}
