/**
 * One stack's lifecycle on one fresh emulator, measured through the path the lifecycle tests use: the program
 * (`index.ts`) under the mini engine (`harness/engine.ts`), its Entra resources in Pulumi's dynamic-provider host,
 * HTTP to the emulator. For each operation: the emulator's request log (GETs, writes), wall time and the size of
 * the engine state as JSON.
 */
import { startEmulator, type RequestLogEntry, type TenantSeed, type TenantState } from "../../emulator/server";
import { destroyState, refreshState, type EngineState } from "../../harness/engine";
import { emulatorStack } from "../emulatorStack";
import type { ConfigMap } from "../../harness/propertyValues";
import type { ProviderHost } from "../../harness/providerHost";

export const operations = ["first apply", "no-op re-apply", "refresh", "one setting changed", "destroy"] as const;
export type Operation = (typeof operations)[number];

export interface Measured {
  gets: number;
  writes: number;
  ms: number;
  /** `JSON.stringify` of the engine state after the operation (what `pulumi up` checkpoints). */
  stateBytes: number;
}

export interface LifecycleOptions {
  host: ProviderHost;
  stack: string;
  config: ConfigMap;
  /** The same stack with one setting changed (the fourth operation). */
  changedConfig: ConfigMap;
  latencyMs?: number;
  seed?: TenantSeed;
}

export interface LifecycleResult {
  measured: Record<Operation, Measured>;
  /** Dynamic resources in the applied state, by type name (`PasswordResetPolicy`, ...). */
  resources: string[];
  /** The emulator's tenant at start and after destroy (restore must bring it back). */
  seeded: TenantState;
  afterDestroy: TenantState;
}

const isWrite = (entry: RequestLogEntry): boolean => entry.method !== "GET";

/** Runs the five operations one after another on a new emulator; throws on any engine error. */
export async function measureLifecycle(options: LifecycleOptions): Promise<LifecycleResult> {
  const emulator = await startEmulator({ port: 0, seed: options.seed, latencyMs: options.latencyMs ?? 0 });
  try {
    const stack = emulatorStack({ host: options.host, emulatorUrl: emulator.url, stack: options.stack });
    const seeded = emulator.state();
    const measured: Partial<Record<Operation, Measured>> = {};
    const measure = async (operation: Operation, run: () => Promise<EngineState>): Promise<EngineState> => {
      emulator.clearRequests();
      const started = performance.now();
      const state = await run();
      const ms = performance.now() - started;
      const log = emulator.requests();
      measured[operation] = {
        gets: log.filter((entry) => !isWrite(entry)).length,
        writes: log.filter(isWrite).length,
        ms,
        stateBytes: Buffer.byteLength(JSON.stringify(state)),
      };
      return state;
    };
    const up = async (config: ConfigMap, priorState?: EngineState): Promise<EngineState> =>
      (await stack.up(config, priorState)).state;

    let state = await measure("first apply", () => up(options.config));
    state = await measure("no-op re-apply", () => up(options.config, state));
    state = await measure("refresh", async () => (await refreshState(state, options.host)).state);
    state = await measure("one setting changed", () => up(options.changedConfig, state));
    const resources = Object.values(state)
      .filter((entry) => entry.type.startsWith("entra-sspr:index:") && entry.custom)
      .map((entry) => entry.type.split(":").pop() ?? entry.type);
    await measure("destroy", async () => (await destroyState(state, options.host)).state);
    return {
      measured: measured as Record<Operation, Measured>,
      resources,
      seeded,
      afterDestroy: emulator.state(),
    };
  } finally {
    await emulator.stop();
  }
}
