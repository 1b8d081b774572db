import * as fs from "node:fs";
import { useRehearsalHost } from "../../support/rehearsalHost";
import * as path from "node:path";
import { standInId, withAzureNativeStandIns } from "../../../scripts/stack/azureNativeStandIns";
import type { ResourceRequest } from "../../../engine/mockRun";
import { formatSteps } from "../../../scripts/rehearse/runReport";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { runbookLines } from "../../support/runbook";

const subscriptionId = "0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a1b";

function request(type: string, name: string, inputs: Record<string, unknown>, provider?: string): ResourceRequest {
  return {
    kind: "register",
    urn: `urn:pulumi:dev::entra-sspr::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    dependencies: [],
    ...(provider === undefined ? {} : { provider }),
  };
}

describe("azure-native stand-ins for a rehearsal", () => {
  it("answer with Azure-shaped ids from the provider's subscription, and pass everything else on", async () => {
    const passed: string[] = [];
    const handler = withAzureNativeStandIns((next) => {
      passed.push(next.type);
      return { id: `${next.name}-id`, state: next.inputs };
    });
    const provider = request("pulumi:providers:azure-native", "mon-azure", { subscriptionId });
    await handler(provider);
    const workspace = await handler(
      request(
        "azure-native:operationalinsights:Workspace",
        "mon-workspace",
        { resourceGroupName: "rg-sspr", workspaceName: "law-sspr" },
        `${provider.urn}::mon-azure-id`,
      ),
    );
    expect(workspace.id).toBe(
      `/subscriptions/${subscriptionId}/resourceGroups/rg-sspr/providers/Microsoft.OperationalInsights/workspaces/law-sspr`,
    );
    expect(workspace.state).toEqual({ resourceGroupName: "rg-sspr", workspaceName: "law-sspr", id: workspace.id });
    await handler(request("azuread:index/group:Group", "g", {}));
    expect(passed).toEqual(["pulumi:providers:azure-native", "azuread:index/group:Group"]);
    expect(
      standInId(request("azure-native:aadiam:DiagnosticSetting", "d", { name: "entra-sspr-audit-logs" }), undefined),
    ).toBe("/providers/microsoft.aadiam/diagnosticSettings/entra-sspr-audit-logs");
  });
});

describe("rehearsing a stack with monitoring", () => {
  const shared = useRehearsalHost("monitoring");

  it("shows the monitoring resources it would create, and a second run changes nothing", async () => {
    const file = path.join(shared.tmp, "Pulumi.monitored.yaml");
    fs.writeFileSync(
      file,
      [
        "config:",
        "  entra-sspr:tenantId: munyakazi.org",
        "  sspr:settings:",
        ...runbookLines({ methodsRequired: 1, methods: { email: true } }).map((line) => `    ${line}`),
        "  entra-sspr:monitoring:",
        `    subscriptionId: ${subscriptionId}`,
        "    resourceGroup: rg-sspr-monitoring",
        "    location: westeurope",
        "    workspace: { name: law-sspr-munyakazi }",
        "    notify: [it@munyakazi.org]",
        "",
      ].join("\n"),
    );
    const result = await rehearse({ stackFile: file, host: shared.host, twice: true });
    expect(result.errors).toEqual([]);
    const created = result.steps
      .filter((step) => step.type.startsWith("azure-native:") && step.op === "create")
      .map((step) => step.name)
      .sort();
    expect(created).toEqual([
      "sspr-monitoring-action-group",
      "sspr-monitoring-alert-blocked-burst",
      "sspr-monitoring-alert-reset-burst",
      "sspr-monitoring-alert-settings-changed",
      "sspr-monitoring-alert-suspicious-activity",
      "sspr-monitoring-audit-logs",
      "sspr-monitoring-workspace",
    ]);
    const audit = Object.values(result.state).find((entry) => entry.name === "sspr-monitoring-audit-logs");
    expect(audit?.inputs.workspaceId).toBe(
      `/subscriptions/${subscriptionId}/resourceGroups/rg-sspr-monitoring/providers/Microsoft.OperationalInsights/` +
        "workspaces/law-sspr-munyakazi",
    );
    expect(formatSteps(result.steps, result.state)).toMatch(
      /\+\s+create\s+azure-native:monitor:ScheduledQueryRule\s+sspr-monitoring-alert-settings-changed/,
    );
    expect(result.secondRun?.steps.every((step) => step.op === "same")).toBe(true);
  });
});
