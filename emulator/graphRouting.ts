/**
 * What every Graph route module shares: the shape of a route and its operations, and the small answer helpers
 * (entity, collection with `$filter`, `$select` and paging, Graph's not-found answers). Pure functions.
 */
import { applySelect, matchesAll, parseFilter, type FilterableProperties } from "./odata";
import type { Identity } from "./auth";
import type { ApiResponse, JsonObject, TenantState } from "./types";

export type GraphVersion = "v1.0" | "beta";

export interface OperationContext {
  state: TenantState;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  version: GraphVersion;
  /** The machine's time: timestamps the emulator writes, token lifetimes. */
  now: Date;
  /** The emulator's date, `YYYY-MM-DD`: which of Microsoft's dated changes are in effect (`emulatorCalendar.ts`). */
  today: string;
  /** Lower-case request headers (`host` builds absolute `@odata.nextLink`s). */
  headers?: Record<string, string | undefined>;
  /** Who is calling (from the token): what owner checks need (`routes/applications.ts`). */
  caller?: Identity;
}

export interface Operation {
  /** Any one of these satisfies the call (a `*.ReadWrite.*` also satisfies its `*.Read.*`). */
  permissions: readonly string[];
  /** Graph's code for a 403 on this resource (directory objects and policy services word it differently). */
  deniedCode: "Authorization_RequestDenied" | "accessDenied";
  hasBody?: boolean;
  handle(context: OperationContext): ApiResponse;
}

export interface Route {
  /** Lower-case literal segments; `{}` matches one segment, captured into `params`. */
  pattern: string[];
  operations: Partial<Record<string, Operation>>;
}

export const contextUrl = (version: GraphVersion, fragment: string): string =>
  `https://graph.microsoft.com/${version}/$metadata#${fragment}`;

export const ok = (body: unknown): ApiResponse => ({ status: 200, body });

export const badRequest = (message: string, code = "BadRequest"): ApiResponse => ({
  status: 400,
  error: { code, message },
});

export const problemsResponse = (problems: string[]): ApiResponse => badRequest(problems.join("; "));

export const directoryNotFound = (id: string): ApiResponse => ({
  status: 404,
  error: {
    code: "Request_ResourceNotFound",
    message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  },
});

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A missing directory object: Graph says 400 for ids that are not GUIDs and 404 for unknown GUIDs. */
export function directoryObjectMissing(id: string): ApiResponse {
  return guidPattern.test(id)
    ? directoryNotFound(id)
    : badRequest(`Invalid object identifier '${id}'.`, "Request_BadRequest");
}

export function collection(
  version: GraphVersion,
  fragment: string,
  items: JsonObject[],
  query: URLSearchParams,
): ApiResponse {
  return ok({
    "@odata.context": contextUrl(version, fragment),
    value: items.map((item) => applySelect(item, query.get("$select"))),
  });
}

/** Applies `$filter` (when given) with the resource's filterable properties. */
export function filtered<T extends JsonObject>(
  items: T[],
  query: URLSearchParams,
  supported: FilterableProperties,
  resource: string,
): T[] | ApiResponse {
  const filter = query.get("$filter");
  if (filter === null) return items;
  const parsed = parseFilter(filter, supported, resource);
  if ("problem" in parsed) return badRequest(parsed.problem);
  return items.filter((item) => matchesAll(item, parsed.clauses));
}

export interface PagingOptions {
  /** Page size without `$top`. */
  defaultPageSize: number;
  /** The largest `$top` accepted. */
  maxPageSize: number;
}

/**
 * A collection served in pages: `$top` sets the page size, `@odata.nextLink` carries an opaque `$skiptoken` (here
 * the offset, base64url-encoded: Graph's tokens are opaque too, so clients must follow the link as given). The
 * link is absolute on the host the request came to, so a client of the emulator stays on the emulator.
 */
export function pagedCollection(
  context: Pick<OperationContext, "version" | "query" | "headers">,
  path: string,
  fragment: string,
  items: JsonObject[],
  paging: PagingOptions,
): ApiResponse {
  const { version, query } = context;
  const topText = query.get("$top");
  let size = paging.defaultPageSize;
  if (topText !== null) {
    const top = Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > paging.maxPageSize)
      return badRequest(`Invalid page size specified: '${topText}'. Must be between 1 and ${paging.maxPageSize}.`);
    size = top;
  }
  let offset = 0;
  const token = query.get("$skiptoken");
  if (token !== null) {
    const decoded = Number(Buffer.from(token, "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) return badRequest("Invalid $skiptoken.", "Request_BadRequest");
    offset = decoded;
  }
  const page = items.slice(offset, offset + size).map((item) => applySelect(item, query.get("$select")));
  const body: JsonObject = { "@odata.context": contextUrl(version, fragment), value: page };
  if (offset + size < items.length) {
    const next = new URLSearchParams(query);
    next.set("$skiptoken", Buffer.from(String(offset + size), "utf8").toString("base64url"));
    const host = context.headers?.host ?? "graph.microsoft.com";
    const scheme = host === "graph.microsoft.com" ? "https" : "http";
    body["@odata.nextLink"] = `${scheme}://${host}/${version}/${path}?${next.toString()}`;
  }
  return ok(body);
}
