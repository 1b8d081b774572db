/**
 * A change judged by its effect on people: who gains or loses which method, for what (password reset, a second
 * factor, sign-in: `methodPurposes.ts` says which methods serve which), and whether it reaches beyond the SSPR scope.
 *
 * Pure: method configurations before and after (as Graph returns them, or as the stack plans them) and what is known
 * of the groups they name, in; admin-center sentences out. Used by the component at preview (the plan), and by
 * `rehearse` and `lab` (what really changed).
 */
import { isRecord } from "../lib/predicates";
import { migrationStateOf } from "../lib/tenantCodecs";
import { isInForce } from "../lib/tenantCodecs";
import { zeroGuid } from "../provider/objects/targetLists";
import { allUsersTargetId } from "./mapping";
import {
  isTrue,
  methodNames,
  methodPurposes,
  purposeWords,
  servesBeyondReset,
  type MethodFacts,
  type MethodPurposes,
  type OnDay,
  type ResetReach,
  type TargetFacts,
} from "./methodCatalogue";

/** What the methods policy says about one method. */
export interface MethodView {
  id: string;
  state: unknown;
  /** Include target ids, lower-cased. */
  targets: string[];
  /** What decides the method's purposes (office phone, Authenticator codes). */
  facts?: MethodFacts;
  /** Each include target's own facts (SMS sign-in, Authenticator mode), by lower-cased id. */
  targetFacts?: Record<string, TargetFacts>;
  /** Exclude target ids, lower-cased: they do not get the method whatever the include targets say. */
  excluded?: string[];
}

/** A group named by a target: its display name and who is in it, when known. */
export interface GroupFacts {
  displayName?: string;
  /** Users the group reaches (nested groups included). */
  memberCount?: number;
  /** Their user principal names (the first page: up to `memberCount`). */
  members?: string[];
  /** The count is of a first page: there are more. */
  more?: boolean;
}

/** Who may reset: all users, or the members of one group (its id). */
export type SsprScope = { kind: "all" } | { kind: "group"; id: string } | { kind: "none" };

/** A part of a method switched on or off for the targets that keep the method (office phone, codes, SMS sign-in). */
export interface FeatureChange {
  feature: "officePhone" | "appCode" | "smsSignIn";
  on: boolean;
  targets: string[];
}

export interface MethodEffect {
  method: string;
  /** Target ids that can use the method after, and could not before. */
  gains: string[];
  /** Target ids that could use it before, and cannot after. */
  loses: string[];
  /** Targets a method switched on still carries, and that stay out of force (dormant). */
  dormant: string[];
  /** The method's facts after (for gains and dormant targets) and before (for losses). */
  after?: Pick<MethodView, "facts" | "targetFacts" | "excluded">;
  before?: Pick<MethodView, "facts" | "targetFacts" | "excluded">;
  /** Parts switched on or off for the people who keep the method. */
  features?: FeatureChange[];
}

export interface PeopleEffects {
  lines: string[];
  /** Changes that reach beyond the SSPR scope, or take a method away from anyone. */
  warnings: string[];
}

/** Admin-center words for a method of the methods policy (lower-cased id), when its facts are not at hand. */
export const methodWords: Readonly<Record<string, string>> = methodNames;

/** One method configuration as Graph returns it, reduced to what decides who can use it and for what. */
export function methodView(configuration: unknown): MethodView | undefined {
  if (!isRecord(configuration) || typeof configuration.id !== "string") return undefined;
  const targetsOf = (list: unknown): Record<string, unknown>[] =>
    (Array.isArray(list) ? list : []).filter(
      (target): target is Record<string, unknown> => isRecord(target) && typeof target.id === "string",
    );
  const targets = targetsOf(configuration.includeTargets);
  // The zero GUID is Graph's "no exclusion" sentinel, not a group.
  const excluded = targetsOf(configuration.excludeTargets)
    .map((target) => String(target.id).toLowerCase())
    .filter((id) => id !== zeroGuid);
  const facts: MethodFacts = {};
  if (configuration.isOfficePhoneAllowed !== undefined) facts.isOfficePhoneAllowed = configuration.isOfficePhoneAllowed;
  if (configuration.isSoftwareOathEnabled !== undefined)
    facts.isSoftwareOathEnabled = configuration.isSoftwareOathEnabled;
  const targetFacts: Record<string, TargetFacts> = {};
  for (const target of targets) {
    const own: TargetFacts = {};
    if (target.isUsableForSignIn !== undefined) own.isUsableForSignIn = target.isUsableForSignIn;
    if (target.authenticationMode !== undefined) own.authenticationMode = target.authenticationMode;
    targetFacts[String(target.id).toLowerCase()] = own;
  }
  return {
    id: configuration.id,
    state: configuration.state ?? null,
    targets: targets.map((target) => String(target.id).toLowerCase()),
    facts,
    targetFacts,
    ...(excluded.length === 0 ? {} : { excluded }),
  };
}

/** The method views of a methods policy document (`authenticationMethodConfigurations`). */
export function methodViews(policy: unknown): MethodView[] {
  const configurations = isRecord(policy) ? policy.authenticationMethodConfigurations : undefined;
  return (Array.isArray(configurations) ? configurations : []).flatMap((item) => methodView(item) ?? []);
}

const inForce = (view: MethodView | undefined): string[] =>
  view !== undefined && isInForce(view.state) ? view.targets : [];

/** Office phone, Authenticator codes and SMS sign-in switched on or off for the targets that keep the method. */
function featureChanges(previous: MethodView, next: MethodView, kept: readonly string[]): FeatureChange[] {
  if (kept.length === 0) return [];
  const changes: FeatureChange[] = [];
  const flag = (feature: FeatureChange["feature"], key: keyof MethodFacts): void => {
    const was = isTrue(previous.facts?.[key]);
    const is = isTrue(next.facts?.[key]);
    if (was !== is) changes.push({ feature, on: is, targets: [...kept] });
  };
  const id = next.id.toLowerCase();
  if (id === "voice") flag("officePhone", "isOfficePhoneAllowed");
  if (id === "microsoftauthenticator") flag("appCode", "isSoftwareOathEnabled");
  if (id === "sms") {
    const signIn = (view: MethodView, target: string): boolean => isTrue(view.targetFacts?.[target]?.isUsableForSignIn);
    for (const on of [true, false]) {
      const targets = kept.filter((target) => signIn(previous, target) !== on && signIn(next, target) === on);
      if (targets.length > 0) changes.push({ feature: "smsSignIn", on, targets });
    }
  }
  return changes;
}

/** Who gains and loses each method between two readings of the methods policy (methods that change nobody left out). */
export function methodEffects(before: readonly MethodView[], after: readonly MethodView[]): MethodEffect[] {
  const effects: MethodEffect[] = [];
  for (const next of after) {
    const previous = before.find((view) => view.id.toLowerCase() === next.id.toLowerCase());
    const was = inForce(previous);
    const is = inForce(next);
    // People, not ids: once all users have a method, a group added to it gains nobody; while all users keep it,
    // a group taken off it loses nobody.
    const gains = was.includes(allUsersTargetId) ? [] : is.filter((id) => !was.includes(id));
    const loses = is.includes(allUsersTargetId) ? [] : was.filter((id) => !is.includes(id));
    const switchedOn = isInForce(next.state) && !isInForce(previous?.state);
    const dormant = switchedOn ? (previous?.targets ?? []).filter((id) => !is.includes(id)) : [];
    const features =
      previous === undefined
        ? []
        : featureChanges(
            previous,
            next,
            is.filter((id) => was.includes(id)),
          );
    if (gains.length + loses.length + dormant.length + features.length > 0)
      effects.push({
        method: next.id,
        gains,
        loses,
        dormant,
        after: { facts: next.facts ?? {}, targetFacts: next.targetFacts ?? {}, excluded: next.excluded ?? [] },
        before: {
          facts: previous?.facts ?? {},
          targetFacts: previous?.targetFacts ?? {},
          excluded: previous?.excluded ?? [],
        },
        ...(features.length === 0 ? {} : { features }),
      });
  }
  return effects;
}

/** "a", "a and b", "a, b and c". */
const list = (items: readonly string[]): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/** Up to ten names, then how many more ("a, b and 3 more"). */
export function someNames(names: readonly string[], total = names.length, atLeast = false): string {
  const shown = names.slice(0, 10);
  const rest = total - shown.length;
  if (rest <= 0) return list(shown);
  return `${shown.join(", ")} and ${atLeast ? "at least " : ""}${rest} more`;
}

/**
 * "all users", or a group by its display name with who is in it: "group 'SSPR Pilot' (1 member: c.vogel@...)".
 * `withMembers: false` leaves the members out (a group named inside a longer sentence).
 */
export function audience(id: string, groups: Readonly<Record<string, GroupFacts>>, withMembers = true): string {
  if (id === allUsersTargetId) return "all users";
  const facts = groups[id.toLowerCase()] ?? {};
  const name = facts.displayName === undefined ? `group ${id}` : `group '${facts.displayName}'`;
  if (facts.memberCount === undefined || !withMembers) return name;
  const more = facts.more === true;
  const count = `${more ? "at least " : ""}${facts.memberCount} member${facts.memberCount === 1 && !more ? "" : "s"}`;
  if (facts.memberCount === 0 && !more) return `${name} (no members)`;
  const members = facts.members ?? [];
  return members.length === 0
    ? `${name} (${count})`
    : `${name} (${count}: ${someNames(members, facts.memberCount, more)})`;
}

function inScope(id: string, scope: SsprScope): boolean {
  if (scope.kind === "all") return true;
  return scope.kind === "group" && id === scope.id.toLowerCase();
}

/**
 * Whether the methods policy decides which methods password reset offers: not before the migration (Learn
 * `how-to-authentication-methods-manage`: pre-migration, only the password reset policy's own methods count; in
 * progress, both count). `null`/absent counts as complete. `planned`: the state the stack sets, if any.
 */
export function methodsPolicyDecidesReset(policy: unknown, planned?: string): boolean {
  return (planned ?? migrationStateOf(isRecord(policy) ? policy : {})) !== "preMigration";
}

const preMigration =
  "once the methods policy decides password reset (the tenant is pre-migration: the password reset policy's own " +
  "methods decide)";

/** Whether the people of a target may reset, and the condition in words when they may not. */
function resetReach(
  id: string,
  scope: SsprScope,
  groups: Readonly<Record<string, GroupFacts>>,
  decidesReset = true,
): ResetReach {
  if (!decidesReset) return { reaches: false, why: preMigration };
  if (inScope(id, scope)) return { reaches: true };
  if (scope.kind === "none")
    return { reaches: false, why: "once SSPR is enabled for them (it is off: nobody may reset)" };
  return { reaches: false, why: `where SSPR is enabled for them (only ${scopeWords(scope, groups, false)} may reset)` };
}

/** Targets grouped by what the method is for them (SMS sign-in and Authenticator modes differ by target). */
function byPurposes(
  method: string,
  ids: readonly string[],
  view: Pick<MethodView, "facts" | "targetFacts"> | undefined,
  scope: SsprScope,
  groups: Readonly<Record<string, GroupFacts>>,
  joiner: "and" | "or",
  decidesReset: boolean,
  on: OnDay | undefined,
): { words: string; purposes: MethodPurposes; ids: string[] }[] {
  const grouped: { words: string; purposes: MethodPurposes; ids: string[] }[] = [];
  for (const id of ids) {
    const purposes = methodPurposes(method, view?.facts, view?.targetFacts?.[id], on);
    const words = purposeWords(purposes, resetReach(id, scope, groups, decidesReset), joiner);
    const entry = grouped.find((candidate) => candidate.words === words);
    if (entry === undefined) grouped.push({ words, purposes, ids: [id] });
    else entry.ids.push(id);
  }
  return grouped;
}

/** A part of a method switched on or off, in words: one line for each set of targets SSPR reaches alike. */
function featureLines(
  method: string,
  change: FeatureChange,
  who: (ids: readonly string[]) => string,
  reach: (id: string) => ResetReach,
  facts: MethodFacts | undefined,
): string[] {
  const can = change.on ? "can now" : "can no longer";
  const joiner = change.on ? "and" : "or";
  if (change.feature === "smsSignIn")
    return [
      `${methodPurposes(method, facts).name}: ${who(change.targets)} ${can} sign in with a text message alone (SMS sign-in).`,
    ];
  // The part's own purposes, from the table: office phone calls, or the app's codes.
  const part: MethodPurposes =
    change.feature === "officePhone"
      ? { name: "Phone call (office phone)", sspr: ["officePhone"], mfa: true }
      : { name: "Microsoft Authenticator", sspr: ["appCode"], mfa: true };
  const uses = change.feature === "officePhone" ? "be called on their office phone" : "use its codes";
  const flag = change.feature === "officePhone" ? "isOfficePhoneAllowed" : "isSoftwareOathEnabled";
  const byWords = new Map<string, string[]>();
  for (const id of change.targets) {
    const words = purposeWords(part, reach(id), joiner);
    byWords.set(words, [...(byWords.get(words) ?? []), id]);
  }
  return [...byWords].map(([words, ids]) => `${part.name}: ${who(ids)} ${can} ${uses}${words} (${flag} ${change.on}).`);
}

/**
 * The effects in admin-center words, with a warning for each one that reaches beyond the SSPR scope or takes away.
 * `decidesReset`: whether the methods policy decides password reset (`methodsPolicyDecidesReset`). `on`: the day the
 * words are for: a purpose Microsoft's calendar ends later is said with its last day ("until <its last day>").
 */
export function describePeopleEffects(
  effects: readonly MethodEffect[],
  groups: Readonly<Record<string, GroupFacts>>,
  scope: SsprScope,
  decidesReset = true,
  on?: OnDay,
): PeopleEffects {
  const lines: string[] = [];
  const warnings: string[] = [];
  const who = (ids: readonly string[]) => list(ids.map((id) => audience(id, groups)));
  // Excluded groups keep out whatever the include targets say: named, so "all users" is never more than true.
  const except = (ids: readonly string[], excluded: readonly string[] | undefined): string =>
    excluded === undefined || excluded.length === 0 || ids.every((id) => excluded.includes(id))
      ? who(ids)
      : `${who(ids)} except ${who(excluded)}`;
  for (const effect of effects) {
    const name = methodPurposes(effect.method, effect.after?.facts).name;
    const gainedGroups = byPurposes(effect.method, effect.gains, effect.after, scope, groups, "and", decidesReset, on);
    for (const gained of gainedGroups) {
      lines.push(`${name}: ${except(gained.ids, effect.after?.excluded)} can now use it${gained.words}.`);
      const beyond = gained.ids.filter((id) => !inScope(id, scope));
      if (beyond.length > 0) {
        const reset =
          scope.kind === "none" ? "while SSPR is off" : `although only ${scopeWords(scope, groups)} may reset`;
        const beyondReset: MethodPurposes = { ...gained.purposes, sspr: [], notFor: undefined };
        warnings.push(
          servesBeyondReset(gained.purposes)
            ? `${name} reaches beyond the SSPR scope: ${who(beyond)} gain it${purposeWords(beyondReset, { reaches: true }, "and")} ${reset}.`
            : `${name} reaches beyond the SSPR scope: ${who(beyond)} gain it ${reset}; it serves them only for ` +
                "password reset, so nothing changes for them until SSPR is enabled for them.",
        );
      }
    }
    if (effect.dormant.length > 0) {
      const [target, verb] = effect.dormant.length === 1 ? ["target", "stays"] : ["targets", "stay"];
      lines.push(
        `${name}: switched on for the SSPR scope only; its dormant ${target} (${who(effect.dormant)}) ${verb} out of ` +
          "force; destroy puts the method back as it was, off.",
      );
    }
    const lostName = methodPurposes(effect.method, effect.before?.facts).name;
    for (const lost of byPurposes(effect.method, effect.loses, effect.before, scope, groups, "or", decidesReset, on)) {
      const line = `${lostName}: ${except(lost.ids, effect.before?.excluded)} can no longer use it${lost.words}.`;
      lines.push(line);
      warnings.push(line);
    }
    const reach = (id: string) => resetReach(id, scope, groups, decidesReset);
    for (const change of effect.features ?? []) {
      for (const line of featureLines(effect.method, change, who, reach, effect.after?.facts)) {
        lines.push(line);
        if (!change.on) warnings.push(line);
      }
    }
  }
  if (lines.length === 0) lines.push("Nobody gains or loses an authentication method.");
  return { lines, warnings };
}

function scopeWords(scope: SsprScope, groups: Readonly<Record<string, GroupFacts>>, withMembers = true): string {
  return scope.kind === "group" ? audience(scope.id, groups, withMembers) : "all users";
}
