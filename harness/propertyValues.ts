/**
 * The harness's vocabulary: the project's names, the URNs the engine gives resources, property bags and stack config
 * as Pulumi passes them around, and Pulumi's secret marker with the engine's rules for it (what a provider that
 * refuses secrets is sent, and which of its outputs become secret again). Pure; shared by the mock run
 * (`harness/mockRun.ts`), the provider-host client (`harness/providerHost.ts`) and the mini engine
 * (`harness/engine.ts`).
 */
import * as pulumi from "@pulumi/pulumi";
import { typeTokenPrefix } from "../components/entra/resourceTypes";

export const projectName = "entra-sspr";
/** Stack used when a caller names none. */
export const defaultStack = "dev";
/** Every `pulumi.dynamic.Resource` registers a type token starting with this. */
export const dynamicTypePrefix = "pulumi-nodejs:dynamic/";
/** The hidden input holding the serialized provider. */
export const providerKey = "__provider";

/** A property bag as Pulumi passes it around: plain JSON values, secrets as {@link SecretValue}. */
export type PropertyMap = Record<string, unknown>;

/** How Pulumi represents a secret inside property bags (the mocks' inputs, the engine's state). */
export interface SecretValue {
  readonly [pulumi.runtime.specialSigKey]: typeof pulumi.runtime.specialSecretSig;
  readonly value: unknown;
}

export function makeSecret(value: unknown): SecretValue {
  return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}

export function isSecret(value: unknown): value is SecretValue {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function containsSecrets(value: unknown): boolean {
  if (isSecret(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsSecrets);
  }
  return isPlainObject(value) && Object.values(value).some(containsSecrets);
}

/** The value with every secret replaced by its plain value: what the engine sends a provider that refuses secrets. */
export function revealSecrets(value: unknown): unknown {
  if (isSecret(value)) {
    return revealSecrets(value.value);
  }
  if (Array.isArray(value)) {
    return value.map(revealSecrets);
  }
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, revealSecrets(inner)]));
  }
  return value;
}

/**
 * The engine's `annotateSecrets`: an output becomes secret when the same-named input held a secret; where both are
 * objects it recurs instead, so one secret field does not hide a whole object. Returns a new map.
 */
export function annotateSecrets(outputs: PropertyMap, inputs: PropertyMap): PropertyMap {
  const annotated: PropertyMap = { ...outputs };
  for (const [key, input] of Object.entries(inputs)) {
    if (!(key in annotated)) {
      continue;
    }
    const output = annotated[key];
    if (isPlainObject(output) && !isSecret(output) && isPlainObject(input) && !isSecret(input)) {
      annotated[key] = annotateSecrets(output, input);
    } else if (!isSecret(output) && containsSecrets(input)) {
      annotated[key] = makeSecret(output);
    }
  }
  return annotated;
}

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
 * Whether the harness's provider process serves this custom resource type: the entra-sspr plugin's types, and the
 * dynamic resources of state written before the plugin (which an alias moves to the plugin's types).
 */
export function isProviderType(type: string): boolean {
  return type.startsWith(typeTokenPrefix) || isDynamicType(type);
}

// Stack config is the components' (a real-tenant command reads it without loading the harness).
export { flatConfig, type ConfigMap } from "../components/config";
