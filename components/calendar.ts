/**
 * Microsoft's calendar: the dated changes that decide who can reset a password, and with what. Data, with each
 * entry's public source and the day it was read; the method catalogue (`methodCatalogue.ts`), the config's checks,
 * readiness and doctor read it, and nothing else in the code names one of these dates. Facts and sources:
 * docs/reference/microsoft-calendar.md.
 *
 * Dates move. A rehearsal can move them (`ENTRA_SSPR_CALENDAR="sms-voice-end=2027-03-01"`, or `calendarWith`), and a
 * tenant that contracts its own telephony provider keeps SMS and voice (`sspr:settings.ownTelephonyProvider`).
 * Pure, program side.
 */

/** The purposes a method can serve (`methodCatalogue.ts`). */
export type Purpose = "sspr" | "mfa";

export type CalendarEntryId =
  | "methods-policy-migration"
  | "passkeys-for-phone-users"
  | "registered-methods-only"
  | "sms-voice-end"
  | "security-questions-end";

export interface CalendarSource {
  title: string;
  url: string;
}

/** What an entry ends: purposes of some methods of the methods policy (by Graph id) or of the SSPR policy. */
export interface CalendarEnds {
  /** Graph ids (`Sms`, `Voice`) or `securityQuestions` (which lives only in the SSPR policy). */
  methods: string[];
  purposes: Purpose[];
  /** A tenant fact that keeps them: the tenant contracts its own telephony provider. */
  unless?: "ownTelephonyProvider";
}

/**
 * A change Microsoft makes to the tenant's own configuration, without an administrator: refresh calls drift that
 * matches it Microsoft's, with the entry's date and source.
 */
export interface MicrosoftEdit {
  /** Where it shows: the registration campaign's state and target of the authentication methods policy. */
  object: "registrationCampaign";
  /** The values Microsoft sets (Graph's words): the admin center's "Microsoft managed" is Graph's `default`. */
  values: Record<string, string>;
}

export interface CalendarEntry {
  id: CalendarEntryId;
  /** The first day the change is in force (UTC), YYYY-MM-DD. */
  date: string;
  /** What changes, in a few words ("Microsoft-provided SMS and voice calls end"). */
  title: string;
  /** Who and what it touches. */
  touches: string;
  ends?: CalendarEnds;
  microsoftEdit?: MicrosoftEdit;
  sources: CalendarSource[];
  /** The day the sources were read. */
  read: string;
  /** Where two sources disagree, both are said. */
  note?: string;
}

const smsVoiceRetirement: CalendarSource = {
  title: "Microsoft Learn: SMS and voice call retirement for MFA and SSPR",
  url: "https://learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement",
};

/** The entries, by date. */
export const microsoftCalendar: readonly CalendarEntry[] = [
  {
    id: "methods-policy-migration",
    date: "2025-09-30",
    title: "the legacy MFA and SSPR policies stop managing authentication methods",
    touches:
      "every tenant: the authentication methods policy alone decides which methods people may use; the SSPR " +
      "policy keeps scope, number of methods, registration, notifications, customization and security questions",
    sources: [
      {
        title: "Microsoft Learn: Manage authentication methods",
        url: "https://learn.microsoft.com/entra/identity/authentication/concept-authentication-methods-manage",
      },
    ],
    read: "2026-12-06",
  },
  {
    id: "passkeys-for-phone-users",
    date: "2026-09-01",
    title:
      "Microsoft switches passkeys on for SMS and voice users and sets the registration campaign to Microsoft managed",
    touches:
      "tenants with SMS or voice in force: the methods policy and the registration campaign change without an " +
      "administrator",
    microsoftEdit: {
      object: "registrationCampaign",
      values: { state: "default", targetedAuthenticationMethod: "fido2" },
    },
    sources: [smsVoiceRetirement],
    read: "2026-12-06",
  },
  {
    id: "registered-methods-only",
    date: "2026-10-05",
    title: "password reset counts only registered authentication methods",
    touches:
      "users who never registered and relied on the directory's contact data (mobilePhone, businessPhones, " +
      "otherMails): those stop counting for password reset",
    sources: [
      {
        title: "Microsoft Learn: Data used by SSPR",
        url: "https://learn.microsoft.com/entra/identity/authentication/howto-sspr-authenticationdata",
      },
    ],
    read: "2026-12-06",
    note: "Message center MC1325414 said 7 September 2026; the Learn page says enforcement from 5 October 2026",
  },
  {
    id: "sms-voice-end",
    date: "2027-02-01",
    title: "Microsoft-provided SMS and voice calls end for MFA and password reset",
    touches:
      "every user whose reset or second factor relies on a mobile or office phone, unless the tenant contracts its " +
      "own telephony provider",
    ends: { methods: ["Sms", "Voice"], purposes: ["sspr", "mfa"], unless: "ownTelephonyProvider" },
    sources: [smsVoiceRetirement],
    read: "2026-12-06",
  },
  {
    id: "security-questions-end",
    date: "2027-03-01",
    title: "security questions stop serving password reset",
    touches: "users whose reset relies on security questions (never administrators, who cannot use them)",
    ends: { methods: ["securityQuestions"], purposes: ["sspr"] },
    sources: [
      {
        title:
          "Microsoft 365 Message center MC1234564 (added 18 February 2026; release 1-31 March 2027; sign-in needed)",
        url: "https://admin.microsoft.com/#/MessageCenter/:/messages/MC1234564",
      },
      {
        title: "Microsoft Learn: Security questions as an authentication method",
        url: "https://learn.microsoft.com/entra/identity/authentication/concept-authentication-security-questions",
      },
    ],
    read: "2026-12-06",
    note: "the admin center's Password reset blade shows the banner 'Security Questions are retiring in March 2027'",
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------------

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD day as midnight UTC, or undefined when it is not a real day. */
export function parseDay(text: string): Date | undefined {
  const match = datePattern.exec(text.trim());
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : undefined;
}

/** The problem with a date given on a command line or in config, naming the expected form; undefined when fine. */
export function dayProblem(what: string, text: unknown): string | undefined {
  if (typeof text === "string" && parseDay(text) !== undefined) return undefined;
  return `${what} is ${JSON.stringify(text)}; expected a day as YYYY-MM-DD, such as 2027-02-01`;
}

/** One formatter for every call: `toLocaleDateString` builds a new one each time (most of a fleet check's CPU). */
const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "1 February 2027". */
export function dayWords(date: Date | string): string {
  const day = typeof date === "string" ? (parseDay(date) ?? new Date(date)) : date;
  return dayFormat.format(day);
}

/** The day before (the last day a method still counts): "31 January 2027". */
export function dayBefore(date: string): string {
  const day = parseDay(date);
  return day === undefined ? date : dayWords(new Date(day.getTime() - 86_400_000));
}

/** The start of `date`'s day, UTC: a verdict "on" a day judges by the rules in force that whole day. */
export function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** YYYY-MM-DD of a date (UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------------
// The calendar a run uses: Microsoft's, with any dates moved for a rehearsal
// ---------------------------------------------------------------------------------------------------------------

export type Calendar = readonly CalendarEntry[];

/** Microsoft's calendar with some entries' dates moved (for a rehearsal). Unknown ids or bad dates throw, naming them. */
export function calendarWith(overrides: Partial<Record<string, string>>, base: Calendar = microsoftCalendar): Calendar {
  const problems: string[] = [];
  for (const [id, date] of Object.entries(overrides)) {
    if (!base.some((entry) => entry.id === id))
      problems.push(`calendar entry "${id}" is not known; expected one of ${base.map((entry) => entry.id).join(", ")}`);
    const problem = dayProblem(`the date of calendar entry "${id}"`, date);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return base
    .map((entry) => (overrides[entry.id] === undefined ? entry : { ...entry, date: overrides[entry.id] as string }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The variable a rehearsal moves dates with: `id=YYYY-MM-DD`, comma-separated. */
export const calendarVariable = "ENTRA_SSPR_CALENDAR";

/** The calendar of this process: Microsoft's, moved by `ENTRA_SSPR_CALENDAR` when set. */
export function activeCalendar(env: NodeJS.ProcessEnv = process.env): Calendar {
  const text = env[calendarVariable]?.trim();
  if (text === undefined || text === "") return microsoftCalendar;
  const overrides: Record<string, string> = {};
  for (const pair of text.split(",")) {
    const [id, date] = pair.split("=").map((part) => part.trim());
    if (!id || date === undefined)
      throw new Error(`${calendarVariable}: "${pair}" is not id=YYYY-MM-DD (such as sms-voice-end=2027-03-01)`);
    overrides[id] = date;
  }
  return calendarWith(overrides);
}

export function entryOf(id: CalendarEntryId, calendar: Calendar = microsoftCalendar): CalendarEntry {
  const entry = calendar.find((candidate) => candidate.id === id);
  if (entry === undefined) throw new Error(`calendar entry ${id} is missing`);
  return entry;
}

/** Whether the entry is in force on `date` (from its first day on). */
export function inForce(entry: CalendarEntry, date: Date): boolean {
  return startOfDay(date).getTime() >= (parseDay(entry.date)?.getTime() ?? Infinity);
}

/** What the tenant says of itself that the calendar depends on. */
export interface TenantCalendarFacts {
  /** The tenant contracts its own telephony provider: SMS and voice go on after Microsoft's end. */
  ownTelephonyProvider?: boolean;
}

/** "(source: <url>)" for an entry: every quoted date cites its public source. */
export function sourceWords(entry: CalendarEntry): string {
  return `(${entry.sources.map((source) => source.url).join("; ")})`;
}

/** The entries that end `purpose` of a method (Graph id, or `securityQuestions`) for this tenant, by date. */
function entriesEnding(
  method: string,
  purpose: Purpose,
  facts: TenantCalendarFacts,
  calendar: Calendar,
): CalendarEntry[] {
  return calendar.filter(
    (entry) =>
      entry.ends !== undefined &&
      entry.ends.methods.some((id) => id.toLowerCase() === method.toLowerCase()) &&
      entry.ends.purposes.includes(purpose) &&
      // A tenant exempt from an entry (its own telephony) never loses the purpose by it.
      !(entry.ends.unless === "ownTelephonyProvider" && facts.ownTelephonyProvider === true),
  );
}

/** The entry that has ended `purpose` of a method by `date`, for this tenant; undefined while it still serves it. */
export function endedBy(
  method: string,
  purpose: Purpose,
  date: Date,
  facts: TenantCalendarFacts = {},
  calendar: Calendar = microsoftCalendar,
): CalendarEntry | undefined {
  return entriesEnding(method, purpose, facts, calendar).find((entry) => inForce(entry, date));
}

/** The entry that will end `purpose` of a method after `date`, for this tenant (the next one), if any. */
export function endsLater(
  method: string,
  purpose: Purpose,
  date: Date,
  facts: TenantCalendarFacts = {},
  calendar: Calendar = microsoftCalendar,
): CalendarEntry | undefined {
  return entriesEnding(method, purpose, facts, calendar).find((entry) => !inForce(entry, date));
}

/** The entries whose first day falls after `date` and within `months` months of it (the timeline's window). */
export function upcoming(date: Date, months = 12, calendar: Calendar = microsoftCalendar): CalendarEntry[] {
  const from = startOfDay(date);
  const until = new Date(from);
  until.setUTCMonth(until.getUTCMonth() + months);
  return calendar.filter((entry) => {
    const day = parseDay(entry.date);
    return day !== undefined && day.getTime() > from.getTime() && day.getTime() <= until.getTime();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft's own changes, told apart from an administrator's
// ---------------------------------------------------------------------------------------------------------------

/**
 * The calendar entries whose change to `object` explains the drift from `previous` to `current` (owned settings as
 * the stack records them, Graph's words): in force on `date`, every value Microsoft sets that the stack owns now holds,
 * and one of them did not before. Such drift is Microsoft's, not an administrator's.
 */
export function microsoftEditsExplaining(
  object: MicrosoftEdit["object"],
  previous: Record<string, unknown> | undefined,
  current: Record<string, unknown> | undefined,
  date: Date,
  calendar: Calendar = microsoftCalendar,
): CalendarEntry[] {
  if (previous === undefined || current === undefined) return [];
  return calendar.filter((entry) => {
    const edit = entry.microsoftEdit;
    if (edit === undefined || edit.object !== object || !inForce(entry, date)) return false;
    const owned = Object.entries(edit.values).filter(([key]) => key in current);
    return (
      owned.length > 0 &&
      owned.every(([key, value]) => current[key] === value) &&
      owned.some(([key, value]) => previous[key] !== value)
    );
  });
}

/** The words refresh shows for Microsoft's change: its date, what it is, its source, and how to accept it. */
export function microsoftChangeWords(entry: CalendarEntry, accept: string): string {
  return (
    `Microsoft's change of ${dayWords(entry.date)}, not an administrator's: ${entry.title} ${sourceWords(entry)}. ` +
    `To keep it, say so in the stack's config (${accept}); otherwise the next up puts the stack's value back`
  );
}
