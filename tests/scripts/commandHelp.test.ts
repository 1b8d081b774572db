/**
 * Every command answers `--help` with its usage on stdout and exit 0, without running anything (issue: `bench --help`
 * and `rehearse --help` answered "Unknown option", `lockout-check --help` printed no usage). Each runs as its npm
 * script does: `node -r sucrase/register <script> --help`.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repositoryRoot = path.resolve(__dirname, "../..");

const commands: [name: string, script: string][] = [
  ["rehearse", "scripts/rehearse.ts"],
  ["preflight", "scripts/preflight.ts"],
  ["readiness", "scripts/readiness.ts"],
  ["doctor", "scripts/doctor.ts"],
  ["compliance", "scripts/compliance.ts"],
  ["lockout-check", "scripts/lockoutCheck.ts"],
  ["drift-check", "scripts/driftCheck.ts"],
  ["portal-decision", "scripts/portalDecision.ts"],
  ["bench", "scripts/bench.ts"],
  ["lab", "scripts/lab.ts"],
  ["snapshot", "scripts/snapshot.ts"],
  ["emulator", "emulator/cli.ts"],
];

describe("--help", () => {
  it.each(commands)("%s prints its usage and exits 0", async (name, script) => {
    const { stdout } = await run(process.execPath, ["-r", "sucrase/register", script, "--help"], {
      cwd: repositoryRoot,
      timeout: 60_000,
    });
    expect(stdout).toMatch(new RegExp(`^usage: npm run ${name}\\b`));
  });
});
