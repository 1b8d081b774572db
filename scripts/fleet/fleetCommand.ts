/**
 * `npm run fleet`: every stack of the repository (or those given), or a simulated fleet, checked read-only, side by
 * side: readiness today and on each of Microsoft's dated changes in the next 12 months, drift of the portal and Graph
 * settings against the stack's config, the owner stack, the baseline score and the next date the tenant is exposed
 * to. Writes `fleet.html` (the fleet page) and `fleet.json` beside it, prints one line per tenant (not for a
 * simulated fleet) and ends with exactly one line `fleet: <tenants> tenants, <seconds> s, <failed> failed,
 * <throttled> throttled`.
 *
 * Lab stacks are read from a fresh emulator with the stack applied (as `readiness` reads them). A real stack is read
 * only with `--sign-in`, as the nightly drift job signs in (one app identity per tenant, or one multi-tenant partner
 * app: docs/fleet.md), through the read-only client; without it its row says so and nothing leaves this machine.
 * The pace: at most `--concurrency` tenants at once, and the HTTP layer's retry policy honours every `Retry-After`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { activeCalendar, dayProblem, parseDay, startOfDay } from "../../components/calendar";
import { openStack } from "../../components/openStack";
import { createEntraClient } from "../../provider/http/client";
import { repositoryRoot } from "../stack/repository";
import type { ProviderHost } from "../../engine/providerHost";
import { checkTenant, unreadTenant, type BaselineScore, type TenantResult } from "./tenantCheck";
import { fleetHtml, fleetJson, fleetReport, worstPoint, type FleetReport } from "./fleetPage";

export const fleetUsage =
  "usage: npm run fleet -- [--stack <name> ...] [--stack-dir DIR] [--sign-in] [--out DIR] [--on YYYY-MM-DD]\n" +
  "                        [--concurrency N] [--simulate N [--latency-ms MS] [--app-units N]]\n" +
  "  (no --stack)      every Pulumi.<name>.yaml of the repository (or of --stack-dir)\n" +
  "  --stack NAME      only this stack; repeat for more\n" +
  "  --stack-dir DIR   where the stack files are (default: the repository root)\n" +
  "  --sign-in         read the real tenants of real stacks, read-only, signed in as the drift job is (one app identity\n" +
  "                    per tenant, or a multi-tenant partner app: docs/fleet.md); without it they are listed, not read\n" +
  "  --out DIR         where fleet.html and fleet.json are written (default: fleet-report/)\n" +
  "  --on YYYY-MM-DD   the day judged as today (default: today); the timeline runs 12 months from it\n" +
  "  --concurrency N   tenants checked at once (default: 4 for stacks, 50 for a simulated fleet)\n" +
  "  --simulate N      check N simulated emulator tenants (varied copies of the lab stack applied) instead of stacks,\n" +
  "                    under Graph's documented throttling for one application across them (docs/fleet.md)\n" +
  "  --latency-ms MS   with --simulate: each emulated request answers after MS milliseconds (default 0)\n" +
  "  --app-units N     with --simulate: the per-application budget in resource units per 20 s (default Microsoft's\n" +
  "                    150000); lower it to see the fleet pace itself under throttling\n" +
  "  --json            print the JSON report instead of one line per tenant (the closing line still ends the output)\n" +
  "Exit code: 0 when every tenant was checked, 1 when any check failed, 2 for bad options.";

export interface FleetOptions {
  stacks?: string[];
  stackDir: string;
  signIn: boolean;
  out: string;
  today: Date;
  concurrency?: number;
  simulate?: number;
  latencyMs: number;
  appUnits?: number;
  json: boolean;
}

export function parseFleetArgs(argv: string[]): { options: FleetOptions } | { problems: string[] } {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", multiple: true },
        "stack-dir": { type: "string" },
        "sign-in": { type: "boolean" },
        out: { type: "string" },
        on: { type: "string" },
        concurrency: { type: "string" },
        simulate: { type: "string" },
        "latency-ms": { type: "string" },
        "app-units": { type: "string" },
        json: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { problems: [error instanceof Error ? error.message : String(error)] };
  }
  const problems: string[] = [];
  const count = (name: string, min: number): number | undefined => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      problems.push(`--${name} is ${JSON.stringify(raw)}; allowed: a whole number >= ${min}`);
      return undefined;
    }
    return value;
  };
  const onProblem = values.on === undefined ? undefined : dayProblem("--on", values.on);
  if (onProblem !== undefined) problems.push(onProblem);
  const simulate = count("simulate", 1);
  const latencyMs = count("latency-ms", 0) ?? 0;
  const appUnits = count("app-units", 1);
  const concurrency = count("concurrency", 1);
  if (simulate === undefined && (values["latency-ms"] !== undefined || values["app-units"] !== undefined))
    problems.push("--latency-ms and --app-units go with --simulate");
  if (simulate !== undefined && values.stack !== undefined)
    problems.push("--simulate checks simulated tenants, not --stack");
  if (problems.length > 0) return { problems };
  return {
    options: {
      stacks: values.stack as string[] | undefined,
      stackDir: path.resolve((values["stack-dir"] as string | undefined) ?? repositoryRoot),
      signIn: values["sign-in"] === true,
      out: path.resolve((values.out as string | undefined) ?? "fleet-report"),
      today: typeof values.on === "string" ? (parseDay(values.on) as Date) : startOfDay(new Date()),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(simulate === undefined ? {} : { simulate }),
      latencyMs,
      ...(appUnits === undefined ? {} : { appUnits }),
      json: values.json === true,
    },
  };
}

/** Every `Pulumi.<name>.yaml` in the folder (not `Pulumi.yaml`), by name. */
export function stacksIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .flatMap((file) => /^Pulumi\.(.+)\.ya?ml$/i.exec(file)?.[1] ?? [])
    .sort();
}

/** Runs `work` over `items`, at most `limit` at once, results in the items' order. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(runners);
  return results;
}

/** The baseline rules against the stack's plan (rehearsed on an emulator): the same as `npm run compliance`. */
async function baselineOf(stack: string, stackDir: string, host?: ProviderHost): Promise<BaselineScore | undefined> {
  const { compliance } = await import("../checks/complianceCheck");
  const result = await compliance({ stackFile: path.join(stackDir, `Pulumi.${stack}.yaml`), host });
  if (result.report === undefined) return undefined;
  const applicable = result.report.rows.filter((row) => ["pass", "fail", "conflict"].includes(row.status));
  return {
    passed: applicable.filter((row) => row.status === "pass").length,
    applicable: applicable.length,
    failing: applicable
      .filter((row) => row.status !== "pass")
      .map((row) => ({ rule: row.rule, setting: row.setting, message: row.message })),
  };
}

/** A check failed when it threw or when a read was refused for a reason other than a permission or licence. */
export function failedCheck(result: TenantResult): boolean {
  return (
    (result.notRead !== undefined && result.notRead.startsWith("check failed")) ||
    result.problems.some((problem) => /\b(429|5\d\d)\b|retries exhausted/.test(problem))
  );
}

async function checkStack(stack: string, options: FleetOptions, host?: ProviderHost): Promise<TenantResult> {
  const opened = openStack({ stack, stackDir: options.stackDir });
  if (opened.args === undefined)
    return unreadTenant(
      stack,
      "(unknown)",
      "real",
      `check failed: the stack does not open: ${opened.problems.join("; ")}`,
    );
  const args = opened.args;
  const calendar = activeCalendar();
  const baseline = await baselineOf(stack, options.stackDir, host).catch(() => undefined);
  if (!opened.lab) {
    if (!options.signIn)
      return unreadTenant(
        stack,
        args.tenantId,
        "real",
        "a real tenant: run with --sign-in to read it (read-only; docs/fleet.md says what identity it needs)",
        baseline,
      );
    try {
      const client = createEntraClient({ tenantId: args.tenantId, endpoints: opened.endpoints });
      return await checkTenant({
        stack,
        source: "real",
        tenantId: args.tenantId,
        client,
        args,
        today: options.today,
        calendar,
        baseline,
      });
    } catch (error) {
      return unreadTenant(
        stack,
        args.tenantId,
        "real",
        `check failed: ${error instanceof Error ? error.message : String(error)}`,
        baseline,
      );
    }
  }
  // A lab stack: a fresh emulator with the stack applied, as readiness reads it (loaded only here).
  const { openStackTenant } = await import("../readiness/stackTenant");
  const tenant = await openStackTenant({
    stack,
    stackDir: options.stackDir,
    host,
    today: options.today.toISOString().slice(0, 10),
  });
  if ("problems" in tenant)
    return unreadTenant(stack, args.tenantId, "lab", `check failed: ${tenant.problems.join("; ")}`, baseline);
  try {
    return await checkTenant({
      stack,
      source: "lab",
      tenantId: tenant.target.tenantId,
      client: tenant.client,
      args,
      today: options.today,
      calendar,
      baseline,
    });
  } finally {
    await tenant.close();
  }
}

async function simulatedFleet(
  options: FleetOptions & { simulate: number },
  host?: ProviderHost,
): Promise<{ results: TenantResult[]; throttled: number; early: number }> {
  const [{ startEmulator, GraphLimits, documentedGraphLimits }, { rehearse }, { checkSimulatedTenant }] =
    await Promise.all([import("../../emulator/server"), import("../rehearse/rehearse"), import("./simulate")]);
  const stack = "lab";
  const opened = openStack({ stack, stackDir: repositoryRoot });
  if (opened.args === undefined) throw new Error(`stack lab does not open: ${opened.problems.join("; ")}`);
  // The base tenant: the lab stack applied once, through the provider plugin, to an emulator without limits.
  const baseEmulator = await startEmulator({ port: 0, today: options.today.toISOString().slice(0, 10) });
  let base;
  try {
    const applied = await rehearse({ stack, stackDir: repositoryRoot, emulatorUrl: baseEmulator.url, host });
    if (!applied.ok) throw new Error(`applying stack lab to the base tenant: ${applied.errors.join("; ")}`);
    base = baseEmulator.state();
  } finally {
    await baseEmulator.stop();
  }
  const baseline = await baselineOf(stack, repositoryRoot, host);
  const limits = new GraphLimits(
    options.appUnits === undefined
      ? documentedGraphLimits
      : {
          ...documentedGraphLimits,
          app: { ...documentedGraphLimits.app, units: { limit: options.appUnits, windowMs: 20_000 } },
        },
  );
  const indexes = Array.from({ length: options.simulate }, (_, index) => index);
  const calendar = activeCalendar();
  const results = await inPool(indexes, options.concurrency ?? 50, (index) =>
    checkSimulatedTenant({
      base,
      args: opened.args as NonNullable<typeof opened.args>,
      stack: "simulated",
      index,
      limits,
      latencyMs: options.latencyMs,
      today: options.today,
      calendar,
      baseline,
    }).catch((error: unknown) =>
      unreadTenant(
        `simulated-${index}`,
        "",
        "simulated",
        `check failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    ),
  );
  return { results, throttled: limits.counts.throttled, early: limits.counts.early };
}

/** One line per tenant, for a person reading the terminal. */
export function tenantLine(result: TenantResult): string {
  if (result.notRead !== undefined) return `${result.stack} (${result.tenant}): not read: ${result.notRead}`;
  const today = result.readiness[0];
  const worst = worstPoint(result);
  const exposure =
    result.nextExposure === undefined
      ? "no dated exposure in 12 months"
      : `exposed ${result.nextExposure.date} (${result.nextExposure.loses} lose reset)`;
  const baseline =
    result.baseline === undefined
      ? "baseline not scored"
      : `baseline ${result.baseline.passed}/${result.baseline.applicable}`;
  return (
    `${result.stack} (${result.tenant}, ${result.source}): ${today.canReset} of ${today.people} can reset today, ` +
    `${worst?.canReset ?? 0} at worst (${worst?.date ?? "-"}); ${exposure}; drift ${result.driftUnread === undefined ? result.drift.length : "unknown"}; owner ${result.owner}; ${baseline}`
  );
}

export async function main(
  argv: string[],
  say: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
  host?: ProviderHost,
): Promise<number> {
  const parsed = parseFleetArgs(argv);
  if ("problems" in parsed) {
    say(`${parsed.problems.join("\n")}\n${fleetUsage}`);
    return 2;
  }
  const options = parsed.options;
  const started = Date.now();
  let results: TenantResult[];
  let throttled = 0;
  let early = 0;
  if (options.simulate !== undefined) {
    ({ results, throttled, early } = await simulatedFleet({ ...options, simulate: options.simulate }, host));
  } else {
    const stacks = options.stacks ?? stacksIn(options.stackDir);
    results = await inPool(stacks, options.concurrency ?? 4, (stack) => checkStack(stack, options, host));
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const failed = results.filter(failedCheck).length;
  const report: FleetReport = fleetReport(
    {
      today: options.today.toISOString().slice(0, 10),
      generatedAt: new Date().toISOString(),
      seconds,
      failed,
      throttled,
    },
    results,
  );
  fs.mkdirSync(options.out, { recursive: true });
  fs.writeFileSync(path.join(options.out, "fleet.json"), fleetJson(report));
  fs.writeFileSync(path.join(options.out, "fleet.html"), fleetHtml(report));
  if (options.json) say(fleetJson(report).trimEnd());
  else if (options.simulate === undefined) for (const result of report.tenants) say(tenantLine(result));
  say(`wrote ${path.join(options.out, "fleet.html")} and fleet.json`);
  if (early > 0) say(`warning: ${early} requests came back before their Retry-After`);
  say(`fleet: ${report.totals.tenants} tenants, ${seconds} s, ${failed} failed, ${throttled} throttled`);
  return failed > 0 || early > 0 ? 1 : 0;
}
