/**
 * How the engine configures a provider, as pulumi/pulumi (commit 1b59498, docs/reference/pulumi-engine.md) does it:
 * the default provider resource and its inputs from the stack's config, and the `ConfigureRequest` it sends. Pure:
 * the provider-host client (`engine/providerHost.ts`) and the rehearsal engine (`engine/engine.ts`) build what they
 * send with these, and tests/engine/providerConfigure.test.ts holds every shape to the Go source line it cites.
 */
import { randomUUID } from "node:crypto";
import {
  type ConfigMap,
  defaultStack,
  isSecret,
  makeSecret,
  type PropertyMap,
  revealSecrets,
  urnFor,
} from "./propertyValues";

/** Packages whose default provider gets the whole config, namespaces kept (`isDynamicProvider`, target.go). */
const dynamicProviderPackages = new Set(["pulumi-nodejs", "pulumi-python"]);

/** `pulumi:providers:<package>` (`MakeProviderType`, used by default_providers.go:166). */
export const providerType = (pkg: string): string => `pulumi:providers:${pkg}`;

export const isProviderResourceType = (type: string): boolean => type.startsWith("pulumi:providers:");

/** The package a provider type serves (`GetProviderPackage`). */
export const providerPackage = (type: string): string => type.replace(/^pulumi:providers:/, "");

/**
 * The default provider's inputs: every stack config key of the package's namespace, by its name without the
 * namespace, each value as the config's text (an object as its JSON), secret where the config is secure
 * (`GetPackageConfig`, pkg/resource/deploy/target.go:46-72, called by `newRegisterDefaultProviderEvent`,
 * pkg/resource/deploy/default_providers.go:143). A dynamic provider's gets every key, namespace kept (target.go:66).
 * `secretKeys` are the config keys the stack file holds as `secure:` (a value may also be a secret itself).
 */
export function packageConfig(config: ConfigMap | undefined, pkg: string, secretKeys: string[] = []): PropertyMap {
  const inputs: PropertyMap = {};
  const dynamic = dynamicProviderPackages.has(pkg);
  for (const [key, given] of Object.entries(config ?? {})) {
    const colon = key.indexOf(":");
    const namespace = colon < 0 ? "" : key.slice(0, colon);
    if (!dynamic && namespace !== pkg) continue;
    const plain = revealSecrets(given);
    const text = typeof plain === "string" ? plain : JSON.stringify(plain);
    inputs[dynamic ? key : key.slice(colon + 1)] =
      isSecret(given) || secretKeys.includes(key) ? makeSecret(text) : text;
  }
  return inputs;
}

/** Which provider resource a Configure is for (the registry's Create, Update and Same set all four). */
export interface ProviderReference {
  urn: string;
  name: string;
  type: string;
  id: string;
}

/**
 * The name the engine gives a default provider (`DefaultName`, pkg/resource/deploy/providers/provider.go:107-135):
 * `default` when the program asks for no version, else `default_<major>_<minor>_<patch>` (then `_<pre>` parts).
 */
export function defaultProviderName(version?: string): string {
  if (version === undefined) return "default";
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?/.exec(version);
  if (match === null) throw new Error(`not a semantic version: ${version}`);
  const pre = match[4] === undefined ? [] : match[4].split(".");
  return ["default", match[1], match[2], match[3], ...pre].join("_");
}

/**
 * The default provider of `pkg`, at the stack's top level (no parent: default_providers.go:170), its id a new UUID as
 * the registry's Create gives it (registry.go:950).
 */
export function defaultProviderReference(
  pkg: string,
  stack: string = defaultStack,
  options: { id?: string; version?: string } = {},
): ProviderReference {
  const type = providerType(pkg);
  const name = defaultProviderName(options.version);
  return { urn: urnFor(type, name, stack), name, type, id: options.id ?? randomUUID() };
}

/** The fields of `pulumirpc.ConfigureRequest` the engine sets, as plain values. */
export interface ConfigureShape {
  urn: string;
  name: string;
  type: string;
  id: string;
  /** Deprecated, still sent: `<package>:config:<key>` -> text, secrets unwrapped, objects as JSON, no `version`. */
  variables: Record<string, string>;
  /** The inputs as a property map, secrets kept. */
  args: PropertyMap;
  acceptSecrets: true;
  acceptResources: true;
  sendsOldInputs: true;
  sendsOldInputsToDelete: true;
}

/**
 * The ConfigureRequest the engine sends a provider whose inputs are `inputs` (`Configure`,
 * pkg/resource/plugin/provider_plugin.go:1054-1140; the package is the provider type's, `GetProviderPackage`). The
 * registry's Create/Update/Same pass the inputs through `FilterProviderConfig` first (registry.go:454), which drops
 * only the engine's `__internal` key.
 */
export function configureRequestFor(reference: ProviderReference, inputs: PropertyMap): ConfigureShape {
  const pkg = providerPackage(reference.type);
  const args = Object.fromEntries(Object.entries(inputs).filter(([key]) => key !== "__internal"));
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === "version") continue;
    const plain = revealSecrets(value);
    variables[`${pkg}:config:${key}`] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return {
    urn: reference.urn,
    name: reference.name,
    type: reference.type,
    id: reference.id,
    variables,
    args,
    acceptSecrets: true,
    acceptResources: true,
    sendsOldInputs: true,
    sendsOldInputsToDelete: true,
  };
}
