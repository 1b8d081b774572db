/**
 * The login host's OpenID configuration document for the emulator's one tenant: what a sign-in reads to turn the
 * tenant's name (a verified domain) into its id. Entra serves it at
 * `https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration`, `{tenant}` being the tenant id
 * or one of its domain names (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc, "Find your app's
 * OpenID configuration document URI"); its `issuer` is `https://login.microsoftonline.com/{tenant id}/v2.0`, the `iss`
 * of the tenant's v2.0 tokens, whose `tid` is that id
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-issuer).
 *
 * The emulator serves the document at the same path on its own root (it is the login host too), and only the fields
 * a sign-in uses to find the tenant and its endpoints; the endpoints name Entra's own hosts, since the lab mints its
 * tokens itself (provider/http/credentials.ts). It is not a Graph or portal request: the server answers it before the
 * request log and the latency, as it does the control routes.
 */
import { isPlainObject, type TenantState } from "./types";

const documentPath = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i;

/** The `{tenant}` segment when the path is the OpenID configuration document's, else undefined. */
export function openIdConfigurationTenant(pathname: string): string | undefined {
  const match = documentPath.exec(pathname);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** The names the document answers to, lower-case: the tenant's id and its verified domains (`verifiedDomains`). */
export function tenantNames(state: TenantState): string[] {
  const domains = Array.isArray(state.organization?.verifiedDomains) ? state.organization.verifiedDomains : [];
  const names = domains
    .map((domain: unknown) => (isPlainObject(domain) && typeof domain.name === "string" ? domain.name : undefined))
    .filter((name): name is string => name !== undefined);
  return [state.tenantId, ...names].map((name) => name.toLowerCase());
}

export interface LoginAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The document for `tenant`, or Entra's "tenant not found" for a name the emulator's tenant does not carry. The code
 * and number are documented (https://learn.microsoft.com/entra/identity-platform/reference-error-codes: AADSTS90002,
 * InvalidTenantName); the docs are silent on this document's status and body for it: 400 and an OAuth-style body
 * (`error`, `error_description`, `error_codes`) as public callers show it, the wording ours.
 */
export function openIdConfiguration(state: TenantState, tenant: string): LoginAnswer {
  if (!tenantNames(state).includes(tenant.toLowerCase())) {
    return {
      status: 400,
      body: {
        error: "invalid_tenant",
        error_description:
          `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are ` +
          "signing into the correct cloud.",
        error_codes: [90002],
      },
    };
  }
  const id = state.tenantId.toLowerCase();
  const authority = `https://login.microsoftonline.com/${id}`;
  return {
    status: 200,
    body: {
      issuer: `${authority}/v2.0`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      cloud_instance_name: "microsoftonline.com",
      msgraph_host: "graph.microsoft.com",
    },
  };
}
