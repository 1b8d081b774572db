/**
 * Where a read-only check before `pulumi up` (preflight, lockout-check) reads the tenant. A lab stack (both endpoints
 * on loopback) is read from a fresh local emulator this process starts, as `rehearse` and `readiness` do, so no
 * emulator has to be running first; the stack is not applied, since the check is about the tenant before the deploy.
 * A real stack keeps its endpoints (`openStack` tells which is which), and the emulator's code is loaded only for a lab stack (a real-tenant command
 * loads no emulator module).
 */
import type { EntraEndpoints } from "../../lib/endpoints";
import type { OpenedStack } from "../../components/openStack";
import type { TenantSeed } from "../../emulator/server";
import { emulatorEndpoints } from "./stackConfig";

export interface CheckedTenantEndpoints {
  endpoints: EntraEndpoints;
  /** The stack's endpoints are on loopback: what is read is an emulator, never a real tenant. */
  lab: boolean;
  /** Stops the emulator this call started (nothing otherwise). */
  close(): Promise<void>;
}

export async function checkedTenantEndpoints(
  stack: Pick<OpenedStack, "endpoints" | "lab">,
  options: {
    /** An emulator already running, read instead of starting one (lab stacks only; tests share one). */
    emulatorUrl?: string;
    /** The tenant the started emulator holds (default: the emulator's sample tenant). */
    seed?: TenantSeed;
  } = {},
): Promise<CheckedTenantEndpoints> {
  const { lab } = stack;
  const nothingToStop = () => Promise.resolve();
  if (!lab) return { endpoints: stack.endpoints, lab, close: nothingToStop };
  if (options.emulatorUrl !== undefined)
    return { endpoints: emulatorEndpoints(options.emulatorUrl), lab, close: nothingToStop };
  const { startEmulator } = await import("../../emulator/server");
  const emulator = await startEmulator({ seed: options.seed });
  return { endpoints: emulatorEndpoints(emulator.url), lab, close: () => emulator.stop() };
}
