/**
 * A simulated fleet: N varied emulated tenants, checked through the same code as real ones (`checkTenant` over the
 * project's HTTP client, with its retry policy), under Graph's documented throttling shared by all of them (one
 * application, many tenants: `emulator/throttling.ts`).
 *
 * The base tenant is the lab stack applied once to an emulator (a rehearsal through the provider plugin); each
 * simulated tenant starts from a copy of it with its own id and deterministic variations, so the page shows every
 * kind of row: people who registered less (some lose reset on Microsoft's dates, some cannot reset today), a setting
 * changed in the admin center (drift), the tenant's own telephony provider (SMS and voice go on), no ownership mark.
 * Each tenant's emulator is started when its check starts and stopped when it ends, so at most `concurrency` run.
 */
import { createEntraClient } from "../../provider/http/client";
import { startEmulator, type TenantSeed, type TenantState } from "../../emulator/server";
import type { GraphLimits } from "../../emulator/throttling";
import { emulatorEndpoints } from "../stack/stackConfig";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { Calendar } from "../../components/calendar";
import { checkTenant, type BaselineScore, type TenantResult } from "./tenantCheck";

/** A GUID per simulated tenant, stable across runs (`00000000-0000-4000-8000-000000000042`). */
export function simulatedTenantId(index: number): string {
  return `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
}

/** The variations of tenant `index`, in words (for tests and the docs), and the seed that makes them. */
export function simulatedSeed(
  base: TenantState,
  index: number,
): { seed: TenantSeed; variations: string[]; ownTelephonyProvider: boolean } {
  const tenantId = simulatedTenantId(index);
  const state = structuredClone(base);
  const variations: string[] = [];
  state.tenantId = tenantId;
  state.organization = { ...state.organization, id: tenantId, displayName: `Simulated tenant ${index}` };
  // Every third tenant: some people registered less (the first k users with methods lose all but their first).
  const fewer = index % 3;
  if (fewer > 0) {
    const users = Object.keys(state.authenticationMethods).slice(0, fewer * 3);
    for (const id of users) state.authenticationMethods[id] = state.authenticationMethods[id].slice(0, 1);
    state.userRegistrationDetails = [];
    variations.push(`${users.length} people registered one method only`);
  }
  // Every seventh: an administrator turned off notifications in the admin center (drift).
  if (index % 7 === 3) {
    state.passwordResetPolicies = { ...state.passwordResetPolicies, notifyOnAdminPasswordReset: false };
    variations.push("admin notifications turned off in the admin center");
  }
  // Every eleventh: no ownership mark (never claimed, or removed).
  if (index % 11 === 5) {
    state.applications = [];
    state.organizationExtensions = [];
    variations.push("no ownership mark");
  }
  const ownTelephonyProvider = index % 5 === 4;
  if (ownTelephonyProvider) variations.push("its own telephony provider");
  return { seed: { ...state, ownTelephonyProvider } as TenantSeed, variations, ownTelephonyProvider };
}

export interface SimulatedCheck {
  base: TenantState;
  args: SelfServicePasswordResetArgs;
  stack: string;
  index: number;
  limits: GraphLimits;
  latencyMs: number;
  today: Date;
  calendar: Calendar;
  baseline?: BaselineScore;
}

/** Starts tenant `index`'s emulator, checks it, stops it. */
export async function checkSimulatedTenant(input: SimulatedCheck): Promise<TenantResult> {
  const { seed, ownTelephonyProvider } = simulatedSeed(input.base, input.index);
  const emulator = await startEmulator({
    port: 0,
    seed,
    latencyMs: input.latencyMs,
    graphLimits: input.limits,
    today: input.today.toISOString().slice(0, 10),
    requestLogLimit: 100,
  });
  try {
    const tenantId = simulatedTenantId(input.index);
    const client = createEntraClient({ tenantId, endpoints: emulatorEndpoints(emulator.url) });
    return await checkTenant({
      stack: `${input.stack}-${String(input.index).padStart(4, "0")}`,
      source: "simulated",
      tenantId,
      client,
      args: { ...input.args, tenantId, ownTelephonyProvider },
      today: input.today,
      calendar: input.calendar,
      baseline: input.baseline,
    });
  } finally {
    await emulator.stop();
  }
}
