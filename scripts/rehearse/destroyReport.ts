/**
 * What `rehearse --destroy` says in people: what the destroy leaves as others changed it since `up`
 * (`provider/objects/destroyEffects.ts`, read just before it destroys), what it deliberately keeps (settings retained
 * with onDestroy retain, targets the stack only added beside the tenant's own, the pilot group the release deletes),
 * with the groups named by display name and members.
 */
import type { EntraClient } from "../../provider/http/client";
import type { EntraTarget } from "../../provider/http/httpTypes";
import {
  describeDestroyKeeps,
  destroyKeeps,
  keptGroupIds,
  type DestroyKeep,
} from "../../provider/objects/destroyEffects";
import { audience, methodView, type GroupFacts, type MethodView } from "../../components/peopleEffects";
import { methodPurposes } from "../../components/methodCatalogue";
import { isInForce, methodConfigurationOf } from "../../lib/tenantCodecs";
import { readGroupFacts } from "../../provider/reader/peoplePreview";
import type { EngineState, StateEntry } from "../../engine/engine";
import { describeResource } from "./runReport";
import { readTenantSettings, type TenantSettings } from "./tenantReport";

const methodType = "entra-sspr:index:AuthenticationMethodConfiguration";
const releaseType = "entra-sspr:index:PilotGroupRelease";
/** The tenant objects onDestroy retain leaves as the stack set them. */
const retainableTypes = new Set([
  "entra-sspr:index:PasswordResetPolicy",
  methodType,
  "entra-sspr:index:AuthenticationMethodsPolicy",
  "entra-sspr:index:AdministratorPasswordReset",
]);

/** Reads the tenant (three GETs, and two per group named) and says what the destroy of `state` would leave. */
export async function destroyKeepLines(
  client: EntraClient,
  target: EntraTarget,
  state: EngineState,
  tenant?: TenantSettings,
): Promise<string[]> {
  const now = tenant ?? (await readTenantSettings(target, { client }));
  const keeps = destroyKeeps(Object.values(state), now);
  const groups: Record<string, GroupFacts> = {};
  for (const id of keptGroupIds(keeps)) groups[id] = await readGroupFacts(client, id);
  return describeDestroyKeeps(keeps, groups, (type) => describeResource(type));
}

const onDeleteOf = (entry: StateEntry): unknown => entry.outputs.onDelete ?? entry.inputs.onDelete;

/** The targets of a method in force on both sides of the destroy: the people who keep it. */
function keptInForce(before: MethodView | undefined, after: MethodView | undefined): string[] {
  if (before === undefined || after === undefined || !isInForce(before.state) || !isInForce(after.state)) return [];
  return after.targets.filter((id) => before.targets.includes(id));
}

/**
 * What the destroy keeps on purpose, in people. `before` and `after`: the tenant read just before and just after the
 * destroy; `keeps`: what it leaves as others changed it (said apart, so not said again here).
 */
export function keptOnPurposeLines(
  state: EngineState,
  before: TenantSettings,
  after: TenantSettings,
  groups: Readonly<Record<string, GroupFacts>>,
  keeps: readonly DestroyKeep[] = [],
): string[] {
  const lines: string[] = [];
  const entries = Object.values(state);
  for (const entry of entries) {
    if (!retainableTypes.has(entry.type) || onDeleteOf(entry) !== "retain") continue;
    lines.push(
      `${describeResource(entry.type, entry.inputs)}: kept as the stack set it (onDestroy: retain): everybody keeps ` +
        "what it gives them.",
    );
  }
  for (const entry of entries) {
    if (entry.type !== methodType || onDeleteOf(entry) === "retain") continue;
    const id = String(entry.inputs.methodId ?? entry.outputs.methodId ?? "");
    const othersAdded = keeps.find((keep) => keep.method?.toLowerCase() === id.toLowerCase())?.keptTargets ?? [];
    const kept = keptInForce(
      methodView(methodConfigurationOf(before.methodsPolicy, id)),
      methodView(methodConfigurationOf(after.methodsPolicy, id)),
    ).filter((target) => !othersAdded.includes(target));
    if (kept.length === 0) continue;
    const name = methodPurposes(id, methodView(methodConfigurationOf(after.methodsPolicy, id))?.facts).name;
    const who = kept.map((target) => audience(target, groups)).join(" and ");
    lines.push(
      `${name}: ${who} ${kept.length === 1 && who !== "all users" ? "keeps" : "keep"} it: the tenant gave it before ` +
        "the stack, and destroy takes back only the targets the stack added.",
    );
  }
  for (const entry of entries) {
    if (entry.type !== releaseType) continue;
    const name = typeof entry.inputs.displayName === "string" ? entry.inputs.displayName : "the pilot group";
    lines.push(
      `Group '${name}': deleted by the pilot group release once nothing names it; its members keep their accounts ` +
        "and the methods they registered, and lose only what the group gave them (above).",
    );
  }
  return lines;
}
