/**
 * Runs Pulumi programs and dynamic providers the way `pulumi up` does, without the Pulumi CLI (which cannot be
 * installed here): the program runs under `pulumi.runtime.setMocks`, and the dynamic providers run in Pulumi's own
 * dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider/index.js`, the process the CLI starts as the
 * `pulumi-nodejs` plugin), driven over gRPC. `scripts/engine.ts` builds a mini engine (`up`, `refresh`, `destroy`)
 * on top of both.
 *
 * Usage (one host per jest test file: start it in `beforeAll`, stop it in `afterAll`):
 *
 *   const registrations = await collectRegistrations(() => new PasswordResetPolicy("sspr", args), {
 *     config: { "entra-sspr:sspr": { ... } },
 *   });
 *   const policy = registrations.find((r) => r.type === "pulumi-nodejs:dynamic/entra-sspr:PasswordResetPolicy")!;
 *   const host = await startProviderHost();
 *   const checked = await host.check(policy.urn, {}, policy.inputs);   // failures: [{ property, reason }]
 *   const created = await host.create(policy.urn, checked.inputs);     // { id, properties }
 *   ...
 *   await host.stop();
 *
 * Findings this harness is built on (Pulumi SDK 3.248, seen by experiment through the real host):
 * - Logging: the host never connects to an engine. Its engine-address argument is only checked for presence
 *   (pulumi/pulumi#6065); `pulumi.log.*` inside a provider method falls back to `console.log`/`console.warn`/
 *   `console.error` ("info: [runtime] <message>") on the host's stdout/stderr, which the CLI passes through as plain
 *   output (pulumi/pulumi#18249, #18253). A dummy address is therefore enough: nothing crashes or hangs, and no fake
 *   `pulumirpc.Engine` server is needed. Only when `PULUMI_NODEJS_ENGINE` points at an address do logs try gRPC,
 *   and then a message that cannot be delivered is silently dropped; the CLI does not set that variable for
 *   plugins, so the host is started without any `PULUMI_NODEJS_*` variable. Every stdout line after the port and
 *   every stderr line is recorded: `host.logs()`.
 * - Check failures come back as `CheckResponse.failuresList` of `{ property, reason }`, all of them, in the order
 *   the provider returned them; the call itself succeeds.
 * - A provider method that throws fails the gRPC call with status UNKNOWN and the provider's `message` as the
 *   status details (Create/Update build the status themselves, Check/Diff/Read/Delete pass the Error to grpc-js).
 * - Secrets: in the program, a secret input is the object `{ [specialSigKey]: specialSecretSig, value }`. The host
 *   answers `Configure` with `acceptSecrets: false`, so the real engine sends secrets to it as plain values and
 *   marks an output secret when the same-named input was secret (`annotateSecrets` in the engine). A sig object
 *   sent as-is reaches the provider's methods as an object (seen: zod reported "Expected string, received object").
 *   This harness does what the engine does: `revealSecrets` before each call, `annotateSecrets` on the results.
 * - Diff: the 3.248 host forwards only `changes`, `replaces` and `deleteBeforeReplace`; a provider's `stables`
 *   are dropped, and `diffs`/`detailedDiff` are never set.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as vm from "node:vm";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provider from "@pulumi/pulumi/proto/provider_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";

// ---------------------------------------------------------------------------------------------------------------
// Names, URNs and property values
// ---------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------
// Running a program under mocks
// ---------------------------------------------------------------------------------------------------------------

/** Stack config, keyed `<namespace>:<key>` (`"entra-sspr:sspr"`). Non-string values are stored as JSON. */
export type ConfigMap = Record<string, string | number | boolean | object>;

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

interface TrackedRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getCustom?(): boolean;
  getImportid?(): string;
  getId?(): string;
}

// setMocks is process-global (within one jest test file): runs are queued so two never share the monitor.
let runQueue: Promise<unknown> = Promise.resolve();

function stringifyConfig(config: ConfigMap): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

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
    pulumi.runtime.setAllConfig(stringifyConfig(options.config), options.secretConfigKeys);
  }

  const mocks: pulumi.runtime.Mocks = {
    newResource: async (args) => {
      // The monitor calls this synchronously from the wrapped method below, so `pending` is this registration's.
      const request = pending;
      pending = undefined;
      progress.activity += 1;
      if (!request || request.type !== args.type || request.name !== args.name) {
        throw new Error(`harness: no tracked request for ${args.type} ${args.name}`);
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
    throw new Error("harness: setMocks did not install a MockMonitor");
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

/**
 * The process object that really emits events. Under jest, `process` in a test file is a copy with its own (never
 * emitted) listeners, while Node delivers `unhandledRejection` and `exit` to the worker's real process, which is
 * the global of the main context.
 */
function eventingProcess(): NodeJS.Process {
  return vm.runInThisContext("process") as NodeJS.Process;
}

/** Routes `unhandledRejection` to `onReason` alone until the returned function restores the previous listeners. */
function captureUnhandledRejections(onReason: (reason: unknown) => void): () => void {
  const target = eventingProcess();
  const previous = target.listeners("unhandledRejection");
  target.removeAllListeners("unhandledRejection");
  target.on("unhandledRejection", onReason);
  return () => {
    target.removeListener("unhandledRejection", onReason);
    for (const listener of previous) {
      target.on("unhandledRejection", listener);
    }
  };
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

// ---------------------------------------------------------------------------------------------------------------
// The dynamic-provider host
// ---------------------------------------------------------------------------------------------------------------

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResult {
  /** The provider's inputs (or the news as sent), with `__provider`; secret where the news were. */
  inputs: PropertyMap;
  failures: CheckFailure[];
}

export type PropertyDiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

export interface DiffResult {
  /** true only when the provider said there are changes. */
  changes: boolean;
  /** What the provider said: `unknown` when it has no `diff` or returned no `changes` (the engine then compares inputs). */
  kind: "some" | "none" | "unknown";
  diffs: string[];
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  detailedDiff?: Record<string, { kind: PropertyDiffKind; inputDiff: boolean }>;
}

export interface CreateResult {
  id: string;
  /** Outputs including `__provider`; secret where the same-named input was. */
  properties: PropertyMap;
}

export interface ReadResult {
  /** "" when the provider reports the resource gone. */
  id: string;
  properties: PropertyMap;
  /** Inputs the provider returned for later diffs, if any. */
  inputs: PropertyMap | undefined;
}

export interface UpdateResult {
  properties: PropertyMap;
}

export interface HostLogLine {
  stream: "stdout" | "stderr";
  text: string;
}

export interface ProviderHostOptions {
  /** Directory the host resolves packages from (default: the repository root). */
  cwd?: string;
  /** Stack config handed to `Configure`, keyed `<namespace>:<key>` (default: none). */
  config?: ConfigMap;
  /** Extra environment for the host process (the harness removes `PULUMI_NODEJS_*`, as the CLI never sets them). */
  env?: Record<string, string | undefined>;
  /** Deadline of each gRPC call (default 30 s), so a hung provider fails the test instead of stalling it. */
  callTimeoutMs?: number;
  /** How long to wait for the host to print its port (default 15 s). */
  startTimeoutMs?: number;
}

export interface ProviderHost {
  /** `127.0.0.1:<port>` of the host's gRPC server. */
  readonly address: string;
  /** Process id of the host. */
  readonly pid: number | undefined;
  /**
   * Sends `Configure` with the stack config (done once at start). The host hands it to a provider's `configure`
   * only the first time it deserializes that provider, so configure before the first call that needs it.
   */
  configure(config?: ConfigMap): Promise<void>;
  check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  diff(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<DiffResult>;
  create(urn: string, properties: PropertyMap): Promise<CreateResult>;
  read(urn: string, id: string, properties: PropertyMap, inputs?: PropertyMap): Promise<ReadResult>;
  update(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<UpdateResult>;
  delete(urn: string, id: string, properties: PropertyMap, oldInputs?: PropertyMap): Promise<void>;
  /** Everything the host printed after its port, in order: provider logs (`pulumi.log.*`), errors, stack traces. */
  logs(): HostLogLine[];
  clearLogs(): void;
  /** Closes the client and ends the host process. Safe to call twice. */
  stop(): Promise<void>;
}

/** A gRPC call to the host failed; `details` is the provider's own error message when a provider method threw. */
export class ProviderHostError extends Error {
  constructor(
    readonly method: string,
    readonly urn: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`${method} ${urn}: ${details}`);
    this.name = "ProviderHostError";
  }
}

const repositoryRoot = path.resolve(__dirname, "..");

function toStruct(properties: PropertyMap): Struct {
  // JSON drops `undefined` (Struct.fromJavaScript rejects it), as the SDK's own serialization does.
  const json = JSON.parse(JSON.stringify(revealSecrets(properties) ?? {})) as Record<string, JavaScriptValue>;
  return Struct.fromJavaScript(json);
}

function fromStruct(struct: Struct | undefined): PropertyMap {
  return struct ? (struct.toJavaScript() as PropertyMap) : {};
}

/** Diff and Update requests carry the same fields. */
function describeChange<Request extends provider.DiffRequest | provider.UpdateRequest>(
  request: Request,
  urn: string,
  id: string,
  olds: PropertyMap,
  news: PropertyMap,
  oldInputs: PropertyMap | undefined,
): Request {
  request.setUrn(urn);
  request.setId(id);
  request.setOlds(toStruct(olds));
  request.setNews(toStruct(news));
  if (oldInputs) {
    request.setOldInputs(toStruct(oldInputs));
  }
  return request;
}

const diffKinds: Record<number, PropertyDiffKind> = {
  [provider.PropertyDiff.Kind.ADD]: "add",
  [provider.PropertyDiff.Kind.ADD_REPLACE]: "add-replace",
  [provider.PropertyDiff.Kind.DELETE]: "delete",
  [provider.PropertyDiff.Kind.DELETE_REPLACE]: "delete-replace",
  [provider.PropertyDiff.Kind.UPDATE]: "update",
  [provider.PropertyDiff.Kind.UPDATE_REPLACE]: "update-replace",
};

function toDiffResult(response: provider.DiffResponse): DiffResult {
  const changes = response.getChanges();
  const kind =
    changes === provider.DiffResponse.DiffChanges.DIFF_SOME
      ? "some"
      : changes === provider.DiffResponse.DiffChanges.DIFF_NONE
        ? "none"
        : "unknown";
  const result: DiffResult = {
    changes: kind === "some",
    kind,
    diffs: response.getDiffsList(),
    replaces: response.getReplacesList(),
    stables: response.getStablesList(),
    deleteBeforeReplace: response.getDeletebeforereplace(),
  };
  if (response.getHasdetaileddiff()) {
    result.detailedDiff = Object.fromEntries(
      response
        .getDetaileddiffMap()
        .getEntryList()
        .map(([key, diff]) => [key, { kind: diffKinds[diff.getKind()] ?? "update", inputDiff: diff.getInputdiff() }]),
    );
  }
  return result;
}

/**
 * Starts Pulumi's dynamic-provider host (`node .../cmd/dynamic-provider/index.js <engine-address>`) in the
 * repository root, connects a `ResourceProviderClient` and sends `Configure`, as the engine does before any other
 * call. Each method takes and returns plain objects and rejects with {@link ProviderHostError}.
 */
export async function startProviderHost(options: ProviderHostOptions = {}): Promise<ProviderHost> {
  const cwd = options.cwd ?? repositoryRoot;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [cwd] });
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries({ ...process.env, ...options.env }).filter(
      ([key, value]) => value !== undefined && !key.startsWith("PULUMI_NODEJS_"),
    ),
  );
  // The address is required but never dialled (see the findings at the top of this file).
  const child = spawn(process.execPath, [hostScript, "127.0.0.1:1"], { cwd, env, stdio: "pipe" });
  const lines: HostLogLine[] = [];
  const stdout = readline.createInterface({ input: child.stdout });
  const stderr = readline.createInterface({ input: child.stderr });
  stderr.on("line", (text) => lines.push({ stream: "stderr", text }));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Safety net for a caller that never calls stop(): the host would outlive the test run.
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  const parentProcess = eventingProcess();
  parentProcess.once("exit", killOnExit);

  let port: string;
  try {
    port = await waitForPort(child, stdout, lines, options.startTimeoutMs ?? 15_000);
  } catch (reason) {
    child.kill("SIGKILL");
    await exited;
    parentProcess.removeListener("exit", killOnExit);
    throw reason;
  }
  stdout.on("line", (text) => lines.push({ stream: "stdout", text }));

  const address = `127.0.0.1:${port}`;
  const client = new ResourceProviderClient(address, grpc.credentials.createInsecure());

  function unary<Request, Response>(
    method: string,
    urn: string,
    invoke: (
      request: Request,
      metadata: grpc.Metadata,
      callOptions: Partial<grpc.CallOptions>,
      callback: (error: grpc.ServiceError | null, response: Response) => void,
    ) => grpc.ClientUnaryCall,
    request: Request,
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      invoke.call(client, request, new grpc.Metadata(), { deadline: Date.now() + callTimeoutMs }, (error, response) => {
        if (error) {
          reject(new ProviderHostError(method, urn, error.code, error.details || error.message));
        } else {
          resolve(response);
        }
      });
    });
  }

  let stopped = false;
  const host: ProviderHost = {
    address,
    pid: child.pid,

    async configure(config = {}) {
      const request = new provider.ConfigureRequest();
      const variables = stringifyConfig(config);
      for (const [key, value] of Object.entries(variables)) {
        request.getVariablesMap().set(key, value);
      }
      // The host reads only `args`; without them it throws outside its try block and never answers.
      request.setArgs(toStruct(variables));
      request.setAcceptsecrets(true);
      request.setAcceptresources(true);
      await unary("Configure", "", client.configure, request);
    },

    async check(urn, olds, news) {
      const request = new provider.CheckRequest();
      request.setUrn(urn);
      request.setOlds(toStruct(olds));
      request.setNews(toStruct(news));
      const response = await unary("Check", urn, client.check, request);
      return {
        inputs: annotateSecrets(fromStruct(response.getInputs()), news),
        failures: response.getFailuresList().map((failure) => ({
          property: failure.getProperty(),
          reason: failure.getReason(),
        })),
      };
    },

    async diff(urn, id, olds, news, oldInputs) {
      const request = describeChange(new provider.DiffRequest(), urn, id, olds, news, oldInputs);
      return toDiffResult(await unary("Diff", urn, client.diff, request));
    },

    async create(urn, properties) {
      const request = new provider.CreateRequest();
      request.setUrn(urn);
      request.setProperties(toStruct(properties));
      const response = await unary("Create", urn, client.create, request);
      return { id: response.getId(), properties: annotateSecrets(fromStruct(response.getProperties()), properties) };
    },

    async read(urn, id, properties, inputs) {
      const request = new provider.ReadRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(toStruct(properties));
      if (inputs) {
        request.setInputs(toStruct(inputs));
      }
      const response = await unary("Read", urn, client.read, request);
      const returnedInputs = response.getInputs();
      return {
        id: response.getId(),
        properties: annotateSecrets(fromStruct(response.getProperties()), properties),
        inputs: returnedInputs ? annotateSecrets(fromStruct(returnedInputs), inputs ?? properties) : undefined,
      };
    },

    async update(urn, id, olds, news, oldInputs) {
      const request = describeChange(new provider.UpdateRequest(), urn, id, olds, news, oldInputs);
      const response = await unary("Update", urn, client.update, request);
      return { properties: annotateSecrets(fromStruct(response.getProperties()), news) };
    },

    async delete(urn, id, properties, oldInputs) {
      const request = new provider.DeleteRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(toStruct(properties));
      if (oldInputs) {
        request.setOldInputs(toStruct(oldInputs));
      }
      await unary("Delete", urn, client.delete, request);
    },

    logs: () => lines.map((line) => ({ ...line })),
    clearLogs: () => {
      lines.length = 0;
    },

    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      stdout.close();
      stderr.close();
      parentProcess.removeListener("exit", killOnExit);
    },
  };

  try {
    await host.configure(options.config);
  } catch (reason) {
    await host.stop();
    throw reason;
  }
  return host;
}

function waitForPort(
  child: ChildProcessWithoutNullStreams,
  stdout: readline.Interface,
  lines: HostLogLine[],
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      stdout.removeListener("line", onLine);
      child.removeListener("exit", onExit);
    };
    const describeOutput = (): string => lines.map((line) => line.text).join("\n");
    const onLine = (text: string): void => {
      cleanup();
      if (/^\d+$/.test(text.trim())) {
        resolve(text.trim());
      } else {
        reject(new Error(`provider host printed "${text}" instead of its port\n${describeOutput()}`));
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`provider host exited with code ${code} before printing its port\n${describeOutput()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`provider host printed no port within ${timeoutMs} ms\n${describeOutput()}`));
    }, timeoutMs);
    stdout.on("line", onLine);
    child.once("exit", onExit);
  });
}
