import type { SelfServicePasswordResetArgs } from "../../../components/ssprArgs";
import { labToken } from "../../../provider/http/credentials";
import { directoryRoles } from "../../../provider/reader/directoryRoles";
import {
  checkNeed,
  checkNeeds,
  grantNeeds,
  holdsPermission,
  tokenGrants,
  type GrantNeed,
} from "../../../provider/grants/grants";
import { parseLabGrants } from "../../../provider/grants/labGrants";

const { authenticationPolicyAdministrator, globalAdministrator, privilegedRoleAdministrator } = directoryRoles;
const base: SelfServicePasswordResetArgs = { tenantId: "contoso.example", scope: "all", methodsRequired: 1 };
const summary = (needs: GrantNeed[]) =>
  needs.map((need) => [need.api, need.access, need.permissions[0] ?? need.roles[0]?.name]);

describe("grantNeeds", () => {
  it("asks only for the ownership mark and the portal role when the stack owns no other Graph object", () => {
    const needs = grantNeeds({ ...base, methods: { email: false, mobilePhone: false } }, "write");
    // The mark lives on an application the deployment identity owns: written with Application.ReadWrite.OwnedBy,
    // read with Application.Read.All (another stack's too); the organization's id with Organization.Read.All.
    expect(summary(needs)).toEqual([
      ["graph", "write", "Application.ReadWrite.OwnedBy"],
      ["graph", "read", "Application.Read.All"],
      ["graph", "read", "Organization.Read.All"],
      ["portal", "write", "Authentication Policy Administrator"],
    ]);
    const permissions = needs.flatMap((need) => need.permissions.slice(0, 1));
    expect(permissions).not.toContain("Organization.ReadWrite.All");
    // Reading the organization: an app's Organization.Read.All, or any signed-in user (User.Read).
    expect(grantNeeds({ ...base }, "read")[1].permissions).toEqual([
      "Organization.Read.All",
      "Organization.ReadWrite.All",
      "User.Read",
    ]);
  });

  it("writes: methods policy, authorization policy and a created pilot group each name their write permission", () => {
    const args: SelfServicePasswordResetArgs = {
      ...base,
      scope: "selected",
      group: { displayName: "SSPR Pilot", members: ["a@contoso.example"] },
      methods: { email: true, mobilePhone: "disable" },
      administrators: { allowed: false },
    };
    const needs = grantNeeds(args, "write");
    expect(summary(needs)).toEqual([
      ["graph", "write", "Application.ReadWrite.OwnedBy"],
      ["graph", "read", "Application.Read.All"],
      ["graph", "read", "Organization.Read.All"],
      ["graph", "write", "Policy.ReadWrite.AuthenticationMethod"],
      ["graph", "read", "GroupMember.Read.All"],
      ["graph", "write", "Policy.ReadWrite.Authorization"],
      ["graph", "read", "User.Read.All"],
      // Group.Create: the stack may write only the group it creates (its owner), never the tenant's other groups.
      ["graph", "write", "Group.Create"],
      ["graph", "read", "GroupMember.Read.All"],
      ["portal", "write", "Authentication Policy Administrator"],
    ]);
    expect(needs[3].purpose).toBe("Authentication methods policy (Email, Sms, Voice)");
    expect(needs[5].roles).toEqual([privilegedRoleAdministrator, globalAdministrator]);
    // Only what the preview says in people is optional; every write is required.
    expect(needs.filter((need) => need.optional !== undefined).map((need) => need.permissions[0])).toEqual([
      "GroupMember.Read.All",
    ]);
  });

  it("a read-only run needs only read permissions", () => {
    const args: SelfServicePasswordResetArgs = {
      ...base,
      scope: "selected",
      group: { id: "0f0e0d0c-0000-4000-8000-000000000001" },
      methods: { email: true },
      administrators: { allowed: true },
      methodsPolicy: { migrationState: "migrationComplete" },
    };
    const needs = grantNeeds(args, "read");
    for (const need of needs.filter((n) => n.api === "graph")) {
      expect(need.permissions.some((permission) => /\.Read\./.test(permission))).toBe(true);
      expect(need.roles).toEqual([]);
    }
    expect(needs.every((need) => need.access === "read")).toBe(true);
    expect(needs[2].purpose).toBe("Authentication methods policy (Email, migration state)");
    expect(needs.map((need) => need.purpose)).toContain("the pilot group exists");
  });

  it("scope none owns no method even when methods are given", () => {
    expect(
      grantNeeds({ ...base, scope: "none", methods: { email: true } }, "write").map((need) => need.purpose),
    ).toEqual([
      "the tenant's ownership mark (an application the identity owns)",
      "the tenant's ownership mark (any stack's)",
      "the organization's id (and a mark earlier versions kept on it)",
      "Password reset policy (portal API)",
    ]);
  });
});

describe("checkNeed against token claims", () => {
  const [markWrite, markRead, organizationRead, methodsWrite, , portalWrite] = grantNeeds(
    { ...base, methods: { email: true } },
    "write",
  );

  it("an app token satisfies Graph needs by its roles and can never satisfy the portal", () => {
    const app = tokenGrants(labToken("graph", { roles: ["Policy.ReadWrite.AuthenticationMethod"] }));
    expect(app).toMatchObject({ kind: "app", permissions: ["Policy.ReadWrite.AuthenticationMethod"] });
    expect(checkNeed(methodsWrite, app).missing).toBeUndefined();
    expect(checkNeed(methodsWrite, { ...app, permissions: ["Policy.Read.All"] }).missing).toBe(
      "Microsoft Graph, Authentication methods policy (Email) (write): the application permission Policy.ReadWrite.AuthenticationMethod",
    );
    expect(checkNeed(portalWrite, app).missing).toContain("a user's delegated token");
    // The mark: written under Application.ReadWrite.OwnedBy, which does not read another stack's mark.
    const marker = tokenGrants(
      labToken("graph", { roles: ["Application.ReadWrite.OwnedBy", "Application.Read.All", "Organization.Read.All"] }),
    );
    for (const need of [markWrite, markRead, organizationRead]) expect(checkNeed(need, marker).missing).toBeUndefined();
    const ownedOnly = { ...marker, permissions: ["Application.ReadWrite.OwnedBy"] };
    expect(checkNeed(markRead, ownedOnly).missing).toContain("Application.Read.All");
  });

  it("a user token needs the scope and, for writes, an active role in wids", () => {
    const user = (scp: string, wids?: string[]) =>
      tokenGrants(labToken("portal", { aud: "https://graph.microsoft.com", scp, wids, upn: "admin@contoso.example" }));
    const held = user("Policy.ReadWrite.AuthenticationMethod User.Read", [authenticationPolicyAdministrator.id]);
    expect(held.upn).toBe("admin@contoso.example");
    expect(checkNeed(methodsWrite, held)).toEqual({ need: methodsWrite });
    expect(checkNeed(methodsWrite, user("Policy.ReadWrite.AuthenticationMethod", [])).missing).toContain(
      "the directory role Authentication Policy Administrator or Global Administrator",
    );
    expect(checkNeed(methodsWrite, user("Policy.Read.All", [globalAdministrator.id])).missing).toContain(
      "the delegated scope Policy.ReadWrite.AuthenticationMethod",
    );
    // No wids claim: the role cannot be seen, so it is reported as unchecked, not as missing.
    const unseen = checkNeed(methodsWrite, user("Policy.ReadWrite.AuthenticationMethod", undefined));
    expect(unseen.missing).toBeUndefined();
    expect(unseen.unchecked).toContain("no wids claim");
  });

  it("lists every missing grant at once, and names a missing token", () => {
    const needs = grantNeeds({ ...base, methods: { email: true }, administrators: { allowed: true } }, "write");
    const results = checkNeeds(needs, { graph: tokenGrants(labToken("graph", { roles: ["Policy.Read.All"] })) });
    expect(results.map((result) => result.missing)).toEqual([
      expect.stringContaining("Application.ReadWrite.OwnedBy"),
      expect.stringContaining("Application.Read.All"),
      expect.stringContaining("Organization.Read.All"),
      expect.stringContaining("Policy.ReadWrite.AuthenticationMethod"),
      undefined, // optional: reported as degraded, never stops a run
      expect.stringContaining("Policy.ReadWrite.Authorization"),
      "the portal API, Password reset policy (portal API) (write): no token",
    ]);
    expect(results[4].degraded).toBe(
      "Microsoft Graph, who gains or loses a method, at preview (the groups the methods name) (read): the application " +
        "permission GroupMember.Read.All or Group.Read.All or Directory.Read.All (optional: without it the preview " +
        "cannot say who gains or loses a method)",
    );
  });
});

describe("holdsPermission", () => {
  it("a ReadWrite permission holds the matching Read one, not the other way round", () => {
    expect(holdsPermission(["Group.ReadWrite.All"], ["Group.Read.All"])).toBe(true);
    expect(holdsPermission(["group.read.all"], ["Group.Read.All"])).toBe(true);
    expect(holdsPermission(["Group.Read.All"], ["Group.ReadWrite.All"])).toBe(false);
    expect(holdsPermission(["Policy.ReadWrite.Authorization"], ["Policy.Read.All"])).toBe(false);
  });
});

describe("parseLabGrants (ENTRA_SSPR_LAB_GRANTS)", () => {
  it("unset means everything; permissions and roles (by name or id) are told apart", () => {
    expect(parseLabGrants(undefined)).toBeUndefined();
    expect(parseLabGrants("  ")).toBeUndefined();
    expect(
      parseLabGrants("Policy.Read.All, authentication policy administrator,62E90394-69F5-4237-9190-012177145E10"),
    ).toEqual({
      permissions: ["Policy.Read.All"],
      roleIds: [authenticationPolicyAdministrator.id, globalAdministrator.id],
    });
  });

  it("names every entry that is neither", () => {
    const parsed = parseLabGrants("Policy.Read.All,Admin,sudo");
    expect(parsed).toEqual({ problems: [expect.stringContaining('"Admin"'), expect.stringContaining('"sudo"')] });
  });
});
