/**
 * The remaining lockout guards: settings under which some people could not reset, or lose a method, named with the
 * setting, the value and the fix in admin-center words.
 *
 * Two kinds, by what they need to know:
 * - From the config alone ({@link configLockoutProblems}, {@link configLockoutWarnings}): run in the config's
 *   validation and the component, at preview, before any request. Security questions on or after their retirement
 *   are an error; everything else is a warning (the tenant may hold methods the config leaves alone).
 * - From the tenant ({@link tenantLockoutWarnings} over {@link LockoutFacts}): which groups a method excludes, who
 *   is in them, SMS targets usable for sign-in, the migration state and the legacy switches. `pulumi preview` reads
 *   no tenant by design, so these run in `npm run lockout-check` (read-only Graph and portal GETs), before
 *   `pulumi up`; see `scripts/lockoutCheck.ts`.
 * The clock is a parameter everywhere, so tests choose the date.
 */
import {
  configMethodCatalogue,
  configMethodKeys,
  gateOf,
  gatesOfConfigKeys,
  gateWords,
  legacySwitchWords,
  methodChoiceAt,
  methodPurposes,
  offeredConfigKeys,
  ssprMethodEndedBy,
  ssprMethodEndsLater,
  ssprMethods,
  todayFor,
  type Gate,
  type OnDay,
  type TargetFacts,
} from "./methodCatalogue";
import { dayBefore, dayWords, parseDay, sourceWords, upcoming, type Calendar } from "./calendar";
import type { SsprSettings } from "./ssprArgs";
import type { ConfigPath, ConfigProblem } from "./configProblems";
import { isRecord } from "../lib/predicates";
import { legacySwitchesDecide } from "../lib/tenantCodecs";
import { labelOf } from "./adminCenterLabels";

const questionsOn = (settings: SsprSettings): boolean => {
  const questions = settings.methods?.securityQuestions;
  return questions !== undefined && questions !== false;
};

/** The SSPR methods the config offers, as gates counted towards `methodsRequired` (security questions included). */
function offeredGates(methods: unknown): Gate[] {
  const gates = gatesOfConfigKeys(offeredConfigKeys(methods));
  const questions = isRecord(methods) ? methods.securityQuestions : undefined;
  return isRecord(questions) ? [...gates, "securityQuestions"] : gates;
}

/** The gates still serving password reset on the day judged (a gate counts while one of its methods does). */
function gatesInForce(gates: readonly Gate[], on: OnDay): Gate[] {
  return gates.filter((gate) => gateEndedBy(gate, on) === undefined);
}

/** The calendar entry that ends a gate on the day judged (every method that gives it ended). */
function gateEndedBy(gate: Gate, on: OnDay) {
  const methods = ssprMethods.filter((method) => gateOf(method) === gate);
  const ends = methods.map((method) => ssprMethodEndedBy(method, on));
  return ends.every((entry) => entry !== undefined) ? ends[0] : undefined;
}

/**
 * Config errors: on the day it runs, the config offers fewer methods still serving password reset than it
 * requires (security questions after their retirement, phones after Microsoft's SMS and voice end without an own
 * telephony provider), or offers security questions once they are retired. Tolerant of any input shape.
 */
export function configLockoutProblems(
  settings: unknown,
  at: ConfigPath,
  now: Date,
  calendar?: Calendar,
): ConfigProblem[] {
  const on = todayFor(settings, now, calendar);
  const methods = isRecord(settings) ? settings.methods : undefined;
  const questions = isRecord(methods) ? methods.securityQuestions : undefined;
  const problems: ConfigProblem[] = [];
  const questionsEnd = ssprMethodEndedBy("securityQuestions", on);
  if (isRecord(questions) && questionsEnd !== undefined)
    problems.push({
      path: [...at, "methods", "securityQuestions"],
      value: questions,
      expected:
        `expected false: security questions retired on ${dayWords(questionsEnd.date)} ${sourceWords(questionsEnd)} and ` +
        "can no longer be offered. Fix: Password reset > Authentication methods > clear Security questions and offer " +
        "another method (methods.securityQuestions: false)",
      kind: "invalid",
    });
  const required = isRecord(settings) ? settings.methodsRequired : undefined;
  const scope = isRecord(settings) ? settings.scope : undefined;
  const gates = offeredGates(methods);
  const ended = gates.filter((gate) => gate !== "securityQuestions" && gateEndedBy(gate, on) !== undefined);
  const counting = gatesInForce(gates, on);
  // Only the day's calendar can make a config that offered enough offer too few: the plain count is lockoutProblems'.
  if ((scope === "all" || scope === "selected") && (required === 1 || required === 2) && ended.length > 0) {
    if (counting.length < required && gates.length >= required) {
      const entry = gateEndedBy(ended[0], on);
      problems.push({
        path: [...at, "methodsRequired"],
        value: required,
        expected:
          `expected at most ${counting.length}: since ${dayWords(entry?.date ?? now)} ${entry?.title ?? ""} ` +
          `${entry === undefined ? "" : sourceWords(entry)}, so ${ended.map((gate) => gateWords[gate]).join(" and ")} ` +
          `no longer ${ended.length === 1 ? "counts" : "count"} for password reset and the methods offered leave ` +
          `${counting.length === 0 ? "none" : counting.map((gate) => gateWords[gate]).join(", ")}: nobody could reset. ` +
          `Fix: ${survivorFix(methods)}, or require fewer` +
          (entry?.ends?.unless === "ownTelephonyProvider"
            ? "; or, if the tenant contracts its own telephony provider, ownTelephonyProvider: true"
            : ""),
        kind: "invalid",
      });
    }
  }
  return problems;
}

/** "offer Microsoft Authenticator (methods.authenticatorApp: offer) or ..." for the methods still serving reset. */
function survivorFix(methods: unknown): string {
  const offered = offeredConfigKeys(methods);
  const candidates = configMethodKeys.filter(
    (key) => !offered.includes(key) && configMethodCatalogue[key].preview !== true,
  );
  return `offer ${candidates
    .filter((key) => !["mobilePhone", "officePhone"].includes(key))
    .map((key) => `${configMethodCatalogue[key].words} (methods.${key}: offer)`)
    .join(" or ")}`;
}

/**
 * Warnings the config alone shows, for the day it runs and for each dated change of Microsoft's calendar in the
 * next 12 months that leaves the config offering fewer methods than it requires (counted in people at preview,
 * where the tenant is read: `selfServicePasswordReset.ts`).
 */
export function configLockoutWarnings(settings: SsprSettings, now: Date, calendar?: Calendar): string[] {
  const warnings: string[] = [];
  const on = todayFor(settings, now, calendar);
  const active = settings.scope === "selected" || settings.scope === "all";
  const questionsLater = ssprMethodEndsLater("securityQuestions", on);
  if (
    questionsOn(settings) &&
    ssprMethodEndedBy("securityQuestions", on) === undefined &&
    questionsLater !== undefined
  ) {
    warnings.push(
      `Security questions retire in ${dayWords(questionsLater.date).replace(/^\d+ /, "")}: from ` +
        `${dayWords(questionsLater.date)} ${sourceWords(questionsLater)} this ` +
        "config (sspr:settings.methods.securityQuestions) is refused, and administrators can never use them. Fix: " +
        "Password reset > Authentication methods > offer another method now, then clear Security questions " +
        "(methods.securityQuestions: false).",
    );
  }
  if (active) warnings.push(...calendarWarnings(settings, on));
  // Administrators' SSPR is on unless the stack turns it off (Entra's default) and always asks two methods.
  const administratorsMayReset = settings.administrators?.allowed !== false;
  const others = offeredConfigKeys(settings.methods).map((key) => configMethodCatalogue[key].words);
  if (active && administratorsMayReset && questionsOn(settings) && others.length < 2) {
    const offered = others.length === 0 ? "no other method" : `only ${others.join(", ")}`;
    warnings.push(
      `Security questions are the only way for administrators to reach the two methods their reset requires: ` +
        `sspr:settings.methods offers ${offered} besides Security questions, which administrators can never ` +
        "use. Fix: Password reset > Authentication methods > offer at least two other methods (for example " +
        "methods.mobileAppCode: offer and methods.authenticatorApp: offer), or turn password reset for administrators " +
        "off (administrators.allowed: false).",
    );
  }
  if (settings.scope === "all" && settings.administrators?.allowed === false) {
    warnings.push(
      "Password reset for administrators is off (sspr:settings.administrators.allowed: false) while " +
        `${labelOf("enablement")} is All, which includes administrators: they are asked to register for a reset ` +
        "they can never use. Fix: Password reset > Properties > Selected, with a group without administrators " +
        '(scope: "selected"), or allow administrators (administrators.allowed: true).',
    );
  }
  return warnings;
}

/**
 * For each dated change in the next 12 months that ends a method the config offers: what it leaves, and whether
 * the people in scope can still reach the number required. Said from the config alone (who: everyone in scope);
 * the preview counts them.
 */
function calendarWarnings(settings: SsprSettings, on: OnDay): string[] {
  const required = settings.methodsRequired ?? 1;
  const gates = offeredGates(settings.methods);
  const warnings: string[] = [];
  for (const entry of upcoming(on.date, 12, on.calendar)) {
    if (entry.ends === undefined) continue;
    const then: OnDay = { ...on, date: parseDay(entry.date) as Date };
    const eve: OnDay = { ...on, date: new Date(then.date.getTime() - 86_400_000) };
    // Security questions have their own warning, and their own error once retired.
    const lost = gates.filter(
      (gate) =>
        gate !== "securityQuestions" && gatesInForce([gate], eve).length > 0 && gatesInForce([gate], then).length === 0,
    );
    if (lost.length === 0) continue;
    const left = gatesInForce(gates, then);
    const who = settings.scope === "all" ? "Every user" : "Every member of the SSPR group";
    const lostWords = lost.map((gate) => gateWords[gate]).join(" and ");
    const head =
      `From ${dayWords(entry.date)} ${entry.title} ${sourceWords(entry)}: ${lostWords} no longer ` +
      `${lost.length === 1 ? "counts" : "count"} for password reset (sspr:settings.methods offers ` +
      `${gates.map((gate) => gateWords[gate]).join(", ")}; ${required} required). `;
    const unless =
      entry.ends.unless === "ownTelephonyProvider"
        ? " If the tenant contracts its own telephony provider, say so (ownTelephonyProvider: true) and phones keep counting."
        : "";
    warnings.push(
      left.length < required
        ? `${head}${who} loses password reset on that day: the methods offered leave ` +
            `${left.length === 0 ? "none" : left.map((gate) => gateWords[gate]).join(", ")}. Fix before ` +
            `${dayBefore(entry.date)}: ${survivorFix(settings.methods)} and have people register it ` +
            `(https://aka.ms/mysecurityinfo), or require fewer methods.${unless}`
        : `${head}People who registered ${lostWords} among their ${required} methods lose password reset on that ` +
            `day unless they register another of ${left.map((gate) => gateWords[gate]).join(", ")} by ` +
            `${dayBefore(entry.date)} (https://aka.ms/mysecurityinfo).${unless}`,
    );
  }
  return warnings;
}

// ---------------------------------------------------------------------------------------------------------------
// Guards that need the tenant
// ---------------------------------------------------------------------------------------------------------------

/** What the tenant guards read (read-only): the methods policy, the portal policy, and the groups involved. */
export interface LockoutFacts {
  /** `policyMigrationState` as Graph reports it (`null` on new tenants, which counts as complete). */
  migrationState: string | null;
  /** The method configurations as Graph reports them (id, state, includeTargets, excludeTargets). */
  methods: Record<string, unknown>[];
  /** The portal policy's legacy per-method switches (`emailOptionEnabled`, ...), as read. */
  legacySwitches: Record<string, boolean>;
  /** Group id (lower case) -> display name and member object ids, for every group the guards look at. */
  groups: Record<string, { displayName: string; members: string[] }>;
  /** The SSPR group with scope selected (its id). */
  scopeGroupId?: string;
  /** Object ids (lower case) of users holding an administrator role, when read (`isAdmin` of userRegistrationDetails). */
  administrators?: string[];
  /** What could not be read and so cannot be told (a report without its licence): said, never a stop. */
  cannotTell?: string[];
}

/** Which Graph method ids an offered admin-center method relies on (the phones share Voice). */
export function offeredMethodIds(settings: SsprSettings): { id: string; words: string }[] {
  const offered = offeredConfigKeys(settings.methods);
  return offered.flatMap((key) => {
    if (key === "mobilePhone")
      return [
        { id: "Sms", words: "Mobile phone (SMS)" },
        { id: "Voice", words: "Mobile phone (voice call)" },
      ];
    if (key === "officePhone" && offered.includes("mobilePhone")) return [];
    return configMethodCatalogue[key].graph.map((graph) => ({ id: graph.id, words: configMethodCatalogue[key].words }));
  });
}

const legacyWords = legacySwitchWords;

/** The legacy switches a read portal policy holds (only the known per-method ones). */
export function legacySwitchesOf(portalPolicy: Record<string, unknown>): Record<string, boolean> {
  return Object.fromEntries(
    Object.keys(legacyWords)
      .filter((key) => typeof portalPolicy[key] === "boolean")
      .map((key) => [key, portalPolicy[key] as boolean]),
  );
}

function methodById(facts: LockoutFacts, id: string): Record<string, unknown> | undefined {
  return facts.methods.find((method) => String(method.id).toLowerCase() === id.toLowerCase());
}

const targets = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);

/** Warnings that need the tenant; `facts` come from `readLockoutFacts` (scripts/lockoutCheck.ts). */
export function tenantLockoutWarnings(settings: SsprSettings, facts: LockoutFacts): string[] {
  const warnings: string[] = [];
  const active = settings.scope === "selected" || settings.scope === "all";
  if (!active) return warnings;
  const scopeMembers =
    settings.scope === "selected" && facts.scopeGroupId !== undefined
      ? new Set(facts.groups[facts.scopeGroupId.toLowerCase()]?.members ?? [])
      : undefined;
  const inScope = (members: string[]): number =>
    scopeMembers === undefined ? members.length : members.filter((member) => scopeMembers.has(member)).length;

  // A method SSPR offers, excluded for a group that is partly in the SSPR scope.
  for (const offered of offeredMethodIds(settings)) {
    const method = methodById(facts, offered.id);
    for (const exclusion of targets(method?.excludeTargets)) {
      const id = String(exclusion.id ?? "").toLowerCase();
      const group = facts.groups[id];
      // A group the tenant does not have (deleted) excludes nobody.
      if (group === undefined) continue;
      const count = inScope(group.members);
      if (count === 0) continue;
      warnings.push(
        `${offered.words}: the authentication methods policy excludes group "${group.displayName}"` +
          ` (${count} of its members in the SSPR scope)` +
          `, so they cannot use ${offered.words} to reset their password although sspr:settings.methods offers it. ` +
          `Fix: Authentication methods > ${offered.id === "MicrosoftAuthenticator" ? "Microsoft Authenticator" : offered.id} ` +
          "> Exclude: remove the group, or make sure its members have enough other methods.",
      );
    }
  }

  // Administrators' SSPR off while administrators are in a Selected group (scope All: a config warning).
  const scopeGroup = facts.scopeGroupId === undefined ? undefined : facts.groups[facts.scopeGroupId.toLowerCase()];
  if (settings.administrators?.allowed === false && scopeGroup !== undefined && facts.administrators !== undefined) {
    const admins = facts.administrators.filter((id) => scopeGroup.members.includes(id)).length;
    if (admins > 0) {
      warnings.push(
        `Password reset for administrators is off (sspr:settings.administrators.allowed: false) while ${admins} ` +
          `administrator${admins === 1 ? " is a member" : "s are members"} of the SSPR group "${scopeGroup.displayName}" ` +
          `(${labelOf("enablement")}: Selected): they are asked to register for a reset they can never ` +
          "use. Fix: Password reset > Properties > Selected: a group without administrators, or allow " +
          "administrators (administrators.allowed: true).",
      );
    }
  }

  // SMS targets usable for sign-in (EIDSCA AS04): the stack adds its own with sign-in off, existing ones stay.
  if (methodChoiceAt(settings.methods, "mobilePhone") === "offer") {
    const sms = methodById(facts, "Sms");
    const signsIn = (target: TargetFacts): boolean => methodPurposes("Sms", {}, target).signIn !== undefined;
    for (const target of targets(sms?.includeTargets).filter(signsIn)) {
      const id = String(target.id ?? "").toLowerCase();
      const who = id === "all_users" ? "All users" : `group "${facts.groups[id]?.displayName ?? id}"`;
      warnings.push(
        `SMS is usable for sign-in for ${who} (Authentication methods > SMS: Use for sign-in on): SMS then ` +
          "signs people in with one factor, which EIDSCA AS04 advises against; sspr:settings.methods.mobilePhone " +
          "adds targets with it off but never narrows existing ones. Fix: Authentication methods > SMS > Configure " +
          "> Use for sign-in: off for that target.",
      );
    }
  }

  // Before the migration (or during it) the legacy SSPR switches still decide, alone or alongside.
  const migration = facts.migrationState;
  if (legacySwitchesDecide({ policyMigrationState: migration })) {
    const on = Object.entries(facts.legacySwitches)
      .filter(([, value]) => value)
      .map(([key]) => legacyWords[key]);
    const legacy = on.length === 0 ? "none is on" : `on: ${on.join(", ")}`;
    warnings.push(
      migration === "preMigration"
        ? `The tenant is before the authentication methods migration (Manage migration: Pre-migration): password ` +
            `reset still uses only the legacy Password reset > Authentication methods switches (${legacy}), so the ` +
            "methods sspr:settings.methods offers do not reach password reset yet. Fix: Authentication methods > " +
            "Policies > Manage migration > Migration Complete (methodsPolicy.migrationState: migrationComplete)."
        : `The tenant is in the middle of the authentication methods migration (Manage migration: Migration In ` +
            `Progress): the legacy Password reset > Authentication methods switches still count alongside the ` +
            `methods policy (${legacy}), so people may keep methods the stack does not offer. Fix: Authentication ` +
            "methods > Policies > Manage migration > Migration Complete (methodsPolicy.migrationState: migrationComplete).",
    );
  }
  return warnings;
}
