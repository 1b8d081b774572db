/**
 * The permission preflight: before the first write of a run, the stack's planned writes are checked against what
 * the tokens grant (`roles`, `scp`, `wids`), and the run stops with one message listing every missing permission or
 * directory role. Tokens are requested (they must be had anyway); nothing is sent to Graph or the portal API.
 */
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { EntraApi, EntraTarget } from "../http/httpTypes";
import { createTokenSource, type TokenSource } from "../http/credentials";
import { createEntraError, redactSecrets } from "../http/errors";
import {
  checkNeeds,
  grantNeeds,
  tokenGrants,
  type Access,
  type GrantNeed,
  type NeedResult,
  type TokenGrants,
} from "./grants";

export interface GrantCheck {
  access: Access;
  results: NeedResult[];
  /** What each token grants; absent for an API the stack does not need or whose token could not be had. */
  grants: Partial<Record<EntraApi, TokenGrants>>;
  /** Why a token could not be had, per API (redacted). */
  tokenProblems: Partial<Record<EntraApi, string>>;
}

/** Gets a token for each API the needs name and checks every need against it. Never throws for a missing grant. */
export async function checkGrants(
  target: EntraTarget,
  args: SelfServicePasswordResetArgs,
  access: Access,
  tokens: TokenSource = createTokenSource(target),
): Promise<GrantCheck> {
  return checkNeedsGranted(target, grantNeeds(args, access), access, tokens);
}

/** The same for needs worked out beforehand (a provider gets them as an input, without the stack's config). */
export async function checkNeedsGranted(
  target: EntraTarget,
  needs: readonly GrantNeed[],
  access: Access,
  tokens: TokenSource = createTokenSource(target),
): Promise<GrantCheck> {
  const apis = [...new Set(needs.map((need) => need.api))];
  const grants: GrantCheck["grants"] = {};
  const tokenProblems: GrantCheck["tokenProblems"] = {};
  for (const api of apis) {
    try {
      grants[api] = tokenGrants(await tokens.getToken(api));
    } catch (error) {
      tokenProblems[api] = redactSecrets(error instanceof Error ? error.message : String(error));
    }
  }
  // A need whose token could not be had says "no token"; why is told once, in tokenProblems.
  const results = checkNeeds(needs, grants);
  return { access, results, grants, tokenProblems };
}

/** The one message for every missing grant, or undefined when nothing is missing. */
export function missingGrantsMessage(check: GrantCheck): string | undefined {
  const missing = check.results.flatMap((result) => (result.missing === undefined ? [] : [result.missing]));
  if (missing.length === 0) return undefined;
  const why = Object.entries(check.tokenProblems).map(([api, problem]) => `No ${api} token: ${problem}\n`);
  const run = check.access === "write" ? "apply this stack (pulumi up / destroy)" : "read this stack's settings";
  return (
    `Permission preflight: nothing was written. ${missing.length} grant${missing.length === 1 ? " is" : "s are"} ` +
    `missing to ${run}:\n  - ${missing.join("\n  - ")}\n` +
    why.join("") +
    "Grant them (docs/permissions.md: the bootstrap stack grants the Graph permissions; the directory roles are " +
    "assigned to the administrator who signs in) and run again."
  );
}

/**
 * Stops the run before its first write when a grant is missing: throws an EntraError (kind `auth`, code
 * `MissingGrants`) listing every one. Does nothing without args (a stack that failed validation sends nothing).
 */
export async function assertGrantsBeforeWrites(
  target: EntraTarget,
  args: SelfServicePasswordResetArgs | undefined,
  tokens?: TokenSource,
): Promise<void> {
  if (args === undefined) return;
  await assertNeedsGranted(target, grantNeeds(args, "write"), tokens);
}

/** The same for needs worked out beforehand: what `TenantOwnership` checks before its claim, the run's first write. */
export async function assertNeedsGranted(
  target: EntraTarget,
  needs: readonly GrantNeed[],
  tokens?: TokenSource,
): Promise<void> {
  const message = missingGrantsMessage(await checkNeedsGranted(target, needs, "write", tokens));
  if (message !== undefined) {
    throw createEntraError(message, { kind: "auth", code: "MissingGrants", method: "", url: "", attempts: 0 });
  }
}
