/**
 * `npx ts-node --transpile-only scripts/providerSize.ts [--stack dev]`: how many characters of serialized provider
 * code (`__provider`) each Entra resource of a rehearsed stack carries into Pulumi state, and the state's total size.
 * Every dynamic resource stores its provider's code in state (see shared/reference/pulumi-notes.md), so code that
 * the providers reach costs state on every resource: this is how to see what a change costs.
 */
import { parseArgs } from "node:util";
import { rehearse } from "./rehearse";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stack: { type: "string" } } });
  const result = await rehearse({ stack: values.stack ?? "dev" });
  if (!result.ok) {
    process.stderr.write(`${result.errors.join("\n")}\n`);
    return 1;
  }
  for (const entry of Object.values(result.state)) {
    const code = entry.inputs.__provider;
    if (typeof code === "string") process.stdout.write(`${entry.name}: ${code.length} characters of provider code\n`);
  }
  process.stdout.write(`state: ${JSON.stringify(result.state).length} characters in all\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
