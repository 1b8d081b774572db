/**
 * The bootstrap program: what the README used to ask an administrator to click, once per tenant.
 *
 * - the deployment app registration and its service principal, with OIDC federated credentials for the repository's
 *   GitHub environments of this tenant's stacks (no secret anywhere), and the Graph application permissions the
 *   stacks need, each with its admin-consent grant (an app role assignment);
 * - a read-only app for pull-request previews, federated for the `preview-<stack>` environments, with read
 *   permissions only;
 * - outputs that are exactly the GitHub variables the workflows read, per environment and for the repository.
 *
 * Run by a Global Administrator (or Privileged Role Administrator plus Application Administrator) signed in with
 * `az login`; the azuread provider uses that sign-in. The portal API refuses app identities, so nothing here can
 * grant it: the deploy job asks an administrator to sign in (README, "Real tenants").
 */
import * as azuread from "@pulumi/azuread";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  bootstrapPlan,
  environmentProtection,
  environmentSubject,
  githubIssuer,
  graphAppId,
  loadStackArgs,
  settingsProblems,
  tokenExchangeAudience,
  type BootstrapSettings,
} from "./plan";

const config = new pulumi.Config("entra-sspr-bootstrap");
const settings: Partial<BootstrapSettings> = {
  repository: config.get("repository"),
  pulumiOrg: config.get("pulumiOrg"),
  stacks: config.getObject<string[]>("stacks") ?? [pulumi.getStack()],
  labStacks: config.getObject<string[]>("labStacks"),
};
const settingsIssues = settingsProblems(settings);
const planned =
  settingsIssues.length > 0
    ? { problems: settingsIssues }
    : bootstrapPlan(settings as BootstrapSettings, (stack) =>
        loadStackArgs(config.get("stackDirectory") ?? path.resolve(__dirname, ".."), stack),
      );
if ("problems" in planned) {
  throw new pulumi.RunError(
    `Bootstrap config is invalid (${planned.problems.length} problem(s)); nothing was created:\n  ${planned.problems.join("\n  ")}`,
  );
}
const { repository, pulumiOrg } = settings as BootstrapSettings;
const plan = planned;

const client = azuread.getClientConfigOutput();
const graph = azuread.getServicePrincipalOutput({ clientId: graphAppId });

/** One app identity: registration, service principal, admin-consented Graph permissions, federated credentials. */
function appIdentity(name: string, description: string, permissions: string[], environments: string[]) {
  const appRoleId = (permission: string) =>
    graph.appRoleIds.apply((ids) => {
      const id = ids[permission];
      if (id === undefined) throw new Error(`Microsoft Graph has no application permission named ${permission}`);
      return id;
    });
  const application = new azuread.Application(name, {
    displayName: pulumi.interpolate`${description} (${repository})`,
    signInAudience: "AzureADMyOrg",
    requiredResourceAccesses: [
      { resourceAppId: graphAppId, resourceAccesses: permissions.map((p) => ({ id: appRoleId(p), type: "Role" })) },
    ],
  });
  const principal = new azuread.ServicePrincipal(name, { clientId: application.clientId });
  for (const permission of permissions) {
    // The admin consent of an application permission is this assignment (what "Grant admin consent" creates).
    new azuread.AppRoleAssignment(`${name}-${permission}`, {
      appRoleId: appRoleId(permission),
      principalObjectId: principal.objectId,
      resourceObjectId: graph.objectId,
    });
  }
  for (const environment of environments) {
    new azuread.ApplicationFederatedIdentityCredential(`${name}-${environment}`, {
      applicationId: application.id,
      displayName: `github-${environment}`,
      description: `GitHub Actions of ${repository}, environment ${environment}`,
      audiences: [tokenExchangeAudience],
      issuer: githubIssuer,
      subject: environmentSubject(repository, environment),
    });
  }
  return application;
}

const names = (identity: "deploy" | "preview") =>
  plan.environments.filter((environment) => environment.identity === identity).map((environment) => environment.name);
const deployApp = appIdentity("entra-sspr-deploy", "entra-sspr deployment", plan.deployPermissions, names("deploy"));
const previewApp = appIdentity(
  "entra-sspr-preview",
  "entra-sspr preview (read-only)",
  plan.previewPermissions,
  names("preview"),
);

/** GitHub environment -> the variables its jobs read (Settings > Environments > <name> > Variables). */
export const environmentVariables = pulumi
  .all([deployApp.clientId, previewApp.clientId, client.tenantId])
  .apply(([deployClientId, previewClientId, tenantId]) =>
    Object.fromEntries(
      plan.environments.map((environment) => [
        environment.name,
        {
          AZURE_CLIENT_ID: environment.identity === "deploy" ? deployClientId : previewClientId,
          AZURE_TENANT_ID: tenantId,
        },
      ]),
    ),
  );
/** GitHub environment -> the protection to set on it (Settings > Environments > <name>): see `environmentProtection`. */
export const environmentProtectionRules = Object.fromEntries(
  plan.environments.map((environment) => [environment.name, environmentProtection(environment.identity)]),
);
/** Repository variables (Settings > Secrets and variables > Actions > Variables). */
export const repositoryVariables = {
  PULUMI_ORG: pulumiOrg,
  // The stacks lab-recreate.yml may destroy and recreate (lab tenants only; empty: none).
  LAB_STACKS: (settings.labStacks ?? []).join(","),
};
/** What was granted, for the record; the portal role is an administrator's, never an app's. */
export const graphPermissions = { deploy: plan.deployPermissions, preview: plan.previewPermissions };
