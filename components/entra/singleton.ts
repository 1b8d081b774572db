/**
 * The one lifecycle shared by the four tenant singletons (PasswordResetPolicy, AuthenticationMethodConfiguration,
 * AuthenticationMethodsPolicy, AdministratorPasswordReset).
 *
 * A tenant singleton always exists, so `create` adopts it and `delete` puts back what was there. Each object supplies
 * a spec (how to read it, which fields it owns, how to write them); this file does the rest, once:
 *   check   validate every input, report every failure at once, fill defaults;
 *   create  GET -> snapshot the owned raw fields -> write only when the owned settings differ -> GET read-back;
 *   read    one GET; the tenant's values replace the owned settings, so refresh shows drift made elsewhere;
 *   diff    owned settings only, normalised; never a replace;
 *   update  GET -> write only what differs -> GET read-back;
 *   delete  per `onDelete`: restore the snapshot (default), retain, or reset (method configurations only).
 *
 * SERIALIZATION: Pulumi serializes the provider returned by `singletonProvider` by closure capture and re-creates it
 * in the dynamic-provider host, a plain Node process without a TypeScript loader. So everything reachable from the
 * provider is plain functions and data; the HTTP client is created inside each method (never captured), and nothing
 * reads `process.env` at module load. Local imports (`./client`) are captured by value; packages are `require`d at
 * call time by the code that needs them.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createEntraClient } from "./client";
import { isRefusal } from "./errors";
import { assertOwnership, holdsClaim, ownershipProofOf } from "./ownershipMark";
import type { OwnershipProof } from "./ownershipMark";
import type { EntraClient } from "./client";
import { endpointProblem, shownEndpoint } from "./endpoints";
import { isRecord } from "./predicates";
import { mergeSnapshots, releasedFields, restoreValues, snapshotFromState, takeSnapshot } from "./snapshot";
import type { TakenSnapshot } from "./snapshot";
import { defaultEndpoints } from "./types";
import type { EntraEndpoints, OnDelete } from "./types";

/** A JSON object as Graph or the portal API returns it. */
export type RemoteDocument = Record<string, unknown>;

/** Normalised owned settings, keyed by setting name (the admin-center words of the inputs). */
export type OwnedSettings = Record<string, unknown>;

/** Raw fields of the remote object as they were before adoption, keyed by the API's own field names. */
export type Snapshot = Record<string, unknown>;

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Inputs every singleton carries once `check` has filled the defaults. */
export interface CheckedTarget {
  tenantId: string;
  endpoints: EntraEndpoints;
  onDelete: OnDelete;
  /** The stack's claim on the tenant (TenantOwnership's outputs); checked before every write. */
  ownership?: OwnershipProof;
}

export interface SingletonSpec<Inputs extends CheckedTarget> {
  /** The class name; prefixes every error. */
  kind: string;
  /** Input keys that are owned settings (diffed, written, restored). */
  settingKeys: readonly string[];
  /** Input keys naming which object this is (e.g. `methodId`): changing one means another object, refused. */
  identityKeys?: readonly string[];
  /** Other input keys that shape behaviour without being settings (e.g. `includeTargetsMode`). */
  optionKeys?: readonly string[];
  /** Whether `onDelete: "reset"` exists for this object. */
  supportsReset: boolean;
  /** Fills defaults and canonical spellings; runs before validation, on unvalidated inputs. */
  defaults?(inputs: Record<string, unknown>): Record<string, unknown>;
  /** Every problem with the object's own inputs (pure; unknown preview values are already skipped by the caller). */
  validate(inputs: Record<string, unknown>): CheckFailure[];
  /** A stable id for the state; singletons have no server-side id of their own. */
  id(inputs: Inputs): string;
  /**
   * One GET of the remote object. `fields` are the raw fields the caller needs (the owned ones, or a snapshot's on
   * restore): an object with beta-only fields reads them from `/beta`.
   */
  get(client: EntraClient, inputs: Inputs, fields: readonly string[]): Promise<RemoteDocument>;
  /** The remote's top-level fields that the given inputs own (what a snapshot keeps). */
  rawFields(inputs: Inputs): string[];
  /** The owned settings as the tenant has them, normalised; only settings present in the inputs. */
  owned(remote: RemoteDocument, inputs: Inputs): OwnedSettings;
  /** The owned settings as the inputs want them, normalised in the same way, given the tenant's current values. */
  desired(inputs: Inputs, current: OwnedSettings): OwnedSettings;
  /** Throws when the move from `current` to `desired` is not allowed (e.g. migration state backwards). */
  guard?(current: OwnedSettings, desired: OwnedSettings): void;
  /** Raw values of the owned top-level fields that realise `next`, built on `remote` (unchanged where already equal). */
  toRaw(next: OwnedSettings, remote: RemoteDocument, inputs: Inputs): RemoteDocument;
  /** Sends the changed raw fields (portal: whole object PUT; Graph: PATCH of just these). */
  send(client: EntraClient, inputs: Inputs, remote: RemoteDocument, changed: RemoteDocument): Promise<void>;
  /** Raw fields the service may rewrite on its own (display names): written back on restore, not verified. */
  unverifiable?: readonly string[];
  /**
   * The snapshot fields restore writes, from those that differ from the tenant. A snapshot field that is `null` was
   * absent (or null) before adoption. Default: every differing field except nulls, since a Graph PATCH cannot remove
   * a property. Specs override it to map absence to the API's empty value, or to keep fields from moving (e.g. the
   * migration state, which only moves forward).
   */
  restorable?(changed: RemoteDocument, remote: RemoteDocument): RemoteDocument;
  /**
   * Owned settings expressed as inputs (for `read`): what the inputs would be if they described the tenant.
   * Default: the owned settings themselves, for objects whose settings already have the inputs' shape.
   */
  settings?(current: OwnedSettings, inputs: Inputs): Record<string, unknown>;
  /** `onDelete: "reset"`: back to the service's defaults. */
  reset?(client: EntraClient, inputs: Inputs): Promise<void>;
}

// -------------------------------------------------------------------------------------------------------------
// Pure helpers shared by the specs (exported for their tests). Defined as plain functions: they are captured by
// value into the serialized provider.
// -------------------------------------------------------------------------------------------------------------

/** What the engine sends for a value not known yet during preview (`pulumi/runtime/rpc.ts` unknownValue). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The group id Graph uses for "no exclusion" in Authenticator feature settings. */
export const zeroGuid = "00000000-0000-0000-0000-000000000000";

export function isUnknown(value: unknown): boolean {
  return value === unknownValue;
}

/** A value as it appears in a message: JSON, shortened. Inputs hold no credentials (check refuses unknown keys). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** A check failure that names the property, the value and what is allowed. */
export function failure(property: string, value: unknown, allowed: string): CheckFailure {
  return { property, reason: `${property} is ${describeValue(value)}; allowed: ${allowed}` };
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

/** The parts of `value` that `shape` names (recursively through objects; arrays and scalars whole). */
export function project(value: unknown, shape: unknown): unknown {
  if (!isRecord(shape)) return value === undefined ? null : value;
  const source = isRecord(value) ? value : {};
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

/** Identity of a target: its type and id, compared case-insensitively (`All_Users` is `all_users`; GUIDs too). */
export function targetKey(target: unknown): string {
  if (!isRecord(target)) return JSON.stringify(target);
  return `${String(target.targetType ?? "")}:${String(target.id ?? "")}`.toLowerCase();
}

/** A target with its id lower-cased; other members as they are. */
export function canonicalTarget(target: unknown): unknown {
  if (!isRecord(target)) return target;
  return typeof target.id === "string" ? { ...target, id: target.id.toLowerCase() } : { ...target };
}

/**
 * A target list in a form that compares: ids lower-cased, sorted by type and id. With `dropNoExclusion`, entries
 * holding the zero-GUID "no exclusion" sentinel are removed (an exclusion list of just the sentinel is empty).
 */
export function canonicalTargets(list: unknown, dropNoExclusion = false): unknown[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((target) => !(dropNoExclusion && isRecord(target) && target.id === zeroGuid))
    .map(canonicalTarget)
    .sort((a, b) => (targetKey(a) < targetKey(b) ? -1 : targetKey(a) > targetKey(b) ? 1 : 0));
}

/**
 * The raw target list that realises `next` (canonical) on top of `remote`: the remote list itself when it already
 * compares equal; otherwise remote elements that stay keep their position and id spelling, new ones are appended.
 */
export function targetsToRaw(remote: unknown, next: unknown[], dropNoExclusion = false): unknown[] {
  const remoteList = Array.isArray(remote) ? remote : [];
  if (deepEqual(canonicalTargets(remoteList, dropNoExclusion), canonicalTargets(next, dropNoExclusion))) {
    return remoteList;
  }
  const wanted = new Map(next.map((target) => [targetKey(target), target]));
  const kept: unknown[] = [];
  for (const element of remoteList) {
    const target = wanted.get(targetKey(element));
    if (target === undefined || !isRecord(element) || !isRecord(target)) continue;
    kept.push({ ...element, ...target, id: element.id });
    wanted.delete(targetKey(element));
  }
  return [...kept, ...wanted.values()];
}

/** Lists the changed settings with wanted and found values, for errors. */
export function describeMismatch(keys: string[], wanted: OwnedSettings, found: OwnedSettings): string {
  return keys
    .map((key) => `${key}: wanted ${describeValue(wanted[key])}, tenant has ${describeValue(found[key])}`)
    .join("; ");
}

// -------------------------------------------------------------------------------------------------------------
// Common input checks
// -------------------------------------------------------------------------------------------------------------

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

/** Keeps the members of `source` that are not undefined (JSON has no undefined, and state must match JSON). */
export function compact(source: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined) kept[key] = value;
  return kept;
}

const commonKeys = ["tenantId", "endpoints", "onDelete", "ownership"];

/** Keys the resource class itself declares as outputs; they arrive empty in the inputs and are dropped. */
const outputKeys = ["snapshot", "snapshotAbsent", "current"];

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

// -------------------------------------------------------------------------------------------------------------
// The provider
// -------------------------------------------------------------------------------------------------------------

/** An object member of the state, or an empty object when it is missing (state written by an older version). */
function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The inputs part of a property bag: no hidden (`__provider`) or output-only members. */
function inputsOf(props: Record<string, unknown>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (!key.startsWith("__") && !outputKeys.includes(key) && value !== undefined) inputs[key] = value;
  }
  return inputs;
}

/** An error that still records the resource in state (Pulumi's "created but failed to initialize"). */
function initFailure(message: string, id: string, properties: Record<string, unknown>): Error {
  const error = new Error(message) as Error & { id?: string; properties?: Record<string, unknown>; reasons?: string[] };
  error.id = id;
  error.properties = properties;
  error.reasons = [message];
  return error;
}

type Props = Record<string, unknown>;

/** A dynamic provider with every lifecycle method present (so tests and scripts can call them directly). */
export interface SingletonProvider extends pulumi.dynamic.ResourceProvider {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props; inputs: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

/**
 * Builds the dynamic provider of one tenant singleton from its spec. Everything later calls need (endpoints,
 * tenantId, onDelete, snapshot) lives in the outputs, because `diff`, `update` and `delete` only see old outputs.
 */
export function singletonProvider<Inputs extends CheckedTarget>(spec: SingletonSpec<Inputs>): SingletonProvider {
  const known = [...spec.settingKeys, ...(spec.identityKeys ?? []), ...(spec.optionKeys ?? [])];

  const clientFor = (inputs: Inputs): EntraClient =>
    createEntraClient({ tenantId: inputs.tenantId, endpoints: inputs.endpoints });

  /**
   * What the state records: the inputs with the owned settings as the tenant holds them (so a refresh right after an
   * apply finds nothing to report), the snapshot, and the owned settings themselves.
   */
  const stateOf = (given: Props, taken: TakenSnapshot, current: OwnedSettings): Props => ({
    ...given,
    ...(spec.settings ? spec.settings(current, given as unknown as Inputs) : current),
    snapshot: taken.snapshot,
    snapshotAbsent: taken.absent,
    current,
  });

  /** What moving the tenant to the inputs takes (pure): throws when the move is not allowed, before anything is sent. */
  const plan = (inputs: Inputs, remote: RemoteDocument, current: OwnedSettings) => {
    const desired = spec.desired(inputs, current);
    if (differingKeys(current, desired).length === 0) return { desired, changed: undefined };
    spec.guard?.(current, desired);
    // A raw field is written only when its setting changes: a field whose value differs from the tenant's only in
    // spelling (casing, order) maps to the same raw value from `current` and `desired`, so it is left alone.
    const unchanged = spec.toRaw(current, remote, inputs);
    const changed = changedFields(remote, spec.toRaw(desired, remote, inputs));
    for (const key of Object.keys(changed)) if (deepEqual(changed[key], unchanged[key])) delete changed[key];
    return { desired, changed };
  };

  /**
   * Carries out a plan: writes what differs (plus `release`, released fields going back to their snapshot values) in
   * one write, reads back and fails on anything the tenant did not take; returns the tenant's owned settings after.
   */
  const apply = async (
    client: EntraClient,
    inputs: Inputs,
    remote: RemoteDocument,
    current: OwnedSettings,
    { desired, changed }: ReturnType<typeof plan>,
    release: RemoteDocument = {},
  ): Promise<OwnedSettings> => {
    const writes = { ...release, ...(changed ?? {}) };
    if (Object.keys(writes).length === 0) return current;
    const proof = ownershipProofOf(inputs.ownership);
    if (proof !== undefined) await assertOwnership(client, proof, spec.kind);
    await spec.send(client, inputs, remote, writes);
    const afterRaw = await spec.get(client, inputs, [...spec.rawFields(inputs), ...Object.keys(release)]);
    const after = spec.owned(afterRaw, inputs);
    const refused = differingKeys(after, desired);
    if (refused.length > 0) {
      throw new Error(
        `${spec.kind}: the tenant did not take the change (read back after writing): ` +
          describeMismatch(refused, desired, after),
      );
    }
    verifyWritten(release, afterRaw, "putting back settings the config no longer names");
    return after;
  };

  /** Fails naming each raw field the tenant does not hold as written (display names the service resolves aside). */
  const verifyWritten = (written: RemoteDocument, afterRaw: RemoteDocument, what: string): void => {
    const refused = Object.keys(changedFields(afterRaw, written)).filter((key) => !spec.unverifiable?.includes(key));
    if (refused.length === 0) return;
    throw new Error(
      `${spec.kind}: ${what} failed, the tenant did not take: ` +
        refused
          .map((key) => `${key}: wanted ${describeValue(written[key])}, tenant has ${describeValue(afterRaw[key])}`)
          .join("; "),
    );
  };

  /** The snapshot fields in `fields` (all when absent) that differ from the tenant, as the spec can write them. */
  const restoreWrites = (remote: RemoteDocument, taken: TakenSnapshot, fields?: readonly string[]): RemoteDocument => {
    const differing = changedFields(remote, restoreValues(taken, fields));
    return spec.restorable ? spec.restorable(differing, remote) : withoutNulls(differing);
  };

  /**
   * Writes back the snapshot fields that differ from the tenant, then reads back and fails on any it did not take.
   * When the service refuses the write as a whole (a 4xx: the tenant held a value it no longer accepts, such as a
   * deleted group), every field it does accept is still put back, one at a time, and the error names the rest with
   * the way out (`ENTRA_SSPR_KEEP_UNRESTORABLE=1`, read when destroy runs), instead of failing the same way forever.
   */
  const restore = async (client: EntraClient, inputs: Inputs, taken: TakenSnapshot): Promise<void> => {
    const fields = Object.keys(taken.snapshot);
    if (fields.length === 0) return;
    const remote = await spec.get(client, inputs, fields);
    const changed = restoreWrites(remote, taken);
    if (Object.keys(changed).length === 0) return;
    let refused: RemoteDocument = {};
    try {
      await spec.send(client, inputs, remote, changed);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      refused = await restoreFieldByField(client, inputs, remote, changed);
    }
    const accepted = Object.fromEntries(Object.entries(changed).filter(([field]) => !(field in refused)));
    const after = await spec.get(client, inputs, fields);
    verifyWritten(accepted, after, "restoring the snapshot");
    if (Object.keys(refused).length === 0 || process.env.ENTRA_SSPR_KEEP_UNRESTORABLE === "1") return;
    const kept = Object.entries(refused)
      .map(([field, value]) => `${field} (held ${describeValue(value)}, now ${describeValue(after[field])})`)
      .join(", ");
    throw new Error(
      `${spec.kind}: the service refuses the value the tenant held before adoption for ${kept}; every other ` +
        "setting is back as it was. To finish the destroy leaving these as the tenant has them now, run it again " +
        "with ENTRA_SSPR_KEEP_UNRESTORABLE=1.",
    );
  };

  /** Each field on top of those already accepted (a whole-object write never puts back an older value); returns
   * the fields the service refused, with the values it refused. */
  const restoreFieldByField = async (
    client: EntraClient,
    inputs: Inputs,
    remote: RemoteDocument,
    changed: RemoteDocument,
  ): Promise<RemoteDocument> => {
    const accepted: RemoteDocument = {};
    const refused: RemoteDocument = {};
    for (const [field, value] of Object.entries(changed)) {
      try {
        await spec.send(client, inputs, remote, { ...accepted, [field]: value });
        accepted[field] = value;
      } catch (error) {
        if (!isRefusal(error)) throw error;
        refused[field] = value;
      }
    }
    return refused;
  };

  return {
    async check(_olds: Props, news: Props) {
      let inputs = inputsOf(news);
      const allowed = [...commonKeys, ...known];
      if (inputs.onDelete === undefined) inputs.onDelete = "restore";
      if (inputs.endpoints === undefined) inputs.endpoints = { ...defaultEndpoints };
      if (spec.defaults) inputs = spec.defaults(inputs);
      const failures = [...validateCommon(inputs, known, spec.supportsReset), ...spec.validate(inputs)];
      // Keys that are not inputs (reported above) are dropped so that nothing unexpected can reach the state.
      for (const key of Object.keys(inputs)) if (!allowed.includes(key)) delete inputs[key];
      return { inputs, failures };
    },

    async diff(_id: string, olds: Props, news: Props) {
      // A value computed elsewhere in the program (e.g. a group id) is unknown during preview: it may change anything.
      if (containsUnknown(inputsOf(news))) return { changes: true, replaces: [], deleteBeforeReplace: false };
      const current = recordOf(olds.current);
      const desired = spec.desired(news as unknown as Inputs, current);
      // A move the service refuses (e.g. migration state backwards) fails the preview already, not only the apply.
      if (differingKeys(current, desired).length > 0) spec.guard?.(current, desired);
      // Settings changes are updates, never replacements: a tenant singleton cannot be deleted and created.
      // endpoints and onDelete are not settings, yet a change to them is an update that writes nothing to the
      // tenant, so the outputs (which later calls read) follow the program. The same holds when the set of owned
      // settings shrinks (a dropped setting is left as the tenant has it; destroy still restores it).
      const controlKeys = [
        "tenantId",
        "endpoints",
        "onDelete",
        "ownership",
        ...(spec.identityKeys ?? []),
        ...(spec.optionKeys ?? []),
      ];
      const controlChanged = controlKeys.some((key) => !deepEqual(olds[key], news[key]));
      const ownedOld = Object.keys(current).sort();
      const ownedNew = Object.keys(desired).sort();
      const changes = differingKeys(current, desired).length > 0 || controlChanged || !deepEqual(ownedOld, ownedNew);
      return { changes, replaces: [], deleteBeforeReplace: false };
    },

    async create(props: Props) {
      const given = inputsOf(props);
      const inputs = given as unknown as Inputs;
      const id = spec.id(inputs);
      const client = clientFor(inputs);
      const fields = spec.rawFields(inputs);
      const remote = await spec.get(client, inputs, fields);
      const taken = takeSnapshot(remote, fields);
      const before = spec.owned(remote, inputs);
      const planned = plan(inputs, remote, before);
      try {
        const current = await apply(client, inputs, remote, before, planned);
        return { id, outs: stateOf(given, taken, current) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // Nothing is left half-written: put back what was there, and adopt nothing (the next up starts afresh).
        try {
          await restore(client, inputs, taken);
        } catch (rollback) {
          // The tenant may now hold part of the change. Record the resource with its snapshot, so that the next
          // `pulumi up` converges and a destroy after it restores. `__provider` stays out: the host sends these
          // properties in a gRPC trailer, and with the serialized provider (tens of KB) that exceeds HTTP/2's
          // header limit and the call hangs (seen through the real host); the next update puts it back.
          const reason = rollback instanceof Error ? rollback.message : String(rollback);
          throw initFailure(
            `${message}. Putting the tenant back failed too: ${reason}`,
            id,
            stateOf(given, taken, before),
          );
        }
        throw new Error(`${message}. The tenant is as it was before; nothing was adopted.`);
      }
    },

    async read(id: string, props: Props) {
      const given = inputsOf(props);
      const inputs = given as unknown as Inputs;
      const remote = await spec.get(clientFor(inputs), inputs, spec.rawFields(inputs));
      // The tenant's values replace the owned settings in both outputs and inputs: refresh then shows drift made in
      // the admin center, and the next diff (old outputs vs program) proposes to put the program's values back.
      const refreshed = stateOf(given, snapshotFromState(props), spec.owned(remote, inputs));
      return { id, props: refreshed, inputs: inputsOf(refreshed) };
    },

    async update(_id: string, olds: Props, news: Props) {
      const given = inputsOf(news);
      const inputs = given as unknown as Inputs;
      for (const key of ["tenantId", ...(spec.identityKeys ?? [])]) {
        const before = olds[key];
        const after = news[key];
        const same =
          typeof before === "string" && typeof after === "string" && before.toLowerCase() === after.toLowerCase();
        if (!same && !deepEqual(before, after)) {
          // The snapshot belongs to the old object: writing it elsewhere on destroy would damage another tenant.
          throw new Error(
            `${spec.kind}: ${key} changed from ${describeValue(before)} to ${describeValue(after)}; ` +
              "a tenant singleton cannot move to another object. Destroy this resource (it restores the old one) " +
              "and create a new one.",
          );
        }
      }
      const client = clientFor(inputs);
      const fields = spec.rawFields(inputs);
      // Settings the config no longer names go back to how the tenant had them before this stack owned them.
      const older = snapshotFromState(olds);
      const released = releasedFields(spec.rawFields(inputsOf(olds) as unknown as Inputs), fields).filter(
        (field) => field in older.snapshot,
      );
      const remote = await spec.get(client, inputs, [...fields, ...released]);
      const taken = mergeSnapshots(older, takeSnapshot(remote, fields), released);
      const owned = spec.owned(remote, inputs);
      const release = restoreWrites(remote, older, released);
      const current = await apply(client, inputs, remote, owned, plan(inputs, remote, owned), release);
      return { outs: stateOf(given, taken, current) };
    },

    async delete(_id: string, props: Props) {
      const inputs = inputsOf(props) as unknown as Inputs;
      const mode = inputs.onDelete ?? "restore";
      if (mode === "retain") return;
      const client = clientFor(inputs);
      // After another stack took the tenant over, this one writes nothing, not even on destroy.
      const proof = ownershipProofOf(inputs.ownership);
      if (proof !== undefined && !(await holdsClaim(client, proof)).held) return;
      if (mode === "reset") {
        if (!spec.reset) throw new Error(`${spec.kind}: onDelete "reset" is not supported; use "restore" or "retain"`);
        await spec.reset(client, inputs);
        return;
      }
      await restore(client, inputs, snapshotFromState(props));
    },
  };
}

// -------------------------------------------------------------------------------------------------------------
// Resource arguments
// -------------------------------------------------------------------------------------------------------------

/** `T` with every member a `pulumi.Input` (shallow: nested objects are given whole). */
export type PulumiInputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments every singleton resource takes besides its settings. */
export interface SingletonTargetArgs<Mode extends OnDelete = "restore" | "retain"> {
  /** Directory (tenant) id the tokens are requested for. */
  tenantId: pulumi.Input<string>;
  /** Base URLs; default the public cloud (`defaultEndpoints`). The lab points both at the emulator. */
  endpoints?: pulumi.Input<EntraEndpoints>;
  /** What destroy does: `restore` (default) writes the snapshot back; `retain` leaves the tenant as it is. */
  onDelete?: pulumi.Input<Mode>;
  /**
   * The stack's claim on the tenant (`TenantOwnership`'s `organizationId`, `claim`, `stack`). With it, nothing is
   * written unless the tenant's ownership mark still holds the claim, and destroy writes nothing after a takeover.
   */
  ownership?: pulumi.Input<OwnershipProof>;
}
