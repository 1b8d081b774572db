/**
 * Which tenant a stack's readiness or doctor run reads. A lab stack (its endpoints on loopback), or any stack with
 * `--emulator` or `--seed`, is read from a fresh emulator with the stack applied first, exactly as `rehearse`
 * applies it (`--seed` as for `rehearse`). Any other stack is read from its real tenant, read-only, with the
 * credentials the project uses everywhere (`DefaultAzureCredential` for Graph, `az login` for the portal API).
 */
import { emulatorToday } from "../stack/emulatorToday";
import { createEntraClient, type EntraClient } from "../../provider/http/client";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { openStack } from "../../components/openStack";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { RunningEmulator, TenantSeed } from "../../emulator/server";
import type { ProviderHost } from "../../engine/providerHost";
import { emulatorEndpoints } from "../stack/stackConfig";
import type { ConfigMap } from "../../components/config";

export interface StackTenantOptions {
  stack?: string;
  stackFile?: string;
  /** Directory of `Pulumi.<stack>.yaml` (default: the repository root). */
  stackDir?: string;
  /** A tenant seed or the path of one (implies the emulator). */
  seed?: TenantSeed | string;
  /** Read a fresh emulator with the stack applied, even for a stack that names a real tenant. */
  emulator?: boolean;
  /** `false`: an emulated tenant is read as it starts (the sample tenant), without applying the stack. */
  applyStack?: boolean;
  /** A running provider plugin for the rehearsal (tests share one). */
  host?: ProviderHost;
  /** The day an emulated tenant believes is today (`YYYY-MM-DD`): its registration report follows that day's rules. */
  today?: string;
}

export interface StackTenant {
  stack: string;
  target: EntraTarget;
  client: EntraClient;
  /** "a fresh emulator with stack lab applied" or "tenant munyakazi.org". */
  description: string;
  /** The stack's config (`entra-sspr:...` keys), as read from its file. */
  config: ConfigMap;
  /** The same config as the component's args (checked: a stack with config problems is not opened). */
  args: SelfServicePasswordResetArgs;
  /** The emulator read (emulator mode only); stopped by `close`. */
  emulator?: RunningEmulator;
  close(): Promise<void>;
}

/** Opens the stack's tenant for reading, or returns every problem (nothing is read or started then). */
export async function openStackTenant(options: StackTenantOptions): Promise<StackTenant | { problems: string[] }> {
  const opened = openStack(options);
  if (opened.args === undefined) return { problems: opened.problems };
  const { stack, config, args } = opened;
  const tenantId = args.tenantId;
  const useEmulator = options.emulator === true || options.seed !== undefined || opened.lab;

  if (!useEmulator) {
    const target: EntraTarget = { tenantId, endpoints: opened.endpoints };
    try {
      return {
        stack,
        target,
        client: createEntraClient(target),
        description: `tenant ${tenantId} (read-only)`,
        config,
        args,
        close: () => Promise.resolve(),
      };
    } catch (error) {
      return { problems: [error instanceof Error ? error.message : String(error)] };
    }
  }

  // Loaded only for an emulated tenant: reading a real one loads no emulator or engine code.
  const [{ startEmulator }, { rehearse }] = await Promise.all([
    import("../../emulator/server"),
    import("../rehearse/rehearse"),
  ]);
  // The emulated tenant lives on the day judged, and contracts its own telephony when the stack says it does.
  const start = async () => {
    const started = await startEmulator({
      port: 0,
      ...(options.today === undefined ? emulatorToday() : { today: options.today }),
    });
    if (args.ownTelephonyProvider === true) started.setOwnTelephonyProvider(true);
    return started;
  };
  if (options.applyStack === false) {
    const emulator = await start();
    const target: EntraTarget = { tenantId, endpoints: emulatorEndpoints(emulator.url) };
    return {
      stack,
      target,
      client: createEntraClient(target),
      description: `the emulator's sample tenant (${emulator.url}; nothing real is read)`,
      config,
      args,
      emulator,
      close: () => emulator.stop(),
    };
  }
  const emulator = await start();
  const applied = await rehearse({
    stack: options.stack,
    stackFile: options.stackFile,
    stackDir: options.stackDir,
    seed: options.seed,
    emulatorUrl: emulator.url,
    host: options.host,
  });
  if (!applied.ok) {
    await emulator.stop();
    return { problems: applied.errors.map((line) => `applying stack ${stack} to the emulator: ${line}`) };
  }
  const target: EntraTarget = { tenantId, endpoints: emulatorEndpoints(emulator.url) };
  return {
    stack,
    target,
    client: createEntraClient(target),
    description: `a fresh emulator with stack ${stack} applied (${emulator.url}; nothing real is read)`,
    config,
    args,
    emulator,
    close: () => emulator.stop(),
  };
}
