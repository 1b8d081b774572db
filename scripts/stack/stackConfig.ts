/**
 * A stack's config pointed at the local emulator (pure), as a rehearsal runs it; the stack itself is opened by
 * `components/openStack.ts`.
 */
import type { ConfigMap } from "../../components/config";
import { configNamespace } from "../../components/configProblems";
import { isRecord } from "../../lib/predicates";

/** The config key of the Entra endpoints, which a rehearsal always points at the emulator. */
export const endpointsKey = `${configNamespace}:endpoints`;

/** The endpoints every rehearsal uses: the emulator for both APIs (the portal API lives under `/api`). */
export function emulatorEndpoints(emulatorUrl: string): { graph: string; portal: string } {
  const base = emulatorUrl.replace(/\/+$/, "");
  return { graph: base, portal: `${base}/api` };
}

/** The config with `entra-sspr:endpoints` pointed at the emulator, whatever the stack said. */
export function withEmulatorEndpoints(config: ConfigMap, emulatorUrl: string): ConfigMap {
  return { ...config, [endpointsKey]: emulatorEndpoints(emulatorUrl) };
}

/** The stack's own endpoints setting, in words (a rehearsal says what it overrides). */
export function describeEndpoints(value: unknown): string {
  if (isRecord(value)) return `graph ${String(value.graph)}, portal ${String(value.portal)}`;
  return "not set, so Microsoft's: https://graph.microsoft.com and https://main.iam.ad.ext.azure.com/api";
}
