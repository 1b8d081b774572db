/**
 * Tenants rehearsed concurrently up to the cores. Program runs queue behind each other within one process (the
 * SDK's mock monitor is process-global: `runQueue` in `engine/mockRun.ts`), so one process runs programs on one
 * core however many tenants it starts. Here the bench's own process and one forked worker process per further core
 * take tenants from one queue, each with a few lanes (tenants in flight, so that waits on the emulator overlap), all
 * clients of the bench's provider host, whose providers are already loaded. A worker joins when it has started
 * (loading the SDK and the program costs it a second or two of CPU), so few tenants stay in the warm process.
 * Processes, not worker threads: the SDK's closure serializer loads every Node built-in, and `trace_events` refuses
 * to load in a worker thread ("Trace events are unavailable"). The wall time counts everything, start-ups included.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { lifecycleRequests, measureLifecycle, restoredSeed } from "./lifecycle";
import type { ProviderHost } from "../../engine/providerHost";
import { benchStacks, type BenchStack } from "./stacks";

/** What a worker needs to run a stack's lifecycle. */
export interface WorkerTask {
  stack: BenchStack["name"];
  latencyMs: number;
  /** The bench's provider host (`127.0.0.1:<port>`), which the workers share. */
  hostAddress: string;
  lanes: number;
}

/** One tenant's lifecycle, as a worker reports it. */
export interface TenantOutcome {
  requests: number;
  restored: boolean;
}

/** Messages from a worker: it wants a tenant, it finished one, or it has nothing left to do. */
export type WorkerMessage = { kind: "take" } | { kind: "done"; outcome: TenantOutcome } | { kind: "finished" };
/** The parent's answer to `take`. */
export type ParentMessage = { kind: "tenant" } | { kind: "empty" };

/** Tenants in flight per process. */
const lanesPerProcess = 4;

/** One tenant's lifecycle in this process. */
export async function tenantLifecycle(host: ProviderHost, task: WorkerTask): Promise<TenantOutcome> {
  const stack = benchStacks().find((one) => one.name === task.stack);
  if (stack === undefined) throw new Error(`bench: no stack ${task.stack}`);
  const result = await measureLifecycle({ host, latencyMs: task.latencyMs, ...stack });
  const { gets, writes } = lifecycleRequests(result.measured);
  return { requests: gets + writes, restored: restoredSeed(result) };
}

/** Runs `lanes` loops that each take a tenant and run it until `take` says there are none left. */
export async function runLanes(
  lanes: number,
  take: () => Promise<boolean> | boolean,
  run: () => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (await take()) await run();
    }),
  );
}

function startWorker(task: WorkerTask, take: () => boolean, done: (outcome: TenantOutcome) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // TypeScript through Sucrase's loader, as the npm scripts run it.
    const worker: ChildProcess = fork(path.join(__dirname, "tenantWorker.ts"), [JSON.stringify(task)], {
      execArgv: ["-r", "sucrase/register"],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    let finished = false;
    worker.on("message", (message: WorkerMessage) => {
      if (message.kind === "take") worker.send({ kind: take() ? "tenant" : "empty" } satisfies ParentMessage);
      else if (message.kind === "done") done(message.outcome);
      else finished = true;
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (finished) resolve();
      else reject(new Error(`bench: a tenant worker exited with code ${code} before finishing`));
    });
  });
}

export async function runInWorkers(options: {
  stack: BenchStack["name"];
  tenants: number;
  latencyMs: number;
  host: ProviderHost;
  /** Processes in all, this one included (default: the cores, `os.availableParallelism()`). */
  workers?: number;
  /** Tenants in flight in this process (default 4; 0 leaves every tenant to the workers). */
  lanesHere?: number;
}): Promise<{ row: { requests: number; ms: number; workers: number }; notRestored: number }> {
  const processes = Math.max(1, Math.min(options.tenants, options.workers ?? os.availableParallelism()));
  const lanesHere = options.lanesHere ?? lanesPerProcess;
  const forks = lanesHere > 0 ? processes - 1 : processes;
  const task: WorkerTask = {
    stack: options.stack,
    latencyMs: options.latencyMs,
    hostAddress: options.host.address,
    lanes: lanesPerProcess,
  };
  const started = performance.now();
  let left = options.tenants;
  const take = (): boolean => (left > 0 ? (left--, true) : false);
  const outcomes: TenantOutcome[] = [];
  const done = (outcome: TenantOutcome): void => {
    outcomes.push(outcome);
  };
  await Promise.all([
    runLanes(lanesHere, take, async () => done(await tenantLifecycle(options.host, task))),
    ...Array.from({ length: forks }, () => startWorker(task, take, done)),
  ]);
  return {
    row: {
      requests: outcomes.reduce((sum, one) => sum + one.requests, 0),
      ms: performance.now() - started,
      workers: processes,
    },
    notRestored: outcomes.filter((one) => !one.restored).length,
  };
}
