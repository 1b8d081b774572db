/** Serves the provider over Pulumi's provider protocol (`args`: the engine's address, as the CLI passes it). */
import { createRequire } from "node:module";
import { main } from "@pulumi/pulumi/provider";
import { beginRun, enableRunReads } from "../components/entra/runReads";
import { entraProvider } from "./entraProvider";

/**
 * Calls `onConfigure` whenever the engine configures the provider. Pulumi's Node.js provider server answers
 * `Configure` itself and never tells the provider, yet that call is where a deployment starts (the CLI configures
 * each provider once per deployment), so the server's handler is wrapped where it is handed to gRPC.
 */
function whenConfigured(onConfigure: () => void): void {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/provider/server"));
  const grpc = fromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const configure = (implementation as Record<string, unknown>).configure;
    if (typeof configure === "function") {
      (implementation as Record<string, unknown>).configure = (...args: unknown[]) => {
        onConfigure();
        return configure.apply(implementation, args);
      };
    }
    return addService.call(this, service, implementation);
  };
}

export function serve(args: string[]): Promise<void> {
  // One run's reads are shared and batched (components/entra/runReads.ts); each Configure starts a new run.
  enableRunReads();
  whenConfigured(beginRun);
  return main(entraProvider, args);
}
