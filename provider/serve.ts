/** Serves the provider over Pulumi's provider protocol (`args`: the engine's address, as the CLI passes it). */
import { createRequire } from "node:module";
import { main } from "@pulumi/pulumi/provider";
import { beginRun, enableRunReads } from "./http/runReads";
import { entraProvider } from "./entraProvider";
import { packageName } from "../lib/resourceTypes";
import { isRecord } from "../lib/predicates";
import { defaultEndpoints, type EntraEndpoints } from "../lib/endpoints";

/** What `Configure` carries: the stack's config of the package's namespace, as strings (objects as JSON). */
interface ConfigureCall {
  request?: { getVariablesMap?: () => { get(key: string): string | undefined } };
}

/** The tenant and endpoints the stack's config names (`entra-sspr:tenantId`, `entra-sspr:endpoints`), if any. */
function runTarget(call: ConfigureCall | undefined): { tenantId: string; endpoints: EntraEndpoints } | undefined {
  const variables = call?.request?.getVariablesMap?.();
  const tenantId = variables?.get(`${packageName}:tenantId`);
  if (typeof tenantId !== "string" || tenantId === "") return undefined;
  let endpoints: unknown = defaultEndpoints;
  const configured = variables?.get(`${packageName}:endpoints`);
  try {
    if (configured !== undefined && configured !== "") endpoints = JSON.parse(configured);
  } catch {
    return undefined; // not endpoints the program accepts: every tenant's run begins instead
  }
  if (!isRecord(endpoints) || typeof endpoints.graph !== "string" || typeof endpoints.portal !== "string") {
    return undefined;
  }
  return { tenantId, endpoints: { graph: endpoints.graph, portal: endpoints.portal } };
}

/**
 * Calls `onConfigure` whenever the engine configures the provider. Pulumi's Node.js provider server answers
 * `Configure` itself and never tells the provider, yet that call is where a deployment starts (the CLI configures
 * each provider once per deployment, with the stack's config of the package's namespace), so the server's handler
 * is wrapped where it is handed to gRPC.
 */
function whenConfigured(onConfigure: (call: ConfigureCall | undefined) => void): void {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/provider/server"));
  const grpc = fromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const configure = (implementation as Record<string, unknown>).configure;
    if (typeof configure === "function") {
      (implementation as Record<string, unknown>).configure = (...args: unknown[]) => {
        onConfigure(args[0] as ConfigureCall | undefined);
        return configure.apply(implementation, args);
      };
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
