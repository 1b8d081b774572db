/**
 * `npm run preflight -- --stack <name> [--for up|read] [--json] [--seed tenant.json]`
 *
 * Read-only: sends GET requests only. Against the stack's tenant, or, for a lab stack (loopback endpoints), against a
 * fresh local emulator. It answers what an administrator needs before the first `pulumi up`, and what to paste into
 * an issue when something differs: can each token be had and by which sign-in, what each grants against what the
 * stack needs, does the pilot group exist, does the portal GET hold every field the project relies on (fields it
 * does not know are listed as "kept as is"), the migration state, and the licence signals. It names versions and
 * shapes; it never holds a token, and no personal data beyond the signed-in administrator's user name.
 */
import { legacyPortalFields } from "../../components/methodCatalogue";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackCommandLine } from "../stack/stackCommandLine";
import { openStack } from "../../components/openStack";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { createEntraClient, type EntraClient } from "../../provider/http/client";
import type { EntraApi, EntraTarget } from "../../provider/http/httpTypes";
import { createTokenSource } from "../../provider/http/credentials";
import { directoryRoles } from "../../provider/reader/directoryRoles";
import { organizationId, readMark } from "../../provider/ownership/ownershipMark";
import { isEntraError, redactSecrets } from "../../provider/http/errors";
import { checkNeedsGranted, type GrantCheck } from "../../provider/grants/permissionPreflight";
import { identityNeeds, type Access } from "../../provider/grants/grants";
import { isRecord } from "../../lib/predicates";
import { describePlan, planSignIn } from "../../provider/http/signIn";
import type { TenantSeed } from "../../emulator/server";
import { checkedTenantEndpoints, type CheckedTenantEndpoints } from "../stack/labEmulator";
import { repositoryRoot } from "../stack/repository";
import { graphReadPermission, groupPath, readGraphObject, readTenantObject } from "../../provider/reader/tenantReader";
import { migrationStateOf } from "../../lib/tenantCodecs";

/** Bumped when the report's shape changes, so a pasted report says which shape it is. */
export const preflightReportVersion = 1;

/**
 * Fields of the portal's `PasswordResetPolicies` GET as published (mondoohq/mql#5767, docs/reference/portal-api.md#a-real-get). The project
 * writes the owned ones and sends every other one back as read; a field outside this list is "kept as is".
 */
export const knownPortalFields = [
  "objectId",
  "enablementType",
  "numberOfAuthenticationMethodsRequired",
  // The legacy per-method switches and their availability, from the method catalogue.
  ...legacyPortalFields,
  "numberOfQuestionsToRegister",
  "numberOfQuestionsToReset",
  "registrationRequiredOnSignIn",
  "registrationReconfirmIntevalInDays",
  "skipRegistrationAllowed",
  "skipRegistrationMaxAllowedDays",
  "customizeHelpdeskLink",
  "customHelpdeskEmailOrUrl",
  "notifyUsersOnPasswordReset",
  "notifyOnAdminPasswordReset",
  "passwordResetEnabledGroupIds",
  "passwordResetEnabledGroupName",
  "securityQuestions",
  "registrationConditionalAccessPolicies",
];

/** The fields the project reads or writes, with the JSON type it relies on. */
export const portalFieldsReliedOn: Record<string, "number" | "boolean" | "string" | "array"> = {
  enablementType: "number",
  passwordResetEnabledGroupIds: "array",
  numberOfAuthenticationMethodsRequired: "number",
  securityQuestionsOptionEnabled: "boolean",
  numberOfQuestionsToRegister: "number",
  numberOfQuestionsToReset: "number",
  registrationRequiredOnSignIn: "boolean",
  registrationReconfirmIntevalInDays: "number",
  notifyUsersOnPasswordReset: "boolean",
  notifyOnAdminPasswordReset: "boolean",
  customizeHelpdeskLink: "boolean",
  customHelpdeskEmailOrUrl: "string",
  securityQuestions: "array",
};

/** Capability flags: assumed to follow the tenant's licence (office phone is not allowed on free/trial tenants). */
const capabilityFlags = knownPortalFields.filter((field) => field.endsWith("OptionAllowed"));

export interface TokenReport {
  obtained: boolean;
  /** Which sign-in served it, in words. */
  signIn: string;
  kind?: "user" | "app" | "unreadable";
  clientId?: string;
  tenantId?: string;
  audience?: string;
  expiresInMinutes?: number;
  /** The signed-in administrator's user name (user tokens only). */
  signedInAs?: string;
  /** Permissions (app) or scopes (user) the token carries. */
  permissions?: string[];
  /** Known directory roles by name; other role ids are only counted. */
  roles?: string[];
  otherRoles?: number;
  problem?: string;
}

export interface GrantRow {
  api: EntraApi;
  access: Access;
  purpose: string;
  needs: string;
  /** `optional`: not granted, and the run goes on without it (what it loses is in `detail`). */
  status: "granted" | "missing" | "unchecked" | "optional";
  detail?: string;
}

export interface PreflightReport {
  reportVersion: number;
  tool: Record<string, string>;
  stack: string;
  for: "up" | "read";
  target: { tenantId: string; graph: string; portal: string; emulator: boolean };
  tokens: Partial<Record<EntraApi, TokenReport>>;
  grants: GrantRow[];
  pilotGroup:
    | { configured: "none" }
    | { configured: "existing"; exists: boolean | null; detail?: string }
    | {
        configured: "created by the stack";
        exists: boolean | null;
        members: { configured: number; found: number | null };
      };
  portalPolicy: {
    read: boolean;
    /** Fields the project relies on that are missing or of another type. */
    missingOrChanged: string[];
    keptAsIs: string[];
    securityQuestions?: { count: number; shape: "as observed" | "differs" };
    problem?: string;
  };
  methodsPolicy: {
    read: boolean;
    policyMigrationState?: string | null;
    treatedAs?: string;
    policyVersion?: string | null;
    problem?: string;
  };
  /** Which stack's ownership mark the tenant carries (`ownershipMark.ts`): the stack name, never a claim. */
  ownership: { read: boolean; ownedBy?: string | null; claimedAt?: string; problem?: string };
  licence: { source: string; capabilities: Record<string, unknown> };
  problems: string[];
  /** Methods the stack file writes in the older spelling (true/false for offer/leave): read the same, said once. */
  notes: string[];
  ok: boolean;
}

export interface PreflightOptions {
  stack?: string;
  stackFile?: string;
  stackDir?: string;
  for?: "up" | "read";
  /** Lab stacks: the fresh emulator's seed. */
  seed?: TenantSeed;
  /** Lab stacks: an emulator already running, used as it is and left running (tests read its request log). */
  emulatorUrl?: string;
  /** Only say whether the stack's preview needs a Graph sign-in (`required` or `optional`): no token, no request. */
  previewNeeds?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Pure pieces
// ---------------------------------------------------------------------------------------------------------------

/** What a GET of the portal policy shows about the fields the project relies on and the ones it does not know. */
export function portalShape(policy: Record<string, unknown>): PreflightReport["portalPolicy"] {
  const missingOrChanged = Object.entries(portalFieldsReliedOn).flatMap(([field, type]) => {
    const value = policy[field];
    if (!(field in policy)) return [`${field}: missing`];
    const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
    // A null helpdesk text is what an empty value looks like in some tenants; the project writes a string.
    if (actual === type || (field === "customHelpdeskEmailOrUrl" && actual === "null")) return [];
    return [`${field}: ${actual}, expected ${type}`];
  });
  const keptAsIs = Object.keys(policy).filter((field) => !knownPortalFields.includes(field));
  const questions = Array.isArray(policy.securityQuestions) ? policy.securityQuestions : [];
  const observed = questions.every(
    (question) =>
      isRecord(question) &&
      typeof question.objectId === "string" &&
      typeof question.questionText === "string" &&
      typeof question.isCustomQuestion === "boolean",
  );
  return {
    read: true,
    missingOrChanged,
    keptAsIs,
    securityQuestions: { count: questions.length, shape: observed ? "as observed" : "differs" },
  };
}

/** A token's claims as the report shows them: no token, no personal data beyond the user name. */
export function tokenReport(signIn: string, check: GrantCheck, api: EntraApi): TokenReport {
  const problem = check.tokenProblems[api];
  const grants = check.grants[api];
  if (grants === undefined) return { obtained: false, signIn, problem: problem ?? "no token was requested" };
  const known = Object.values(directoryRoles);
  const roleIds = grants.roleIds ?? [];
  const roles = roleIds.flatMap((id) => known.filter((role) => role.id === id.toLowerCase()).map((role) => role.name));
  return {
    obtained: true,
    signIn,
    kind: grants.kind,
    clientId: grants.clientId,
    tenantId: grants.tenantId,
    audience: grants.audience,
    expiresInMinutes:
      grants.expiresAt === undefined ? undefined : Math.round((grants.expiresAt * 1000 - Date.now()) / 60_000),
    signedInAs: grants.upn,
    permissions: grants.permissions,
    roles: grants.roleIds === undefined ? undefined : roles,
    otherRoles: grants.roleIds === undefined ? undefined : roleIds.length - roles.length,
  };
}

export function grantRows(check: GrantCheck): GrantRow[] {
  return check.results.map(({ need, missing, unchecked, degraded }) => ({
    api: need.api,
    access: need.access,
    purpose: need.purpose,
    needs: [
      need.permissions.join(" or "),
      need.roles.length === 0 ? "" : `role ${need.roles.map((role) => role.name).join(" or ")}`,
    ]
      .filter((part) => part !== "")
      .join("; "),
    status:
      missing !== undefined
        ? "missing"
        : degraded !== undefined
          ? "optional"
          : unchecked !== undefined
            ? "unchecked"
            : "granted",
    ...((missing ?? degraded ?? unchecked) !== undefined ? { detail: missing ?? degraded ?? unchecked } : {}),
  }));
}

/**
 * Whether a stack's `pulumi preview` needs a read-only Graph sign-in. `required`: a pilot group the stack creates
 * brings the azuread provider (which signs in when configured) and, with members, user lookups on every preview.
 * `optional`: the Entra singletons diff from state; only the ownership mark is read, and a preview without a token
 * skips that check (`tenantOwnership.ts`), so a sign-in makes the preview say early that another stack owns the tenant.
 */
export function previewSignIn(args: SelfServicePasswordResetArgs): "required" | "optional" {
  return args.scope === "selected" && args.group !== undefined && !("id" in args.group) ? "required" : "optional";
}

function versionOf(name: string): string {
  try {
    let directory = path.dirname(require.resolve(name));
    for (;;) {
      const file = path.join(directory, "package.json");
      if (fs.existsSync(file)) {
        const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
        if (manifest.name === name) return manifest.version ?? "unknown";
      }
      const parent = path.dirname(directory);
      if (parent === directory) return "unknown";
      directory = parent;
    }
  } catch {
    return "not installed";
  }
}

function toolVersions(): Record<string, string> {
  const own = JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { version: string };
  return {
    "entra-sspr": own.version,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    "@pulumi/pulumi": versionOf("@pulumi/pulumi"),
    "@azure/identity": versionOf("@azure/identity"),
    "@azure/identity-cache-persistence": versionOf("@azure/identity-cache-persistence"),
  };
}

const messageOf = (error: unknown): string =>
  redactSecrets(error instanceof Error ? error.message : String(error)).split("\n")[0];

// ---------------------------------------------------------------------------------------------------------------
// preflight()
// ---------------------------------------------------------------------------------------------------------------

async function body(client: EntraClient, api: EntraApi, requestPath: string, permission: string): Promise<unknown> {
  return (await client.send({ api, method: "GET", path: requestPath, permission })).body;
}

/** The pilot group's check in words (the JSON report keeps the fields). */
function pilotGroupWords(group: PreflightReport["pilotGroup"]): string {
  const found = (exists: boolean | null) =>
    exists === true ? "found" : exists === false ? "not found" : "could not be checked";
  if (group.configured === "none") return "none (scope all or none)";
  if (group.configured === "existing") {
    return `an existing group, ${found(group.exists)}${group.detail === undefined ? "" : ` (${group.detail})`}`;
  }
  const members =
    group.members.found === null
      ? `${group.members.configured} member(s) configured, not looked up`
      : `${group.members.found} of ${group.members.configured} member(s) found`;
  const state =
    group.exists === true ? "a group of that name exists" : group.exists === false ? "to be created" : "not checked";
  return `created by the stack (${state}); ${members}`;
}

/** Runs the preflight; never throws for the tenant's sake (problems are in the report). */
export async function preflight(options: PreflightOptions): Promise<PreflightReport> {
  const loaded = openStack(options);
  const access: Access = options.for === "read" ? "read" : "write";
  const report: PreflightReport = {
    reportVersion: preflightReportVersion,
    tool: toolVersions(),
    stack: loaded.stack,
    for: options.for ?? "up",
    target: { tenantId: "", graph: "", portal: "", emulator: false },
    tokens: {},
    grants: [],
    pilotGroup: { configured: "none" },
    portalPolicy: { read: false, missingOrChanged: [], keptAsIs: [] },
    methodsPolicy: { read: false },
    ownership: { read: false },
    licence: { source: "portal capability flags (*OptionAllowed); assumed to follow the licence", capabilities: {} },
    problems: [...loaded.problems],
    notes: [...loaded.spellingNotes],
    ok: false,
  };
  if (loaded.args === undefined) return report;
  const args: SelfServicePasswordResetArgs = loaded.args;

  let tenant: CheckedTenantEndpoints | undefined;
  try {
    tenant = await checkedTenantEndpoints(loaded, {
      emulatorUrl: options.emulatorUrl,
      seed: options.seed,
    });
    const { endpoints, lab } = tenant;
    const target: EntraTarget = { tenantId: args.tenantId, endpoints };
    report.target = { tenantId: args.tenantId, ...endpoints, emulator: lab };

    const tokens = createTokenSource(target);
    // Every step the identity runs: `--for up` is deploy.yml's identity (deploy and its lockout check), `--for read`
    // the read-only one (preview and the drift check).
    const needs = identityNeeds(args, access === "write" ? "deploy" : "preview");
    const check = await checkNeedsGranted(target, needs, access, tokens);
    for (const api of ["graph", "portal"] as const) {
      const plan = planSignIn(api, endpoints[api], process.env, process.platform, access);
      const signIn = "problems" in plan ? plan.problems.join(" ") : describePlan(plan);
      if (check.grants[api] !== undefined || check.tokenProblems[api] !== undefined) {
        report.tokens[api] = tokenReport(signIn, check, api);
      }
    }
    report.grants = grantRows(check);
    // Its own token source; a person's sign-in is shared through the process's sign-in registry, so no new prompt.
    const client = createEntraClient(target);
    await Promise.all([
      readPilotGroup(client, args, report),
      readPortalPolicy(client, report, check),
      readMethodsPolicy(client, report, check),
      readOwnership(client, report, check),
    ]);
  } catch (error) {
    report.problems.push(messageOf(error));
  } finally {
    await tenant?.close();
  }
  for (const [api, token] of Object.entries(report.tokens)) {
    if (!token.obtained) report.problems.push(`no ${api} token: ${token.problem}`);
  }
  for (const row of report.grants) if (row.status === "missing") report.problems.push(row.detail ?? row.purpose);
  report.ok = report.problems.length === 0;
  return report;
}

async function readPilotGroup(client: EntraClient, args: SelfServicePasswordResetArgs, report: PreflightReport) {
  const group = args.scope === "selected" ? args.group : undefined;
  if (group === undefined) return;
  if ("id" in group) {
    try {
      await readGraphObject(client, groupPath(group.id, "id"), graphReadPermission("existingGroupRead"));
      report.pilotGroup = { configured: "existing", exists: true };
    } catch (error) {
      const absent = isEntraError(error) && error.status === 404;
      report.pilotGroup = { configured: "existing", exists: absent ? false : null, detail: messageOf(error) };
      report.problems.push(
        absent ? `the pilot group ${group.id} (sspr:settings.group.id) does not exist in the tenant` : messageOf(error),
      );
    }
    return;
  }
  const members = group.members ?? [];
  const entry: Extract<PreflightReport["pilotGroup"], { configured: "created by the stack" }> = {
    configured: "created by the stack",
    exists: null,
    members: { configured: members.length, found: null },
  };
  report.pilotGroup = entry;
  const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`;
  try {
    const filter = encodeURIComponent(`displayName eq ${quoted(group.displayName)}`);
    const found = await body(
      client,
      "graph",
      `/v1.0/groups?$filter=${filter}&$select=id`,
      graphReadPermission("pilotGroupRead"),
    );
    entry.exists = isRecord(found) && Array.isArray(found.value) && found.value.length > 0;
  } catch (error) {
    report.problems.push(messageOf(error));
  }
  let found = 0;
  try {
    for (const member of members) {
      const filter = encodeURIComponent(`userPrincipalName eq ${quoted(member)}`);
      const users = await body(
        client,
        "graph",
        `/v1.0/users?$filter=${filter}&$select=id`,
        graphReadPermission("pilotMembersRead"),
      );
      if (isRecord(users) && Array.isArray(users.value) && users.value.length > 0) found += 1;
    }
    entry.members.found = found;
    // Counts only: member names are personal data and already in the stack file.
    if (found < members.length) {
      report.problems.push(
        `${members.length - found} of ${members.length} pilot group member(s) (sspr:settings.group.members) do not exist in the tenant`,
      );
    }
  } catch (error) {
    report.problems.push(messageOf(error));
  }
}

async function readPortalPolicy(client: EntraClient, report: PreflightReport, check: GrantCheck) {
  if (check.grants.portal === undefined) {
    report.portalPolicy.problem = "not read: no portal token";
    return;
  }
  try {
    const policy = await readTenantObject(client, "passwordResetPolicy");
    report.portalPolicy = portalShape(policy);
    report.licence.capabilities = Object.fromEntries(capabilityFlags.map((flag) => [flag, policy[flag] ?? "missing"]));
    if (report.portalPolicy.missingOrChanged.length > 0) {
      report.problems.push(
        `the portal policy differs from what the project relies on: ${report.portalPolicy.missingOrChanged.join(", ")}`,
      );
    }
  } catch (error) {
    report.portalPolicy = { read: false, missingOrChanged: [], keptAsIs: [], problem: messageOf(error) };
    report.problems.push(messageOf(error));
  }
}

async function readMethodsPolicy(client: EntraClient, report: PreflightReport, check: GrantCheck) {
  if (check.grants.graph === undefined) {
    report.methodsPolicy.problem = "not read: no Graph token";
    return;
  }
  try {
    const policy = await readTenantObject(client, "authenticationMethodsPolicy");
    report.methodsPolicy = {
      read: true,
      policyMigrationState: (policy.policyMigrationState as string | null | undefined) ?? null,
      treatedAs: migrationStateOf(policy),
      policyVersion: typeof policy.policyVersion === "string" ? policy.policyVersion : null,
    };
  } catch (error) {
    report.methodsPolicy = { read: false, problem: messageOf(error) };
    report.problems.push(messageOf(error));
  }
}

async function readOwnership(client: EntraClient, report: PreflightReport, check: GrantCheck) {
  if (check.grants.graph === undefined) {
    report.ownership = { read: false, problem: "not read: no Graph token" };
    return;
  }
  try {
    const mark = await readMark(client, await organizationId(client));
    // Informational: whether this stack may take the tenant is decided by `pulumi up` (entra-sspr:takeOverFrom).
    report.ownership = { read: true, ownedBy: mark?.stack ?? null, ...(mark ? { claimedAt: mark.claimedAt } : {}) };
  } catch (error) {
    report.ownership = { read: false, problem: messageOf(error) };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Text and CLI
// ---------------------------------------------------------------------------------------------------------------

export function formatPreflight(report: PreflightReport): string {
  const lines: string[] = [
    `entra-sspr preflight (report v${report.reportVersion}) for stack ${report.stack || "(none)"}, checking what ` +
      `${report.for === "up" ? "`pulumi up`" : "a read-only run"} needs. Read-only: GET requests only.`,
    `Tools: ${Object.entries(report.tool)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}`,
  ];
  if (report.notes.length > 0) lines.push(...report.notes.map((note) => `Note: ${note}`));
  if (report.target.tenantId !== "") {
    lines.push(
      `Tenant ${report.target.tenantId}: Graph ${report.target.graph}, portal ${report.target.portal}` +
        (report.target.emulator ? " (a fresh local emulator: this is a lab stack)" : ""),
      "",
      "Tokens:",
    );
    for (const [api, token] of Object.entries(report.tokens)) {
      lines.push(
        `  ${api}: ${token.obtained ? "obtained" : "NOT obtained"} via ${token.signIn}` +
          (token.obtained
            ? `; ${token.kind} token of client ${token.clientId ?? "?"} for tenant ${token.tenantId ?? "?"}` +
              (token.signedInAs ? `, signed in as ${token.signedInAs}` : "") +
              (token.roles ? `, roles: ${token.roles.join(", ") || "none"}` : "")
            : `: ${token.problem}`),
      );
    }
    lines.push("", "Grants (what the stack needs / what the tokens grant):");
    for (const row of report.grants) {
      lines.push(`  [${row.status}] ${row.api} ${row.access}: ${row.purpose}: ${row.needs}`);
    }
    lines.push("", `Pilot group: ${pilotGroupWords(report.pilotGroup)}`);
    lines.push(
      `Portal policy: ${report.portalPolicy.read ? "read" : `not read (${report.portalPolicy.problem})`}` +
        (report.portalPolicy.read
          ? `; fields relied on: ${report.portalPolicy.missingOrChanged.length === 0 ? "all present" : report.portalPolicy.missingOrChanged.join(", ")}` +
            `; kept as is: ${report.portalPolicy.keptAsIs.join(", ") || "none"}` +
            `; security questions: ${report.portalPolicy.securityQuestions?.count} (${report.portalPolicy.securityQuestions?.shape})`
          : ""),
    );
    lines.push(
      `Methods policy: ${report.methodsPolicy.read ? `migration state ${JSON.stringify(report.methodsPolicy.policyMigrationState)} (treated as ${report.methodsPolicy.treatedAs}), policy version ${report.methodsPolicy.policyVersion}` : `not read (${report.methodsPolicy.problem})`}`,
    );
    lines.push(
      `Ownership mark: ${report.ownership.read ? (report.ownership.ownedBy ? `owned by stack ${report.ownership.ownedBy} since ${report.ownership.claimedAt}` : "none (no stack owns this tenant's SSPR yet)") : `not read (${report.ownership.problem})`}`,
    );
    lines.push(`Licence (${report.licence.source}): ${JSON.stringify(report.licence.capabilities)}`);
  }
  lines.push(
    "",
    report.ok
      ? "Result: ready."
      : `Result: ${report.problems.length} problem(s):\n${report.problems.map((p) => `  - ${p}`).join("\n")}`,
  );
  return redactSecrets(lines.join("\n"));
}

export const preflightUsage =
  "usage: npm run preflight -- --stack <name> [--for up|read] [--json] [--seed tenant.json (lab stacks)]\n" +
  "       npm run preflight -- --stack <name> --preview-needs   (prints required or optional: a preview's Graph sign-in)\n" +
  "  Signs in and checks, with GET requests only, every permission and role the run needs, before anything is written.\n" +
  "  --stack NAME         the stack of Pulumi.<name>.yaml: its tenant and settings\n" +
  "  --stack-file PATH    a stack file elsewhere, instead of --stack\n" +
  "  --for up|read        what to check for: up (default: pulumi up and destroy) or read (preview, refresh, drift check)\n" +
  "  --json               print the report as JSON\n" +
  "  --seed FILE          lab stacks: start the emulator from this tenant (a copy from npm run snapshot)\n" +
  "  --preview-needs      print only whether a preview of this stack needs a Graph sign-in (required or optional)\n" +
  "  --help, -h           this text";

export function parsePreflightArgs(
  argv: string[],
): { options: PreflightOptions; json: boolean } | { problems: string[] } {
  const { values, stack, stackFile, json, problems } = parseStackCommandLine(argv, {
    for: { type: "string" },
    seed: { type: "string" },
    "preview-needs": { type: "boolean" },
  });
  const run = values.for as string | undefined;
  if (run !== undefined && run !== "up" && run !== "read") {
    problems.push(`--for is "${run}"; allowed: "up" (the default: what pulumi up needs) or "read"`);
  }
  let seed: TenantSeed | undefined;
  if (typeof values.seed === "string") {
    try {
      seed = JSON.parse(fs.readFileSync(values.seed, "utf8")) as TenantSeed;
    } catch (error) {
      problems.push(`--seed ${values.seed}: ${messageOf(error)}`);
    }
  }
  if (problems.length > 0) return { problems };
  return {
    options: {
      stack,
      stackFile,
      for: run as "up" | "read" | undefined,
      seed,
      previewNeeds: values["preview-needs"] === true,
    },
    json,
  };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parsePreflightArgs(argv);
  if ("problems" in parsed) {
    process.stderr.write(`${parsed.problems.join("\n")}\n${preflightUsage}\n`);
    return 2;
  }
  if (parsed.options.previewNeeds === true) {
    // For workflows: one word on stdout, the stack's problems on stderr.
    const loaded = openStack(parsed.options);
    if (loaded.args === undefined) {
      process.stderr.write(`${loaded.problems.join("\n")}\n`);
      return 1;
    }
    process.stdout.write(`${previewSignIn(loaded.args)}\n`);
    return 0;
  }
  const report = await preflight(parsed.options);
  process.stdout.write(`${parsed.json ? redactSecrets(JSON.stringify(report, null, 2)) : formatPreflight(report)}\n`);
  return report.ok ? 0 : 1;
}
