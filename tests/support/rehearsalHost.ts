/**
 * The entra-sspr provider plugin for a test file (or a `describe` block), and with it, for the tests that rehearse
 * stack files, a scratch folder: started before its tests, stopped and removed after.
 *
 * One host PROCESS serves every file a jest worker runs (starting one loads the Pulumi SDK and the objects'
 * lifecycles); each file connects its own client, whose `logs()` start empty and whose `stop()` leaves
 * the process for the next file. The process is kept on the worker's real `process` object, the one thing the test
 * files of a worker share (each file has its own module registry and globals), and ends with the worker. A file
 * that needs a host with its own environment or config starts its own with `startProviderPlugin` and says why.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  connectProviderHost,
  spawnProviderPlugin,
  type ProviderHost,
  type ProviderHostProcess,
} from "../../engine/providerHost";
import { eventingProcess } from "../../engine/processEvents";

export interface RehearsalHost {
  readonly host: ProviderHost;
  /** A folder of this fixture's own, for stack files, seeds and pack configs. */
  readonly tmp: string;
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the ${what} exists only inside tests`);
  return value;
}

const workerHostKey = Symbol.for("entra-sspr.tests.workerProviderHost");
type WorkerProcess = NodeJS.Process & { [workerHostKey]?: Promise<ProviderHostProcess> };

/** This jest worker's host process, spawned by the first file that asks (again if it has exited). */
async function workerHostProcess(): Promise<ProviderHostProcess> {
  const worker = eventingProcess() as WorkerProcess;
  const known = await worker[workerHostKey]?.catch(() => undefined);
  if (known?.running()) return known;
  // Unreferenced, so that the worker can end when jest is done with it (the host is killed on its exit).
  const spawned = spawnProviderPlugin().then((hostProcess) => {
    hostProcess.unref();
    return hostProcess;
  });
  worker[workerHostKey] = spawned;
  return spawned;
}

/** A client of this worker's provider plugin, started in the repository as the CLI starts it. */
export function useProviderHost(): { readonly host: ProviderHost } {
  let host: ProviderHost | undefined;
  beforeAll(async () => {
    host = await connectProviderHost(await workerHostProcess(), { ownsProcess: false });
  });
  // Each test is a deployment of its own: the engine configures the provider before it, which starts a run, so no
  // read of an earlier test is reused (provider/http/runReads.ts). A test of several steps configures before
  // each, as `engine/engine.ts` does.
  beforeEach(async () => {
    await host?.configure();
  });
  afterAll(async () => {
    await host?.stop();
  });
  return {
    get host() {
      return started(host, "provider host");
    },
  };
}

export function useRehearsalHost(name: string): RehearsalHost {
  const fixture = useProviderHost();
  let tmp: string | undefined;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `entra-sspr-${name}-`));
  });
  afterAll(() => {
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });
  return {
    get host() {
      return fixture.host;
    },
    get tmp() {
      return started(tmp, "scratch folder");
    },
  };
}
