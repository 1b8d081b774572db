/**
 * What a singleton remembers of the tenant before it owned a field, and how that memory is written back.
 *
 * - A snapshot keeps each owned raw field as it was; `absent` names the fields the object did not have at all, so a
 *   field that was `null` comes back `null` and one that was missing comes back missing (the portal stores the whole
 *   object it is given). State written before `absent` existed has none: its `null`s are read as "missing", as then.
 * - A field the stack owned and the config no longer names is released: written back to its snapshot value in the
 *   same write as the rest of the update, then forgotten (owning it again later takes a fresh snapshot).
 *
 * Pure functions over plain data.
 */
import { isRecord } from "../../lib/predicates";
import type { RemoteDocument, Snapshot } from "../objects/singletonSpec";

export interface TakenSnapshot {
  snapshot: Snapshot;
  /** Fields of the snapshot the object did not have at all. */
  absent: string[];
}

/** The named fields of `remote` as they are now; a missing member is `null` in the snapshot and listed in `absent`. */
export function takeSnapshot(remote: RemoteDocument, fields: readonly string[]): TakenSnapshot {
  const snapshot: Snapshot = {};
  const absent: string[] = [];
  for (const field of fields) {
    if (!Object.prototype.hasOwnProperty.call(remote, field) || remote[field] === undefined) absent.push(field);
    snapshot[field] = remote[field] ?? null;
  }
  return { snapshot, absent };
}

/**
 * Snapshots accumulate: a field owned since adoption keeps its original value; one owned for the first time is
 * captured now. Fields in `released` are forgotten.
 */
export function mergeSnapshots(
  older: TakenSnapshot,
  fresh: TakenSnapshot,
  released: readonly string[] = [],
): TakenSnapshot {
  const snapshot: Snapshot = { ...fresh.snapshot, ...older.snapshot };
  const absent = [...older.absent, ...fresh.absent.filter((field) => !(field in older.snapshot))];
  for (const field of released) delete snapshot[field];
  return { snapshot, absent: absent.filter((field) => field in snapshot) };
}

/** The snapshot as values to write back: a field that was missing becomes `undefined` (left out of a whole-object
 * write), one that was `null` stays `null`. */
export function restoreValues({ snapshot, absent }: TakenSnapshot, fields?: readonly string[]): RemoteDocument {
  const values: RemoteDocument = {};
  for (const [field, value] of Object.entries(snapshot)) {
    if (fields === undefined || fields.includes(field)) values[field] = absent.includes(field) ? undefined : value;
  }
  return values;
}

/** Raw fields the old inputs owned that the new ones do not: they go back to their snapshot values. */
export function releasedFields(ownedBefore: readonly string[], ownedNow: readonly string[]): string[] {
  return ownedBefore.filter((field) => !ownedNow.includes(field));
}

/** The snapshot part of a property bag. State written before `snapshotAbsent` existed counts every `null` as
 * missing, as that version did. */
export function snapshotFromState(props: Record<string, unknown>): TakenSnapshot {
  const snapshot = isRecord(props.snapshot) ? props.snapshot : {};
  const absent = Array.isArray(props.snapshotAbsent)
    ? props.snapshotAbsent.filter((field): field is string => typeof field === "string")
    : Object.keys(snapshot).filter((field) => snapshot[field] === null);
  return { snapshot, absent };
}
