/**
 * Where the rehearsal engine listens for process events (`unhandledRejection` in the mock run, `exit` for the provider host's
 * safety net): under jest that is not the `process` a test file sees.
 */
import * as vm from "node:vm";

/**
 * The process object that really emits events. Under jest, `process` in a test file is a copy with its own (never
 * emitted) listeners, while Node delivers `unhandledRejection` and `exit` to the worker's real process, which is
 * the global of the main context.
 */
export function eventingProcess(): NodeJS.Process {
  return vm.runInThisContext("process") as NodeJS.Process;
}

/** Routes `unhandledRejection` to `onReason` alone until the returned function restores the previous listeners. */
export function captureUnhandledRejections(onReason: (reason: unknown) => void): () => void {
  const target = eventingProcess();
  const previous = target.listeners("unhandledRejection");
  target.removeAllListeners("unhandledRejection");
  target.on("unhandledRejection", onReason);
  return () => {
    target.removeListener("unhandledRejection", onReason);
    for (const listener of previous) {
      target.on("unhandledRejection", listener);
    }
  };
}
