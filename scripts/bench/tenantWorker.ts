/**
 * A worker process of the parallel scale runs (`parallel.ts` forks it with the task as its argument): a client of
 * the bench's provider host that takes tenants from the parent's queue over IPC, runs each one's lifecycle and
 * reports it, until the queue is empty.
 */
import { connectProviderHost } from "../../engine/providerHost";
import { runLanes, tenantLifecycle, type ParentMessage, type WorkerMessage, type WorkerTask } from "./parallel";

async function work(task: WorkerTask): Promise<void> {
  // The parent owns the host process (and its logs); this client only closes itself.
  const running = {
    address: task.hostAddress,
    pid: undefined,
    lines: [],
    running: () => true,
    unref: () => undefined,
    stop: async () => undefined,
  };
  const host = await connectProviderHost(running, { ownsProcess: false });
  // The parent answers `take`s in the order they were sent.
  const answers: ((answer: ParentMessage) => void)[] = [];
  process.on("message", (message: ParentMessage) => answers.shift()?.(message));
  const send = (message: WorkerMessage): void => {
    process.send?.(message);
  };
  const take = () =>
    new Promise<boolean>((resolve) => {
      answers.push((answer) => resolve(answer.kind === "tenant"));
      send({ kind: "take" });
    });
  try {
    await runLanes(task.lanes, take, async () => send({ kind: "done", outcome: await tenantLifecycle(host, task) }));
  } finally {
    await host.stop();
  }
}

if (require.main === module && process.send !== undefined) {
  work(JSON.parse(process.argv[2]) as WorkerTask).then(
    () => process.send?.({ kind: "finished" } satisfies WorkerMessage, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`bench worker: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
