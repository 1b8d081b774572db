/**
 * Which tenant a stack's readiness or doctor run reads. A lab stack (its endpoints on loopback), or any stack with
 * `--emulator` or `--seed`, is read from a fresh emulator with the stack applied first, exactly as `rehearse`
 * applies it (`--seed` as for `rehearse`). Any other stack is read from its real tenant, read-only, with the
 * credentials the project uses everywhere (`DefaultAzureCredential` for Graph, `az login` for the portal API).
 * An emulator that is already running is read instead of a fresh one when named (`--emulator-url`), or when a lab
 * stack's endpoints answer as the emulator does: read as it is (the stack is not applied to it) and left running.
 */
import { emulatorToday } from "../stack/emulatorToday";
import { createEntraClient, type EntraClient } from "../../provider/http/client";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { openStack } from "../../components/openStack";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { RunningEmulator, TenantSeed } from "../../emulator/server";
import type { ProviderHost } from "../../engine/providerHost";
import { emulatorEndpoints } from "../stack/stackConfig";
import { isLoopbackUrl, loopbackNameProblem } from "../../lib/endpoints";
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
  /**
   * An emulator already running (its base URL, loopback only): read as it is, the stack not applied, and left
   * running. Without it, a lab stack's own endpoints are read when an emulator answers there.
   */
  emulatorUrl?: string;
  /** `false`: never read an emulator found at a lab stack's endpoints; always start a fresh one. */
  useRunningEmulator?: boolean;
}

/** Why `url` cannot name a running emulator to read, or undefined: http(s) on a loopback address only. Pure. */
export function emulatorUrlProblem(url: string): string | undefined {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined && (parsed.protocol === "http:" || parsed.protocol === "https:") && isLoopbackUrl(url))
    return undefined;
  return (
    `--emulator-url is ${JSON.stringify(url)}; allowed: the emulator's http URL on a loopback host, such as ` +
    "http://127.0.0.1:8640 (the lab credential's tokens go nowhere else)"
  );
}

/**
 * Whether the entra-sspr emulator answers at `url`: its control route \`GET /_emulator/today\` (no token is sent),
 * within a second. Something else listening there (another program) is not an emulator. Loopback only.
 */
export async function emulatorAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  if (emulatorUrlProblem(url) !== undefined || (await loopbackNameProblem(url)) !== undefined) return false;
  try {
    const response = await fetch(`${url.replace(/\/+$/, "")}/_emulator/today`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body: unknown = await response.json().catch(() => undefined);
    return response.ok && typeof body === "object" && body !== null && "today" in body;
  } catch {
    return false;
  }
}

/**
 * `ENTRA_SSPR_RUNNING_EMULATOR=ignore` turns off looking for an emulator at a lab stack's endpoints, so a command
 * always starts a fresh one. The test suite sets it (tests/support/jestEnvironment.ts): its files run side by side
 * and one may hold the lab's port with a tenant of its own.
 */
export const ignoreRunningEmulatorVariable = "ENTRA_SSPR_RUNNING_EMULATOR";

/** The base URL of a lab stack's emulator (its Graph endpoint), when both endpoints are on loopback. */
function stackEmulatorUrl(endpoints: { graph: string; portal: string }): string {
  return endpoints.graph.replace(/\/+$/, "");
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

  // A running emulator, named or found at a lab stack's endpoints, is read as it is and left running.
  const running = async (url: string, how: string): Promise<StackTenant> => {
    const target: EntraTarget = { tenantId, endpoints: emulatorEndpoints(url) };
    return {
      stack,
      target,
      client: createEntraClient(target),
      description: `the running emulator at ${url} (${how}; read as it is: the stack is not applied; nothing real is read)`,
      config,
      args,
      close: () => Promise.resolve(),
    };
  };
  if (options.emulatorUrl !== undefined) {
    const url = options.emulatorUrl.replace(/\/+$/, "");
    const problem = emulatorUrlProblem(url);
    if (problem !== undefined) return { problems: [problem] };
    if (!(await emulatorAnswers(url)))
      return {
        problems: [
          `--emulator-url ${url}: no entra-sspr emulator answers there (GET /_emulator/today); start one with ` +
            "`npm run emulator -- --port <N>`, or leave --emulator-url out to start a fresh one",
        ],
      };
    return running(url, "--emulator-url");
  }
  if (
    opened.lab &&
    options.emulator !== true &&
    options.seed === undefined &&
    options.useRunningEmulator !== false &&
    process.env[ignoreRunningEmulatorVariable] !== "ignore"
  ) {
    const url = stackEmulatorUrl(opened.endpoints);
    if (await emulatorAnswers(url)) return running(url, "found at the stack's endpoints");
  }

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
