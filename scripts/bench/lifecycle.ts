/**
 * One stack's lifecycle on one fresh emulator, measured through the path the lifecycle tests use: the program
 * (`index.ts`) under the mini engine (`engine/engine.ts`), its Entra resources in the provider plugin,
 * HTTP to the emulator. For each operation: the emulator's request log (GETs, writes), wall time and the size of
 * the engine state as JSON. A peer (`peers.ts`) runs the same operations on its own fresh emulator with the same
 * seed, wanting what ours left in the tenant, and is measured from its emulator's request log the same way.
 */
import { startEmulator, type RequestLogEntry, type TenantSeed, type TenantState } from "../../emulator/server";
import type { Drift, EngineState, Step } from "../../engine/engine";
import { emulatorStack } from "../stack/emulatorStack";
import type { ConfigMap } from "../../engine/propertyValues";
import type { ProviderHost } from "../../engine/providerHost";
import { isWriteRequest } from "../../emulator/requestLog";
import {
  exportConfiguration,
  peerClient,
  tenantObjects,
  type Configuration,
  type Peer,
  type TenantObject,
} from "./peers";

/**
 * "drift converge": one setting differs between what the stack wants and what the tenant holds (the stack's
 * re-confirmation period changed), and `up` brings the tenant to it.
 */
export const operations = ["first up", "no-op up", "refresh", "drift converge", "destroy"] as const;
export type Operation = (typeof operations)[number];

export interface Measured {
  gets: number;
  writes: number;
  /** Of these, `$batch` round trips, and the Graph requests they carried (Graph throttles each of those apart). */
  batches: number;
  batched: number;
  /**
   * Round trips in a row, read from the emulator's log: the longest run of requests each arriving at least one
   * latency after the one before it (requests of one wave leave together). 0 without latency.
   */
  waves: number;
  ms: number;
  /** `JSON.stringify` of the engine state after the operation (what `pulumi up` checkpoints); 0 for a peer. */
  stateBytes: number;
}

export interface LifecycleOptions {
  host: ProviderHost;
  /** Pulumi stack name (default `dev`). */
  stack?: string;
  config: ConfigMap;
  /** The same stack with one setting changed ("drift converge"); without it that operation is skipped. */
  changedConfig?: ConfigMap;
  latencyMs?: number;
  seed?: TenantSeed;
  /** Export what each `up` left in the tenant's objects, for the peers to want (`LifecycleResult.wanted`). */
  exportForPeers?: boolean;
  /**
   * Ours as deployed: the no-op `up` and the drift-converging `up` run as `pulumi up --refresh`
   * (.github/workflows/deploy.yml `refresh: true`), one deployment each (engine/engine.ts `refresh`).
   */
  asDeployed?: boolean;
}

export interface LifecycleResult {
  measured: Partial<Record<Operation, Measured>>;
  /** Dynamic resources in the applied state, by type name (`PasswordResetPolicy`, ...). */
  resources: string[];
  /** The tenant objects behind them (what a peer holds as resources). */
  objects: TenantObject[];
  /** Steps of the no-op `up` (all `same` when nothing changed) and the drift the refresh reported. */
  noOpSteps: Step[];
  drift: Drift[];
  /** What the first `up` and the drift-converging `up` left in the objects (with `exportForPeers`). */
  wanted?: { applied: Configuration; changed?: Configuration };
  /** The emulator's tenant at start and after destroy (restore must bring it back). */
  seeded: TenantState;
  afterDestroy: TenantState;
}

const isWrite = isWriteRequest;

/** GETs and writes of every measured operation together. */
export function lifecycleRequests(measured: Partial<Record<Operation, Measured | Pick<Measured, "gets" | "writes">>>) {
  return {
    gets: operations.reduce((sum, operation) => sum + (measured[operation]?.gets ?? 0), 0),
    writes: operations.reduce((sum, operation) => sum + (measured[operation]?.writes ?? 0), 0),
  };
}

/** The tenant as JSON without the timestamps the service itself keeps (`lastModifiedDateTime`). */
export function withoutServiceTimestamps(value: unknown): string {
  return JSON.stringify(value, (key, inner: unknown) => {
    if (key === "lastModifiedDateTime") return undefined;
    // Destroy releases the ownership mark by emptying its application's notes and keeps the (empty) application, so
    // a mark earlier versions left on the organization never counts again (`ownershipMark.ts`): not a setting.
    if (key === "applications" && Array.isArray(inner)) return inner.filter((app) => app?.notes !== null);
    return inner;
  });
}

/** Whether destroy brought the tenant back to its seed (service timestamps aside). */
export const restoredSeed = (result: { seeded: TenantState; afterDestroy: TenantState }): boolean =>
  withoutServiceTimestamps(result.seeded) === withoutServiceTimestamps(result.afterDestroy);

/**
 * Round trips in a row: greedily, the longest chain of requests each arriving a full latency (less 1 ms, the log's
 * resolution) after the one before. Requests sent together arrive within a millisecond or two of each other; one
 * sent on the answer of another arrives at least a latency later. Local work between waves never adds a wave.
 */
export function wavesInLog(log: readonly Pick<RequestLogEntry, "time">[], latencyMs: number): number {
  if (latencyMs <= 0) return 0;
  const arrivals = log.map((entry) => Date.parse(entry.time)).sort((a, b) => a - b);
  let waves = 0;
  let last = -Infinity;
  for (const arrival of arrivals) {
    if (arrival - last < latencyMs - 1) continue;
    waves += 1;
    last = arrival;
  }
  return waves;
}

/** Runs operations on one emulator, each measured from a cleared request log. */
function measurer(emulator: { requests(): RequestLogEntry[]; clearRequests(): void }, latencyMs: number) {
  const measured: Partial<Record<Operation, Measured>> = {};
  const measure = async <T>(operation: Operation, run: () => Promise<T>, stateOf?: (result: T) => unknown) => {
    emulator.clearRequests();
    const started = performance.now();
    const result = await run();
    const ms = performance.now() - started;
    const log = emulator.requests();
    measured[operation] = {
      gets: log.filter((entry) => !isWrite(entry)).length,
      writes: log.filter(isWrite).length,
      batches: log.filter((entry) => entry.batch !== undefined).length,
      batched: log.reduce((sum, entry) => sum + (entry.batch?.length ?? 0), 0),
      waves: wavesInLog(log, latencyMs),
      ms,
      stateBytes: stateOf ? Buffer.byteLength(JSON.stringify(stateOf(result))) : 0,
    };
    return result;
  };
  return { measured, measure };
}

/** Runs the five operations one after another on a new emulator; throws on any engine error. */
export async function measureLifecycle(options: LifecycleOptions): Promise<LifecycleResult> {
  const emulator = await startEmulator({ port: 0, seed: options.seed, latencyMs: options.latencyMs ?? 0 });
  try {
    const stack = emulatorStack({ host: options.host, emulatorUrl: emulator.url, stack: options.stack ?? "dev" });
    const seeded = emulator.state();
    const { measured, measure } = measurer(emulator, options.latencyMs ?? 0);
    const asState = (state: EngineState): EngineState => state;
    const up = async (config: ConfigMap, priorState?: EngineState) =>
      stack.up(config, priorState, { refresh: options.asDeployed === true && priorState !== undefined });

    const first = await measure(
      "first up",
      () => up(options.config),
      (run) => run.state,
    );
    const objects = tenantObjects(first.state);
    const client = peerClient(emulator.url, emulator.state().tenantId);
    const applied = options.exportForPeers ? await exportConfiguration(client, objects) : undefined;
    const noOp = await measure(
      "no-op up",
      () => up(options.config, first.state),
      (run) => run.state,
    );
    const refreshed = await measure(
      "refresh",
      () => stack.refresh(options.config, noOp.state),
      (run) => run.state,
    );
    let state = refreshed.state;
    let changed: Configuration | undefined;
    if (options.changedConfig !== undefined) {
      const changedConfig = options.changedConfig;
      state = (
        await measure(
          "drift converge",
          () => up(changedConfig, state),
          (run) => run.state,
        )
      ).state;
      changed = options.exportForPeers ? await exportConfiguration(client, objects) : undefined;
    }
    const resources = Object.values(state)
      .filter((entry) => entry.type.startsWith("entra-sspr:index:") && entry.custom)
      .map((entry) => entry.type.split(":").pop() ?? entry.type);
    await measure("destroy", async () => asState((await stack.destroy(options.config, state)).state), asState);
    return {
      measured,
      resources,
      objects,
      noOpSteps: noOp.steps,
      drift: refreshed.drift,
      wanted: applied === undefined ? undefined : { applied, changed },
      seeded,
      afterDestroy: emulator.state(),
    };
  } finally {
    await emulator.stop();
  }
}

export interface PeerLifecycleResult {
  measured: Partial<Record<Operation, Measured>>;
  seeded: TenantState;
  afterDestroy: TenantState;
}

/**
 * A peer's lifecycle on its own new emulator with the same seed: it wants what ours left after its first `up`, then
 * what ours left after the drift-converging `up`, and on destroy puts back the pre-adoption export (granted, read
 * before the first measured request).
 */
export async function measurePeerLifecycle(options: {
  peer: Peer;
  objects: readonly TenantObject[];
  wanted: { applied: Configuration; changed?: Configuration };
  seed?: TenantSeed;
  latencyMs?: number;
}): Promise<PeerLifecycleResult> {
  const emulator = await startEmulator({ port: 0, seed: options.seed, latencyMs: options.latencyMs ?? 0 });
  try {
    const { peer, objects, wanted } = options;
    const client = peerClient(emulator.url, emulator.state().tenantId);
    const seeded = emulator.state();
    const before = await exportConfiguration(client, objects);
    const { measured, measure } = measurer(emulator, options.latencyMs ?? 0);
    await measure("first up", () => peer.up(client, objects, wanted.applied));
    await measure("no-op up", () => peer.up(client, objects, wanted.applied));
    await measure("refresh", () => peer.refresh(client, objects));
    if (wanted.changed !== undefined) {
      const changed = wanted.changed;
      await measure("drift converge", () => peer.up(client, objects, changed));
    }
    await measure("destroy", () => peer.destroy(client, objects, before));
    return { measured, seeded, afterDestroy: emulator.state() };
  } finally {
    await emulator.stop();
  }
}
