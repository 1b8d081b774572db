/**
 * What `rehearse` and `lab` say in people: who gained or lost which method between two readings of the tenant's
 * methods policy, for what each method serves (`methodPurposes.ts`), with the groups named by their display name
 * and members.
 */
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { EntraClient } from "../../provider/http/client";
import { todayFor } from "../../components/methodCatalogue";
import { namedGroups, readGroupFacts, ssprScope } from "../../provider/reader/peoplePreview";
import {
  describePeopleEffects,
  methodEffects,
  methodsPolicyDecidesReset,
  methodViews,
  type GroupFacts,
  type PeopleEffects,
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
