/**
 * The naive baseline: what an always-PATCH configuration tool sends for the same settings. It is modelled, not run
 * (no such tool exists for the portal API), from the objects our stack manages, with these rules, each the usual
 * behaviour of such tools (e.g. Terraform providers whose update is a PATCH of the whole configured block, or
 * scripts that "set" every run):
 * - one resource per tenant object our stack manages (the portal policy, each method configuration, the methods
 *   policy root, the authorization policy); the ownership mark is ours alone, so it is not counted;
 * - apply (first, no-op or changed): a refresh GET per existing resource (none on the first apply, where nothing
 *   exists in state), then an unconditional PATCH per resource, then a read-back GET per resource;
 * - refresh: a GET per resource;
 * - destroy with restore: a PATCH per resource back to what it held (such tools have no snapshot; we grant them one)
 *   with no read.
 * Wall time and state size are not modelled (nothing runs); only requests are compared.
 */
import type { Measured, Operation } from "./lifecycle";

/** Requests only: a modelled tool has no wall time or state to measure. */
export type Modelled = Pick<Measured, "gets" | "writes">;

/** Our resource types that are not tenant settings a configuration tool would hold. */
const notSettings = new Set(["TenantOwnership"]);

/** Tenant objects the baseline manages, given the dynamic resource types of our applied state. */
export function baselineObjects(resources: readonly string[]): number {
  return resources.filter((type) => !notSettings.has(type)).length;
}

export function baselineRequests(operation: Operation, objects: number): Modelled {
  switch (operation) {
    case "first apply":
      return { gets: objects, writes: objects };
    case "no-op re-apply":
    case "one setting changed":
      return { gets: 2 * objects, writes: objects };
    case "refresh":
      return { gets: objects, writes: 0 };
    case "destroy":
      return { gets: 0, writes: objects };
  }
}
