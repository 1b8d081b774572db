/**
 * What a stack's run needs from each token, and what a token grants, from its `roles`, `scp` and `wids` claims.
 * Pure: the permission preflight (`permissionPreflight.ts`), `npm run preflight` and the lab credential's
 * `ENTRA_SSPR_LAB_GRANTS` build on it.
 *
 * Sources: Graph permissions per call from the Graph reference pages ([REF] section 3: authenticationMethodsPolicy,
 * authenticationMethodConfigurations, authorizationPolicy, groups, users); the portal's roles from [REF] section 2.
 * Directory roles for a user's Graph writes are the "least privileged role" of each Graph reference page; a user's
 * reads are not checked against roles (many reader roles suffice, the service decides).
 */
import type { SelfServicePasswordResetArgs } from "../ssprArgs";
import { methodChildren } from "../mapping";
import type { EntraApi } from "./types";
import { decodeJwtPayload } from "./credentials";
import { directoryRoles, type DirectoryRole } from "./directoryRoles";
import { groupDeletePermission } from "./pilotGroupRelease";

export type Access = "read" | "write";

const { authenticationPolicyAdministrator, globalAdministrator, privilegedRoleAdministrator } = directoryRoles;

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
}

/**
 * What a run of the stack needs. `read`: refresh, drift check, preview with its lookups, `npm run preflight`.
 * `write`: `pulumi up` and `destroy` (which also read). A need is listed once per object, with its access.
 */
export function grantNeeds(args: SelfServicePasswordResetArgs, access: Access): GrantNeed[] {
  const needs: GrantNeed[] = [];
  const add = (need: GrantNeed) => needs.push(need);
  const writes = access === "write";

  // The ownership mark (`ownershipMark.ts`): claimed before anything else is written, read at preview and refresh.
  // unverified: which directory role a person needs to write an open extension of the organization; the service
  // decides, so none is checked here.
  add(
    writes
      ? {
          api: "graph",
          access,
          purpose: "the tenant's ownership mark (organization extension)",
          permissions: ["Organization.ReadWrite.All"],
          roles: [],
        }
      : {
          api: "graph",
          access,
          purpose: "the tenant's ownership mark (organization extension)",
          permissions: ["Organization.Read.All", "Organization.ReadWrite.All", "User.Read"],
          roles: [],
        },
  );

  const methods = args.scope === "none" || args.methods === undefined ? [] : methodChildren(args.methods);
  if (methods.length > 0 || args.methodsPolicy !== undefined) {
    const what = [
      ...methods.map((child) => String(child.settings.methodId)),
      ...(args.methodsPolicy === undefined ? [] : ["migration state"]),
    ].join(", ");
    add(
      writes
        ? {
            api: "graph",
            access,
            purpose: `Authentication methods policy (${what})`,
            permissions: ["Policy.ReadWrite.AuthenticationMethod"],
            roles: [authenticationPolicyAdministrator, globalAdministrator],
          }
        : {
            api: "graph",
            access,
            purpose: `Authentication methods policy (${what})`,
            permissions: ["Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"],
            roles: [],
          },
    );
  }

  if (methods.length > 0) {
    // `pulumi preview` (and the preview inside `pulumi up`) says who gains or loses a method: it reads the groups the
    // methods name (`peoplePreview.ts`). Without the permission it says so and goes on.
    add({
      api: "graph",
      access: "read",
      purpose: "who gains or loses a method, at preview (the groups the methods name)",
      permissions: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"],
      roles: [],
      optional: "the preview cannot say who gains or loses a method",
    });
  }

  if (args.administrators !== undefined) {
    add(
      writes
        ? {
            api: "graph",
            access,
            purpose: "SSPR for administrators (authorization policy)",
            permissions: ["Policy.ReadWrite.Authorization"],
            roles: [privilegedRoleAdministrator, globalAdministrator],
          }
        : {
            api: "graph",
            access,
            purpose: "SSPR for administrators (authorization policy)",
            permissions: ["Policy.Read.All", "Policy.ReadWrite.Authorization"],
            roles: [],
          },
    );
  }

  const group = args.scope === "selected" ? args.group : undefined;
  if (group !== undefined && "id" in group) {
    add({
      api: "graph",
      access: "read",
      purpose: "the pilot group exists",
      permissions: ["Group.Read.All", "GroupMember.Read.All", "Directory.Read.All", "Group.ReadWrite.All"],
      roles: [],
    });
  } else if (group !== undefined) {
    if ((group.members ?? []).length > 0) {
      // The members' user ids are looked up on every run, previews included (azuread.getUsers).
      add({
        api: "graph",
        access: "read",
        purpose: "the pilot group's members (user lookups)",
        permissions: ["User.Read.All", "Directory.Read.All"],
        roles: [],
      });
    }
    add(
      writes
        ? {
            api: "graph",
            access,
            purpose: `the pilot group "${group.displayName}" and its members`,
            permissions: ["Group.ReadWrite.All", "Directory.ReadWrite.All"],
            roles: [],
          }
        : {
            api: "graph",
            access,
            purpose: `the pilot group "${group.displayName}"`,
            permissions: ["Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All"],
            roles: [],
          },
    );
    if (writes && args.onDestroy !== "retain") {
      // Destroy deletes the group it created (`PilotGroupRelease`) once nothing in the tenant names it. Graph's
      // group delete takes Group.ReadWrite.All only (docs `group-delete`): Directory.ReadWrite.All does not delete.
      add({
        api: "graph",
        access,
        purpose: `deleting the pilot group "${group.displayName}" on destroy, once nothing names it`,
        permissions: [groupDeletePermission],
        roles: [],
      });
    }
  }

  // The password reset policy is always part of the stack. unverified: whether a reader role (Global Reader) may
  // GET it; the emulator and this check ask for the same roles as a write.
  add({
    api: "portal",
    access,
    purpose: "Password reset policy (portal API)",
    permissions: [],
    roles: [authenticationPolicyAdministrator, globalAdministrator],
  });
  return needs;
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
