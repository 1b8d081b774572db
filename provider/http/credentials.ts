/**
 * Tokens for the two control planes. Real hosts get them from `@azure/identity`; loopback hosts (the emulator) from a
 * lab credential that mints unsigned JWTs. Serializable by closure capture: plain functions, packages `require()`d
 * inside the functions that use them, `process.env` read only when a token is needed, no module-level state.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";
import type { EntraApi, EntraTarget } from "./httpTypes";
import {
  credentialSettingProblem,
  isLoopbackUrl,
  loopbackNameProblem,
  tokenDestinationProblem,
  type TokenHolder,
} from "../../lib/endpoints";
import { createEntraError, portalResourceId, redactSecrets } from "./errors";
import { isGuid } from "../../lib/predicates";
import { parseLabGrants } from "../grants/labGrants";
import { credentialForPlan, defaultSignInContext, describePlan, planSignIn } from "./signIn";

/** Graph permissions the project's requests declare; the lab's Graph token carries all of them. */
export const labGraphRoles = [
  "Policy.ReadWrite.AuthenticationMethod",
  "Policy.ReadWrite.Authorization",
  "Policy.Read.All",
  "Group.ReadWrite.All",
  "User.Read.All",
  "AuditLog.Read.All",
  "Organization.ReadWrite.All",
  // The ownership mark's application (`ownershipMark.ts`).
  "Application.ReadWrite.OwnedBy",
  "Application.Read.All",
  // The read-only reads of `npm run readiness` and `npm run doctor` (scripts/readiness/tenantSnapshot.ts).
  "GroupMember.Read.All",
  "RoleManagement.Read.Directory",
  "Organization.Read.All",
  "UserAuthenticationMethod.Read.All",
];

/** Directory role template id of Authentication Policy Administrator. */
export const authenticationPolicyAdministratorRoleId = "0526716b-113d-4c15-b2c8-68e3c22b9f80";

/** Stands in for a tenant id in lab tokens when none is given. */
const labTenantId = "00000000-0000-0000-0000-00000000000a";

/**
 * An unsigned (`alg: none`) JWT the emulator accepts. Graph: app-only, `roles` = every permission the project uses.
 * Portal: delegated (`scp`), `wids` = Authentication Policy Administrator, with a `upn`. `overrides` replace claims;
 * an override of `undefined` removes the claim (e.g. `{ scp: undefined }` makes an app-only portal token).
 */
export function labToken(api: EntraApi, overrides: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const tid = typeof overrides.tid === "string" ? overrides.tid : labTenantId;
  const common: Record<string, unknown> = {
    iss: `https://sts.windows.net/${tid}/`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    tid,
    oid: "00000000-0000-0000-0000-0000000000b1",
  };
  const claims: Record<string, unknown> =
    api === "graph"
      ? {
          ...common,
          aud: "https://graph.microsoft.com",
          appid: "00000000-0000-0000-0000-0000000000a1",
          idtyp: "app",
          app_displayname: "entra-sspr lab deployment identity",
          roles: [...labGraphRoles],
        }
      : {
          ...common,
          aud: portalResourceId,
          appid: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
          idtyp: "user",
          scp: "user_impersonation",
          upn: "lab.admin@lab.invalid",
          name: "Lab Authentication Policy Administrator",
          wids: [authenticationPolicyAdministratorRoleId],
        };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete claims[key];
    else claims[key] = value;
  }
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
}

/** The payload of a JWT, decoded without verification; undefined when the text is not a JWT. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === "") return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a token is app-only (no `scp` claim): what a service principal or managed identity gets. Undefined when
 * the token is not a readable JWT (then the service decides).
 */
export function isAppOnlyToken(token: string): boolean | undefined {
  const payload = decodeJwtPayload(token);
  if (payload === undefined) return undefined;
  return typeof payload.scp !== "string" || payload.scp.trim() === "";
}

/** The scope a token is requested for. Graph's comes from its base URL, so a sovereign-cloud Graph works. */
export function tokenScope(api: EntraApi, baseUrl: string): string {
  if (api === "portal") return `${portalResourceId}/.default`;
  let origin: string;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    origin = "https://graph.microsoft.com";
  }
  return `${origin}/.default`;
}

export type CredentialKind = "lab" | "azure";

/**
 * Which credential serves an API: lab for a loopback base URL, Azure otherwise; `ENTRA_SSPR_CREDENTIAL=lab|azure`
 * overrides, except that the lab credential is never used for a real host (its tokens would be useless, and a
 * misconfigured endpoint should fail loudly rather than send fake tokens to a stranger).
 */
export function chooseCredentialKind(
  baseUrl: string,
  override: string | undefined,
  api: EntraApi = "graph",
): { kind: CredentialKind } | { problem: string } {
  const wanted = override?.trim().toLowerCase() ?? "";
  if (wanted === "") return { kind: isLoopbackUrl(baseUrl) ? "lab" : "azure" };
  if (!["lab", "azure", "user", "ci"].includes(wanted)) {
    return {
      problem: `ENTRA_SSPR_CREDENTIAL is "${override}"; allowed: "lab" (emulator only), "azure", "user", "ci", or unset.`,
    };
  }
  // A real sign-in ("azure", "user", "ci": which one, signIn.ts) never serves loopback: its token would go to
  // whatever listens there. The lab credential never serves a real host.
  const problem = credentialSettingProblem(wanted, baseUrl, api);
  if (problem !== undefined) return { problem };
  return { kind: wanted === "lab" ? "lab" : "azure" };
}

/**
 * A TokenCredential-shaped plain object minting lab tokens for one API and tenant. As Entra does, the tokens name the
 * tenant by its GUID (`tid`) even when the stack names it by a domain: given the Graph endpoint (the emulator), a name
 * is resolved through the emulator's OpenID configuration document ({@link labTenantGuid}); when that fails, `tid` is
 * the name as given.
 */
export function labCredential(api: EntraApi, tenantId: string, graphBase?: string): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => {
      // ENTRA_SSPR_LAB_GRANTS narrows the grants (Graph `roles`, portal `wids`), read when a token is minted.
      const grants = parseLabGrants(process.env.ENTRA_SSPR_LAB_GRANTS);
      if (grants !== undefined && "problems" in grants) throw new Error(grants.problems.join("; "));
      const narrowed =
        grants === undefined ? {} : api === "graph" ? { roles: grants.permissions } : { wids: grants.roleIds };
      const tid = graphBase === undefined ? tenantId : ((await labTenantGuid(tenantId, graphBase)) ?? tenantId);
      const token = labToken(api, { tid, ...narrowed });
      return { token, expiresOnTimestamp: Date.now() + 3600 * 1000 };
    },
  };
}

/** Process-wide, on the global object as `runReads.ts` keeps its store: (emulator origin, tenant name) -> its GUID. */
const labTenantGuidsKey = "__entraSsprLabTenantGuidsV1";

/**
 * The tenant's GUID for a tenant named by a domain, as a real sign-in finds it: from the tenant's OpenID configuration
 * document, `/{tenant}/v2.0/.well-known/openid-configuration` on the login host, whose `issuer` ends in
 * `/{tenant id}/v2.0` (https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-issuer). The
 * lab's login host is the emulator: the document is read from the Graph endpoint's origin, and only from a loopback
 * one (the lab credential never serves a real host; the request carries no token). Read once per (origin, tenant)
 * per process; a failure (no document, a name the emulator does not know, no GUID in it) resolves undefined and is
 * asked again next time. A GUID is its own answer.
 */
export function labTenantGuid(tenant: string, graphBase: string): Promise<string | undefined> {
  if (isGuid(tenant as unknown)) return Promise.resolve(tenant.toLowerCase());
  let origin: string;
  try {
    origin = new URL(graphBase).origin;
  } catch {
    return Promise.resolve(undefined);
  }
  if (!isLoopbackUrl(graphBase) || tenant.trim() === "") return Promise.resolve(undefined);
  const holder = globalThis as unknown as Record<string, Map<string, Promise<string | undefined>> | undefined>;
  const known = (holder[labTenantGuidsKey] ??= new Map());
  const key = `${origin.toLowerCase()}|${tenant.toLowerCase()}`;
  let reading = known.get(key);
  if (reading === undefined) {
    reading = readTenantGuid(origin, tenant);
    known.set(key, reading);
    const settled = reading;
    void settled.then((guid: string | undefined) => {
      if (guid === undefined && known.get(key) === settled) known.delete(key);
    });
  }
  return reading;
}

/** One GET of the document, without keep-alive (tests leave no sockets behind); undefined on any failure. */
async function readTenantGuid(origin: string, tenant: string): Promise<string | undefined> {
  if ((await loopbackNameProblem(origin)) !== undefined) return undefined;
  const url = `${origin}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
  const transport = (
    url.startsWith("https:") ? require("node:https") : require("node:http")
  ) as typeof import("node:http");
  const text = await new Promise<string | undefined>((resolve) => {
    const request = transport.get(url, { agent: false, timeout: 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve(response.statusCode === 200 ? Buffer.concat(chunks).toString("utf8") : undefined),
      );
      response.on("error", () => resolve(undefined));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(undefined));
  });
  if (text === undefined) return undefined;
  try {
    const issuer: unknown = (JSON.parse(text) as { issuer?: unknown } | null)?.issuer;
    const id = typeof issuer === "string" ? /\/([^/]+)\/v2\.0\/?$/.exec(issuer)?.[1] : undefined;
    return isGuid(id) ? id.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `@azure/identity` credential for a real host, and its name for messages: chosen per API and environment
 * (CI or a person's machine) by `signIn.ts`, a person's sign-in remembered between resources, tenants and runs.
 */
export function azureCredential(
  api: EntraApi,
  tenantId: string,
  baseUrl: string = api === "graph" ? "https://graph.microsoft.com" : "https://main.iam.ad.ext.azure.com/api",
): { credential: TokenCredential; name: string } {
  const plan = planSignIn(api, baseUrl, process.env);
  if ("problems" in plan) throw new Error(plan.problems.join(" "));
  if (plan.steps.length === 0) {
    throw new Error(
      `ENTRA_SSPR_SIGN_IN is "none": this run signs no person in, so ${describeApi(api)} (a person's delegated ` +
        "token only) is not called. Run it where an administrator can sign in (unset ENTRA_SSPR_SIGN_IN).",
    );
  }
  return { credential: credentialForPlan(plan, tenantId, defaultSignInContext()), name: describePlan(plan) };
}

export interface TokenSource {
  /**
   * A bearer token for the API, from the cache while it has more than five minutes left. `request` (the request
   * that needs it, URL without query) only names it in errors.
   */
  getToken(api: EntraApi, request?: { method: string; url: string }): Promise<string>;
  /** Forgets the cached token (after a 401). */
  invalidate(api: EntraApi): void;
}

/**
 * Who would hold a token for `api`, decided from the settings alone (no credential is asked for anything): the lab
 * credential, a real sign-in, or an injected credential; or why the settings allow none for this endpoint.
 */
function tokenHolder(target: EntraTarget, api: EntraApi, injected: boolean): TokenHolder | { problem: string } {
  if (injected) return "any";
  const choice = chooseCredentialKind(target.endpoints[api], process.env.ENTRA_SSPR_CREDENTIAL, api);
  if ("problem" in choice) return choice;
  return choice.kind === "lab" ? "lab" : "signIn";
}

/**
 * Why a token for `api` must not go to `url` (the base URL, or the URL a request is about to leave for), or undefined:
 * where the token's holder may send it (`tokenDestinationProblem`), and for a `localhost` name, where it resolves.
 * The token source asks it before any token is requested, the HTTP layer before each request.
 */
export async function tokenRefusal(
  target: EntraTarget,
  api: EntraApi,
  url: string,
  injected: boolean,
): Promise<string | undefined> {
  const holder = tokenHolder(target, api, injected);
  if (typeof holder === "object") return holder.problem;
  const destination = tokenDestinationProblem(url, api, holder);
  if (destination !== undefined) return `${destination}.`;
  const name = await loopbackNameProblem(url);
  return name === undefined ? undefined : `${name}.`;
}

/** Tokens are reused until this long before they expire. */
const refreshMarginMs = 5 * 60 * 1000;

/**
 * The token source of one client instance: chooses the credential per API, caches per (api, tenant), and refuses an
 * app-only token for the portal API before any request is sent.
 */
export function createTokenSource(target: EntraTarget, injected?: TokenCredential): TokenSource {
  const cache = new Map<string, { token: string; refreshAt: number }>();
  const pending = new Map<string, Promise<string>>();
  // One credential per API for the client's life: @azure/identity keeps its own caches (a device-code sign-in's
  // refresh token among them) inside the credential object.
  const credentials = new Map<EntraApi, { credential: TokenCredential; name: string }>();
  const keyOf = (api: EntraApi): string => `${api}|${target.tenantId}`;

  const fetchToken = async (api: EntraApi, request?: { method: string; url: string }): Promise<string> => {
    const baseUrl = target.endpoints[api];
    const scope = tokenScope(api, baseUrl);
    const failure = (message: string) =>
      createEntraError(message, {
        kind: "auth",
        method: request?.method ?? "TOKEN",
        url: request?.url ?? baseUrl,
        attempts: 0,
      });

    // Checked before any credential is asked: a token is never even requested for a host it must not reach.
    const refused = await tokenRefusal(target, api, baseUrl, injected !== undefined);
    if (refused !== undefined) throw failure(`No token is requested for ${describeApi(api)} at ${baseUrl}: ${refused}`);

    let chosen = credentials.get(api);
    if (chosen === undefined) {
      if (injected) {
        chosen = { credential: injected, name: "the injected credential" };
      } else {
        try {
          chosen =
            tokenHolder(target, api, false) === "lab"
              ? { credential: labCredential(api, target.tenantId, target.endpoints.graph), name: "the lab credential" }
              : azureCredential(api, target.tenantId, baseUrl);
        } catch (e) {
          throw failure(redactSecrets(e instanceof Error ? e.message : String(e)));
        }
      }
      credentials.set(api, chosen);
    }
    const { credential, name } = chosen;

    let accessToken: AccessToken | null;
    try {
      accessToken = await credential.getToken(scope, { tenantId: target.tenantId });
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw failure(
        `Could not get a token for ${describeApi(api)} (scope ${scope}, tenant ${target.tenantId}) from ${name}: ` +
          `${redactSecrets(detail).slice(0, 1000)} ${signInAdvice(api, target.tenantId)}`,
      );
    }
    if (!accessToken || typeof accessToken.token !== "string" || accessToken.token === "") {
      throw failure(
        `${name} returned no token for ${describeApi(api)} (scope ${scope}). ${signInAdvice(api, target.tenantId)}`,
      );
    }
    if (api === "portal" && isAppOnlyToken(accessToken.token) === true) {
      throw failure(
        `The portal API needs a delegated user token, but ${name} returned an app-only token (no "scp" claim: a ` +
          "service principal or managed identity). Service principals and managed identities are refused by the " +
          `portal API. ${signInAdvice("portal", target.tenantId)}`,
      );
    }
    const refreshAt = accessToken.expiresOnTimestamp - refreshMarginMs;
    if (refreshAt > Date.now()) cache.set(keyOf(api), { token: accessToken.token, refreshAt });
    return accessToken.token;
  };

  return {
    getToken: (api, request) => {
      const key = keyOf(api);
      const cached = cache.get(key);
      if (cached && cached.refreshAt > Date.now()) return Promise.resolve(cached.token);
      // Concurrent requests share one token request.
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const fetching = fetchToken(api, request).finally(() => pending.delete(key));
      pending.set(key, fetching);
      return fetching;
    },
    invalidate: (api) => {
      cache.delete(keyOf(api));
    },
  };
}

function describeApi(api: EntraApi): string {
  return api === "graph" ? "Microsoft Graph" : "the portal API";
}

function signInAdvice(api: EntraApi, tenantId: string): string {
  return api === "graph"
    ? "Locally, sign in when the browser opens (or the device code is shown; ENTRA_SSPR_SIGN_IN=device-code) with " +
        "Microsoft Graph Command Line Tools or your own app (ENTRA_SSPR_CLIENT_ID); `az login` alone lacks Graph's " +
        "policy scopes. In CI, provide a workload identity / service principal (AZURE_CLIENT_ID, AZURE_TENANT_ID, " +
        `OIDC). Tenant ${tenantId}.`
    : "Sign in as a user holding Authentication Policy Administrator (or Global Administrator): " +
        "`az login --tenant " +
        tenantId +
        "`, or the browser / device-code sign-in the run offers (ENTRA_SSPR_SIGN_IN=browser|device-code).";
}
