/**
 * `node -r sucrase/register scripts/bench/stateDiet.ts`: the measurements behind the README's state diet note.
 * Applies the full stack (bench `full`) through the host and prints the state's size as written now (each resource
 * stores a forwarder that reaches its provider by package name) and as the self-contained providers wrote it before
 * (each resource's whole provider serialized by value), per resource and in all.
 */
import { startEmulator } from "../../emulator/server";
import { emulatorStack } from "../emulatorStack";
import type { EngineState } from "../../harness/engine";
import { providerKey } from "../../harness/propertyValues";
import { startProviderHost } from "../../harness/providerHost";
import { repositoryRoot } from "../rehearse";
import { withSelfContainedProviders } from "./selfContainedProviders";
import { fullConfig } from "./stacks";

function describeState(label: string, state: EngineState): void {
  let code = 0;
  for (const entry of Object.values(state)) {
    const provider = entry.inputs[providerKey];
    if (typeof provider !== "string") continue;
    // The engine stores the provider in both inputs and outputs.
    code += provider.length * (entry.outputs[providerKey] === provider ? 2 : 1);
    process.stdout.write(`  ${entry.name}: ${provider.length} characters of provider code\n`);
  }
  const total = JSON.stringify(state).length;
  const percent = Math.round((100 * code) / total);
  process.stdout.write(`${label}: ${total} characters, of which provider code ${code} (${percent}%)\n`);
}

async function main(): Promise<void> {
  const host = await startProviderHost({ cwd: repositoryRoot });
  const emulator = await startEmulator({ port: 0 });
  try {
    const { state } = await emulatorStack({ host, emulatorUrl: emulator.url }).up(fullConfig());
    describeState("full stack state, forwarders (now)", state);
    describeState("full stack state, self-contained providers (before)", await withSelfContainedProviders(state));
    const floor = JSON.stringify(state, (key, value: unknown) => (key === providerKey ? undefined : value)).length;
    process.stdout.write(`full stack state without any provider code (a provider plugin): ${floor} characters\n`);
  } finally {
    await emulator.stop();
    await host.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
