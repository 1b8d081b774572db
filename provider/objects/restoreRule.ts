/**
 * The restore rule: what `delete` (onDelete "restore") puts back, stated once for every owned field of every tenant
 * singleton. Destroy takes back what the stack did and nothing else, so it compares three versions of each field:
 *   snapshot  the tenant before the stack adopted the field (`snapshot.ts`);
 *   written   what the stack left there with its own writes (`written` in state; see `recordWrites`);
 *   now       the tenant at destroy.
 *
 * - A field the tenant still holds as the stack wrote it goes back to its snapshot value.
 * - A field someone changed since is left as they set it (objects are judged member by member, so a change to one
 *   member keeps only that member).
 * - Target lists (`includeTargets`, `excludeTargets` and the like: lists of `{targetType, id, ...}`, keyed as
 *   `targetLists.ts` keys them) are judged target by target:
 *   - a target the stack added is removed;
 *   - targets others added since are kept;
 *   - targets the stack took out (the dormant targets of a method it switched on, see `targetEffect.ts`) come back as
 *     they were;
 *   - a target the stack did not touch that others removed since stays removed, and a target's own members changed
 *     by others since are kept (the members the stack changed and still holds go back).
 *
 * `written` is not `current`: `read` (refresh) replaces `current` with the tenant's values, which would make every
 * change made elsewhere look like the stack's. `written` changes only when the stack writes, and only where it wrote:
 * a target list a write left as it was keeps its record, so targets others added before a later `up` (which in
 * `add` mode keeps them) never count as the stack's.
 *
 * Pure functions over plain data, captured by value into the serialized provider.
 */
import { deepEqual } from "./jsonValues";
import { isRecord } from "../../lib/predicates";
import type { RemoteDocument } from "./singletonSpec";
import { restoreValues, type TakenSnapshot } from "../ownership/beforeSnapshot";
import { targetKey } from "./targetLists";

/** Something destroy leaves as others made it since the stack wrote there (`path` is dotted, targets by key). */
export interface RestoreNote {
  /** `changedSince`: a value (or a target the stack did not touch) changed since; `addedSince`: a target added since. */
  kind: "changedSince" | "addedSince";
  /** The raw field and the way into it, e.g. `includeTargets[group:<id>]` or `registrationEnforcement.x.state`. */
  path: string;
  /** The target, for `addedSince`. */
  target?: unknown;
}

export interface RestorePlan {
  /** Per snapshot field, the value destroy leaves: the snapshot's, the tenant's, or a merge of the two. */
  values: RemoteDocument;
  notes: RestoreNote[];
}

/** A target list: a list whose elements are all objects with an `id` (what `targetKey` identifies). */
function isTargetList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.every((element) => isRecord(element) && typeof element.id === "string");
}

/** Absent or null counts as an empty target list (a configuration without targets). */
function asTargets(value: unknown): Record<string, unknown>[] | undefined {
  if (value === undefined || value === null) return [];
  return isTargetList(value) ? value : undefined;
}

const byKey = (list: readonly unknown[]): Map<string, unknown> =>
  new Map(list.map((target) => [targetKey(target), target]));

/** The three-way value of one field (or member, or target) at `path`. */
function restoreValue(snapshot: unknown, written: unknown, now: unknown, path: string, notes: RestoreNote[]): unknown {
  if (deepEqual(now ?? null, written ?? null)) return snapshot;
  if (isRecord(snapshot) && isRecord(written) && isRecord(now)) {
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(snapshot), ...Object.keys(written), ...Object.keys(now)])) {
      const value = restoreValue(snapshot[key], written[key], now[key], `${path}.${key}`, notes);
      if (value !== undefined) merged[key] = value;
    }
    return merged;
  }
  const [before, wrote, found] = [asTargets(snapshot), asTargets(written), asTargets(now)];
  if (before !== undefined && wrote !== undefined && found !== undefined) {
    return restoreTargets(before, wrote, found, path, notes);
  }
  notes.push({ kind: "changedSince", path });
  return now;
}

/** The target-list case of the rule; the result lists the snapshot's targets in their order, then those added since. */
function restoreTargets(
  snapshot: readonly unknown[],
  written: readonly unknown[],
  now: readonly unknown[],
  path: string,
  notes: RestoreNote[],
): unknown[] {
  const [before, wrote, found] = [byKey(snapshot), byKey(written), byKey(now)];
  const kept = new Map<string, unknown>();
  for (const [key, was] of before) {
    const target = `${path}[${key}]`;
    if (!wrote.has(key)) {
      // Taken out by the stack: back as it was, or as someone put it back since.
      kept.set(key, found.get(key) ?? was);
    } else if (found.has(key)) {
      kept.set(key, restoreValue(was, wrote.get(key), found.get(key), target, notes));
    } else {
      // Removed by someone else since (whether or not the stack had changed it): their removal stands.
      notes.push({ kind: "changedSince", path: target });
    }
  }
  for (const [key, target] of found) {
    // Targets the stack added leave; targets others added since stay.
    if (before.has(key) || wrote.has(key)) continue;
    notes.push({ kind: "addedSince", path: `${path}[${key}]`, target });
    kept.set(key, target);
  }
  return [...kept.values()];
}

/**
 * What destroy puts back, per snapshot field (`fields`: all when absent).
 *
 * State written before `written` existed has no record: every field then goes back to its snapshot value whole, as
 * that version did (and a field owned before the record began, likewise). `followers` names raw fields the service
 * rewrites on its own (a display name) with the field they describe: each goes back exactly when that field does.
 */
export function restorePlan(
  taken: TakenSnapshot,
  written: RemoteDocument | undefined,
  now: RemoteDocument,
  options: { fields?: readonly string[]; followers?: Readonly<Record<string, string>> } = {},
): RestorePlan {
  const snapshotValues = restoreValues(taken, options.fields);
  if (written === undefined) return { values: snapshotValues, notes: [] };
  const notes: RestoreNote[] = [];
  const values: RemoteDocument = {};
  const followers = options.followers ?? {};
  for (const [field, snapshot] of Object.entries(snapshotValues)) {
    if (field in followers || !(field in written)) values[field] = snapshot;
    else values[field] = restoreValue(snapshot, written[field], now[field], field, notes);
  }
  for (const [follower, leader] of Object.entries(followers)) {
    if (!(follower in values) || !(leader in values) || !(leader in written)) continue;
    if (!deepEqual(values[leader], snapshotValues[leader])) values[follower] = now[follower];
  }
  return { values, notes };
}

/** The record of one field after a write that moved it from `before` to `after`, given the record so far. */
function recordWrite(record: unknown, before: unknown, after: unknown): unknown {
  if (deepEqual(before ?? null, after ?? null)) return record;
  if (isRecord(record) && isRecord(before) && isRecord(after)) {
    const next: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(record), ...Object.keys(before), ...Object.keys(after)])) {
      const value = recordWrite(record[key], before[key], after[key]);
      if (value !== undefined) next[key] = value;
    }
    return next;
  }
  const [recorded, was, is] = [asTargets(record), asTargets(before), asTargets(after)];
  if (recorded === undefined || was === undefined || is === undefined) return after;
  // Target by target: what this write added, changed or removed replaces the record; every other target keeps its
  // record (present or not), whatever the tenant held besides.
  const [kept, from, to] = [byKey(recorded), byKey(was), byKey(is)];
  const next = new Map<string, unknown>();
  for (const key of new Set([...kept.keys(), ...to.keys()])) {
    const target = deepEqual(from.get(key), to.get(key)) ? kept.get(key) : to.get(key);
    if (target !== undefined) next.set(key, target);
  }
  return [...next.values()];
}

/**
 * The `written` record after the stack moved the tenant from `before` to `after` (raw documents): each of `fields`
 * as the stack's writes left it. A field without a record yet (first write, a newly owned field, or state from before
 * the record) starts from `before`, the tenant as the stack found it: it and everything in it count as the stack's.
 * Absent values are recorded as `null` (state is JSON).
 */
export function recordWrites(
  previous: RemoteDocument | undefined,
  before: RemoteDocument,
  after: RemoteDocument,
  fields: readonly string[],
): RemoteDocument {
  const record: RemoteDocument = {};
  for (const field of fields) {
    const base = previous !== undefined && field in previous ? previous[field] : before[field];
    record[field] = recordWrite(base ?? null, before[field], after[field]) ?? null;
  }
  return record;
}

/** The `written` record of a property bag; undefined for state written before the record existed. */
export function writtenFromState(props: Record<string, unknown>): RemoteDocument | undefined {
  return isRecord(props.written) ? props.written : undefined;
}
