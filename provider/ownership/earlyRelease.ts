/**
 * Destroy's release of the ownership mark in the `$batch` of the last restore writes (issue 28), instead of a round
 * trip of its own after them (TenantOwnership's delete, which the engine runs after every resource depending on it).
 *
 * The mark's before-snapshot (`tenantBefore.ts`) has one entry per object the stack changed: it says which restores
 * this claim is waiting for. Within one run (`runReads.ts` {@link runGeneration}), per organization and claim, each
 * singleton's delete says when its restore is queued (its read-back promise) and when it is done (verified, or found
 * nothing to write). Once every entry of the mark's before is done or queued, the release (the notes emptied, as
 * `deleteMark` does) is queued behind every queued restore's read-back (`runAfter` with all of them: `dependsOn` in
 * their `$batch`), so Graph empties the notes only when every restore write and read-back before it succeeded, and
 * runs nothing after a failure (424).
 *
 * Safety (docs/ownership.md): nothing of the stack is written after the release, as when TenantOwnership releases it.
 *   - every delete of this claim that started is waited for (until its restore is queued or it ended): the engine
 *     deletes a resource only after those depending on it, so the method configurations (which the others follow)
 *     come last among the singletons, and a sibling still running is seen here;
 *   - a delete whose settings name a group keeps the release for TenantOwnership: a PilotGroupRelease may follow the
 *     settings (they take the group's id from it) and deletes its group before the claim goes (pilotGroupRelease.ts);
 *   - no early release unless the run's read of the mark holds this claim, is trusted, sits in the application (not
 *     the old place) and its before decodes; an entry this run never restores (inherited from a takeover for an
 *     object this stack does not manage, `onDelete: retain` or `reset`) keeps it from going early: TenantOwnership's
 *     delete releases as before;
 *   - a restore whose read-back differs from what was written (checked after the batch) when the release already
 *     went: that resource's delete fails and keeps its snapshot in state; the rerun finds the mark gone and restores
 *     from state ("a missing mark still restores", `restoresOnDestroy`; in the same process without the warning that
 *     someone deleted it, since this stack released it: `ownershipAtDestroy`);
 *   - the release failed (refused, 424): TenantOwnership's delete reads the mark again and releases it as before.
 * Outside the plugin (no runs) nothing goes early.
 */
import type { EntraClient } from "../http/client";
import { runGeneration } from "../http/runReads";
import { referencedGroupIds } from "../reader/groupExistence";
import { readMark, releaseMarkBehind, type OwnershipProof } from "./ownershipMark";
import { decodeBefore } from "./tenantBefore";

/** What one run knows of one claim's deletes. */
interface ClaimRestores {
  generation: string;
  client: EntraClient;
  /** The entries of the mark's before, from the run's read of the mark; undefined when none may go early. */
  entries: Promise<ReadonlySet<string> | undefined>;
  /** Deletes started that have neither queued their restore nor ended, by entry. */
  running: Map<string, number>;
  done: Set<string>;
  /** Restores whose writes are queued, by entry: their read-back. */
  queued: Map<string, Promise<unknown>>;
  /** A delete named a group: a PilotGroupRelease may come after the settings (see the header). */
  groupNamed: boolean;
  /** Set once the release is queued (it is queued once per run). */
  release?: Promise<void>;
}

const claims = new Map<string, ClaimRestores>();

/** What a singleton's delete says about itself, so the mark's release may ride behind the last restores. */
export interface DeleteReport {
  /** The restore's writes are queued; `readBack` stands for their read-back (`runAfter` with `readBack`). */
  queued(readBack: Promise<unknown>): void;
  /** The restore is done: verified, or nothing to write. */
  done(): void;
  /** The restore failed: it no longer counts as queued. */
  failed(): void;
  /** The delete returned or threw (whatever it did). */
  ended(): void;
}

/**
 * Starts following one singleton's delete (called as it starts, after `onDelete: retain` returned); undefined outside
 * the plugin or without a proof (a resource made before ownership).
 */
export function followDelete(
  client: EntraClient,
  target: { tenantId: string; endpoints: { graph: string } },
  proof: OwnershipProof | undefined,
  key: string,
  inputs: unknown,
): DeleteReport | undefined {
  const generation = runGeneration(target);
  if (generation === undefined || proof === undefined) return undefined;
  const group = `${proof.organizationId.toLowerCase()}|${proof.claim}`;
  let claim = claims.get(group);
  if (claim === undefined || claim.generation !== generation) {
    // Answered from the run's read of the mark (the destroy's first round trip), which the delete reads anyway.
    const entries = readMark(client, proof.organizationId).then(
      (mark) => {
        if (mark === undefined || mark.problem !== undefined || mark.claim !== proof.claim) return undefined;
        if (mark.storedOnOrganization) return undefined;
        const before = decodeBefore(mark.before);
        return before === undefined ? undefined : new Set(Object.keys(before));
      },
      () => undefined,
    );
    claim = { generation, client, entries, running: new Map(), done: new Set(), queued: new Map(), groupNamed: false };
    claims.set(group, claim);
  }
  const current = claim;
  if (referencedGroupIds(inputs).length > 0) current.groupNamed = true;
  current.running.set(key, (current.running.get(key) ?? 0) + 1);
  let running = true;
  const stopRunning = (): void => {
    if (!running) return;
    running = false;
    const left = (current.running.get(key) ?? 1) - 1;
    if (left > 0) current.running.set(key, left);
    else current.running.delete(key);
  };
  const settle = async (): Promise<void> => {
    if (current.release !== undefined || current.groupNamed || current.running.size > 0) return;
    const entries = await current.entries;
    if (entries === undefined || current.release !== undefined || current.running.size > 0) return;
    if (![...entries].every((entry) => current.done.has(entry) || current.queued.has(entry))) return;
    current.release = releaseMarkBehind(current.client, proof, [...current.queued.values()]);
    // A release that fails is TenantOwnership's to do, as before: its delete reads the mark again.
    current.release.catch(() => undefined);
  };
  return {
    queued(readBack) {
      current.queued.set(key, readBack);
      stopRunning();
      void settle();
    },
    done() {
      current.queued.delete(key);
      current.done.add(key);
      stopRunning();
      void settle();
    },
    failed() {
      current.queued.delete(key);
    },
    ended() {
      stopRunning();
      void settle();
    },
  };
}
