/**
 * Running a Pulumi program under mocks: `pulumi.runtime.setMocks` with a tracking monitor, so every registration and
 * invoke the program makes reaches a handler with its URN, parent, provider and dependencies, and the run ends when
 * everything the program started has settled. The mini engine (`engine/engine.ts`) answers the registrations
 * through Pulumi's dynamic-provider host (`engine/providerHost.ts`); tests answer them directly.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { captureUnhandledRejections } from "./processEvents";
import { type ConfigMap, defaultStack, flatConfig, projectName, type PropertyMap, urnFor } from "./propertyValues";

/** One resource registration as the program made it (`new X(...)`, or `X.get(...)` for `kind: "read"`). */
export interface ResourceRequest {
  kind: "register" | "read";
  urn: string;
  type: string;
  name: string;
  /** false for component resources. */
  custom: boolean;
  /** Inputs as the engine would receive them; dynamic resources carry `__provider` as a string. */
  inputs: PropertyMap;
  parent?: string;
  /** Provider reference (`<urn>::<id>`) when the resource names an explicit provider. */
  provider?: string;
  /** URNs the resource depends on. */
  dependencies: string[];
  /** Id of the resource to import (register) or read (`.get`). */
  importId?: string;
  /** URNs the resource was known by before (its `aliases`), as the engine resolves them. */
  aliases?: string[];
  /** The `retainOnDelete` option: destroy drops the resource from state without deleting it. */
  retainOnDelete?: boolean;
}

export interface ResourceResult {
  id: string | undefined;
  state: PropertyMap;
}

export type ResourceHandler = (request: ResourceRequest) => ResourceResult | Promise<ResourceResult>;

export interface CallRequest {
  token: string;
  inputs: PropertyMap;
  provider?: string;
}

export type CallHandler = (request: CallRequest) => PropertyMap | Promise<PropertyMap>;

/** Default for resources nobody handles: outputs echo the inputs, id `<name>-id` (or the id asked for). */
export const echoResource: ResourceHandler = (request) => ({
  id: request.importId || `${request.name}-id`,
  state: request.inputs,
});

/** Default for invokes nobody handles: the result echoes the arguments. */
export const echoCall: CallHandler = (request) => request.inputs;

export interface MockRunOptions {
  /** Stack name (default {@link defaultStack}); the project is always `entra-sspr`. */
  stack?: string;
  /**
   * Replaces the whole stack config before the program runs, through `pulumi.runtime.setAllConfig` (the SDK keeps
   * config in its store, seeded from `PULUMI_CONFIG` when `@pulumi/pulumi` is first loaded, so setting the
   * environment variable later has no effect). Without it, config is left as it was.
   */
  config?: ConfigMap;
  /** Config keys to mark secret (`config.getSecret` then yields secret outputs without a warning). */
  secretConfigKeys?: string[];
  /** Run as `pulumi preview` (`pulumi.runtime.isDryRun()` true); default false, as `pulumi up`. */
  preview?: boolean;
}

/** What a program registered, in registration order, with what the handler answered. */
export interface Registration extends ResourceRequest {
  id: string | undefined;
  outputs: PropertyMap;
}

export interface MockRun {
  registrations: Registration[];
  /**
   * The program's return value as stack outputs, serialized like the engine receives them (outputs awaited,
   * secrets as {@link SecretValue}); `undefined` when the program returned nothing.
   */
  outputs: PropertyMap | undefined;
  /** Every registration or invoke the handlers rejected, plus a program error if it threw. */
  errors: Error[];
}

type MonitorMethod = MockMonitor["registerResource"];

interface TrackedAlias {
  hasUrn(): boolean;
  getUrn(): string;
  hasSpec(): boolean;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        hasParenturn(): boolean;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}

interface TrackedRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getCustom?(): boolean;
  getImportid?(): string;
  getId?(): string;
  getAliasesList?(): TrackedAlias[];
  getRetainondelete?(): boolean | undefined;
}

/** The URNs a registration's aliases name: a URN as given, a spec with the registration's own parts filled in. */
function aliasUrns(req: TrackedRequest, stack: string, parent: string | undefined): string[] {
  return (req.getAliasesList?.() ?? []).flatMap((alias) => {
    if (alias.hasUrn()) return [alias.getUrn()];
    const spec = alias.hasSpec() ? alias.getSpec() : undefined;
    if (spec === undefined) return [];
    const aliasParent = spec.hasParenturn() ? spec.getParenturn() : spec.getNoparent() ? undefined : parent;
    return [
      urnFor(spec.getType() || req.getType(), spec.getName() || req.getName(), spec.getStack() || stack, aliasParent),
    ];
  });
}

// setMocks is process-global (within one jest test file): runs are queued so two never share the monitor. Programs
// run side by side in separate processes instead (the bench's parallel tenants: scripts/bench/parallel.ts).
let runQueue: Promise<unknown> = Promise.resolve();

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** `pulumi.runtime.waitForRPCs` exists at run time but is marked internal, so it is missing from the typings. */
function waitForRPCs(): Promise<void> {
  const runtime = pulumi.runtime as typeof pulumi.runtime & { waitForRPCs?: () => Promise<void> };
  return runtime.waitForRPCs ? runtime.waitForRPCs() : Promise.resolve();
}

/**
 * Runs `program` under `pulumi.runtime.setMocks` (project `entra-sspr`, `preview` false) and hands each resource
 * registration and invoke to the given handlers. Resolves when everything the program started has settled: the
 * SDK's own RPC queue has drained (`waitForRPCs`, what the real runtime awaits before it disconnects) and a full
 * event-loop turn later no new registration or invoke has arrived (registrations made inside `apply` callbacks
 * start after the queue looked empty). Never rejects for the program's sake: errors are returned in `errors`.
 *
 * setMocks replaces process-global SDK state. Jest gives each test file its own module registry, so use this from
 * as many tests of one file as you like (runs are queued), but do not mix it with your own `setMocks` calls in the
 * same file while a run is in progress.
 */
export function runUnderMocks(
  program: () => unknown,
  handlers: { newResource: ResourceHandler; call?: CallHandler },
  options: MockRunOptions = {},
): Promise<MockRun> {
  const run = runQueue.then(() => runExclusively(program, handlers, options));
  runQueue = run.catch(() => undefined);
  return run;
}

async function runExclusively(
  program: () => unknown,
  handlers: { newResource: ResourceHandler; call?: CallHandler },
  options: MockRunOptions,
): Promise<MockRun> {
  const stack = options.stack ?? defaultStack;
  const call = handlers.call ?? echoCall;
  const registrations: Registration[] = [];
  const errors: Error[] = [];
  const progress = { activity: 0, inFlight: 0 };
  let pending: ResourceRequest | undefined;

  if (options.config) {
    pulumi.runtime.setAllConfig(flatConfig(options.config), options.secretConfigKeys);
  }

  const mocks: pulumi.runtime.Mocks = {
    newResource: async (args) => {
      // The monitor calls this synchronously from the wrapped method below, so `pending` is this registration's.
      const request = pending;
      pending = undefined;
      progress.activity += 1;
      if (!request || request.type !== args.type || request.name !== args.name) {
        throw new Error(`engine: no tracked request for ${args.type} ${args.name}`);
      }
      progress.inFlight += 1;
      request.inputs = args.inputs as PropertyMap;
      const registration: Registration = { ...request, id: undefined, outputs: {} };
      registrations.push(registration);
      try {
        const result = await handlers.newResource(request);
        registration.id = result.id;
        registration.outputs = result.state;
        return result;
      } catch (reason) {
        errors.push(toError(reason));
        throw reason;
      } finally {
        progress.activity += 1;
        progress.inFlight -= 1;
      }
    },
    call: async (args) => {
      progress.activity += 1;
      progress.inFlight += 1;
      try {
        return await call({
          token: args.token,
          inputs: args.inputs as PropertyMap,
          provider: args.provider || undefined,
        });
      } catch (reason) {
        errors.push(toError(reason));
        // Over gRPC a failed invoke's text travels in `details`, which the SDK turns back into the error it rejects.
        throw Object.assign(toError(reason), { details: toError(reason).message });
      } finally {
        progress.activity += 1;
        progress.inFlight -= 1;
      }
    },
  };
  await pulumi.runtime.setMocks(mocks, projectName, stack, options.preview ?? false);

  // MockResourceArgs carries no parent, so the URN is computed here from the request, before the monitor calls
  // newResource (it does so synchronously); urnFor follows the monitor's own formula.
  const installed = pulumi.runtime.getMonitor();
  if (!(installed instanceof MockMonitor)) {
    throw new Error("engine: setMocks did not install a MockMonitor");
  }
  const monitor: MockMonitor = installed;
  const track =
    (kind: ResourceRequest["kind"], original: MonitorMethod): MonitorMethod =>
    (req: TrackedRequest, callback) => {
      const parent = req.getParent() || undefined;
      const importId = (kind === "read" ? req.getId?.() : req.getImportid?.()) || undefined;
      pending = {
        kind,
        urn: urnFor(req.getType(), req.getName(), stack, parent),
        type: req.getType(),
        name: req.getName(),
        custom: kind === "read" || req.getCustom?.() === true,
        inputs: {},
        parent,
        provider: req.getProvider() || undefined,
        dependencies: req.getDependenciesList(),
        importId,
        aliases: kind === "register" ? aliasUrns(req, stack, parent) : [],
        ...(req.getRetainondelete?.() === true ? { retainOnDelete: true } : {}),
      };
      try {
        return original(req, callback);
      } finally {
        pending = undefined;
      }
    };
  monitor.registerResource = track("register", monitor.registerResource.bind(monitor));
  monitor.readResource = track("read", monitor.readResource.bind(monitor));

  // A failed registration rejects promises inside the SDK that nobody awaits; the real language host catches them
  // with a process-wide handler and fails the program. Do the same for the length of the run (jest's own handler
  // would otherwise fail whichever test is running), keeping each error once.
  const unhandled: unknown[] = [];
  const restoreRejectionHandlers = captureUnhandledRejections((reason) => unhandled.push(reason));
  let outputs: PropertyMap | undefined;
  try {
    let result: unknown;
    try {
      result = await program();
    } catch (reason) {
      errors.push(toError(reason));
    }
    const failed = () => errors.length > 0 || unhandled.length > 0;
    await settle(progress, failed);

    // After a failure the program's outputs may wait forever on the failed resource; like the real host, end here.
    if (!failed() && typeof result === "object" && result !== null) {
      const exported = Object.fromEntries(Object.entries(result).filter(([, value]) => typeof value !== "function"));
      try {
        outputs = await pulumi.runtime.serializeProperties("stack outputs", exported);
      } catch (reason) {
        errors.push(toError(reason));
      }
      await settle(progress, failed);
    }
  } finally {
    restoreRejectionHandlers();
  }
  for (const reason of unhandled) {
    const error = toError(reason);
    if (!errors.some((known) => error === known || (known.message !== "" && error.message.includes(known.message)))) {
      errors.push(error);
    }
  }
  return { registrations, outputs, errors };
}

/** How long a failed run may sit without progress before it counts as ended (see `settle`). */
const stalledAfterFailureMs = 250;

/**
 * Waits until the program has settled. Normally that is when the SDK's RPC queue has drained. After a failure it may
 * never drain: a resource whose inputs rejected never registers, and whatever waits for its outputs waits forever.
 * The real language host ends the program on that unhandled rejection; here the run ends once a failure has been
 * seen, no handler is in flight and nothing has moved for a moment.
 */
async function settle(progress: { activity: number; inFlight: number }, failed: () => boolean): Promise<void> {
  let drained = false;
  const queue = waitForRPCs().then(() => {
    drained = true;
  });
  for (;;) {
    const before = progress.activity;
    await Promise.race([queue, delay(stalledAfterFailureMs)]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (drained) {
      if (progress.activity === before) return;
      return settle(progress, failed);
    }
    if (failed() && progress.inFlight === 0 && progress.activity === before) return;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export interface CollectOptions extends MockRunOptions {
  /** Answers registrations (default {@link echoResource}). */
  handleResource?: ResourceHandler;
  /** Answers invokes (default {@link echoCall}). */
  handleCall?: CallHandler;
}

/**
 * Runs `program` under mocks and returns every registration the mocks saw, in registration order:
 * `{ type, name, inputs, id, urn, ... }`. Rejects when the program threw or a handler rejected.
 */
export async function collectRegistrations(
  program: () => unknown,
  options: CollectOptions = {},
): Promise<Registration[]> {
  const run = await runUnderMocks(
    program,
    { newResource: options.handleResource ?? echoResource, call: options.handleCall ?? echoCall },
    options,
  );
  if (run.errors.length > 0) {
    throw new AggregateError(run.errors, run.errors.map((error) => error.message).join("\n"));
  }
  return run.registrations;
}
