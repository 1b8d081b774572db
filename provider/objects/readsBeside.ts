/**
 * The tenant documents a stack's resources read, sent in the same round trip as the ownership mark's read, so that
 * only writes wait for the claim (issue 28: the chain at its depth minimum). The run's reads (`runReads.ts`) keep
 * each answer until its object is written: the resource that asks for it later is answered without a request.
 *
 *   first up  the ownership's check of a first claim sends them with the mark's read (the documents the stack
 *             writes, from the grants its writes need); the claim writes only the mark's application, so they
 *             still serve the creates after it;
 *   destroy   the password reset policy is removed first (it depends on every other object), and its read takes
 *             the methods policy along: every restore target is read in the first round trip.
 *
 * Fire and forget: a failed read is not kept (runReads.ts), so the resource's own read is sent again and its error
 * shows there. Nothing is written here.
 */
import type { EntraClient } from "../http/client";
import type { GrantNeed } from "../grants/grants";
import { tenantObjectPaths } from "../../lib/endpoints";
import { directoryRoles } from "../reader/directoryRoles";

// The paths and grants the objects' own reads use (authenticationMethodsPolicy.ts, passwordResetPolicy.ts), so the
// run's reads answer those from what is read here. Not imported from there: the specs load this file.
const authenticationMethodsPolicyPermission = "Policy.ReadWrite.AuthenticationMethod";
const methodsPolicyPath = tenantObjectPaths.authenticationMethodsPolicy;
const passwordResetPolicyPath = tenantObjectPaths.passwordResetPolicy;
const passwordResetPolicyPermission = directoryRoles.authenticationPolicyAdministrator.name;

export interface StackDocuments {
  /** The v1.0 authentication methods policy: every method configuration and the policy's root. */
  methodsPolicy: boolean;
  /** The portal's password reset policy. */
  passwordResetPolicy: boolean;
}

/** Which documents a stack's writes touch, from the grants they need (`grantNeeds`). */
export function documentsOfNeeds(needs: readonly GrantNeed[] | undefined): StackDocuments {
  const list = needs ?? [];
  return {
    methodsPolicy: list.some((need) => need.permissions.includes(authenticationMethodsPolicyPermission)),
    passwordResetPolicy: list.some((need) => need.api === "portal"),
  };
}

/** Sends the reads now (they join whatever else the run sends at this moment); answers are kept by the run. */
export function readBeside(client: EntraClient, documents: StackDocuments): void {
  const reads: Promise<unknown>[] = [];
  if (documents.methodsPolicy) {
    reads.push(
      client.send({
        api: "graph",
        method: "GET",
        path: methodsPolicyPath,
        permission: authenticationMethodsPolicyPermission,
      }),
    );
  }
  if (documents.passwordResetPolicy) {
    reads.push(
      client.send({
        api: "portal",
        method: "GET",
        path: passwordResetPolicyPath,
        permission: passwordResetPolicyPermission,
      }),
    );
  }
  for (const read of reads) read.catch(() => undefined);
}
