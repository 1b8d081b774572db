/**
 * One tenant of the fleet, checked read-only: who can reset today and on each of Microsoft's calendar dates in the
 * next 12 months (readiness and its timeline), the portal and Graph settings against the stack's config (drift), the
 * owner stack (the ownership mark), the baseline score (the stack's plan against the baseline rules, computed by the
 * caller because it depends on the config only) and the next date the tenant is exposed to.
 *
 * The reads are the commands' own: `readTenantSnapshot` (the one tenant reader, read-only client) and `readMark`.
 * The snapshot already holds the three SSPR documents, so drift costs no request of its own. The judgement
 * (`judgeTenant`) is pure, so the page and the tests can build results without a tenant.
 */
import type { EntraClient } from "../../provider/http/httpTypes";
import { readOnly, readTenantSnapshot } from "../../provider/reader/readinessSnapshot";
import { readMark, describeOwner } from "../../provider/ownership/ownershipMark";
import { assessReadiness, type ReadinessCounts } from "../../components/readiness/readinessReport";
import { readinessTimeline } from "../../components/readiness/timeline";
import type { Calendar } from "../../components/calendar";
import { adminCenterSettings } from "../../components/mapping";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { TenantSnapshot } from "../../components/readiness/readinessTypes";
import { describeSsprSettings } from "../rehearse/tenantReport";

/** Where the tenant was read. */
export type TenantSource = "lab" | "real" | "simulated";

export interface BaselineScore {
  /** Rules passed, of the rules that apply (pass + fail + conflict). */
  passed: number;
  applicable: number;
  /** The failing or conflicting rules, each with its message (the fix). */
  failing: { rule: string; setting: string; message: string }[];
}

export interface DriftLine {
  setting: string;
  /** What the stack's config says. */
  expected: string;
  /** What the tenant has. */
  actual: string;
}

export interface DatedReadiness {
  /** `YYYY-MM-DD`: today, then each calendar date ahead. */
  date: string;
  /** The calendar entry's title; "today" for the first. */
  what: string;
  canReset: number;
  people: number;
  /** People who could reset the day before and cannot from this date. */
  loses: number;
  /** The config changes that keep them, in words. */
  fixes: string[];
}

export interface TenantResult {
  stack: string;
  tenant: string;
  source: TenantSource;
  /** Why nothing could be read (a real stack without `--sign-in`, a failed sign-in); the rest is empty then. */
  notRead?: string;
  /** Today, then each calendar date in the next 12 months. */
  readiness: DatedReadiness[];
  /** Why some people could not be judged (a permission or licence missing). */
  problems: string[];
  drift: DriftLine[];
  /** Why drift could not be told (a document unread: the portal API needs a person's sign-in); `drift` is empty then. */
  driftUnread?: string;
  /** "stack lab (claim ...)", "none" (no mark) or "unknown: <why>". */
  owner: string;
  baseline?: BaselineScore;
  /** The first date from today on where somebody who could reset before cannot; undefined when none in 12 months. */
  nextExposure?: { date: string; loses: number; what: string };
  /** 0..1: the share of people unable to reset at the worst point of the 12 months (the page sorts by it). */
  risk: number;
}

const text = (value: string | number | string[]): string =>
  Array.isArray(value) ? [...value].sort().join(", ") : String(value);

/** The settings the stack manages that the tenant does not have as configured (labels as in the admin center). */
export function driftOf(snapshot: TenantSnapshot, args: SelfServicePasswordResetArgs): DriftLine[] {
  if (
    snapshot.portal === undefined ||
    snapshot.methodsPolicy === undefined ||
    snapshot.authorizationPolicy === undefined
  )
    return [];
  const actual = new Map(
    describeSsprSettings(snapshot.portal, snapshot.methodsPolicy, snapshot.authorizationPolicy).lines.map((line) => [
      line.setting,
      line.value,
    ]),
  );
  const drift: DriftLine[] = [];
  for (const [setting, value] of Object.entries(adminCenterSettings(args))) {
    const found = actual.get(setting);
    if (found === undefined) continue; // a setting the tenant report does not show (the methods' own rows)
    const expected = text(value);
    // The report lists methods comma-separated in its own order; compare them as sets.
    const have = Array.isArray(value) ? text(found === "None" ? [] : found.split(", ")) : found;
    if (have !== expected) drift.push({ setting, expected, actual: found });
  }
  return drift;
}

/** Drift needs the three SSPR documents; which were not read, and why. */
function driftUnreadOf(snapshot: TenantSnapshot): { driftUnread?: string } {
  const missing = (
    [
      ["the password reset policy (portal API)", snapshot.portal],
      ["the authentication methods policy", snapshot.methodsPolicy],
      ["the authorization policy", snapshot.authorizationPolicy],
    ] as const
  ).flatMap(([what, document]) => (document === undefined ? [what] : []));
  return missing.length === 0 ? {} : { driftUnread: `not read: ${missing.join(", ")} (see problems)` };
}

const people = (counts: ReadinessCounts): number => counts.canReset + counts.cannotReset + counts.undetermined;

/** Everything but the reads: the snapshot judged today and on each calendar date, and the drift. Pure. */
export function judgeTenant(input: {
  stack: string;
  source: TenantSource;
  snapshot: TenantSnapshot;
  args: SelfServicePasswordResetArgs;
  today: Date;
  calendar: Calendar;
  owner: string;
  baseline?: BaselineScore;
}): TenantResult {
  const { snapshot, args, today, calendar } = input;
  const facts = { ownTelephonyProvider: args.ownTelephonyProvider === true };
  const now = assessReadiness(snapshot, { date: today, tenant: facts, calendar });
  const timeline = readinessTimeline(snapshot, { date: today, tenant: facts, calendar }, args.methods);
  const readiness: DatedReadiness[] = [
    {
      date: timeline.from,
      what: "today",
      canReset: now.counts.canReset,
      people: people(now.counts),
      loses: now.counts.cannotReset,
      fixes: [],
    },
    ...timeline.steps.map((step) => ({
      date: step.entry.date,
      what: step.entry.title,
      canReset: step.counts.canReset,
      people: people(step.counts),
      loses: step.loses.users.length + step.loses.administrators.length,
      fixes: step.fixes.map((fix) => fix.words),
    })),
  ];
  const exposed = readiness.slice(1).find((point) => point.loses > 0);
  const risk = Math.max(...readiness.map((point) => (point.people === 0 ? 0 : 1 - point.canReset / point.people)));
  return {
    stack: input.stack,
    tenant: snapshot.tenantId,
    source: input.source,
    readiness,
    problems: [
      ...new Set(snapshot.problems.map((problem) => `${problem.what}: ${problem.message} (needs ${problem.needs})`)),
    ],
    drift: driftOf(snapshot, args),
    ...driftUnreadOf(snapshot),
    owner: input.owner,
    ...(input.baseline === undefined ? {} : { baseline: input.baseline }),
    ...(exposed === undefined
      ? {}
      : { nextExposure: { date: exposed.date, loses: exposed.loses, what: exposed.what } }),
    risk: Math.round(risk * 1000) / 1000,
  };
}

/** Reads one tenant (read-only) and judges it. Throws only for what no result can say (a bug). */
export async function checkTenant(input: {
  stack: string;
  source: TenantSource;
  tenantId: string;
  client: EntraClient;
  args: SelfServicePasswordResetArgs;
  today: Date;
  calendar: Calendar;
  baseline?: BaselineScore;
}): Promise<TenantResult> {
  const client = readOnly(input.client);
  const snapshot = await readTenantSnapshot(client, input.tenantId);
  const organization = typeof snapshot.organization?.id === "string" ? snapshot.organization.id : input.tenantId;
  let owner: string;
  try {
    const mark = await readMark(client, organization);
    owner = mark === undefined ? "none" : describeOwner(mark);
  } catch (error) {
    owner = `unknown: ${error instanceof Error ? error.message : String(error)}`;
  }
  return judgeTenant({ ...input, snapshot, owner });
}

/** A tenant that was not read, with the reason. */
export function unreadTenant(
  stack: string,
  tenant: string,
  source: TenantSource,
  reason: string,
  baseline?: BaselineScore,
): TenantResult {
  return {
    stack,
    tenant,
    source,
    notRead: reason,
    readiness: [],
    problems: [],
    drift: [],
    owner: "unknown: not read",
    ...(baseline === undefined ? {} : { baseline }),
    risk: 1,
  };
}
