/**
 * `npm run upgrade-state`: state written by the old dynamic resources, upgraded without running code from it.
 * The command line only; the transform is `scripts/stack/stateUpgrade.ts`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  holdsDynamicResources,
  parseUpgradeArguments,
  upgradeDeployment,
  upgradeStateUsage,
  type ExportedDeployment,
} from "./stack/stateUpgrade";
import { runCommand } from "./stack/runCommand";

const packageVersion = (): string =>
  (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;

/** Reads, upgrades and writes one exported file; says what it did. Returns false when there was nothing to upgrade. */
function upgradeFile(input: string, output: string): boolean {
  const exported = JSON.parse(fs.readFileSync(input, "utf8")) as ExportedDeployment;
  if (!holdsDynamicResources(exported)) {
    process.stdout.write(`${input} holds no state of the old dynamic resources: nothing to upgrade.\n`);
    return false;
  }
  const upgraded = upgradeDeployment(exported, packageVersion());
  // The state may hold secrets (encrypted) and the tenant's settings: readable by its owner only.
  fs.writeFileSync(output, `${JSON.stringify(upgraded, null, 2)}\n`, { mode: 0o600, flag: "w" });
  process.stdout.write(`Upgraded: ${output} (no __provider left, types moved to entra-sspr:index:*).\n`);
  return true;
}

export async function main(argv: string[]): Promise<number> {
  const request = parseUpgradeArguments(argv);
  if ("problem" in request) {
    process.stderr.write(`upgrade-state: ${request.problem}\n\n${upgradeStateUsage}\n`);
    return 2;
  }
  if ("input" in request) {
    upgradeFile(request.input, request.output);
    return 0;
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-upgrade-"));
  try {
    const before = path.join(folder, "old.json");
    const after = path.join(folder, "new.json");
    // Export and import only: neither runs a provider, so no code from the old state runs.
    execFileSync("pulumi", ["stack", "export", "--stack", request.stack, "--file", before], { stdio: "inherit" });
    if (!upgradeFile(before, after)) return 0;
    execFileSync("pulumi", ["stack", "import", "--stack", request.stack, "--file", after], { stdio: "inherit" });
    process.stdout.write(
      `Stack ${request.stack} upgraded. Next: pulumi up (it writes only the ownership mark's move).\n`,
    );
    return 0;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

if (require.main === module) runCommand("upgrade-state", main, 1, upgradeStateUsage);
