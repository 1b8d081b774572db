/**
 * Shapes shared by the emulator's modules: the tenant it holds, the requests it answers and small JSON helpers.
 * Everything here is plain data so that the state can be cloned, compared and served as JSON.
 */

export type JsonObject = { [key: string]: unknown };

/** A directory user as Graph returns it (`GET /users`). Extra Graph properties ride along. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  [key: string]: unknown;
}

/** A directory group as Graph returns it (`GET /groups/{id}`). Extra Graph properties ride along. */
export interface DirectoryGroup {
  id: string;
  displayName: string;
  [key: string]: unknown;
}

/** The Graph GET shape of the methods policy (without `@odata.context`, which depends on the version asked). */
export interface AuthenticationMethodsPolicyState {
  authenticationMethodConfigurations: JsonObject[];
  [key: string]: unknown;
}

/** One tenant as the emulator holds it. Sections mirror what the real services return. */
export interface TenantState {
  tenantId: string;
  authenticationMethodsPolicy: AuthenticationMethodsPolicyState;
  authorizationPolicy: JsonObject;
  /** Portal `PasswordResetPolicies`, every field incl. hidden ones, exactly as stored by the last PUT. */
  passwordResetPolicies: JsonObject;
  onPremisesPasswordResetPolicies: JsonObject;
  groups: DirectoryGroup[];
  /** Group id -> member ids, users or nested groups (the `members` relationship; not part of the group object). */
  groupMembers: Record<string, string[]>;
  users: DirectoryUser[];
  /**
   * Rows laid over the registration report the emulator derives from the directory (`emulator/people/`), by
   * user id: a seeded row models what the service's report said (it refreshes with a lag). Empty by default.
   */
  userRegistrationDetails: JsonObject[];
  /** User id -> the user's registered authentication methods, Graph-shaped (`@odata.type`, `id`, ...). */
  authenticationMethods: Record<string, JsonObject[]>;
  /** User id -> how many security questions the user registered (Graph's methods API does not list them). */
  securityQuestionsRegistered: Record<string, number>;
  /** Activated directory roles as `GET /directoryRoles` returns them (`id`, `displayName`, `roleTemplateId`). */
  directoryRoles: JsonObject[];
  /** Directory role id -> member user ids. */
  directoryRoleMembers: Record<string, string[]>;
  /** The tenant's subscriptions as `GET /subscribedSkus` returns them. */
  subscribedSkus: JsonObject[];
  /** The tenant's organization object (`GET /organization` returns it as a one-element collection). */
  organization: JsonObject;
  /** Open extensions of the organization (`/organization/{tenantId}/extensions`): where the ownership mark used to live. */
  organizationExtensions: JsonObject[];
  /** Application objects addressed by `uniqueName` (`emulator/routes/applications.ts`): the ownership mark's. */
  applications: JsonObject[];
  /**
   * Whether the tenant contracted its own telephony provider for SMS and voice (through the Microsoft Security
   * Store): from 1 February 2027 only such a tenant's phones still serve MFA and SSPR (`emulatorCalendar.ts`). Default false.
   */
  ownTelephonyProvider: boolean;
  /** Microsoft's dated configuration changes the tenant has had (`calendar.ts`, `microsoftChanges.ts`), in order. */
  microsoftChangesApplied: AppliedMicrosoftChange[];
}

/** One of Microsoft's dated configuration changes, as applied to the tenant. A seed may give `id` alone. */
export interface AppliedMicrosoftChange {
  /** The calendar entry's id (`emulatorCalendar.ts`). */
  id: string;
  /** The entry's date, `YYYY-MM-DD`. */
  date?: string;
  /** The emulator's date when it was applied. */
  appliedOn?: string;
  /** The machine's time when it was applied (ISO 8601). */
  appliedAt?: string;
  /** What applied it: the start, a seed, the date moved across the entry's day, or a request to apply what is due. */
  trigger?: "start" | "seed" | "date moved" | "asked";
  /** What changed, in words; empty when nothing in the tenant was in scope. */
  changes?: string[];
}

/** Whether Microsoft's dated configuration changes are applied when a date is given (see `docs/emulator.md`). */
export type MicrosoftChangesMode = "apply" | "hold";

/**
 * Sections given replace the same sections of the baseline tenant. The methods policy may be the Graph GET
 * response as it is (with `@odata.context`); method configurations it lacks keep their defaults, because a real
 * tenant always has all of them and the documented samples are shortened.
 */
export type TenantSeed = Partial<TenantState> & {
  /** Words for the reader of a seed file (what it holds, where it came from); the emulator ignores them. */
  $comment?: string | string[];
  /** The emulator's date, `YYYY-MM-DD` (a start option or the CLI's `--today` wins over it). Not a tenant section. */
  today?: string;
  /**
   * `apply`: Microsoft's configuration changes due on the seed's date (and not in `microsoftChangesApplied`) are
   * applied to the seeded tenant; `hold` (the default): the seed is the tenant as it is. Not a tenant section.
   */
  microsoftChanges?: MicrosoftChangesMode;
};

export type ApiKind = "graph" | "portal";

/** One request as the emulator saw it; `status: 0` when the socket was dropped without an answer. */
export interface RequestLogEntry {
  api: ApiKind;
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The raw query string without the leading `?` (`""` when there is none). */
  query: string;
  status: number;
  /** ISO timestamp of the request's arrival. */
  time: string;
  /** For `POST /{version}/$batch`: the method of each request in the batch, in order (a batch is one request here). */
  batch?: string[];
  /** With `batch`: each request's URL as the batch gave it (relative, query included), in the same order. */
  batchUrls?: string[];
}

/** One API request as the route modules see it. */
export interface IncomingRequest {
  method: string;
  /** Decoded path segments below the API root (`/v1.0`, `/beta` or `/api`). */
  segments: string[];
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  rawBody: string;
}

/** An error answer; the server renders it in the API's error shape (Graph's `{"error":{...}}` or the portal's). */
export interface ApiError {
  code: string;
  message: string;
}

/** What a route module answers. `nextState` is applied only when present, so a failed request changes nothing. */
export interface ApiResponse {
  status: number;
  body?: unknown;
  error?: ApiError;
  headers?: Record<string, string>;
  nextState?: TenantState;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * PATCH semantics for JSON: objects merge key by key, everything else (arrays included) is replaced.
 * Returns a new value; neither argument is changed.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(target) || !isPlainObject(patch)) return deepClone(patch);
  const merged: JsonObject = deepClone(target);
  for (const [key, value] of Object.entries(patch)) merged[key] = mergePatch(merged[key], value);
  return merged;
}

/** Compact JSON of a value for error messages; long values are cut so a message stays readable. */
export function describeValue(value: unknown): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
