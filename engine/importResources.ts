/**
 * `pulumi import` in the rehearsal engine, with the engine's semantics (pkg/resource/deploy/import.go and
 * `ImportStep.Apply` in pkg/resource/deploy/step.go, pulumi/pulumi commit 1b59498):
 * - the default provider is registered (or reused from state) first (`registerProviders`, import.go:294);
 * - each resource's URN is generated from its parent, the stack when none is given (import.go:693-697), so an object
 *   the program registers under its component has to be imported under the component to keep its URN;
 * - a parent must already be in the state or imported before it: "unknown parent" otherwise (step.go:1982-1987);
 * - a resource already in state with the same id is left alone (import.go:706-716);
 * - a custom resource is `Read` by its id alone, its inputs are what Read returned, and `Check` runs on them, its
 *   failures only warnings (step.go:2146-2210); `Diff` is never called. A component is recorded without a Read.
 */
import { configureFromState, EngineError, type EngineState, type StateEntry, upDefaultProvider } from "./engine";
import type { ConfigMap } from "./propertyValues";
import { urnFor } from "./propertyValues";
import type { ProviderHost } from "./providerHost";
import { providerType } from "./providerConfigure";

export interface ImportSpec {
  type: string;
  /** The resource name the program gives it (`sspr-password-reset-policy`). */
  name: string;
  /** The provider's id (`<tenant>/passwordResetPolicies/default`); not used for a component. */
  id?: string;
  /** The parent's URN (`--parent`), in the state already or imported earlier in the same list. */
  parent?: string;
  /** A component: recorded as such, without a Read (the import file's `component: true`). */
  component?: boolean;
}

export interface ImportResult {
  state: EngineState;
  /** URNs recorded by this import, in order. */
  imported: string[];
  /** Check failures of imported inputs, as the engine shows them: warnings, the import still proceeds. */
  warnings: string[];
}

export async function importResources(
  imports: ImportSpec[],
  options: { host: ProviderHost; config?: ConfigMap; stack?: string; priorState?: EngineState },
): Promise<ImportResult> {
  const { host } = options;
  const prior = options.priorState ?? {};
  const state: EngineState = { ...prior };
  const recorded = Object.values(prior).find((entry) => entry.type === providerType(host.packageName));
  let provider: StateEntry;
  if (recorded !== undefined) {
    await configureFromState(host, prior, options.config);
    provider = recorded;
  } else {
    provider = (await upDefaultProvider(host, options, prior)).entry;
    state[provider.urn] = provider;
  }
  const providerRef = `${provider.urn}::${provider.id ?? ""}`;
  const imported: string[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const spec of imports) {
    const urn = urnFor(spec.type, spec.name, options.stack, spec.parent);
    if (seen.has(urn))
      throw new EngineError([new Error(`duplicate import '${spec.name}' of type '${spec.type}'`)], state, []);
    seen.add(urn);
    if (spec.parent !== undefined && state[spec.parent] === undefined) {
      throw new EngineError([new Error(`unknown parent '${spec.parent}' for resource '${urn}'`)], state, []);
    }
    const old = state[urn];
    if (old !== undefined && spec.id !== undefined && old.id === spec.id) continue;
    const base = {
      urn,
      type: spec.type,
      name: spec.name,
      dependencies: [],
      ...(spec.parent ? { parent: spec.parent } : {}),
    };
    if (spec.component === true) {
      state[urn] = { ...base, id: undefined, custom: false, inputs: {}, outputs: {} };
      imported.push(urn);
      continue;
    }
    const read = await host.read(urn, spec.id ?? "", {});
    if (!read.id) {
      throw new EngineError([new Error(`resource '${spec.id ?? ""}' does not exist (${urn})`)], state, []);
    }
    const inputs = read.inputs ?? {};
    const checked = await host.check(urn, inputs, inputs);
    for (const failure of checked.failures) warnings.push(`${urn}: ${failure.property}: ${failure.reason}`);
    state[urn] = { ...base, id: read.id, custom: true, inputs, outputs: read.properties, provider: providerRef };
    imported.push(urn);
  }
  return { state, imported, warnings };
}
