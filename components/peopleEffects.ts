/**
 * A change judged by its effect on people: who gains or loses which method, for SSPR and for MFA sign-in (the
 * authentication methods policy decides both), and whether it reaches beyond the SSPR scope.
 *
 * Pure: method configurations before and after (as Graph returns them, or as the stack plans them) and what is known
 * of the groups they name, in; admin-center sentences out. Used by the component at preview (the plan), and by
 * `rehearse` and `lab` (what really changed).
 */
import { isRecord } from "./entra/predicates";
import { isInForce } from "./entra/targetEffect";
import { allUsersTargetId } from "./mapping";

/** What the methods policy says about one method. */
export interface MethodView {
  id: string;
  state: unknown;
  /** Include target ids, lower-cased. */
  targets: string[];
}

/** A group named by a target: its display name and how many members it has, when known. */
export interface GroupFacts {
  displayName?: string;
  /** Users the group reaches (nested groups included). */
  memberCount?: number;
  /** The count is of a first page: there are more. */
  more?: boolean;
}

/** Who may reset: all users, or the members of one group (its id). */
export type SsprScope = { kind: "all" } | { kind: "group"; id: string } | { kind: "none" };

export interface MethodEffect {
  method: string;
  /** Target ids that can use the method after, and could not before. */
  gains: string[];
  /** Target ids that could use it before, and cannot after. */
  loses: string[];
  /** Targets a method switched on still carries, and that stay out of force (dormant). */
  dormant: string[];
}

export interface PeopleEffects {
  lines: string[];
  /** Changes that reach beyond the SSPR scope, or take a method away from anyone. */
  warnings: string[];
}

/** Admin-center words for a method of the methods policy. */
export const methodWords: Record<string, string> = {
  email: "Email",
  sms: "Mobile phone (text message)",
  voice: "Phone call (mobile and office phone)",
  microsoftauthenticator: "Microsoft Authenticator",
  softwareoath: "Software OATH tokens",
  temporaryaccesspass: "Temporary Access Pass",
  fido2: "Passkeys (FIDO2)",
  x509certificate: "Certificate-based authentication",
};

/** One method configuration as Graph returns it, reduced to what decides who can use it. */
export function methodView(configuration: unknown): MethodView | undefined {
  if (!isRecord(configuration) || typeof configuration.id !== "string") return undefined;
  const targets = Array.isArray(configuration.includeTargets) ? configuration.includeTargets : [];
  return {
    id: configuration.id,
    state: configuration.state ?? null,
    targets: targets.flatMap((target) =>
      isRecord(target) && typeof target.id === "string" ? [target.id.toLowerCase()] : [],
    ),
  };
}

/** The method views of a methods policy document (`authenticationMethodConfigurations`). */
export function methodViews(policy: unknown): MethodView[] {
  const configurations = isRecord(policy) ? policy.authenticationMethodConfigurations : undefined;
  return (Array.isArray(configurations) ? configurations : []).flatMap((item) => methodView(item) ?? []);
}

const inForce = (view: MethodView | undefined): string[] =>
  view !== undefined && isInForce(view.state) ? view.targets : [];

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
    if (gains.length + loses.length + dormant.length > 0) effects.push({ method: next.id, gains, loses, dormant });
  }
  return effects;
}

/** "all users", or "group 'SSPR Pilot' (3 members)". */
export function audience(id: string, groups: Readonly<Record<string, GroupFacts>>): string {
  if (id === allUsersTargetId) return "all users";
  const facts = groups[id.toLowerCase()] ?? {};
  const name = facts.displayName === undefined ? `group ${id}` : `group '${facts.displayName}'`;
  if (facts.memberCount === undefined) return name;
  const count = `${facts.more === true ? "at least " : ""}${facts.memberCount}`;
  return `${name} (${count} member${facts.memberCount === 1 && facts.more !== true ? "" : "s"})`;
}

function inScope(id: string, scope: SsprScope): boolean {
  if (scope.kind === "all") return true;
  return scope.kind === "group" && id === scope.id.toLowerCase();
}

/** The effects in admin-center words, with a warning for each one that reaches beyond the SSPR scope or takes away. */
export function describePeopleEffects(
  effects: readonly MethodEffect[],
  groups: Readonly<Record<string, GroupFacts>>,
  scope: SsprScope,
): PeopleEffects {
  const lines: string[] = [];
  const warnings: string[] = [];
  const who = (ids: readonly string[]) => ids.map((id) => audience(id, groups)).join(", ");
  for (const effect of effects) {
    const words = methodWords[effect.method.toLowerCase()] ?? effect.method;
    if (effect.gains.length > 0) {
      lines.push(`${words}: ${who(effect.gains)} can now use it, for SSPR and for MFA sign-in.`);
      const beyond = effect.gains.filter((id) => !inScope(id, scope));
      if (beyond.length > 0) {
        warnings.push(
          `${words} reaches beyond the SSPR scope: ${who(beyond)} gain it for MFA sign-in` +
            (scope.kind === "none" ? " while SSPR is off." : ` although only ${scopeWords(scope, groups)} may reset.`),
        );
      }
    }
    if (effect.dormant.length > 0) {
      lines.push(
        `${words}: switched on for the SSPR scope only; its other targets (${who(effect.dormant)}) stay off until ` +
          "destroy puts the method back as it was.",
      );
    }
    if (effect.loses.length > 0) {
      const line = `${words}: ${who(effect.loses)} can no longer use it, for SSPR or for MFA sign-in.`;
      lines.push(line);
      warnings.push(line);
    }
  }
  if (lines.length === 0) lines.push("Nobody gains or loses an authentication method.");
  return { lines, warnings };
}

function scopeWords(scope: SsprScope, groups: Readonly<Record<string, GroupFacts>>): string {
  return scope.kind === "group" ? audience(scope.id, groups) : "all users";
}
