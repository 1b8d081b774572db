/**
 * What `rehearse` and `lab` say in people: who gained or lost which method between two readings of the tenant's
 * methods policy, for what each method serves (`methodPurposes.ts`), with the groups named by their display name
 * and members.
 */
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { EntraClient } from "../../provider/http/client";
import { todayFor, type OnDay } from "../../components/methodCatalogue";
import {
  peopleOfSnapshot,
  portalPeopleEffects,
  scopeOfPortal,
  type TenantPeople,
} from "../../components/portalPeopleEffects";
export { scopeOfPortal };
import type { TenantSnapshot } from "../../components/readiness/readinessTypes";
import { readPermissions, readTenantSnapshot } from "../../provider/reader/readinessSnapshot";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { createTokenSource } from "../../provider/http/credentials";
import { tokenGrants, type TokenGrants } from "../../provider/grants/grants";
import type { TenantSettings } from "./tenantReport";
import { namedGroups, readGroupFacts, ssprScope } from "../../provider/reader/peoplePreview";
import {
  describePeopleEffects,
  methodEffects,
  methodsPolicyDecidesReset,
  methodViews,
  type GroupFacts,
  type PeopleEffects,
  type SsprScope,
} from "../../components/peopleEffects";
import { isRecord } from "../../lib/predicates";
import { ssprScopeOf } from "../../lib/tenantCodecs";

/** The effects of a change between `before` and `after` (methods policy documents as Graph returns them). */
export async function peopleChanges(
  client: EntraClient,
  before: unknown,
  after: unknown,
  args: SelfServicePasswordResetArgs,
  portalAfter: unknown,
): Promise<PeopleEffects> {
  const effects = methodEffects(methodViews(before), methodViews(after));
  // The scope's group is the one the portal now holds (a pilot group the stack created has an id only now).
  const scopeGroup = ssprScopeOf(isRecord(portalAfter) ? portalAfter : undefined).groupIds[0]?.toLowerCase() ?? "";
  const groups: Record<string, GroupFacts> = {};
  const scopeGroupId = args.scope === "selected" ? scopeGroup : "";
  for (const id of namedGroups(effects, scopeGroupId)) groups[id] = await readGroupFacts(client, id);
  return describePeopleEffects(
    effects,
    groups,
    ssprScope(args, scopeGroup),
    methodsPolicyDecidesReset(after),
    todayFor(args),
  );
}

export function formatPeopleEffects(effects: PeopleEffects, indent = "  "): string {
  return [...effects.lines, ...effects.warnings.map((warning) => `Warning: ${warning}`)]
    .map((line) => `${indent}${line}`)
    .join("\n");
}

/** The tenant's people as readiness reads them (who registered what, who is an administrator), and the report. */
export async function readTenantPeople(
  client: EntraClient,
  tenantId: string,
  on: OnDay,
  groupIds: readonly string[] = [],
): Promise<{ people: TenantPeople; snapshot: TenantSnapshot }> {
  const snapshot = await readTenantSnapshot(client, tenantId, { groupIds });
  return { snapshot, people: peopleOfSnapshot(snapshot, on) };
}

/**
 * The read-only grants counting people needs that the identity's Graph token lacks (the rehearsal runs with the
 * deploy identity's grants: it reads no more than they allow). Empty when they are all there, or when the token
 * cannot be read (then the reads say for themselves).
 */
export async function missingPeopleGrants(target: EntraTarget): Promise<string[]> {
  let grants: TokenGrants;
  try {
    grants = tokenGrants(await createTokenSource(target).getToken("graph"));
  } catch {
    return [];
  }
  if (grants.kind === "unreadable") return [];
  const needed = [
    [readPermissions.users, "User.Read.All", "Directory.Read.All"],
    [readPermissions.roles, "RoleManagement.Read.All", "Directory.Read.All"],
    [readPermissions.report, readPermissions.methods],
  ];
  return needed
    .filter((anyOf) => !anyOf.some((permission) => grants.permissions.includes(permission)))
    .map((anyOf) => anyOf[0]);
}

/** Two readings of the same people (before and after a change): each person's groups from both. */
export function mergePeople(first: TenantPeople, second: TenantPeople): TenantPeople {
  return {
    ...second,
    users: second.users.map((person) => {
      const earlier = first.users.find((other) => other.userPrincipalName === person.userPrincipalName);
      return { ...person, groupIds: [...new Set([...(earlier?.groupIds ?? []), ...person.groupIds])] };
    }),
  };
}

/** The group facts of the scopes named (read once each). */
async function scopeGroups(
  client: EntraClient,
  scopes: readonly SsprScope[],
  known: Readonly<Record<string, GroupFacts>> = {},
): Promise<Record<string, GroupFacts>> {
  const groups: Record<string, GroupFacts> = { ...known };
  for (const scope of scopes)
    if (scope.kind === "group" && !(scope.id in groups)) {
      try {
        groups[scope.id] = await readGroupFacts(client, scope.id);
      } catch {
        groups[scope.id] = {}; // a group already deleted (a released pilot) is named by its id
      }
    }
  return groups;
}

/**
 * Security questions and administrators in people, for a change between two readings of the tenant (`up`, or a
 * destroy): who may reset with the questions, and whether administrators may reset at all, counted from the people.
 */
export async function portalPeopleChanges(
  client: EntraClient,
  before: Pick<TenantSettings, "portal" | "authorizationPolicy">,
  after: Pick<TenantSettings, "portal" | "authorizationPolicy">,
  people: TenantPeople | undefined,
  on: OnDay,
  known: Readonly<Record<string, GroupFacts>> = {},
): Promise<PeopleEffects> {
  const scopeBefore = scopeOfPortal(before.portal);
  const scopeAfter = scopeOfPortal(after.portal);
  const groups = await scopeGroups(client, [scopeBefore, scopeAfter], known);
  return portalPeopleEffects(
    { portal: before.portal, authorizationPolicy: before.authorizationPolicy, scope: scopeBefore },
    { portal: after.portal, authorizationPolicy: after.authorizationPolicy, scope: scopeAfter },
    groups,
    people,
    on,
  );
}

/**
 * A destroy in people, from the readings just before and just after it: who gains or loses which method and for
 * what (the `up` plan's words, with the scope the destroy puts back), then security questions and administrators.
 */
export async function destroyPeopleChanges(
  client: EntraClient,
  before: TenantSettings,
  after: TenantSettings,
  people: TenantPeople | undefined,
  on: OnDay,
  /** Groups read before the destroy (a pilot group it deletes can no longer be read after). */
  known: Readonly<Record<string, GroupFacts>> = {},
): Promise<PeopleEffects> {
  const effects = methodEffects(methodViews(before.methodsPolicy), methodViews(after.methodsPolicy));
  // What people gain is judged by the scope the destroy puts back; what they lose, by the scope they had.
  const scope = scopeOfPortal(after.portal);
  const scopeBefore = scopeOfPortal(before.portal);
  const groups: Record<string, GroupFacts> = await scopeGroups(client, [scope, scopeBefore], known);
  for (const id of namedGroups(effects, scope.kind === "group" ? scope.id : ""))
    if (!(id in groups)) {
      try {
        groups[id] = await readGroupFacts(client, id);
      } catch {
        groups[id] = {};
      }
    }
  const decides = methodsPolicyDecidesReset(after.methodsPolicy);
  const gained = describePeopleEffects(
    effects.map((effect) => ({ ...effect, loses: [] })),
    groups,
    scope,
    decides,
    on,
  );
  const lost = describePeopleEffects(
    effects.map((effect) => ({ ...effect, gains: [], dormant: [], features: [] })),
    groups,
    scopeBefore,
    methodsPolicyDecidesReset(before.methodsPolicy),
    on,
  );
  const nobody = (effects: PeopleEffects): string[] =>
    effects.warnings.length === 0 && effects.lines.length === 1 && effects.lines[0].startsWith("Nobody")
      ? []
      : effects.lines;
  const lines = [...nobody(gained), ...nobody(lost)];
  const methods: PeopleEffects = {
    lines: lines.length === 0 ? ["Nobody gains or loses an authentication method."] : lines,
    warnings: [...gained.warnings, ...lost.warnings],
  };
  const portal = await portalPeopleChanges(client, before, after, people, on, groups);
  return { lines: [...methods.lines, ...portal.lines], warnings: [...methods.warnings, ...portal.warnings] };
}
