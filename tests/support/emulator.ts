/**
 * One in-process emulator for a test file or describe block: started once on 127.0.0.1 port 0, stopped after the
 * last test, and put back to its start-up tenant (no faults, an empty request log) before each test, so tests stay
 * independent without paying for a server each.
 */
import type { EntraTarget } from "../../provider/http/httpTypes";
import type { EntraEndpoints } from "../../lib/endpoints";
import {
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
  type TenantSeed,
  type TenantState,
} from "../../emulator/server";

/** Both APIs at one emulator: Graph at its root, the portal API under `/api` (where `emulator/server.ts` serves it). */
export function emulatorEndpoints(url: string): EntraEndpoints {
  return { graph: url, portal: `${url}/api` };
}

export interface EmulatorFixture {
  /** The running emulator; only inside a test or a hook that runs after the fixture's. */
  readonly emulator: RunningEmulator;
  /** The tenant as the current test started (a deep copy: the test may mutate it). */
  readonly seeded: TenantState;
  /** The emulator's endpoints. */
  readonly endpoints: EntraEndpoints;
  /** The seeded tenant at the emulator's endpoints, as the Entra client and providers take it. */
  readonly target: EntraTarget;
  /**
   * For a file's own `beforeEach` that needs a different start: replaces the given sections of the start-up tenant
   * (like `RunningEmulator.seed`), empties the request log again and takes the result as `seeded`.
   */
  reseed(seed: TenantSeed): void;
}

/**
 * Registers the jest hooks, so call it at the top of a file or `describe` block, before that block's own
 * `beforeEach` (jest runs hooks in the order they were registered). Port and host are fixed: tests bind 127.0.0.1
 * port 0 only.
 */
export function useEmulator(options: Omit<EmulatorOptions, "port" | "host"> = {}): EmulatorFixture {
  let running: RunningEmulator | undefined;
  let seeded: TenantState | undefined;

  beforeAll(async () => {
    running = await startEmulator({ ...options, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await running?.stop();
    running = undefined;
    seeded = undefined;
  });
  beforeEach(() => {
    const emulator = started();
    emulator.reset();
    emulator.clearFaults();
    emulator.clearRequests();
    seeded = emulator.state();
  });

  function started(): RunningEmulator {
    if (running === undefined) {
      throw new Error(
        "useEmulator: the emulator runs only between the fixture's beforeAll and afterAll; " +
          "use it inside a test or hook, not while the file is being collected",
      );
    }
    return running;
  }

  function current(): TenantState {
    if (seeded === undefined) {
      throw new Error(
        "useEmulator: seeded is captured in the fixture's beforeEach; use it inside a test or later hook",
      );
    }
    return seeded;
  }

  return {
    get emulator() {
      return started();
    },
    get seeded() {
      return current();
    },
    get endpoints() {
      return emulatorEndpoints(started().url);
    },
    get target() {
      return { tenantId: current().tenantId, endpoints: emulatorEndpoints(started().url) };
    },
    reseed(seed: TenantSeed) {
      const emulator = started();
      emulator.seed(seed);
      emulator.clearRequests();
      seeded = emulator.state();
    },
  };
}
