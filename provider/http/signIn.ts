/**
 * Which sign-in serves each API, per environment, and how a person's sign-in is remembered.
 *
 * | environment                  | Microsoft Graph                                       | portal API                                  |
 * | ---------------------------- | ----------------------------------------------------- | ------------------------------------------- |
 * | lab (loopback endpoints)     | the lab credential                                    | the lab credential                          |
 * | ci (CI, or an app identity)  | DefaultAzureCredential (OIDC / workload identity ...) | a person's device-code sign-in              |
 * | user (an admin's machine)    | a public client sign-in (browser or device code)      | Azure CLI, else the same kind of sign-in    |
 *
 * Why: the Azure CLI's user token for Graph lacks the policy scopes (403 "required scopes are missing in the token",
 * Azure/azure-cli#23906, #33062; docs/reference/endpoints-and-permissions.md#tokens-in-practice), so a user's Graph token comes from a public client that may ask
 * for them: the organization's own app registration (`ENTRA_SSPR_CLIENT_ID`) or Microsoft Graph Command Line Tools
 * (`14d82eec-...`, what `Connect-MgGraph` uses). The portal API takes only delegated user tokens; the Azure CLI's
 * client can get them (`az account get-access-token --resource 74658136-...`, docs/reference/portal-api.md#token-and-role), so the portal's
 * sign-in uses that client (`ENTRA_SSPR_PORTAL_CLIENT_ID` overrides; set it to the Graph client id to use one
 * sign-in for both, unverified: that a given client may request the portal resource). In CI, `az` holds the
 * deployment app after `azure/login`, whose app-only token the portal refuses, so CI skips it.
 *
 * Remembered: a person's sign-in writes an `AuthenticationRecord` (account and tenant ids, user name: no token) to
 * `~/.entra-sspr/` and MSAL's token cache to `@azure/identity-cache-persistence` (Keychain, DPAPI, libsecret; an
 * unencrypted file only when `ENTRA_SSPR_TOKEN_CACHE=file`). The next run, and every resource and tenant of this
 * run, gets tokens silently. Within one process every resource shares one credential and one prompt (a registry
 * on `globalThis`: the dynamic providers are serialized separately, so module state would not be shared).
 * Without the persistence package (its native part did not build) the record and MSAL's in-process cache still
 * give one sign-in per process, and the run says so once.
 *
 * Plain functions; packages are `require()`d inside them; `process.env` is read only when a credential is made.
 */
import type { AccessToken, AuthenticationRecord, GetTokenOptions, TokenCredential } from "@azure/identity";
import type { EntraApi } from "./httpTypes";
import { credentialSettingProblem, isLoopbackUrl } from "../../lib/endpoints";

export type SignInEnvironment = "lab" | "user" | "ci";
export type InteractiveMethod = "browser" | "device-code";
export type TokenCacheMode = "os" | "file" | "none";

/** Microsoft Graph Command Line Tools: Microsoft's public client that may ask for Graph's policy scopes. */
export const graphCommandLineToolsClientId = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
/** The Azure CLI's public client (also `@azure/identity`'s default): it can get portal tokens. */
export const azureCliClientId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/**
 * Delegated Graph scopes a person's sign-in asks for (short names; prefixed with Graph's origin). `read` serves
 * preview, drift, the preflight, readiness and doctor; `write` (the default) is the same plus the writes of
 * `pulumi up`, so that one consent and one cached token serve every command.
 */
const readScopes = [
  "Policy.Read.All",
  "User.Read.All",
  "Group.Read.All",
  "GroupMember.Read.All",
  "Organization.Read.All",
  "RoleManagement.Read.Directory",
  "AuditLog.Read.All",
  "UserAuthenticationMethod.Read.All",
  // The ownership mark, kept on an application (`ownershipMark.ts`).
  "Application.Read.All",
  "User.Read",
];
export const delegatedGraphScopes: Record<"read" | "write", string[]> = {
  read: readScopes,
  write: [
    "Policy.ReadWrite.AuthenticationMethod",
    "Policy.ReadWrite.Authorization",
    "Group.ReadWrite.All",
    // The ownership mark, the notes of an application (`ownershipMark.ts`); a person has no delegated OwnedBy.
    "Application.ReadWrite.All",
    ...readScopes,
  ],
};

export type CredentialStep =
  | { kind: "lab" }
  | { kind: "default" }
  | { kind: "azureCli" }
  | { kind: "interactive"; method: InteractiveMethod; clientId: string; scopes?: string[] };

export interface SignInPlan {
  api: EntraApi;
  environment: SignInEnvironment;
  /** Tried in order; the first that returns a token wins. */
  steps: CredentialStep[];
  cache: TokenCacheMode;
}

type Env = Record<string, string | undefined>;

/** Unattended: a CI system, or an app identity (OIDC federated token, secret, certificate, managed identity). */
export function detectEnvironment(env: Env): Exclude<SignInEnvironment, "lab"> {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  const ci =
    env.GITHUB_ACTIONS === "true" ||
    env.CI === "true" ||
    set("TF_BUILD") ||
    [
      "AZURE_FEDERATED_TOKEN_FILE",
      "AZURE_CLIENT_SECRET",
      "AZURE_CLIENT_CERTIFICATE_PATH",
      "IDENTITY_ENDPOINT",
      "MSI_ENDPOINT",
    ].some(set);
  return ci ? "ci" : "user";
}

/** Browser where one can open (macOS, Windows, a Linux desktop, not over SSH); device code otherwise. */
export function defaultInteractiveMethod(env: Env, platform: string): InteractiveMethod {
  if ((env.SSH_CONNECTION ?? "") !== "") return "device-code";
  if (platform === "darwin" || platform === "win32") return "browser";
  return (env.DISPLAY ?? "") !== "" || (env.WAYLAND_DISPLAY ?? "") !== "" ? "browser" : "device-code";
}

/**
 * The plan for one API, or every problem with the variables that steer it (each naming the variable, its value and
 * what is allowed). Pure: `env` and `platform` are passed in.
 */
export function planSignIn(
  api: EntraApi,
  baseUrl: string,
  env: Env,
  platform: string = process.platform,
  access?: "read" | "write",
): SignInPlan | { problems: string[] } {
  const problems: string[] = [];
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = (env[name] ?? "").trim().toLowerCase();
    if (value === "") return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name} is "${env[name]}"; allowed: ${allowed.map((a) => `"${a}"`).join(", ")}, or unset.`);
    return undefined;
  };
  const clientId = (name: string, fallback: string): string => {
    const value = (env[name] ?? "").trim();
    if (value === "") return fallback;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
      problems.push(`${name} is "${value}"; allowed: an application (client) id, a GUID.`);
    return value;
  };

  const forced = pick("ENTRA_SSPR_CREDENTIAL", ["lab", "azure", "user", "ci"] as const);
  const loopback = isLoopbackUrl(baseUrl);
  // A real sign-in never serves loopback, the lab credential never a real host.
  const misplaced = forced === undefined ? undefined : credentialSettingProblem(forced, baseUrl, api);
  if (misplaced !== undefined) problems.push(misplaced);
  // `none`: an unattended run (deploy.yml without a portal change): no person is asked, so a portal call fails at once.
  const signIn = pick("ENTRA_SSPR_SIGN_IN", ["browser", "device-code", "none"] as const);
  const explicitMethod = signIn === "none" ? undefined : signIn;
  const cache = pick("ENTRA_SSPR_TOKEN_CACHE", ["os", "file", "none"] as const) ?? "os";
  const graphClientId = clientId("ENTRA_SSPR_CLIENT_ID", graphCommandLineToolsClientId);
  const portalClientId = clientId("ENTRA_SSPR_PORTAL_CLIENT_ID", azureCliClientId);
  // A read-only run (preview, drift check, `npm run preflight -- --for read`) asks a person only for read scopes.
  const runAccess = access ?? pick("ENTRA_SSPR_ACCESS", ["read", "write"] as const) ?? "write";
  const scopeOverride = (env.ENTRA_SSPR_GRAPH_SCOPES ?? "").split(/[\s,]+/).filter((s) => s !== "");
  // A full-URL scope names its own resource: only Graph's own origin, so no token is asked for another audience.
  const graphOrigin = originOf(baseUrl);
  const foreignScopes = scopeOverride.filter(
    (scope) => /^[a-z][a-z0-9+.-]*:/i.test(scope) && originOf(scope) !== graphOrigin,
  );
  if (api === "graph" && foreignScopes.length > 0) {
    problems.push(
      `ENTRA_SSPR_GRAPH_SCOPES holds ${foreignScopes.map((scope) => `"${scope}"`).join(", ")}; allowed: permission ` +
        `names (Policy.Read.All) or full scopes at the Graph endpoint's origin (${graphOrigin ?? baseUrl}/Policy.Read.All).`,
    );
  }
  if (problems.length > 0) return { problems };

  if (forced === "lab" || (forced === undefined && loopback))
    return { api, environment: "lab", steps: [{ kind: "lab" }], cache };
  const environment: Exclude<SignInEnvironment, "lab"> =
    forced === "user" || forced === "ci" ? forced : detectEnvironment(env);
  const method: InteractiveMethod =
    explicitMethod ??
    (env.ENTRA_SSPR_DEVICE_CODE === "1" || environment === "ci"
      ? "device-code"
      : defaultInteractiveMethod(env, platform));

  if (api === "graph") {
    if (environment === "ci") return { api, environment, steps: [{ kind: "default" }], cache };
    const scopes = scopeOverride.length > 0 ? scopeOverride : delegatedGraphScopes[runAccess];
    return { api, environment, steps: [{ kind: "interactive", method, clientId: graphClientId, scopes }], cache };
  }
  if (signIn === "none" && environment !== "user") return { api, environment, steps: [], cache };
  const interactive: CredentialStep = { kind: "interactive", method, clientId: portalClientId };
  return { api, environment, steps: environment === "ci" ? [interactive] : [{ kind: "azureCli" }, interactive], cache };
}

/** `https://host[:port]` of a URL, lower case, or undefined when it is not one. */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === "null" ? undefined : parsed.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** One line per step, for messages: `Azure CLI > browser sign-in (client 04b0...)`. */
export function describePlan(plan: SignInPlan): string {
  return plan.steps
    .map((step) =>
      step.kind === "lab"
        ? "the lab credential"
        : step.kind === "default"
          ? "DefaultAzureCredential (OIDC / workload identity, service principal, managed identity)"
          : step.kind === "azureCli"
            ? "the Azure CLI (az login)"
            : `${step.method === "browser" ? "a browser" : "a device-code"} sign-in (client ${step.clientId})`,
    )
    .join(" > ");
}

// ---------------------------------------------------------------------------------------------------------------
// Remembering a person's sign-in
// ---------------------------------------------------------------------------------------------------------------

/** An interactive credential as `@azure/identity` has them: `authenticate` returns the record to keep. */
export interface InteractiveCredential extends TokenCredential {
  authenticate(scopes: string | string[], options?: GetTokenOptions): Promise<AuthenticationRecord | undefined>;
}

export interface InteractiveOptions {
  method: InteractiveMethod;
  clientId: string;
  tenantId: string;
  authenticationRecord?: AuthenticationRecord;
  /** Whether MSAL's cache is persisted (`@azure/identity-cache-persistence`), and unencrypted when `file`. */
  persist?: { unencrypted: boolean };
  /** Shows the device code; never a token. */
  prompt: (message: string) => void;
}

/** What the sign-in needs from `@azure/identity`; tests inject a fake to count prompts without a network. */
export interface IdentityKit {
  interactive(options: InteractiveOptions): InteractiveCredential;
  azureCli(tenantId: string): TokenCredential;
  defaultChain(tenantId: string): TokenCredential;
  chain(credentials: TokenCredential[]): TokenCredential;
  /**
   * Registers `@azure/identity-cache-persistence` and opens its store once (so that a missing keyring is found here,
   * not as an unhandled rejection inside a credential); returns why it cannot when the package is not installed or
   * loadable, or the store cannot be opened.
   */
  persistence(unencrypted: boolean): Promise<true | string>;
  serializeRecord(record: AuthenticationRecord): string;
  deserializeRecord(text: string): AuthenticationRecord;
}

/** The real kit: `@azure/identity` (and the persistence plugin, when it loads). */
export function azureIdentityKit(): IdentityKit {
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  return {
    interactive: (options) => {
      const common = {
        clientId: options.clientId,
        tenantId: options.tenantId,
        // The same account may deploy several tenants in one run; each getToken names its tenant.
        additionallyAllowedTenants: ["*"],
        ...(options.authenticationRecord === undefined ? {} : { authenticationRecord: options.authenticationRecord }),
        ...(options.persist === undefined
          ? {}
          : {
              tokenCachePersistenceOptions: {
                enabled: true,
                name: "entra-sspr",
                unsafeAllowUnencryptedStorage: options.persist.unencrypted,
              },
            }),
      };
      return options.method === "browser"
        ? new identity.InteractiveBrowserCredential({ ...common, redirectUri: "http://localhost" })
        : new identity.DeviceCodeCredential({ ...common, userPromptCallback: (info) => options.prompt(info.message) });
    },
    azureCli: (tenantId) => new identity.AzureCliCredential({ tenantId }),
    defaultChain: (tenantId) => new identity.DefaultAzureCredential({ tenantId }),
    chain: (credentials) => new identity.ChainedTokenCredential(...credentials),
    persistence: async (unencrypted) => {
      let plugin: { cachePersistencePlugin: (context: unknown) => void };
      try {
        plugin = require("@azure/identity-cache-persistence") as typeof plugin;
      } catch (error) {
        return (
          "@azure/identity-cache-persistence is not available (an optional dependency: its native part, keytar, " +
          `needs libsecret on Linux): ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`
        );
      }
      // The plugin hands its store factory to whoever registers it: once to try the store, once to @azure/identity.
      let open: ((options: object) => Promise<unknown>) | undefined;
      plugin.cachePersistencePlugin({
        cachePluginControl: { setPersistence: (factory: typeof open) => (open = factory) },
      });
      try {
        await open?.({ name: "entra-sspr", unsafeAllowUnencryptedStorage: unencrypted });
      } catch (error) {
        return `${error instanceof Error ? error.message.split("\n")[0] : String(error)} (set ENTRA_SSPR_TOKEN_CACHE=file to keep tokens in an unencrypted file instead)`;
      }
      identity.useIdentityPlugin(plugin.cachePersistencePlugin as Parameters<typeof identity.useIdentityPlugin>[0]);
      return true;
    },
    serializeRecord: (record) => identity.serializeAuthenticationRecord(record),
    deserializeRecord: (text) => identity.deserializeAuthenticationRecord(text),
  };
}

export interface SignInContext {
  kit: IdentityKit;
  /** Where authentication records live (`ENTRA_SSPR_AUTH_DIR`, default `~/.entra-sspr`). */
  directory: string;
  /** Shows device codes and notices: stderr, since a provider's stdout belongs to the Pulumi host. */
  say: (message: string) => void;
}

export function defaultSignInContext(env: Env = process.env): SignInContext {
  const os = require("node:os") as typeof import("node:os");
  const path = require("node:path") as typeof import("node:path");
  return {
    kit: azureIdentityKit(),
    directory: (env.ENTRA_SSPR_AUTH_DIR ?? "").trim() || path.join(os.homedir(), ".entra-sspr"),
    say: (message) => {
      process.stderr.write(`${message}\n`);
    },
  };
}

type Registry = Map<string, TokenCredential>;

function registry(): Registry {
  // On globalThis under a registered symbol: each serialized provider has its own copy of this module's code.
  const state = globalThis as { [key: symbol]: unknown };
  const key = Symbol.for("entra-sspr.sign-ins");
  state[key] ??= new Map<string, TokenCredential>();
  return state[key] as Registry;
}

/** Says a notice once per process (every credential of a run would otherwise repeat it). */
function sayOnce(context: SignInContext, message: string): void {
  const state = globalThis as { [key: symbol]: unknown };
  const key = Symbol.for("entra-sspr.notices");
  const said = (state[key] ??= new Set<string>()) as Set<string>;
  if (said.has(message)) return;
  said.add(message);
  context.say(message);
}

/** Forgets this process's shared credentials (what a new process starts with). Tests use it to model a new run. */
export function forgetSignIns(): void {
  registry().clear();
  ((globalThis as { [key: symbol]: unknown })[Symbol.for("entra-sspr.notices")] as Set<string> | undefined)?.clear();
}

/**
 * A person's sign-in, remembered: one credential per (client, method, cache) in this process, calls queued so
 * concurrent resources wait for the one prompt, the authentication record read from and written to `directory`.
 */
export function rememberedSignIn(
  step: Extract<CredentialStep, { kind: "interactive" }>,
  tenantId: string,
  cache: TokenCacheMode,
  context: SignInContext,
): TokenCredential {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const key = [step.clientId, step.method, cache, context.directory].join("|");
  const existing = registry().get(key);
  if (existing !== undefined) return existing;

  const recordFile = path.join(context.directory, `authentication-record-${step.clientId}.json`);
  let record: AuthenticationRecord | undefined;
  try {
    record = context.kit.deserializeRecord(fs.readFileSync(recordFile, "utf8"));
  } catch {
    record = undefined; // none yet, or unreadable: the first getToken signs in and writes a new one
  }
  // Built at the first getToken, once the store is known to open: a credential built with a store that cannot open
  // (a Linux server without a keyring) would fail later, outside any caller's reach.
  let credential: InteractiveCredential | undefined;
  const ready = async (): Promise<InteractiveCredential> => {
    if (credential !== undefined) return credential;
    let persist: InteractiveOptions["persist"];
    if (cache !== "none") {
      const usable = await context.kit.persistence(cache === "file");
      if (usable === true) persist = { unencrypted: cache === "file" };
      else sayOnce(context, `entra-sspr: tokens are kept for this run only: ${usable}`);
    }
    credential = context.kit.interactive({
      method: step.method,
      clientId: step.clientId,
      tenantId,
      authenticationRecord: record,
      persist,
      prompt: context.say,
    });
    return credential;
  };

  let queue: Promise<unknown> = Promise.resolve();
  const getTokenInOrder = async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> => {
    const wanted = step.scopes === undefined ? scopes : graphScopes(scopes, step.scopes);
    const tokenOptions: GetTokenOptions = { ...options, tenantId: options?.tenantId ?? tenantId };
    const signIn = await ready();
    if (record === undefined) {
      // The one interactive sign-in: its record lets every later credential (this run or the next) go silent.
      record = await signIn.authenticate(wanted, tokenOptions);
      if (record !== undefined) writePrivateFile(context.directory, recordFile, context.kit.serializeRecord(record));
    }
    return signIn.getToken(wanted, tokenOptions);
  };
  const shared: TokenCredential = {
    getToken: (scopes, options) => {
      const next = queue.then(() => getTokenInOrder(scopes, options));
      queue = next.catch(() => undefined);
      return next;
    },
  };
  registry().set(key, shared);
  return shared;
}

/**
 * Writes a file only this user may read, in a folder only this user may open: the folder is made 0700 (also when it
 * was there with a looser mode, e.g. 777), and the file is opened with O_NOFOLLOW, so a symbolic link put in its
 * place is refused rather than written through. A folder that is itself a link is refused too.
 */
export function writePrivateFile(directory: string, file: string, text: string): void {
  const fs = require("node:fs") as typeof import("node:fs");
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const folder = fs.lstatSync(directory);
  if (folder.isSymbolicLink()) {
    throw new Error(`entra-sspr: ${directory} is a symbolic link; the sign-in record is written only to a real folder`);
  }
  if (process.platform !== "win32" && (folder.mode & 0o077) !== 0) fs.chmodSync(directory, 0o700);
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0);
  let handle: number;
  try {
    handle = fs.openSync(file, flags, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      throw new Error(`entra-sspr: ${file} is a symbolic link; the sign-in record is never written through one`);
    }
    throw error;
  }
  try {
    fs.writeFileSync(handle, text);
  } finally {
    fs.closeSync(handle);
  }
  if (process.platform !== "win32") fs.chmodSync(file, 0o600);
}

/** `https://graph.microsoft.com/.default` -> the explicit delegated scopes at the same origin. */
export function graphScopes(requested: string | string[], names: readonly string[]): string[] {
  const first = Array.isArray(requested) ? requested[0] : requested;
  const origin = /^https?:\/\/[^/]+/i.exec(first ?? "")?.[0] ?? "https://graph.microsoft.com";
  return names.map((name) => (/^https?:\/\//i.test(name) ? name : `${origin}/${name}`));
}

/** The credential a plan describes (lab plans are served by the lab credential, not here). */
export function credentialForPlan(plan: SignInPlan, tenantId: string, context: SignInContext): TokenCredential {
  const credentials = plan.steps.flatMap((step): TokenCredential[] => {
    if (step.kind === "default") return [context.kit.defaultChain(tenantId)];
    if (step.kind === "azureCli") return [context.kit.azureCli(tenantId)];
    if (step.kind === "interactive") return [rememberedSignIn(step, tenantId, plan.cache, context)];
    return [];
  });
  return credentials.length === 1 ? credentials[0] : context.kit.chain(credentials);
}
