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
import { methodPurposes, type TargetFacts } from "./methodPurposes";
import type { SsprSettings } from "./ssprArgs";
import type { ConfigPath, ConfigProblem } from "./configProblems";
import { isRecord } from "../lib/predicates";
import { legacySwitchesDecide } from "../provider/reader/tenantCodecs";
import { labelOf } from "./adminCenterLabels";

/** Security questions retire on this day (Message Center MC1234564, per the project reference). */
export const securityQuestionsRetirement = new Date(Date.UTC(2027, 2, 1));
const retirementWords = "1 March 2027";

const questionsOn = (settings: SsprSettings): boolean => {
  const questions = settings.methods?.securityQuestions;
  return questions !== undefined && questions !== false;
};

/** Config errors: security questions on or after their retirement. Tolerant of any input shape. */
export function configLockoutProblems(settings: unknown, at: ConfigPath, now: Date): ConfigProblem[] {
  const methods = isRecord(settings) ? settings.methods : undefined;
  const questions = isRecord(methods) ? methods.securityQuestions : undefined;
  if (!isRecord(questions) || now.getTime() < securityQuestionsRetirement.getTime()) return [];
  return [
    {
      path: [...at, "methods", "securityQuestions"],
      value: questions,
      expected:
        `expected false: security questions retired on ${retirementWords} (Message Center MC1234564) and can no ` +
        "longer be offered. Fix: Password reset > Authentication methods > clear Security questions and offer " +
        "another method (methods.securityQuestions: false)",
      kind: "invalid",
    },
  ];
}

/** The non-question methods the config offers, in admin-center words. */
function otherMethods(settings: SsprSettings): string[] {
  const methods = settings.methods ?? {};
  const names: string[] = [];
  if (methods.email === true) names.push("Email");
  if (methods.mobilePhone === true) names.push("Mobile phone");
  if (methods.officePhone === true) names.push("Office phone");
  if (methods.authenticatorApp === true) names.push("Mobile app (Microsoft Authenticator)");
  return names;
}

/** Warnings the config alone shows. `now` decides the security questions' wording. */
export function configLockoutWarnings(settings: SsprSettings, now: Date): string[] {
  const warnings: string[] = [];
  const active = settings.scope === "selected" || settings.scope === "all";
  if (questionsOn(settings) && now.getTime() < securityQuestionsRetirement.getTime()) {
    warnings.push(
      `Security questions retire in March 2027: from ${retirementWords} (Message Center MC1234564) this config ` +
        "(entra-sspr:sspr.methods.securityQuestions) is refused, and administrators can never use them. Fix: " +
        "Password reset > Authentication methods > offer another method now, then clear Security questions " +
        "(methods.securityQuestions: false).",
    );
  }
  // Administrators' SSPR is on unless the stack turns it off (Entra's default) and always asks two methods.
  const administratorsMayReset = settings.administrators?.allowed !== false;
  const others = otherMethods(settings);
  if (active && administratorsMayReset && questionsOn(settings) && others.length < 2) {
    const offered = others.length === 0 ? "no other method" : `only ${others.join(", ")}`;
    warnings.push(
      `Security questions are the only way for administrators to reach the two methods their reset requires: ` +
        `entra-sspr:sspr.methods offers ${offered} besides Security questions, which administrators can never ` +
        "use. Fix: Password reset > Authentication methods > offer at least two other methods (for example " +
        "methods.mobilePhone: true and methods.authenticatorApp: true), or turn password reset for administrators " +
        "off (administrators.allowed: false).",
    );
  }
  if (settings.scope === "all" && settings.administrators?.allowed === false) {
    warnings.push(
      "Password reset for administrators is off (entra-sspr:sspr.administrators.allowed: false) while " +
        `${labelOf("enablement")} is All, which includes administrators: they are asked to register for a reset ` +
        "they can never use. Fix: Password reset > Properties > Selected, with a group without administrators " +
        '(scope: "selected"), or allow administrators (administrators.allowed: true).',
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

/** Which Graph method ids an offered admin-center method relies on. */
export function offeredMethodIds(settings: SsprSettings): { id: string; words: string }[] {
  const methods = settings.methods ?? {};
  const ids: { id: string; words: string }[] = [];
  if (methods.email === true) ids.push({ id: "Email", words: "Email" });
  if (methods.mobilePhone === true) {
    ids.push({ id: "Sms", words: "Mobile phone (SMS)" }, { id: "Voice", words: "Mobile phone (voice call)" });
  }
  if (methods.officePhone === true && methods.mobilePhone !== true) ids.push({ id: "Voice", words: "Office phone" });
  if (methods.authenticatorApp === true) {
    ids.push({ id: "MicrosoftAuthenticator", words: "Mobile app (Microsoft Authenticator)" });
  }
  return ids;
}

const legacyWords: Record<string, string> = {
  emailOptionEnabled: "Email",
  mobilePhoneOptionEnabled: "Mobile phone",
  officePhoneOptionEnabled: "Office phone",
  mobileAppNotificationEnabled: "Mobile app notification",
  mobileAppCodeEnabled: "Mobile app code",
  securityQuestionsOptionEnabled: "Security questions",
};

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
          `, so they cannot use ${offered.words} to reset their password although entra-sspr:sspr.methods offers it. ` +
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
        `Password reset for administrators is off (entra-sspr:sspr.administrators.allowed: false) while ${admins} ` +
          `administrator${admins === 1 ? " is a member" : "s are members"} of the SSPR group "${scopeGroup.displayName}" ` +
          `(${labelOf("enablement")}: Selected): they are asked to register for a reset they can never ` +
          "use. Fix: Password reset > Properties > Selected: a group without administrators, or allow " +
          "administrators (administrators.allowed: true).",
      );
    }
  }

  // SMS targets usable for sign-in (EIDSCA AS04): the stack adds its own with sign-in off, existing ones stay.
  if (settings.methods?.mobilePhone === true) {
    const sms = methodById(facts, "Sms");
    const signsIn = (target: TargetFacts): boolean => methodPurposes("Sms", {}, target).signIn !== undefined;
    for (const target of targets(sms?.includeTargets).filter(signsIn)) {
      const id = String(target.id ?? "").toLowerCase();
      const who = id === "all_users" ? "All users" : `group "${facts.groups[id]?.displayName ?? id}"`;
      warnings.push(
        `SMS is usable for sign-in for ${who} (Authentication methods > SMS: Use for sign-in on): SMS then ` +
          "signs people in with one factor, which EIDSCA AS04 advises against; entra-sspr:sspr.methods.mobilePhone " +
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
            "methods entra-sspr:sspr.methods offers do not reach password reset yet. Fix: Authentication methods > " +
            "Policies > Manage migration > Migration Complete (methodsPolicy.migrationState: migrationComplete)."
        : `The tenant is in the middle of the authentication methods migration (Manage migration: Migration In ` +
            `Progress): the legacy Password reset > Authentication methods switches still count alongside the ` +
            `methods policy (${legacy}), so people may keep methods the stack does not offer. Fix: Authentication ` +
            "methods > Policies > Manage migration > Migration Complete (methodsPolicy.migrationState: migrationComplete).",
    );
  }
  return warnings;
}
