/**
 * Pulumi's secret marker in property bags (`{ <sig key>: <secret sig>, value }`) and the engine's rules for it: what
 * a provider that refuses secrets is sent, and which outputs become secret again. Shared by the provider plugin
 * (which accepts secrets and gives its lifecycles plain values) and the rehearsal engine (`engine/propertyValues.ts`
 * re-exports it). Pure.
 */
import * as pulumi from "@pulumi/pulumi";

/** A property bag as Pulumi passes it around: plain JSON values, secrets as {@link SecretValue}. */
type PropertyMap = Record<string, unknown>;

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
 * The provider's results with each top-level value secret whose same-named input held a secret (the plugin accepts
 * secrets, so the engine trusts what it answers: a whole output is kept secret rather than only its secret parts).
 */
export function secretWhereInputWas(results: PropertyMap, inputs: PropertyMap): PropertyMap {
  return Object.fromEntries(
    Object.entries(results).map(([key, value]) => [
      key,
      containsSecrets(inputs[key]) && !isSecret(value) ? makeSecret(value) : value,
    ]),
  );
}
