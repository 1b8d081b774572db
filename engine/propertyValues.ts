/**
 * The rehearsal engine's vocabulary: the project's names, the URNs the engine gives resources, property bags and stack config
 * as Pulumi passes them around, and Pulumi's secret marker with the engine's rules for it (what a provider that
 * refuses secrets is sent, and which of its outputs become secret again). Pure; shared by the mock run
 * (`engine/mockRun.ts`), the provider-host client (`engine/providerHost.ts`) and the mini engine
 * (`engine/engine.ts`).
 */
import { typeTokenPrefix } from "../lib/resourceTypes";

export const projectName = "entra-sspr";
/** Stack used when a caller names none. */
export const defaultStack = "dev";
/** Every `pulumi.dynamic.Resource` registers a type token starting with this. */
export const dynamicTypePrefix = "pulumi-nodejs:dynamic/";

/** A property bag as Pulumi passes it around: plain JSON values, secrets as {@link SecretValue}. */
export type PropertyMap = Record<string, unknown>;

export {
  annotateSecrets,
  containsSecrets,
  isSecret,
  makeSecret,
  revealSecrets,
  type SecretValue,
} from "../provider/secretValues";

/**
 * The URN the engine (and the mocks) give a resource: `urn:pulumi:<stack>::entra-sspr::<type>::<name>`; a child's
 * type is prefixed with its parent's type (`Parent$Child`), taken from `parentUrn`, as the mocks do.
 */
export function urnFor(type: string, name: string, stack: string = defaultStack, parentUrn?: string): string {
  const parentType = parentUrn ? parentUrn.split("::")[2]?.split("$").pop() : undefined;
  const qualifiedType = parentType ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${projectName}::${qualifiedType}::${name}`;
}

export function isDynamicType(type: string): boolean {
  return type.startsWith(dynamicTypePrefix);
}

/**
 * Whether the rehearsal engine's provider process serves this custom resource type: the entra-sspr plugin's types, and the
 * dynamic resources of state written before the plugin (which an alias moves to the plugin's types).
 */
export function isProviderType(type: string): boolean {
  return type.startsWith(typeTokenPrefix) || isDynamicType(type);
}

// Stack config is the components' (a real-tenant command reads it without loading the rehearsal engine).
export { flatConfig, type ConfigMap } from "../components/config";
