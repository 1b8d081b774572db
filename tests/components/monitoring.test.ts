/**
 * Monitoring under mocks: the resources the component adds with `entra-sspr:monitoring`, their types, names,
 * inputs and wiring (workspace -> diagnostic setting and alert scopes; action group -> alert actions; every Azure
 * resource through the provider pinned to the configured subscription).
 */
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import type { MonitoringSettings } from "../../components/monitoringConfig";
import { ssprAlerts } from "../../components/monitoringQueries";
import { SelfServicePasswordReset } from "../../components/selfServicePasswordReset";
import { collectRegistrations, type Registration } from "../../engine/mockRun";
import { runbookArgs } from "../support/runbook";

const subscriptionId = "0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a1b";
const existingWorkspace = `/subscriptions/${subscriptionId}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-corp`;

const base: SelfServicePasswordResetArgs = { ...runbookArgs, methodsRequired: 1, methods: { email: true } };

const monitoring: MonitoringSettings = {
  subscriptionId,
  resourceGroup: "rg-sspr-monitoring",
  location: "westeurope",
  workspace: { name: "law-sspr-munyakazi", retentionDays: 90 },
  notify: ["it@munyakazi.org", "c.vogel@munyakazi.org"],
  administrators: ["admin@munyakazi.org"],
};

async function registered(args: SelfServicePasswordResetArgs): Promise<Registration[]> {
  return collectRegistrations(() => new SelfServicePasswordReset("sspr", args));
}

const named = (registrations: Registration[], name: string): Registration => {
  const found = registrations.find((registration) => registration.name === name);
  if (found === undefined) throw new Error(`no registration named ${name}`);
  return found;
};

describe("monitoring is off by default", () => {
  it("adds no Azure resource without entra-sspr:monitoring", async () => {
    const types = (await registered(base)).map((registration) => registration.type);
    expect(types.filter((type) => type.includes("azure-native"))).toEqual([]);
  });
});

describe("with a new workspace", () => {
  let registrations: Registration[];
  beforeAll(async () => {
    registrations = await registered({ ...base, monitoring });
  });

  it("registers the provider, workspace, diagnostic setting, action group and one rule per alert, by name", () => {
    const azure = registrations
      .filter((registration) => registration.type.includes("azure-native") || registration.name.includes("monitoring"))
      .map((registration) => `${registration.type} ${registration.name}`)
      .sort();
    // Registration order follows when inputs resolve; the set of resources is the contract.
    expect(azure).toEqual(
      [
        "entra-sspr:index:SsprMonitoring sspr-monitoring",
        "pulumi:providers:azure-native sspr-monitoring-azure",
        "azure-native:operationalinsights:Workspace sspr-monitoring-workspace",
        "azure-native:aadiam:DiagnosticSetting sspr-monitoring-audit-logs",
        "azure-native:monitor:ActionGroup sspr-monitoring-action-group",
        ...ssprAlerts(monitoring).map(
          (alert) => `azure-native:monitor:ScheduledQueryRule sspr-monitoring-alert-${alert.key}`,
        ),
      ].sort(),
    );
    expect(named(registrations, "sspr-monitoring").parent).toBe(named(registrations, "sspr").urn);
  });

  it("pins every Azure resource to the configured subscription through its own provider", () => {
    const provider = named(registrations, "sspr-monitoring-azure");
    expect(provider.inputs.subscriptionId).toBe(subscriptionId);
    for (const registration of registrations.filter((candidate) => candidate.type.startsWith("azure-native:"))) {
      expect(registration.provider).toBe(`${provider.urn}::${provider.id}`);
    }
  });

  it("creates the workspace and sends the tenant's AuditLogs to it", () => {
    expect(named(registrations, "sspr-monitoring-workspace").inputs).toEqual({
      resourceGroupName: "rg-sspr-monitoring",
      workspaceName: "law-sspr-munyakazi",
      location: "westeurope",
      sku: { name: "PerGB2018" },
      retentionInDays: 90,
    });
    expect(named(registrations, "sspr-monitoring-audit-logs").inputs).toEqual({
      name: "entra-sspr-audit-logs",
      workspaceId: "sspr-monitoring-workspace-id",
      logs: [{ category: "AuditLogs", enabled: true }],
    });
  });

  it("mails the chosen people", () => {
    expect(named(registrations, "sspr-monitoring-action-group").inputs).toEqual({
      resourceGroupName: "rg-sspr-monitoring",
      groupShortName: "sspr-alerts",
      enabled: true,
      location: "Global",
      emailReceivers: [
        { name: "sspr-mail-1", emailAddress: "it@munyakazi.org", useCommonAlertSchema: true },
        { name: "sspr-mail-2", emailAddress: "c.vogel@munyakazi.org", useCommonAlertSchema: true },
      ],
    });
  });

  it("queries the workspace with each alert's text and acts through the action group", () => {
    for (const alert of ssprAlerts(monitoring)) {
      expect(named(registrations, `sspr-monitoring-alert-${alert.key}`).inputs).toEqual({
        resourceGroupName: "rg-sspr-monitoring",
        location: "westeurope",
        kind: "LogAlert",
        displayName: alert.displayName,
        description: alert.description,
        severity: alert.severity,
        enabled: true,
        scopes: ["sspr-monitoring-workspace-id"],
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
        actions: { actionGroups: ["sspr-monitoring-action-group-id"] },
        autoMitigate: false,
      });
    }
    const admin = named(registrations, "sspr-monitoring-alert-administrator-reset");
    const criteria = admin.inputs.criteria as { allOf: { query: string }[] };
    expect(criteria.allOf[0].query).toContain('OperationName == "Reset password (self-service)"');
    expect(criteria.allOf[0].query).toContain('Target in~ ("admin@munyakazi.org")');
  });
});

describe("with an existing workspace", () => {
  it("creates no workspace and points the diagnostic setting and the alerts at the given one", async () => {
    const registrations = await registered({
      ...base,
      monitoring: { ...monitoring, workspace: { id: existingWorkspace }, administrators: undefined },
    });
    expect(registrations.map((registration) => registration.type)).not.toContain(
      "azure-native:operationalinsights:Workspace",
    );
    expect(named(registrations, "sspr-monitoring-audit-logs").inputs.workspaceId).toBe(existingWorkspace);
    const rules = registrations.filter(
      (registration) => registration.type === "azure-native:monitor:ScheduledQueryRule",
    );
    expect(rules.map((rule) => rule.name)).toEqual([
      "sspr-monitoring-alert-settings-changed",
      "sspr-monitoring-alert-reset-burst",
      "sspr-monitoring-alert-blocked-burst",
      "sspr-monitoring-alert-suspicious-activity",
    ]);
    for (const rule of rules) expect(rule.inputs.scopes).toEqual([existingWorkspace]);
  });
});
