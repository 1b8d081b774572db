/** Serves the provider over Pulumi's provider protocol (`args`: the engine's address, as the CLI passes it). */
import { createRequire } from "node:module";
import { main } from "@pulumi/pulumi/provider";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import { beginRun, enableRunReads } from "./http/runReads";
import { entraProvider } from "./entraProvider";
import type { EntraEndpoints } from "../lib/endpoints";
import { checkProviderConfig, diffProviderConfig, runTargetOf } from "./providerConfig";
import { warnFromProvider } from "./ownership/ownershipMark";

type ProtoStruct = { toJavaScript(): Record<string, unknown> } | undefined;

/** A unary gRPC call as `@pulumi/pulumi/provider`'s server receives it (Configure, CheckConfig, DiffConfig). */
interface UnaryCall {
  request?: {
    getVariablesMap?: () => { toArray(): [string, string][] };
    getArgs?: () => ProtoStruct;
    getOlds?: () => ProtoStruct;
    getNews?: () => ProtoStruct;
    getOldInputs?: () => ProtoStruct;
  };
}
type Callback = (error: unknown, response?: unknown) => void;

/**
 * The tenant and endpoints a Configure names, read where the engine puts them: `args` (the provider's inputs), and
 * the deprecated `variables` keyed `entra-sspr:config:<key>` (`Configure` in pulumi/pulumi's
 * pkg/resource/plugin/provider_plugin.go). Without a tenant, every tenant's run begins.
 */
function runTarget(call: UnaryCall | undefined): { tenantId: string; endpoints: EntraEndpoints } | undefined {
  const variables = Object.fromEntries(call?.request?.getVariablesMap?.().toArray() ?? []);
  return runTargetOf(call?.request?.getArgs?.()?.toJavaScript(), variables);
}

/**
 * CheckConfig: the provider's own keys as the inputs the engine records, every failure of them at once, and a
 * warning for each key dropped (the registry's `Check`, pkg/resource/deploy/providers/registry.go). The engine
 * sends the news without secret wrappers and marks secret again what was secret (`annotateSecrets`).
 */
function checkConfig(call: UnaryCall, callback: Callback): void {
  const checked = checkProviderConfig(call.request?.getNews?.()?.toJavaScript() ?? {});
  const response = new providerProto.CheckResponse();
  response.setInputs(Struct.fromJavaScript(checked.inputs as Record<string, JavaScriptValue>));
  response.setFailuresList(
    checked.failures.map(({ property, reason }) => {
      const failure = new providerProto.CheckFailure();
      failure.setProperty(property);
      failure.setReason(reason);
      return failure;
    }),
  );
  Promise.all(checked.warnings.map((warning) => warnFromProvider(warning))).then(
    () => callback(null, response),
    () => callback(null, response),
  );
}

/** DiffConfig: a different tenant replaces the provider (and so every object it serves); endpoints update it. */
function diffConfig(call: UnaryCall, callback: Callback): void {
  const olds = call.request?.getOldInputs?.()?.toJavaScript() ?? call.request?.getOlds?.()?.toJavaScript();
  const diff = diffProviderConfig(olds, call.request?.getNews?.()?.toJavaScript());
  const response = new providerProto.DiffResponse();
  response.setChanges(
    diff.changes ? providerProto.DiffResponse.DiffChanges.DIFF_SOME : providerProto.DiffResponse.DiffChanges.DIFF_NONE,
  );
  response.setDiffsList(diff.diffs);
  response.setReplacesList(diff.replaces);
  response.setDeletebeforereplace(false);
  callback(null, response);
}

/**
 * Calls `onConfigure` whenever the engine configures the provider. Pulumi's Node.js provider server answers
 * `Configure` itself and never tells the provider, yet that call is where a deployment starts (the CLI configures
 * each provider once per deployment, with the stack's config of the package's namespace), so the server's handler
 * is wrapped where it is handed to gRPC.
 */
function whenConfigured(onConfigure: (call: UnaryCall | undefined) => void): void {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/provider/server"));
  const grpc = fromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const configure = (implementation as Record<string, unknown>).configure;
    if (typeof configure === "function") {
      (implementation as Record<string, unknown>).configure = (...args: unknown[]) => {
        onConfigure(args[0] as UnaryCall | undefined);
        return configure.apply(implementation, args);
      };
      // The server answers both with UNIMPLEMENTED, which the engine tolerates silently (the news pass as they are,
      // and every config change is an update of the provider).
      (implementation as Record<string, unknown>).checkConfig = checkConfig;
      (implementation as Record<string, unknown>).diffConfig = diffConfig;
    }
    return addService.call(this, service, implementation);
  };
}

export function serve(args: string[]): Promise<void> {
  // One run's reads are shared and batched (provider/http/runReads.ts); each Configure starts a new run, of the
  // stack's tenant when its config names one, else of every tenant.
  enableRunReads();
  whenConfigured((call) => beginRun(runTarget(call)));
  return main(entraProvider, args);
}
