/**
 * `npm run lab [-- --rehearse] [--port N]`: the README's lab run on the local Entra emulator.
 *
 * Starts the emulator on the port `Pulumi.lab.yaml` points at (8640), and with the Pulumi CLI: logs into a file
 * backend inside the repository (`.pulumi/`, git-ignored) with the published lab passphrase, runs
 * `pulumi up --yes --refresh` on the `lab` stack and prints the tenant's SSPR settings before and after in
 * admin-center words. Without a CLI it says why and how to install one, then shows the same run through the
 * CLI-free rehearsal (`scripts/rehearse.ts`). It ends with the readiness summary of the lab tenant (who can now
 * reset). The emulator is stopped at the end in every case.
 *
 * The CLI is looked for as `node_modules/.bin/pulumi` (the `pulumi` npm dev dependency, which downloads the CLI at
 * first use) and then `pulumi` on PATH; `ENTRA_SSPR_PULUMI=<path or command>` names the one CLI to use instead.
 */
import { emulatorToday } from "../stack/emulatorToday";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { labReadinessLines } from "../readiness/commandLine";
import { openStack } from "../../components/openStack";
import { emulatorEndpoints } from "../stack/stackConfig";
import { rehearse } from "../rehearse/rehearse";
import { formatTenantRisks, readTenantRisks } from "../rehearse/tenantRisks";
import { createEntraClient } from "../../provider/http/client";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { repositoryRoot } from "../stack/repository";
import { diffSsprSettings, formatSettingChanges, formatSsprSettings, readSsprSettings } from "../rehearse/tenantReport";

export const labStack = "lab";
/** Published on purpose: it only protects secrets of a stack that points at the local emulator. */
export const labPassphrase = "entra-sspr-lab";
export const labBackendDirectory = path.join(repositoryRoot, ".pulumi");
/** The CLI override: a path or command name; when set, it is the only candidate tried. */
export const cliOverrideVariable = "ENTRA_SSPR_PULUMI";
/** Long enough for the npm package to download the CLI on a connected machine at first use. */
const probeTimeoutMs = 180_000;

export const installAdvice = [
  "Install the Pulumi CLI (on a machine with internet access), then run `npm run lab` again:",
  "  - https://www.pulumi.com/docs/install/",
  "  - or: curl -fsSL https://get.pulumi.com | sh",
  "  - or: npm i -g pulumi",
  "  (`npm ci` also installs the `pulumi` npm package, which downloads the CLI the first time it runs.)",
];

// ---------------------------------------------------------------------------------------------------------------
// Finding the CLI
// ---------------------------------------------------------------------------------------------------------------

export interface CliCandidate {
  /** Where it comes from, in words. */
  label: string;
  command: string;
}

export interface CliProbe {
  candidate: CliCandidate;
  /** `pulumi version`'s answer when the CLI works. */
  version?: string;
  /** Why it does not, when it does not. */
  reason?: string;
}

/**
 * The first `pulumi` executable on PATH outside `skip` (npm puts the repository's `node_modules/.bin` first on
 * PATH, which is the npm package, already a candidate of its own).
 */
export function findOnPath(pathVariable: string | undefined, skip: string[]): string | undefined {
  const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd", "pulumi"] : ["pulumi"];
  const skipped = new Set(skip.map((directory) => path.resolve(directory)));
  for (const directory of (pathVariable ?? "").split(path.delimiter)) {
    if (directory === "" || skipped.has(path.resolve(directory))) continue;
    for (const name of names) {
      const file = path.join(directory, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The CLIs to try, in order: the override alone, or the npm package then PATH. */
export function pulumiCandidates(env: NodeJS.ProcessEnv, root: string = repositoryRoot): CliCandidate[] {
  const override = env[cliOverrideVariable]?.trim();
  if (override) return [{ label: `${cliOverrideVariable}=${override}`, command: override }];
  const binDirectory = path.join(root, "node_modules", ".bin");
  const onPath = findOnPath(env.PATH, [binDirectory]);
  return [
    {
      label: "the `pulumi` npm package (node_modules/.bin/pulumi)",
      command: path.join(binDirectory, process.platform === "win32" ? "pulumi.cmd" : "pulumi"),
    },
    // A name that cannot resolve makes the probe say "not found" when PATH has no pulumi.
    {
      label: `\`pulumi\` on PATH${onPath === undefined ? "" : ` (${onPath})`}`,
      command: onPath ?? "pulumi-not-on-path",
    },
  ];
}

/** The last few non-empty lines of a command's output, joined: what it said when it failed. */
export function lastLines(output: string, count = 3): string {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return lines.slice(-count).join(" / ");
}

/** Runs `<command> version`; resolves with the version, or the reason it did not answer. */
export function probeCli(
  candidate: CliCandidate,
  env: NodeJS.ProcessEnv,
  timeoutMs = probeTimeoutMs,
): Promise<CliProbe> {
  return new Promise((resolve) => {
    let output = "";
    let settled = false;
    const finish = (probe: Omit<CliProbe, "candidate">): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ candidate, ...probe });
    };
    const child = spawn(candidate.command, ["version"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    const timer = setTimeout(() => {
      // A wrapper (the npm package's run.js) may leave its own child holding the pipes: let go of them too.
      child.kill("SIGKILL");
      child.stdout.destroy();
      child.stderr.destroy();
      finish({ reason: `did not answer \`pulumi version\` within ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", (error: NodeJS.ErrnoException) => {
      finish({ reason: error.code === "ENOENT" ? "not found" : `could not start (${error.message})` });
    });
    child.once("close", (code, signal) => {
      if (code === 0) finish({ version: lastLines(output, 1) });
      else
        finish({
          reason: `\`pulumi version\` failed (${signal ?? `exit code ${code}`}): ${lastLines(output) || "no output"}`,
        });
    });
  });
}

/** Tries each candidate in order; stops at the first that answers. */
export async function findPulumiCli(
  candidates: CliCandidate[],
  env: NodeJS.ProcessEnv,
  timeoutMs = probeTimeoutMs,
): Promise<{ found?: CliProbe; tried: CliProbe[] }> {
  const tried: CliProbe[] = [];
  for (const candidate of candidates) {
    const probe = await probeCli(candidate, env, timeoutMs);
    if (probe.version !== undefined) return { found: probe, tried };
    tried.push(probe);
  }
  return { tried };
}

/** What to tell a newcomer without a CLI: each candidate and what it said, then how to install one. Pure. */
export function missingCliMessage(tried: CliProbe[]): string {
  return [
    "The Pulumi CLI is not available here, so `pulumi up` cannot run. Tried:",
    ...tried.map((probe) => `  - ${probe.candidate.label}: ${probe.reason ?? "unknown"}`),
    ...installAdvice,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// The lab stack
// ---------------------------------------------------------------------------------------------------------------

/** The emulator port the lab stack's Graph endpoint names (Pulumi.lab.yaml: http://127.0.0.1:8640). Pure. */
export function labPort(config: Record<string, unknown>): number | undefined {
  const endpoints = config["entra-sspr:endpoints"];
  if (typeof endpoints !== "object" || endpoints === null) return undefined;
  const graph = (endpoints as Record<string, unknown>).graph;
  if (typeof graph !== "string") return undefined;
  try {
    const url = new URL(graph);
    return url.port === "" ? undefined : Number(url.port);
  } catch {
    return undefined;
  }
}

/** The environment of every CLI command: the repository's file backend and the lab passphrase, nothing else. */
export function labCliEnvironment(env: NodeJS.ProcessEnv, backendDirectory = labBackendDirectory): NodeJS.ProcessEnv {
  const labEnv: NodeJS.ProcessEnv = {
    ...env,
    PULUMI_BACKEND_URL: `file://${backendDirectory.split(path.sep).join("/")}`,
    PULUMI_CONFIG_PASSPHRASE: labPassphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  // A passphrase file would compete with the lab passphrase.
  delete labEnv.PULUMI_CONFIG_PASSPHRASE_FILE;
  return labEnv;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repositoryRoot,
      env,
      stdio: "inherit",
      shell: process.platform === "win32",
    });
    child.once("error", () => resolve(127));
    child.once("close", (code) => resolve(code ?? 1));
  });
}

/**
 * The lab run with the Pulumi CLI: file backend, lab passphrase, `stack select --create lab`, `up --yes --refresh`,
 * with the tenant's settings before and after. Returns the exit code.
 */
export async function labWithCli(
  cli: string,
  emulator: RunningEmulator,
  tenantId: string,
  say: (text: string) => void,
  backendDirectory: string = labBackendDirectory,
  args?: SelfServicePasswordResetArgs,
): Promise<number> {
  fs.mkdirSync(backendDirectory, { recursive: true });
  const env = labCliEnvironment(process.env, backendDirectory);
  say(
    `State: a local file backend in ${path.relative(process.cwd(), backendDirectory) || backendDirectory} ` +
      "(git-ignored).\n" +
      `Secrets: the lab passphrase "${labPassphrase}" (PULUMI_CONFIG_PASSPHRASE), published on purpose: ` +
      "fine for the emulator, never for a real tenant.",
  );
  const target: EntraTarget = { tenantId, endpoints: emulatorEndpoints(emulator.url) };
  const before = await readSsprSettings(target);
  say(`\nBefore (tenant ${tenantId}, as the Entra admin center shows it):\n${formatSsprSettings(before)}`);
  // The tenant's existing risks before the plan, as the rehearsal path says them (issue 27).
  say(`\n${formatTenantRisks(await readTenantRisks(createEntraClient(target), args))}\n`);

  const selected = await run(cli, ["stack", "select", "--create", labStack, "--non-interactive"], env);
  if (selected !== 0) {
    say(`\`pulumi stack select --create ${labStack}\` failed (exit code ${selected}).`);
    return 1;
  }
  // --refresh: the file backend keeps state between lab runs while each run starts a fresh emulator; reading the
  // tenant first lets `up` see the emulator as it is instead of trusting the last run's state.
  const up = await run(cli, ["up", "--yes", "--refresh", "--stack", labStack, "--non-interactive"], env);
  const after = await readSsprSettings(target);
  say(`\nAfter:\n${formatSsprSettings(after)}`);
  say(`\nWhat changed:\n${formatSettingChanges(diffSsprSettings(before, after))}`);
  if (up !== 0) {
    say(`\n\`pulumi up\` failed (exit code ${up}); its output above says why.`);
    return 1;
  }
  return 0;
}

export const labUsage =
  "usage: npm run lab [-- --rehearse] [--port N]\n" +
  "  --rehearse  skip the Pulumi CLI and show the run through the CLI-free rehearsal\n" +
  "  --port N    emulator port (default: the one Pulumi.lab.yaml names, 8640; with --rehearse a free one)\n" +
  `  ${cliOverrideVariable}=<path>  use this Pulumi CLI (and only it)`;

export async function main(argv: string[], say: (text: string) => void = (text) => process.stdout.write(`${text}\n`)) {
  let values: { port?: string; rehearse?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: "string" }, rehearse: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (error) {
    say(`${error instanceof Error ? error.message : String(error)}\n${labUsage}`);
    return 2;
  }
  if (values.help === true) {
    say(labUsage);
    return 0;
  }

  const opened = openStack({ stack: labStack, stackDir: repositoryRoot });
  const stackPort = labPort(opened.config);
  const args = opened.args;
  if (args === undefined || stackPort === undefined || !opened.lab) {
    const portProblem = "entra-sspr:endpoints must both be on loopback, graph naming the emulator's port";
    const problems = [...opened.problems, ...(stackPort === undefined || !opened.lab ? [portProblem] : [])];
    say(`${opened.file}: ${problems.join("; ")}`);
    return 1;
  }
  // The rehearsal points the stack at whatever emulator it is given, so it needs no fixed port: 8640 may be taken
  // (another emulator, another lab). Only the Pulumi CLI run needs the port Pulumi.lab.yaml names.
  let port = values.rehearse === true ? 0 : stackPort;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      say(`--port is ${JSON.stringify(values.port)}; allowed: an integer 0-65535 (0 picks a free port)\n${labUsage}`);
      return 2;
    }
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ port, ...emulatorToday() });
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE") {
      say(
        `Port ${port} on 127.0.0.1 is already in use (another emulator, or another program). Stop it and run ` +
          "`npm run lab` again; the lab stack (Pulumi.lab.yaml) expects the emulator on that port.",
      );
      return 1;
    }
    throw error;
  }
  const tenantId = args.tenantId;
  // After a good run, who can now reset (scripts/readiness.ts reads the same emulator).
  const withReadiness = async (code: number): Promise<number> => {
    if (code === 0) say(`\n${await labReadinessLines({ tenantId, endpoints: emulatorEndpoints(emulator.url) }, args)}`);
    return code;
  };
  try {
    say(`Local Entra emulator listening on ${emulator.url} (a fresh default tenant; nothing real is touched).`);
    let tried: CliProbe[] = [];
    if (values.rehearse !== true) {
      say("Looking for the Pulumi CLI (the npm package downloads it at first use; that can take a minute)...");
      const cli = await findPulumiCli(pulumiCandidates(process.env), process.env);
      tried = cli.tried;
      if (cli.found !== undefined) {
        if (emulator.port !== stackPort) {
          say(
            `--port ${port}: the lab stack points at port ${stackPort} (Pulumi.lab.yaml), so \`pulumi up\` needs ` +
              "the emulator there. Drop --port, or add --rehearse.",
          );
          return 1;
        }
        say(`Pulumi CLI: ${cli.found.candidate.label}, ${cli.found.version}.`);
        return await withReadiness(
          await labWithCli(cli.found.candidate.command, emulator, tenantId, say, undefined, args),
        );
      }
      say(`\n${missingCliMessage(tried)}\n`);
    }
    say(
      "Showing the same run through the CLI-free rehearsal instead: the program under mocks, the Entra resources " +
        "through the project's provider plugin, against the emulator. It is not `pulumi up`: no state is kept.\n",
    );
    const result = await rehearse({ stack: labStack, emulatorUrl: emulator.url, log: say });
    return await withReadiness(result.ok ? 0 : 1);
  } finally {
    await emulator.stop();
  }
}
