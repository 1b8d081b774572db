/**
 * One worker process of the parallel scale runs (`parallel.ts`, which forks it with the task as its argument):
 * starts its own provider host, runs its share of tenants' lifecycles all at once, and reports their requests to
 * the parent over IPC.
 */
import { startProviderHost } from "../../harness/providerHost";
import { repositoryRoot } from "../rehearse";
import { lifecycleRequests, measureLifecycle, restoredSeed } from "./lifecycle";
import type { WorkerOutcome, WorkerTask } from "./parallel";
import { benchStacks } from "./stacks";

async function work(task: WorkerTask): Promise<WorkerOutcome> {
  const stack = benchStacks().find((one) => one.name === task.stack);
  if (stack === undefined) throw new Error(`bench worker: no stack ${task.stack}`);
  const host = await startProviderHost({ cwd: repositoryRoot });
  try {
    const results = await Promise.all(
      Array.from({ length: task.tenants }, () => measureLifecycle({ host, latencyMs: task.latencyMs, ...stack })),
    );
    return {
      requests: results.reduce((sum, one) => {
        const { gets, writes } = lifecycleRequests(one.measured);
        return sum + gets + writes;
      }, 0),
      notRestored: results.filter((one) => !restoredSeed(one)).length,
    };
  } finally {
    await host.stop();
  }
}

if (require.main === module && process.send !== undefined) {
  work(JSON.parse(process.argv[2]) as WorkerTask).then(
    (outcome) => process.send?.(outcome, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`bench worker: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
