/**
 * `npx ts-node --transpile-only scripts/bench/stateDiet.ts`: the measurements behind the README's state diet note.
 * Applies the full stack (bench `full`) through the host, then prints per resource the serialized provider code it
 * carries, the state with and without that code (what a real provider plugin would store: no code at all), and the
 * size of a closure that reaches its implementation by package name (what Pulumi's serializer emits for a module
 * under node_modules: a `require("<package>")`, not the code).
 */
import * as pulumi from "@pulumi/pulumi";
import { startEmulator } from "../../emulator/server";
import { emulatorStack } from "../emulatorStack";
import { providerKey } from "../../harness/propertyValues";
import { startProviderHost } from "../../harness/providerHost";
import { repositoryRoot } from "../rehearse";
import { fullConfig } from "./stacks";

async function main(): Promise<void> {
  const host = await startProviderHost({ cwd: repositoryRoot });
  const emulator = await startEmulator({ port: 0 });
  try {
    const { state } = await emulatorStack({ host, emulatorUrl: emulator.url }).up(fullConfig());
    let code = 0;
    for (const entry of Object.values(state)) {
      const provider = entry.inputs[providerKey];
      if (typeof provider !== "string") continue;
      // The engine stores the provider in both inputs and outputs.
      code += provider.length * (entry.outputs[providerKey] === provider ? 2 : 1);
      process.stdout.write(`${entry.name}: ${provider.length} characters of provider code\n`);
    }
    const total = JSON.stringify(state).length;
    const stripped = JSON.stringify(state, (key, value: unknown) => (key === providerKey ? undefined : value)).length;
    process.stdout.write(
      `full stack state: ${total} characters; provider code ${code} (${Math.round((100 * code) / total)}%)\n`,
    );
    process.stdout.write(`full stack state without provider code (a provider plugin): ${stripped} characters\n`);
    // A provider whose methods call into a package (js-yaml stands in for a published entra-sspr provider package).
    const byPackage = await pulumi.runtime.serializeFunction(() => ({
      create: async (inputs: Record<string, unknown>) => {
        // Resolved in the host from its node_modules at call time: the code stays out of state.
        const pkg = require("js-yaml") as { dump(value: unknown): string };
        return { id: "x", outs: { text: pkg.dump(inputs) } };
      },
    }));
    process.stdout.write(`a provider reaching its code by package name: ${byPackage.text.length} characters\n`);
  } finally {
    await emulator.stop();
    await host.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
