/**
 * The input checks the singletons share: each returns every failure it finds, naming the property, the value and
 * what is allowed, and skips values still unknown during preview. `validateCommon` checks the inputs every singleton
 * takes (tenant, endpoints, onDelete, ownership) and refuses keys the object does not know. Defined as plain
 * functions.
 */
import { endpointProblem, shownEndpoint } from "../../lib/endpoints";
import { containsUnknown, describeValue, isUnknown } from "./jsonValues";
import { ownershipProofOf } from "../ownership/ownershipMark";
import { isRecord } from "../../lib/predicates";
import { commonKeys, outputKeys } from "./singletonSpec";
import type { CheckFailure } from "./singletonSpec";

/** A check failure that names the property, the value and what is allowed. */
export function failure(property: string, value: unknown, allowed: string): CheckFailure {
  return { property, reason: `${property} is ${describeValue(value)}; allowed: ${allowed}` };
}

/** `value` must be a boolean (or absent when optional). */
export function checkBoolean(property: string, value: unknown, optional = false): CheckFailure[] {
  if (isUnknown(value) || (optional && value === undefined) || typeof value === "boolean") return [];
  return [failure(property, value, optional ? "true, false or absent" : "true or false")];
}

/** `value` must be an integer in [min, max]; `note` says what the numbers mean. */
export function checkInteger(
  property: string,
  value: unknown,
  min: number,
  max: number,
  optional = false,
  note = "",
): CheckFailure[] {
  if (isUnknown(value) || (optional && value === undefined)) return [];
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return [];
  return [failure(property, value, `an integer from ${min} to ${max}${note ? ` (${note})` : ""}`)];
}

/** `value` must be one of `options`. */
export function checkEnum(
  property: string,
  value: unknown,
  options: readonly unknown[],
  optional = false,
): CheckFailure[] {
  if (isUnknown(value) || (optional && value === undefined) || options.includes(value)) return [];
  return [failure(property, value, options.map((option) => JSON.stringify(option)).join(", "))];
}

/**
 * `value` must be an object holding every `required` key and no key outside `allowed`. Returns the object (or
 * undefined when it is not one, or still unknown) so callers check its members only when there is something to check.
 */
export function checkObject(
  property: string,
  value: unknown,
  allowed: readonly string[],
  required: readonly string[],
  failures: CheckFailure[],
): Record<string, unknown> | undefined {
  if (isUnknown(value)) return undefined;
  if (!isRecord(value)) {
    failures.push(failure(property, value, `an object with ${allowed.join(", ")}`));
    return undefined;
  }
  for (const key of required) {
    if (value[key] === undefined) {
      failures.push({ property: `${property}.${key}`, reason: `${property}.${key} is missing; it is required` });
    }
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      failures.push({
        property: `${property}.${key}`,
        reason: `${property}.${key} is not known; allowed: ${allowed.join(", ")}`,
      });
    }
  }
  return value;
}

/** Drops failures of a member already reported missing (its type check would only say the same again). */
export function withoutRedundant(failures: CheckFailure[]): CheckFailure[] {
  const missing = failures.filter((f) => f.reason.endsWith(" is missing; it is required")).map((f) => f.property);
  return failures.filter((f) => !missing.includes(f.property) || f.reason.endsWith(" is missing; it is required"));
}

/** An endpoint must be https (http only on loopback, for the emulator), without credentials, query or fragment. */
export function validateEndpoint(property: string, value: unknown): CheckFailure[] {
  if (isUnknown(value)) return [];
  const problem = endpointProblem(value, property.endsWith("portal") ? "portal" : "graph");
  if (problem === undefined) return [];
  return [{ property, reason: `${property} is ${describeValue(shownEndpoint(value))}; ${problem}` }];
}

/** Validates the inputs every singleton shares and rejects keys the object does not know (credentials included). */
export function validateCommon(
  inputs: Record<string, unknown>,
  known: readonly string[],
  supportsReset: boolean,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const tenantId = inputs.tenantId;
  if (!isUnknown(tenantId) && (typeof tenantId !== "string" || !/^[A-Za-z0-9.-]+$/.test(tenantId))) {
    failures.push(failure("tenantId", tenantId, "the directory (tenant) id, a GUID, or its verified domain name"));
  }
  const endpoints = inputs.endpoints;
  if (!isUnknown(endpoints)) {
    if (!isRecord(endpoints)) {
      failures.push(failure("endpoints", endpoints, "an object { graph, portal } of base URLs"));
    } else {
      failures.push(...validateEndpoint("endpoints.graph", endpoints.graph));
      failures.push(...validateEndpoint("endpoints.portal", endpoints.portal));
      for (const key of Object.keys(endpoints).filter((k) => k !== "graph" && k !== "portal")) {
        failures.push({
          property: `endpoints.${key}`,
          reason: `endpoints.${key} is not known; allowed: graph, portal`,
        });
      }
    }
  }
  if (inputs.ownership !== undefined && !isUnknown(inputs.ownership) && !containsUnknown(inputs.ownership)) {
    if (ownershipProofOf(inputs.ownership) === undefined) {
      failures.push(failure("ownership", inputs.ownership, "the outputs of the stack's TenantOwnership resource"));
    }
  }
  const onDelete = inputs.onDelete;
  const deleteModes = supportsReset ? ["restore", "retain", "reset"] : ["restore", "retain"];
  if (!isUnknown(onDelete) && (typeof onDelete !== "string" || !deleteModes.includes(onDelete))) {
    failures.push(failure("onDelete", onDelete, deleteModes.map((mode) => `"${mode}"`).join(", ")));
  }
  const allowed = [...commonKeys, ...known];
  for (const key of Object.keys(inputs)) {
    // The value of an unknown key is never echoed: it might be a token someone tried to pass.
    if (!allowed.includes(key) && !outputKeys.includes(key) && !key.startsWith("__")) {
      failures.push({
        property: key,
        reason: `${key} is not an input of this resource; allowed: ${allowed.join(", ")}`,
      });
    }
  }
  return failures;
}
