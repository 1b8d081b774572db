/**
 * What `npm run readiness` and `npm run doctor` share: their options (`--stack`, `--stack-file`, `--seed`,
 * `--emulator`, `--json`), opening the stack's tenant and reading it once. Thin: the work is in the modules beside this one.
 */
import { emulatorToday } from "../stack/emulatorToday";
import { createEntraClient } from "../../provider/http/client";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { parseStackCommandLine } from "../stack/stackCommandLine";
import { activeCalendar, dayProblem, parseDay, startOfDay } from "../../components/calendar";
import { todayFor, type OnDay } from "../../components/methodCatalogue";
import { readinessTimeline, timelineLines } from "../../components/readiness/timeline";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { assessReadiness } from "../../components/readiness/readinessReport";
import { readinessSummaryLine } from "./words";
import { emulatorUrlProblem, openStackTenant, type StackTenant, type StackTenantOptions } from "./stackTenant";
import { readTenantSnapshot } from "../../provider/reader/readinessSnapshot";
import type { TenantSnapshot } from "../../components/readiness/readinessTypes";

export interface CommonOptions extends StackTenantOptions {
  json: boolean;
  user?: string;
  /** The day judged (`--on`), midnight UTC; absent: today. */
  on?: Date;
}

export function parseCommonArgs(
  argv: string[],
  withUser: boolean,
): { options: CommonOptions } | { problems: string[] } {
  const { values, stack, stackFile, json, problems } = parseStackCommandLine(argv, {
    seed: { type: "string" },
    emulator: { type: "boolean" },
    "emulator-url": { type: "string" },
    on: { type: "string" },
    ...(withUser ? { user: { type: "string" as const } } : {}),
  });
  const onProblem = values.on === undefined ? undefined : dayProblem("--on", values.on);
  if (onProblem !== undefined) problems.push(onProblem);
  const emulatorUrl = typeof values["emulator-url"] === "string" ? values["emulator-url"] : undefined;
  problems.push(...runningEmulatorProblems(emulatorUrl, values));
  if (withUser && (typeof values.user !== "string" || !values.user.includes("@")))
    problems.push(
      `--user is ${JSON.stringify(values.user)}; a user principal name such as c.vogel@munyakazi.org is required`,
    );
  if (problems.length > 0) return { problems };
  return {
    options: {
      stack,
      stackFile,
      seed: values.seed as string | undefined,
      emulator: values.emulator === true,
      ...(emulatorUrl === undefined ? {} : { emulatorUrl }),
      json,
      user: values.user as string | undefined,
      ...(typeof values.on === "string" && onProblem === undefined ? { on: parseDay(values.on) } : {}),
    },
  };
}

/** The problems of `--emulator-url` on a command line: not loopback, or given with a fresh emulator's options. */
export function runningEmulatorProblems(
  emulatorUrl: string | undefined,
  values: Record<string, string | boolean | undefined>,
): string[] {
  if (emulatorUrl === undefined) return [];
  const problems: string[] = [];
  const problem = emulatorUrlProblem(emulatorUrl);
  if (problem !== undefined) problems.push(problem);
  for (const fresh of ["seed", "emulator"])
    if (values[fresh] !== undefined)
      problems.push(`give --emulator-url or --${fresh}, not both: --${fresh} starts a fresh emulator`);
  return problems;
}

/** The `--help` lines of `--emulator-url`, the same for every command that reads a tenant. */
export const emulatorUrlUsage =
  "  --emulator-url URL   read the emulator already running at URL (loopback only, such as http://127.0.0.1:8640)\n" +
  "                       as it is: the stack is not applied to it, and it is left running. Without this flag, a\n" +
  "                       lab stack's own endpoints are read when an emulator answers there, else a fresh one starts";

/** Opens the tenant, reads it (one user or all), closes it. */
export async function readStackTenant(
  options: CommonOptions,
): Promise<{ tenant: Omit<StackTenant, "close" | "client">; snapshot: TenantSnapshot } | { problems: string[] }> {
  const opened = await openStackTenant({
    ...options,
    ...(options.on === undefined ? {} : { today: options.on.toISOString().slice(0, 10) }),
  });
  if ("problems" in opened) return opened;
  try {
    const snapshot = await readTenantSnapshot(opened.client, opened.target.tenantId, {
      userPrincipalName: options.user,
    });
    return { tenant: opened, snapshot };
  } finally {
    await opened.close();
  }
}

/**
 * Who loses reset on each dated change of Microsoft's calendar in the next 12 months and the config change that
 * keeps them, then the summary line for today, for a tenant that is already set up (the lab's emulator after its run).
 */
export async function labReadinessLines(
  target: EntraTarget,
  args: SelfServicePasswordResetArgs,
  now = new Date(),
): Promise<string> {
  const snapshot = await readTenantSnapshot(createEntraClient(target), target.tenantId);
  // The lab's emulator may live on another day (ENTRA_SSPR_EMULATOR_TODAY): judge that day.
  const emulatorDay = emulatorToday().today;
  const day = judgedDay(
    { json: false, ...(emulatorDay === undefined ? {} : { on: parseDay(emulatorDay) }) },
    args,
    now,
  );
  const calendar = day.calendar ?? activeCalendar();
  const timeline = readinessTimeline(snapshot, day, args.methods);
  // The summary of today comes last: the lab ends with it, the dated changes ahead above it.
  return [...timelineLines(timeline, calendar), readinessSummaryLine(assessReadiness(snapshot, day))].join("\n");
}

/** The day a command judges (`--on`, else today), with the tenant's own facts from the stack and the calendar in use. */
export function judgedDay(options: CommonOptions, args: SelfServicePasswordResetArgs, now = new Date()): OnDay {
  return todayFor(args, options.on ?? startOfDay(now));
}
