/**
 * The one lifecycle shared by the four tenant singletons (PasswordResetPolicy, AuthenticationMethodConfiguration,
 * AuthenticationMethodsPolicy, AdministratorPasswordReset).
 *
 * A tenant singleton always exists, so `create` adopts it and `delete` puts back what was there. Each object supplies
 * a spec (how to read it, which fields it owns, how to write them); this file does the rest, once:
 *   check   validate every input, report every failure at once, fill defaults;
 *   create  GET -> snapshot the owned raw fields -> write only when the owned settings differ -> GET read-back;
 *   read    one GET; the tenant's values replace the owned settings, so refresh shows drift made elsewhere (the
 *           record of what the stack wrote stays as it is);
 *   diff    owned settings only, normalised; never a replace;
 *   update  GET -> write only what differs -> GET read-back;
 *   delete  per `onDelete`: restore (default: the snapshot, only where the tenant still holds what the stack wrote;
 *           the rule is `restoreRule.ts`), retain, or reset (method configurations only).
 *
 * The spec's types live in `singletonSpec.ts`, the pure helpers it uses in `jsonValues.ts` and `targetLists.ts`, the
 * shared input checks in `inputChecks.ts`; the program side (resource class and arguments) in `singletonResource.ts`
 * and `singletonArgs.ts`.
 *
 * The provider plugin (`provider/entraProvider.ts`) serves each object's lifecycle. The HTTP client is created inside
 * each method and nothing reads `process.env` at module load, so one plugin process serves every run correctly.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createEntraClient } from "../http/client";
import { runAfter } from "../http/runReads";
import type { EntraClient } from "../http/client";
import { isRefusal } from "../http/errors";
import { validateCommon } from "./inputChecks";
import {
  changedFields,
  containsUnknown,
  deepEqual,
  describeMismatch,
  describeValue,
  differingKeys,
  recordOf,
  withoutNulls,
} from "./jsonValues";
import { assertOwnership, deferredClaimOf, ownershipProofOf, restoresOnDestroy } from "../ownership/ownershipMark";
import { commonKeys, outputKeys } from "./singletonSpec";
import { isRecord } from "../../lib/predicates";
import type { CheckFailure, CheckedTarget, OwnedSettings, RemoteDocument, SingletonSpec } from "./singletonSpec";
import { recordWrites, restorePlan, writtenFromState } from "./restoreRule";
import {
  mergeSnapshots,
  releasedFields,
  restoreValues,
  snapshotFromState,
  takeSnapshot,
} from "../ownership/beforeSnapshot";
import type { TakenSnapshot } from "../ownership/beforeSnapshot";
import { defaultEndpoints } from "../../lib/endpoints";
import { beforeKey, keepBefore, keptBefore, withKept, writeClaimWithPending } from "../ownership/tenantBefore";
import { readBeside } from "./readsBeside";
import { followDelete, type DeleteReport } from "../ownership/earlyRelease";

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
  /** `pulumi import`: the object an id names, adopted as the tenant holds it (undefined: not this object's id). */
  importById(id: string): Promise<{ id: string; props: Props; inputs: Props } | undefined>;
}

/**
 * Builds the dynamic provider of one tenant singleton from its spec. Everything later calls need (endpoints,
 * tenantId, onDelete, snapshot) lives in the outputs, because `diff`, `update` and `delete` only see old outputs.
 */
export function singletonProvider<Inputs extends CheckedTarget>(spec: SingletonSpec<Inputs>): SingletonProvider {
  const known = [...spec.settingKeys, ...(spec.identityKeys ?? []), ...(spec.optionKeys ?? [])];

  const clientFor = (inputs: Inputs): EntraClient =>
    createEntraClient({ tenantId: inputs.tenantId, endpoints: inputs.endpoints });

  /** The object's entry in the before-snapshot the tenant keeps: its kind and identity. */
  const keyOf = (inputs: Inputs): string =>
    beforeKey(
      spec.kind,
      (spec.identityKeys ?? []).map((key) => (inputs as unknown as Props)[key]),
    );

  /** What the tenant keeps of this object's before (limited to `fields`), when the stack holds the mark. */
  const keptFor = async (client: EntraClient, inputs: Inputs, fields: readonly string[], besideToo = false) => {
    const proof = ownershipProofOf(inputs.ownership);
    return proof === undefined ? undefined : keptBefore(client, proof, keyOf(inputs), fields, besideToo);
  };

  /**
   * What the state records: the inputs with the owned settings as the tenant holds them (so a refresh right after an
   * apply finds nothing to report), the snapshot, the owned settings themselves, and the raw fields as the stack's
   * writes left them (`written`, what destroy compares the tenant with; absent when unknown, see `restoreRule.ts`).
   */
  const stateOf = (
    given: Props,
    taken: TakenSnapshot,
    current: OwnedSettings,
    written: RemoteDocument | undefined,
  ): Props => ({
    ...given,
    ...(spec.settings ? spec.settings(current, given as unknown as Inputs) : current),
    snapshot: taken.snapshot,
    snapshotAbsent: taken.absent,
    current,
    ...(written === undefined ? {} : { written }),
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
   * one write, reads back and fails on anything the tenant did not take; returns the tenant's owned settings after,
   * and its raw document after (the one read, when nothing was written).
   */
  const apply = async (
    client: EntraClient,
    inputs: Inputs,
    remote: RemoteDocument,
    current: OwnedSettings,
    { desired, changed }: ReturnType<typeof plan>,
    release: RemoteDocument = {},
    taken?: TakenSnapshot,
  ): Promise<{ current: OwnedSettings; raw: RemoteDocument }> => {
    const writes = { ...release, ...(changed ?? {}) };
    const proof = ownershipProofOf(inputs.ownership);
    if (Object.keys(writes).length === 0) {
      // A first claim still waiting for a before-snapshot to ride with is written now: the run ends with it.
      if (proof !== undefined) await writeClaimWithPending(client, proof);
      return { current, raw: remote };
    }
    // Nothing is written unless the run's read of the mark holds this stack's claim, or this process has just
    // decided a first claim (the tenant had no mark), which then goes first, with the before-snapshot below.
    const claimRides = proof !== undefined && taken !== undefined && deferredClaimOf(proof) !== undefined;
    if (proof !== undefined && !claimRides) await assertOwnership(client, proof, spec.kind);
    // The tenant keeps what it held before, beside the claim, before the first write of any setting: a run that
    // dies between this write and the engine's record loses nothing (tenantBefore.ts). The setting writes follow
    // that write and the read-back follows them, in one `$batch` where the service allows (`runAfter`: dependsOn,
    // so Graph runs them in order and writes no setting when the before-snapshot's write failed).
    const kept =
      proof !== undefined && taken !== undefined ? keepBefore(client, proof, keyOf(inputs), taken) : undefined;
    const sent = runAfter(kept, () => spec.send(client, inputs, remote, writes));
    const readBack = runAfter(sent, () =>
      spec.get(client, inputs, [...spec.rawFields(inputs), ...Object.keys(release)]),
    );
    // Each failure is reported once, by the first awaited below (a follower fails with what it follows).
    for (const step of [kept, sent, readBack]) step?.catch(() => undefined);
    await kept;
    await sent;
    const afterRaw = await readBack;
    const after = spec.owned(afterRaw, inputs);
    const refused = differingKeys(after, desired);
    if (refused.length > 0) {
      throw new Error(
        `${spec.kind}: the tenant did not take the change (read back after writing): ` +
          describeMismatch(refused, desired, after),
      );
    }
    verifyWritten(release, afterRaw, "putting back settings the config no longer names");
    return { current: after, raw: afterRaw };
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

  /**
   * What putting back the snapshot fields in `fields` (all when absent) writes: the values the restore rule gives
   * that differ from the tenant, as the spec can write them.
   */
  const restoreWrites = (
    remote: RemoteDocument,
    taken: TakenSnapshot,
    written: RemoteDocument | undefined,
    fields?: readonly string[],
  ): RemoteDocument => {
    const { values } = restorePlan(taken, written, remote, { fields, followers: spec.restoreFollowers });
    const differing = changedFields(remote, values);
    return spec.restorable ? spec.restorable(differing, remote) : withoutNulls(differing);
  };

  /**
   * Writes back the snapshot fields that differ from the tenant, where the stack still holds what it wrote
   * (`restoreRule.ts`; everything when `written` is unknown), then reads back and fails on any it did not take.
   * When the service refuses the write as a whole (a 4xx: the tenant held a value it no longer accepts, such as a
   * deleted group), every field it does accept is still put back, one at a time, and the error names the rest with
   * the way out (`ENTRA_SSPR_KEEP_UNRESTORABLE=1`, read when destroy runs), instead of failing the same way forever.
   */
  const restore = async (
    client: EntraClient,
    inputs: Inputs,
    taken: TakenSnapshot,
    written: RemoteDocument | undefined,
    alreadyRead?: RemoteDocument,
    report?: DeleteReport,
  ): Promise<void> => {
    try {
      await restoreReported(client, inputs, taken, written, alreadyRead, report);
    } catch (error) {
      report?.failed();
      throw error;
    }
  };

  /**
   * {@link restore}, saying how it goes to `report` (destroy: the mark's release may ride behind the last restores'
   * read-backs, earlyRelease.ts): queued once its write and read-back are, done once verified or nothing to write.
   */
  const restoreReported = async (
    client: EntraClient,
    inputs: Inputs,
    taken: TakenSnapshot,
    written: RemoteDocument | undefined,
    alreadyRead: RemoteDocument | undefined,
    report: DeleteReport | undefined,
  ): Promise<void> => {
    const fields = Object.keys(taken.snapshot);
    if (fields.length === 0) return report?.done();
    const remote = alreadyRead ?? (await spec.get(client, inputs, fields));
    const changed = restoreWrites(remote, taken, written);
    if (Object.keys(changed).length === 0) return report?.done();
    let refused: RemoteDocument = {};
    // The read-back follows the write in its `$batch` (runReads.ts `runAfter`); after a refusal it is read again.
    const sent = runAfter(undefined, () => spec.send(client, inputs, remote, changed));
    // A read-back: the mark's release may follow it in turn (earlyRelease.ts).
    const readBack = runAfter(sent, () => spec.get(client, inputs, fields), { readBack: true });
    readBack.catch(() => undefined);
    report?.queued(readBack);
    try {
      await sent;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      refused = await restoreFieldByField(client, inputs, remote, changed);
    }
    const accepted = Object.fromEntries(Object.entries(changed).filter(([field]) => !(field in refused)));
    const after = Object.keys(refused).length === 0 ? await readBack : await spec.get(client, inputs, fields);
    verifyWritten(accepted, after, "restoring the snapshot");
    if (Object.keys(refused).length === 0) return report?.done();
    report?.failed();
    if (process.env.ENTRA_SSPR_KEEP_UNRESTORABLE === "1") return;
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

  /** A delete after `onDelete: retain` returned: restore (or reset), where the mark allows; tells `report` how it goes. */
  const deleteReported = async (
    client: EntraClient,
    inputs: Inputs,
    props: Props,
    report: DeleteReport | undefined,
  ): Promise<void> => {
    const mode = inputs.onDelete ?? "restore";
    // Every restore target is read in the destroy's first round trip, beside the mark (readsBeside.ts).
    // (A stack's resource only: it carries the claim; a lone resource restores its own object alone.)
    if (spec.readsOnDelete !== undefined && ownershipProofOf(inputs.ownership) !== undefined) {
      readBeside(client, spec.readsOnDelete);
    }
    const inState = snapshotFromState(props);
    // The before the tenant keeps wins over the state's (a rerun after a run that died, an import, a takeover).
    const keptReading = keptFor(client, inputs, Object.keys(inState.snapshot)).catch(() => undefined);
    // The restore's read leaves with the ownership check (in the plugin, in one `$batch`: runReads.ts); nothing is
    // written unless the check allows it. A read that fails here is sent again by the restore, whose error shows.
    const fields = Object.keys(inState.snapshot);
    const reading =
      mode === "restore" && fields.length > 0
        ? spec.get(client, inputs, fields).catch(() => undefined)
        : Promise.resolve(undefined);
    // After another stack took the tenant over, this one writes nothing, not even on destroy; a missing mark
    // still restores (ownershipMark.ts decides, and logs why).
    if (!(await restoresOnDestroy(client, ownershipProofOf(inputs.ownership), spec.kind))) return;
    if (mode === "reset") {
      if (!spec.reset) throw new Error(`${spec.kind}: onDelete "reset" is not supported; use "restore" or "retain"`);
      await spec.reset(client, inputs);
      return;
    }
    const taken = withKept(await keptReading, inState);
    await restore(client, inputs, taken, writtenFromState(props), await reading, report);
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
      // Empty when state written by an older version has no `current`.
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
      // A create has no snapshot in state: what a first claim kept of this object beside the mark counts too.
      const [remote, kept] = await Promise.all([
        spec.get(client, inputs, fields),
        keptFor(client, inputs, fields, true),
      ]);
      // A run that died after writing (or a stack taking the tenant over) finds the tenant's before kept beside the
      // claim: that, not the tenant as it is now, is what destroy gives back.
      const taken = withKept(kept, takeSnapshot(remote, fields));
      const before = spec.owned(remote, inputs);
      const planned = plan(inputs, remote, before);
      try {
        const { current, raw } = await apply(client, inputs, remote, before, planned, {}, taken);
        return { id, outs: stateOf(given, taken, current, recordWrites(undefined, remote, raw, fields)) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // Nothing is left half-written: put back what was there, and adopt nothing (the next up starts afresh).
        try {
          await restore(client, inputs, taken, undefined);
        } catch (rollback) {
          // The tenant may now hold part of the change. Record the resource with its snapshot, so that the next
          // `pulumi up` converges and a destroy after it restores (the whole snapshot: what the tenant holds of the
          // failed write is not known, so no `written` record; the engine records these properties as the outputs
          // that refresh and destroy run from).
          const reason = rollback instanceof Error ? rollback.message : String(rollback);
          throw initFailure(
            `${message}. Putting the tenant back failed too: ${reason}`,
            id,
            stateOf(given, taken, before, undefined),
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
      // The record of what the stack wrote is kept as it is: refresh changes nothing the stack did.
      const owned = spec.owned(remote, inputs);
      const refreshed = stateOf(given, snapshotFromState(props), owned, writtenFromState(props));
      const previous = isRecord(props.current) ? (props.current as OwnedSettings) : undefined;
      const microsoftChanges = spec.microsoftChanges?.(previous, owned, new Date()) ?? [];
      return {
        id,
        props: microsoftChanges.length === 0 ? refreshed : { ...refreshed, microsoftChanges },
        inputs: inputsOf(refreshed),
      };
    },

    async importById(importId: string) {
      // An id may name a lab tenant's endpoint after `@` (loopback only, as for any lab endpoint).
      const [objectId, endpoint] = importId.split("@");
      const identity = spec.importId?.(objectId);
      if (identity === undefined || spec.importable === undefined) return undefined;
      const endpoints =
        endpoint === undefined ? { ...defaultEndpoints } : { graph: endpoint, portal: `${endpoint}/api` };
      const base = { ...identity, endpoints, onDelete: "restore" } as unknown as Inputs;
      const client = clientFor(base);
      const found = await spec.get(client, base, spec.rawFields(base));
      const given: Props = { ...base, ...spec.importable(found, identity) };
      const inputs = given as unknown as Inputs;
      const fields = spec.rawFields(inputs);
      const remote = await spec.get(client, inputs, fields);
      const taken = takeSnapshot(remote, fields);
      // Nothing was written by the stack, and what it adopts is the tenant as it is: recorded as what the stack holds,
      // so destroy puts back nothing someone changes after the import.
      const state = stateOf(given, taken, spec.owned(remote, inputs), restoreValues(taken));
      return { id: spec.id(inputs), props: state, inputs: inputsOf(state) };
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
      const inState = snapshotFromState(olds);
      const ownedBefore = spec.rawFields(inputsOf(olds) as unknown as Inputs);
      // What the tenant keeps is older than the state's snapshot (an import, or a rerun after a run that died): it wins.
      const kept = await keptFor(client, inputs, [
        ...new Set([...ownedBefore, ...fields, ...Object.keys(inState.snapshot)]),
      ]);
      const older = withKept(kept, inState);
      const released = releasedFields(ownedBefore, fields).filter((field) => field in older.snapshot);
      const remote = await spec.get(client, inputs, [...fields, ...released]);
      const taken = mergeSnapshots(older, takeSnapshot(remote, fields), released);
      const owned = spec.owned(remote, inputs);
      const writtenBefore = writtenFromState(olds);
      const release = restoreWrites(remote, older, writtenBefore, released);
      const { current, raw } = await apply(
        client,
        inputs,
        remote,
        owned,
        plan(inputs, remote, owned),
        release,
        mergeSnapshots(older, takeSnapshot(remote, fields)),
      );
      // State from before the record has none: from now on it starts from the tenant as this update found it.
      const written = recordWrites(writtenBefore, remote, raw, fields);
      return { outs: stateOf(given, taken, current, written) };
    },

    async delete(_id: string, props: Props) {
      const inputs = inputsOf(props) as unknown as Inputs;
      const mode = inputs.onDelete ?? "restore";
      if (mode === "retain") return;
      const client = clientFor(inputs);
      // Says how this delete goes, so the mark's release may ride behind the last restores (earlyRelease.ts).
      const report = followDelete(client, inputs, ownershipProofOf(inputs.ownership), keyOf(inputs), inputs);
      try {
        await deleteReported(client, inputs, props, report);
      } finally {
        report?.ended();
      }
    },
  };
}
