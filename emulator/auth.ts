/**
 * Token checks as the real services make them, minus signatures: the emulator has no keys, so it reads the JWT's
 * claims and accepts unsigned (`alg: none`) tokens. Messages never contain the token.
 */
import { isPlainObject, type JsonObject } from "./types";

export const graphAudiences = [
  "https://graph.microsoft.com",
  "https://graph.microsoft.com/",
  "00000003-0000-0000-c000-000000000000",
];
export const portalAudience = "74658136-14ec-4630-ad9b-26e160ff0fc6";

/** Directory role template ids the portal API accepts (docs/reference/portal-api.md#token-and-role: Authentication Policy Administrator or Global Administrator). */
export const portalRoles: Record<string, string> = {
  "0526716b-113d-4c15-b2c8-68e3c22b9f80": "Authentication Policy Administrator",
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
};

export interface Identity {
  /** `scp` present: a user signed in. Otherwise app-only (`roles`). */
  delegated: boolean;
  permissions: string[];
  roleIds: string[];
  /**
   * The caller's directory object id (`oid`: the user, or the app's service principal), which Graph makes the owner
   * of an application the caller creates; undefined for a hand-built token without it.
   */
  objectId?: string;
  /** What the owners list shows for the caller: `app_displayname` (app-only) or `name` (a person). */
  displayName?: string;
}

export type AuthOutcome = { identity: Identity } | { status: 401; code: string; message: string };

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Reads the claims of `Authorization: Bearer <JWT>`, or says why it cannot (no header, or no well-formed JWT). */
export function readBearerClaims(authorization: string | undefined): JsonObject | "missing" | "malformed" {
  if (authorization === undefined || authorization.trim() === "") return "missing";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (match === null) return "malformed";
  const parts = match[1].split(".");
  if (parts.length !== 3) return "malformed";
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  if (!isPlainObject(header) || typeof header.alg !== "string" || !isPlainObject(claims)) return "malformed";
  return claims;
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") return value.split(" ").filter((entry) => entry !== "");
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === "string");
  return [];
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates lifetime, audience and tenant; returns who is calling or the 401 to answer.
 *
 * Tenant: Entra issues every access token with the tenant's id (a GUID) in `tid`, and a token is good only in that
 * tenant; one emulator is one tenant, so a token whose `tid` is another GUID is refused with Graph's 401 code for
 * an invalid token ("Resolve Microsoft Graph authorization errors", https://learn.microsoft.com/graph/resolve-auth-errors:
 * a 401 means the token is missing, invalid or expired). The docs are silent on the message for a token of another
 * tenant; the wording is ours. A `tid` that is not a GUID comes only from the lab credential given a tenant name the
 * emulator's discovery document does not resolve (`login.ts`: a domain it does not carry, or no document reached),
 * and a token without `tid` only from a hand-built test token: both are accepted.
 */
export function authenticate(
  authorization: string | undefined,
  audiences: readonly string[],
  nowMs: number,
  tenantId?: string,
): AuthOutcome {
  const claims = readBearerClaims(authorization);
  if (claims === "missing")
    return { status: 401, code: "InvalidAuthenticationToken", message: "Access token is empty." };
  if (claims === "malformed")
    return {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Access token validation failure. The token is not a well-formed JWT bearer token.",
    };
  const nowSeconds = nowMs / 1000;
  // RFC 7519 4.1.4/4.1.5: exp and nbf are NumericDate (a JSON number). A string or anything else is not a lifetime
  // the emulator can check, so the token is refused (a string once slipped past the checks below). assumed: Entra's
  // wording for this case is undocumented. A token without exp is refused too (assumed): Entra always issues one,
  // and Microsoft.IdentityModel's lifetime validation refuses a token missing it (IDX10225); the wording is ours.
  if (claims.exp === undefined)
    return {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Lifetime validation failed, the token is missing an expiration time (exp).",
    };
  const notNumeric = (["exp", "nbf"] as const).find(
    (claim) => claims[claim] !== undefined && (typeof claims[claim] !== "number" || !Number.isFinite(claims[claim])),
  );
  if (notNumeric !== undefined)
    return {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: `Lifetime validation failed, the token's ${notNumeric} claim is not a number.`,
    };
  if (typeof claims.exp === "number" && claims.exp < nowSeconds)
    return {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Lifetime validation failed, the token is expired.",
    };
  if (typeof claims.nbf === "number" && claims.nbf > nowSeconds + 300)
    return {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Lifetime validation failed, the token is not yet valid.",
    };
  if (typeof claims.aud !== "string" || !audiences.includes(claims.aud))
    return {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Access token validation failure. Invalid audience.",
    };
  if (
    tenantId !== undefined &&
    typeof claims.tid === "string" &&
    guidPattern.test(claims.tid) &&
    claims.tid.toLowerCase() !== tenantId.toLowerCase()
  )
    return {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Access token validation failure. The token was issued for another tenant.",
    };
  const delegated = typeof claims.scp === "string";
  return {
    identity: {
      delegated,
      permissions: delegated ? stringList(claims.scp) : stringList(claims.roles),
      roleIds: stringList(claims.wids),
      ...(typeof claims.oid === "string" && guidPattern.test(claims.oid) ? { objectId: claims.oid.toLowerCase() } : {}),
      ...(typeof (delegated ? claims.name : claims.app_displayname) === "string"
        ? { displayName: String(delegated ? claims.name : claims.app_displayname) }
        : {}),
    },
  };
}

/**
 * True when one granted permission satisfies one of `anyOf`. A `*.ReadWrite.*` permission also satisfies the
 * matching `*.Read.*` one. Names compare case-insensitively.
 */
export function hasPermission(granted: readonly string[], anyOf: readonly string[]): boolean {
  const have = new Set(granted.map((permission) => permission.toLowerCase()));
  return anyOf.some((required) => {
    const name = required.toLowerCase();
    return have.has(name) || (name.includes(".read.") && have.has(name.replace(".read.", ".readwrite.")));
  });
}

export function missingPermissionMessage(anyOf: readonly string[]): string {
  return `Insufficient privileges to complete the operation. The token needs one of these permissions: ${anyOf.join(", ")}.`;
}

/** The portal's extra rules: a user (not an app) holding one of the accepted directory roles. */
export function authorizePortal(identity: Identity): { status: 401 | 403; message: string } | undefined {
  if (!identity.delegated)
    return {
      status: 401,
      message:
        "App-only tokens are not accepted: the portal API needs a delegated token of a signed-in user (for example from `az login`).",
    };
  if (!identity.roleIds.some((roleId) => roleId.toLowerCase() in portalRoles))
    return {
      status: 403,
      message: `The signed-in user needs one of these directory roles: ${Object.entries(portalRoles)
        .map(([id, name]) => `${name} (${id})`)
        .join(", ")}.`,
    };
  return undefined;
}
