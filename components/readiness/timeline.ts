/**
 * Who can reset on each day Microsoft changes the rules: for every calendar entry in the next 12 months that ends a
 * method's purpose, readiness judged on its first day, who loses reset then, and the change that keeps them, counted
 * on the tenant's own registrations ("offer Microsoft Authenticator (methods.authenticatorApp: offer): 12 of the 20
 * already registered it; the other 8 must register by <the day before>"). Pure: the snapshot read once, judged again
 * per day, and judged again with each candidate fix applied to a copy of it.
 */
import {
  activeCalendar,
  dayBefore,
  dayWords,
  parseDay,
  sourceWords,
  upcoming,
  type Calendar,
  type CalendarEntry,
  type TenantCalendarFacts,
} from "../calendar";
import {
  configMethodCatalogue,
  configMethodKeys,
  gateOf,
  gateWords,
  methodWords,
  offeredConfigKeys,
  ssprMethodEndedBy,
  todayFor,
  type ConfigMethodKey,
  type OnDay,
} from "../methodCatalogue";
import { registeredSsprMethods } from "./ssprMethods";
import { diagnose, policyFor } from "./judgement";
import { assessReadiness, type ReadinessCounts, type ReadinessReport } from "./readinessReport";
import type { PersonRecord, TenantSnapshot } from "./readinessTypes";

/** A config change that keeps people who would lose reset, with how many it keeps. */
export interface TimelineFix {
  /** The stack config that makes it (`methods.authenticatorApp: offer`). */
  setting: string;
  /** In words, with the counts: "offer Microsoft Authenticator (methods.authenticatorApp: offer): ...". */
  words: string;
  /** Of those who lose reset: how many can reset that day with the change and what they have registered now. */
  keeps: number;
  alreadyRegistered: number;
  mustRegister: string[];
}

export interface TimelineStep {
  entry: Pick<CalendarEntry, "id" | "date" | "title"> & { source: string };
  /** The users who lose reset, grouped by the methods still counting and offered to them that they lack. */
  lacking: { missing: string[]; users: string[] }[];
  /** Counted after the change, as `counts` and `groups` of a readiness report. */
  counts: ReadinessCounts;
  groups: { users: ReadinessCounts; administrators: ReadinessCounts };
  /** Who could reset the day before and cannot from the entry's first day. */
  loses: { users: string[]; administrators: string[] };
  fixes: TimelineFix[];
}

export interface ReadinessTimeline {
  /** The day judged (YYYY-MM-DD) and the window's months. */
  from: string;
  months: number;
  steps: TimelineStep[];
}

/** The people who can reset by `before` and cannot by `after`. */
function losers(before: ReadinessReport, after: ReadinessReport): { users: string[]; administrators: string[] } {
  const could = new Set(before.rows.filter((row) => row.canReset).map((row) => row.user));
  const lost = after.rows.filter((row) => !row.canReset && could.has(row.user));
  return {
    users: lost.filter((row) => !row.isAdministrator).map((row) => row.user),
    administrators: lost.filter((row) => row.isAdministrator).map((row) => row.user),
  };
}

/** For each user who loses reset: the methods offered to them that still count and that they have not registered. */
function lacking(snapshot: TenantSnapshot, users: readonly string[], on: OnDay): TimelineStep["lacking"] {
  const groups: TimelineStep["lacking"] = [];
  for (const user of users) {
    const person = snapshot.users.find((candidate) => candidate.userPrincipalName === user);
    if (person === undefined) continue;
    const offered = (policyFor(snapshot, person, on).offered ?? []).filter((entry) => entry.offered);
    const registered = new Set(registeredSsprMethods(person.registered ?? [], on).map(gateOf));
    const missing = [...new Set(offered.map((entry) => gateOf(entry.method)))]
      .filter((gate) => !registered.has(gate))
      .map((gate) => gateWords[gate]);
    const key = missing.join(", ");
    const group = groups.find((candidate) => candidate.missing.join(", ") === key);
    if (group === undefined) groups.push({ missing, users: [user] });
    else group.users.push(user);
  }
  return groups;
}

/**
 * A copy of the tenant with the config method offered to all users (or a group), as the stack would set it: each of
 * its configurations enabled with the target added (the phones: Sms and Voice; the office phone: Voice with office
 * phones allowed).
 */
function withMethodOffered(
  snapshot: TenantSnapshot,
  key: ConfigMethodKey,
  targetId = "all_users",
): TenantSnapshot | undefined {
  const row = configMethodCatalogue[key];
  const policy = snapshot.methodsPolicy;
  const read = policy?.authenticationMethodConfigurations;
  if (!Array.isArray(read)) return undefined;
  let configurations: unknown[] = read;
  for (const graph of row.graph) {
    const same = (entry: unknown): boolean =>
      String((entry as Record<string, unknown>).id).toLowerCase() === graph.id.toLowerCase();
    const existing = (configurations.find(same) ?? {}) as Record<string, unknown>;
    const extras = row.own?.methodId === graph.id ? (row.own.targetExtras ?? {}) : {};
    const kept = Array.isArray(existing.includeTargets) ? existing.includeTargets : [];
    configurations = [
      ...configurations.filter((entry) => !same(entry)),
      {
        ...existing,
        ...(graph.facts ?? {}),
        id: graph.id,
        state: "enabled",
        includeTargets: [...kept, { targetType: "group", id: targetId, ...extras }],
      },
    ];
  }
  return { ...snapshot, methodsPolicy: { ...policy, authenticationMethodConfigurations: configurations } };
}

/** A copy of the tenant with one method required. */
function withOneRequired(snapshot: TenantSnapshot): TenantSnapshot | undefined {
  if (snapshot.portal === undefined || snapshot.portal.numberOfAuthenticationMethodsRequired !== 2) return undefined;
  return { ...snapshot, portal: { ...snapshot.portal, numberOfAuthenticationMethodsRequired: 1 } };
}

/** The words of a user's registrations that a config key would count on the day. */
function hasRegistered(person: PersonRecord | undefined, key: ConfigMethodKey, on: OnDay): boolean {
  if (person?.registered === undefined) return false;
  const gates = configMethodCatalogue[key].sspr.map(gateOf);
  return registeredSsprMethods(person.registered, on).some((method) => gates.includes(gateOf(method)));
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/**
 * The config changes that keep people who lose reset at `entry`: each config method not yet offered that still
 * counts that day, then requiring one method where two are required. Each is judged on a copy of the tenant.
 */
function fixesFor(
  snapshot: TenantSnapshot,
  entry: CalendarEntry,
  on: OnDay,
  lost: string[],
  offeredKeys: readonly ConfigMethodKey[],
): TimelineFix[] {
  if (lost.length === 0) return [];
  const people = new Map(snapshot.users.map((person) => [person.userPrincipalName, person]));
  const by = dayBefore(entry.date);
  const fixes: TimelineFix[] = [];
  const kept = (copy: TenantSnapshot): Set<string> =>
    new Set(
      assessReadiness(copy, on)
        .rows.filter((row) => row.canReset)
        .map((row) => row.user),
    );
  for (const key of configMethodKeys) {
    const row = configMethodCatalogue[key];
    if (offeredKeys.includes(key) || row.preview === true) continue;
    // Only a method still serving password reset that day can keep anybody.
    if (row.sspr.every((method) => ssprMethodEndedBy(method, on) !== undefined)) continue;
    const copy = withMethodOffered(snapshot, key);
    if (copy === undefined) continue;
    const keptNow = kept(copy);
    const already = lost.filter((user) => hasRegistered(people.get(user), key, on));
    const keeps = lost.filter((user) => keptNow.has(user)).length;
    const mustRegister = lost.filter((user) => !already.includes(user));
    const setting = `methods.${key}: offer`;
    fixes.push({
      setting,
      words:
        `offer ${row.words} (${setting}): ${already.length} of the ${lost.length} already registered it` +
        (mustRegister.length > 0
          ? `; the other ${mustRegister.length} must register by ${by} (https://aka.ms/mysecurityinfo)`
          : "") +
        (keeps !== already.length ? ` (as registered today, it keeps ${keeps} of them)` : ""),
      keeps,
      alreadyRegistered: already.length,
      mustRegister,
    });
  }
  const oneRequired = withOneRequired(snapshot);
  if (oneRequired !== undefined) {
    const keptNow = kept(oneRequired);
    const keeps = lost.filter((user) => keptNow.has(user)).length;
    if (keeps > 0)
      fixes.push({
        setting: "methodsRequired: 1",
        words: `require one method (methodsRequired: 1): ${keeps} of the ${lost.length} could then reset, with less assurance`,
        keeps,
        alreadyRegistered: keeps,
        mustRegister: [],
      });
  }
  if (entry.ends?.unless === "ownTelephonyProvider")
    fixes.push({
      setting: "ownTelephonyProvider: true",
      words:
        "if the tenant contracts its own telephony provider for SMS and voice, say so " +
        "(sspr:settings.ownTelephonyProvider: true): then nobody loses a phone method",
      keeps: lost.length,
      alreadyRegistered: lost.length,
      mustRegister: [],
    });
  // The methods first, most already registered first; then fewer methods; then the tenant's own telephony.
  const methods = fixes.filter((fix) => fix.setting.startsWith("methods."));
  return [
    ...methods.sort((a, b) => b.alreadyRegistered - a.alreadyRegistered || b.keeps - a.keeps),
    ...fixes.filter((fix) => !fix.setting.startsWith("methods.")),
  ];
}

/**
 * The timeline from the day judged for 12 months: one step per calendar entry that ends a purpose of some method,
 * each judged against the day before it (so a step's losers are the people that entry takes reset from). `methods`:
 * the stack's `sspr:settings.methods` (the fixes offer what it does not).
 */
export function readinessTimeline(
  snapshot: TenantSnapshot,
  from: OnDay,
  methods: unknown,
  months = 12,
): ReadinessTimeline {
  const calendar = from.calendar ?? activeCalendar();
  const options = { from: from.date, tenant: from.tenant, calendar, offeredKeys: offeredConfigKeys(methods) };
  const day = (date: Date): OnDay => ({ date, tenant: options.tenant, calendar });
  let previous = assessReadiness(snapshot, day(options.from));
  const steps: TimelineStep[] = [];
  for (const entry of upcoming(options.from, months, options.calendar)) {
    if (entry.ends === undefined) continue;
    const date = parseDay(entry.date) as Date;
    const after = assessReadiness(snapshot, day(date));
    const loses = losers(previous, after);
    steps.push({
      entry: { id: entry.id, date: entry.date, title: entry.title, source: entry.sources[0]?.url ?? "" },
      lacking: lacking(snapshot, loses.users, day(date)),
      counts: after.counts,
      groups: { users: after.groups.users, administrators: after.groups.administrators },
      loses,
      fixes: fixesFor(snapshot, entry, day(date), loses.users, options.offeredKeys ?? []),
    });
    previous = after;
  }
  return { from: options.from.toISOString().slice(0, 10), months, steps };
}

/** The timeline in lines, for readiness, doctor and the lab. */
export function timelineLines(timeline: ReadinessTimeline, calendar: Calendar): string[] {
  if (timeline.steps.length === 0)
    return [
      `Microsoft's calendar: no announced change in the ${timeline.months} months from ${dayWords(timeline.from)} ends a reset method.`,
    ];
  return timeline.steps.flatMap((step) => {
    const entry = calendar.find((candidate) => candidate.id === step.entry.id) as CalendarEntry;
    const { users, administrators } = step.groups;
    const lost = step.loses.users.length + step.loses.administrators.length;
    const head =
      `From ${dayWords(step.entry.date)}: ${step.entry.title} ${sourceWords(entry)}. ` +
      `${users.canReset} of ${users.users} users and ${administrators.canReset} of ${administrators.users} ` +
      `administrators can reset` +
      (lost === 0 ? "; nobody loses it." : `; ${lostWords(step.loses)} lose it.`);
    const who = step.lacking.map((group) =>
      group.missing.length === 0
        ? `  ${plural(group.users.length, "user is", "users are")} offered too few methods that still count: ${someOf(group.users)}.`
        : `  ${plural(group.users.length, "user has", "users have")} not registered ${group.missing.join(" or ")}: ${someOf(group.users)}.`,
    );
    const fixes = step.fixes.map((fix, index) => `  ${index === 0 ? "To keep them" : "Or"}: ${fix.words}.`);
    const admins =
      step.loses.administrators.length > 0
        ? [
            `  Administrators reset under the administrator policy (two methods, whatever the stack offers): ` +
              `${step.loses.administrators.join(", ")} must register another method, such as ` +
              `${gateWords.mobileApp} or ${methodWords.email}, by ${dayBefore(step.entry.date)} (https://aka.ms/mysecurityinfo).`,
          ]
        : [];
    return [head, ...who, ...fixes, ...admins];
  });
}

function lostWords(loses: { users: string[]; administrators: string[] }): string {
  const parts: string[] = [];
  if (loses.users.length > 0) parts.push(`${plural(loses.users.length, "user", "users")} (${someOf(loses.users)})`);
  if (loses.administrators.length > 0)
    parts.push(
      `${plural(loses.administrators.length, "administrator", "administrators")} (${someOf(loses.administrators)})`,
    );
  return parts.join(" and ");
}

function someOf(names: string[]): string {
  return names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`;
}

/** One person on each dated change: whether they can still reset after it, why not, and the first fix. */
export interface PersonStep {
  entry: TimelineStep["entry"];
  canReset: boolean;
  /** The blocking check that fails after the change, in words. */
  why?: string;
  fix?: string;
}

export function personTimeline(
  snapshot: TenantSnapshot,
  userPrincipalName: string,
  options: { from: Date; tenant?: TenantCalendarFacts; calendar: Calendar; months?: number },
): PersonStep[] {
  return upcoming(options.from, options.months ?? 12, options.calendar)
    .filter((entry) => entry.ends !== undefined)
    .map((entry) => {
      const diagnosis = diagnose(snapshot, userPrincipalName, {
        date: parseDay(entry.date) as Date,
        tenant: options.tenant,
        calendar: options.calendar,
      });
      const failing = diagnosis.checks.find((check) => check.blocking && check.status === "fail");
      return {
        entry: { id: entry.id, date: entry.date, title: entry.title, source: entry.sources[0]?.url ?? "" },
        canReset: diagnosis.canReset,
        ...(failing === undefined ? {} : { why: failing.because ?? failing.found, fix: failing.fix }),
      };
    });
}

/** The person's timeline in lines, for doctor. */
export function personTimelineLines(steps: readonly PersonStep[], user: string): string[] {
  if (steps.length === 0) return [];
  return [
    `On the dates Microsoft has announced (next 12 months), ${user}:`,
    ...steps.flatMap((step) => [
      `  From ${dayWords(step.entry.date)} (${step.entry.title}; ${step.entry.source}): ` +
        (step.canReset ? "can still reset." : `cannot reset: ${step.why ?? "a check fails"}`),
      ...(step.canReset || step.fix === undefined || step.fix === ""
        ? []
        : [`    Fix by ${dayBefore(step.entry.date)}: ${step.fix}`]),
    ]),
  ];
}

/**
 * The tenant as the stack would leave it, for a verdict before `up`: each method the config offers switched on for
 * the stack's scope (all users, or the pilot group where known), the number required as configured. Only what decides
 * who can reset is planned; everything else stays as read.
 */
export function plannedSnapshot(snapshot: TenantSnapshot, args: PlannedArgs): TenantSnapshot {
  // The portal's enablementType: 0 None, 1 Selected, 2 All (docs/reference/portal-api.md#field-facts).
  const groupId =
    args.scope === "selected" && args.group !== undefined && "id" in args.group ? args.group.id : undefined;
  const targetId = args.scope === "selected" ? (groupId ?? "(the pilot group)") : "all_users";
  let planned = snapshot;
  for (const key of offeredConfigKeys(args.methods)) planned = withMethodOffered(planned, key, targetId) ?? planned;
  if (planned.portal === undefined) return planned;
  return {
    ...planned,
    portal: {
      ...planned.portal,
      ...(args.methodsRequired === undefined ? {} : { numberOfAuthenticationMethodsRequired: args.methodsRequired }),
      enablementType: args.scope === "all" ? 2 : args.scope === "selected" ? 1 : 0,
      ...(args.scope === "selected" ? { passwordResetEnabledGroupIds: [targetId] } : {}),
    },
  };
}

/** What of the stack's settings decides who can reset. */
export interface PlannedArgs {
  scope: "none" | "selected" | "all";
  group?: { id: string } | { displayName: string; members?: string[] };
  methodsRequired?: 1 | 2;
  methods?: unknown;
  ownTelephonyProvider?: boolean;
}

/**
 * The preview's calendar warnings, counted in people: for each dated change in the next 12 months after which some
 * users or administrators could no longer reset under the planned settings, who, why, and what keeps them.
 */
export function calendarPeopleWarnings(
  snapshot: TenantSnapshot,
  args: PlannedArgs,
  now: Date,
  calendar: Calendar,
): string[] {
  const timeline = readinessTimeline(plannedSnapshot(snapshot, args), todayFor(args, now, calendar), args.methods);
  const steps = {
    ...timeline,
    steps: timeline.steps.filter((step) => step.loses.users.length + step.loses.administrators.length > 0),
  };
  if (steps.steps.length === 0) return [];
  return [
    `Microsoft's calendar, counted in this tenant's people under the planned settings:\n${timelineLines(steps, calendar).join("\n")}`,
  ];
}
