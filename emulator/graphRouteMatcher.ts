/**
 * The Graph route matcher: which route the path below the version names, and which of its operations the method
 * selects; Graph's answer when there is none (400 for an unknown path, 405 with `Allow` for a method the resource
 * lacks). Pure. The version is not part of the match: every route is served on `/v1.0` and `/beta`, and a route's
 * handler shapes its answer for the version.
 */
import { badRequest, type Operation, type Route } from "./graphRouting";
import type { ApiResponse } from "./types";

/** Finds the route for the segments below the version; returns its captured parameters. */
export function matchRoute(
  routes: readonly Route[],
  segments: readonly string[],
): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    const params: string[] = [];
    const matches = route.pattern.every((part, index) => {
      if (part === "{}") {
        params.push(segments[index]);
        return segments[index] !== "";
      }
      return part === segments[index].toLowerCase();
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/** The operation a request names, with the route's captured parameters; or Graph's 400 or 405 answer. */
export function matchOperation(
  routes: readonly Route[],
  method: string,
  segments: readonly string[],
): { operation: Operation; params: string[] } | ApiResponse {
  const matched = matchRoute(routes, segments);
  if (matched === undefined) return badRequest(`Resource not found for the segment '${segments.at(-1) ?? ""}'.`);
  const operation = matched.route.operations[method];
  if (operation === undefined)
    return {
      status: 405,
      error: {
        code: "Request_BadRequest",
        message: `Specified HTTP method (${method}) is not allowed for the request uri.`,
      },
      headers: { Allow: Object.keys(matched.route.operations).join(", ") },
    };
  return { operation, params: matched.params };
}
