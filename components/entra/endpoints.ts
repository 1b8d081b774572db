/**
 * Where the two control planes may be reached. One rule for the stack config, the singletons' check and the HTTP
 * layer: https anywhere, plain http only on a loopback host (the lab emulator), since every request carries a
 * bearer token; never user info, a query or a fragment in a base URL.
 */
import { defaultEndpoints } from "./types";
import type { EntraEndpoints } from "./types";

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
