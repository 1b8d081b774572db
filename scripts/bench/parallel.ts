/**
 * Tenants rehearsed concurrently up to the cores: the tenants are split over worker processes (one per core by
 * default), each with its own Pulumi mock monitor and program queue (`harness/mockRun.ts`) and its own provider
 * host, and each starts all its tenants at once. In one process the program runs of all tenants queue behind each
 * other on one core (the SDK's mock monitor is process-global); workers run them side by side. Processes, not worker
 * threads: the SDK's closure serializer loads every Node built-in, and `trace_events` refuses to load in a worker
 * thread ("Trace events are unavailable"). The wall time counts everything, worker and host start-up included.
 */
import { fork } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchStack } from "./stacks";

export interface WorkerTask {
  stack: BenchStack["name"];
  tenants: number;
  latencyMs: number;
}

export interface WorkerOutcome {
  /** Requests of every tenant's lifecycle. */
  requests: number;
  /** Tenants whose destroy did not restore the seed. */
  notRestored: number;
}

function runWorker(task: WorkerTask): Promise<WorkerOutcome> {
  return new Promise((resolve, reject) => {
    // TypeScript through Sucrase's loader, as the npm scripts run it.
    const worker = fork(path.join(__dirname, "tenantWorker.ts"), [JSON.stringify(task)], {
      execArgv: ["-r", "sucrase/register"],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    let outcome: WorkerOutcome | undefined;
    worker.once("message", (message: WorkerOutcome) => (outcome = message));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (outcome !== undefined) resolve(outcome);
      else reject(new Error(`bench: a tenant worker exited with code ${code} before reporting`));
    });
  });
}

export async function runInWorkers(options: {
  stack: BenchStack["name"];
  tenants: number;
  latencyMs: number;
  /** Default: the cores (`os.availableParallelism()`). */
  workers?: number;
}): Promise<{ row: { requests: number; ms: number; workers: number }; notRestored: number }> {
  const workers = Math.max(1, Math.min(options.tenants, options.workers ?? os.availableParallelism()));
  const started = performance.now();
  const shares = Array.from(
    { length: workers },
    (_, index) => Math.floor(options.tenants / workers) + (index < options.tenants % workers ? 1 : 0),
  );
  const outcomes = await Promise.all(
    shares.map((tenants) => runWorker({ stack: options.stack, tenants, latencyMs: options.latencyMs })),
  );
  return {
    row: {
      requests: outcomes.reduce((sum, one) => sum + one.requests, 0),
      ms: performance.now() - started,
      workers,
    },
    notRestored: outcomes.reduce((sum, one) => sum + one.notRestored, 0),
  };
}
