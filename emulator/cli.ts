/**
 * `npm run emulator -- [--port 8640] [--host 127.0.0.1] [--allow-remote] [--seed tenant.json] [--throttle N/S]
 * [--latency-ms N] [--today YYYY-MM-DD] [--microsoft-changes apply|hold]`
 * Prints `listening on <url>` once ready; stops on SIGINT/SIGTERM. Binds to loopback only unless `--allow-remote`
 * (then with a warning): see `localOnly.ts`. The date: `--today`, else `ENTRA_SSPR_EMULATOR_TODAY`, else the seed's
 * `today`, else the machine's (`emulatorCalendar.ts`).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseCalendarDate, todayEnvironmentVariable, todayFromEnvironment } from "./emulatorCalendar";
import { parseThrottle, type ThrottleOptions } from "./faults";
import { bindHostProblem } from "./localOnly";
import { startEmulator, type CalendarView, type MicrosoftChangesMode, type TenantSeed } from "./server";

const usage =
  "usage: npm run emulator -- [--port 8640] [--host 127.0.0.1] [--allow-remote] [--seed tenant.json] [--throttle N/S] " +
  "[--latency-ms N] [--today YYYY-MM-DD] [--microsoft-changes apply|hold]\n" +
  "  A local Entra tenant (Graph and the portal API) until Ctrl-C; prints `listening on <url>` once ready.\n" +
  "  --port N                      the port to listen on (default 8640; 0 = a free one)\n" +
  "  --host ADDRESS                the address to bind (default 127.0.0.1: loopback only)\n" +
  "  --allow-remote                allow a --host other than loopback (with a warning: anyone who reaches it can use it)\n" +
  "  --seed FILE                   start from this tenant (JSON sections replace the sample tenant's; npm run snapshot makes one)\n" +
  "  --throttle N/S                answer 429 with Retry-After once more than N requests arrive in S seconds, as Graph throttles\n" +
  "  --latency-ms N                wait N milliseconds before each answer, like a real round trip\n" +
  "  --today YYYY-MM-DD            the emulator's date for Microsoft's calendar (default: ENTRA_SSPR_EMULATOR_TODAY, the seed's, the machine's)\n" +
  "  --microsoft-changes apply|hold  apply: Microsoft's changes due by that date are applied to the tenant at start; hold (default): start as given\n" +
  "  --help, -h                    this text";

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
    today?: string;
    "microsoft-changes"?: string;
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
        today: { type: "string" },
        "microsoft-changes": { type: "string" },
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
  let today: string | undefined;
  if (values.today !== undefined) {
    const parsed = parseCalendarDate(values.today, "--today");
    if ("problem" in parsed) fail(parsed.problem);
    today = parsed.date;
  } else {
    const fromEnvironment = todayFromEnvironment(process.env);
    if ("problem" in fromEnvironment) fail(fromEnvironment.problem);
    today = fromEnvironment.today;
  }
  const changes = values["microsoft-changes"];
  if (changes !== undefined && changes !== "apply" && changes !== "hold")
    fail(`--microsoft-changes is ${JSON.stringify(changes)}; allowed: apply, hold`);
  const microsoftChanges = changes as MicrosoftChangesMode | undefined;
  const seed = values.seed === undefined ? undefined : readSeed(values.seed);

  let emulator;
  try {
    emulator = await startEmulator({ port, host, allowRemote, seed, throttle, latencyMs, today, microsoftChanges });
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
  process.stdout.write(howToUse(emulator.url, emulator.state().tenantId, emulator.calendar()));
}

/** The emulator's date and what Microsoft changed by then, in a line or two. */
function dateLine(calendar: CalendarView): string {
  const applied = calendar.entries.filter((entry) => entry.applied !== undefined && entry.applied !== null);
  const inEffect = calendar.entries.filter((entry) => entry.kind === "service" && entry.inEffect);
  const parts = [
    `  Date: ${calendar.today}, ${calendar.followsClock ? "the machine's" : "as given"} (another: --today YYYY-MM-DD, ` +
      `${todayEnvironmentVariable}, or PUT /_emulator/today).`,
  ];
  const held = calendar.entries.filter((entry) => entry.reached && entry.applied === null);
  const named = (entries: typeof calendar.entries): string =>
    entries.map((entry) => `${entry.date} ${entry.id}`).join(", ");
  if (applied.length > 0 || inEffect.length > 0)
    parts.push(
      `    Microsoft's dated changes in effect: ${named([...applied, ...inEffect])} (GET /_emulator/calendar).`,
    );
  if (held.length > 0)
    parts.push(
      `    Not applied, the tenant starts as given: ${named(held)} (--microsoft-changes apply applies what is due).`,
    );
  return parts.join("\n");
}

/** What a newcomer needs after the first line (which tools read, so it stays first and alone). */
function howToUse(url: string, tenantId: string, calendar: CalendarView): string {
  return [
    `A local Entra tenant (${tenantId}) behind Graph and the admin center's portal API; nothing real is touched.`,
    "  Use it: the lab stack points here (Pulumi.lab.yaml, port 8640): `pulumi up --stack lab`, or without the CLI",
    "    `npm run rehearse -- --stack lab` (which starts an emulator of its own).",
    "  Tokens: any unsigned JWT for this tenant; the lab credential (the default for loopback endpoints) mints them.",
    `  Control routes (loopback, JSON only): GET|PUT ${url}/_emulator/state, POST /_emulator/reset,`,
    "    GET|POST|DELETE /_emulator/faults, GET|DELETE /_emulator/requests, GET|PUT /_emulator/today,",
    "    GET /_emulator/calendar, GET|PUT /_emulator/telephony (docs/emulator.md).",
    dateLine(calendar),
    "  Ctrl-C stops it.",
    "",
  ].join("\n");
}

void main();
