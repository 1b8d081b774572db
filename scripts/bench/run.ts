/**
 * The benchmark run: each stack's lifecycle on one tenant (wall time the median of `runs`) with each peer
 * (`peers.ts`) run beside it on its own emulator, then our lifecycle on 1, 10, 50... tenants (one emulator each),
 * one after another and all at once. One provider host serves the whole run, as one `pulumi` process per stack
 * would host its providers.
 *
 * "Parallel" shares the tenants between this process and a worker process per further core (`parallel.ts`),
 * clients of the same host. Program runs (`up`) are queued within a process (`runUnderMocks`: the SDK's mock
 * monitor is process-global), so processes, not tenants, run programs side by side. Request counts do not depend
 * on this.
 */
import {
  lifecycleRequests,
  measureLifecycle,
  measurePeerLifecycle,
  operations,
  type LifecycleResult,
  type Measured,
  type Operation,
  type PeerLifecycleResult,
  restoredSeed,
} from "./lifecycle";
import { runInWorkers } from "./parallel";
import { peers } from "./peers";
import { benchStacks, type BenchStack } from "./stacks";
import type { ProviderHost } from "../../engine/providerHost";

/** Kept here too: the lifecycle tests compare tenants with it. */
export { withoutServiceTimestamps } from "./lifecycle";

export interface BenchOptions {
  host: ProviderHost;
  /** Single-tenant repetitions; wall time is their median (default 3). */
  runs?: number;
  /** Added by each emulator to every API answer (default 0). */
  latencyMs?: number;
  /** Tenant counts for the scale table (default 1, 10, 50); none skips it. */
  tenants?: number[];
  /** Stacks measured at scale (default: both). */
  scaleStacks?: BenchStack["name"][];
  /** Stacks measured at all (default: both). */
  stacks?: BenchStack["name"][];
  /** Worker threads for the parallel scale runs (default: the cores, `os.availableParallelism()`). */
  workers?: number;
}

/** Requests of one operation. */
export type Requests = Pick<Measured, "gets" | "writes">;

/**
 * Ours as the deploy workflow runs it (`pulumi up` with `refresh: true`, .github/workflows/deploy.yml): one deployment
 * that refreshes, then runs the program (`measureLifecycle` with `asDeployed`). The peers' `up` refreshes already.
 */
export const deployedOperations = ["no-op up, as deployed", "drift converge, as deployed"] as const;
export type DeployedOperation = (typeof deployedOperations)[number];

export interface OperationRow {
  stack: BenchStack["name"];
  /** An operation, ours as deployed, or "lifecycle" for the five together. */
  operation: Operation | DeployedOperation | "lifecycle";
  ours: Measured;
  /**
   * Median wall time of the same operation with no latency (its local work): the depth in round trips is
   * `(ours.ms - baseMs) / latency`, wall time against latency. Absent when the bench runs without latency.
   */
  baseMs?: number;
  /** Each peer's requests for the same operation, by peer name. */
  peers: Record<string, Requests>;
}

export interface ScaleRow {
  stack: BenchStack["name"];
  tenants: number;
  mode: "sequential" | "parallel";
  requests: number;
  ms: number;
  /** Worker threads of a parallel row (1 for sequential). */
  workers: number;
}

export interface BenchResult {
  operations: OperationRow[];
  scale: ScaleRow[];
  /** Requests of both stacks' lifecycles: ours and each peer's. */
  total: { ours: number; peers: Record<string, number> };
  /** Resources each stack's applied state holds, by type. */
  resources: Record<string, string[]>;
  /** Lifecycles whose destroy did not bring the tenant back to its seed (service timestamps aside): `stack` or `stack/peer`. */
  notRestored: string[];
  /** Peers whose destroy does not put the tenant back by design (their Delete sends nothing): not a failure. */
  nonRestoring: string[];
  /** Each peer's resources at once (Terraform 10, Microsoft365DSC 1), as their wall times were measured. */
  concurrency: Record<string, number>;
  /** The columns that are no tool's pattern (always-PATCH, the writes-only floor): beside the peers, not one of them. */
  floors: string[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const requestsOf = (measured: Partial<Record<Operation, Requests>>): number => {
  const { gets, writes } = lifecycleRequests(measured);
  return gets + writes;
};

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const runs = Math.max(1, options.runs ?? 3);
  const latencyMs = options.latencyMs ?? 0;
  const stacks = benchStacks().filter((stack) => options.stacks?.includes(stack.name) ?? true);
  const result: BenchResult = {
    operations: [],
    scale: [],
    total: { ours: 0, peers: {} },
    resources: {},
    notRestored: [],
    nonRestoring: peers()
      .filter((peer) => !peer.restores)
      .map((peer) => peer.name),
    concurrency: Object.fromEntries(peers().map((peer) => [peer.name, peer.concurrency])),
    floors: peers()
      .filter((peer) => !peer.tool)
      .map((peer) => peer.name),
  };

  // One lifecycle unmeasured first: the process's first run loads and compiles the program and the plugin's code,
  // local work no later run repeats, which would otherwise count as round trips in the first measured operations.
  if (stacks.length > 0) await measureLifecycle({ host: options.host, ...stacks[0] });
  for (const stack of stacks) {
    const lifecycle = (latency: number, asDeployed: boolean, exportForPeers = false) =>
      measureLifecycle({ host: options.host, latencyMs: latency, exportForPeers, asDeployed, ...stack });
    const repeated: LifecycleResult[] = [];
    const deployed: LifecycleResult[] = [];
    // The same lifecycles without latency: their wall time is the local work, which depth leaves out.
    const baseline: LifecycleResult[] = [];
    const deployedBaseline: LifecycleResult[] = [];
    for (let run = 0; run < runs; run++) {
      repeated.push(await lifecycle(latencyMs, false, run === 0));
      deployed.push(await lifecycle(latencyMs, true));
      if (latencyMs > 0) {
        baseline.push(await lifecycle(0, false));
        deployedBaseline.push(await lifecycle(0, true));
      }
    }
    const [first] = repeated;
    result.resources[stack.name] = first.resources;
    if (![...repeated, ...deployed, ...baseline, ...deployedBaseline].every(restoredSeed)) {
      result.notRestored.push(stack.name);
    }
    const msOf = (lifecycles: LifecycleResult[], chosen: readonly Operation[]): number | undefined =>
      lifecycles.length === 0
        ? undefined
        : median(lifecycles.map((one) => chosen.reduce((sum, op) => sum + (one.measured[op]?.ms ?? 0), 0)));
    const peerResults: Record<string, PeerLifecycleResult> = {};
    for (const peer of peers()) {
      const wanted = first.wanted;
      if (wanted === undefined) throw new Error("bench: the first lifecycle exported nothing for the peers");
      const measured = await measurePeerLifecycle({ peer, objects: first.objects, wanted, latencyMs });
      peerResults[peer.name] = measured;
      if (peer.restores && !restoredSeed(measured)) result.notRestored.push(`${stack.name}/${peer.name}`);
    }
    const peerRequests = (operation: Operation | "lifecycle"): Record<string, Requests> =>
      Object.fromEntries(
        Object.entries(peerResults).map(([name, one]) => [
          name,
          lifecycleRequests(operation === "lifecycle" ? one.measured : { [operation]: one.measured[operation] }),
        ]),
      );
    const row = (
      operation: OperationRow["operation"],
      ours: Measured,
      timed: [LifecycleResult[], LifecycleResult[]],
      chosen: readonly Operation[],
      peersOf: Operation | "lifecycle",
    ): OperationRow => {
      const baseMs = msOf(timed[1], chosen);
      return {
        stack: stack.name,
        operation,
        ours: { ...ours, ms: msOf(timed[0], chosen) ?? 0 },
        ...(baseMs === undefined ? {} : { baseMs }),
        peers: peerRequests(peersOf),
      };
    };
    for (const operation of operations) {
      const ours = first.measured[operation];
      if (ours === undefined) continue;
      result.operations.push(row(operation, ours, [repeated, baseline], [operation], operation));
    }
    for (const [name, operation] of [
      ["no-op up, as deployed", "no-op up"],
      ["drift converge, as deployed", "drift converge"],
    ] as const) {
      const ours = deployed[0].measured[operation];
      if (ours === undefined) continue;
      result.operations.push(row(name, ours, [deployed, deployedBaseline], [operation], operation));
    }
    const sum = (key: "batches" | "batched" | "waves"): number =>
      operations.reduce((total, op) => total + (first.measured[op]?.[key] ?? 0), 0);
    result.operations.push(
      row(
        "lifecycle",
        {
          ...lifecycleRequests(first.measured),
          batches: sum("batches"),
          batched: sum("batched"),
          waves: sum("waves"),
          ms: 0,
          stateBytes: 0,
        },
        [repeated, baseline],
        operations,
        "lifecycle",
      ),
    );
    result.total.ours += requestsOf(first.measured);
    for (const [name, one] of Object.entries(peerResults)) {
      result.total.peers[name] = (result.total.peers[name] ?? 0) + requestsOf(one.measured);
    }
  }

  for (const stack of stacks.filter((one) => options.scaleStacks?.includes(one.name) ?? true)) {
    for (const tenants of options.tenants ?? [1, 10, 50]) {
      const started = performance.now();
      const sequential: LifecycleResult[] = [];
      for (let tenant = 0; tenant < tenants; tenant++) {
        sequential.push(await measureLifecycle({ host: options.host, latencyMs, ...stack }));
      }
      result.scale.push({
        stack: stack.name,
        tenants,
        mode: "sequential",
        requests: sequential.reduce((sum, one) => sum + requestsOf(one.measured), 0),
        ms: performance.now() - started,
        workers: 1,
      });
      if (!sequential.every(restoredSeed)) result.notRestored.push(`${stack.name} (${tenants} sequential)`);

      const parallel = await runInWorkers({
        stack: stack.name,
        tenants,
        latencyMs,
        workers: options.workers,
        host: options.host,
      });
      result.scale.push({ stack: stack.name, tenants, mode: "parallel", ...parallel.row });
      if (parallel.notRestored > 0) result.notRestored.push(`${stack.name} (${tenants} parallel)`);
    }
  }
  return result;
}
