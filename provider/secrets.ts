/**
 * Secrets across the provider boundary. The provider tells the engine it accepts secrets (the SDK's server answers
 * Configure so), so a secret input arrives wrapped (`{ <sig key>: <secret sig>, value }`). The lifecycles work on
 * plain values; a result is wrapped again wherever the same-named input was secret, as the engine would mark it.
 */
import * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

function isSecret(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Props)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

function isPlainObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  return isPlainObject(value) && Object.values(value).some(containsSecret);
}

function plain(value: unknown): unknown {
  if (isSecret(value)) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  return value;
}

/** The properties with every secret unwrapped. */
export function plainValues(props: Props): Props {
  return plain(props) as Props;
}

/** The results with each top-level value secret whose same-named input held a secret. */
export function secretWhereInputWas(results: Props, inputs: Props): Props {
  return Object.fromEntries(
    Object.entries(results).map(([key, value]) => [
      key,
      containsSecret(inputs[key]) && !isSecret(value)
        ? { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value }
        : value,
    ]),
  );
}
