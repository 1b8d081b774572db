/**
 * The SSPR alert rules: KQL over the `AuditLogs` table that the tenant's Entra diagnostic setting sends to Log
 * Analytics. Pure data and functions, tested alone.
 *
 * Category and activity (`OperationName`) names are Microsoft's, from Microsoft Learn, "Microsoft Entra audit log
 * categories and activities" (learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities),
 * cited per rule below. `AuditLogs.OperationName` carries the activity's name as that page lists it, and
 * `Category` its audit category.
 * Not covered, on purpose: a change to the Password reset blade's own policy (the portal API object). The reference
 * lists no activity for it, so no name is guessed here; the nightly drift job (`pulumi refresh`) still sees it.
 */

/** One scheduled query alert, before it is bound to a workspace and an action group. */
export interface SsprAlert {
  /** The child's name suffix: `${name}-alert-${key}`. */
  key: string;
  displayName: string;
  description: string;
  /** 0 (critical) to 4 (verbose), as Azure Monitor numbers them. */
  severity: number;
  /** ISO 8601 durations. */
  evaluationFrequency: string;
  windowSize: string;
  query: string;
  /** The rule fires when the query returns at least this many rows in the window. */
  threshold: number;
}

/** KQL string literal. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const kqlList = (values: readonly string[]): string => `(${values.map(kqlString).join(", ")})`;

// Microsoft Learn, reference-audit-activities, "Authentication Methods": category ApplicationManagement.
export const methodsPolicyActivities = ["Authentication Methods Policy Update", "Authentication Methods Policy Reset"];
// Same page, "Core Directory": category AuthorizationPolicy (the policy holding allowedToUseSSPR, among others).
export const authorizationPolicyActivity = "Update authorization policy";
// Same page, "Self-service password management": category UserManagement.
export const selfServiceResetActivity = "Reset password (self-service)";
export const blockedResetActivity = "Blocked from self-service password reset";
// Same page, "Microsoft Entra multifactor authentication": category UserManagement.
export const suspiciousActivityActivities = [
  "Suspicious activity reported",
  "Fraud reported - user is blocked for MFA",
  "Fraud reported - no action taken",
];

export interface AlertOptions {
  administrators?: readonly string[];
  deployers?: readonly string[];
  resetBurstPerHour?: number;
  blockedBurstPerHour?: number;
}

/** Who started an audited change: a user's UPN or object id, or an app's service principal id or name. */
const initiator =
  "| extend Initiator = coalesce(tostring(InitiatedBy.user.userPrincipalName), tostring(InitiatedBy.user.id), " +
  "tostring(InitiatedBy.app.servicePrincipalId), tostring(InitiatedBy.app.displayName))";

export function settingsChangedQuery(deployers: readonly string[] = []): string {
  const lines = [
    "AuditLogs",
    `| where (Category == "ApplicationManagement" and OperationName in ${kqlList(methodsPolicyActivities)})`,
    `    or (Category == "AuthorizationPolicy" and OperationName == ${kqlString(authorizationPolicyActivity)})`,
    initiator,
  ];
  // The stack's own writes are expected; without deployers every change alerts (the stack's included).
  if (deployers.length > 0) {
    lines.push(
      `| where Initiator !in~ ${kqlList(deployers)} and tostring(InitiatedBy.user.id) !in~ ${kqlList(deployers)}`,
    );
  }
  lines.push("| project TimeGenerated, OperationName, Initiator, Result, TargetResources");
  return lines.join("\n");
}

export function administratorResetQuery(administrators: readonly string[]): string {
  return [
    "AuditLogs",
    `| where Category == "UserManagement" and OperationName == ${kqlString(selfServiceResetActivity)}`,
    "| extend Target = tostring(TargetResources[0].userPrincipalName)",
    `| where Target in~ ${kqlList(administrators)}`,
    "| project TimeGenerated, Target, Result, ResultReason",
  ].join("\n");
}

export function resetBurstQuery(): string {
  return [
    "AuditLogs",
    `| where Category == "UserManagement" and OperationName == ${kqlString(selfServiceResetActivity)}`,
    "| project TimeGenerated, Target = tostring(TargetResources[0].userPrincipalName), Result",
  ].join("\n");
}

export function blockedBurstQuery(): string {
  return [
    "AuditLogs",
    `| where Category == "UserManagement" and OperationName == ${kqlString(blockedResetActivity)}`,
    "| project TimeGenerated, Target = tostring(TargetResources[0].userPrincipalName), ResultReason",
  ].join("\n");
}

export function suspiciousActivityQuery(): string {
  return [
    "AuditLogs",
    `| where Category == "UserManagement" and OperationName in ${kqlList(suspiciousActivityActivities)}`,
    "| project TimeGenerated, OperationName, Target = tostring(TargetResources[0].userPrincipalName), Result",
  ].join("\n");
}

export const defaultResetBurstPerHour = 10;
export const defaultBlockedBurstPerHour = 3;

/** The alerts a monitoring config asks for; the administrators' alert only when administrators are named. */
export function ssprAlerts(options: AlertOptions = {}): SsprAlert[] {
  const alerts: SsprAlert[] = [
    {
      key: "settings-changed",
      displayName: "SSPR: authentication methods or administrator SSPR changed outside the stack",
      description:
        "The authentication methods policy or the authorization policy (SSPR for administrators) changed, by someone " +
        "other than the stack's deployers. Run the drift check (pulumi preview --refresh) and put the stack's " +
        "settings back with pulumi up, or take the change into the stack config.",
      severity: 2,
      evaluationFrequency: "PT15M",
      windowSize: "PT15M",
      query: settingsChangedQuery(options.deployers),
      threshold: 1,
    },
    {
      key: "reset-burst",
      displayName: "SSPR: burst of self-service password resets",
      description: "Many self-service password resets in one hour: a phishing wave or an attack on reset.",
      severity: 2,
      evaluationFrequency: "PT1H",
      windowSize: "PT1H",
      query: resetBurstQuery(),
      threshold: options.resetBurstPerHour ?? defaultResetBurstPerHour,
    },
    {
      key: "blocked-burst",
      displayName: "SSPR: burst of blocked password reset attempts",
      description: "Users blocked from self-service password reset (too many attempts): someone may be trying.",
      severity: 2,
      evaluationFrequency: "PT1H",
      windowSize: "PT1H",
      query: blockedBurstQuery(),
      threshold: options.blockedBurstPerHour ?? defaultBlockedBurstPerHour,
    },
    {
      key: "suspicious-activity",
      displayName: "SSPR: a user reported suspicious activity",
      description: "A user reported an MFA prompt or call they did not start (report suspicious activity / fraud).",
      severity: 1,
      evaluationFrequency: "PT15M",
      windowSize: "PT15M",
      query: suspiciousActivityQuery(),
      threshold: 1,
    },
  ];
  if (options.administrators !== undefined && options.administrators.length > 0) {
    alerts.splice(1, 0, {
      key: "administrator-reset",
      displayName: "SSPR: an administrator reset their own password",
      description: "A named administrator used self-service password reset; confirm it was them.",
      severity: 1,
      evaluationFrequency: "PT15M",
      windowSize: "PT15M",
      query: administratorResetQuery(options.administrators),
      threshold: 1,
    });
  }
  return alerts;
}
