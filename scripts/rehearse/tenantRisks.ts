/**
 * The tenant's existing risks, as `npm run lockout-check` finds them (its tenant guards), said before the plan by
 * `rehearse` and by both paths of `lab` (issue 27: they never showed there). Read-only; a failure to read them is
 * said as one line and changes nothing.
 */
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { EntraClient } from "../../provider/http/client";
import { readLockoutFacts } from "../../provider/reader/lockoutFacts";
import { tenantLockoutWarnings } from "../../components/lockoutGuards";
import { describeErrors } from "./runReport";

/** The lockout-check warnings for this tenant and stack, or the one line saying why they could not be read. */
export async function readTenantRisks(
  client: EntraClient,
  args: SelfServicePasswordResetArgs | undefined,
): Promise<string[]> {
  try {
    if (args === undefined) throw new Error("the stack's settings could not be read");
    const facts = await readLockoutFacts(client, args);
    return [...tenantLockoutWarnings(args, facts), ...(facts.cannotTell ?? [])];
  } catch (error) {
    return [`the lockout check could not read the tenant: ${describeErrors([error]).join("; ")}`];
  }
}

/** The risks as a block of text, headed, one per line. Pure. */
export function formatTenantRisks(risks: readonly string[]): string {
  return risks.length === 0
    ? "Risks already in the tenant (npm run lockout-check): none found."
    : `Risks already in the tenant (npm run lockout-check), before the plan:\n${risks.map((line) => `  - ${line}`).join("\n")}`;
}
