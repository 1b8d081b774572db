/**
 * `npm run emulator -- [--port 8640] [--host 127.0.0.1] [--allow-remote] [--seed tenant.json] [--throttle N/S] [--latency-ms N]`
 * Prints `listening on <url>` once ready; stops on SIGINT/SIGTERM. Binds to loopback only unless `--allow-remote`
 * (then with a warning): see `localOnly.ts`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseThrottle, type ThrottleOptions } from "./faults";
import { bindHostProblem } from "./localOnly";
import { startEmulator, type TenantSeed } from "./server";

const usage =
  "usage: npm run emulator -- [--port 8640] [--host 127.0.0.1] [--allow-remote] [--seed tenant.json] [--throttle N/S] [--latency-ms N]";

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

function readSeed(file: string): TenantSeed {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    fail(`--seed ${file}: cannot read the file (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return JSON.parse(text) as TenantSeed;
  } catch (error) {
    fail(`--seed ${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

async function main(): Promise<void> {
  let values: {
    port?: string;
    host?: string;
    "allow-remote"?: boolean;
    seed?: string;
    throttle?: string;
    "latency-ms"?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "allow-remote": { type: "boolean" },
        seed: { type: "string" },
        throttle: { type: "string" },
        "latency-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const port = Number(values.port ?? "8640");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port is ${JSON.stringify(values.port)}; allowed: an integer 0-65535 (0 picks a free port)`);
  let throttle: ThrottleOptions | undefined;
  if (values.throttle !== undefined) {
    const parsed = parseThrottle(values.throttle);
    if ("problem" in parsed) fail(parsed.problem);
    throttle = parsed;
  }
  const latencyMs = Number(values["latency-ms"] ?? "0");
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 60_000)
    fail(
      `--latency-ms is ${JSON.stringify(values["latency-ms"])}; allowed: an integer 0-60000 (added to every API answer)`,
    );
  const host = values.host ?? "127.0.0.1";
  const allowRemote = values["allow-remote"] === true;
  const remoteProblem = bindHostProblem(host, allowRemote);
  if (remoteProblem !== undefined) fail(`--${remoteProblem}`);
  const seed = values.seed === undefined ? undefined : readSeed(values.seed);

  let emulator;
  try {
    emulator = await startEmulator({ port, host, allowRemote, seed, throttle, latencyMs });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (allowRemote)
    process.stderr.write(
      `warning: --allow-remote: the emulator on ${host} answers any machine that can reach it and skips its ` +
        "Host/Origin checks; it accepts unsigned tokens and its /_emulator routes rewrite the tenant. Use it only " +
        "on a network you trust.\n",
    );

  // Before anything is printed: whoever reads the first line may stop it at once.
  const stop = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.write(`listening on ${emulator.url}\n`);
  process.stdout.write(howToUse(emulator.url, emulator.state().tenantId));
}

/** What a newcomer needs after the first line (which tools read, so it stays first and alone). */
function howToUse(url: string, tenantId: string): string {
  return [
    `A local Entra tenant (${tenantId}) behind Graph and the admin center's portal API; nothing real is touched.`,
    "  Use it: the lab stack points here (Pulumi.lab.yaml, port 8640): `pulumi up --stack lab`, or without the CLI",
    "    `npm run rehearse -- --stack lab` (which starts an emulator of its own).",
    "  Tokens: any unsigned JWT for this tenant; the lab credential (the default for loopback endpoints) mints them.",
    `  Control routes (loopback, JSON only): GET|PUT ${url}/_emulator/state, POST /_emulator/reset,`,
    "    GET|POST|DELETE /_emulator/faults, GET|DELETE /_emulator/requests (docs/emulator.md).",
    "  Ctrl-C stops it.",
    "",
  ].join("\n");
}

void main();
