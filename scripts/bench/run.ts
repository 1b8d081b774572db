/**
 * The benchmark run: each stack's lifecycle on one tenant (wall time the median of `runs`), then the same lifecycle
 * on 1, 10, 50... tenants (one emulator each), one after another and all at once, with the modelled baseline
 * (`baseline.ts`) beside every figure. One provider host serves the whole run, as one `pulumi` process per stack
 * would host its providers.
 *
 * "Parallel" starts every tenant's lifecycle at once. Refresh and destroy then run concurrently through the host;
 * program runs (`up`) are queued by the harness (`runUnderMocks`: the SDK's mock monitor is process-global), so
 * parallel `up`s overlap only in their provider calls. Request counts do not depend on this.
 */
import { baselineObjects, baselineRequests, type Modelled } from "./baseline";
import { measureLifecycle, operations, type LifecycleResult, type Measured, type Operation } from "./lifecycle";
import { benchStacks, type BenchStack } from "./stacks";
import type { ProviderHost } from "../../harness/providerHost";

export interface BenchOptions {
  host: ProviderHost;
  /** Single-tenant repetitions; wall time is their median (default 3). */
  runs?: number;
  /** Added by each emulator to every API answer (default 0). */
  latencyMs?: number;
  /** Tenant counts for the scale table (default 1, 10, 50). */
  tenants?: number[];
  /** Stacks measured at scale (default: both). */
  scaleStacks?: BenchStack["name"][];
  /** Stacks measured at all (default: both). */
  stacks?: BenchStack["name"][];
}

export interface OperationRow {
  stack: BenchStack["name"];
  operation: Operation;
  ours: Measured;
  baseline: Modelled;
}

export interface ScaleRow {
  stack: BenchStack["name"];
  tenants: number;
  mode: "sequential" | "parallel";
  requests: number;
  baselineRequests: number;
  ms: number;
}

export interface BenchResult {
  operations: OperationRow[];
  scale: ScaleRow[];
  /** Every request of the scale table (ours and the baseline's), the summary figure. */
  total: { ours: number; baseline: number };
  /** Resources each stack's applied state holds, by type. */
  resources: Record<string, string[]>;
  /** Stacks whose destroy did not bring the tenant back to its seed (service timestamps aside). */
  notRestored: string[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const requestsOf = (result: LifecycleResult): number =>
  operations.reduce((sum, operation) => sum + result.measured[operation].gets + result.measured[operation].writes, 0);

const baselineOf = (result: LifecycleResult): number => {
  const objects = baselineObjects(result.resources);
  return operations.reduce((sum, operation) => {
    const modelled = baselineRequests(operation, objects);
    return sum + modelled.gets + modelled.writes;
  }, 0);
};

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

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const runs = Math.max(1, options.runs ?? 3);
  const stacks = benchStacks().filter((stack) => options.stacks?.includes(stack.name) ?? true);
  const lifecycle = (stack: BenchStack): Promise<LifecycleResult> =>
    measureLifecycle({ host: options.host, latencyMs: options.latencyMs, ...stack });
  const result: BenchResult = {
    operations: [],
    scale: [],
    total: { ours: 0, baseline: 0 },
    resources: {},
    notRestored: [],
  };

  for (const stack of stacks) {
    const repeated: LifecycleResult[] = [];
    for (let run = 0; run < runs; run++) repeated.push(await lifecycle(stack));
    const [first] = repeated;
    result.resources[stack.name] = first.resources;
    if (repeated.some((one) => withoutServiceTimestamps(one.seeded) !== withoutServiceTimestamps(one.afterDestroy))) {
      result.notRestored.push(stack.name);
    }
    const objects = baselineObjects(first.resources);
    for (const operation of operations) {
      result.operations.push({
        stack: stack.name,
        operation,
        ours: { ...first.measured[operation], ms: median(repeated.map((one) => one.measured[operation].ms)) },
        baseline: baselineRequests(operation, objects),
      });
    }
  }

  for (const stack of stacks.filter((one) => options.scaleStacks?.includes(one.name) ?? true)) {
    for (const tenants of options.tenants ?? [1, 10, 50]) {
      for (const mode of ["sequential", "parallel"] as const) {
        const started = performance.now();
        const results: LifecycleResult[] = [];
        if (mode === "sequential") {
          for (let tenant = 0; tenant < tenants; tenant++) results.push(await lifecycle(stack));
        } else {
          results.push(...(await Promise.all(Array.from({ length: tenants }, () => lifecycle(stack)))));
        }
        const row: ScaleRow = {
          stack: stack.name,
          tenants,
          mode,
          requests: results.reduce((sum, one) => sum + requestsOf(one), 0),
          baselineRequests: results.reduce((sum, one) => sum + baselineOf(one), 0),
          ms: performance.now() - started,
        };
        result.scale.push(row);
        result.total.ours += row.requests;
        result.total.baseline += row.baselineRequests;
      }
    }
  }
  return result;
}
