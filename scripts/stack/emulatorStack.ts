/**
 * The project's program (`index.ts`) as one stack applied to an emulator, the way `rehearse` runs it: stack config
 * with the endpoints pointed at the emulator, the pilot group and user lookups answered from the emulator, the
 * Entra resources in the given provider plugin process. Shared by the benchmark and the end-to-end property tests.
 */
import * as path from "node:path";
import { createEntraClient } from "../../provider/http/client";
import { withAzureNativeStandIns } from "./azureNativeStandIns";
import { destroyState, refreshState, runProgram, type EngineState, type RunProgramResult } from "../../engine/engine";
import { projectName, type ConfigMap } from "../../engine/propertyValues";
import type { ProviderHost } from "../../engine/providerHost";
import { emulatorCallHandler, emulatorResourceDeleter, emulatorResourceHandler } from "./azureadStandIns";
import { emulatorEndpoints, withEmulatorEndpoints } from "./stackConfig";
import { programFromFile } from "../../engine/programFromFile";
import { repositoryRoot } from "./repository";

export interface EmulatorStack {
  /**
   * `pulumi up` of the program with this config (and the previous run's state, if any); `refresh`: `up --refresh`,
   * as the deploy workflow runs it (one deployment: the refresh, then the program).
   */
  up(config: ConfigMap, priorState?: EngineState, options?: { refresh?: boolean }): Promise<RunProgramResult>;
  /** `pulumi refresh` of the stack's state, the provider configured with the stack's config as for `up`. */
  refresh(config: ConfigMap, state: EngineState): ReturnType<typeof refreshState>;
  /** `pulumi destroy` of the stack's state (the pilot group deleted in the emulator, as azuread would). */
  destroy(config: ConfigMap, state: EngineState): ReturnType<typeof destroyState>;
}

let program: (() => unknown) | undefined;

export function emulatorStack(options: {
  host: ProviderHost;
  emulatorUrl: string;
  /** Stack name (default `dev`: `Pulumi.dev.yaml` is then the stack's own file, not another naming the tenant). */
  stack?: string;
}): EmulatorStack {
  program ??= programFromFile(path.join(repositoryRoot, "index.ts"));
  const run = program;
  const clientFor = (config: ConfigMap) =>
    createEntraClient({
      tenantId: String(config[`${projectName}:tenantId`]),
      endpoints: emulatorEndpoints(options.emulatorUrl),
    });
  const stackConfig = (config: ConfigMap) => withEmulatorEndpoints(config, options.emulatorUrl);
  return {
    up(config, priorState, upOptions) {
      const client = clientFor(config);
      return runProgram(run, {
        host: options.host,
        config: stackConfig(config),
        stack: options.stack ?? "dev",
        priorState,
        refresh: upOptions?.refresh,
        handleResource: withAzureNativeStandIns(emulatorResourceHandler(client, priorState)),
        handleCall: emulatorCallHandler(client),
      });
    },
    refresh(config, state) {
      return refreshState(state, options.host, stackConfig(config));
    },
    destroy(config, state) {
      return destroyState(state, options.host, {
        config: stackConfig(config),
        deleteResource: emulatorResourceDeleter(clientFor(config)),
      });
    },
  };
}
