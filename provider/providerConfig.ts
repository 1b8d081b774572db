/**
 * The provider's own configuration, apart from the SSPR settings: which tenant a deployment signs in to
 * (`tenantId`) and where Microsoft's two control planes are (`endpoints`, the lab's emulator). In a stack file they
 * are `entra-sspr:tenantId` and `entra-sspr:endpoints`; the schema's `config.variables` declares them
 * (`provider/schema.ts`). The engine hands every key of the package's namespace to the package's default provider
 * (`GetPackageConfig` in pulumi/pulumi's pkg/resource/deploy/target.go) and stores what `CheckConfig` returns as its
 * inputs, so `CheckConfig` keeps only these two: anything else (the SSPR settings at their old place,
 * `entra-sspr:sspr`) is dropped, with a warning naming it, and never reaches the provider's state.
 *
 * What the engine calls, in this order (pkg/resource/deploy/providers/registry.go: `Check`, `Diff`, then `Create`,
 * `Update` or `Same`): `CheckConfig` on the provider's inputs, `DiffConfig` against the recorded ones, then
 * `Configure` with `args` (the inputs as a property map, secrets kept) and the deprecated `variables` keyed
 * `<package>:config:<key>` (`Configure` in pkg/resource/plugin/provider_plugin.go). Pure.
 */
import { isDomainName, isGuid, isRecord } from "../lib/predicates";
import { defaultEndpoints, endpointProblem, type EntraEndpoints } from "../lib/endpoints";
import { packageName } from "../lib/resourceTypes";
import { revealSecrets } from "./secretValues";

/** The provider's config keys, as the schema's `config.variables` declares them. */
export const providerConfigKeys = ["tenantId", "endpoints"] as const;

/**
 * Keys the engine itself adds to a provider's inputs (`SetProviderVersion`, `SetProviderURL`, ... in
 * pkg/resource/deploy/providers/reference.go; the registry's Check puts `version` back if a provider drops it).
 */
const engineKeys = new Set(["version", "pluginDownloadURL", "pluginChecksums", "name", "parameterization"]);

/**
 * The program's own keys in the package's namespace (`entra-sspr:takeOverFrom`, `entra-sspr:monitoring`): the
 * program reads them, the provider never does. Dropped from the inputs without a word, since a stack that sets them
 * does nothing wrong; any other unknown key is dropped with a warning naming it (a typo of `tenantId`, say).
 */
const programKeys = new Set(["takeOverFrom", "monitoring"]);

/** The old place of the SSPR settings in the package's namespace, and where they are now. */
const legacySettingsName = "sspr";
const settingsKey = "sspr:settings";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface ConfigCheck {
  /** The inputs the engine records for the provider: its own keys (and the engine's), nothing else. */
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
  /** One line per key dropped from the inputs, naming it. */
  warnings: string[];
}

/**
 * A config value as a provider's input holds it: the engine reads each stack config value as text, so an object
 * arrives as its JSON (`c.Value(...)` in `GetPackageConfig`); an explicit provider's input may be the object itself.
 */
export function configObject(value: unknown): unknown {
  if (typeof value !== "string" || !value.trim().startsWith("{")) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const tenantIdText = "expected the tenant id (a GUID) or a verified domain name such as munyakazi.org";

/** What is wrong with the provider's own keys, every problem at once, each naming the setting, value and what is allowed. */
function ownKeyFailures(plain: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (plain.tenantId !== undefined) {
    const value = plain.tenantId;
    if (typeof value !== "string" || !(isGuid(value) || isDomainName(value))) {
      failures.push({
        property: "tenantId",
        reason: `${packageName}:tenantId: ${JSON.stringify(value)} is not allowed; ${tenantIdText}`,
      });
    }
  }
  if (plain.endpoints !== undefined) {
    const setting = `${packageName}:endpoints`;
    const value = configObject(plain.endpoints);
    if (!isRecord(value)) {
      failures.push({
        property: "endpoints",
        reason: `${setting}: ${JSON.stringify(value)} is not allowed; expected { graph, portal }, both http(s) URLs`,
      });
      return failures;
    }
    for (const api of ["graph", "portal"] as const) {
      const problem = endpointProblem(value[api], api);
      if (problem !== undefined)
        failures.push({ property: `endpoints.${api}`, reason: `${setting}.${api}: ${problem}` });
    }
    for (const extra of Object.keys(value).filter((name) => name !== "graph" && name !== "portal")) {
      failures.push({
        property: `endpoints.${extra}`,
        reason: `${setting}.${extra}: unknown key; expected graph, portal`,
      });
    }
  }
  return failures;
}

/** Why a key of the package's namespace is not kept, in one line. */
function droppedWarning(key: string): string {
  const setting = `${packageName}:${key}`;
  if (key === legacySettingsName) {
    return (
      `${setting} is the old place of the SSPR settings, not the provider's configuration: dropped from the ` +
      `provider's inputs, so it is not stored in its state (move the settings to ${settingsKey}: npm run ` +
      "migrate-stack -- --stack <name>)"
    );
  }
  return (
    `${setting} is not the provider's configuration (${providerConfigKeys.map((name) => `${packageName}:${name}`).join(", ")}): ` +
    "dropped from the provider's inputs, so it is not stored in its state"
  );
}

/**
 * CheckConfig: the inputs to record (the provider's own keys, as given, and the engine's), the failures of the own
 * keys, and a warning for each key dropped. Secrets keep their wrapping in the inputs returned.
 */
export function checkProviderConfig(news: Record<string, unknown>): ConfigCheck {
  const inputs: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(news)) {
    if ((providerConfigKeys as readonly string[]).includes(key) || engineKeys.has(key)) inputs[key] = value;
    else if (!programKeys.has(key)) warnings.push(droppedWarning(key));
  }
  const plain = revealSecrets(inputs) as Record<string, unknown>;
  return { inputs, failures: ownKeyFailures(plain), warnings };
}

/** The provider's own keys of an input map (old state may hold anything the package's namespace held). */
function ownInputs(inputs: Record<string, unknown> | undefined): Record<string, unknown> {
  const plain = (revealSecrets(inputs ?? {}) ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    providerConfigKeys.filter((key) => plain[key] !== undefined).map((key) => [key, configObject(plain[key])]),
  );
}

const sameValue = (key: string, a: unknown, b: unknown): boolean =>
  key === "tenantId" && typeof a === "string" && typeof b === "string"
    ? a.toLowerCase() === b.toLowerCase() // a tenant's domain name is not case-sensitive
    : JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export interface ConfigDiff {
  changes: boolean;
  diffs: string[];
  /** A different tenant is other objects: the engine replaces the provider, and so every resource it serves. */
  replaces: string[];
}

/**
 * DiffConfig: a different tenant replaces the provider (the step generator then replaces each of its resources,
 * `providerChanged` in pkg/resource/deploy/step_generator.go, never updating one in place); other endpoints (the
 * emulator's port) are an update. Keys that are not the provider's are not compared: an old state's `sspr` leaving the
 * inputs changes no provider.
 */
export function diffProviderConfig(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown> | undefined,
): ConfigDiff {
  const before = ownInputs(olds);
  const after = ownInputs(news);
  const diffs = providerConfigKeys.filter((key) => !sameValue(key, before[key], after[key]));
  return { changes: diffs.length > 0, diffs: [...diffs], replaces: diffs.filter((key) => key === "tenantId") };
}

/**
 * The tenant and endpoints a Configure names, read where the engine puts them: `args` (the provider's inputs, by
 * plain name), else the deprecated `variables` keyed `entra-sspr:config:<key>`, and the spelling before them,
 * `entra-sspr:<key>` (what this project's rehearsal engine sent until 0.3). Undefined (every tenant's run) without a
 * valid tenant.
 */
export function runTargetOf(
  args: Record<string, unknown> | undefined,
  variables: Record<string, string> | undefined,
): { tenantId: string; endpoints: EntraEndpoints } | undefined {
  const fromVariables = (key: string): string | undefined =>
    variables?.[`${packageName}:config:${key}`] ?? variables?.[`${packageName}:${key}`];
  const plain = (revealSecrets(args ?? {}) ?? {}) as Record<string, unknown>;
  const tenantId = plain.tenantId ?? fromVariables("tenantId");
  const endpoints = configObject(plain.endpoints ?? fromVariables("endpoints")) ?? defaultEndpoints;
  if (typeof tenantId !== "string" || tenantId === "") return undefined;
  if (ownKeyFailures({ tenantId, endpoints }).length > 0 || !isRecord(endpoints)) return undefined;
  return { tenantId, endpoints: { graph: String(endpoints.graph), portal: String(endpoints.portal) } };
}
