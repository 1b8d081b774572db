/**
 * The HTTP layer's contract: the two control planes' endpoints, where requests go, and what a request, an answer and
 * a client are. Plain data only: endpoints end up in Pulumi state, so no credential ever belongs here.
 */

/** The two control planes every request goes to. */
import type { EntraEndpoints } from "../../lib/endpoints";

export type EntraApi = "graph" | "portal";

/** Where the HTTP layer sends requests and asks tokens for: one tenant, its two endpoints. */
export interface EntraTarget {
  tenantId: string;
  endpoints: EntraEndpoints;
}

export interface EntraRequest {
  api: EntraApi;
  method: "GET" | "PATCH" | "PUT" | "DELETE" | "POST";
  /**
   * Path below the API's base URL, with its query string. Graph paths start with the version
   * (`/v1.0/policies/authorizationPolicy`, `/beta/...`); portal paths follow `/api` (`/PasswordReset/PasswordResetPolicies`).
   */
  path: string;
  body?: unknown;
  /** The permission (Graph) or directory role (portal) the call needs; named in 401/403 errors. */
  permission: string;
  /** Graph's `Prefer` header, such as `create-if-missing` (the upsert of `application-upsert`). */
  prefer?: string;
}

export interface EntraResponse {
  status: number;
  /** Parsed JSON body, or undefined for an empty body (204). A 2xx body that is not JSON comes back as its text. */
  body: unknown;
  /** `request-id` (Graph) or `x-ms-request-id`, when the service sent one. */
  requestId?: string;
}

export interface EntraClient {
  /** Sends one request with token, retries and timeouts; resolves for 2xx, rejects with an EntraError otherwise. */
  send(request: EntraRequest): Promise<EntraResponse>;
  /**
   * Keeps an answer the caller already knows (what it just wrote) as this run's read of `request`, in the provider
   * plugin (`runReads.ts`); elsewhere it does nothing.
   */
  remember?(request: EntraRequest, response: EntraResponse): void;
  /**
   * Who the Graph token names (its `oid`: the service principal, managed identity or person) and whether it may write
   * applications at all; read from the token the client already holds, nothing is sent. Undefined when unreadable.
   */
  caller?(): Promise<CallerIdentity | undefined>;
}

/** The identity behind a client's Graph token. */
export interface CallerIdentity {
  /** The directory object id (`oid` claim); undefined when the token carries none. */
  objectId?: string;
  /**
   * The tenant's id (`tid` claim), lower-case; undefined unless it is a GUID. Entra issues every access token with
   * the tenant's GUID there, whatever name the sign-in gave the tenant
   * (docs/reference/endpoints-and-permissions.md#tokens-in-practice).
   */
  tenantId?: string;
  /** Whether the token holds Application.ReadWrite.OwnedBy or Application.ReadWrite.All (a deploy identity). */
  writesApplications: boolean;
}
