/**
 * Reading a rehearsal's tenant in tests: one method configuration and its include targets, as the emulator holds
 * them, and a rehearsal that must run without errors.
 */
import type { TenantState } from "../../emulator/server";
import { rehearse, type RehearseOptions, type RehearseResult } from "../../scripts/rehearse/rehearse";

type Json = Record<string, unknown>;

/** The method configuration `id` of the tenant's methods policy (`{}` when it has none). */
export const method = (state: TenantState, id: string): Json =>
  state.authenticationMethodsPolicy.authenticationMethodConfigurations.find((m) => m.id === id) ?? {};

/** A method configuration's include target ids, sorted. */
export const includeIds = (configuration: Json): string[] =>
  ((configuration.includeTargets as Json[] | undefined) ?? []).map((target) => String(target.id)).sort();

/** `rehearse`, failing the test on any error it reports. */
export async function rehearsedWithoutErrors(options: RehearseOptions): Promise<RehearseResult> {
  const result = await rehearse(options);
  expect(result.errors).toEqual([]);
  return result;
}
