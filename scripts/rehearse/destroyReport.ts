/**
 * What `rehearse --destroy` says, before it destroys, about what the destroy leaves as others changed it since `up`
 * (`provider/objects/destroyEffects.ts`), with the groups named by display name and member count.
 */
import type { EntraClient } from "../../provider/http/client";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { describeDestroyKeeps, destroyKeeps, keptGroupIds } from "../../provider/objects/destroyEffects";
import type { GroupFacts } from "../../components/peopleEffects";
import { readGroupFacts } from "../../provider/reader/peoplePreview";
import type { EngineState } from "../../engine/engine";
import { describeResource } from "./runReport";
import { readTenantSettings } from "./tenantReport";

/** Reads the tenant (three GETs, and two per group named) and says what the destroy of `state` would leave. */
export async function destroyKeepLines(
  client: EntraClient,
  target: EntraTarget,
  state: EngineState,
): Promise<string[]> {
  const tenant = await readTenantSettings(target, { client });
  const keeps = destroyKeeps(Object.values(state), tenant);
  const groups: Record<string, GroupFacts> = {};
  for (const id of keptGroupIds(keeps)) groups[id] = await readGroupFacts(client, id);
  return describeDestroyKeeps(keeps, groups, (type) => describeResource(type));
}
