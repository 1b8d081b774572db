/**
 * Where the two control planes may be reached. One rule for the stack config, the singletons' check and the HTTP
 * layer: every request carries a bearer token (for the portal API, an administrator's delegated token), so a token
 * goes only to a known Microsoft host of that API over https, or to a loopback host (the lab emulator, http allowed);
 * never user info, a query or a fragment in a base URL. No config value can widen this list.
 *
 * Which of the two depends on who minted the token: a real sign-in's token (a person's, the Azure CLI's, a workload
 * identity's) goes only over https to Microsoft's hosts, never to loopback, where anything may listen; the lab
 * credential's only to loopback. A `localhost` name counts as loopback only once it resolves there (every address).
 */

/** Base URLs of the two control planes. Real tenants use the defaults; the lab points both at the emulator. */
export interface EntraEndpoints {
  /** Microsoft Graph root without version, e.g. `https://graph.microsoft.com`. */
  graph: string;
  /** Admin-center portal API root, e.g. `https://main.iam.ad.ext.azure.com/api`. */
  portal: string;
}

export const defaultEndpoints: EntraEndpoints = {
  graph: "https://graph.microsoft.com",
  portal: "https://main.iam.ad.ext.azure.com/api",
};

/**
 * Microsoft Graph service roots, global and national clouds, from "Microsoft Graph national cloud deployments"
 * (https://learn.microsoft.com/graph/deployments, "Microsoft Graph and Graph Explorer service root endpoints"):
 * global (GCC included), US Government L4 (GCC High), US Government L5 (DoD), China operated by 21Vianet.
 */
export const knownGraphHosts: readonly string[] = [
  "graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "microsoftgraph.chinacloudapi.cn",
];

/**
 * Hosts of the admin center's portal API. Only the public cloud's is known (the API is undocumented; see
 * docs/reference/portal-api.md#endpoints). unverified: whether national clouds serve it and under which host, so none
 * is listed; a sovereign-cloud tenant's portal half cannot be managed until one is verified.
 */
export const knownPortalHosts: readonly string[] = ["main.iam.ad.ext.azure.com"];

/** The hosts a token for `api` may be sent to, besides loopback. */
export function knownHosts(api: keyof EntraEndpoints): readonly string[] {
  return api === "graph" ? knownGraphHosts : knownPortalHosts;
}

const loopbackWords = "a loopback host (127.0.0.1, localhost, [::1]) for the lab emulator";

/** "expected ..." text listing where a token for `api` may go. */
export function allowedHostsText(api: keyof EntraEndpoints): string {
  return `expected https on a known ${api === "graph" ? "Microsoft Graph" : "portal API"} host (${knownHosts(api).join(", ")}) or ${loopbackWords}`;
}

/**
 * Who holds a token: a real sign-in (`signIn`: a person, the Azure CLI, a workload identity), the lab credential
 * (`lab`: unsigned tokens for the emulator), or a credential a caller injected (`any`: tests and tools that bring their
 * own; both kinds of destination).
 */
export type TokenHolder = "signIn" | "lab" | "any";

/** "expected ..." text listing where a token of `holder` for `api` may go. */
export function allowedDestinationsText(api: keyof EntraEndpoints, holder: TokenHolder): string {
  if (holder === "lab") return `expected ${loopbackWords} (the lab credential serves only the local emulator)`;
  if (holder === "any") return allowedHostsText(api);
  return (
    `expected https on a known ${api === "graph" ? "Microsoft Graph" : "portal API"} host (${knownHosts(api).join(", ")}); ` +
    "a real sign-in's token never goes to loopback or over plain http"
  );
}

/**
 * Why a token of `holder` for `api` must not be sent to `url` (a base or a full request URL), or undefined when it
 * may: for a real sign-in, https on a known host of that API at the default port; for the lab credential, a loopback
 * host; for an injected credential, either. The HTTP layer asks this before every token (and `loopbackNameProblem`
 * for a loopback name).
 */
export function tokenDestinationProblem(
  url: string,
  api: keyof EntraEndpoints,
  holder: TokenHolder = "any",
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return allowedDestinationsText(api, holder);
  }
  const loopback = isLoopbackHost(parsed.hostname) && (parsed.protocol === "http:" || parsed.protocol === "https:");
  const known =
    parsed.protocol === "https:" && parsed.port === "" && knownHosts(api).includes(parsed.hostname.toLowerCase());
  const allowed = holder === "lab" ? loopback : holder === "signIn" ? known : loopback || known;
  return allowed ? undefined : allowedDestinationsText(api, holder);
}

/**
 * Why a loopback-looking URL must not be trusted as loopback, or undefined: an address literal is what it says, but a
 * name (`localhost`, `lab.localhost`) is whatever the resolver says, so every address it resolves to must be
 * loopback. Asked before any token goes to such a name.
 */
export async function loopbackNameProblem(url: string): Promise<string | undefined> {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return undefined; // not a URL: tokenDestinationProblem refuses it
  }
  const net = require("node:net") as typeof import("node:net");
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  if (!isLoopbackHost(hostname) || net.isIP(bare) !== 0) return undefined;
  const dns = require("node:dns") as typeof import("node:dns");
  let addresses: { address: string }[];
  try {
    addresses = await dns.promises.lookup(bare, { all: true });
  } catch (error) {
    return `${hostname} does not resolve (${error instanceof Error ? error.message : String(error)}), so it is not trusted as loopback`;
  }
  const elsewhere = addresses.map((entry) => entry.address).filter((address) => !isLoopbackAddress(address));
  if (addresses.length === 0 || elsewhere.length > 0) {
    return `${hostname} resolves to ${elsewhere.join(", ") || "nothing"}, not only loopback, so it is not trusted as loopback`;
  }
  return undefined;
}

/**
 * Why `ENTRA_SSPR_CREDENTIAL=<value>` cannot serve `baseUrl`, or undefined: "lab" only on loopback; "azure", "user"
 * and "ci" (a real sign-in) only on Microsoft's hosts over https. Checked before any credential is asked.
 */
export function credentialSettingProblem(
  value: string,
  baseUrl: string,
  api: keyof EntraEndpoints,
): string | undefined {
  const holder: TokenHolder = value === "lab" ? "lab" : "signIn";
  if (tokenDestinationProblem(baseUrl, api, holder) === undefined) return undefined;
  if (holder === "lab") {
    return (
      `ENTRA_SSPR_CREDENTIAL is "lab" but ${baseUrl} is not a loopback host; ` +
      "the lab credential serves only the local emulator (127.0.0.0/8, localhost, [::1])."
    );
  }
  return (
    `ENTRA_SSPR_CREDENTIAL is "${value}" (a real sign-in) but the ${api === "graph" ? "Microsoft Graph" : "portal API"} ` +
    `endpoint is ${baseUrl}; ${allowedDestinationsText(api, holder)}. ` +
    (isLoopbackUrl(baseUrl) ? 'Unset ENTRA_SSPR_CREDENTIAL (or set it to "lab") to use the local emulator.' : "")
  ).trimEnd();
}

/** An address literal in 127.0.0.0/8, `::1`, or an IPv4-mapped `::ffff:127.x.y.z`. */
function isLoopbackAddress(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower === "::1" || lower === "0:0:0:0:0:0:0:1") return true;
  return /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(lower);
}

/**
 * 127.0.0.0/8, `localhost` (and `*.localhost`) and `[::1]`: the only hosts plain http and the lab credential serve.
 * By name only: before a token goes to a `localhost` name, `loopbackNameProblem` checks where it resolves.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || host === "::1") return true;
  // WHATWG URL normalises IPv4 forms (127.1, 0x7f.0.0.1) to dotted decimal, so parsed hostnames arrive canonical.
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Why a base URL is refused, as an "expected ..." text, or undefined when it is fine. */
export function endpointProblem(value: unknown, api: keyof EntraEndpoints): string | undefined {
  const example = defaultEndpoints[api];
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    return `expected an http(s) URL such as ${example}`;
  }
  if (url.username !== "" || url.password !== "") return "expected a URL without user name or password";
  if (url.search !== "" || url.hash !== "") return "expected a URL without query or fragment";
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    return "expected https; plain http is allowed only on a loopback host (127.0.0.1, localhost, [::1]), since tokens would travel in clear";
  }
  const destination = tokenDestinationProblem(url.href, api);
  if (destination !== undefined) return destination;
  if (api === "graph" && /\/(v1\.0|beta)\/?$/i.test(url.pathname)) {
    return `expected the Graph root without version, such as ${example}`;
  }
  return undefined;
}

/** The value as a message may show it: a URL carrying user info (possibly a password) is never echoed. */
export function shownEndpoint(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    const url = new URL(value);
    return url.username !== "" || url.password !== "" ? "(a URL with user info, not shown)" : value;
  } catch {
    return value;
  }
}

/**
 * Where each tenant object SSPR involves lives, relative to its API's base (`EntraEndpoints`): the one list of paths
 * that the singletons' lifecycles and the tenant reader (`tenantReader.ts`) send requests to.
 */
export const tenantObjectPaths = {
  /** Portal API: the Password reset blade (docs/reference/portal-api.md). */
  passwordResetPolicy: "/PasswordReset/PasswordResetPolicies",
  /** Portal API: On-premises integration (writeback, unlock). */
  onPremisesPasswordResetPolicy: "/PasswordReset/OnPremisesPasswordResetPolicies",
  /** Graph: the authentication methods policy, every method configuration expanded. */
  authenticationMethodsPolicy: "/v1.0/policies/authenticationMethodsPolicy",
  /** Graph: the authorization policy (`allowedToUseSSPR`: administrators' SSPR). */
  authorizationPolicy: "/v1.0/policies/authorizationPolicy",
} as const;

/** A Graph v1.0 path on Graph beta instead (properties and methods that exist only there). */
export function onGraphBeta(path: string): string {
  return path.replace(/^\/v1\.0\//, "/beta/");
}
