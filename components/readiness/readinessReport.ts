/**
 * Readiness: every member user judged as the doctor judges one, counted (in scope, registered enough, capable, can
 * reset) and summed up in one line with the reasons in admin-center words. Administrators are counted apart as well
 * (`groups`): Entra judges them by the administrator policy (two methods, never security questions, switched by
 * `allowedToUseSSPR`), not by the SSPR scope. Pure.
 */
import { diagnose, policyFor, problemKind } from "./judgement";
import type { OnDay } from "../methodCatalogue";
import { activeCalendar, inForce, isoDay, type CalendarEntry } from "../calendar";
import type { Check, CheckId, Diagnosis, ReadProblem, TenantSnapshot } from "./readinessTypes";

export interface ReadinessRow {
  user: string;
  displayName: string;
  isAdministrator: boolean;
  /** The two-gate roles that put an administrator under the administrator policy. */
  adminRoles: string[];
  /** Methods their reset requires. */
  required: number;
  /** null: could not be judged. */
  inScope: boolean | null;
  /** Registered enough of the methods offered to them to meet the number required. */
  registeredEnough: boolean | null;
  /** In scope and registered enough (what the admin center calls "capable"). */
  capable: boolean | null;
  canReset: boolean;
  undetermined: boolean;
  /** Why not, in admin-center words (first failing check). */
  reason?: string;
  fix?: string;
}

export interface ReadinessCounts {
  users: number;
  inScope: number;
  registeredEnough: number;
  capable: number;
  canReset: number;
  cannotReset: number;
  undetermined: number;
}

export interface ReadinessReport {
  tenantId: string;
  /** The day judged (YYYY-MM-DD), by the rules of Microsoft's calendar in force that day; absent: no day applied. */
  on?: string;
  /** The calendar's changes in force that day that end a method's purpose, each with its date and source. */
  rulesInForce?: { id: string; date: string; title: string; source: string }[];
  registrationSource: TenantSnapshot["registrationSource"];
  /** Everybody judged, administrators included. */
  counts: ReadinessCounts;
  /** The same, apart: users (the SSPR policy and scope) and administrators (the administrator policy). */
  groups: {
    users: ReadinessCounts;
    administrators: ReadinessCounts & {
      /** `allowedToUseSSPR` as read (undefined: not read). */
      allowedToUseSSPR?: boolean;
      names: string[];
    };
  };
  /** canReset / users, rounded to a whole percent. */
  percentage: number;
  summary: string;
  /** Each reason with the users it stops. */
  reasons: { reason: string; users: string[] }[];
  rows: ReadinessRow[];
  problems: ReadProblem[];
}

function statusOf(diagnosis: Diagnosis, id: CheckId): Check | undefined {
  return diagnosis.checks.find((entry) => entry.id === id);
}

const asFlag = (entry: Check | undefined): boolean | null =>
  entry === undefined || entry.status === "unknown" ? null : entry.status === "pass";

/** A failing check in a few words, for the summary. */
function shortReason(diagnosis: Diagnosis, failing: Check, required: number): string {
  switch (failing.id) {
    case "user-exists":
      return "account disabled";
    case "sspr-enabled":
      return diagnosis.isAdministrator ? "SSPR for administrators is off" : "SSPR is not enabled (None)";
    case "user-in-scope":
      return "not in the Selected group";
    case "methods-offered":
      return failing.because === undefined
        ? "fewer methods offered to them than required"
        : `fewer methods offered to them than required, since ${failing.because}`;
    case "user-registered":
      return "not registered";
    case "methods-sufficient": {
      if (failing.because !== undefined) return `too few of their registered methods still count: ${failing.because}`;
      const usable = /\((\d+) of (\d+) required\)/.exec(failing.found);
      if (usable !== null && usable[1] === "0") return "registered only methods not offered to them";
      return `registered ${usable?.[1] ?? "too few"} of the ${usable?.[2] ?? required} required methods offered to them`;
    }
    case "writeback":
      return "synced from on-premises without password writeback";
    default:
      return failing.id;
  }
}

/** Up to five names, then how many more (the JSON's `reasons` lists everybody). */
function someOf(users: string[]): string {
  return users.length <= 5 ? users.join(", ") : `${users.slice(0, 5).join(", ")} and ${users.length - 5} more`;
}

function countRows(rows: readonly ReadinessRow[]): ReadinessCounts {
  const count = (predicate: (row: ReadinessRow) => boolean): number => rows.filter(predicate).length;
  return {
    users: rows.length,
    inScope: count((row) => row.inScope === true),
    registeredEnough: count((row) => row.registeredEnough === true),
    capable: count((row) => row.capable === true),
    canReset: count((row) => row.canReset),
    cannotReset: count((row) => !row.canReset && !row.undetermined),
    undetermined: count((row) => row.undetermined),
  };
}

/** Users and administrators apart, when there are administrators: their SSPR follows another policy. */
function apart(groups: ReadinessReport["groups"]): string {
  const { users, administrators } = groups;
  if (administrators.users === 0) return "";
  return (
    `: ${users.canReset} of ${users.users} users, ${administrators.canReset} of ${administrators.users} ` +
    "administrators (by the administrator policy)"
  );
}

/** Every member user (guests are not staff) judged as the doctor judges one. */
/** The day and the dated changes in force that day for this tenant (an own telephony provider is exempt). */
function dayFields(on: OnDay): Pick<ReadinessReport, "on" | "rulesInForce"> {
  const calendar = on.calendar ?? activeCalendar();
  const exempt = (entry: CalendarEntry): boolean =>
    entry.ends?.unless === "ownTelephonyProvider" && on.tenant?.ownTelephonyProvider === true;
  return {
    on: isoDay(on.date),
    rulesInForce: calendar
      .filter((entry) => entry.ends !== undefined && inForce(entry, on.date) && !exempt(entry))
      .map((entry) => ({ id: entry.id, date: entry.date, title: entry.title, source: entry.sources[0]?.url ?? "" })),
  };
}

/** `on`: the day judged, by the rules of Microsoft's calendar in force that day (`judgement.ts`). */
export function assessReadiness(snapshot: TenantSnapshot, on?: OnDay): ReadinessReport {
  const people = snapshot.users.filter((user) => user.userType.toLowerCase() !== "guest");
  const rows = people.map((person): ReadinessRow => {
    const diagnosis = diagnose(snapshot, person.userPrincipalName, on);
    const inScope =
      asFlag(statusOf(diagnosis, "sspr-enabled")) === false ? false : asFlag(statusOf(diagnosis, "user-in-scope"));
    const registeredEnough = asFlag(statusOf(diagnosis, "methods-sufficient"));
    const capable = inScope === null || registeredEnough === null ? null : inScope && registeredEnough;
    const failing = diagnosis.checks.find((entry) => entry.blocking && entry.status === "fail");
    const unknown = diagnosis.checks.find((entry) => entry.blocking && entry.status === "unknown");
    const policy = policyFor(snapshot, person, on);
    const required = policy.required;
    return {
      user: person.userPrincipalName,
      displayName: person.displayName,
      isAdministrator: diagnosis.isAdministrator,
      adminRoles: policy.adminRoles,
      required,
      inScope,
      registeredEnough,
      capable,
      canReset: diagnosis.canReset,
      undetermined: diagnosis.undetermined,
      reason:
        failing !== undefined
          ? shortReason(diagnosis, failing, required)
          : unknown !== undefined
            ? `unknown: ${unknown.found}`
            : undefined,
      fix: failing?.fix ?? unknown?.found,
    };
  });
  const counts = countRows(rows);
  const administrators = rows.filter((row) => row.isAdministrator);
  const allowed = snapshot.authorizationPolicy?.allowedToUseSSPR;
  const groups: ReadinessReport["groups"] = {
    users: countRows(rows.filter((row) => !row.isAdministrator)),
    administrators: {
      ...countRows(administrators),
      ...(typeof allowed === "boolean" ? { allowedToUseSSPR: allowed } : {}),
      names: administrators.map((row) => row.user),
    },
  };
  const reasons: ReadinessReport["reasons"] = [];
  for (const row of rows)
    if (!row.canReset && !row.undetermined && row.reason !== undefined) {
      const entry = reasons.find((candidate) => candidate.reason === row.reason);
      if (entry === undefined) reasons.push({ reason: row.reason, users: [row.user] });
      else entry.users.push(row.user);
    }
  const percentage = rows.length === 0 ? 0 : Math.round((100 * counts.canReset) / rows.length);
  const usersUnread = snapshot.problems.find((problem) => problem.what === "the user");
  let summary =
    usersUnread === undefined
      ? `${counts.canReset} of ${counts.users} staff can reset (${percentage}%)${apart(groups)}`
      : `nobody could be judged: the users could not be read (${problemKind(usersUnread)}, needs ${usersUnread.needs ?? "?"})`;
  if (counts.cannotReset > 0)
    summary += `; ${counts.cannotReset} cannot: ${reasons.map((entry) => `${entry.reason}: ${someOf(entry.users)}`).join("; ")}`;
  if (counts.undetermined > 0)
    summary += `; ${counts.undetermined} undetermined (${snapshot.problems.map((problem) => `${problem.what}: ${problemKind(problem)}${problem.needs === undefined ? "" : ` (needs ${problem.needs})`}`).join("; ") || "see the rows"})`;
  return {
    tenantId: snapshot.tenantId,
    ...(on === undefined ? {} : dayFields(on)),
    registrationSource: snapshot.registrationSource,
    counts,
    groups,
    percentage,
    summary,
    reasons,
    rows,
    problems: snapshot.problems,
  };
}
