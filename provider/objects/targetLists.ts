/**
 * Pure helpers over Graph's target lists (`includeTargets`, `excludeTargets`, feature-setting targets): identity,
 * canonical form for comparing, and the raw list that realises a canonical one on top of the tenant's. Defined as
 * plain functions.
 */
import { deepEqual } from "./jsonValues";
import { isRecord } from "../../lib/predicates";

/** The group id Graph uses for "no exclusion" in Authenticator feature settings. */
export const zeroGuid = "00000000-0000-0000-0000-000000000000";

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
