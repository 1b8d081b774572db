/**
 * What readiness and doctor know about a tenant after reading it (`tenantSnapshot.ts`), and what they conclude
 * (`judgement.ts`). Plain data, so a snapshot can be built by hand in tests and printed as JSON.
 */

type JsonObject = Record<string, unknown>;

/** Something that could not be read, and why: a missing permission or licence is not a verdict about people. */
export interface ReadProblem {
  /** What was being read, in words ("the registration report"). */
  what: string;
  kind: "permission" | "licence" | "sign-in" | "error";
  /** The permission (Graph) or role (portal) the read needs. */
  needs?: string;
  status?: number;
  code?: string;
  message: string;
}

export interface DirectoryRoleRef {
  id: string;
  displayName: string;
  roleTemplateId?: string;
}

export interface PersonRecord {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  mail: string | null;
  /** `true` when synced from on-premises (Graph: null when never synced). */
  onPremisesSyncEnabled: boolean;
  userType: string;
  /** The groups that matter (the SSPR group, groups the methods policy targets) the user is in, transitively. */
  groupIds: string[];
  roles: DirectoryRoleRef[];
  /** Registered methods in the report's vocabulary; undefined when they could not be read. */
  registered?: string[];
  /** Why `registered` is missing. */
  registeredProblem?: ReadProblem;
}

export interface TenantSnapshot {
  tenantId: string;
  /** Portal `PasswordResetPolicies`; undefined when it could not be read (see problems). */
  portal?: JsonObject;
  /** Portal `OnPremisesPasswordResetPolicies` (writeback), read only when somebody is synced. */
  onPremises?: JsonObject;
  methodsPolicy?: JsonObject;
  authorizationPolicy?: JsonObject;
  organization?: JsonObject;
  subscribedSkus?: JsonObject[];
  /** Group id (lower case) -> display name, when known. */
  groupNames: Record<string, string>;
  /** Groups named by the policies that do not exist in the directory (Graph answered 404, or 400 for a bad id). */
  missingGroupIds: string[];
  /** Group id (lower case) -> the users in it, nested groups included, in the order Graph listed them. */
  groupMemberIds?: Record<string, string[]>;
  /** Whether the group memberships that matter were read (else `groupIds` are incomplete). */
  membershipsKnown: boolean;
  /** Whether directory roles were read (else nobody is known to be an administrator). */
  rolesKnown: boolean;
  /** Every administrator (two-gate role holder), for the notification check. */
  administrators: { id: string; userPrincipalName: string; mail: string | null; roles: string[] }[];
  users: PersonRecord[];
  /** Where registered methods came from: the report (Entra ID P1) or each user's methods (batched). */
  registrationSource: "report" | "methods" | "none";
  /** `$batch` requests sent for the per-user fallback. */
  batchRequests: number;
  problems: ReadProblem[];
}

export type CheckId =
  | "user-exists"
  | "sspr-enabled"
  | "user-in-scope"
  | "methods-offered"
  | "user-registered"
  | "methods-sufficient"
  | "admin-notifications"
  | "writeback"
  | "licence";

export interface Check {
  id: CheckId;
  ok: boolean;
  /** `unknown`: it could not be judged (a permission or licence missing to read it). */
  status: "pass" | "fail" | "unknown";
  /** Whether a failure stops the user from resetting (notifications and the licence do not). */
  blocking: boolean;
  found: string;
  /** The runbook's words; empty when the check passes. */
  fix: string;
  /** A dated change of Microsoft's calendar behind the failure, in a few words (the summary names it). */
  because?: string;
}

export interface Diagnosis {
  user: string;
  displayName?: string;
  canReset: boolean;
  /** True when a blocking check could not be judged (and none failed): not a verdict about the person. */
  undetermined: boolean;
  isAdministrator: boolean;
  checks: Check[];
}
