/**
 * A mini Pulumi engine: `up`, `refresh` and `destroy` for a program whose entra-sspr resources run in the project's
 * provider plugin (or, for old state, Pulumi's dynamic-provider host), both driven over gRPC by
 * `engine/providerHost.ts`. It is the core of `rehearse` and of the lifecycle tests.
 *
 * Usage:
 *   const host = await startProviderPlugin();
 *   const first = await runProgram(() => new SelfServicePasswordReset("sspr", args), { host, config });
 *   const second = await runProgram(program, { host, config, priorState: first.state });   // steps: same/update
 *   const { drift } = await refreshState(second.state, host);
 *   await destroyState(second.state, host);
 *   await host.stop();
 *
 * What each dynamic resource goes through, as on `pulumi up` (pulumi/pulumi's step generator):
 * Check(old inputs, new inputs) -> failures reject -> no prior state: Create; prior state: Diff(old outputs,
 * checked inputs) -> replaces: Replace (create then delete, or delete first when the provider asks) / changes:
 * Update / none: Same (prior outputs kept, inputs refreshed). When the provider's diff says neither yes nor no,
 * changes are decided by comparing old and new inputs, as the engine does. Resources of the prior state the
 * program no longer registers are deleted after a successful run (reverse order), as `up` does. A Create or Update
 * that fails after creating its resource (`ErrorResourceInitFailed`, see `initFailure.ts`) leaves the resource in
 * state with the properties the provider gave, as the engine records it.
 * Deletes (destroy, and resources an `up` no longer registers) run in dependency order, as the engine's: a resource
 * goes only after every resource that depends on it or is its child; among those free to go, the latest registered
 * first. Dynamic resources are deleted through the host, other custom resources through `deleteResource` (the
 * rehearsal's stand-ins for `@pulumi/azuread`, `scripts/stack/azureadStandIns.ts`), or only dropped from state when
 * nobody deletes them. A resource registered with `retainOnDelete` is dropped from state without any delete call, as
 * Pulumi does ("the resource is not deleted in the cloud provider").
 * Not modelled: previews, `protect`, `ignoreChanges`, parallelism limits.
 */
import {
  type CallHandler,
  echoCall,
  echoResource,
  type MockRunOptions,
  type ResourceHandler,
  type ResourceRequest,
  runUnderMocks,
} from "./mockRun";
import { type CheckFailure, type ProviderHost, ProviderHostError } from "./providerHost";
import { annotateSecrets, type ConfigMap, isProviderType, type PropertyMap, revealSecrets } from "./propertyValues";
import { typeTokenPrefix } from "../lib/resourceTypes";
import { defaultProviderReference, isProviderResourceType, packageConfig, providerType } from "./providerConfigure";

export type StepOp = "create" | "update" | "same" | "replace" | "delete";

/** One resource as the engine keeps it in state. Secrets stay {@link SecretValue} objects (not encrypted). */
export interface StateEntry {
  urn: string;
  id: string | undefined;
  type: string;
  name: string;
  custom: boolean;
  inputs: PropertyMap;
  outputs: PropertyMap;
  parent?: string;
  dependencies: string[];
  /** Registered with `retainOnDelete`: destroy drops it from state and deletes nothing. */
  retainOnDelete?: boolean;
  /** The provider reference `<provider URN>::<provider id>`, as the engine records it for a custom resource. */
  provider?: string;
}

/** URN -> entry, in registration order (destroy walks it backwards, dependents first). */
export type EngineState = Record<string, StateEntry>;

export interface Step {
  urn: string;
  type: string;
  name: string;
  op: StepOp;
  /** Top-level input names that changed (update, replace). */
  diffs?: string[];
  /** A delete of a resource with `retainOnDelete`: dropped from state, left in the tenant. */
  retained?: true;
}

/** Deletes a custom resource that is not dynamic (as its provider plugin would); rejects when the delete fails. */
export type ResourceDeleter = (entry: StateEntry) => Promise<void>;

export interface DestroyOptions {
  /** Deletes custom resources that are not dynamic; without it they are only dropped from state. */
  deleteResource?: ResourceDeleter;
  /** The stack's config, sent with `Configure` as the CLI does (the provider starts a run of its tenant). */
  config?: ConfigMap;
}

export interface RunProgramOptions extends MockRunOptions, DestroyOptions {
  host: ProviderHost;
  /** State of the previous run; without it every resource is created. */
  priorState?: EngineState;
  /** Answers non-dynamic resources and components (default: echo inputs, id `<name>-id`). */
  handleResource?: ResourceHandler;
  /** Answers invokes other than the package's functions, which go to the plugin (default: echo arguments). */
  handleCall?: CallHandler;
  /** Delete prior resources the program no longer registers (default true, as `pulumi up`). */
  deleteUnregistered?: boolean;
  /**
   * `pulumi up --refresh` (the deploy workflow's `refresh: true`): the prior state is refreshed first, in the same
   * deployment, before the program runs (pkg/resource/deploy/deployment_executor.go:167-171, `opts.Refresh`).
   */
  refresh?: boolean;
}

export interface RunProgramResult {
  state: EngineState;
  /** One step per resource, in registration order, then the deletes. */
  steps: Step[];
  /** The program's return value as stack outputs (see `MockRun.outputs`). */
  outputs: PropertyMap | undefined;
  /** The default provider's step (create, update or same), kept apart from the tenant objects' steps. */
  providerStep: Step;
  /** With `refresh`: what the refresh found different from the prior state. */
  drift?: Drift[];
}

/** A provider's Check rejected the inputs; every failure is listed in the message. */
export class CheckFailedError extends Error {
  constructor(
    readonly urn: string,
    readonly failures: CheckFailure[],
  ) {
    super(`Check ${urn} failed: ${failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; ")}`);
    this.name = "CheckFailedError";
  }
}

/** A run, refresh or destroy failed. `state` is what the engine would save: finished work plus untouched priors. */
export class EngineError extends Error {
  constructor(
    readonly errors: Error[],
    readonly state: EngineState,
    readonly steps: Step[],
  ) {
    super(errors.map((error) => error.message).join("\n"));
    this.name = "EngineError";
  }
}

/** Canonical JSON with sorted keys and secrets revealed, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(revealSecrets(value), (_key, inner: unknown) =>
    typeof inner === "object" && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/**
 * Invokes as the CLI routes them: the package's functions (`entra-sspr:index:get...`) to the provider plugin, as to
 * the package's default provider, and every other invoke (azuread's lookups) to `otherCalls` (default: echo the
 * arguments). The program's previews read the tenant this way.
 */
export function pluginCallHandler(host: ProviderHost, otherCalls: CallHandler = echoCall): CallHandler {
  return (request) =>
    request.token.startsWith(typeTokenPrefix) ? host.invoke(request.token, request.inputs) : otherCalls(request);
}

/** Top-level names whose values differ between two property maps (secret or not). */
export function changedProperties(olds: PropertyMap, news: PropertyMap): string[] {
  const names = [...new Set([...Object.keys(olds), ...Object.keys(news)])].sort();
  return names.filter((name) => canonical(olds[name]) !== canonical(news[name]));
}

function entryFor(
  request: ResourceRequest,
  id: string | undefined,
  inputs: PropertyMap,
  outputs: PropertyMap,
): StateEntry {
  const entry: StateEntry = {
    urn: request.urn,
    id,
    type: request.type,
    name: request.name,
    custom: request.custom,
    inputs,
    outputs,
    dependencies: request.dependencies,
  };
  if (request.parent) {
    entry.parent = request.parent;
  }
  if (request.retainOnDelete === true) {
    entry.retainOnDelete = true;
  }
  return entry;
}

function stepFor(entry: { urn: string; type: string; name: string }, op: StepOp, diffs?: string[]): Step {
  const step: Step = { urn: entry.urn, type: entry.type, name: entry.name, op };
  if (diffs) {
    step.diffs = diffs;
  }
  return step;
}

/** A Create or Update that failed after creating its resource: the engine keeps the resource as the provider left it. */
class PartialStepError extends Error {
  constructor(
    readonly cause: ProviderHostError,
    readonly outcome: { entry: StateEntry; step: Step },
  ) {
    super(cause.message);
  }
}

/** Rethrows a host error; one that left its resource behind goes up with the state entry the engine records. */
function keepingLeftBehind(request: ResourceRequest, inputs: PropertyMap, op: StepOp) {
  return (error: unknown): never => {
    const left = error instanceof ProviderHostError ? error.initFailure : undefined;
    if (left === undefined) throw error;
    const entry = entryFor(request, left.id, inputs, annotateSecrets(left.properties, inputs));
    throw new PartialStepError(error as ProviderHostError, { entry, step: stepFor(entry, op) });
  };
}

async function upDynamic(
  host: ProviderHost,
  request: ResourceRequest,
  prior: StateEntry | undefined,
): Promise<{ entry: StateEntry; step: Step }> {
  const { urn } = request;
  const checked = await host.check(urn, prior?.inputs ?? {}, request.inputs);
  if (checked.failures.length > 0) {
    throw new CheckFailedError(urn, checked.failures);
  }
  const inputs = checked.inputs;
  if (!prior) {
    const created = await host.create(urn, inputs).catch(keepingLeftBehind(request, inputs, "create"));
    const entry = entryFor(request, created.id, inputs, created.properties);
    return { entry, step: stepFor(entry, "create") };
  }
  const priorId = prior.id ?? "";
  const diff = await host.diff(urn, priorId, prior.outputs, inputs, prior.inputs);
  const diffs = diff.diffs.length > 0 ? diff.diffs : changedProperties(prior.inputs, inputs);
  const changes = diff.kind === "unknown" ? diffs.length > 0 : diff.changes;
  if (diff.replaces.length > 0) {
    if (diff.deleteBeforeReplace) {
      await host.delete(urn, priorId, prior.outputs, prior.inputs);
    }
    const created = await host.create(urn, inputs);
    if (!diff.deleteBeforeReplace) {
      await host.delete(urn, priorId, prior.outputs, prior.inputs);
    }
    const entry = entryFor(request, created.id, inputs, created.properties);
    return { entry, step: stepFor(entry, "replace", diffs) };
  }
  if (changes) {
    const updated = await host
      .update(urn, priorId, prior.outputs, inputs, prior.inputs)
      .catch(keepingLeftBehind(request, inputs, "update"));
    const entry = entryFor(request, prior.id, inputs, updated.properties);
    return { entry, step: stepFor(entry, "update", diffs) };
  }
  const entry = entryFor(request, prior.id, inputs, prior.outputs);
  return { entry, step: stepFor(entry, "same") };
}

/**
 * Deletes one entry: nothing for `retainOnDelete`; through the host for dynamic resources; through `deleteResource`
 * for other custom resources; components (and custom resources nobody deletes) are simply dropped from state.
 */
async function deleteEntry(host: ProviderHost, entry: StateEntry, options: DestroyOptions): Promise<Step | undefined> {
  if (entry.retainOnDelete === true) {
    return { ...stepFor(entry, "delete"), retained: true };
  }
  if (isProviderResourceType(entry.type)) {
    // A provider resource only leaves the state (the registry's Delete touches no cloud object); the steps list the
    // tenant's objects only.
    return undefined;
  } else if (entry.custom && isProviderType(entry.type)) {
    await host.delete(entry.urn, entry.id ?? "", entry.outputs, entry.inputs);
  } else if (entry.custom && options.deleteResource !== undefined) {
    await options.deleteResource(entry);
  }
  return stepFor(entry, "delete");
}

/** Whether `other` must be deleted before `entry`: it depends on it or is its child. */
const dependsOn = (other: StateEntry, entry: StateEntry): boolean =>
  other !== entry &&
  (other.parent === entry.urn ||
    other.dependencies.includes(entry.urn) ||
    other.provider?.startsWith(`${entry.urn}::`) === true);

/**
 * The order the engine deletes `state` in: an entry only after every entry that depends on it or is its child; of
 * those free to go, the latest registered first (a dependency cycle, which Pulumi cannot create, falls back to that).
 */
export function deletionOrder(state: EngineState): StateEntry[] {
  const left = Object.values(state);
  const order: StateEntry[] = [];
  const needed = (entry: StateEntry): boolean => left.some((other) => dependsOn(other, entry));
  while (left.length > 0) {
    let index = left.length - 1;
    while (index > 0 && needed(left[index])) index -= 1;
    if (needed(left[index])) index = left.length - 1;
    order.push(...left.splice(index, 1));
  }
  return order;
}

/**
 * Runs `program` like `pulumi up` (see the top of this file). Rejects with {@link EngineError} (carrying every
 * error, e.g. each {@link CheckFailedError}, and the partial state) when any registration failed or the program
 * threw; the other resources still run, as the engine lets independent steps finish.
 */
export async function runProgram(program: () => unknown, options: RunProgramOptions): Promise<RunProgramResult> {
  const { host } = options;
  let prior = options.priorState ?? {};
  let drift: Drift[] | undefined;
  let configured: string | undefined;
  if (options.refresh === true && Object.keys(prior).length > 0) {
    // The refresh loads the recorded provider and configures it from state (`EnsureProvider`,
    // pkg/resource/deploy/deployment.go:712-737); the program's steps then run on the state it read.
    ({ state: prior, drift } = await refreshState(prior, host, options.config));
    configured = recordedProviderReference(host, prior);
  }
  // Each deployment registers and configures its default provider first, from the stack's config (a run of its
  // tenant starts there: provider/http/runReads.ts). After a refresh the provider is configured already.
  const defaultProvider = await upDefaultProvider(host, options, prior, configured);
  const providerRef = `${defaultProvider.entry.urn}::${defaultProvider.entry.id ?? ""}`;
  const handleResource = options.handleResource ?? echoResource;
  const order: string[] = [defaultProvider.entry.urn];
  const done = new Map<string, { entry: StateEntry; step: Step }>([[defaultProvider.entry.urn, defaultProvider]]);
  /** Prior URN -> the URN the resource registered with now (found through one of its aliases). */
  const movedByAlias = new Map<string, string>();

  const newResource: ResourceHandler = async (request) => {
    if (order.includes(request.urn)) {
      throw new Error(`Duplicate resource URN ${request.urn}; names must be unique per type and parent`);
    }
    order.push(request.urn);
    // A resource renamed or retyped since the prior run is found under an alias, and moves to its new URN.
    const aliased = prior[request.urn] ? undefined : request.aliases?.find((urn) => prior[urn] !== undefined);
    if (aliased !== undefined) movedByAlias.set(aliased, request.urn);
    const priorEntry = prior[aliased ?? request.urn];
    let outcome: { entry: StateEntry; step: Step };
    if (request.kind === "register" && request.custom && isProviderType(request.type)) {
      try {
        outcome = await upDynamic(host, request, priorEntry);
        if (request.type.startsWith(typeTokenPrefix)) outcome.entry.provider = providerRef;
      } catch (error) {
        if (!(error instanceof PartialStepError)) throw error;
        done.set(request.urn, error.outcome);
        throw error.cause;
      }
    } else {
      const result = await handleResource(request);
      const entry = entryFor(request, result.id, request.inputs, result.state);
      const diffs = priorEntry ? changedProperties(priorEntry.inputs, request.inputs) : [];
      const op: StepOp = !priorEntry ? "create" : diffs.length === 0 ? "same" : "update";
      outcome = { entry, step: stepFor(entry, op, op === "update" ? diffs : undefined) };
    }
    done.set(request.urn, outcome);
    return { id: outcome.entry.id, state: outcome.entry.outputs };
  };

  const run = await runUnderMocks(program, { newResource, call: pluginCallHandler(host, options.handleCall) }, options);
  const state: EngineState = {};
  const steps: Step[] = [];
  for (const urn of order) {
    const outcome = done.get(urn);
    if (outcome) {
      state[urn] = outcome.entry;
      if (outcome !== defaultProvider) steps.push(outcome.step);
    } else if (prior[urn]) {
      state[urn] = prior[urn];
    }
  }
  // A resource that did not finish under its new URN keeps its prior entry, under its old one.
  for (const [priorUrn, urn] of movedByAlias) {
    if (!done.has(urn)) state[priorUrn] = prior[priorUrn];
  }
  const unregistered = Object.keys(prior).filter((urn) => !order.includes(urn) && !movedByAlias.has(urn));
  // The engine deletes nothing after a failed run: it keeps what it could not finish or did not reach.
  if (run.errors.length > 0 || !(options.deleteUnregistered ?? true)) {
    for (const urn of unregistered) {
      state[urn] = prior[urn];
    }
    if (run.errors.length > 0) {
      throw new EngineError(run.errors, state, steps);
    }
  } else {
    try {
      const destroyed = await deleteInOrder(
        Object.fromEntries(unregistered.map((urn) => [urn, prior[urn]])),
        host,
        options,
      );
      steps.push(...destroyed.steps);
    } catch (reason) {
      if (reason instanceof EngineError) {
        throw new EngineError(reason.errors, { ...state, ...reason.state }, [...steps, ...reason.steps]);
      }
      throw reason;
    }
  }
  return {
    state,
    steps,
    outputs: run.outputs,
    providerStep: defaultProvider.step,
    ...(drift === undefined ? {} : { drift }),
  };
}

/**
 * Refresh and destroy configure the provider recorded in state with its recorded inputs, as the engine does for a
 * provider it does not step (the registry's `Same`, pkg/resource/deploy/providers/registry.go:788); a state without
 * one gets the default provider of the config.
 */
export async function configureFromState(host: ProviderHost, state: EngineState, config: ConfigMap | undefined) {
  const recorded = recordedProvider(host, state);
  if (recorded === undefined) {
    await host.configure(config);
    return;
  }
  await host.configureProvider(
    { urn: recorded.urn, name: recorded.name, type: recorded.type, id: recorded.id ?? "" },
    recorded.inputs,
  );
}

const recordedProvider = (host: ProviderHost, state: EngineState): StateEntry | undefined =>
  Object.values(state).find((entry) => entry.type === providerType(host.packageName));

/** `<urn>::<id>` of the provider recorded in state (the registry's reference), if any. */
function recordedProviderReference(host: ProviderHost, state: EngineState): string | undefined {
  const recorded = recordedProvider(host, state);
  return recorded === undefined ? undefined : `${recorded.urn}::${recorded.id ?? ""}`;
}

/**
 * The default provider, as the engine registers it (`newRegisterDefaultProviderEvent`,
 * pkg/resource/deploy/default_providers.go:139) and steps it through the registry
 * (pkg/resource/deploy/providers/registry.go): `CheckConfig` on the package's config against the recorded inputs
 * (Check, :622), `DiffConfig` against the recorded provider (Diff, :732), then Create (a new UUID, :893), Update
 * (:984) or Same (:788), each of which sends `Configure` with the checked inputs. The engine records the checked
 * inputs, and as outputs the same (Create returns `Properties: filteredProperties`, :975). A replacement (another
 * tenant) would replace every object the provider serves; the rehearsal refuses it rather than model it.
 * `configured`: the reference of a provider this deployment configured already (a refresh before the update): `Same`
 * then sends nothing ("If this provider is already configured, then we're done", :802-806), so the update's steps
 * run on the provider the refresh read with.
 */
export async function upDefaultProvider(
  host: ProviderHost,
  options: Pick<RunProgramOptions, "config" | "stack" | "secretConfigKeys">,
  prior: EngineState,
  configured?: string,
): Promise<{ entry: StateEntry; step: Step }> {
  const fresh = defaultProviderReference(host.packageName, options.stack);
  const recorded = prior[fresh.urn];
  const news = packageConfig(options.config, host.packageName, options.secretConfigKeys);
  const checked = await host.checkConfig(fresh.urn, recorded?.inputs ?? {}, news);
  if (checked.failures.length > 0) {
    throw new EngineError([new CheckFailedError(fresh.urn, checked.failures)], prior, []);
  }
  let op: StepOp = "create";
  let diffs: string[] | undefined;
  if (recorded !== undefined) {
    const diff = await host.diffConfig(fresh.urn, recorded.inputs, recorded.outputs, checked.inputs);
    diffs = diff.diffs.length > 0 ? diff.diffs : changedProperties(recorded.inputs, checked.inputs);
    if (diff.replaces.length > 0) {
      const message =
        `${fresh.urn}: ${diff.replaces.join(", ")} changed, which replaces the provider and so every object it ` +
        "serves (the engine would create them under the new configuration and delete the old ones, never update " +
        "them in place); the rehearsal engine does not model that replacement";
      throw new EngineError([new Error(message)], prior, []);
    }
    // registry.go:762-768: an unknown answer is "some" unless the recorded outputs equal the new inputs.
    op = (diff.kind === "unknown" ? changedProperties(recorded.outputs, checked.inputs).length > 0 : diff.changes)
      ? "update"
      : "same";
  }
  const reference = { ...fresh, id: recorded?.id ?? fresh.id };
  if (!(op === "same" && configured === `${reference.urn}::${reference.id}`)) {
    await host.configureProvider(reference, checked.inputs);
  }
  const entry: StateEntry = {
    urn: reference.urn,
    id: reference.id,
    type: reference.type,
    name: reference.name,
    custom: true,
    inputs: checked.inputs,
    outputs: checked.inputs,
    dependencies: [],
  };
  return { entry, step: stepFor(entry, op, op === "update" ? diffs : undefined) };
}

/**
 * `pulumi destroy`: deletes every entry in dependency order ({@link deletionOrder}; dynamic resources through the
 * host, others through `options.deleteResource`, none with `retainOnDelete`). Stops at the first failure and rejects
 * with {@link EngineError} whose `state` holds what is left.
 */
export async function destroyState(
  state: EngineState,
  host: ProviderHost,
  options: DestroyOptions = {},
): Promise<{ state: EngineState; steps: Step[] }> {
  await configureFromState(host, state, options.config);
  return deleteInOrder(state, host, options);
}

/**
 * Deletes as Pulumi's engine does: an entry once nothing left depends on it or is its child, entries free at the
 * same time concurrently (steps listed in {@link deletionOrder}'s order). After a failure nothing new starts; the
 * deletes under way finish.
 */
async function deleteInOrder(
  state: EngineState,
  host: ProviderHost,
  options: DestroyOptions,
): Promise<{ state: EngineState; steps: Step[] }> {
  const remaining: EngineState = { ...state };
  const order = deletionOrder(state);
  const steps = new Map<string, Step>();
  const errors: Error[] = [];
  const started = new Map<string, Promise<void>>();
  const dependsOnIt = (entry: StateEntry): StateEntry[] => order.filter((other) => dependsOn(other, entry));
  const deleteOne = (entry: StateEntry): Promise<void> => {
    let deleting = started.get(entry.urn);
    if (deleting === undefined) {
      deleting = (async () => {
        const dependents = await Promise.allSettled(dependsOnIt(entry).map(deleteOne));
        if (errors.length > 0 || dependents.some((outcome) => outcome.status === "rejected")) {
          throw new Error(`not deleted: ${entry.urn}`);
        }
        try {
          const step = await deleteEntry(host, entry, options);
          if (step !== undefined) steps.set(entry.urn, step);
        } catch (reason) {
          errors.push(reason instanceof Error ? reason : new Error(String(reason)));
          throw reason;
        }
        delete remaining[entry.urn];
      })();
      started.set(entry.urn, deleting);
    }
    return deleting;
  };
  await Promise.allSettled(order.map(deleteOne));
  const done = order.flatMap((entry) => steps.get(entry.urn) ?? []);
  if (errors.length > 0) throw new EngineError(errors, remaining, done);
  return { state: remaining, steps: done };
}

/** What `pulumi refresh` found different from state for one resource. */
export interface Drift {
  urn: string;
  type: string;
  name: string;
  /** The resource is gone (the provider's Read returned no id); it leaves the state. */
  deleted: boolean;
  /** Top-level output names whose values differ from state. */
  changed: string[];
  /** The drift Microsoft's calendar explains (its own dated changes), in words, as the provider reported it. */
  microsoftChanges?: string[];
}

/**
 * `pulumi refresh`: reads every dynamic resource through the host, replaces its outputs (and inputs, when the
 * provider returns them) with what it found, and reports the drift. Other resources are kept as they are. The reads
 * run concurrently, as the engine's refresh steps do (so reads of one object meet: provider/http/runReads.ts);
 * state and drift keep registration order.
 */
export async function refreshState(
  state: EngineState,
  host: ProviderHost,
  config?: ConfigMap,
): Promise<{ state: EngineState; drift: Drift[] }> {
  await configureFromState(host, state, config);
  const entries = Object.values(state);
  const reads = await Promise.all(
    entries.map((entry) =>
      entry.custom && isProviderType(entry.type)
        ? host.read(entry.urn, entry.id ?? "", entry.outputs, entry.inputs)
        : Promise.resolve(undefined),
    ),
  );
  const refreshed: EngineState = {};
  const drift: Drift[] = [];
  entries.forEach((entry, index) => {
    const read = reads[index];
    if (read === undefined) {
      refreshed[entry.urn] = entry;
      return;
    }
    const base = { urn: entry.urn, type: entry.type, name: entry.name };
    if (!read.id) {
      drift.push({ ...base, deleted: true, changed: [] });
      return;
    }
    const changed = changedProperties(entry.outputs, read.properties).filter((name) => name !== "microsoftChanges");
    const microsoftChanges = Array.isArray(read.properties.microsoftChanges)
      ? read.properties.microsoftChanges.map(String)
      : [];
    if (changed.length > 0) {
      drift.push({ ...base, deleted: false, changed, ...(microsoftChanges.length > 0 ? { microsoftChanges } : {}) });
    }
    refreshed[entry.urn] = { ...entry, id: read.id, outputs: read.properties, inputs: read.inputs ?? entry.inputs };
  });
  return { state: refreshed, drift };
}
