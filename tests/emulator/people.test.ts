/**
 * The emulator's people through HTTP: nested group membership, registered methods and their method-specific
 * lists, directory roles, licences and organization, the registration report with `$filter` and paging, the
 * answer Graph gives a tenant without Entra ID P1, and `$batch`.
 */
import { useEmulator } from "../support/emulator";
import { call, graphAppToken, graphError, type Json, type Reply } from "./helpers";

const lab = useEmulator();

const everything = [
  "User.Read.All",
  "GroupMember.Read.All",
  "UserAuthenticationMethod.Read.All",
  "RoleManagement.Read.Directory",
  "Organization.Read.All",
  "AuditLog.Read.All",
];
const graph = (method: string, path: string, options: { body?: unknown; roles?: string[] } = {}): Promise<Reply> =>
  call(lab.emulator.url, method, path, { token: graphAppToken(options.roles ?? everything), body: options.body });
const values = (reply: Reply): Json[] => (reply.body as { value: Json[] }).value;

const vogel = "3c9e5a21-7f4b-4c1d-8a6e-9b2f0d1c3e47";
const okafor = "8f2a4c6e-1b3d-4f5a-9c7e-2d4f6a8b0c13";
const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const finance = "cbcfbb00-5f66-5509-982c-18fa15d312b9";
const report = "/v1.0/reports/authenticationMethods/userRegistrationDetails";

describe("the default tenant's people", () => {
  it("has 23 staff with plausible names, the test account among them", async () => {
    const users = values(await graph("GET", "/v1.0/users?$select=userPrincipalName,displayName"));
    expect(users).toHaveLength(23);
    expect(users).toContainEqual({ userPrincipalName: "c.vogel@munyakazi.org", displayName: "Clara Vogel" });
    expect(new Set(users.map((user) => user.userPrincipalName)).size).toBe(23);
  });

  it("lists direct members (a nested group among them) and transitive members of the pilot group", async () => {
    const direct = values(await graph("GET", `/v1.0/groups/${pilot}/members`));
    expect(direct.map((member) => [member["@odata.type"], member.id])).toEqual([
      ["#microsoft.graph.user", vogel],
      ["#microsoft.graph.group", finance],
    ]);
    const transitive = values(await graph("GET", `/v1.0/groups/${pilot}/transitiveMembers?$select=id`));
    expect(transitive.map((member) => member.id)).toEqual([
      vogel,
      finance,
      "730d5b70-ea81-56b5-8895-cdaab4e80518",
      "7f902769-53ec-5a59-9859-18dcbc296ebc",
      okafor,
    ]);
    const memberOf = values(await graph("GET", `/v1.0/users/${okafor}/transitiveMemberOf`));
    expect(memberOf.map((group) => group.displayName)).toEqual(["Finance", "Password reset pilot"]);
    expect(values(await graph("GET", `/v1.0/users/${okafor}/memberOf`)).map((group) => group.id)).toEqual([finance]);
  });

  it("survives a membership cycle", async () => {
    lab.reseed({ groupMembers: { [pilot]: [finance], [finance]: [pilot, okafor] } });
    const transitive = values(await graph("GET", `/v1.0/groups/${pilot}/transitiveMembers`));
    expect(transitive.map((member) => member.id)).toEqual([finance, pilot, okafor]);
  });

  it("serves a user's methods, the password included, and the method-specific lists", async () => {
    const methods = values(await graph("GET", `/v1.0/users/${vogel}/authentication/methods`));
    expect(methods.map((method) => method["@odata.type"])).toEqual([
      "#microsoft.graph.passwordAuthenticationMethod",
      "#microsoft.graph.emailAuthenticationMethod",
      "#microsoft.graph.phoneAuthenticationMethod",
    ]);
    const phones = values(await graph("GET", `/v1.0/users/c.vogel@munyakazi.org/authentication/phoneMethods`));
    expect(phones).toEqual([
      expect.objectContaining({ id: "3179e48a-750b-4051-897c-87b9720928f7", phoneType: "mobile" }),
    ]);
    expect(values(await graph("GET", `/v1.0/users/${okafor}/authentication/emailMethods`))).toEqual([]);
    expect((await graph("GET", `/v1.0/users/${vogel}/authentication/nonsenseMethods`)).status).toBe(400);
    expect((await graph("GET", `/v1.0/users/00000000-0000-4000-8000-000000000000/authentication/methods`)).status).toBe(
      404,
    );
    const denied = await graph("GET", `/v1.0/users/${vogel}/authentication/methods`, { roles: ["User.Read.All"] });
    expect(denied.status).toBe(403);
    expect(graphError(denied).message).toContain("UserAuthenticationMethod.Read.All");
  });

  it("has administrators in directory roles, one of them without a mail address", async () => {
    const roles = values(await graph("GET", "/v1.0/directoryRoles"));
    expect(roles.map((role) => role.displayName)).toEqual([
      "Global Administrator",
      "User Administrator",
      "Helpdesk Administrator",
      "Global Reader",
    ]);
    const globalAdmins = values(
      await graph("GET", `/v1.0/directoryRoles/${String(roles[0].id)}/members?$select=userPrincipalName,mail`),
    );
    expect(globalAdmins).toEqual([
      { "@odata.type": "#microsoft.graph.user", userPrincipalName: "admin@munyakazi.org", mail: null },
    ]);
  });

  it("serves subscribedSkus (Business Premium, with Entra ID P1) and the cloud-only organization", async () => {
    const skus = values(await graph("GET", "/v1.0/subscribedSkus"));
    expect(skus.map((sku) => sku.skuPartNumber)).toEqual(["SPB"]);
    expect(skus[0].servicePlans).toContainEqual(expect.objectContaining({ servicePlanName: "AAD_PREMIUM" }));
    const organization = values(await graph("GET", "/v1.0/organization"));
    expect(organization).toHaveLength(1);
    expect(organization[0]).toMatchObject({ onPremisesSyncEnabled: null });
  });
});

describe("the registration report", () => {
  it("pages with $top and an @odata.nextLink on the emulator's own host, and filters", async () => {
    const first = await graph("GET", `${report}?$top=10`);
    const body = first.body as Json;
    expect(values(first)).toHaveLength(10);
    const next = new URL(String(body["@odata.nextLink"]));
    expect(next.host).toBe(new URL(lab.emulator.url).host);
    const rows = [...values(first)];
    let link: string | undefined = String(body["@odata.nextLink"]);
    while (link !== undefined) {
      const url = new URL(link);
      const page = await graph("GET", url.pathname + url.search);
      rows.push(...values(page));
      const nextLink = (page.body as Json)["@odata.nextLink"];
      link = typeof nextLink === "string" ? nextLink : undefined;
    }
    expect(rows.map((row) => row.id)).toEqual(values(await graph("GET", report)).map((row) => row.id));
    expect(rows).toHaveLength(23);
    expect((await graph("GET", `${report}?$top=0`)).status).toBe(400);

    const unregistered = values(
      await graph("GET", `${report}?$filter=${encodeURIComponent("isSsprRegistered eq false")}`),
    );
    // The default tenant requires 1 method: only l.okafor has none.
    expect(unregistered.map((row) => row.userPrincipalName)).toEqual(["l.okafor@munyakazi.org"]);
  });

  it("derives the row from the directory and lays a seeded row over it", async () => {
    const row = (await graph("GET", `${report}/${vogel}`)).body as Json;
    expect(row).toMatchObject({ methodsRegistered: ["email", "mobilePhone"], isSsprEnabled: false, isAdmin: false });
    lab.reseed({
      userRegistrationDetails: [{ id: vogel, methodsRegistered: [] }],
      users: lab.seeded.users.map((user) => (user.id === okafor ? { ...user, accountEnabled: false } : user)),
    });
    expect(((await graph("GET", `${report}/${vogel}`)).body as Json).methodsRegistered).toEqual([]);
    // "This method doesn't work for disabled users" (Graph docs): a disabled account has no row.
    expect((await graph("GET", `${report}/${okafor}`)).status).toBe(404);
  });

  it("answers a tenant without Entra ID P1 the way Graph does", async () => {
    lab.reseed({ subscribedSkus: [] });
    for (const path of [report, `${report}/${vogel}`]) {
      const reply = await graph("GET", path);
      expect(reply.status).toBe(403);
      expect(graphError(reply)).toMatchObject({
        code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        message: "Neither tenant is B2C or tenant doesn't have premium license",
      });
    }
    // Without the permission, the permission is what Graph complains about.
    expect(graphError(await graph("GET", report, { roles: ["User.Read.All"] })).code).toBe("accessDenied");
  });
});

describe("$batch", () => {
  const batch = (requests: unknown, roles?: string[]): Promise<Reply> =>
    graph("POST", "/v1.0/$batch", { body: { requests }, roles });

  it("answers each request as if sent alone with the batch's token", async () => {
    const reply = await batch([
      { id: "1", method: "GET", url: `/users/${vogel}/authentication/methods` },
      { id: "2", method: "GET", url: "/users/00000000-0000-4000-8000-000000000000/authentication/methods" },
      { id: "3", method: "GET", url: `users/${okafor}?$select=displayName` },
    ]);
    expect(reply.status).toBe(200);
    const responses = (reply.body as { responses: Json[] }).responses;
    expect(responses.map((response) => [response.id, response.status])).toEqual([
      ["1", 200],
      ["2", 404],
      ["3", 200],
    ]);
    expect((responses[1].body as { error: Json }).error.code).toBe("Request_ResourceNotFound");
    expect(responses[2].body).toMatchObject({ displayName: "Lena Okafor" });
    const denied = await batch(
      [{ id: "1", method: "GET", url: `/users/${vogel}/authentication/methods` }],
      ["User.Read.All"],
    );
    expect((denied.body as { responses: Json[] }).responses[0].status).toBe(403);
  });

  it("answers 424 for a request whose dependency failed", async () => {
    const reply = await batch([
      { id: "1", method: "GET", url: "/users/00000000-0000-4000-8000-000000000000" },
      { id: "2", method: "GET", url: "/organization", dependsOn: ["1"] },
      { id: "3", method: "GET", url: "/organization" },
    ]);
    expect((reply.body as { responses: Json[] }).responses.map((response) => response.status)).toEqual([404, 424, 200]);
  });

  it("refuses more than 20 requests, duplicate ids, absolute URLs and a missing token", async () => {
    const many = Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: "GET", url: "/organization" }));
    expect(graphError(await batch(many)).message).toContain("at most 20");
    const bad = await batch([
      { id: "1", method: "GET", url: "/organization" },
      { id: "1", method: "GET", url: "https://graph.microsoft.com/v1.0/organization" },
    ]);
    expect(bad.status).toBe(400);
    expect(graphError(bad).message).toContain('"1" is not unique');
    expect(graphError(bad).message).toContain("relative URL");
    const anonymous = await call(lab.emulator.url, "POST", "/v1.0/$batch", { body: { requests: [] } });
    expect(anonymous.status).toBe(401);
  });
});
