/**
 * The one reader of the tenant's SSPR objects. For each object it knows where it lives (`tenantObjectPaths`), the
 * permission that reads it (from the permission list, `grants.ts`), and how its raw document reads in admin-center
 * settings (`tenantCodecs.ts`). Commands (rehearse, lab, preflight, readiness, doctor, snapshot, lockout-check) and
 * the preview's people lines read through it, GETs only, through the HTTP layer they are given.
 */
import type { EntraClient } from "../http/client";
import type { EntraApi } from "../http/httpTypes";
import { tenantObjectPaths } from "../../lib/endpoints";
import { permissionList, type PermissionKey } from "../grants/grants";
import { isRecord } from "../../lib/predicates";
import { authorizationPolicyOf } from "../../lib/tenantCodecs";

type JsonObject = Record<string, unknown>;

interface TenantObject {
  /** The object in words, as problems and messages name it. */
  what: string;
  api: EntraApi;
  path: string;
  /** The permission-list entry whose first permission (Graph) or role (portal) reads it. */
  grant: PermissionKey;
}

export const tenantObjects = {
  passwordResetPolicy: {
    what: "the password reset policy",
    api: "portal",
    path: tenantObjectPaths.passwordResetPolicy,
    grant: "portalRead",
  },
  onPremisesPasswordResetPolicy: {
    what: "the on-premises integration policy",
    api: "portal",
    path: tenantObjectPaths.onPremisesPasswordResetPolicy,
    grant: "portalRead",
  },
  authenticationMethodsPolicy: {
    what: "the authentication methods policy",
    api: "graph",
    path: tenantObjectPaths.authenticationMethodsPolicy,
    grant: "methodsRead",
  },
  authorizationPolicy: {
    what: "the authorization policy",
    api: "graph",
    path: tenantObjectPaths.authorizationPolicy,
    grant: "administratorsRead",
  },
} as const satisfies Record<string, TenantObject>;
export type TenantObjectName = keyof typeof tenantObjects;

/** What reads `name`: the least privileged Graph permission, or the portal's directory role (by name). */
export function readPermission(name: TenantObjectName): string {
  const entry = permissionList[tenantObjects[name].grant];
  return entry.api === "portal" ? entry.roles[0].name : entry.permissions[0];
}

export interface ReadOptions {
  /** Portal policy only: ask the portal for the SSPR group's name too, so a Selected scope reads by its name. */
  withGroupName?: boolean;
}

/** One GET of a tenant object; throws the HTTP layer's error, or when the answer is not a JSON object. */
export async function readTenantObject(
  client: EntraClient,
  name: TenantObjectName,
  options: ReadOptions = {},
): Promise<JsonObject> {
  const object: TenantObject = tenantObjects[name];
  const path = options.withGroupName === true ? `${object.path}?getPasswordResetEnabledGroup=true` : object.path;
  const response = await client.send({ api: object.api, method: "GET", path, permission: readPermission(name) });
  return name === "authorizationPolicy"
    ? authorizationPolicyOf(response.body)
    : jsonObjectOf(response.body, `GET ${path} (${object.what})`);
}

function jsonObjectOf(body: unknown, request: string): JsonObject {
  if (!isRecord(body)) throw new Error(`${request} did not return a JSON object`);
  return body;
}

/** The three documents the SSPR settings are made of, as the services returned them. */
export interface SsprDocuments {
  portal: JsonObject;
  methodsPolicy: JsonObject;
  authorizationPolicy: JsonObject;
}

/** Reads the three SSPR documents (3 GETs, in parallel); the portal's with the SSPR group's name. */
export async function readSsprDocuments(client: EntraClient): Promise<SsprDocuments> {
  const [portal, methodsPolicy, authorizationPolicy] = await Promise.all([
    readTenantObject(client, "passwordResetPolicy", { withGroupName: true }),
    readTenantObject(client, "authenticationMethodsPolicy"),
    readTenantObject(client, "authorizationPolicy"),
  ]);
  return { portal, methodsPolicy, authorizationPolicy };
}

/**
 * The methods policy, read once per run: a caller that already holds the document passes it (a preview reads it
 * once for the people lines and the lockout guards alike).
 */
export function methodsPolicyOf(client: EntraClient, alreadyRead?: JsonObject): Promise<JsonObject> {
  return alreadyRead === undefined
    ? readTenantObject(client, "authenticationMethodsPolicy")
    : Promise.resolve(alreadyRead);
}

// ---------------------------------------------------------------------------------------------------------------
// The directory objects the SSPR objects name: groups, their members, the registration report
// ---------------------------------------------------------------------------------------------------------------

/** The least privileged Graph permission of a permission-list entry: what a read for that step names. */
export function graphReadPermission(grant: PermissionKey): string {
  return permissionList[grant].permissions[0];
}

/** A group object, with only the properties asked for. */
export function groupPath(id: string, select: string): string {
  return `/v1.0/groups/${encodeURIComponent(id)}?$select=${select}`;
}

/** A group's members: direct ones, or with nested groups' members (`transitive`), which SSPR and the methods honour. */
export function groupMembersPath(
  id: string,
  select: string,
  options: { transitive?: boolean; top?: number } = {},
): string {
  const members = options.transitive === true ? "transitiveMembers" : "members";
  return `/v1.0/groups/${encodeURIComponent(id)}/${members}?$select=${select}${options.top === undefined ? "" : `&$top=${options.top}`}`;
}

/** Graph's registration report (who registered which methods; `isAdmin`), optionally filtered. */
export function registrationDetailsPath(filter?: string): string {
  const path = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
  return filter === undefined ? path : `${path}?$filter=${encodeURIComponent(filter)}`;
}

/** The path (with query) of an `@odata.nextLink`, to be sent to the configured Graph endpoint, never elsewhere. */
export function nextLinkPath(link: string): string {
  const url = new URL(link);
  if (!/^\/(v1\.0|beta)\//.test(url.pathname)) throw new Error(`unexpected @odata.nextLink ${url.pathname}`);
  return url.pathname + url.search;
}

/** Every item of a Graph collection, following its `@odata.nextLink` pages. */
export async function readCollection(client: EntraClient, path: string, permission: string): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const response = await client.send({ api: "graph", method: "GET", path: next, permission });
    const body = isRecord(response.body) ? response.body : {};
    if (Array.isArray(body.value)) items.push(...body.value.filter(isRecord));
    next = typeof body["@odata.nextLink"] === "string" ? nextLinkPath(body["@odata.nextLink"]) : undefined;
  }
  return items;
}

/** One Graph object; throws the HTTP layer's error (a 404 for a deleted group), or when it is not a JSON object. */
export async function readGraphObject(client: EntraClient, path: string, permission: string): Promise<JsonObject> {
  const response = await client.send({ api: "graph", method: "GET", path, permission });
  return jsonObjectOf(response.body, `GET ${path}`);
}
