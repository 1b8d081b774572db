/**
 * The client of a Pulumi resource provider process, driven over gRPC: the entra-sspr provider plugin, started as the
 * CLI's Node.js language host starts it (`startProviderPlugin`), or Pulumi's own dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider/index.js`, what state written by dynamic resources runs in: `startProviderHost`).
 * This is how the rehearsal engine and the tests run providers the way `pulumi up` does, without the Pulumi CLI: they
 * start the plugin exactly as the CLI's Node.js language host starts it (`RunPlugin` in pulumi/pulumi's
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go; docs/reference/pulumi-engine.md#how-the-cli-starts-the-plugin) and
 * speak the same gRPC protocol. Programs run under mocks (`engine/mockRun.ts`); `engine/engine.ts` builds a mini engine
 * (`up`, `refresh`, `destroy`) on top of both.
 *
 * Usage (start it in `beforeAll`, stop it in `afterAll`; tests take one host process per jest worker through
 * `useProviderHost` in tests/support/rehearsalHost.ts; `collectRegistrations` is the mock run's):
 *
 *   const registrations = await collectRegistrations(() => new PasswordResetPolicy("sspr", args), {
 *     config: { "sspr:settings": { ... } },
 *   });
 *   const policy = registrations.find((r) => r.type === "entra-sspr:index:PasswordResetPolicy")!;
 *   const host = await startProviderPlugin();
 *   const checked = await host.check(policy.urn, {}, policy.inputs);   // failures: [{ property, reason }]
 *   const created = await host.create(policy.urn, checked.inputs);     // { id, properties }
 *   ...
 *   await host.stop();
 *
 * Findings this engine is built on (Pulumi SDK 3.248, seen by experiment through the real processes; the plugin,
 * built on `@pulumi/pulumi/provider`'s server, answers the same way unless noted):
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
 *   This host does what the CLI's engine does: `revealSecrets` before each call, `annotateSecrets` on the results.
 * - Diff: the 3.248 host forwards only `changes`, `replaces` and `deleteBeforeReplace`; a provider's `stables`
 *   are dropped, and `diffs`/`detailedDiff` are never set.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provider from "@pulumi/pulumi/proto/provider_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import { resourceInitFailureOf, type ResourceInitFailure } from "./initFailure";
import { eventingProcess } from "./processEvents";
import { annotateSecrets, type ConfigMap, flatConfig, type PropertyMap, revealSecrets } from "./propertyValues";
import {
  configureRequestFor,
  defaultProviderReference,
  packageConfig,
  type ProviderReference,
} from "./providerConfigure";
import { packageName as entraPackage } from "../lib/resourceTypes";

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
  /** Extra environment for the host process (the rehearsal engine removes `PULUMI_NODEJS_*`, as the CLI never sets them). */
  env?: Record<string, string | undefined>;
  /** Deadline of each gRPC call (default 30 s), so a hung provider fails the test instead of stalling it. */
  callTimeoutMs?: number;
  /** The engine address the plugin is started with (default a dummy): Construct logs there. */
  engineAddress?: string;
  /** How long to wait for the host to print its port (default 30 s: it loads the SDK, slow on a busy 2-core machine). */
  startTimeoutMs?: number;
}

/** What a ConstructRequest carries (the rest stays empty, as for a top-level component). */
export interface ConstructCall {
  type: string;
  name: string;
  inputs: PropertyMap;
  monitorEndpoint: string;
  project: string;
  stack: string;
  dryRun?: boolean;
  config?: ConfigMap;
}

export interface ProviderHost {
  /** `127.0.0.1:<port>` of the host's gRPC server. */
  readonly address: string;
  /** Process id of the host. */
  readonly pid: number | undefined;
  /**
   * Configures the stack's default provider from the stack config as the engine does for a new one (at start, and
   * by the engine before a refresh or destroy): `CheckConfig` on the package's config (`packageConfig`), then
   * `Configure` with what it returned (`configureProvider`). Resolves to the checked inputs; rejects naming every
   * failure. The plugin starts a run of the tenant the config names, or of every tenant without one
   * (provider/http/runReads.ts).
   */
  configure(config?: ConfigMap): Promise<PropertyMap>;
  /** The package whose provider this host is (`entra-sspr`, or `pulumi-nodejs` for the dynamic-provider host). */
  readonly packageName: string;
  /** Sends `Configure` exactly as the engine configures one provider resource ({@link configureRequestFor}). */
  configureProvider(reference: ProviderReference, inputs: PropertyMap): Promise<void>;
  /**
   * `CheckConfig`, as the registry's Check sends it (news without secret wrappers, secrets marked again on the
   * answer); UNIMPLEMENTED answers the news as they are, as the engine does (provider_plugin.go:719).
   */
  checkConfig(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  /** `DiffConfig`, as the registry's Diff sends it; UNIMPLEMENTED answers "unknown" with no replaces (provider_plugin.go:857). */
  diffConfig(urn: string, oldInputs: PropertyMap, oldOutputs: PropertyMap, news: PropertyMap): Promise<DiffResult>;
  /** The provider's package schema (a provider plugin's; the dynamic-provider host has none). */
  getSchema(): Promise<Record<string, unknown>>;
  check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  diff(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<DiffResult>;
  create(urn: string, properties: PropertyMap): Promise<CreateResult>;
  read(urn: string, id: string, properties: PropertyMap, inputs?: PropertyMap): Promise<ReadResult>;
  update(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<UpdateResult>;
  delete(urn: string, id: string, properties: PropertyMap, oldInputs?: PropertyMap): Promise<void>;
  /** Constructs a component inside the provider, its children registered at `request.monitorEndpoint`. */
  construct(request: ConstructCall): Promise<{ urn: string; state: PropertyMap }>;
  /** Invokes one of the provider's functions (a data source's read); failures it reports reject, each named. */
  invoke(token: string, args: PropertyMap): Promise<PropertyMap>;
  /** Everything the host printed after its port, in order: provider logs (`pulumi.log.*`), errors, stack traces. */
  logs(): HostLogLine[];
  clearLogs(): void;
  /** Closes the client and ends the host process. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A gRPC call to the host failed; `details` is the provider's own error message when a provider method threw, and
 * `initFailure` the resource a Create or Update left behind when it failed after creating it.
 */
export class ProviderHostError extends Error {
  constructor(
    readonly method: string,
    readonly urn: string,
    readonly code: number,
    readonly details: string,
    readonly initFailure?: ResourceInitFailure,
  ) {
    super(`${method} ${urn}: ${details}`);
    this.name = "ProviderHostError";
  }
}

const repositoryRoot = path.resolve(__dirname, "..");

function toStruct(properties: PropertyMap, options: { keepSecrets?: boolean } = {}): Struct {
  // JSON drops `undefined` (Struct.fromJavaScript rejects it), as the SDK's own serialization does.
  const value = options.keepSecrets === true ? properties : revealSecrets(properties);
  const json = JSON.parse(JSON.stringify(value ?? {})) as Record<string, JavaScriptValue>;
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

/** A running host process, before or without a client: what {@link connectProviderHost} talks to. */
export interface ProviderHostProcess {
  /** `127.0.0.1:<port>` of the host's gRPC server. */
  readonly address: string;
  readonly pid: number | undefined;
  /** Everything the host printed after its port, in order (shared by every client of the process). */
  readonly lines: HostLogLine[];
  /** false once the process has exited. */
  running(): boolean;
  /** Lets the parent's event loop end while the host runs (it is then killed on the parent's exit). */
  unref(): void;
  /** Ends the process. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Spawns Pulumi's dynamic-provider host (`node .../cmd/dynamic-provider/index.js <engine-address>`) in the
 * repository root and waits for its port: the host state written by the dynamic resources runs in (old stacks).
 * Most callers want {@link startProviderHost}, which also connects.
 */
export function spawnProviderHost(
  options: Pick<ProviderHostOptions, "cwd" | "env" | "startTimeoutMs"> = {},
): Promise<ProviderHostProcess> {
  const cwd = options.cwd ?? repositoryRoot;
  const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [cwd] });
  // The address is required but never dialled (see the findings at the top of this file).
  return spawnHostProcess([hostScript, "127.0.0.1:1"], cwd, options);
}

/** The entra-sspr provider plugin's folder (`PulumiPlugin.yaml`, `runtime: nodejs`). */
export const providerPluginDirectory = path.join(repositoryRoot, "provider");

/**
 * Spawns the entra-sspr provider plugin as the CLI's Node.js language host does (`RunPlugin` in
 * pulumi-language-nodejs): `node <@pulumi/pulumi/cmd/run-plugin, resolved from the plugin folder> <plugin folder>
 * <engine address>`, in the program's working directory. The plugin binds 127.0.0.1:0 and prints its port. No code
 * travels in the properties: the plugin runs its own.
 */
export function spawnProviderPlugin(
  options: Pick<ProviderHostOptions, "cwd" | "env" | "startTimeoutMs" | "engineAddress"> = {},
): Promise<ProviderHostProcess> {
  const cwd = options.cwd ?? repositoryRoot;
  const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [providerPluginDirectory] });
  return spawnHostProcess([runPlugin, providerPluginDirectory, options.engineAddress ?? "127.0.0.1:1"], cwd, options);
}

async function spawnHostProcess(
  args: string[],
  cwd: string,
  options: Pick<ProviderHostOptions, "env" | "startTimeoutMs">,
): Promise<ProviderHostProcess> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries({ ...process.env, ...options.env }).filter(
      ([key, value]) => value !== undefined && !key.startsWith("PULUMI_NODEJS_"),
    ),
  );
  // The preload ends the host with its parent, even a parent that was killed.
  const exitWithParent = path.join(__dirname, "exitWithParent.js");
  const child = spawn(process.execPath, ["-r", exitWithParent, ...args], { cwd, env, stdio: "pipe" });
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
    port = await waitForPort(child, stdout, lines, options.startTimeoutMs ?? 30_000);
  } catch (reason) {
    child.kill("SIGKILL");
    await exited;
    parentProcess.removeListener("exit", killOnExit);
    throw reason;
  }
  stdout.on("line", (text) => lines.push({ stream: "stdout", text }));

  let stopped = false;
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid,
    lines,
    running: () => child.exitCode === null && child.signalCode === null,
    unref() {
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as { unref?: () => void }).unref?.();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
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
}

/**
 * Starts Pulumi's dynamic-provider host ({@link spawnProviderHost}), connects a `ResourceProviderClient` and sends
 * `Configure`, as the engine does before any other call. Each method takes and returns plain objects and rejects
 * with {@link ProviderHostError}. `stop()` ends the process.
 */
export async function startProviderHost(options: ProviderHostOptions = {}): Promise<ProviderHost> {
  const hostProcess = await spawnProviderHost(options);
  return connectProviderHost(hostProcess, { ...options, ownsProcess: true, packageName: "pulumi-nodejs" });
}

/** Starts the entra-sspr provider plugin ({@link spawnProviderPlugin}) and connects, as {@link startProviderHost}. */
export async function startProviderPlugin(options: ProviderHostOptions = {}): Promise<ProviderHost> {
  const hostProcess = await spawnProviderPlugin(options);
  return connectProviderHost(hostProcess, { ...options, ownsProcess: true });
}

/**
 * A client of a running host process. `stop()` closes the client, and ends the process too when `ownsProcess`;
 * `logs()` is what the host printed since this client connected. Sends `Configure` before returning.
 */
export async function connectProviderHost(
  hostProcess: ProviderHostProcess,
  options: Pick<ProviderHostOptions, "config" | "callTimeoutMs"> & { ownsProcess: boolean; packageName?: string },
): Promise<ProviderHost> {
  const packageName = options.packageName ?? entraPackage;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const { address, lines } = hostProcess;
  let logsFrom = lines.length;
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
          const details = error.details || error.message;
          reject(new ProviderHostError(method, urn, error.code, details, resourceInitFailureOf(error)));
        } else {
          resolve(response);
        }
      });
    });
  }

  let stopped = false;
  const host: ProviderHost = {
    address,
    pid: hostProcess.pid,

    packageName,

    async configure(config = {}) {
      const reference = defaultProviderReference(packageName);
      const checked = await host.checkConfig(reference.urn, {}, packageConfig(config, packageName));
      if (checked.failures.length > 0) {
        const reasons = checked.failures.map((failure) => `${failure.property}: ${failure.reason}`);
        throw new Error(`CheckConfig ${reference.urn} failed: ${reasons.join("; ")}`);
      }
      await host.configureProvider(reference, checked.inputs);
      return checked.inputs;
    },

    async configureProvider(reference, inputs) {
      const shape = configureRequestFor(reference, inputs);
      const request = new provider.ConfigureRequest();
      for (const [key, value] of Object.entries(shape.variables)) {
        request.getVariablesMap().set(key, value);
      }
      // The dynamic-provider host reads only `args`; without them it throws outside its try block and never answers.
      // provider_plugin.go:1097-1103: `args` are marshalled with KeepSecrets, whatever the provider accepts.
      request.setArgs(toStruct(shape.args, { keepSecrets: true }));
      request.setAcceptsecrets(shape.acceptSecrets);
      request.setAcceptresources(shape.acceptResources);
      request.setSendsOldInputs(shape.sendsOldInputs);
      request.setSendsOldInputsToDelete(shape.sendsOldInputsToDelete);
      request.setUrn(shape.urn);
      request.setName(shape.name);
      request.setType(shape.type);
      request.setId(shape.id);
      await unary("Configure", shape.urn, client.configure, request);
    },

    async checkConfig(urn, olds, news) {
      const request = new provider.CheckRequest();
      request.setUrn(urn);
      request.setName(urn.split("::").pop() ?? "");
      request.setType(urn.split("::")[2] ?? "");
      // provider_plugin.go:687-703: marshalled without KeepSecrets, so secrets arrive as plain values.
      request.setOlds(toStruct(revealSecrets(olds) as PropertyMap));
      request.setNews(toStruct(revealSecrets(news) as PropertyMap));
      try {
        const response = await unary("CheckConfig", urn, client.checkConfig, request);
        return {
          inputs: annotateSecrets(fromStruct(response.getInputs()), news),
          failures: response.getFailuresList().map((failure) => ({
            property: failure.getProperty(),
            reason: failure.getReason(),
          })),
        };
      } catch (error) {
        if (error instanceof ProviderHostError && error.code === grpc.status.UNIMPLEMENTED) {
          return { inputs: news, failures: [] };
        }
        throw error;
      }
    },

    async diffConfig(urn, oldInputs, oldOutputs, news) {
      const request = new provider.DiffRequest();
      request.setUrn(urn);
      request.setName(urn.split("::").pop() ?? "");
      request.setType(urn.split("::")[2] ?? "");
      request.setOldInputs(toStruct(revealSecrets(oldInputs) as PropertyMap));
      request.setOlds(toStruct(revealSecrets(oldOutputs) as PropertyMap));
      request.setNews(toStruct(revealSecrets(news) as PropertyMap));
      try {
        return toDiffResult(await unary("DiffConfig", urn, client.diffConfig, request));
      } catch (error) {
        if (error instanceof ProviderHostError && error.code === grpc.status.UNIMPLEMENTED) {
          return { changes: false, kind: "unknown", diffs: [], replaces: [], stables: [], deleteBeforeReplace: false };
        }
        throw error;
      }
    },

    async getSchema() {
      const response = await unary("GetSchema", "", client.getSchema, new provider.GetSchemaRequest());
      return JSON.parse(response.getSchema()) as Record<string, unknown>;
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

    async construct(call) {
      const request = new provider.ConstructRequest();
      request.setType(call.type);
      request.setName(call.name);
      request.setInputs(toStruct(call.inputs));
      request.setMonitorendpoint(call.monitorEndpoint);
      request.setProject(call.project);
      request.setStack(call.stack);
      request.setDryrun(call.dryRun ?? false);
      request.setParallel(1);
      for (const [key, value] of Object.entries(flatConfig(call.config ?? {}))) {
        request.getConfigMap().set(key, value);
      }
      const response = await unary("Construct", call.name, client.construct, request);
      return { urn: response.getUrn(), state: fromStruct(response.getState()) };
    },

    async invoke(token, args) {
      const request = new provider.InvokeRequest();
      request.setTok(token);
      request.setArgs(toStruct(args));
      const response = await unary("Invoke", token, client.invoke, request);
      const failures = response.getFailuresList().map((failure) => `${failure.getProperty()}: ${failure.getReason()}`);
      if (failures.length > 0) {
        throw new ProviderHostError("Invoke", token, grpc.status.INVALID_ARGUMENT, failures.join("; "));
      }
      return fromStruct(response.getReturn());
    },

    logs: () => lines.slice(logsFrom).map((line) => ({ ...line })),
    clearLogs: () => {
      logsFrom = lines.length;
    },

    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      client.close();
      if (options.ownsProcess) await hostProcess.stop();
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
