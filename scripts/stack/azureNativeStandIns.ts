/**
 * What a rehearsal does with the monitoring resources (`@pulumi/azure-native`): there is no Azure behind the
 * emulator, so each one is planned, not created. The registration is answered with its inputs and an Azure-shaped
 * resource id (subscription from its provider, resource group and name from its inputs), so the rest of the program
 * (alert rules pointing at the workspace and the action group) wires up as it would, and the rehearsal's steps list
 * every resource `pulumi up` would create. Everything else goes to the next handler.
 */
import type { PropertyMap } from "../../engine/propertyValues";
import type { ResourceHandler, ResourceRequest } from "../../engine/mockRun";

export const azureNativeProviderType = "pulumi:providers:azure-native";

/** The Azure resource provider namespace and type of each stood-in azure-native token, for its id. */
const armTypes: Record<string, { path: string; nameInput?: string }> = {
  "azure-native:operationalinsights:Workspace": {
    path: "Microsoft.OperationalInsights/workspaces",
    nameInput: "workspaceName",
  },
  "azure-native:monitor:ActionGroup": { path: "Microsoft.Insights/actionGroups", nameInput: "actionGroupName" },
  "azure-native:monitor:ScheduledQueryRule": { path: "Microsoft.Insights/scheduledQueryRules", nameInput: "ruleName" },
  "azure-native:aadiam:DiagnosticSetting": { path: "microsoft.aadiam/diagnosticSettings", nameInput: "name" },
};

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** `<provider urn>::<provider id>` -> the provider's urn. */
function providerUrn(reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  const cut = reference.lastIndexOf("::");
  return cut < 0 ? reference : reference.slice(0, cut);
}

/** The id Azure would give: tenant-level for the Entra diagnostic setting, subscription/group-level otherwise. */
export function standInId(request: ResourceRequest, subscriptionId: string | undefined): string {
  const arm = armTypes[request.type];
  if (arm === undefined) return `${request.name}-id`;
  const name = text(request.inputs[arm.nameInput ?? "name"]) ?? request.name;
  if (request.type === "azure-native:aadiam:DiagnosticSetting") return `/providers/${arm.path}/${name}`;
  const group = text(request.inputs.resourceGroupName) ?? "(resource group)";
  return `/subscriptions/${subscriptionId ?? "(subscription)"}/resourceGroups/${group}/providers/${arm.path}/${name}`;
}

/** Wraps a rehearsal's resource handler: azure-native resources are planned with stand-in ids. */
export function withAzureNativeStandIns(next: ResourceHandler): ResourceHandler {
  const providers = new Map<string, PropertyMap>();
  return async (request) => {
    if (request.type === azureNativeProviderType) {
      providers.set(request.urn, request.inputs);
      return next(request);
    }
    if (!request.type.startsWith("azure-native:")) return next(request);
    if (request.kind !== "register") {
      throw new Error(`rehearsal: reading ${request.type} "${request.name}" from Azure is not emulated`);
    }
    const provider = providers.get(providerUrn(request.provider) ?? "");
    const id = standInId(request, text(provider?.subscriptionId));
    return { id, state: { ...request.inputs, id } };
  };
}
