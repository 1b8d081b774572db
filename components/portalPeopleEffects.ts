/**
 * People lines for what the methods policy cannot show: security questions (they live only in the SSPR policy, serve
 * only password reset, never administrators, and retire on Microsoft's calendar date) and administrators (they reset
 * under the administrator policy, switched by `allowedToUseSSPR`, whatever the SSPR scope). Counted from the tenant's
 * people when they are known (the readiness snapshot: who registered what, who holds an administrator role).
 *
 * Pure: the SSPR policy and the authorization policy before and after a change (an `up`, or a destroy putting the
 * before-snapshot back), in; sentences out, in the shape of `describePeopleEffects` so both print together.
 */
import { isRecord } from "../lib/predicates";
import { ssprScopeOf } from "../lib/tenantCodecs";
import { assessReadiness } from "./readiness/readinessReport";
import { twoGatePolicyApplies, twoGateRolesOf } from "./readiness/administratorPolicy";
import type { TenantSnapshot } from "./readiness/readinessTypes";
import { dayWords } from "./calendar";
import { isTrue, ssprMethodEndedBy, ssprMethodEndsLater, untilWords, type OnDay } from "./methodCatalogue";
import { audience, someNames, type GroupFacts, type PeopleEffects, type SsprScope } from "./peopleEffects";

type JsonObject = Record<string, unknown>;

/** One side of the change: the SSPR (portal) policy and the authorization policy as the services return them. */
export interface PortalSide {
  portal?: JsonObject;
  authorizationPolicy?: JsonObject;
  /** The SSPR scope on this side. */
  scope: SsprScope;
}

/** A person as the readiness snapshot knows them: enough to count who a line concerns. */
export interface PersonFacts {
  userPrincipalName: string;
  /** Registered methods in the registration report's vocabulary (`securityQuestion`, ...); undefined: not read. */
  registered?: string[];
  /** Groups that matter the person is in (lower-cased ids, nested groups included). */
  groupIds: string[];
  isAdministrator: boolean;
}

/** The tenant's people, when they were read. */
export interface TenantPeople {
  users: PersonFacts[];
  /** Whether directory roles were read: else nobody is known to be an administrator. */
  rolesKnown: boolean;
  /** Methods the administrator policy requires (2 with a custom domain or sync, else 1: `twoGatePolicyApplies`). */
  administratorMethods: number;
  /** Administrators who can reset after the change, by readiness (undefined: not judged). */
  administratorsCanReset?: number;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

function inScope(person: PersonFacts, scope: SsprScope): boolean {
  if (scope.kind === "all") return true;
  if (scope.kind === "none") return false;
  return person.groupIds.map((id) => id.toLowerCase()).includes(scope.id.toLowerCase());
}

/** Who a scope lets reset, in words: "all users", "group 'SSPR Pilot' (3 members: ...)", or nobody. */
function scopeAudience(scope: SsprScope, groups: Readonly<Record<string, GroupFacts>>): string {
  if (scope.kind === "none") return "nobody (SSPR is off: None)";
  return scope.kind === "all" ? "all users" : audience(scope.id, groups);
}

/** Whether the SSPR policy offers security questions on this side (switched on, and allowed in the tenant). */
function questionsOn(portal: JsonObject | undefined): boolean | undefined {
  if (!isRecord(portal) || portal.securityQuestionsOptionEnabled === undefined) return undefined;
  return isTrue(portal.securityQuestionsOptionEnabled) && portal.securityQuestionsOptionAllowed !== false;
}

/** "3 users in scope registered them (a, b and c)", counted among the users SSPR reaches on that side. */
function registeredWords(people: TenantPeople | undefined, scope: SsprScope, losing = false): string {
  if (people === undefined) return "";
  const registered = people.users.filter(
    (person) => !person.isAdministrator && person.registered?.includes("securityQuestion") === true,
  );
  const reached = registered.filter((person) => inScope(person, scope));
  const outside = registered.length - reached.length;
  const names = reached.map((person) => person.userPrincipalName);
  const head =
    reached.length === 0
      ? "No user SSPR reaches has registered them"
      : `${plural(reached.length, "user SSPR reaches has", "users SSPR reaches have")} registered them (${someNames(names)})`;
  // Those who registered them and lose them need another method; nobody does when nobody registered them.
  const need = losing && reached.length > 0 ? ": they need another method offered to them" : "";
  return ` ${head}${need}${outside > 0 ? `; ${plural(outside, "more user outside the scope has", "more users outside the scope have")} too` : ""}.`;
}

/** The security questions line: switched on, off, kept or left off, and whether Microsoft's calendar still lets them serve. */
function questionLines(
  before: PortalSide,
  after: PortalSide,
  groups: Readonly<Record<string, GroupFacts>>,
  people: TenantPeople | undefined,
  on: OnDay | undefined,
): PeopleEffects {
  const was = questionsOn(before.portal);
  const is = questionsOn(after.portal);
  const name = "Security questions";
  const only = "only for password reset: never a second factor, never to sign in, never for administrators";
  if (is === undefined) return { lines: [`${name}: not known (the SSPR policy could not be read).`], warnings: [] };
  const ended = on === undefined ? undefined : ssprMethodEndedBy("securityQuestions", on);
  const later = on === undefined ? undefined : ssprMethodEndsLater("securityQuestions", on);
  const endedWords =
    ended === undefined
      ? ""
      : `they no longer serve password reset since ${dayWords(ended.date)}: ${ended.title} (${ended.sources[0]?.url ?? ended.id})`;
  if (is && was !== true) {
    const who = scopeAudience(after.scope, groups);
    const line =
      ended !== undefined
        ? `${name}: switched on, but ${endedWords}: nobody resets with them.`
        : `${name}: ${who} can now use them to reset their password (SSPR)${untilWords(later)}; ${only}.` +
          registeredWords(people, after.scope);
    return { lines: [line], warnings: [] };
  }
  if (!is && was === true) {
    const who = scopeAudience(before.scope, groups);
    const line =
      ended !== undefined
        ? `${name}: switched off; ${endedWords}, so nobody loses a way to reset.`
        : `${name}: ${who} can no longer use them to reset their password (SSPR).` +
          registeredWords(people, before.scope, true);
    // A warning when somebody relies on them, or when who does is not known.
    const relied =
      people === undefined ||
      people.users.some(
        (person) =>
          !person.isAdministrator &&
          person.registered?.includes("securityQuestion") !== false &&
          inScope(person, before.scope),
      );
    return { lines: [line], warnings: ended === undefined && relied ? [line] : [] };
  }
  if (is) {
    const line =
      ended !== undefined
        ? `${name}: still on, but ${endedWords}: nobody resets with them.`
        : `${name}: unchanged, on for ${scopeAudience(after.scope, groups)} to reset their password (SSPR)` +
          `${untilWords(later)}; ${only}.${registeredWords(people, after.scope)}`;
    return { lines: [line], warnings: [] };
  }
  return { lines: [`${name}: off, before and after: nobody resets with them.`], warnings: [] };
}

/** "3 administrators (a, b and c)", or what is not known about them. */
function administratorsWords(people: TenantPeople | undefined): string {
  if (people === undefined) return "administrators";
  if (!people.rolesKnown) return "administrators (who they are is not known: directory roles could not be read)";
  const names = people.users.filter((person) => person.isAdministrator).map((person) => person.userPrincipalName);
  return names.length === 0
    ? "no administrators (nobody holds an administrator role)"
    : `${plural(names.length, "administrator", "administrators")} (${someNames(names)})`;
}

/** The administrators line: whether they may reset their own password, under which policy, and how many can. */
function administratorLines(before: PortalSide, after: PortalSide, people: TenantPeople | undefined): PeopleEffects {
  const was = before.authorizationPolicy?.allowedToUseSSPR;
  const is = after.authorizationPolicy?.allowedToUseSSPR;
  const who = administratorsWords(people);
  const count = people?.administratorMethods ?? 2;
  const policy =
    `under the administrator policy: ${plural(count, "method", "methods")} of their own, never security questions, ` +
    "whatever the SSPR scope and the methods the stack offers";
  const canReset =
    people?.administratorsCanReset === undefined || !people.rolesKnown
      ? ""
      : `; ${people.administratorsCanReset} of ${people.users.filter((person) => person.isAdministrator).length} can reset now`;
  if (typeof is !== "boolean")
    return { lines: [`Administrators: whether they may reset (allowedToUseSSPR) is not known.`], warnings: [] };
  if (is && was !== true)
    return {
      lines: [`Administrators: ${who} can now reset their own password ${policy} (allowedToUseSSPR true)${canReset}.`],
      warnings: [],
    };
  if (!is && was === true) {
    const line =
      `Administrators: ${who} can no longer reset their own password (allowedToUseSSPR false); ` +
      "another administrator must reset it for them.";
    return { lines: [line], warnings: [line] };
  }
  return {
    lines: [
      is
        ? `Administrators: unchanged: ${who} reset their own password ${policy} (allowedToUseSSPR true)${canReset}.`
        : `Administrators: unchanged: ${who} cannot reset their own password (allowedToUseSSPR false).`,
    ],
    warnings: [],
  };
}

const sameScope = (a: SsprScope, b: SsprScope): boolean =>
  a.kind === b.kind && (a.kind !== "group" || (b.kind === "group" && a.id.toLowerCase() === b.id.toLowerCase()));

/** The SSPR scope changed: who may reset before and after, and the users who leave or join it, counted. */
function scopeLines(
  before: PortalSide,
  after: PortalSide,
  groups: Readonly<Record<string, GroupFacts>>,
  people: TenantPeople | undefined,
): PeopleEffects {
  if (sameScope(before.scope, after.scope)) return { lines: [], warnings: [] };
  const can = (scope: SsprScope): string =>
    scope.kind === "none"
      ? "nobody can (SSPR is off: None)"
      : `${scope.kind === "all" ? "all users" : `only ${audience(scope.id, groups)}`} can`;
  const head =
    `Password reset (SSPR scope): ${scopeAudience(before.scope, groups)} could reset before; after, ` +
    `${can(after.scope)}; administrators are judged apart (administrator policy).`;
  if (people === undefined) return { lines: [head], warnings: [] };
  const users = people.users.filter((person) => !person.isAdministrator);
  const leave = users.filter((person) => inScope(person, before.scope) && !inScope(person, after.scope));
  const join = users.filter((person) => !inScope(person, before.scope) && inScope(person, after.scope));
  const names = (list: PersonFacts[]): string => someNames(list.map((person) => person.userPrincipalName));
  const lines = [head];
  const warnings: string[] = [];
  if (join.length > 0)
    lines.push(`Password reset (SSPR scope): ${plural(join.length, "user joins", "users join")} it (${names(join)}).`);
  if (leave.length > 0) {
    const line = `Password reset (SSPR scope): ${plural(leave.length, "user leaves", "users leave")} it and can no longer reset (${names(leave)}).`;
    lines.push(line);
    warnings.push(line);
  }
  return { lines, warnings };
}

/** The security questions and administrators lines of a change, counted from the tenant's people when known. */
export function portalPeopleEffects(
  before: PortalSide,
  after: PortalSide,
  groups: Readonly<Record<string, GroupFacts>>,
  people?: TenantPeople,
  on?: OnDay,
): PeopleEffects {
  const parts = [
    scopeLines(before, after, groups, people),
    questionLines(before, after, groups, people, on),
    administratorLines(before, after, people),
  ];
  return { lines: parts.flatMap((part) => part.lines), warnings: parts.flatMap((part) => part.warnings) };
}

// ---------------------------------------------------------------------------------------------------------------
// The preview: the stack's planned settings on the tenant as read
// ---------------------------------------------------------------------------------------------------------------

/** The SSPR scope a portal policy document holds (enablementType 0 None, 1 Selected, 2 All). */
export function scopeOfPortal(portal: unknown): SsprScope {
  const { enablement, groupIds } = ssprScopeOf(isRecord(portal) ? portal : undefined);
  if (enablement === "all") return { kind: "all" };
  if (enablement === "selected" && groupIds[0] !== undefined) return { kind: "group", id: groupIds[0].toLowerCase() };
  return { kind: "none" };
}

/** The tenant's people from a readiness snapshot; `extraGroups`: more group memberships known by name (a pilot). */
export function peopleOfSnapshot(
  snapshot: TenantSnapshot,
  on: OnDay | undefined,
  extraGroups: Readonly<Record<string, readonly string[]>> = {},
): TenantPeople {
  const report = assessReadiness(snapshot, on);
  return {
    users: snapshot.users
      .filter((user) => user.userType.toLowerCase() !== "guest")
      .map((user) => ({
        userPrincipalName: user.userPrincipalName,
        ...(user.registered === undefined ? {} : { registered: user.registered }),
        groupIds: [
          ...user.groupIds.map((id) => id.toLowerCase()),
          ...Object.entries(extraGroups)
            .filter(([, members]) => members.some((upn) => upn.toLowerCase() === user.userPrincipalName.toLowerCase()))
            .map(([id]) => id),
        ],
        isAdministrator: twoGateRolesOf(user).length > 0,
      })),
    rolesKnown: snapshot.rolesKnown,
    administratorMethods: twoGatePolicyApplies(snapshot.organization) ? 2 : 1,
    administratorsCanReset: report.groups.administrators.canReset,
  };
}

/** What of the stack's settings the preview's security questions and administrators lines need. */
export interface PlannedPortalArgs {
  scope: "none" | "selected" | "all";
  group?: { id: string } | { displayName: string; members?: string[] };
  methods?: { securityQuestions?: unknown };
  administrators?: { allowed: boolean };
}

/** Stands in for the id of a pilot group the stack has not created yet (as the methods' preview names it). */
const plannedPilot = "(the pilot group)";

/**
 * The preview's security questions, administrators and scope lines: the tenant as read (a readiness snapshot) before,
 * the stack's settings planned on it after. What the stack leaves alone stays as read.
 */
export function plannedPortalPeopleEffects(
  snapshot: TenantSnapshot,
  args: PlannedPortalArgs,
  on: OnDay | undefined,
): PeopleEffects {
  const questions = args.methods?.securityQuestions;
  const portalAfter: JsonObject | undefined =
    snapshot.portal === undefined
      ? undefined
      : {
          ...snapshot.portal,
          ...(questions === undefined
            ? {}
            : { securityQuestionsOptionEnabled: questions !== false && questions !== "disable" }),
        };
  const group = args.group;
  const groupId = group !== undefined && "id" in group ? group.id.toLowerCase() : plannedPilot;
  const scopeAfter: SsprScope =
    args.scope === "all"
      ? { kind: "all" }
      : args.scope === "selected"
        ? { kind: "group", id: groupId }
        : { kind: "none" };
  const authorizationAfter =
    args.administrators === undefined
      ? snapshot.authorizationPolicy
      : { ...(snapshot.authorizationPolicy ?? {}), allowedToUseSSPR: args.administrators.allowed };
  const groups: Record<string, GroupFacts> = {};
  for (const [id, name] of Object.entries(snapshot.groupNames)) groups[id.toLowerCase()] = { displayName: name };
  // Who is in each group read, by user principal name (the snapshot keeps ids).
  for (const [id, memberIds] of Object.entries(snapshot.groupMemberIds ?? {})) {
    const members = memberIds.flatMap((memberId) => {
      const user = snapshot.users.find((candidate) => candidate.id.toLowerCase() === memberId.toLowerCase());
      return user === undefined ? [] : [user.userPrincipalName];
    });
    groups[id.toLowerCase()] = { ...groups[id.toLowerCase()], memberCount: memberIds.length, members };
  }
  const pilotMembers = group !== undefined && !("id" in group) ? group.members : undefined;
  if (group !== undefined && !("id" in group))
    groups[plannedPilot] = {
      displayName: group.displayName,
      ...(pilotMembers === undefined ? {} : { memberCount: pilotMembers.length, members: pilotMembers }),
    };
  const plannedSnapshot: TenantSnapshot = {
    ...snapshot,
    ...(authorizationAfter === undefined ? {} : { authorizationPolicy: authorizationAfter }),
  };
  const people = peopleOfSnapshot(
    plannedSnapshot,
    on,
    pilotMembers === undefined ? {} : { [plannedPilot]: pilotMembers },
  );
  return portalPeopleEffects(
    {
      portal: snapshot.portal,
      authorizationPolicy: snapshot.authorizationPolicy,
      scope: scopeOfPortal(snapshot.portal),
    },
    { portal: portalAfter, authorizationPolicy: authorizationAfter, scope: scopeAfter },
    groups,
    people,
    on,
  );
}
