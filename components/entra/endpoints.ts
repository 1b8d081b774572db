/**
 * Where the two control planes may be reached. One rule for the stack config, the singletons' check and the HTTP
 * layer: every request carries a bearer token (for the portal API, an administrator's delegated token), so a token
 * goes only to a known Microsoft host of that API over https, or to a loopback host (the lab emulator, http allowed);
 * never user info, a query or a fragment in a base URL. No config value can widen this list.
 */
import { defaultEndpoints } from "./types";
import type { EntraEndpoints } from "./types";

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
 * shared/reference/entra-sspr-api.md). unverified: whether national clouds serve it and under which host, so none
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
 * Why a token for `api` must not be sent to `url` (a base or a full request URL), or undefined when it may: https on
 * a known host of that API at the default port, or any loopback host. The HTTP layer asks this before every token.
 */
export function tokenDestinationProblem(url: string, api: keyof EntraEndpoints): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return allowedHostsText(api);
  }
  if (isLoopbackHost(parsed.hostname) && (parsed.protocol === "http:" || parsed.protocol === "https:")) {
    return undefined;
  }
  const host = parsed.hostname.toLowerCase();
  if (parsed.protocol !== "https:" || parsed.port !== "" || !knownHosts(api).includes(host)) {
    return allowedHostsText(api);
  }
  return undefined;
}

/** 127.0.0.0/8, `localhost` (and `*.localhost`) and `[::1]`: the only hosts plain http and the lab credential serve. */
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
