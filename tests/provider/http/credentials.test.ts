import type { AccessToken, TokenCredential } from "@azure/identity";
import {
  authenticationPolicyAdministratorRoleId,
  azureCredential,
  chooseCredentialKind,
  createTokenSource,
  decodeJwtPayload,
  isAppOnlyToken,
  labGraphRoles,
  labTenantGuid,
  labToken,
} from "../../../provider/http/credentials";
import { isEntraError } from "../../../provider/http/errors";
import { createEntraClient } from "../../../provider/http/client";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { emulatorEndpoints, useEmulator } from "../../support/emulator";

const tenantId = "11111111-2222-3333-4444-555555555555";
const labTarget = { tenantId, endpoints: { graph: "http://127.0.0.1:4010", portal: "http://localhost:4010/api" } };
const realTarget = {
  tenantId,
  endpoints: { graph: "https://graph.microsoft.com", portal: "https://main.iam.ad.ext.azure.com/api" },
};

/** A credential that hands out the given tokens in turn and counts its calls. */
function countingCredential(tokens: string[], lifetimeMs = 3600_000): TokenCredential & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    getToken: async (scopes: string | string[]): Promise<AccessToken> => {
      calls.push(Array.isArray(scopes) ? scopes : [scopes]);
      const token = tokens[Math.min(calls.length - 1, tokens.length - 1)];
      return { token, expiresOnTimestamp: Date.now() + lifetimeMs };
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

function withEnv(name: string, value: string | undefined): () => void {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  return () => {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  };
}

describe("labToken", () => {
  it("mints an unsigned app-only Graph token with every permission the project uses", () => {
    const token = labToken("graph", { tid: tenantId });
    const [header, , signature] = token.split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ alg: "none", typ: "JWT" });
    expect(signature).toBe("");
    const payload = decodeJwtPayload(token);
    expect(payload).toMatchObject({ aud: "https://graph.microsoft.com", tid: tenantId, idtyp: "app" });
    expect(payload?.roles).toEqual([
      "Policy.ReadWrite.AuthenticationMethod",
      "Policy.ReadWrite.Authorization",
      "Policy.Read.All",
      "Group.ReadWrite.All",
      "User.Read.All",
      "AuditLog.Read.All",
      "Organization.ReadWrite.All",
      // The ownership mark's application.
      "Application.ReadWrite.OwnedBy",
      "Application.Read.All",
      // The read-only reads of readiness and doctor.
      "GroupMember.Read.All",
      "RoleManagement.Read.Directory",
      "Organization.Read.All",
      "UserAuthenticationMethod.Read.All",
    ]);
    expect(payload?.scp).toBeUndefined();
    expect(Number(payload?.exp)).toBeGreaterThan(Date.now() / 1000 + 3000);
  });

  it("mints a delegated portal token for an Authentication Policy Administrator", () => {
    const payload = decodeJwtPayload(labToken("portal"));
    expect(payload).toMatchObject({
      aud: "74658136-14ec-4630-ad9b-26e160ff0fc6",
      scp: "user_impersonation",
      wids: [authenticationPolicyAdministratorRoleId],
    });
    expect(typeof payload?.upn).toBe("string");
    expect(isAppOnlyToken(labToken("portal"))).toBe(false);
  });

  it("replaces claims from overrides and removes those set to undefined", () => {
    const payload = decodeJwtPayload(labToken("portal", { scp: undefined, roles: ["X"], wids: [] }));
    expect(payload?.scp).toBeUndefined();
    expect(payload?.roles).toEqual(["X"]);
    expect(payload?.wids).toEqual([]);
    // The seven the stack needs, and the four more that readiness and doctor read with.
    expect(labGraphRoles).toHaveLength(13);
  });
});

describe("decodeJwtPayload and isAppOnlyToken", () => {
  it("returns undefined for text that is not a JWT", () => {
    expect(decodeJwtPayload("garbage")).toBeUndefined();
    expect(decodeJwtPayload("a.b.c")).toBeUndefined();
    expect(decodeJwtPayload(`x.${Buffer.from("[1,2]").toString("base64url")}.`)).toBeUndefined();
    expect(isAppOnlyToken("opaque-token")).toBeUndefined();
  });

  it("calls a token without scp app-only", () => {
    expect(isAppOnlyToken(labToken("graph"))).toBe(true);
    expect(isAppOnlyToken(labToken("portal", { scp: " " }))).toBe(true);
  });
});

describe("chooseCredentialKind", () => {
  it("uses the lab for loopback and Azure for real hosts", () => {
    expect(chooseCredentialKind("http://127.0.0.1:1", undefined)).toEqual({ kind: "lab" });
    expect(chooseCredentialKind("https://graph.microsoft.com", undefined)).toEqual({ kind: "azure" });
    expect(chooseCredentialKind("https://graph.microsoft.com", "AZURE")).toEqual({ kind: "azure" });
  });

  it.each(["azure", "user", "ci"])("never uses a real sign-in (%s) for loopback or plain http", (value) => {
    const refused = chooseCredentialKind("http://127.0.0.1:8640/api", value, "portal");
    expect(refused).toEqual({
      problem:
        `ENTRA_SSPR_CREDENTIAL is "${value}" (a real sign-in) but the portal API endpoint is http://127.0.0.1:8640/api; ` +
        "expected https on a known portal API host (main.iam.ad.ext.azure.com); a real sign-in's token never goes to " +
        'loopback or over plain http. Unset ENTRA_SSPR_CREDENTIAL (or set it to "lab") to use the local emulator.',
    });
    expect(chooseCredentialKind("http://graph.microsoft.com", value)).toHaveProperty("problem");
  });

  it("never uses the lab for a real host, and names allowed values", () => {
    const refused = chooseCredentialKind("https://graph.microsoft.com", "lab");
    expect(refused).toEqual({ problem: expect.stringContaining("not a loopback host") });
    expect(chooseCredentialKind("http://127.0.0.1:1", "vault")).toEqual({
      problem: 'ENTRA_SSPR_CREDENTIAL is "vault"; allowed: "lab" (emulator only), "azure", "user", "ci", or unset.',
    });
  });
});

describe("azureCredential", () => {
  const variables = [
    "GITHUB_ACTIONS",
    "CI",
    "ENTRA_SSPR_DEVICE_CODE",
    "ENTRA_SSPR_SIGN_IN",
    "ENTRA_SSPR_CREDENTIAL",
    "SSH_CONNECTION",
  ];
  let restores: (() => void)[] = [];
  beforeEach(() => {
    restores = variables.map((name) => withEnv(name, undefined));
  });
  afterEach(() => restores.reverse().forEach((restore) => restore()));

  it("in CI: the default chain (OIDC) for Graph, a person's device-code sign-in for the portal", () => {
    process.env.GITHUB_ACTIONS = "true";
    const identity = require("@azure/identity") as typeof import("@azure/identity");
    const graph = azureCredential("graph", tenantId);
    expect(graph.name).toContain("DefaultAzureCredential");
    expect(graph.credential).toBeInstanceOf(identity.DefaultAzureCredential);
    expect(azureCredential("portal", tenantId).name).toBe(
      "a device-code sign-in (client 04b07795-8ddb-461a-bbee-02f9e1bf7b46)",
    );
  });

  it("on a person's machine: a public client for Graph, the Azure CLI then the same kind of sign-in for the portal", () => {
    process.env.ENTRA_SSPR_SIGN_IN = "device-code";
    expect(azureCredential("graph", tenantId).name).toBe(
      "a device-code sign-in (client 14d82eec-204b-4c2f-b7e8-296a70dab67e)",
    );
    expect(azureCredential("portal", tenantId).name).toBe(
      "the Azure CLI (az login) > a device-code sign-in (client 04b07795-8ddb-461a-bbee-02f9e1bf7b46)",
    );
  });
});

describe("createTokenSource", () => {
  it("mints lab tokens for the target's tenant on loopback endpoints", async () => {
    const restore = withEnv("ENTRA_SSPR_CREDENTIAL", undefined);
    try {
      const source = createTokenSource(labTarget);
      expect(decodeJwtPayload(await source.getToken("graph"))).toMatchObject({
        tid: tenantId,
        aud: "https://graph.microsoft.com",
      });
      expect(decodeJwtPayload(await source.getToken("portal"))).toMatchObject({
        tid: tenantId,
        scp: "user_impersonation",
      });
    } finally {
      restore();
    }
  });

  it("refuses ENTRA_SSPR_CREDENTIAL=lab for a real host", async () => {
    const restore = withEnv("ENTRA_SSPR_CREDENTIAL", "lab");
    try {
      const error = await rejection(
        createTokenSource(realTarget).getToken("graph", { method: "GET", url: "https://graph.microsoft.com/v1.0/x" }),
      );
      expect(isEntraError(error)).toBe(true);
      expect(error).toMatchObject({ kind: "auth", method: "GET", url: "https://graph.microsoft.com/v1.0/x" });
      expect((error as Error).message).toContain("https://graph.microsoft.com is not a loopback host");
    } finally {
      restore();
    }
  });

  it("requests Graph tokens for the Graph base's own scope and portal tokens for the portal resource", async () => {
    const credential = countingCredential([labToken("portal")]);
    const source = createTokenSource(
      { tenantId, endpoints: { graph: "https://graph.microsoft.us", portal: realTarget.endpoints.portal } },
      credential,
    );
    await source.getToken("graph");
    await source.getToken("portal");
    expect(credential.calls).toEqual([
      ["https://graph.microsoft.us/.default"],
      ["74658136-14ec-4630-ad9b-26e160ff0fc6/.default"],
    ]);
  });

  it("refuses an app-only portal token with a sentence naming what is needed, without the token", async () => {
    const appOnly = labToken("portal", { scp: undefined, roles: ["Policy.ReadWrite.Authorization"] });
    const error = await rejection(createTokenSource(realTarget, countingCredential([appOnly])).getToken("portal"));
    expect(isEntraError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain("The portal API needs a delegated user token");
    expect(message).toContain("Service principals and managed identities are refused");
    expect(message).toContain("Authentication Policy Administrator");
    for (const text of [message, JSON.stringify(error), String(error)])
      expect(text).not.toContain(appOnly.slice(0, 30));
  });

  it("reports a credential failure without echoing a token from it", async () => {
    const leaky: TokenCredential = {
      getToken: async () => {
        throw new Error(`CLI said: ${labToken("graph")} and Bearer opaque-secret-value`);
      },
    };
    const error = await rejection(createTokenSource(realTarget, leaky).getToken("graph"));
    const message = (error as Error).message;
    expect(message).toContain("Could not get a token for Microsoft Graph (scope https://graph.microsoft.com/.default");
    expect(message).toContain("Microsoft Graph Command Line Tools");
    expect(message).toContain(tenantId);
    expect(message).not.toMatch(/eyJ|opaque-secret-value/);
  });

  it("caches tokens until five minutes before expiry, shares concurrent requests and forgets on invalidate", async () => {
    const credential = countingCredential(["token-one-xxxxxxxx", "token-two-xxxxxxxx", "token-three-xxxxxx"]);
    const source = createTokenSource(realTarget, credential);
    const [a, b] = await Promise.all([source.getToken("graph"), source.getToken("graph")]);
    expect([a, b, await source.getToken("graph")]).toEqual([
      "token-one-xxxxxxxx",
      "token-one-xxxxxxxx",
      "token-one-xxxxxxxx",
    ]);
    expect(credential.calls).toHaveLength(1);
    source.invalidate("graph");
    expect(await source.getToken("graph")).toBe("token-two-xxxxxxxx");

    const shortLived = countingCredential(["short-one-xxxxxxxx", "short-two-xxxxxxxx"], 4 * 60 * 1000);
    const shortSource = createTokenSource(realTarget, shortLived);
    await shortSource.getToken("graph");
    expect(await shortSource.getToken("graph")).toBe("short-two-xxxxxxxx");
  });
});

describe("the lab credential names the tenant by its GUID, as Entra's tokens do", () => {
  const lab = useEmulator();
  let restore: () => void = () => undefined;
  beforeEach(() => {
    restore = withEnv("ENTRA_SSPR_CREDENTIAL", undefined);
  });
  afterEach(() => restore());

  it("resolves a verified domain through the emulator's OpenID configuration document; Graph accepts the token", async () => {
    const target = { tenantId: "munyakazi.org", endpoints: emulatorEndpoints(lab.emulator.url) };
    const source = createTokenSource(target);
    const id = lab.seeded.tenantId.toLowerCase();
    expect(decodeJwtPayload(await source.getToken("graph"))).toMatchObject({ tid: id });
    expect(decodeJwtPayload(await source.getToken("portal"))).toMatchObject({ tid: id });
    // The login host's request is not a Graph or portal one: the API log stays empty.
    expect(lab.emulator.requests()).toEqual([]);
    const client = createEntraClient(target);
    expect(await client.caller?.()).toMatchObject({ tenantId: id });
    const read = await client.send({
      api: "graph",
      method: "GET",
      path: "/v1.0/organization?$select=id",
      permission: "Organization.Read.All",
    });
    expect(read.body).toMatchObject({ value: [{ id: lab.seeded.tenantId }] });
  });

  it("keeps the name as given when the emulator does not know it (today's tokens; the emulator accepts them)", async () => {
    const source = createTokenSource({ tenantId: "contoso.example", endpoints: emulatorEndpoints(lab.emulator.url) });
    expect(decodeJwtPayload(await source.getToken("graph"))).toMatchObject({ tid: "contoso.example" });
  });
});

describe("labTenantGuid", () => {
  const guid = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490";
  let server: http.Server;
  let base = "";
  const asked: string[] = [];
  const answers = new Map<string, { status: number; body: unknown }[]>();

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      asked.push(request.url ?? "");
      const queue = answers.get(request.url ?? "") ?? [];
      const answer = queue.length > 1 ? queue.shift()! : (queue[0] ?? { status: 404, body: {} });
      response.writeHead(answer.status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    asked.length = 0;
    answers.clear();
  });
  const documentOf = (tenant: string) => `/${tenant}/v2.0/.well-known/openid-configuration`;
  const issuedBy = (id: string) => ({ status: 200, body: { issuer: `https://login.microsoftonline.com/${id}/v2.0` } });

  it("reads the document once per (origin, tenant) in a process, concurrent askers sharing the read", async () => {
    answers.set(documentOf("once.example"), [issuedBy(guid.toUpperCase())]);
    const both = await Promise.all([labTenantGuid("once.example", base), labTenantGuid("ONCE.example", `${base}/`)]);
    expect(both).toEqual([guid, guid]);
    expect(await labTenantGuid("once.example", base)).toBe(guid);
    expect(asked).toEqual([documentOf("once.example")]);
  });

  it("resolves undefined when the document fails or names no GUID, and asks again the next time", async () => {
    answers.set(documentOf("flaky.example"), [{ status: 500, body: {} }, issuedBy(guid)]);
    expect(await labTenantGuid("flaky.example", base)).toBeUndefined();
    expect(await labTenantGuid("flaky.example", base)).toBe(guid);
    answers.set(documentOf("odd.example"), [
      { status: 200, body: { issuer: "https://login.microsoftonline.com/odd/v2.0" } },
    ]);
    expect(await labTenantGuid("odd.example", base)).toBeUndefined();
    expect(asked).toEqual([documentOf("flaky.example"), documentOf("flaky.example"), documentOf("odd.example")]);
  });

  it("asks nobody for a GUID, and never a host that is not loopback", async () => {
    expect(await labTenantGuid(guid.toUpperCase(), base)).toBe(guid);
    expect(await labTenantGuid("munyakazi.org", "https://graph.microsoft.com")).toBeUndefined();
    expect(asked).toEqual([]);
  });
});
