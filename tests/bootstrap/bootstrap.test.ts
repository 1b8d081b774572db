/**
 * The bootstrap program under Pulumi's mocks (like the main program): its resources, their inputs, and outputs that
 * are exactly the GitHub variables the workflows read. Its plan is tested alone below.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { bootstrapPlan, loadStackArgs, settingsProblems } from "../../bootstrap/plan";
import { runUnderMocks, type MockRun } from "../../engine/mockRun";
import { programFromFile } from "../../engine/programFromFile";
import type { ConfigMap, PropertyMap } from "../../engine/propertyValues";

const repositoryRoot = path.resolve(__dirname, "../..");
const tenantId = "6f1c2a7e-3b9d-4e58-a1c4-5d2e8f0b9a31";
/** App role ids as Graph's service principal lists them (the program reads them from there; any ids do here). */
const graphAppRoleIds: Record<string, string> = {
  "Policy.ReadWrite.AuthenticationMethod": "29c18626-4985-4dcd-85c0-193eef327366",
  "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68",
  "Policy.ReadWrite.Authorization": "fb221be6-99f2-473f-bd32-01c6a0e9ca3b",
  "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09",
  "Group.Create": "bf7b1a76-6e77-406b-b258-bf5c7720e98f",
  "Group.Read.All": "5b567255-7703-4780-807c-7be8301ae99b",
  "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
  "Organization.ReadWrite.All": "292d869f-3427-49a8-9dab-8c70152b74e9",
  "Organization.Read.All": "498476ce-e0fe-48b0-b801-37ba7e2685c6",
  "GroupMember.Read.All": "98830695-27a2-44f7-8c18-0c3ebc9698f6",
  "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
  "Application.ReadWrite.OwnedBy": "18a4783c-866b-4cc7-a460-3d5e5662c884",
  "AuditLog.Read.All": "b0afded3-3588-46d8-8b3d-9842eff778da",
};

/** bootstrap/index.ts, evaluated afresh per run (it reads config at load time) over this file's own modules. */
const bootstrapProgram = programFromFile(path.join(repositoryRoot, "bootstrap", "index.ts"));

function runBootstrap(config: ConfigMap): Promise<MockRun> {
  return runUnderMocks(
    bootstrapProgram,
    {
      newResource: (request) => {
        const state: PropertyMap = { ...request.inputs };
        if (request.type === "azuread:index/application:Application") {
          state.clientId = `${request.name}-client-id`;
          state.objectId = `${request.name}-object-id`;
        }
        if (request.type === "azuread:index/servicePrincipal:ServicePrincipal") state.objectId = `${request.name}-sp`;
        const id =
          request.type === "azuread:index/application:Application"
            ? `/applications/${request.name}-object-id`
            : `${request.name}-id`;
        return { id, state };
      },
      call: (request) => {
        if (request.token === "azuread:index/getClientConfig:getClientConfig")
          return { clientId: "admin-cli", objectId: "admin-oid", tenantId };
        if (request.token === "azuread:index/getServicePrincipal:getServicePrincipal") {
          expect(request.inputs.clientId).toBe("00000003-0000-0000-c000-000000000000");
          return { objectId: "graph-sp-object-id", appRoleIds: graphAppRoleIds, clientId: request.inputs.clientId };
        }
        throw new Error(`unexpected invoke ${request.token}`);
      },
    },
    { config, stack: "dev" },
  );
}

const baseConfig: ConfigMap = {
  "entra-sspr-bootstrap:repository": "munyakazi/entra-sspr",
  "entra-sspr-bootstrap:pulumiOrg": "munyakazi",
  "entra-sspr-bootstrap:stacks": ["dev"],
};

/** Every `vars.NAME` the workflows read. */
function workflowVariables(): string[] {
  const directory = path.join(repositoryRoot, ".github/workflows");
  const names = new Set<string>();
  for (const file of fs.readdirSync(directory)) {
    const text = fs.readFileSync(path.join(directory, file), "utf8");
    for (const match of text.matchAll(/\bvars\.([A-Z0-9_]+)/g)) names.add(match[1]);
  }
  return [...names].sort();
}

describe("the bootstrap program under mocks", () => {
  it("creates both identities with admin-consented Graph permissions and GitHub OIDC credentials", async () => {
    const run = await runBootstrap(baseConfig);
    expect(run.errors).toEqual([]);
    // By name: the two identities register concurrently, in no fixed order.
    const of = (type: string) =>
      run.registrations
        .filter((r) => r.type === `azuread:index/${type}`)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    expect(of("application:Application").map((r) => [r.name, r.inputs.displayName])).toEqual([
      ["entra-sspr-deploy", "entra-sspr deployment (munyakazi/entra-sspr)"],
      ["entra-sspr-preview", "entra-sspr preview (read-only) (munyakazi/entra-sspr)"],
    ]);
    // Pulumi.dev.yaml owns email and mobile phone: on Graph it writes the ownership mark (an application it owns) and
    // the methods policy; never Organization.ReadWrite.All or Group.ReadWrite.All.
    const deploy = [
      "Application.Read.All",
      "Application.ReadWrite.OwnedBy",
      "GroupMember.Read.All",
      "Organization.Read.All",
      "Policy.ReadWrite.AuthenticationMethod",
    ];
    // AuditLog.Read.All: the nightly drift check reads the portal scope from Graph's registration report.
    const preview = [
      "Application.Read.All",
      "AuditLog.Read.All",
      "GroupMember.Read.All",
      "Organization.Read.All",
      "Policy.Read.All",
    ];
    expect(of("application:Application")[0].inputs.requiredResourceAccesses).toEqual([
      {
        resourceAppId: "00000003-0000-0000-c000-000000000000",
        resourceAccesses: deploy.map((permission) => ({ id: graphAppRoleIds[permission], type: "Role" })),
      },
    ]);
    expect(of("servicePrincipal:ServicePrincipal").map((r) => r.inputs.clientId)).toEqual([
      "entra-sspr-deploy-client-id",
      "entra-sspr-preview-client-id",
    ]);
    expect(
      of("appRoleAssignment:AppRoleAssignment").map((r) => [r.inputs.principalObjectId, r.inputs.appRoleId]),
    ).toEqual([
      ...deploy.map((permission) => ["entra-sspr-deploy-sp", graphAppRoleIds[permission]]),
      ...preview.map((permission) => ["entra-sspr-preview-sp", graphAppRoleIds[permission]]),
    ]);
    expect(
      of("appRoleAssignment:AppRoleAssignment").every((r) => r.inputs.resourceObjectId === "graph-sp-object-id"),
    ).toBe(true);
    expect(
      of("applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential").map((r) => r.inputs),
    ).toEqual([
      expect.objectContaining({
        applicationId: "/applications/entra-sspr-deploy-object-id",
        issuer: "https://token.actions.githubusercontent.com",
        audiences: ["api://AzureADTokenExchange"],
        subject: "repo:munyakazi/entra-sspr:environment:dev",
      }),
      expect.objectContaining({
        applicationId: "/applications/entra-sspr-preview-object-id",
        subject: "repo:munyakazi/entra-sspr:environment:preview-dev",
      }),
    ]);
    expect(run.registrations.every((r) => !JSON.stringify(r.inputs).match(/secret|password/i))).toBe(true);
  });

  it("outputs exactly the GitHub variables the workflows read", async () => {
    const run = await runBootstrap(baseConfig);
    expect(run.outputs?.environmentVariables).toEqual({
      dev: { AZURE_CLIENT_ID: "entra-sspr-deploy-client-id", AZURE_TENANT_ID: tenantId },
      "preview-dev": { AZURE_CLIENT_ID: "entra-sspr-preview-client-id", AZURE_TENANT_ID: tenantId },
    });
    // The subjects name the environment only, so the bootstrap states the rules that bind it: main only and a
    // reviewer for the deploy environment, nothing for the read-only preview's.
    expect(run.outputs?.environmentProtectionRules).toEqual({
      dev: {
        deploymentBranches: expect.stringMatching(/^main only/),
        requiredReviewers: expect.stringContaining("administrators"),
      },
      "preview-dev": {
        deploymentBranches: expect.stringMatching(/^any/),
        requiredReviewers: expect.stringMatching(/^none/),
      },
    });
    // dev is munyakazi.org, a production tenant: no lab stack, so lab-recreate.yml refuses every stack.
    expect(run.outputs?.repositoryVariables).toEqual({ PULUMI_ORG: "munyakazi", LAB_STACKS: "" });
    const environmentNames = Object.values(run.outputs?.environmentVariables as Record<string, object>).flatMap(
      Object.keys,
    );
    const offered = [
      ...new Set([...environmentNames, ...Object.keys(run.outputs?.repositoryVariables as object)]),
    ].sort();
    expect(offered).toEqual(workflowVariables());
  });

  it("a pilot stack with an admin policy adds their permissions; bad settings are all reported before anything", async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-bootstrap-"));
    try {
      const dev = yaml.load(fs.readFileSync(path.join(repositoryRoot, "Pulumi.dev.yaml"), "utf8")) as {
        config: Record<string, Record<string, unknown>>;
      };
      const sspr = {
        ...dev.config["sspr:settings"],
        scope: "selected",
        group: { displayName: "SSPR Pilot", members: ["c.vogel@munyakazi.org"] },
        administrators: { allowed: false },
      };
      fs.writeFileSync(
        path.join(directory, "Pulumi.pilot.yaml"),
        yaml.dump({ config: { ...dev.config, "sspr:settings": sspr } }),
      );
      const run = await runBootstrap({
        ...baseConfig,
        "entra-sspr-bootstrap:stacks": ["pilot"],
        "entra-sspr-bootstrap:stackDirectory": directory,
      });
      expect(run.errors).toEqual([]);
      expect(run.outputs?.graphPermissions).toEqual({
        deploy: [
          "Application.Read.All",
          "Application.ReadWrite.OwnedBy",
          "Group.Create",
          "GroupMember.Read.All",
          "Organization.Read.All",
          "Policy.ReadWrite.AuthenticationMethod",
          "Policy.ReadWrite.Authorization",
          "User.Read.All",
        ],
        // Group.Read.All (the created group's refresh) also reads what GroupMember.Read.All would.
        preview: [
          "Application.Read.All",
          "AuditLog.Read.All",
          "Group.Read.All",
          "Organization.Read.All",
          "Policy.Read.All",
          "User.Read.All",
        ],
      });

      const bad = await runBootstrap({
        "entra-sspr-bootstrap:repository": "not a repo",
        "entra-sspr-bootstrap:stacks": [],
        "entra-sspr-bootstrap:labStacks": ["dev"],
      });
      expect(bad.registrations).toEqual([]);
      const message = bad.errors.map((error) => error.message).join("\n");
      expect(message).toContain('entra-sspr-bootstrap:repository is "not a repo"');
      expect(message).toContain("entra-sspr-bootstrap:pulumiOrg is undefined");
      expect(message).toContain("entra-sspr-bootstrap:stacks is []");
      expect(message).toContain('entra-sspr-bootstrap:labStacks is ["dev"]; expected lab tenant stacks among');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("bootstrapPlan", () => {
  it("names a stack file that cannot be read or fails the program's own rules", () => {
    const plan = bootstrapPlan({ repository: "a/b", pulumiOrg: "o", stacks: ["missing", "dev"] }, (stack) =>
      stack === "dev" ? loadStackArgs(repositoryRoot, "dev") : loadStackArgs(repositoryRoot, stack),
    );
    expect(plan).toEqual({ problems: [expect.stringContaining("Pulumi.missing.yaml: cannot read the stack file")] });
    expect(settingsProblems({ repository: "a/b", pulumiOrg: "o", stacks: ["dev"] })).toEqual([]);
  });
});
