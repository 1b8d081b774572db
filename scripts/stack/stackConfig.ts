/**
 * A stack's config as the scripts take it (pure): the `config:` map of a parsed `Pulumi.<stack>.yaml` with every
 * problem, the endpoints pointed at the local emulator, and the config checked the way the program checks it.
 */
import { type ConfigMap, flatConfig, namespaceConfig, parseStackConfig } from "../../components/config";
import { configNamespace } from "../../components/configProblems";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { isRecord } from "../../components/entra/predicates";

/** The config key of the Entra endpoints, which a rehearsal always points at the emulator. */
export const endpointsKey = `${configNamespace}:endpoints`;

/** Config key paths (`entra-sspr:sspr.helpdesk`) holding a Pulumi secret (`secure: v1:...`). */
export function secureValuePaths(value: unknown, keyPath: string): string[] {
  if (isRecord(value)) {
    if (Object.keys(value).length === 1 && "secure" in value) return [keyPath];
    return Object.entries(value).flatMap(([key, inner]) => secureValuePaths(inner, `${keyPath}.${key}`));
  }
  if (Array.isArray(value)) return value.flatMap((inner, index) => secureValuePaths(inner, `${keyPath}[${index}]`));
  return [];
}

/**
 * The `config:` map of a parsed `Pulumi.<stack>.yaml`, keys namespaced as Pulumi does (a bare key belongs to the
 * project), with every problem: not a mapping, or secrets (rehearsal cannot decrypt them without the CLI).
 */
export function stackConfigFromDocument(document: unknown, file: string): { config: ConfigMap; problems: string[] } {
  if (document === undefined || document === null) return { config: {}, problems: [] };
  if (!isRecord(document)) {
    return {
      config: {},
      problems: [`${file}: expected a YAML mapping with a "config:" key, found ${typeof document}`],
    };
  }
  const raw = document.config;
  if (raw === undefined || raw === null) return { config: {}, problems: [] };
  if (!isRecord(raw)) return { config: {}, problems: [`${file}: "config:" must be a mapping of keys to values`] };
  const config: ConfigMap = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${configNamespace}:${key}`;
    for (const secret of secureValuePaths(value, fullKey)) {
      problems.push(
        `${secret}: a secret ("secure:") cannot be rehearsed: decrypting it needs the Pulumi CLI and the stack's ` +
          "secrets provider. Rehearse a copy of the stack file with a plain placeholder value, or use `pulumi preview`.",
      );
    }
    if (value === null || value === undefined) continue;
    config[fullKey] = value as ConfigMap[string];
  }
  return { config, problems };
}

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

/** The stack config's problems as the program would report them (before anything runs), or its component args. */
export function checkConfig(config: ConfigMap): { args?: SelfServicePasswordResetArgs; problems: string[] } {
  const parsed = parseStackConfig(namespaceConfig(flatConfig(config)));
  return parsed.ok ? { args: parsed.args, problems: [] } : { problems: parsed.problems };
}
