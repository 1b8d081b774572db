/**
 * The emulator is a lab tool that accepts unsigned tokens and lets its control routes rewrite the tenant, so it
 * answers only this machine unless told otherwise (`--allow-remote`):
 * - it binds to a loopback address;
 * - every request's `Host` names a loopback host, so a web page cannot reach it through DNS rebinding (a name of the
 *   page's domain re-pointed at 127.0.0.1 still arrives with that name in `Host`);
 * - a browser's `Origin`, when sent, is a loopback origin, so a page on another site cannot drive it;
 * - control routes that change something take JSON only, so a cross-site "simple" request (`text/plain`, a form),
 *   which a browser sends without asking first, is refused with 415.
 */
import { isIP } from "node:net";

/** 127.0.0.0/8, `::1` (with or without brackets) and `localhost`: names that need no resolver to be loopback. */
export function isLoopbackName(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (name === "localhost" || name === "::1") return true;
  if (isIP(name) === 4) return name.split(".")[0] === "127";
  // An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`), as a dual-stack socket reports an IPv4 peer.
  return /^::ffff:127\.\d+\.\d+\.\d+$/.test(name);
}

/** Why the emulator must not bind to `host`, or undefined when it may. */
export function bindHostProblem(host: string, allowRemote: boolean): string | undefined {
  if (allowRemote || isLoopbackName(host)) return undefined;
  return (
    `host is "${host}"; allowed: a loopback address (127.0.0.1, ::1, localhost). The emulator accepts unsigned ` +
    "tokens and its control routes rewrite the tenant, so it answers other machines only when asked to " +
    "(--allow-remote, or allowRemote: true)."
  );
}

/** The hostname of a `Host` header value (`127.0.0.1:8640`, `[::1]:8640`, `localhost`), or undefined. */
function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

/** Why a request's `Host` or `Origin` is refused (the 403's message), or undefined when both are local. */
export function requestOriginProblem(host: string | undefined, origin: string | undefined): string | undefined {
  const hostname = host === undefined ? undefined : hostnameOf(host);
  if (hostname === undefined || !isLoopbackName(hostname))
    return `The emulator answers only requests addressed to a loopback host; Host is ${JSON.stringify(host ?? "")}.`;
  if (origin === undefined) return undefined; // not a browser's cross-origin request
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).hostname;
  } catch {
    originHost = undefined;
  }
  if (originHost === undefined || !isLoopbackName(originHost))
    return `The emulator answers no web page of another site; Origin is ${JSON.stringify(origin)}.`;
  return undefined;
}

/**
 * Why a control request's body type is refused (the 415's message), or undefined. A change (any method but GET)
 * carries `Content-Type: application/json`, or no body and no `Content-Type` at all (a browser's bodiless request
 * still carries an `Origin`, checked above).
 */
export function controlContentTypeProblem(
  method: string,
  contentType: string | undefined,
  body: string,
): string | undefined {
  if (method === "GET" || method === "HEAD") return undefined;
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/json") return undefined;
  if (type === "" && body === "") return undefined;
  return `Control routes take JSON only: Content-Type is ${JSON.stringify(contentType ?? "")}; send application/json.`;
}
