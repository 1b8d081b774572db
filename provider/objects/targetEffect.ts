/**
 * The effect rule for a method's include targets, stated once for every method of the authentication methods policy.
 *
 * The methods policy decides who may use a method for SSPR AND for MFA sign-in, so a change to it is judged by its
 * effect on people:
 * - A method that is in force (`enabled`) keeps every target it has: the stack only ever adds (never narrows).
 * - A method the stack turns on from `disabled` gets exactly the targets the stack gives (the SSPR scope's: the pilot
 *   group, or `all_users` for All). Its dormant targets (a disabled method usually still carries `all_users`) stay out
 *   of force: turning the method on would otherwise hand it to everyone they name. The snapshot keeps them, so
 *   destroy puts the method back exactly as it was, dormant targets and all.
 * - `exact` (never chosen by the stack config) replaces the list with the given one: a deliberate narrowing.
 *
 * Pure functions on canonical target lists (see `canonicalTargets`).
 */
import { canonicalTargets, targetKey } from "./targetLists";
import { isRecord } from "../../lib/predicates";
import { isInForce } from "../../lib/tenantCodecs";

export type IncludeTargetsMode = "add" | "exact";

/**
 * The include targets wanted, given the tenant's. An existing target keeps its own members (e.g. an SMS target that
 * is usable for sign-in stays so) unless the method is switched on from disabled, when the given targets are taken
 * as they are.
 *
 * @param tenantState the method's state in the tenant now (`undefined` when the inputs do not own the state)
 * @param wantedState the state the inputs ask for (`undefined` when not owned)
 */
export function desiredIncludeTargets(
  given: unknown[],
  tenant: unknown[],
  mode: IncludeTargetsMode,
  tenantState?: unknown,
  wantedState?: unknown,
): unknown[] {
  const tenantByKey = new Map(tenant.map((target) => [targetKey(target), target]));
  // A given target the tenant already lists keeps the members the config does not name (e.g. Authenticator's
  // `outlookMobileAllowedState` in real payloads): the write keeps them too, so the read-back must expect them.
  const givenOverTenant = (): unknown[] =>
    canonicalTargets(
      given.map((target) => {
        const existing = tenantByKey.get(targetKey(target));
        return isRecord(existing) && isRecord(target) ? { ...existing, ...target } : target;
      }),
    );
  if (mode === "exact") return givenOverTenant();
  const switchedOn = isInForce(wantedState) && tenantState !== undefined && !isInForce(tenantState);
  if (switchedOn) return givenOverTenant();
  const missing = given.filter((target) => !tenantByKey.has(targetKey(target)));
  return canonicalTargets([...tenant, ...missing]);
}
