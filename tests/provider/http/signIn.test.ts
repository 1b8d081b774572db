/**
 * Sign-in choices per API and environment (lab, user, CI), and a person's sign-in remembered across resources,
 * tenants and runs. Nothing here touches the network: the choices are pure, and the remembering is driven through
 * an injected identity kit that behaves like MSAL (an interactive prompt, an in-memory cache per credential, and a
 * persistent cache shared between "processes").
 */
import type { AccessToken, AuthenticationRecord, GetTokenOptions } from "@azure/identity";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { azureCredential, createTokenSource } from "../../../provider/http/credentials";
import {
  azureCliClientId,
  azureIdentityKit,
  credentialForPlan,
  defaultInteractiveMethod,
  delegatedGraphScopes,
  detectEnvironment,
  forgetSignIns,
  graphCommandLineToolsClientId,
  planSignIn,
  writePrivateFile,
  type IdentityKit,
  type InteractiveOptions,
  type SignInContext,
  type SignInPlan,
} from "../../../provider/http/signIn";

const graph = "https://graph.microsoft.com";
const portal = "https://main.iam.ad.ext.azure.com/api";
const lab = "http://127.0.0.1:8640";
const tenantA = "11111111-1111-4111-8111-111111111111";
const tenantB = "22222222-2222-4222-8222-222222222222";

const plan = (api: "graph" | "portal", baseUrl: string, env: Record<string, string>, platform = "linux") =>
  planSignIn(api, baseUrl, env, platform) as SignInPlan;

describe("planSignIn: which sign-in serves which API where", () => {
  it.each([
    ["lab, Graph", "graph", lab, {}, [{ kind: "lab" }]],
    ["lab, portal, even in CI", "portal", `${lab}/api`, { GITHUB_ACTIONS: "true" }, [{ kind: "lab" }]],
    ["CI, Graph: OIDC through the default chain", "graph", graph, { GITHUB_ACTIONS: "true" }, [{ kind: "default" }]],
    [
      "CI, portal: a person's device code, not az (it holds the app's identity after azure/login)",
      "portal",
      portal,
      { GITHUB_ACTIONS: "true" },
      [{ kind: "interactive", method: "device-code", clientId: azureCliClientId }],
    ],
    [
      "user, Graph: Graph Command Line Tools with the write scopes, not az (it lacks the policy scopes)",
      "graph",
      graph,
      { DISPLAY: ":0" },
      [
        {
          kind: "interactive",
          method: "browser",
          clientId: graphCommandLineToolsClientId,
          scopes: delegatedGraphScopes.write,
        },
      ],
    ],
    [
      "user, portal: the Azure CLI, then the same kind of sign-in",
      "portal",
      portal,
      { DISPLAY: ":0" },
      [{ kind: "azureCli" }, { kind: "interactive", method: "browser", clientId: azureCliClientId }],
    ],
  ] as const)("%s", (_name, api, baseUrl, env, steps) => {
    expect(plan(api, baseUrl, { ...env }).steps).toEqual(steps);
  });

  it("tells CI and app identities from a person's machine", () => {
    expect(detectEnvironment({})).toBe("user");
    for (const env of [
      { GITHUB_ACTIONS: "true" },
      { CI: "true" },
      { TF_BUILD: "True" },
      { AZURE_FEDERATED_TOKEN_FILE: "/var/run/token" },
      { AZURE_CLIENT_SECRET: "x" },
      { IDENTITY_ENDPOINT: "http://169.254.169.254" },
    ])
      expect(detectEnvironment(env)).toBe("ci");
  });

  it("opens a browser where one can, a device code elsewhere, and follows ENTRA_SSPR_SIGN_IN / ENTRA_SSPR_DEVICE_CODE", () => {
    expect(defaultInteractiveMethod({}, "darwin")).toBe("browser");
    expect(defaultInteractiveMethod({}, "win32")).toBe("browser");
    expect(defaultInteractiveMethod({}, "linux")).toBe("device-code");
    expect(defaultInteractiveMethod({ WAYLAND_DISPLAY: "wayland-0" }, "linux")).toBe("browser");
    expect(defaultInteractiveMethod({ SSH_CONNECTION: "1 2 3 4" }, "darwin")).toBe("device-code");
    expect(plan("graph", graph, { ENTRA_SSPR_SIGN_IN: "device-code" }, "darwin").steps[0]).toMatchObject({
      method: "device-code",
    });
    expect(plan("graph", graph, { ENTRA_SSPR_DEVICE_CODE: "1" }, "darwin").steps[0]).toMatchObject({
      method: "device-code",
    });
  });

  it("ENTRA_SSPR_SIGN_IN=none (an unattended deploy): Graph keeps its OIDC identity, the portal asks no one", () => {
    const ci = { GITHUB_ACTIONS: "true", ENTRA_SSPR_SIGN_IN: "none" };
    expect(plan("graph", graph, ci).steps).toEqual([{ kind: "default" }]);
    expect(plan("portal", portal, ci).steps).toEqual([]);
    const saved = { ...process.env };
    Object.assign(process.env, ci);
    try {
      expect(() => azureCredential("portal", "munyakazi.org")).toThrow(
        /ENTRA_SSPR_SIGN_IN is "none": this run signs no person in, so the portal API/,
      );
    } finally {
      for (const key of Object.keys(ci)) if (saved[key] === undefined) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it("uses the organization's own app and scopes when given, and read scopes for a read-only run", () => {
    // The write set holds the read set: one consent and one cached token serve every command.
    expect(delegatedGraphScopes.write).toEqual(expect.arrayContaining(delegatedGraphScopes.read));
    expect(delegatedGraphScopes.read.some((scope) => /ReadWrite/.test(scope))).toBe(false);
    const own = "33333333-3333-4333-8333-333333333333";
    const withOwn = plan("graph", graph, { ENTRA_SSPR_CLIENT_ID: own, ENTRA_SSPR_PORTAL_CLIENT_ID: own });
    expect(withOwn.steps[0]).toMatchObject({ clientId: own });
    expect(plan("portal", portal, { ENTRA_SSPR_PORTAL_CLIENT_ID: own }).steps[1]).toMatchObject({ clientId: own });
    const readOnly = planSignIn("graph", graph, {}, "linux", "read") as SignInPlan;
    expect(readOnly.steps[0]).toMatchObject({
      scopes: delegatedGraphScopes.read,
    });
    expect(plan("graph", graph, { ENTRA_SSPR_GRAPH_SCOPES: "Policy.Read.All, User.Read.All" }).steps[0]).toMatchObject({
      scopes: ["Policy.Read.All", "User.Read.All"],
    });
  });

  it("reports every bad variable at once, and never serves a real host with the lab credential", () => {
    const result = planSignIn(
      "graph",
      graph,
      {
        ENTRA_SSPR_CREDENTIAL: "lab",
        ENTRA_SSPR_SIGN_IN: "popup",
        ENTRA_SSPR_TOKEN_CACHE: "disk",
        ENTRA_SSPR_CLIENT_ID: "my-app",
      },
      "linux",
    );
    expect(result).toEqual({
      problems: [
        expect.stringContaining(
          'ENTRA_SSPR_CREDENTIAL is "lab" but https://graph.microsoft.com is not a loopback host',
        ),
        'ENTRA_SSPR_SIGN_IN is "popup"; allowed: "browser", "device-code", "none", or unset.',
        'ENTRA_SSPR_TOKEN_CACHE is "disk"; allowed: "os", "file", "none", or unset.',
        'ENTRA_SSPR_CLIENT_ID is "my-app"; allowed: an application (client) id, a GUID.',
      ],
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Remembering: a fake MSAL behind the kit
// ---------------------------------------------------------------------------------------------------------------

/** What an MSAL-like credential shares: the persistent cache ("disk") outlives processes; prompts are counted. */
interface FakeWorld {
  disk: Map<string, string>;
  prompts: string[];
  persistence: true | string;
  constructed: InteractiveOptions[];
}

function fakeKit(world: FakeWorld): IdentityKit {
  return {
    interactive: (options) => {
      world.constructed.push(options);
      const memory = new Map<string, string>();
      let record = options.authenticationRecord;
      const cacheKey = (clientId: string, account: string) => `${clientId}|${account}`;
      const cached = (): string | undefined => {
        if (record === undefined) return undefined;
        const key = cacheKey(options.clientId, record.homeAccountId);
        return memory.get(key) ?? (options.persist ? world.disk.get(key) : undefined);
      };
      const signIn = (tenantId: string): AuthenticationRecord => {
        world.prompts.push(`${options.method} ${options.clientId} ${tenantId}`);
        options.prompt(
          "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234",
        );
        record = {
          authority: "login.microsoftonline.com",
          homeAccountId: "admin-oid.home-tid",
          clientId: options.clientId,
          tenantId,
          username: "admin@contoso.example",
        };
        const key = cacheKey(options.clientId, record.homeAccountId);
        memory.set(key, "refresh-token");
        if (options.persist) world.disk.set(key, "refresh-token");
        return record;
      };
      const token = (scopes: string | string[], tenantId: string): AccessToken => ({
        token: `access-token-for-${[scopes].flat().join("+")}-${tenantId}-xxxxxxxx`,
        expiresOnTimestamp: Date.now() + 3600_000,
      });
      return {
        authenticate: async (_scopes: string | string[], tokenOptions?: GetTokenOptions) =>
          signIn(tokenOptions?.tenantId ?? options.tenantId),
        getToken: async (scopes: string | string[], tokenOptions?: GetTokenOptions) => {
          const tenantId = tokenOptions?.tenantId ?? options.tenantId;
          // Like MSAL: silent when the account's refresh token is cached (any tenant of the account), else a prompt.
          if (cached() === undefined) signIn(tenantId);
          return token(scopes, tenantId);
        },
      };
    },
    azureCli: () => ({ getToken: async () => null }),
    defaultChain: () => ({ getToken: async () => null }),
    chain: (credentials) => credentials[0],
    persistence: async () => world.persistence,
    serializeRecord: (record) => JSON.stringify(record),
    deserializeRecord: (text) => JSON.parse(text) as AuthenticationRecord,
  };
}

describe("a person's sign-in, remembered", () => {
  let directory: string;
  const said: string[] = [];
  const context = (world: FakeWorld): SignInContext => ({ kit: fakeKit(world), directory, say: (m) => said.push(m) });
  const userGraph = plan("graph", graph, { ENTRA_SSPR_SIGN_IN: "device-code" });
  const world = (persistence: true | string = true): FakeWorld => ({
    disk: new Map(),
    prompts: [],
    persistence,
    constructed: [],
  });

  /** One run: a new process (nothing shared in memory), then every resource with its own token source, as the providers do. */
  async function run(w: FakeWorld, tenants: string[], resources = 4): Promise<string[]> {
    forgetSignIns();
    const tokens = await Promise.all(
      tenants.flatMap((tenantId) =>
        Array.from({ length: resources }, () => {
          const credential = credentialForPlan(userGraph, tenantId, context(w));
          return createTokenSource({ tenantId, endpoints: { graph, portal } }, credential).getToken("graph");
        }),
      ),
    );
    return tokens;
  }

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-signin-"));
    said.length = 0;
  });
  afterEach(() => {
    forgetSignIns();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("signs in once for every resource and tenant of a run, and not at all on the next run", async () => {
    const w = world();
    const first = await run(w, [tenantA, tenantB]);
    expect(w.prompts).toEqual([`device-code ${graphCommandLineToolsClientId} ${tenantA}`]);
    expect(first).toHaveLength(8);
    // The explicit delegated scopes were asked for, at Graph's origin.
    expect(first[0]).toContain("https://graph.microsoft.com/Policy.ReadWrite.AuthenticationMethod");
    expect(first.filter((t) => t.includes(tenantB))).toHaveLength(4);
    // The record holds who signed in, never a token.
    const recordFile = path.join(directory, `authentication-record-${graphCommandLineToolsClientId}.json`);
    const recordText = fs.readFileSync(recordFile, "utf8");
    expect(JSON.parse(recordText)).toMatchObject({
      username: "admin@contoso.example",
      homeAccountId: "admin-oid.home-tid",
    });
    expect(recordText).not.toContain("token");
    if (process.platform !== "win32") expect(fs.statSync(recordFile).mode & 0o777).toBe(0o600);

    const second = await run(w, [tenantA, tenantB]);
    expect(w.prompts).toHaveLength(1); // still the first run's only prompt
    expect(second).toHaveLength(8);
    // The second run's credential was built from the saved record, with the persistent cache on (encrypted).
    expect(w.constructed.at(-1)).toMatchObject({
      clientId: graphCommandLineToolsClientId,
      authenticationRecord: { username: "admin@contoso.example" },
      persist: { unencrypted: false },
    });
    expect(said.filter((m) => m.includes("devicelogin"))).toHaveLength(1);
  });

  it("ENTRA_SSPR_TOKEN_CACHE=file keeps the cache unencrypted (CI runners without a keyring); none keeps it in memory", async () => {
    const w = world();
    forgetSignIns();
    for (const cache of ["file", "none"]) {
      const credential = credentialForPlan(
        plan("graph", graph, { ENTRA_SSPR_TOKEN_CACHE: cache }),
        tenantA,
        context(w),
      );
      await credential.getToken(`${graph}/.default`);
    }
    expect(w.constructed.map((options) => options.persist)).toEqual([{ unencrypted: true }, undefined]);
  });

  it("without the persistence package: one sign-in per run (the record alone cannot replace the cache), said once a run", async () => {
    const w = world("@azure/identity-cache-persistence is not available");
    await run(w, [tenantA]);
    await run(w, [tenantA]);
    expect(w.prompts).toHaveLength(2);
    expect(said.filter((m) => m.includes("tokens are kept for this run only"))).toHaveLength(2); // once per run
  });
});

describe("writePrivateFile: the sign-in record's folder and file", () => {
  const posix = process.platform === "win32" ? it.skip : it;
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-private-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  posix("tightens a folder left with a loose mode (777) to 0700, and writes the file 0600", () => {
    const folder = path.join(root, ".entra-sspr");
    fs.mkdirSync(folder, { mode: 0o777 });
    fs.chmodSync(folder, 0o777);
    writePrivateFile(folder, path.join(folder, "record.json"), "{}");
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(folder, "record.json")).mode & 0o777).toBe(0o600);
  });

  posix("never writes through a symbolic link put where the record goes; the link's target is untouched", () => {
    const folder = path.join(root, ".entra-sspr");
    fs.mkdirSync(folder, { mode: 0o700 });
    const target = path.join(root, "elsewhere.txt");
    fs.writeFileSync(target, "keep me");
    fs.symlinkSync(target, path.join(folder, "record.json"));
    expect(() => writePrivateFile(folder, path.join(folder, "record.json"), "{}")).toThrow(
      /record.json is a symbolic link; the sign-in record is never written through one/,
    );
    expect(fs.readFileSync(target, "utf8")).toBe("keep me");
  });
});

describe("a person's sign-in without an OS keyring", () => {
  it("keeps tokens in this run's memory, says why, and still signs in once; nothing is built before the store is known", async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-signin-"));
    const said: string[] = [];
    // What the real kit answers when the plugin loads but the keyring cannot be opened.
    const w: FakeWorld = {
      disk: new Map(),
      prompts: [],
      persistence: "Unable to read from the system keyring (libsecret). (set ENTRA_SSPR_TOKEN_CACHE=file ...)",
      constructed: [],
    };
    try {
      forgetSignIns();
      const credential = credentialForPlan(plan("graph", graph, {}), tenantA, {
        kit: fakeKit(w),
        directory,
        say: (m) => said.push(m),
      });
      expect(w.constructed).toEqual([]);
      await Promise.all([credential.getToken(`${graph}/.default`), credential.getToken(`${graph}/.default`)]);
      expect(w.prompts).toHaveLength(1);
      expect(w.constructed.map((options) => options.persist)).toEqual([undefined]);
      expect(said[0]).toContain("tokens are kept for this run only: Unable to read from the system keyring");
    } finally {
      forgetSignIns();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("the real @azure/identity kit", () => {
  let fileStore: true | string = "not tried";
  let osStore: true | string = "not tried";
  let home: string;
  const savedHome = process.env.HOME;
  beforeAll(async () => {
    // The plugin picks its folder (~/.IdentityService) when it loads: a temporary home keeps the tests out of yours.
    home = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-home-"));
    process.env.HOME = home;
    fileStore = await azureIdentityKit().persistence(true);
    osStore = await azureIdentityKit().persistence(false);
  });
  afterAll(() => {
    process.env.HOME = savedHome;
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("opens the persistent store when the plugin is installed, or says why not, without throwing", () => {
    let installed = true;
    try {
      require("@azure/identity-cache-persistence");
    } catch {
      installed = false;
    }
    if (installed) expect(fileStore).toBe(true);
    else expect(fileStore).toEqual(expect.stringContaining("@azure/identity-cache-persistence is not available"));
    // The OS store depends on the machine (Keychain, DPAPI, a Linux keyring over D-Bus): open, or a reason to act on.
    if (osStore !== true) expect(osStore).toMatch(/not available|ENTRA_SSPR_TOKEN_CACHE=file/);
  });

  it("the persistence plugin keeps MSAL's cache between two runs (unencrypted file where no keyring is reachable)", async () => {
    if (fileStore !== true) {
      // The optional package did not install here (its native keytar part needs libsecret); nothing to exercise.
      expect(fileStore).toContain("not available");
      return;
    }
    {
      type CachePlugin = {
        afterCacheAccess(context: unknown): Promise<void>;
        beforeCacheAccess(context: unknown): Promise<void>;
      };
      let provider: ((options: object) => Promise<CachePlugin>) | undefined;
      jest.isolateModules(() => {
        const { cachePersistencePlugin } = require("@azure/identity-cache-persistence") as {
          cachePersistencePlugin: (context: unknown) => void;
        };
        cachePersistencePlugin({ cachePluginControl: { setPersistence: (p: typeof provider) => (provider = p) } });
      });
      const options = { name: "entra-sspr-test", unsafeAllowUnencryptedStorage: true };
      const first = await provider!(options);
      await first.afterCacheAccess({
        cacheHasChanged: true,
        tokenCache: { serialize: () => '{"RefreshToken":{"k":1}}' },
      });
      let read: string | undefined;
      const second = await provider!(options); // a later run: a new plugin instance on the same store
      await second.beforeCacheAccess({ tokenCache: { deserialize: (text: string) => (read = text) } });
      expect(read).toBe('{"RefreshToken":{"k":1}}');
      expect(fs.existsSync(path.join(home, ".IdentityService", "entra-sspr-test"))).toBe(true);
    }
  });

  it("builds the credentials the plans name, without a network call", () => {
    const identity = require("@azure/identity") as typeof import("@azure/identity");
    const kit = azureIdentityKit();
    const prompt = () => undefined;
    const common = { clientId: graphCommandLineToolsClientId, tenantId: tenantA, prompt };
    expect(kit.interactive({ ...common, method: "device-code" })).toBeInstanceOf(identity.DeviceCodeCredential);
    expect(kit.interactive({ ...common, method: "browser" })).toBeInstanceOf(identity.InteractiveBrowserCredential);
    if (fileStore === true) {
      expect(kit.interactive({ ...common, method: "device-code", persist: { unencrypted: true } })).toBeInstanceOf(
        identity.DeviceCodeCredential,
      );
    }
    const record: AuthenticationRecord = {
      authority: "login.microsoftonline.com",
      homeAccountId: "a.b",
      clientId: graphCommandLineToolsClientId,
      tenantId: tenantA,
      username: "admin@contoso.example",
    };
    expect(kit.deserializeRecord(kit.serializeRecord(record))).toEqual(record);
  });
});
