/**
 * `npm run bench -- [--runs 3] [--latency-ms 200] [--tenants 1,10] [--scale-stacks runbook] [--workers <cores>] [--json]`
 *
 * Requests, wall time and state size of each operation (first up, no-op up, refresh, drift converge, destroy with
 * restore) and of the whole lifecycle, for the runbook stack and the full stack, through the program, Pulumi's
 * provider plugin and the emulator, beside four peers run against their own emulators in the same run
 * (`scripts/bench/peers.ts`: Microsoft365DSC's Test/Set, the azuread provider's pattern, Microsoft's msgraph provider, always-PATCH); then our
 * lifecycle at scale, sequential and spread over worker threads. The last line is the summary figure. The measuring
 * lives in `scripts/bench/`. The tables in docs/request-economy.md come from the defaults.
 */
import { parseArgs } from "node:util";
import { runBench } from "./run";
import { formatBench } from "./table";
import { startProviderPlugin } from "../../engine/providerHost";
import { repositoryRoot } from "../stack/repository";

export const benchUsage =
  "usage: npm run bench -- [--runs 3] [--latency-ms 200] [--tenants 1,10] [--scale-stacks runbook] [--workers N] [--json]\n" +
  "  Requests, wall time and state size per operation, beside four peers, all against local emulators.\n" +
  "  --runs N             repeat each measurement N times and report the median (default 3)\n" +
  "  --latency-ms N       the emulators wait N ms before each answer, like a real round trip (default 200; 0\n" +
  "                       measures no round-trip depth)\n" +
  "  --tenants LIST       the tenant counts of the scale run, comma-separated (default 1,10)\n" +
  "  --scale-stacks LIST  which stacks the scale run applies: runbook, full (default runbook)\n" +
  "  --workers N          worker threads for the parallel scale run (default: the machine's cores)\n" +
  "  --json               print the figures as JSON\n" +
  "  --help, -h           this text";

/**
 * Long enough against the local work (about 20-150 ms per operation on this project's 2-core machine) that the
 * depth measured from wall time is the round trips, not the machine; the figures in docs/request-economy.md use it.
 */
const defaultLatencyMs = 200;

function integer(name: string, value: string | undefined, fallback: number, max: number, min = 0): number {
  const parsed = Number(value ?? fallback);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`--${name} is ${JSON.stringify(value)}; allowed: an integer ${min}-${max}`);
  }
  return parsed;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: "string" },
      "latency-ms": { type: "string" },
      tenants: { type: "string" },
      "scale-stacks": { type: "string" },
      workers: { type: "string" },
      json: { type: "boolean" },
    },
    strict: true,
  });
  const runs = Math.max(1, integer("runs", values.runs, 3, 100));
  const latencyMs = integer("latency-ms", values["latency-ms"], defaultLatencyMs, 60_000);
  const tenants = (values.tenants ?? "1,10").split(",").map((one) => integer("tenants", one, 1, 500));
  const scaleStacks = (values["scale-stacks"] ?? "runbook").split(",");
  const workers = values.workers === undefined ? undefined : integer("workers", values.workers, 1, 64, 1);
  if (scaleStacks.some((name) => name !== "runbook" && name !== "full")) {
    throw new Error(`--scale-stacks is ${JSON.stringify(values["scale-stacks"])}; allowed: runbook, full`);
  }
  const host = await startProviderPlugin({ cwd: repositoryRoot });
  // The program warns on every run it makes (the calendar's dated changes, for the runbook): said once here.
  const restoreWarn = warnOnce();
  try {
    const result = await runBench({
      host,
      runs,
      latencyMs,
      tenants,
      scaleStacks: scaleStacks as ("runbook" | "full")[],
      workers,
    });
    process.stdout.write(
      values.json === true ? `${JSON.stringify(result, null, 2)}\n` : `${formatBench(result, { runs, latencyMs })}\n`,
    );
    return result.notRestored.length === 0 ? 0 : 1;
  } finally {
    restoreWarn();
    await host.stop();
  }
}

/** Prints each distinct `console.warn` line once; returns what puts `console.warn` back. */
function warnOnce(): () => void {
  const original = console.warn;
  const said = new Set<string>();
  console.warn = (...args: unknown[]) => {
    const line = args.map(String).join(" ");
    if (said.has(line)) return;
    said.add(line);
    original(...args);
  };
  return () => {
    console.warn = original;
  };
}
