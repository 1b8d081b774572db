/**
 * Where the portal's SSPR policy is read and written, and who may do it: constants of their own so that a read-only
 * check (`lockoutFacts.ts`) reaches them without loading the Pulumi resource (and with it the Pulumi SDK and gRPC).
 */
import { tenantObjectPaths } from "./endpoints";

export const passwordResetPolicyPath = tenantObjectPaths.passwordResetPolicy;
/** The directory role the portal API needs (it refuses app-only tokens). */
export const passwordResetPolicyPermission = "Authentication Policy Administrator";
