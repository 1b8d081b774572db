/**
 * The stack's before-snapshot, kept IN the tenant beside the ownership claim, so that nothing is lost when a run dies
 * between a write and the engine recording it (a killed plugin, a cancelled CI job, a lost runner), and so that
 * `pulumi import`, a rerun and a takeover all start from what the tenant held before any stack changed it.
 *
 * Where: the `before` member of the ownership mark (`ownershipMark.ts`), in the `notes` of the mark's application.
 * Why there: it is the one place the deploy identity already writes with least privilege
 * (`Application.ReadWrite.OwnedBy`: only applications it owns, Graph permissions reference,
 * https://learn.microsoft.com/graph/permissions-reference#applicationreadwriteownedby), every stack reads it
 * with `Application.Read.All`, and it is released with the mark, last, on destroy. The organization's open extension
 * would take `Organization.ReadWrite.All`; a directory extension property takes an extension definition per tenant
 * and holds at most 256 characters per value (https://learn.microsoft.com/graph/extensibility-overview).
 *
 * Size: Graph's application resource documents no limit for `notes` (its `description` is limited to 1,024
 * characters, https://learn.microsoft.com/graph/api/resources/application); assumed: the same 1,024 characters, which
 * the emulator enforces. The snapshot is kept as base64 of raw DEFLATE (node:zlib) of its JSON: the SSPR objects'
 * owned fields repeat the same keys and compress several times over. A snapshot that still does not fit is not kept
 * in the tenant: the stack warns and keeps it in its state only, as stacks did before (see docs/ownership.md).
 *
 * The write: every object records its snapshot here BEFORE its first write of a setting; objects written at the same
 * moment share one write of the notes (a read-modify-write serialized inside the plugin process, so two objects never
 * overwrite each other's entry; gathered over the calls the engine starts a few ms apart, runReads.ts
 * `callsGathered`). A first claim's write also keeps what was read beside the mark of the objects the stack manages
 * (`keepBesideFirstClaim`), so the tenant holds their before before any setting is written. An entry already kept wins over a fresh read of the tenant (it is older: the tenant
 * before the first write of any stack).
 *
 * Old stacks: a mark without `before` reads as "nothing kept": the state's snapshot counts, as before, and the next
 * write of each object keeps it in the tenant.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { EntraClient } from "../http/client";
import { callsGathered, parked, runAfter, sameRequestAs } from "../http/runReads";
import { isRecord } from "../../lib/predicates";
import { deepEqual } from "../objects/jsonValues";
import {
  deferredClaimOf,
  markNotes,
  readMark,
  writeDeferredClaim,
  rewriteMark,
  warnFromProvider,
  type OwnershipMark,
  type OwnershipProof,
} from "./ownershipMark";
import { mergeSnapshots, type TakenSnapshot } from "./beforeSnapshot";

/** assumed: the longest `notes` Graph keeps (see the header). */
export const markNotesLimit = 1024;

/**
 * What the tenant keeps: per object (its kind and identity, see {@link beforeKey}), its snapshot. `beside`: kept by a
 * first claim from what it read beside the mark ({@link keepBesideFirstClaim}), not by the object itself: the tenant
 * when the stack claimed it, which may postdate the stack's own writes (a stack made before ownership existed, whose
 * objects are in its state already). Only an object's create, which has no snapshot in state, starts from it; an
 * object's own entry replaces it.
 */
export type KeptBefore = Record<string, TakenSnapshot & { beside?: true }>;

/** The key of an object's entry: its kind and identity, never the tenant's name (a GUID in one stack, a domain in
 * another) so that a takeover finds the entries of the stack before it. */
export function beforeKey(kind: string, identity: readonly unknown[] = []): string {
  return [kind, ...identity.map((part) => String(part).toLowerCase())].join(":");
}

/** The kept snapshots as the mark's `before` member. */
export function encodeBefore(kept: KeptBefore): string {
  const compact = Object.fromEntries(
    Object.entries(kept).map(([key, taken]) => [
      key,
      { s: taken.snapshot, a: taken.absent, ...(taken.beside === true ? { b: 1 } : {}) },
    ]),
  );
  return deflateRawSync(Buffer.from(JSON.stringify(compact), "utf8")).toString("base64");
}

/**
 * The kept snapshots a new claim inherits from the mark (a takeover, an import into a new stack): every entry is the
 * other stack's before, older than anything the new stack reads, so one its first claim kept beside the mark counts
 * as the object's own from now on (see {@link KeptBefore}). Text this project did not write is passed on as it is.
 */
export function inheritedBefore(text: string): string {
  const kept = decodeBefore(text);
  if (kept === undefined) return text;
  return encodeBefore(
    Object.fromEntries(
      Object.entries(kept).map(([key, entry]) => [key, { snapshot: entry.snapshot, absent: entry.absent }]),
    ),
  );
}

/** The mark's `before` member read back; `undefined` when it is missing or not one this project wrote. */
export function decodeBefore(text: string | undefined): KeptBefore | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(inflateRawSync(Buffer.from(text, "base64")).toString("utf8"));
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const kept: KeptBefore = {};
  for (const [key, entry] of Object.entries(parsed)) {
    if (!isRecord(entry) || !isRecord(entry.s) || !Array.isArray(entry.a)) return undefined;
    kept[key] = {
      snapshot: entry.s,
      absent: entry.a.filter((field): field is string => typeof field === "string"),
      ...(entry.b === 1 ? { beside: true as const } : {}),
    };
  }
  return kept;
}

/** The object's snapshot the tenant keeps, limited to `fields`; undefined when the stack does not hold the mark or
 * the tenant keeps none for it. An entry a first claim kept from its reads beside the mark counts only with
 * `besideToo` (an object's create: no snapshot in state to prefer). */
export async function keptBefore(
  client: EntraClient,
  proof: OwnershipProof,
  key: string,
  fields?: readonly string[],
  besideToo = false,
): Promise<TakenSnapshot | undefined> {
  const mark = await readMark(client, proof.organizationId);
  if (mark === undefined || mark.claim !== proof.claim) return undefined;
  const found = decodeBefore(mark.before)?.[key];
  if (found === undefined || (found.beside === true && !besideToo)) return undefined;
  const entry: TakenSnapshot = { snapshot: found.snapshot, absent: found.absent };
  if (fields === undefined) return entry;
  const others = Object.keys(entry.snapshot).filter((field) => !fields.includes(field));
  return mergeSnapshots(entry, { snapshot: {}, absent: [] }, others);
}

/** The snapshot to start from: what the tenant keeps (older, so it wins) over what the stack took or has in state. */
export function withKept(kept: TakenSnapshot | undefined, taken: TakenSnapshot): TakenSnapshot {
  return kept === undefined ? taken : mergeSnapshots(kept, taken);
}

/**
 * What a first claim read beside the mark of the objects the stack manages, by `organization|claim` (issue 28): the
 * first write of the notes keeps their before with the claim, before any setting is written, so an object whose own
 * write comes later (the portal's policy, after the methods) finds its before in the tenant and writes no entry of
 * its own. An entry the object keeps itself is merged over it (the older wins, both read before any write).
 */
const besideBefores = new Map<string, Promise<KeptBefore>>();

/** Keeps what a first claim read beside the mark, for the write that carries the claim ({@link writeEntries}). */
export function keepBesideFirstClaim(
  proof: Pick<OwnershipProof, "organizationId" | "claim">,
  read: Promise<KeptBefore>,
) {
  read.catch(() => undefined);
  besideBefores.set(`${proof.organizationId}|${proof.claim}`, read);
}

/** The before read beside the mark for this claim; nothing when none was read or the read failed. */
async function besideOf(proof: OwnershipProof): Promise<KeptBefore> {
  const read = besideBefores.get(`${proof.organizationId}|${proof.claim}`);
  if (read === undefined) return {};
  return parked(read).catch(() => ({}));
}

interface Pending {
  client: EntraClient;
  proof: OwnershipProof;
  entries: Map<string, TakenSnapshot>;
  settle: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void }[];
}

/** Entries waiting for the next write, per claim; the writes of one process, one after another. */
const pending = new Map<string, Pending>();
let chain: Promise<void> = Promise.resolve();

/**
 * Keeps the object's snapshot in the tenant before the object's first write, and resolves once it is written (or
 * once it is clear it cannot be: the mark is not this stack's, which the write's own claim check then refuses; or the
 * snapshot does not fit, said in a warning).
 */
export function keepBefore(
  client: EntraClient,
  proof: OwnershipProof,
  key: string,
  taken: TakenSnapshot,
): Promise<void> {
  const group = `${proof.organizationId}|${proof.claim}`;
  let entry = pending.get(group);
  if (entry === undefined) {
    entry = { client, proof, entries: new Map(), settle: [] };
    pending.set(group, entry);
  }
  entry.entries.set(key, taken);
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const written = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  entry.settle.push({ promise: written, ...settle });
  chain = chain.then(() => writePending(group));
  // Stands for the notes' write, so a setting write may follow it in the same `$batch` (runReads.ts `runAfter`).
  return sameRequestAs(parked(written), written);
}

/**
 * Writes a first claim still deferred for this proof, for an object that has nothing to write: it joins the write
 * the objects started at this moment make (claim and their entries in one write), or goes alone after the pause
 * ({@link callsGathered}) when none does. Resolves once the claim is written.
 */
export function writeClaimWithPending(client: EntraClient, proof: OwnershipProof): Promise<void> {
  if (deferredClaimOf(proof) === undefined) return writeDeferredClaim(client, proof);
  const group = `${proof.organizationId}|${proof.claim}`;
  let entry = pending.get(group);
  if (entry === undefined) {
    entry = { client, proof, entries: new Map(), settle: [] };
    pending.set(group, entry);
  }
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const written = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  entry.settle.push({ promise: written, ...settle });
  chain = chain.then(() => writePending(group));
  return parked(written);
}

/** One write of every entry waiting for this claim (nothing when an earlier step of the chain took them). */
async function writePending(group: string): Promise<void> {
  // The creates the engine started at this moment (the method configurations, all waiting on the same claim) add
  // their entries first: one write of the notes for all, which their setting writes follow in one `$batch`.
  await callsGathered();
  const entry = pending.get(group);
  if (entry === undefined) return;
  pending.delete(group);
  const writing = runAfter(undefined, () => writeEntries(entry));
  for (const { promise } of entry.settle) sameRequestAs(promise, writing);
  try {
    await writing;
    for (const { resolve } of entry.settle) resolve();
  } catch (error) {
    for (const { reject } of entry.settle) reject(error);
  }
}

async function writeEntries({ client, proof, entries }: Pending): Promise<void> {
  // A first claim not yet written: the claim and the entries go in one write (ownershipMark.ts `deferFirstClaim`).
  const claim = deferredClaimOf(proof);
  if (claim !== undefined) {
    const beside = await besideOf(proof);
    const withEntries = (more: KeptBefore): OwnershipMark => {
      const kept = decodeBefore(claim.before) ?? {};
      for (const [key, taken] of Object.entries(more)) kept[key] ??= { ...taken, beside: true };
      for (const [key, taken] of entries) kept[key] = kept[key]?.beside ? taken : withKept(kept[key], taken);
      return { ...claim, before: encodeBefore(kept) };
    };
    const fits = (mark: OwnershipMark): boolean => markNotes(mark).length <= markNotesLimit;
    // What was read beside the mark goes along when it fits; else the objects written now keep their own.
    const withBeside = withEntries(beside);
    const withBefore = fits(withBeside) ? withBeside : withEntries({});
    if (!fits(withBefore)) await warnTooLong(markNotes(withBefore).length);
    await writeDeferredClaim(client, proof, fits(withBefore) ? withBefore : claim);
    besideBefores.delete(`${proof.organizationId}|${proof.claim}`);
    return;
  }
  // A first claim another call is writing right now (alone: a claim check, or an object with nothing to write):
  // its answer first, so that the mark read below is the one written (a lost claim fails here, writing nothing).
  await writeDeferredClaim(client, proof);
  const mark = await readMark(client, proof.organizationId);
  // Not this stack's mark (taken over, lost): the write that follows checks the claim and refuses, naming the owner.
  if (mark === undefined || mark.claim !== proof.claim || mark.storedOnOrganization) return;
  const kept = decodeBefore(mark.before) ?? {};
  let changed = false;
  for (const [key, taken] of entries) {
    const current = kept[key];
    // What the tenant keeps already holds this snapshot (a create that started from the entry a first claim kept
    // beside the mark): nothing to write.
    if (current !== undefined && holds(current, taken)) continue;
    // An entry a first claim kept beside the mark gives way to the object's own (see KeptBefore); an object's own
    // entry is older than what it took now, and wins.
    const merged = current?.beside ? taken : withKept(current, taken);
    if (current !== undefined && current.beside !== true && deepEqual(merged, current)) continue;
    kept[key] = merged;
    changed = true;
  }
  if (!changed) return;
  const next: OwnershipMark = { stack: mark.stack, claim: mark.claim, claimedAt: mark.claimedAt };
  next.before = encodeBefore(kept);
  if (markNotes(next).length > markNotesLimit) {
    await warnTooLong(markNotes(next).length);
    return;
  }
  await rewriteMark(client, next);
}

/** Whether `kept` holds every field of `taken` with the same value, present or absent alike. */
function holds(kept: TakenSnapshot, taken: TakenSnapshot): boolean {
  return Object.entries(taken.snapshot).every(
    ([field, value]) =>
      field in kept.snapshot &&
      deepEqual(kept.snapshot[field], value) &&
      kept.absent.includes(field) === taken.absent.includes(field),
  );
}

async function warnTooLong(length: number): Promise<void> {
  await warnFromProvider(
    `TenantOwnership: the before-snapshot (${length} characters with the mark) does not fit the ` +
      `${markNotesLimit} characters the mark's application keeps; it is kept in this stack's state only, so a run ` +
      "that dies between a write and its record cannot be restored exactly from the tenant.",
  );
}
