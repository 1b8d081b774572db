/**
 * The login host's OpenID configuration document (emulator/login.ts): the tenant named by its id or one of its
 * verified domains resolves to its id in `issuer`; any other name is Entra's AADSTS90002. A login-host request is
 * neither Graph nor the portal: never in the request log.
 */
import { call } from "./helpers";
import { useEmulator } from "../support/emulator";

const lab = useEmulator();
const documentPath = (tenant: string) => `/${tenant}/v2.0/.well-known/openid-configuration`;

describe("GET /{tenant}/v2.0/.well-known/openid-configuration", () => {
  it("answers the tenant's id and its verified domains, in any case, with the id in issuer and endpoints", async () => {
    const id = lab.seeded.tenantId.toLowerCase();
    for (const tenant of [lab.seeded.tenantId.toUpperCase(), "munyakazi.org", "MUNYAKAZI.onmicrosoft.com"]) {
      const reply = await call(lab.emulator.url, "GET", documentPath(tenant));
      expect(reply.status).toBe(200);
      expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
      expect(reply.body).toMatchObject({
        issuer: `https://login.microsoftonline.com/${id}/v2.0`,
        token_endpoint: `https://login.microsoftonline.com/${id}/oauth2/v2.0/token`,
      });
    }
  });

  it("refuses a name the tenant does not carry with AADSTS90002 (400), naming it", async () => {
    for (const tenant of ["contoso.example", "lab.munyakazi.org", "11111111-2222-3333-4444-555555555555"]) {
      const reply = await call(lab.emulator.url, "GET", documentPath(tenant));
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
      expect((reply.body as { error_description: string }).error_description).toContain(
        `AADSTS90002: Tenant '${tenant}' not found`,
      );
    }
  });

  it("follows the tenant's state: a domain added to the organization resolves, one taken away no longer does", async () => {
    const organization = lab.seeded.organization;
    lab.reseed({
      organization: {
        ...organization,
        verifiedDomains: [{ name: "contoso.example", isDefault: true, isInitial: true }],
      },
    });
    expect((await call(lab.emulator.url, "GET", documentPath("contoso.example"))).status).toBe(200);
    expect((await call(lab.emulator.url, "GET", documentPath("munyakazi.org"))).status).toBe(400);
  });

  it("is not logged with the API requests", async () => {
    await call(lab.emulator.url, "GET", documentPath("munyakazi.org"));
    await call(lab.emulator.url, "GET", documentPath("contoso.example"));
    expect(lab.emulator.requests()).toEqual([]);
  });
});
