import { createDefaultTenant, defaultMethodConfigurations } from "../../emulator/defaultTenant";
import {
  allGraphPermissions,
  call,
  campaignPatchFixture,
  graphAppToken,
  graphError,
  graphUserToken,
  methodsPolicyFixture,
  portalUserToken,
  unsignedJwt,
  type Json,
  type Reply,
} from "./helpers";
import { useEmulator } from "../support/emulator";

const lab = useEmulator();
const admin = graphAppToken(allGraphPermissions);

const graph = (method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Reply> =>
  call(lab.emulator.url, method, path, { token: admin, ...options });

const methodsPath = "/v1.0/policies/authenticationMethodsPolicy";
const methodPath = (id: string): string => `${methodsPath}/authenticationMethodConfigurations/${id}`;
const configurations = (body: unknown): Json[] =>
  (body as { authenticationMethodConfigurations: Json[] }).authenticationMethodConfigurations;

/** Asserts a 400 Graph error and that the tenant is exactly as before. */
async function expectRejected(request: Promise<Reply>, before: unknown, ...fragments: string[]): Promise<void> {
  const reply = await request;
  expect(reply.status).toBe(400);
  const error = graphError(reply);
  expect(error.code).toBe("BadRequest");
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  expect(lab.emulator.state()).toEqual(before);
}

describe("documented samples (fixtures)", () => {
  it("serves a seeded methods policy back: the fixture's fields and every fixture method configuration verbatim", async () => {
    const fixture = methodsPolicyFixture();
    lab.emulator.seed({ authenticationMethodsPolicy: fixture as never });
    const reply = await graph("GET", methodsPath);
    expect(reply.status).toBe(200);
    const { authenticationMethodConfigurations: fixtureMethods, ...fixtureRoot } = fixture;
    const { authenticationMethodConfigurations: servedMethods, ...servedRoot } = reply.body as Json;
    expect(servedRoot).toEqual(fixtureRoot);
    expect((servedMethods as Json[]).slice(0, 5)).toEqual(fixtureMethods);
    // The methods the shortened sample leaves out are still there, so every method can be read and written.
    expect((servedMethods as Json[]).map((m) => m.id)).toEqual(
      expect.arrayContaining(["Voice", "SoftwareOath", "X509Certificate"]),
    );
  });

  it("replays the documented registration-campaign PATCH: 200 with the policy", async () => {
    lab.emulator.seed({ authenticationMethodsPolicy: methodsPolicyFixture() as never });
    const patch = campaignPatchFixture();
    const reply = await graph("PATCH", methodsPath, { body: patch });
    expect(reply.status).toBe(200);
    const body = reply.body as Json;
    expect(body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#authenticationMethodsPolicy");
    expect(body.registrationEnforcement).toEqual(patch.registrationEnforcement);
    expect(configurations(body).slice(0, 5)).toEqual(methodsPolicyFixture().authenticationMethodConfigurations);
    expect((await graph("GET", methodsPath)).body).toEqual(body);
  });
});

describe("authentication methods policy", () => {
  it("expands every method configuration on GET; a new tenant reports policyMigrationState null", async () => {
    const reply = await graph("GET", methodsPath);
    const body = reply.body as Json;
    expect(body.policyMigrationState).toBeNull();
    expect(
      configurations(body)
        .map((m) => m.id)
        .sort(),
    ).toEqual(Object.keys(defaultMethodConfigurations).sort());
  });

  it("keeps null on a PATCH of other fields and on a PATCH to migrationComplete", async () => {
    expect((await graph("PATCH", methodsPath, { body: campaignPatchFixture() })).status).toBe(200);
    const reply = await graph("PATCH", methodsPath, { body: { policyMigrationState: "migrationComplete" } });
    expect(reply.status).toBe(200);
    expect((reply.body as Json).policyMigrationState).toBeNull();
  });

  it("moves the migration forward only", async () => {
    lab.emulator.seed({
      authenticationMethodsPolicy: {
        ...lab.emulator.state().authenticationMethodsPolicy,
        policyMigrationState: "preMigration",
      },
    });
    const forward = await graph("PATCH", methodsPath, { body: { policyMigrationState: "migrationInProgress" } });
    expect((forward.body as Json).policyMigrationState).toBe("migrationInProgress");
    const before = lab.emulator.state();
    await expectRejected(
      graph("PATCH", methodsPath, { body: { policyMigrationState: "preMigration" } }),
      before,
      "only moves forward",
    );
    const done = await graph("PATCH", methodsPath, { body: { policyMigrationState: "migrationComplete" } });
    expect((done.body as Json).policyMigrationState).toBe("migrationComplete");
  });

  it("rejects out-of-range campaign values and changes nothing", async () => {
    const before = lab.emulator.state();
    const campaign = { snoozeDurationInDays: 15, state: "on" };
    await expectRejected(
      graph("PATCH", methodsPath, {
        body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign } },
      }),
      before,
      "snoozeDurationInDays is 15; allowed: an integer 0-14",
      'state is "on"',
    );
  });

  it("rejects malformed JSON and an empty body and changes nothing", async () => {
    const before = lab.emulator.state();
    await expectRejected(
      graph("PATCH", methodsPath, { rawBody: '{"registrationEnforcement":' }),
      before,
      "Unable to read JSON request payload",
    );
    await expectRejected(graph("PATCH", methodsPath, { rawBody: "" }), before, "Empty Payload");
  });

  it("shows beta-only properties on beta only", async () => {
    const beta = "/beta/policies/authenticationMethodsPolicy";
    const settings = {
      state: "enabled",
      includeTarget: { targetType: "group", id: "all_users" },
      voiceReportingCode: 0,
    };
    const reply = await graph("PATCH", beta, { body: { reportSuspiciousActivitySettings: settings } });
    expect(reply.status).toBe(200);
    expect((reply.body as Json)["@odata.context"]).toBe(
      "https://graph.microsoft.com/beta/$metadata#authenticationMethodsPolicy",
    );
    expect((reply.body as Json).reportSuspiciousActivitySettings).toEqual(settings);
    expect((await graph("GET", methodsPath)).body).not.toHaveProperty("reportSuspiciousActivitySettings");
  });
});

describe("method configurations", () => {
  const emailType = "#microsoft.graph.emailAuthenticationMethodConfiguration";

  it("answers GET with ids in any case", async () => {
    for (const id of ["Sms", "sms", "SMS"]) {
      const reply = await graph("GET", methodPath(id));
      expect(reply.status).toBe(200);
      expect((reply.body as Json).id).toBe("Sms");
    }
  });

  it("PATCH 204 changes only the given properties", async () => {
    const before = lab.emulator
      .state()
      .authenticationMethodsPolicy.authenticationMethodConfigurations.find((m) => m.id === "Email");
    const reply = await graph("PATCH", methodPath("email"), {
      body: { "@odata.type": emailType, allowExternalIdToUseEmailOtp: "enabled" },
    });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe("");
    const after = (await graph("GET", methodPath("Email"))).body as Json;
    expect(after).toEqual({
      ...(before as Json),
      allowExternalIdToUseEmailOtp: "enabled",
      "@odata.context": expect.any(String),
    });
  });

  it("PATCH without the right @odata.type is a 400 and changes nothing", async () => {
    const before = lab.emulator.state();
    await expectRejected(
      graph("PATCH", methodPath("Email"), { body: { state: "disabled" } }),
      before,
      "@odata.type is missing",
    );
    await expectRejected(
      graph("PATCH", methodPath("Email"), {
        body: { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", state: "disabled" },
      }),
      before,
      `it must be "${emailType}"`,
    );
  });

  it("PATCH with an unknown property or wrong target shape is a 400 and changes nothing", async () => {
    const before = lab.emulator.state();
    await expectRejected(
      graph("PATCH", methodPath("Voice"), {
        body: {
          "@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration",
          isOfficePhoneAllowd: true,
          includeTargets: [{ id: "x" }],
        },
      }),
      before,
      "The property 'isOfficePhoneAllowd' does not exist",
      "includeTargets[0].targetType is missing",
    );
  });

  it("PATCH out-of-range Temporary Access Pass values is a 400 and changes nothing", async () => {
    const before = lab.emulator.state();
    const type = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration";
    await expectRejected(
      graph("PATCH", methodPath("TemporaryAccessPass"), {
        body: { "@odata.type": type, defaultLength: 7, minimumLifetimeInMinutes: 43201 },
      }),
      before,
      "defaultLength is 7; allowed: an integer 8-48",
      "minimumLifetimeInMinutes is 43201; allowed: an integer 10-43200",
    );
  });

  it("DELETE 204 restores the default configuration", async () => {
    const type = "#microsoft.graph.smsAuthenticationMethodConfiguration";
    const targets = [{ targetType: "group", id: "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04", isUsableForSignIn: false }];
    expect(
      (
        await graph("PATCH", methodPath("Sms"), {
          body: { "@odata.type": type, state: "disabled", includeTargets: targets },
        })
      ).status,
    ).toBe(204);
    expect(((await graph("GET", methodPath("Sms"))).body as Json).state).toBe("disabled");
    const reply = await graph("DELETE", methodPath("sms"));
    expect(reply.status).toBe(204);
    const { "@odata.context": _context, ...restored } = (await graph("GET", methodPath("Sms"))).body as Json;
    expect(restored).toEqual(defaultMethodConfigurations.Sms);
  });

  it("answers 404 for an unknown id on GET, PATCH and DELETE", async () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const reply = await graph(
        method,
        methodPath("Carrier"),
        method === "PATCH" ? { body: { "@odata.type": "#x" } } : {},
      );
      expect(reply.status).toBe(404);
      expect(graphError(reply).code).toBe("itemNotFound");
    }
  });
});

describe("authorization policy", () => {
  it("GET on v1.0 and the beta item path; PATCH 204 on both", async () => {
    const v1 = await graph("GET", "/v1.0/policies/authorizationPolicy");
    expect(v1.body).toMatchObject({ id: "authorizationPolicy", allowedToUseSSPR: true });
    expect(
      (await graph("PATCH", "/v1.0/policies/authorizationPolicy", { body: { allowedToUseSSPR: false } })).status,
    ).toBe(204);
    const beta = "/beta/policies/authorizationPolicy/authorizationPolicy";
    expect(((await graph("GET", beta)).body as Json).allowedToUseSSPR).toBe(false);
    expect((await graph("PATCH", beta, { body: { allowedToUseSSPR: true } })).status).toBe(204);
    expect(lab.emulator.state().authorizationPolicy.allowedToUseSSPR).toBe(true);
  });

  it("beta's collection path lists the one policy", async () => {
    const reply = await graph("GET", "/beta/policies/authorizationPolicy");
    expect((reply.body as { value: Json[] }).value).toEqual([lab.emulator.state().authorizationPolicy]);
  });

  it("rejects a non-boolean allowedToUseSSPR and changes nothing", async () => {
    const before = lab.emulator.state();
    await expectRejected(
      graph("PATCH", "/v1.0/policies/authorizationPolicy", { body: { allowedToUseSSPR: "no" } }),
      before,
      'allowedToUseSSPR is "no"; allowed: true or false',
    );
  });
});

describe("tokens and permissions", () => {
  it("401 without a token, with a garbage token, with another audience and when expired", async () => {
    const tokens = [
      undefined,
      "garbage",
      portalUserToken(),
      graphAppToken(allGraphPermissions, { exp: Math.floor(Date.now() / 1000) - 60 }),
    ];
    const messages: string[] = [];
    for (const token of tokens) {
      const reply = await call(lab.emulator.url, "GET", methodsPath, { token });
      expect(reply.status).toBe(401);
      expect(reply.headers.get("www-authenticate")).toContain("Bearer");
      expect(graphError(reply).code).toBe("InvalidAuthenticationToken");
      messages.push(graphError(reply).message);
    }
    expect(messages).toEqual([
      "Access token is empty.",
      expect.stringContaining("not a well-formed JWT"),
      "Access token validation failure. Invalid audience.",
      "Lifetime validation failed, the token is expired.",
    ]);
  });

  it("403 names the missing permission, for app and delegated tokens", async () => {
    const reader = graphAppToken(["Policy.Read.All"]);
    expect((await call(lab.emulator.url, "GET", methodsPath, { token: reader })).status).toBe(200);
    const patch = await call(lab.emulator.url, "PATCH", methodsPath, { token: reader, body: campaignPatchFixture() });
    expect(patch.status).toBe(403);
    expect(graphError(patch).message).toContain("Policy.ReadWrite.AuthenticationMethod");

    const cases: [string, string, string][] = [
      ["GET", "/v1.0/users", "User.Read.All"],
      ["GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails", "AuditLog.Read.All"],
      ["PATCH", "/v1.0/policies/authorizationPolicy", "Policy.ReadWrite.Authorization"],
      ["GET", "/v1.0/groups/5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04", "Group.Read.All"],
      ["POST", "/v1.0/groups", "Group.ReadWrite.All"],
    ];
    for (const [method, path, permission] of cases) {
      const body = method === "GET" ? undefined : {};
      const reply = await call(lab.emulator.url, method, path, { token: graphUserToken(["Policy.Read.All"]), body });
      expect(reply.status).toBe(403);
      expect(graphError(reply).message).toContain(permission);
    }
    expect(lab.emulator.state()).toEqual(createDefaultTenant());
  });

  it("the documented least privileged permissions: GroupMember.Read.All reads a group, Group.Create creates one", async () => {
    const group = "/v1.0/groups/5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
    const member = graphAppToken(["GroupMember.Read.All"]);
    expect((await call(lab.emulator.url, "GET", group, { token: member })).status).toBe(200);
    const creator = graphAppToken(["Group.Create"]);
    const body = { displayName: "SSPR Pilot", mailEnabled: false, mailNickname: "sspr-pilot", securityEnabled: true };
    expect((await call(lab.emulator.url, "POST", "/v1.0/groups", { token: creator, body })).status).toBe(201);
    // Group.Create does not read other groups (it is no Group.Read.All).
    expect((await call(lab.emulator.url, "GET", group, { token: creator })).status).toBe(403);
  });

  it("accepts delegated scopes and lets ReadWrite satisfy Read", async () => {
    const token = graphUserToken(["Group.ReadWrite.All"]);
    expect(
      (await call(lab.emulator.url, "GET", "/v1.0/groups/5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04", { token })).status,
    ).toBe(200);
  });

  it("sends request-id on every response, in the error body too, and echoes the client's id", async () => {
    const reply = await call(lab.emulator.url, "GET", methodsPath, {
      headers: { "x-ms-client-request-id": "abc-123" },
    });
    const requestId = reply.headers.get("request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers.get("client-request-id")).toBe("abc-123");
    expect(graphError(reply).innerError).toEqual({
      "request-id": requestId,
      "client-request-id": "abc-123",
      date: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(String(graphError(reply).innerError.date)))).toBe(false);
    expect((await graph("GET", methodsPath)).headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("never echoes the token", async () => {
    const token = unsignedJwt({ aud: "https://example.org", secret: "do-not-print" });
    const reply = await call(lab.emulator.url, "GET", methodsPath, { token });
    expect(reply.text).not.toContain("do-not-print");
    expect(reply.text).not.toContain(token);
  });
});

describe("groups, users and reports", () => {
  const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
  const vogel = "3c9e5a21-7f4b-4c1d-8a6e-9b2f0d1c3e47";
  const okafor = "8f2a4c6e-1b3d-4f5a-9c7e-2d4f6a8b0c13";

  it("GET /groups/{id}: 200, 404 for an unknown GUID, 400 for a malformed id", async () => {
    expect(((await graph("GET", `/v1.0/groups/${pilot}`)).body as Json).displayName).toBe("Password reset pilot");
    const missing = await graph("GET", "/v1.0/groups/00000000-0000-0000-0000-000000000001");
    expect(missing.status).toBe(404);
    expect(graphError(missing).code).toBe("Request_ResourceNotFound");
    const malformed = await graph("GET", "/v1.0/groups/GROUP");
    expect(malformed.status).toBe(400);
    expect(graphError(malformed).message).toBe("Invalid object identifier 'GROUP'.");
  });

  it("POST /groups creates a group with a new GUID; bad input is a 400 that changes nothing", async () => {
    const created = await graph("POST", "/v1.0/groups", {
      body: { displayName: "SSPR Wave 2", mailNickname: "sspr-wave-2", securityEnabled: true, mailEnabled: false },
    });
    expect(created.status).toBe(201);
    const group = created.body as Json;
    expect(group).toMatchObject({
      displayName: "SSPR Wave 2",
      mailNickname: "sspr-wave-2",
      securityEnabled: true,
      mailEnabled: false,
    });
    expect(group.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await graph("GET", `/v1.0/groups/${String(group.id)}`)).status).toBe(200);

    const before = lab.emulator.state();
    await expectRejected(
      graph("POST", "/v1.0/groups", { body: { displayName: "x" } }),
      before,
      "group.mailNickname is missing",
    );
  });

  it("adds members by reference and lists them", async () => {
    const ref = { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${okafor}` };
    expect((await graph("POST", `/v1.0/groups/${pilot}/members/$ref`, { body: ref })).status).toBe(204);
    const members = (await graph("GET", `/v1.0/groups/${pilot}/members`)).body as { value: Json[] };
    // The default pilot holds c.vogel and the nested Finance group; okafor (already in Finance) is now direct too.
    const finance = lab.seeded.groups.find((group) => group.displayName === "Finance")?.id;
    expect(members.value.map((m) => m.id)).toEqual([vogel, finance, okafor]);
    expect(members.value.map((m) => m["@odata.type"])).toEqual([
      "#microsoft.graph.user",
      "#microsoft.graph.group",
      "#microsoft.graph.user",
    ]);

    const again = await graph("POST", `/v1.0/groups/${pilot}/members/$ref`, { body: ref });
    expect(again.status).toBe(400);
    expect(graphError(again).message).toContain("already exist");
    const unknownUser = {
      "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/00000000-0000-0000-0000-0000000000aa",
    };
    expect((await graph("POST", `/v1.0/groups/${pilot}/members/$ref`, { body: unknownUser })).status).toBe(404);
    expect((await graph("POST", `/v1.0/groups/${pilot}/members/$ref`, { body: { "@odata.id": "nope" } })).status).toBe(
      400,
    );
  });

  it("GET /users with $filter on userPrincipalName (case-insensitive) and $select", async () => {
    const filter = encodeURIComponent("userPrincipalName eq 'C.Vogel@munyakazi.org'");
    const reply = await graph("GET", `/v1.0/users?$filter=${filter}&$select=id,userPrincipalName`);
    expect((reply.body as { value: Json[] }).value).toEqual([
      { id: vogel, userPrincipalName: "c.vogel@munyakazi.org" },
    ]);
    const none = await graph(
      "GET",
      `/v1.0/users?$filter=${encodeURIComponent("userPrincipalName eq 'nobody@munyakazi.org'")}`,
    );
    expect((none.body as { value: Json[] }).value).toEqual([]);
    const unsupported = await graph("GET", `/v1.0/users?$filter=${encodeURIComponent("city eq 'Kigali'")}`);
    expect(unsupported.status).toBe(400);
  });

  it("GET userRegistrationDetails with $filter on isSsprRegistered, isSsprEnabled and isSsprCapable", async () => {
    const report = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
    const rows = ((await graph("GET", report)).body as { value: Json[] }).value;
    expect(rows).toHaveLength(23);
    for (const property of ["isSsprRegistered", "isSsprEnabled", "isSsprCapable"])
      for (const value of [true, false]) {
        const path = `${report}?$filter=${encodeURIComponent(`${property} eq ${value}`)}`;
        const served = ((await graph("GET", path)).body as { value: Json[] }).value.map((row) => row.id);
        expect(served).toEqual(rows.filter((row) => row[property] === value).map((row) => row.id));
      }
    // SSPR is None in the default tenant: only administrators (the administrator policy) are enabled.
    const both = encodeURIComponent("isSsprRegistered eq true and isSsprEnabled eq true");
    const reply = await graph("GET", `${report}?$filter=${both}`);
    expect((reply.body as { value: Json[] }).value.map((row) => row.userPrincipalName)).toEqual([
      "admin@munyakazi.org",
      "j.mukamana@munyakazi.org",
      "e.habimana@munyakazi.org",
      "v.ndayisaba@munyakazi.org",
    ]);
  });
});

describe("unknown routes and methods", () => {
  it("answers 400 for an unknown segment and 405 for a method the resource lacks", async () => {
    const unknown = await graph("GET", "/v1.0/policies/passwordPolicy");
    expect(unknown.status).toBe(400);
    expect(graphError(unknown).message).toBe("Resource not found for the segment 'passwordPolicy'.");
    const notAllowed = await graph("DELETE", methodsPath);
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get("allow")).toBe("GET, PATCH");
  });
});
