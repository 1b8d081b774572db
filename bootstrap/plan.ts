/**
 * What the bootstrap stack creates, worked out without Pulumi: which Graph application permissions each identity
 * needs (from the tenant stacks' own config, through the same rules as the permission preflight), the OIDC subjects
 * of the repository's GitHub environments, and the GitHub variables the workflows read. Pure, tested alone.
 */
import { openStack } from "../components/openStack";
import { identityNeeds, leastGraphPermissions, type GrantNeed } from "../provider/grants/grants";

/** GitHub's OIDC issuer and the audience Entra expects for it (Microsoft Learn, "workload identity federation"). */
export const githubIssuer = "https://token.actions.githubusercontent.com";
export const tokenExchangeAudience = "api://AzureADTokenExchange";
/** Microsoft Graph's application (client) id. */
export const graphAppId = "00000003-0000-0000-c000-000000000000";

export interface BootstrapSettings {
  /** `owner/name`. */
  repository: string;
  pulumiOrg: string;
  /** Tenant stacks (= GitHub environments) this tenant's identities serve. */
  stacks: string[];
  /** Those of `stacks` that are lab tenants: the only ones lab-recreate.yml may destroy and recreate. */
  labStacks?: string[];
}

export interface BootstrapPlan {
  /** Application permissions of the deployment identity (`pulumi up`, destroy, the lockout check). */
  deployPermissions: string[];
  /** Application permissions of the read-only identity (pull-request previews, the nightly drift check). */
  previewPermissions: string[];
  /** GitHub environment -> which identity signs in there. */
  environments: { name: string; identity: "deploy" | "preview" }[];
}

/** The environment a stack's pull-request preview runs in (no reviewers; its identity can only read). */
export const previewEnvironment = (stack: string): string => `preview-${stack}`;

/**
 * The protection a GitHub environment needs, which the bootstrap states (as its output `environmentProtection`) for
 * an administrator to set in Settings > Environments: the federated credential's subject names the environment only
 * (`environmentSubject`), so the environment's own rules decide which branch and whom a token is for. A deploy
 * environment takes deployments from `main` only and waits for a required reviewer; a preview environment (read-only
 * identity, pull requests and the nightly check) needs neither.
 */
export function environmentProtection(identity: "deploy" | "preview"): {
  deploymentBranches: string;
  requiredReviewers: string;
} {
  return identity === "deploy"
    ? {
        deploymentBranches: "main only (Deployment branches and tags > Selected branches and tags > main)",
        requiredReviewers: "the tenant's administrators (Required reviewers), so a person approves each deploy",
      }
    : {
        deploymentBranches: "any (pull-request previews run here)",
        requiredReviewers: "none (its identity only reads)",
      };
}

/** The OIDC subject of a job running in a GitHub environment. */
export const environmentSubject = (repository: string, environment: string): string =>
  `repo:${repository}:environment:${environment}`;

/** Every problem with the settings, each naming the key, the value and what is allowed. */
export function settingsProblems(settings: Partial<BootstrapSettings>): string[] {
  const problems: string[] = [];
  if (typeof settings.repository !== "string" || !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(settings.repository)) {
    problems.push(
      `entra-sspr-bootstrap:repository is ${JSON.stringify(settings.repository)}; expected the GitHub repository as owner/name`,
    );
  }
  if (typeof settings.pulumiOrg !== "string" || settings.pulumiOrg.trim() === "") {
    problems.push(
      `entra-sspr-bootstrap:pulumiOrg is ${JSON.stringify(settings.pulumiOrg)}; expected the Pulumi organization of the tenant stacks`,
    );
  }
  if (
    !Array.isArray(settings.stacks) ||
    settings.stacks.length === 0 ||
    !settings.stacks.every((stack) => typeof stack === "string" && /^[A-Za-z0-9_.-]+$/.test(stack))
  ) {
    problems.push(
      `entra-sspr-bootstrap:stacks is ${JSON.stringify(settings.stacks)}; expected a list of tenant stack names (Pulumi.<stack>.yaml), such as [dev]`,
    );
  }
  const labStacks = settings.labStacks ?? [];
  if (
    !Array.isArray(labStacks) ||
    !labStacks.every((stack) => typeof stack === "string" && (settings.stacks ?? []).includes(stack))
  ) {
    problems.push(
      `entra-sspr-bootstrap:labStacks is ${JSON.stringify(settings.labStacks)}; expected lab tenant stacks among ` +
        `entra-sspr-bootstrap:stacks (${JSON.stringify(settings.stacks)}), or none: never a production tenant`,
    );
  }
  return problems;
}

/** A tenant stack's config from `Pulumi.<stack>.yaml` in `directory`, opened as every command opens a stack. */
export function loadStackArgs(directory: string, stack: string) {
  const opened = openStack({ stack, stackDir: directory });
  if (opened.args !== undefined) return { args: opened.args };
  // A read problem already names the file; a config problem gets it, since the bootstrap opens several stacks.
  return {
    problems: opened.problems.map((problem) =>
      problem.startsWith(opened.file) ? problem : `${opened.file}: ${problem}`,
    ),
  };
}

/**
 * The plan for the stacks' config, from the permission list (`provider/grants/grants.ts`): the deployment identity
 * gets the fewest permissions that meet every need of the steps it runs (deploy and deploy.yml's lockout check), the
 * preview identity those of preview and the drift check. The portal API takes no app identity at all, so nothing is
 * granted for it (an administrator signs in during deploy).
 */
export function bootstrapPlan(
  settings: BootstrapSettings,
  load: (stack: string) => ReturnType<typeof loadStackArgs>,
): BootstrapPlan | { problems: string[] } {
  const problems: string[] = [];
  const deploy: GrantNeed[] = [];
  const preview: GrantNeed[] = [];
  for (const stack of settings.stacks) {
    const loaded = load(stack);
    if (loaded.args === undefined) {
      problems.push(...(loaded.problems ?? []));
      continue;
    }
    deploy.push(...identityNeeds(loaded.args, "deploy"));
    preview.push(...identityNeeds(loaded.args, "preview"));
  }
  if (problems.length > 0) return { problems };
  return {
    deployPermissions: leastGraphPermissions(deploy),
    previewPermissions: leastGraphPermissions(preview),
    environments: settings.stacks.flatMap((stack) => [
      { name: stack, identity: "deploy" as const },
      { name: previewEnvironment(stack), identity: "preview" as const },
    ]),
  };
}
