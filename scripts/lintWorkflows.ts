/**
 * `npm run lint:workflows`: every GitHub workflow (`.github/workflows/*.yml`) checked with `action-validator`, one
 * after another; the first that fails stops the run with its exit code.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { asksForHelp } from "./stack/runCommand";

const repositoryRoot = path.resolve(__dirname, "..");

export const lintWorkflowsUsage = [
  "usage: npm run lint:workflows",
  "  Checks each .github/workflows/*.yml with action-validator (its schema and the actions it uses); no flags.",
  "  --help, -h   this text",
  "  Exit 0: every workflow is valid; otherwise the validator's exit code, after its findings.",
].join("\n");

export function workflowFiles(root: string = repositoryRoot): string[] {
  const folder = path.join(root, ".github", "workflows");
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith(".yml"))
    .sort()
    .map((name) => path.join(".github", "workflows", name));
}

function main(argv: string[]): number {
  if (asksForHelp(argv)) {
    process.stdout.write(`${lintWorkflowsUsage}\n`);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`lint:workflows takes no arguments; got ${argv.join(" ")}\n${lintWorkflowsUsage}\n`);
    return 2;
  }
  const validator = path.join(repositoryRoot, "node_modules", ".bin", "action-validator");
  for (const file of workflowFiles()) {
    const result = spawnSync(validator, [file], { cwd: repositoryRoot, stdio: "inherit" });
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
