/**
 * Test helpers for the emulator: unsigned tokens (built here so these tests do not depend on the HTTP layer),
 * the shared fixtures, and a fetch wrapper.
 */
import * as crypto from "node:crypto";
import { loadFixture, type FixtureName } from "../support/fixtures";

export type Json = { [key: string]: unknown };

export function unsignedJwt(claims: Json): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
}

const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;

/** An app-only Graph token carrying `roles`. */
export function graphAppToken(roles: string[], extra: Json = {}): string {
  return unsignedJwt({ aud: "https://graph.microsoft.com", roles, exp: inAnHour(), ...extra });
}

/** A delegated Graph token carrying `scp`. */
export function graphUserToken(scopes: string[], extra: Json = {}): string {
  return unsignedJwt({ aud: "00000003-0000-0000-c000-000000000000", scp: scopes.join(" "), exp: inAnHour(), ...extra });
}

export const authenticationPolicyAdministrator = "0526716b-113d-4c15-b2c8-68e3c22b9f80";
export const globalAdministrator = "62e90394-69f5-4237-9190-012177145e10";

/** A delegated portal token with the given directory roles. */
export function portalUserToken(roleIds: string[] = [authenticationPolicyAdministrator], extra: Json = {}): string {
  return unsignedJwt({
    aud: "74658136-14ec-4630-ad9b-26e160ff0fc6",
    scp: "user_impersonation",
    wids: roleIds,
    exp: inAnHour(),
    ...extra,
  });
}

/** Every Graph permission the emulated routes use. */
export const allGraphPermissions = [
  "Policy.ReadWrite.AuthenticationMethod",
  "Policy.ReadWrite.Authorization",
  "Group.ReadWrite.All",
  "User.Read.All",
  "AuditLog.Read.All",
];

export function fixture(name: FixtureName): Json {
  return loadFixture(name) as Json;
}

export const methodsPolicyFixture = (): Json => fixture("graph-authentication-methods-policy.get.json");
export const campaignPatchFixture = (): Json =>
  fixture("graph-authentication-methods-policy.patch-registration-campaign.json");
export const portalFixture = (): Json => fixture("portal-password-reset-policies.get.json");

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  text: string;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<Reply> {
  // The portal API requires a client request id (400 ArgumentNull without one), as the HTTP layer always sends.
  const headers: Record<string, string> = path.startsWith("/api")
    ? { "x-ms-client-request-id": crypto.randomUUID(), ...options.headers }
    : { ...options.headers };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  let payload: string | undefined = options.rawBody;
  if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, signal: options.signal });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text), text };
}

/** A portal error body: the ClientException's message and error code. */
export function portalError(reply: Reply): { errorCode: string; message: string } {
  const body = reply.body as { Message?: string; message?: string; ClientData?: { errorCode?: string } };
  return { errorCode: body.ClientData?.errorCode ?? "", message: body.Message ?? body.message ?? "" };
}

/** The `error` member of a Graph error body. */
export function graphError(reply: Reply): { code: string; message: string; innerError: Json } {
  return (reply.body as { error: { code: string; message: string; innerError: Json } }).error;
}
