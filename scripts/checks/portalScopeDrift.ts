/**
 * `npm run drift-check -- --stack <name>`: the nightly drift check of the password reset policy (portal API) without
 * a person. The portal API takes only a person's delegated token, so an app identity cannot read the policy; what it
 * can read is Graph's registration report (`userRegistrationDetails`), which says per user whether SSPR is enabled
 * for them (`isSsprEnabled`: "allowed to perform self-service password reset by policy"). That follows the portal
 * policy's scope (None, Selected with its group, All) for everyone but administrators, whose reset the administrator
 * policy decides. So the check compares what the stack's scope means, user by user, with what the report says, and
 * reports any mismatch as drift of the portal policy, labelled as inferred from the report and its refresh delay.
 *
 * Everything else of the portal policy (methods required, registration, notifications, helpdesk link, security
 * questions) does not show in any app-readable API: the check names those fields as "not checked without a person",
 * never skips them silently. A manual drift run with `portal: true` (drift.yml) checks them with a person's sign-in.
 *
 * Reads: Graph GETs only, app-only, with the grants `driftScopeReport` and `driftScopeGroupRead` of the one
 * permission list (`provider/grants/grants.ts`), which the bootstrap gives the read-only identity. Exit codes: 0 no
 * drift found, 1 drift, 2 bad options or config (nothing read), 3 the tenant could not be read or the report is not
 * available (no Entra ID P1, no permission): the scope is then not checked, and the run says so.
 */
import { parseArgs } from "node:util";
import { settingPath } from "../../components/adminCenterLabels";
import { openStack } from "../../components/openStack";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { graphReadPermission } from "../../provider/reader/tenantReader";
import { groupMembersPath, readCollection, registrationDetailsPath } from "../../provider/reader/tenantReader";
import { createEntraClient, type EntraClient } from "../../provider/http/client";
import { isEntraError, redactSecrets } from "../../provider/http/errors";
import { reportLicenceErrorCode } from "../../provider/reader/lockoutFacts";
import { checkedTenantEndpoints, type CheckedTenantEndpoints } from "../stack/labEmulator";

/**
 * How late the report may be. Microsoft publishes no refresh time for `userRegistrationDetails` (Learn,
 * https://learn.microsoft.com/entra/identity/authentication/howto-authentication-methods-activity, names none);
 * assumed: up to a day, as observed for the authentication methods activity reports.
 */
export const reportRefreshDelay = "up to about 24 hours (Microsoft publishes no refresh time; assumed)";

/** The label every finding of this check carries. */
export const inferredLabel =
  "inferred from Graph's registration report (userRegistrationDetails.isSsprEnabled), which is not live: it may " +
  `lag the admin center by ${reportRefreshDelay}`;

/** One row of the report, as far as this check reads it. */
export interface ReportRow {
  id: string;
  userPrincipalName?: string;
  isAdmin?: boolean;
  isSsprEnabled?: boolean;
}

export interface ScopeJudgement {
  /** Drift of the portal policy, each line labelled as inferred. */
  drift: string[];
  /** Users whose report row was compared (administrators aside). */
  compared: number;
  /** What the report cannot tell apart (a group holding everybody looks like All). */
  caveats: string[];
}

const scopeWords = (args: Pick<SelfServicePasswordResetArgs, "scope" | "group">): string => {
  if (args.scope === "all") return '"All"';
  if (args.scope === "none") return '"None"';
  const group = args.group;
  const name = group === undefined ? "its group" : "id" in group ? `group ${group.id}` : `group "${group.displayName}"`;
  return `"Selected" with ${name}`;
};

const names = (rows: ReportRow[]): string => {
  const shown = rows.slice(0, 5).map((row) => row.userPrincipalName ?? row.id);
  return rows.length > shown.length ? `${shown.join(", ")} and ${rows.length - shown.length} more` : shown.join(", ");
};

/**
 * What the stack's scope means for each user against what the report says. `groupMembers`: the object ids (any
 * case) of the SSPR group's members, nested groups included; only for `scope: selected`. Pure.
 */
export function judgeScope(
  args: Pick<SelfServicePasswordResetArgs, "scope" | "group">,
  rows: readonly ReportRow[],
  groupMembers: ReadonlySet<string> = new Set(),
): ScopeJudgement {
  // Administrators: the administrator policy decides their reset, not the portal scope.
  const people = rows.filter((row) => row.isAdmin !== true && typeof row.isSsprEnabled === "boolean");
  const members = new Set([...groupMembers].map((id) => id.toLowerCase()));
  const expected = (row: ReportRow): boolean =>
    args.scope === "all" ? true : args.scope === "none" ? false : members.has(row.id.toLowerCase());
  const enabledNotExpected = people.filter((row) => row.isSsprEnabled === true && !expected(row));
  const expectedNotEnabled = people.filter((row) => row.isSsprEnabled !== true && expected(row));
  const enabled = people.filter((row) => row.isSsprEnabled === true).length;
  const caveats: string[] = [];
  if (args.scope === "selected" && people.length > 0 && people.every(expected)) {
    caveats.push(
      "every user is in the SSPR group, so the report cannot tell Selected from All: a change between them is not " +
        "seen until the group and the tenant differ",
    );
  }
  if (enabledNotExpected.length === 0 && expectedNotEnabled.length === 0)
    return { drift: [], compared: people.length, caveats };
  const looksLike =
    enabled === 0 ? '"None"' : enabled === people.length ? '"All"' : '"Selected" with another group (or other members)';
  const found = [
    enabledNotExpected.length > 0
      ? `${enabledNotExpected.length} user(s) the stack leaves out can reset (${names(enabledNotExpected)})`
      : "",
    expectedNotEnabled.length > 0
      ? `${expectedNotEnabled.length} user(s) the stack lets reset cannot (${names(expectedNotEnabled)})`
      : "",
  ].filter((part) => part !== "");
  const drift = [
    `drift of the password reset policy (portal): ${settingPath("enablement")} looks like ${looksLike} ` +
      `(${enabled} of ${people.length} users, administrators aside, are enabled), but the stack sets ` +
      `${scopeWords(args)}: ${found.join("; ")}. This is ${inferredLabel}. Run pulumi up to put the stack's scope ` +
      "back, or drift.yml by hand with portal: true to read the policy itself.",
  ];
  return { drift, compared: people.length, caveats };
}

/** The portal fields the report cannot show, which this check names as not checked. Pure. */
export function notCheckedWithoutPerson(args: SelfServicePasswordResetArgs): string[] {
  const fields: string[] = [settingPath("methodsRequired")];
  if (args.scope === "selected") fields.push(`${settingPath("selectedGroup")} (only its members' reset is compared)`);
  if (args.methods?.securityQuestions) fields.push(settingPath("questionsToRegister"), settingPath("questionsToReset"));
  fields.push(
    settingPath("requireOnSignIn"),
    settingPath("reconfirmDays"),
    settingPath("notifyUsers"),
    settingPath("notifyAdmins"),
  );
  if (args.helpdesk !== undefined) fields.push(settingPath("customizeHelpdesk"), settingPath("helpdeskEmailOrUrl"));
  return fields;
}

export interface PortalScopeDriftResult {
  /** Config problems (nothing read) or the failure to read the tenant. */
  errors: string[];
  errorKind?: "config" | "tenant";
  drift: string[];
  caveats: string[];
  /** Why the scope itself could not be checked (no licence, no permission). */
  cannotTell: string[];
  notChecked: string[];
  compared: number;
}

/** The SSPR group's id: the configured one, or the created group found by its name (undefined when it is gone). */
async function groupIdOf(client: EntraClient, args: SelfServicePasswordResetArgs): Promise<string | undefined> {
  const group = args.scope === "selected" ? args.group : undefined;
  if (group === undefined) return undefined;
  if ("id" in group) return group.id;
  const filter = encodeURIComponent(`displayName eq '${group.displayName.replace(/'/g, "''")}'`);
  const found = await readCollection(
    client,
    `/v1.0/groups?$filter=${filter}&$select=id`,
    graphReadPermission("driftScopeGroupRead"),
  );
  return found.length === 1 ? String(found[0].id) : undefined;
}

export interface PortalScopeDriftOptions {
  stack?: string;
  stackFile?: string;
  /** A running emulator to read instead of the stack's endpoints (rehearsals, tests). */
  emulatorUrl?: string;
  now?: Date;
}

export async function portalScopeDrift(options: PortalScopeDriftOptions): Promise<PortalScopeDriftResult> {
  const opened = openStack(options, options.now ?? new Date());
  const empty = { drift: [], caveats: [], cannotTell: [], notChecked: [], compared: 0 };
  if (opened.args === undefined) return { ...empty, errors: opened.problems, errorKind: "config" };
  const args = opened.args;
  const notChecked = notCheckedWithoutPerson(args);
  let tenant: CheckedTenantEndpoints | undefined;
  try {
    tenant = await checkedTenantEndpoints(options.emulatorUrl === undefined ? opened : { ...opened, lab: true }, {
      emulatorUrl: options.emulatorUrl,
    });
    const client = createEntraClient({ tenantId: args.tenantId, endpoints: tenant.endpoints });
    let rows: ReportRow[];
    try {
      rows = (await readCollection(client, registrationDetailsPath(), graphReadPermission("driftScopeReport"))).map(
        (row) => ({
          id: String(row.id),
          userPrincipalName: typeof row.userPrincipalName === "string" ? row.userPrincipalName : undefined,
          isAdmin: row.isAdmin === true,
          isSsprEnabled: typeof row.isSsprEnabled === "boolean" ? row.isSsprEnabled : undefined,
        }),
      );
    } catch (error) {
      if (!isEntraError(error) || error.status !== 403) throw error;
      const why =
        error.code === reportLicenceErrorCode
          ? "Graph's registration report needs a Microsoft Entra ID P1 or P2 licence, which this tenant lacks"
          : "the identity may not read Graph's registration report (AuditLog.Read.All: run pulumi up in bootstrap/ again)";
      const cannotTell = [`${settingPath("enablement")}: not checked without a person, because ${why}`];
      return { ...empty, errors: [], cannotTell, notChecked };
    }
    let members = new Set<string>();
    if (args.scope === "selected") {
      const groupId = await groupIdOf(client, args);
      if (groupId !== undefined) {
        const path = groupMembersPath(groupId, "id", { transitive: true, top: 999 });
        const read = await readCollection(client, path, graphReadPermission("driftScopeGroupRead"));
        members = new Set(read.map((item) => String(item.id).toLowerCase()));
      }
    }
    const judged = judgeScope(args, rows, members);
    return {
      errors: [],
      drift: judged.drift,
      caveats: judged.caveats,
      cannotTell: [],
      notChecked,
      compared: judged.compared,
    };
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    return {
      ...empty,
      notChecked,
      errors: [`the tenant could not be read (nothing was written): ${message}`],
      errorKind: "tenant",
    };
  } finally {
    await tenant?.close();
  }
}

export const driftCheckUsage = [
  "usage: npm run drift-check -- --stack <name> [--emulator <url>]",
  "  The nightly drift check of the password reset policy without a person: Graph's registration report",
  "  (isSsprEnabled per user, app-only, AuditLog.Read.All) against what the stack's scope means. Reads only.",
  "  --stack <name>        the stack of Pulumi.<name>.yaml to check",
  "  --stack-file <path>   a stack file elsewhere, instead of --stack",
  "  --emulator <url>      read this running emulator (such as http://127.0.0.1:8640) instead of the stack's endpoints",
  "  --help, -h            this text",
  "  Exit 0: no drift found; 1: drift (inferred from the report); 2: bad options or config; 3: not readable.",
].join("\n");

export async function main(
  argv: string[],
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { stack: { type: "string" }, "stack-file": { type: "string" }, emulator: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    write(`${error instanceof Error ? error.message : String(error)}\n${driftCheckUsage}\n`);
    return 2;
  }
  if (values.stack === undefined && values["stack-file"] === undefined) {
    write(`${driftCheckUsage}\n`);
    return 2;
  }
  const emulatorUrl = values.emulator as string | undefined;
  if (emulatorUrl !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(emulatorUrl)) {
    write(
      `--emulator: "${emulatorUrl}" is not a loopback URL; allowed: http://127.0.0.1:<port> or http://localhost:<port>\n`,
    );
    return 2;
  }
  const result = await portalScopeDrift({
    stack: values.stack as string | undefined,
    stackFile: values["stack-file"] as string | undefined,
    emulatorUrl: emulatorUrl?.replace(/\/$/, ""),
  });
  const lines = [
    ...result.errors.map((line) => `error: ${line}`),
    ...result.drift.map((line) => `drift: ${line}`),
    ...result.cannotTell.map((line) => `warning: ${line}`),
    ...result.caveats.map((line) => `note: ${line}`),
    ...(result.errors.length + result.drift.length + result.cannotTell.length === 0
      ? [`No drift of the SSPR scope found in ${result.compared} users' report rows (${inferredLabel}).`]
      : []),
    ...(result.notChecked.length > 0
      ? [
          "Not checked without a person (drift.yml with portal: true checks them):",
          ...result.notChecked.map((f) => `  - ${f}`),
        ]
      : []),
  ];
  write(`${lines.join("\n")}\n`);
  if (result.errors.length > 0) return result.errorKind === "tenant" ? 3 : 2;
  if (result.drift.length > 0) return 1;
  return result.cannotTell.length > 0 ? 3 : 0;
}
