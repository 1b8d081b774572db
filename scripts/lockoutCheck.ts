/**
 * `npm run lockout-check -- --stack <name>`: the lockout guards that need the tenant, before `pulumi up`.
 *
 * `pulumi preview` reads no tenant by design (it diffs against state), so the guards that depend on what the
 * tenant holds cannot run there. This command runs them read-only with the stack's own endpoints and credentials
 * (Graph `GET`s of the methods policy and the groups involved; the portal policy only when the tenant is before
 * or in the migration), before anything is written, and prints every warning with the setting, the value and the
 * fix in admin-center words (`components/lockoutGuards.ts`). The config-only guards are printed too. Exit codes:
 * 0 no warning, 1 warnings, 2 invalid config or arguments (nothing read), 3 the tenant could not be read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as yaml from "js-yaml";
import {
  namespaceConfig,
  normalizeEndpoints,
  parseStackConfig,
  type SelfServicePasswordResetArgs,
} from "../components/config";
import { createEntraClient, type EntraClient } from "../components/entra/client";
import { isEntraError, redactSecrets } from "../components/entra/errors";
import { passwordResetPolicyPath, passwordResetPolicyPermission } from "../components/entra/passwordResetPolicy";
import { isRecord } from "../components/entra/predicates";
import {
  configLockoutWarnings,
  legacySwitchesOf,
  offeredMethodIds,
  tenantLockoutWarnings,
  type LockoutFacts,
} from "../components/lockoutGuards";
import { repositoryRoot, stackConfigFromDocument } from "./rehearse";

const items = (body: unknown): Record<string, unknown>[] =>
  isRecord(body) && Array.isArray(body.value) ? body.value.filter(isRecord) : [];

async function graphGet(client: EntraClient, pathAndQuery: string, permission: string): Promise<unknown> {
  return (await client.send({ api: "graph", method: "GET", path: pathAndQuery, permission })).body;
}

/** The ids (lower case) of a Graph collection, following its paging. */
async function collectIds(client: EntraClient, first: string, permission: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    const body = await graphGet(client, next, permission);
    ids.push(...items(body).map((item) => String(item.id).toLowerCase()));
    const link = isRecord(body) ? body["@odata.nextLink"] : undefined;
    next = typeof link === "string" ? link.replace(/^https:\/\/[^/]+/, "") : undefined;
  }
  return ids;
}

/** Member object ids of a group. Direct members (nested groups are not expanded). */
const groupMembers = (client: EntraClient, id: string): Promise<string[]> =>
  collectIds(client, `/v1.0/groups/${encodeURIComponent(id)}/members?$select=id&$top=999`, "GroupMember.Read.All");

/** Everything the tenant guards need, read-only. */
export async function readLockoutFacts(client: EntraClient, args: SelfServicePasswordResetArgs): Promise<LockoutFacts> {
  const policy = await graphGet(client, "/v1.0/policies/authenticationMethodsPolicy", "Policy.Read.All");
  const record = isRecord(policy) ? policy : {};
  const methods = Array.isArray(record.authenticationMethodConfigurations)
    ? record.authenticationMethodConfigurations.filter(isRecord)
    : [];
  const migrationState = typeof record.policyMigrationState === "string" ? record.policyMigrationState : null;

  let legacySwitches: Record<string, boolean> = {};
  if (migrationState === "preMigration" || migrationState === "migrationInProgress") {
    const portal = await client.send({
      api: "portal",
      method: "GET",
      path: passwordResetPolicyPath,
      permission: passwordResetPolicyPermission,
    });
    legacySwitches = isRecord(portal.body) ? legacySwitchesOf(portal.body) : {};
  }

  const groupIds = new Set<string>();
  const scopeGroupId =
    args.scope === "selected" && args.group !== undefined && "id" in args.group ? args.group.id : undefined;
  if (scopeGroupId !== undefined) groupIds.add(scopeGroupId.toLowerCase());
  const byId = (id: string) => methods.find((method) => String(method.id).toLowerCase() === id.toLowerCase());
  for (const offered of offeredMethodIds(args)) {
    const method = byId(offered.id);
    const lists = [method?.excludeTargets, ...(offered.id === "Sms" ? [method?.includeTargets] : [])];
    for (const list of lists) {
      for (const target of Array.isArray(list) ? list.filter(isRecord) : []) {
        const id = String(target.id ?? "").toLowerCase();
        if (id !== "" && id !== "all_users") groupIds.add(id);
      }
    }
  }
  const groups: LockoutFacts["groups"] = {};
  for (const id of groupIds) {
    let group: unknown;
    try {
      group = await graphGet(client, `/v1.0/groups/${encodeURIComponent(id)}?$select=id,displayName`, "Group.Read.All");
    } catch (error) {
      // A deleted group excludes nobody (Maester MT.1067 is about such references; the policy pack names them).
      if (isEntraError(error) && error.status === 404) continue;
      throw error;
    }
    groups[id] = {
      displayName: isRecord(group) && typeof group.displayName === "string" ? group.displayName : id,
      members: await groupMembers(client, id),
    };
  }
  // Administrators only matter when their SSPR is off and a Selected group may hold some (isAdmin: Graph's report).
  const administrators =
    args.administrators?.allowed === false && scopeGroupId !== undefined
      ? await collectIds(
          client,
          `/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=${encodeURIComponent("isAdmin eq true")}`,
          "AuditLog.Read.All",
        )
      : undefined;
  return {
    migrationState,
    methods,
    legacySwitches,
    groups,
    ...(scopeGroupId === undefined ? {} : { scopeGroupId }),
    ...(administrators === undefined ? {} : { administrators }),
  };
}

export interface LockoutCheckOptions {
  stack?: string;
  stackFile?: string;
  /** Use this emulator instead of the stack's endpoints (tests, rehearsals). */
  emulatorUrl?: string;
  now?: Date;
}

export interface LockoutCheckResult {
  /** Config problems (nothing was read) or the failure to read the tenant. */
  errors: string[];
  /** What the errors are about: the config (nothing was read) or reading the tenant. */
  errorKind?: "config" | "tenant";
  warnings: string[];
  readTenant: boolean;
}

export async function lockoutCheck(options: LockoutCheckOptions): Promise<LockoutCheckResult> {
  const file =
    options.stackFile !== undefined
      ? path.resolve(options.stackFile)
      : path.join(repositoryRoot, `Pulumi.${options.stack ?? ""}.yaml`);
  let document: unknown;
  try {
    document = yaml.load(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const errors = [`${file}: cannot read the stack file (${String(error)})`];
    return { errors, errorKind: "config", warnings: [], readTenant: false };
  }
  const { config, problems } = stackConfigFromDocument(document, path.basename(file));
  const flat = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
  const now = options.now ?? new Date();
  const parsed = parseStackConfig(namespaceConfig(flat), now);
  if (problems.length > 0 || !parsed.ok) {
    const errors = [...problems, ...(parsed.ok ? [] : parsed.problems)];
    return { errors, errorKind: "config", warnings: [], readTenant: false };
  }
  const args = parsed.args;
  const warnings = configLockoutWarnings(args, now);
  const endpoints =
    options.emulatorUrl !== undefined
      ? normalizeEndpoints({ graph: options.emulatorUrl, portal: options.emulatorUrl })
      : normalizeEndpoints(args.endpoints);
  try {
    const client = createEntraClient({ tenantId: args.tenantId, endpoints });
    const facts = await readLockoutFacts(client, args);
    return { errors: [], warnings: [...warnings, ...tenantLockoutWarnings(args, facts)], readTenant: true };
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    const errors = [`the tenant could not be read (nothing was written): ${message}`];
    return { errors, errorKind: "tenant", warnings, readTenant: false };
  }
}

export async function main(argv: string[], write: (text: string) => void = (text) => process.stdout.write(text)) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { stack: { type: "string" }, "stack-file": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (values.stack === undefined && values["stack-file"] === undefined) {
    write("usage: npm run lockout-check -- --stack <name>   (or --stack-file path/to/Pulumi.<name>.yaml)\n");
    return 2;
  }
  const result = await lockoutCheck({
    stack: values.stack as string | undefined,
    stackFile: values["stack-file"] as string | undefined,
  });
  const lines = [
    ...result.errors.map((line) => `error: ${line}`),
    ...result.warnings.map((line) => `warning: ${line}`),
  ];
  write(`${lines.length === 0 ? "No lockout found." : lines.join("\n")}\n`);
  if (result.errors.length > 0) return result.errorKind === "tenant" ? 3 : 2;
  return result.warnings.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`lockout-check failed: ${redactSecrets(String(error))}\n`);
      process.exitCode = 3;
    },
  );
}
