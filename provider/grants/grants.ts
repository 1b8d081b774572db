/**
 * What a stack's run needs from each token, and what a token grants, from its `roles`, `scp` and `wids` claims.
 * Pure: the permission preflight (`permissionPreflight.ts`), `npm run preflight` and the lab credential's
 * `ENTRA_SSPR_LAB_GRANTS` build on it.
 *
 * Sources: Graph permissions per call from the Graph reference pages (docs/reference/endpoints-and-permissions.md#permissions-and-roles: authenticationMethodsPolicy,
 * authenticationMethodConfigurations, authorizationPolicy, groups, users); the portal's roles from docs/reference/portal-api.md#token-and-role.
 * Directory roles for a user's Graph writes are the "least privileged role" of each Graph reference page; a user's
 * reads are not checked against roles (many reader roles suffice, the service decides).
 */
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { methodChildren } from "../../components/mapping";
import type { EntraApi } from "../http/httpTypes";
import { decodeJwtPayload } from "../http/credentials";
import { directoryRoles, type DirectoryRole } from "../reader/directoryRoles";
import { offeredMethodIds } from "../../components/lockoutGuards";
import {
  organizationReadPermissions,
  ownershipReadPermissions,
  ownershipWritePermissions,
} from "../ownership/ownershipMark";

export type Access = "read" | "write";

const { authenticationPolicyAdministrator, globalAdministrator, privilegedRoleAdministrator } = directoryRoles;

/**
 * The steps of the pipeline that call Graph or the portal API, and which identity runs each: the bootstrap grants an
 * identity what every one of its steps reads or writes (`bootstrap/plan.ts`).
 */
export const grantSteps = {
  deploy: { words: "deploy (`pulumi up` / `destroy`)", identity: "deploy" },
  lockoutCheck: { words: "lockout check (deploy.yml, before `up`)", identity: "deploy" },
  preview: { words: "preview (preview.yml)", identity: "preview" },
  drift: { words: "drift check (drift.yml)", identity: "preview" },
} as const;
export type GrantStep = keyof typeof grantSteps;
export type GrantIdentity = (typeof grantSteps)[GrantStep]["identity"];

/**
 * One grant of the permission list: the step(s) that need it, what for, which stacks need it, and what satisfies it.
 * `permissions[0]` is the least privileged one, the one the bootstrap grants (Graph reference page of each call).
 */
export interface PermissionEntry {
  steps: GrantStep[];
  api: EntraApi;
  access: Access;
  /** What the grant is for, in admin-center words (the permission table's words, docs/permissions.md). */
  what: string;
  /** Which stacks need it, in config words. */
  when: string;
  permissions: string[];
  roles: DirectoryRole[];
  optional?: string;
}

const groupReads = ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"];

/**
 * Creating the pilot group, then changing its members and deleting it (destroy): `Group.Create` is the least
 * privileged application permission of `POST /groups` (Graph docs `group-post-groups`), and the app that creates a
 * group without naming owners is its sole owner (azuread `Group` docs: "By default, the principal being used to
 * execute Terraform is assigned as the sole owner"); the azuread `Group` resource then manages it, members and
 * deletion included, with `Group.Create` alone ("if the authenticated service principal is also an owner of the group
 * being managed, this resource can use the application role: Group.Create"). So the stack may write only the groups
 * it created, never the tenant's other groups (`Group.ReadWrite.All`). Adding users as members at creation also takes
 * `User.Read.All` (group-post-groups), which the member lookups already need. A person's token needs
 * `Group.ReadWrite.All` (no delegated Group.Create for this) within their directory role.
 */
export const pilotGroupWritePermissions = ["Group.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"];

/**
 * THE permission list: the bootstrap's grants, the preflight's checks (through `grantNeeds`) and docs/permissions.md's
 * permission table (`permissionTable`, checked by tests/provider/grants/permissionList.test.ts) all derive from it.
 */
export const permissionList = {
  // The ownership mark (`ownershipMark.ts`): claimed before anything else is written, read at preview and refresh.
  // It is kept on an application the deployment identity owns, so writing it takes Application.ReadWrite.OwnedBy
  // (only applications the identity owns), never Organization.ReadWrite.All (the organization's own settings); every
  // identity reads it with Application.Read.All, the deployment identity too (another stack's mark must be seen).
  // unverified: which directory role a person needs to write it; the service decides, so none is checked here.
  ownershipMarkWrite: {
    steps: ["deploy"],
    api: "graph",
    access: "write",
    what: "the tenant's ownership mark (an application the identity owns)",
    when: "every stack",
    permissions: ownershipWritePermissions,
    roles: [],
  },
  ownershipMarkRead: {
    steps: ["deploy", "preview", "drift"],
    api: "graph",
    access: "read",
    what: "the tenant's ownership mark (any stack's)",
    when: "every stack",
    permissions: ownershipReadPermissions,
    roles: [],
  },
  // The organization's id names the tenant in the mark's proof; a mark kept on the organization by versions before
  // is still read there (and moved on the next write).
  organizationRead: {
    steps: ["deploy", "preview", "drift"],
    api: "graph",
    access: "read",
    what: "the organization's id (and a mark earlier versions kept on it)",
    when: "every stack",
    permissions: organizationReadPermissions,
    roles: [],
  },
  methodsWrite: {
    steps: ["deploy"],
    api: "graph",
    access: "write",
    what: "Authentication methods policy",
    when: "methods (`offer` or `disable`), `methodsPolicy`",
    permissions: ["Policy.ReadWrite.AuthenticationMethod"],
    roles: [authenticationPolicyAdministrator, globalAdministrator],
  },
  methodsRead: {
    steps: ["preview", "drift"],
    api: "graph",
    access: "read",
    what: "Authentication methods policy",
    when: "methods (`offer` or `disable`), `methodsPolicy`",
    permissions: ["Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"],
    roles: [],
  },
  // `pulumi preview` (and the preview inside `pulumi up`) says who gains or loses a method: it reads the groups the
  // methods name (`peoplePreview.ts`). Without the permission it says so and goes on.
  peoplePreview: {
    steps: ["deploy", "preview"],
    api: "graph",
    access: "read",
    what: "who gains or loses a method, at preview (the groups the methods name)",
    when: "methods",
    permissions: groupReads,
    roles: [],
    optional: "the preview cannot say who gains or loses a method",
  },
  administratorsWrite: {
    steps: ["deploy"],
    api: "graph",
    access: "write",
    what: "SSPR for administrators (authorization policy)",
    when: "`administrators`",
    permissions: ["Policy.ReadWrite.Authorization"],
    roles: [privilegedRoleAdministrator, globalAdministrator],
  },
  administratorsRead: {
    steps: ["preview", "drift"],
    api: "graph",
    access: "read",
    what: "SSPR for administrators (authorization policy)",
    when: "`administrators`",
    permissions: ["Policy.Read.All", "Policy.ReadWrite.Authorization"],
    roles: [],
  },
  // `azuread.getGroup` at preview needs Group.Read.All (azuread provider docs), hence first; the providers' own
  // check (`groupExistence.ts`) would do with GroupMember.Read.All.
  existingGroupRead: {
    steps: ["deploy", "preview", "drift"],
    api: "graph",
    access: "read",
    what: "the pilot group exists",
    when: "an existing pilot group (`group.id`)",
    permissions: ["Group.Read.All", "GroupMember.Read.All", "Directory.Read.All", "Group.ReadWrite.All"],
    roles: [],
  },
  // The members' user ids are looked up on every run, previews included (azuread.getUsers).
  pilotMembersRead: {
    steps: ["deploy", "preview", "drift"],
    api: "graph",
    access: "read",
    what: "the pilot group's members (user lookups)",
    when: "a pilot group it creates, with members",
    permissions: ["User.Read.All", "Directory.Read.All"],
    roles: [],
  },
  pilotGroupWrite: {
    steps: ["deploy"],
    api: "graph",
    access: "write",
    what: "the pilot group and its members, and deleting it on destroy once nothing in the tenant names it",
    when: "a pilot group it creates (`group.displayName`)",
    permissions: pilotGroupWritePermissions,
    roles: [],
  },
  // azuread's preventDuplicateNames lists groups by name before creating one, and reads the group back.
  pilotGroupLookup: {
    steps: ["deploy"],
    api: "graph",
    access: "read",
    what: "the pilot group's name is not taken (groups listed by name)",
    when: "a pilot group it creates (`group.displayName`)",
    permissions: groupReads,
    roles: [],
  },
  pilotGroupRead: {
    steps: ["preview", "drift"],
    api: "graph",
    access: "read",
    what: "the pilot group",
    when: "a pilot group it creates (`group.displayName`)",
    permissions: ["Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All"],
    roles: [],
  },
  // The lockout check (`lockoutFacts.ts`) reads the methods policy, the groups an offered method excludes (and SMS's
  // targets) with their members, and the SSPR group; it runs in deploy.yml with the deployment identity.
  lockoutMethodsRead: {
    steps: ["lockoutCheck"],
    api: "graph",
    access: "read",
    what: "lockout check: the authentication methods policy",
    when: "every stack",
    permissions: ["Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"],
    roles: [],
  },
  lockoutGroupsRead: {
    steps: ["lockoutCheck"],
    api: "graph",
    access: "read",
    what: "lockout check: the groups a method excludes and the SSPR group, with members",
    when: "methods offered (`true`), or `group.id`",
    permissions: groupReads,
    roles: [],
  },
  // Graph `userRegistrationDetails` (`isAdmin`): AuditLog.Read.All, and an Entra ID P1 licence; without either the
  // check says it cannot tell and goes on.
  lockoutAdministratorsRead: {
    steps: ["lockoutCheck"],
    api: "graph",
    access: "read",
    what: "lockout check: which members of the SSPR group are administrators (registration report, Entra ID P1)",
    when: "`administrators.allowed: false` with `group.id`",
    permissions: ["AuditLog.Read.All"],
    roles: [],
    optional: "the lockout check cannot tell whether administrators are in the SSPR group",
  },
  // The nightly drift check of the portal policy's scope without a person (`scripts/checks/portalScopeDrift.ts`):
  // Graph's registration report says per user whether SSPR is enabled for them (`isSsprEnabled`), app-only with
  // AuditLog.Read.All (the least privileged application permission of userRegistrationDetails, Graph docs
  // `authenticationmethodsroot-list-userregistrationdetails`), on a tenant with Entra ID P1.
  driftScopeReport: {
    steps: ["drift"],
    api: "graph",
    access: "read",
    what: "drift check of the SSPR scope without a person: Graph's registration report (`isSsprEnabled` per user, Entra ID P1)",
    when: "every stack",
    permissions: ["AuditLog.Read.All"],
    roles: [],
    optional: "the nightly drift check says the SSPR scope is not checked without a person",
  },
  // ... and who is in the SSPR group, nested groups included (SSPR honours them), to know who should be enabled.
  driftScopeGroupRead: {
    steps: ["drift"],
    api: "graph",
    access: "read",
    what: "drift check of the SSPR scope: the SSPR group's members, nested groups included",
    when: "`scope: selected`",
    permissions: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"],
    roles: [],
  },
  // The password reset policy is always part of the stack. unverified: whether a reader role (Global Reader) may
  // GET it; the emulator and this check ask for the same roles as a write.
  portalWrite: {
    steps: ["deploy"],
    api: "portal",
    access: "write",
    what: "Password reset policy (portal API)",
    when: "every stack",
    permissions: [],
    roles: [authenticationPolicyAdministrator, globalAdministrator],
  },
  portalRead: {
    steps: ["preview", "drift", "lockoutCheck"],
    api: "portal",
    access: "read",
    what: "Password reset policy (portal API)",
    when: "every stack (drift: manual runs; the nightly run infers the scope from the registration report; lockout check: before the migration)",
    permissions: [],
    roles: [authenticationPolicyAdministrator, globalAdministrator],
  },
} satisfies Record<string, PermissionEntry>;
export type PermissionKey = keyof typeof permissionList;

export interface GrantNeed {
  api: EntraApi;
  access: Access;
  /** What the grant is for, in admin-center words. */
  purpose: string;
  /** Graph permissions (application `roles` or delegated `scp`), any one of which is enough. Empty for the portal. */
  permissions: string[];
  /** Directory roles (`wids`), any one of which is enough. Only a user's token is checked against them. */
  roles: DirectoryRole[];
  /** Set when the run goes on without it: what is lost. Such a need never stops a run. */
  optional?: string;
  /** Which entry of the permission list this need is. */
  grant: PermissionKey;
}

/** The entries of the permission list a stack needs (in the list's order), with its own words for each purpose. */
function stackEntries(args: SelfServicePasswordResetArgs): { key: PermissionKey; purpose?: string }[] {
  const entries: { key: PermissionKey; purpose?: string }[] = [];
  const add = (key: PermissionKey, purpose?: string) => entries.push({ key, purpose });
  add("ownershipMarkWrite");
  add("ownershipMarkRead");
  add("organizationRead");
  const methods = args.scope === "none" || args.methods === undefined ? [] : methodChildren(args.methods);
  if (methods.length > 0 || args.methodsPolicy !== undefined) {
    const what = [
      ...methods.map((child) => String(child.settings.methodId)),
      ...(args.methodsPolicy === undefined ? [] : ["migration state"]),
    ].join(", ");
    add("methodsWrite", `Authentication methods policy (${what})`);
    add("methodsRead", `Authentication methods policy (${what})`);
  }
  if (methods.length > 0) add("peoplePreview");
  if (args.administrators !== undefined) {
    add("administratorsWrite");
    add("administratorsRead");
  }
  const group = args.scope === "selected" ? args.group : undefined;
  const existingGroupId = group !== undefined && "id" in group ? group.id : undefined;
  if (existingGroupId !== undefined) add("existingGroupRead");
  else if (group !== undefined && "displayName" in group) {
    if ((group.members ?? []).length > 0) add("pilotMembersRead");
    add("pilotGroupWrite", `the pilot group "${group.displayName}" and its members`);
    add("pilotGroupLookup");
    add("pilotGroupRead", `the pilot group "${group.displayName}"`);
  }
  add("lockoutMethodsRead");
  if (offeredMethodIds(args).length > 0 || existingGroupId !== undefined) add("lockoutGroupsRead");
  if (args.administrators?.allowed === false && existingGroupId !== undefined) add("lockoutAdministratorsRead");
  add("driftScopeReport");
  if (group !== undefined) add("driftScopeGroupRead");
  add("portalWrite");
  add("portalRead");
  return entries;
}

/** What one step of the pipeline needs for this stack, from the permission list. */
export function stepNeeds(args: SelfServicePasswordResetArgs, step: GrantStep): GrantNeed[] {
  return stackEntries(args).flatMap(({ key, purpose }) => {
    const entry: PermissionEntry = permissionList[key];
    if (!entry.steps.includes(step)) return [];
    const { api, access, permissions, roles, optional } = entry;
    return [
      {
        api,
        access,
        purpose: purpose ?? entry.what,
        permissions,
        roles,
        grant: key,
        ...(optional ? { optional } : {}),
      },
    ];
  });
}

/** What every step an identity runs needs (`deploy`: deploy and the lockout check; `preview`: preview and drift). */
export function identityNeeds(args: SelfServicePasswordResetArgs, identity: GrantIdentity): GrantNeed[] {
  const steps = (Object.keys(grantSteps) as GrantStep[]).filter((step) => grantSteps[step].identity === identity);
  const needs: GrantNeed[] = [];
  for (const need of steps.flatMap((step) => stepNeeds(args, step))) {
    // One portal sign-in serves every step: its roles are checked once.
    const known = needs.some(
      (other) => other.grant === need.grant || (need.api === "portal" && other.api === "portal"),
    );
    if (!known) needs.push(need);
  }
  return needs;
}

/**
 * What a run of the stack needs. `read`: refresh, drift check, preview with its lookups, `npm run preflight`.
 * `write`: `pulumi up` and `destroy` (which also read). A need is listed once per object, with its access.
 */
export function grantNeeds(args: SelfServicePasswordResetArgs, access: Access): GrantNeed[] {
  return stepNeeds(args, access === "write" ? "deploy" : "preview");
}

/**
 * The fewest Graph application permissions that meet every need: writes first, each need's least privileged
 * permission unless one already chosen meets it (the bootstrap's grants).
 */
export function leastGraphPermissions(needs: readonly GrantNeed[]): string[] {
  const chosen: string[] = [];
  const graph = needs.filter((need) => need.api === "graph" && need.permissions.length > 0);
  const ordered = [
    ...graph.filter((need) => need.access === "write"),
    ...graph.filter((need) => need.access === "read"),
  ];
  for (const need of ordered) if (!holdsPermission(chosen, need.permissions)) chosen.push(need.permissions[0]);
  // A later, broader choice may cover an earlier one (Group.Read.All covers GroupMember.Read.All's reads): drop it,
  // one at a time, so that every need stays met.
  const kept = [...chosen];
  for (const permission of chosen) {
    const without = kept.filter((other) => other !== permission);
    if (graph.every((need) => holdsPermission(without, need.permissions))) kept.splice(kept.indexOf(permission), 1);
  }
  return kept.sort();
}

/** The permission table of docs/permissions.md, as Markdown, from the permission list. */
export function permissionTable(): string {
  const code = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(" or ");
  const header = [
    "Step",
    "For",
    "Stacks that need it",
    "Microsoft Graph (the first is what the bootstrap grants)",
    "Directory role of a person",
  ];
  const rows = Object.values(permissionList).map((entry: PermissionEntry) => [
    entry.steps.map((step) => grantSteps[step].words).join(", "),
    entry.what,
    entry.when,
    entry.api === "portal"
      ? "portal API: a person's delegated token"
      : `${code(entry.permissions)}${entry.optional ? ` (optional: without it ${entry.optional})` : ""}`,
    entry.roles.length > 0 ? entry.roles.map((role) => role.name).join(" or ") : "",
  ]);
  const widths = header.map((_, column) => Math.max(3, ...[header, ...rows].map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** What one token grants, read from its claims (never verified: the service does that). */
export interface TokenGrants {
  /** `user`: delegated (`scp`); `app`: application (`roles`, no `scp`); `unreadable`: not a JWT. */
  kind: "user" | "app" | "unreadable";
  /** Delegated scopes or application permissions. */
  permissions: string[];
  /** Directory role template ids; undefined when the token carries no `wids` claim. */
  roleIds?: string[];
  /** The signed-in user's principal name (user tokens only). */
  upn?: string;
  /** `aud`, `tid` and `appid`: which API, tenant and client the token is for. */
  audience?: string;
  tenantId?: string;
  clientId?: string;
  /** Seconds since the epoch. */
  expiresAt?: number;
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") return value.split(" ").filter((entry) => entry !== "");
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === "string");
  return [];
}

const claimText = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export function tokenGrants(token: string): TokenGrants {
  const claims = decodeJwtPayload(token);
  if (claims === undefined) return { kind: "unreadable", permissions: [] };
  const delegated = typeof claims.scp === "string" && claims.scp.trim() !== "";
  return {
    kind: delegated ? "user" : "app",
    permissions: delegated ? stringList(claims.scp) : stringList(claims.roles),
    roleIds: claims.wids === undefined ? undefined : stringList(claims.wids),
    upn: delegated
      ? (claimText(claims.upn) ?? claimText(claims.unique_name) ?? claimText(claims.preferred_username))
      : undefined,
    audience: claimText(claims.aud),
    tenantId: claimText(claims.tid),
    clientId: claimText(claims.appid) ?? claimText(claims.azp),
    expiresAt: typeof claims.exp === "number" ? claims.exp : undefined,
  };
}

/**
 * Whether `granted` holds one of `anyOf` (names compare case-insensitively). A `X.ReadWrite.Y` permission also
 * holds `X.Read.Y`: Graph lists the ReadWrite one among the higher-privileged permissions of every such read (the
 * emulator applies the same rule).
 */
export function holdsPermission(granted: readonly string[], anyOf: readonly string[]): boolean {
  const have = new Set(granted.map((permission) => permission.toLowerCase()));
  return anyOf.some((permission) => {
    const name = permission.toLowerCase();
    return have.has(name) || (name.includes(".read.") && have.has(name.replace(".read.", ".readwrite.")));
  });
}

export interface NeedResult {
  need: GrantNeed;
  /** Undefined when satisfied; otherwise what is missing, as a sentence fragment. */
  missing?: string;
  /** An optional need that is not met: what is missing and what the run loses. Never stops a run. */
  degraded?: string;
  /** Something the token cannot show (no `wids` claim) and the service will decide. */
  unchecked?: string;
}

const apiName = (api: EntraApi): string => (api === "graph" ? "Microsoft Graph" : "the portal API");
const roleNames = (roles: readonly DirectoryRole[]): string => roles.map((role) => role.name).join(" or ");

/** One need against one token's grants. */
export function checkNeed(need: GrantNeed, grants: TokenGrants | undefined): NeedResult {
  const prefix = `${apiName(need.api)}, ${need.purpose} (${need.access})`;
  if (grants === undefined) return { need, missing: `${prefix}: no token` };
  if (grants.kind === "unreadable") {
    return { need, unchecked: `${prefix}: the token is not a readable JWT; the service decides` };
  }
  if (need.api === "portal") {
    if (grants.kind !== "user") {
      return {
        need,
        missing: `${prefix}: a user's delegated token (service principals and managed identities are refused)`,
      };
    }
  } else if (!holdsPermission(grants.permissions, need.permissions)) {
    const kind = grants.kind === "user" ? "delegated scope" : "application permission";
    return { need, missing: `${prefix}: the ${kind} ${need.permissions.join(" or ")}` };
  }
  if (need.roles.length > 0 && grants.kind === "user") {
    if (grants.roleIds === undefined) {
      return {
        need,
        unchecked: `${prefix}: the token has no wids claim, so the role ${roleNames(need.roles)} is not checked`,
      };
    }
    const held = new Set(grants.roleIds.map((id) => id.toLowerCase()));
    if (!need.roles.some((role) => held.has(role.id))) {
      return { need, missing: `${prefix}: the directory role ${roleNames(need.roles)} (active, not only eligible)` };
    }
  }
  return { need };
}

export function checkNeeds(needs: readonly GrantNeed[], grants: Partial<Record<EntraApi, TokenGrants>>): NeedResult[] {
  return needs.map((need) => {
    const result = checkNeed(need, grants[need.api]);
    if (need.optional === undefined || result.missing === undefined) return result;
    return { need, degraded: `${result.missing} (optional: without it ${need.optional})` };
  });
}
