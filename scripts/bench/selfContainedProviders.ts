/**
 * State as entra-sspr wrote it before the providers moved out of state: each resource's `__provider` holding its
 * provider object serialized by value, which is what `pulumi.dynamic.Resource` made of the objects the resource
 * classes passed then. For the state diet's measurements and the upgrade test (old state, new providers).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerObjects } from "../../components/entra/providerImplementations";
import type { ProviderType } from "../../components/entra/providerForwarder";
import type { EngineState } from "../../harness/engine";
import { providerKey } from "../../harness/propertyValues";

const serialized = new Map<string, Promise<string>>();

/** The self-contained serialization of one type's provider (cached: each takes seconds). */
export function selfContainedProvider(type: ProviderType): Promise<string> {
  let text = serialized.get(type);
  if (text === undefined) {
    const provider = providerObjects[type];
    text = pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((result) => result.text);
    serialized.set(type, text);
  }
  return text;
}

/** The same state with every entra-sspr resource carrying its self-contained provider in inputs and outputs. */
export async function withSelfContainedProviders(state: EngineState): Promise<EngineState> {
  const rewritten: EngineState = {};
  for (const [urn, entry] of Object.entries(state)) {
    const type = entry.type.match(/^pulumi-nodejs:dynamic\/entra-sspr:(\w+)$/)?.[1] as ProviderType | undefined;
    if (type === undefined || typeof entry.inputs[providerKey] !== "string") {
      rewritten[urn] = entry;
      continue;
    }
    const code = await selfContainedProvider(type);
    rewritten[urn] = {
      ...entry,
      inputs: { ...entry.inputs, [providerKey]: code },
      outputs: { ...entry.outputs, [providerKey]: code },
    };
  }
  return rewritten;
}
