/**
 * The emulator's date and Microsoft's own dated changes to Entra, as the emulator's own data (never the project's
 * tables: the emulator is an independent oracle). Each entry names its public source. Pure functions.
 *
 * The date is a calendar day, `YYYY-MM-DD`. By default it is the machine's date in UTC (Microsoft's announcements
 * give days, not time zones: the emulator reads them as UTC days). Timestamps the emulator writes
 * (`lastModifiedDateTime`, the request log) and token lifetimes keep following the machine's clock: the date only
 * decides which of Microsoft's dated changes are in effect.
 *
 * Two kinds of entries:
 * - `tenantConfiguration`: Microsoft changes the tenant's configuration once, on that day (the emulator applies it
 *   once, and records it: `microsoftChanges.ts`);
 * - `service`: the service behaves differently from that day on, and no setting changes (the emulator asks the date
 *   when it answers: the registration report in `people/registrationReport.ts`).
 */
import type { TenantState } from "./types";

export type CalendarEntryKind = "tenantConfiguration" | "service";

export interface CalendarEntry {
  /** A stable name for the entry (seeds and records use it). */
  id: string;
  /** The first day the change is in effect, `YYYY-MM-DD`. */
  date: string;
  kind: CalendarEntryKind;
  /** What changes, in words. */
  title: string;
  /** Where Microsoft published it. */
  source: string;
}

const smsVoiceRetirement = "https://learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement";

/** The entry ids, for the code that acts on them. */
export const calendarIds = {
  passkeysForSmsAndVoice: "passkeys-for-sms-and-voice-users",
  microsoftTelephonyRetired: "microsoft-sms-and-voice-retired",
  securityQuestionsRetired: "security-questions-retired",
} as const;

/** Microsoft's dated changes the emulator applies, oldest first (as published when this was written, 2026-12). */
export const microsoftCalendar: readonly CalendarEntry[] = [
  {
    id: calendarIds.passkeysForSmsAndVoice,
    date: "2026-09-01",
    kind: "tenantConfiguration",
    title:
      "Users enabled for SMS or voice are auto-enabled for passkeys (FIDO2) in the authentication methods policy, " +
      "and the registration campaign is set to Microsoft managed, targeting passkeys",
    source: smsVoiceRetirement,
  },
  {
    id: calendarIds.microsoftTelephonyRetired,
    date: "2027-02-01",
    kind: "service",
    title:
      "Microsoft-provided SMS and voice calls stop serving MFA and SSPR; a tenant that contracted its own " +
      "telephony provider (Microsoft Security Store) keeps them",
    source: smsVoiceRetirement,
  },
  {
    id: calendarIds.securityQuestionsRetired,
    // Message center MC1234564 (added 18 Feb 2026; the Message center needs an administrator's sign-in, quoted in
    // public at https://pupuweb.com/mc1234564-prepare-for-the-retirement-of-security-questions-in-entra-self-service-password-reset)
    // gives the release as 1-31 March 2027 and no day: the emulator takes the first. The admin center's Password
    // reset blade says "Security Questions are retiring in March 2027".
    date: "2027-03-01",
    kind: "service",
    title: "Security questions stop serving self-service password reset",
    source: "https://admin.microsoft.com/Adminportal/Home#/MessageCenter/:/messages/MC1234564",
  },
];

export function calendarEntry(id: string): CalendarEntry | undefined {
  return microsoftCalendar.find((entry) => entry.id === id);
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The words every refusal of a date uses, so the expected form is always named. */
export const expectedDateForm = "expected a date in the form YYYY-MM-DD (for example 2027-02-01)";

/** A real calendar day `YYYY-MM-DD` (2027-02-30 is not one), or the problem with the value. */
export function parseCalendarDate(value: unknown, name: string): { date: string } | { problem: string } {
  const problem = { problem: `${name} is ${JSON.stringify(value) ?? "undefined"}; ${expectedDateForm}` };
  if (typeof value !== "string") return problem;
  const match = datePattern.exec(value);
  if (match === null) return problem;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  if (parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day)
    return problem;
  return { date: value };
}

/** The machine's date in UTC. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Whether the entry is in effect on `today` (its day included). `YYYY-MM-DD` strings compare as dates. */
export function reached(entry: CalendarEntry, today: string): boolean {
  return today >= entry.date;
}

/**
 * Whether a registered phone still serves MFA and SSPR on `today`: always before Microsoft retires its own SMS and
 * voice delivery, and afterwards only in a tenant that contracted its own telephony provider.
 */
export function phonesServe(state: Pick<TenantState, "ownTelephonyProvider">, today: string): boolean {
  const retirement = calendarEntry(calendarIds.microsoftTelephonyRetired) as CalendarEntry;
  return !reached(retirement, today) || state.ownTelephonyProvider === true;
}

/** Whether security questions still serve SSPR on `today`. */
export function securityQuestionsServe(today: string): boolean {
  return !reached(calendarEntry(calendarIds.securityQuestionsRetired) as CalendarEntry, today);
}

/** The environment variable that gives the emulator's date to the CLI (its `--today` wins). */
export const todayEnvironmentVariable = "ENTRA_SSPR_EMULATOR_TODAY";

/**
 * The date the environment gives (`ENTRA_SSPR_EMULATOR_TODAY`), for whoever starts an emulator from a command: none
 * when unset or empty, or the problem with its value.
 */
export function todayFromEnvironment(
  env: Record<string, string | undefined> = process.env,
): { today?: string } | { problem: string } {
  const value = env[todayEnvironmentVariable];
  if (value === undefined || value.trim() === "") return {};
  const parsed = parseCalendarDate(value.trim(), todayEnvironmentVariable);
  return "problem" in parsed ? parsed : { today: parsed.date };
}
