/** Serves the provider over Pulumi's provider protocol (`args`: the engine's address, as the CLI passes it). */
import { main } from "@pulumi/pulumi/provider";
import { entraProvider } from "./entraProvider";

export function serve(args: string[]): Promise<void> {
  return main(entraProvider, args);
}
