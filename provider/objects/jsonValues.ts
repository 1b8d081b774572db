/**
 * Pure helpers over the JSON values the singletons handle (inputs, owned settings, Graph and portal documents):
 * Pulumi's unknown preview value, structural comparison, merging and projection, and how a value reads in a message.
 * Exported for the specs and their tests. Defined as plain functions: they are captured by value into the serialized
 * provider, so they hold no state and require nothing at load time.
 */
import { isRecord } from "../../lib/predicates";
import type { OwnedSettings, RemoteDocument } from "./singletonSpec";

/** What the engine sends for a value not known yet during preview (`pulumi/runtime/rpc.ts` unknownValue). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === unknownValue;
}

/** A value as it appears in a message: JSON, shortened. Inputs hold no credentials (check refuses unknown keys). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Structural equality of JSON values; a member that is `undefined` counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (!deepEqual(a[key], b[key])) return false;
    }
    return true;
  }
  return false;
}

/** Keys of `desired` whose value differs from `current`; keys only in `current` are no longer owned and ignored. */
export function differingKeys(current: OwnedSettings, desired: OwnedSettings): string[] {
  return Object.keys(desired).filter((key) => !deepEqual(current[key], desired[key]));
}

/** The members that are neither `null` nor `undefined` (a Graph PATCH cannot remove a property). */
export function withoutNulls(fields: RemoteDocument): RemoteDocument {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));
}

/** Raw fields of `next` that differ from the remote (a remote member that is absent equals `null`). */
export function changedFields(remote: RemoteDocument, next: RemoteDocument): RemoteDocument {
  const changed: RemoteDocument = {};
  for (const [key, value] of Object.entries(next)) {
    if (!deepEqual(remote[key] ?? null, value ?? null)) changed[key] = value;
  }
  return changed;
}

/**
 * Recursively merges `patch` onto `base` (objects merged, arrays and scalars replaced). Used to send whole complex
 * properties (e.g. `featureSettings`, `registrationEnforcement`) so the result is the same whether the service merges
 * or replaces complex values on PATCH (unverified which one Graph does for each property).
 */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isRecord(base) || !isRecord(patch)) return patch;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) merged[key] = deepMerge(base[key], value);
  return merged;
}

/**
 * The raw value of a complex property that realises an owned setting: the tenant's value untouched when the setting
 * already matches (`current` equals `next`); otherwise the tenant's value with the `given` members merged in, sent
 * whole (see `deepMerge`).
 */
export function keptOrMerged(current: unknown, next: unknown, remote: unknown, given: unknown): unknown {
  return deepEqual(current, next) ? remote : deepMerge(remote, given);
}

/** `value` when it is a JSON object, else an empty one (a member that is absent, null or not an object). */
export function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The parts of `value` that `shape` names (recursively through objects; arrays and scalars whole). */
export function project(value: unknown, shape: unknown): unknown {
  if (!isRecord(shape)) return value === undefined ? null : value;
  const source = recordOf(value);
  const projected: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) projected[key] = project(source[key], shape[key]);
  return projected;
}

/** Whether a value still holds an unknown (preview) value anywhere inside. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isRecord(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** Lists the changed settings with wanted and found values, for errors. */
export function describeMismatch(keys: string[], wanted: OwnedSettings, found: OwnedSettings): string {
  return keys
    .map((key) => `${key}: wanted ${describeValue(wanted[key])}, tenant has ${describeValue(found[key])}`)
    .join("; ");
}

/** Keeps the members of `source` that are not undefined (JSON has no undefined, and state must match JSON). */
export function compact(source: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined) kept[key] = value;
  return kept;
}
