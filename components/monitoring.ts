/**
 * `SsprMonitoring`: watching SSPR after the deploy, with `@pulumi/azure-native` (submodules imported one by one to
 * keep start-up fast). Children (names derive from the component's):
 *   `${name}-azure`               the azure-native provider, pinned to the configured subscription
 *   `${name}-workspace`           operationalinsights.Workspace, only when the config names a new one
 *   `${name}-audit-logs`          aadiam.DiagnosticSetting: the tenant's AuditLogs to the workspace
 *   `${name}-action-group`        monitor.ActionGroup mailing the configured people
 *   `${name}-alert-<key>`         monitor.ScheduledQueryRule, one per alert of `monitoringQueries.ts`
 *
 * Caveats (also in docs/monitoring.md): an Azure subscription is needed; creating a tenant diagnostic setting needs a Global
 * Administrator or Security Administrator (reportedly with a user token: Azure/azure-rest-api-specs#11085); the
 * workspace bills per GB ingested and each alert rule per evaluation.
 */
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import type { MonitoringSettings } from "./monitoringConfig";
import { ssprAlerts } from "./monitoringQueries";

export const ssprMonitoringType = "entra-sspr:index:SsprMonitoring";

/** The tenant diagnostic setting's name (one per tenant; Entra allows a few, each billed for what it sends). */
export const diagnosticSettingName = "entra-sspr-audit-logs";
/** Action groups need a short name of at most 12 characters (shown in SMS and emails). */
export const actionGroupShortName = "sspr-alerts";

export class SsprMonitoring extends pulumi.ComponentResource {
  /** The Azure resource id of the workspace the audit logs go to. */
  public readonly workspaceId: pulumi.Output<string>;
  public readonly actionGroupId: pulumi.Output<string>;
  public readonly alertRuleNames: string[];

  constructor(name: string, settings: MonitoringSettings, opts?: pulumi.ComponentResourceOptions) {
    super(ssprMonitoringType, name, {}, opts);
    const provider = new Provider(`${name}-azure`, { subscriptionId: settings.subscriptionId }, { parent: this });
    const child = { parent: this, provider };
    const { resourceGroup: resourceGroupName, location } = settings;

    if ("id" in settings.workspace) {
      this.workspaceId = pulumi.output(settings.workspace.id);
    } else {
      const workspace = new operationalinsights.Workspace(
        `${name}-workspace`,
        {
          resourceGroupName,
          workspaceName: settings.workspace.name,
          location,
          sku: { name: "PerGB2018" },
          retentionInDays: settings.workspace.retentionDays ?? 30,
        },
        child,
      );
      this.workspaceId = workspace.id;
    }

    // Tenant-level: AuditLogs only (the SSPR and methods-policy activities live there; sign-in logs cost far more).
    new aadiam.DiagnosticSetting(
      `${name}-audit-logs`,
      { name: diagnosticSettingName, workspaceId: this.workspaceId, logs: [{ category: "AuditLogs", enabled: true }] },
      child,
    );

    const actionGroup = new monitor.ActionGroup(
      `${name}-action-group`,
      {
        resourceGroupName,
        groupShortName: actionGroupShortName,
        enabled: true,
        location: "Global",
        emailReceivers: settings.notify.map((emailAddress, index) => ({
          name: `sspr-mail-${index + 1}`,
          emailAddress,
          useCommonAlertSchema: true,
        })),
      },
      child,
    );
    this.actionGroupId = actionGroup.id;

    this.alertRuleNames = [];
    for (const alert of ssprAlerts(settings)) {
      const ruleName = `${name}-alert-${alert.key}`;
      this.alertRuleNames.push(ruleName);
      new monitor.ScheduledQueryRule(
        ruleName,
        {
          resourceGroupName,
          location,
          kind: "LogAlert",
          displayName: alert.displayName,
          description: alert.description,
          severity: alert.severity,
          enabled: true,
          scopes: [this.workspaceId],
          evaluationFrequency: alert.evaluationFrequency,
          windowSize: alert.windowSize,
          criteria: {
            allOf: [
              {
                query: alert.query,
                timeAggregation: "Count",
                operator: "GreaterThanOrEqual",
                threshold: alert.threshold,
                failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
              },
            ],
          },
          actions: { actionGroups: [actionGroup.id] },
          // Each audit event is a fact, not a condition that clears: no auto-resolve.
          autoMitigate: false,
        },
        child,
      );
    }

    this.registerOutputs({ workspaceId: this.workspaceId, actionGroupId: this.actionGroupId });
  }
}
