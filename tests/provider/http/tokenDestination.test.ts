/**
 * A token goes only to known hosts, whatever the config or a caller says. An outside host cannot be reached from
 * this machine, so a local HTTP proxy stands in for it: the client proxies every non-loopback host through
 * `HTTPS_PROXY` (like every Azure SDK), so any request that left for such a host would arrive here as a CONNECT.
 * The positive control proves that: a request to a known host does arrive.
 */
import * as dns from "node:dns";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { createEntraClient } from "../../../provider/http/client";
import type { EntraTarget } from "../../../provider/http/httpTypes";
import { createTokenSource } from "../../../provider/http/credentials";
import { isEntraError } from "../../../provider/http/errors";
import { passwordResetPolicyProvider } from "../../../provider/objects/passwordResetPolicy";
import { authenticationMethodConfigurationProvider } from "../../../provider/objects/authenticationMethodConfiguration";

const tenantId = "11111111-2222-3333-4444-555555555555";
const attacker = { graph: "https://graph.attacker.example", portal: "https://portal.attacker.example/api" };
const microsoft = { graph: "https://graph.microsoft.com", portal: "https://main.iam.ad.ext.azure.com/api" };

/** A credential that records every call and hands out a recognisable fake token. */
function recordingCredential(): TokenCredential & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getToken: async (scopes: string | string[]): Promise<AccessToken> => {
      calls.push(String(scopes));
      return { token: "fake-token-for-the-test", expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

let proxy: http.Server;
const arrived: string[] = [];
const savedEnv: Record<string, string | undefined> = {};
const proxyEnv = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];

beforeAll(async () => {
  proxy = http.createServer((request, response) => {
    arrived.push(`${request.method} ${request.url}`);
    response.destroy();
  });
  proxy.on("connect", (request: http.IncomingMessage, socket: import("node:stream").Duplex) => {
    arrived.push(`CONNECT ${request.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  for (const name of proxyEnv) savedEnv[name] = process.env[name];
  for (const name of proxyEnv) delete process.env[name];
  process.env.HTTPS_PROXY = url;
  process.env.HTTP_PROXY = url;
});

afterAll(async () => {
  for (const name of proxyEnv) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

beforeEach(() => {
  arrived.length = 0;
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

const get = {
  api: "graph",
  method: "GET",
  path: "/v1.0/policies/authorizationPolicy",
  permission: "Policy.Read.All",
} as const;

describe("the HTTP layer sends a token only to known hosts", () => {
  it("positive control: a request to a known host does reach the stand-in (so silence below means nothing left)", async () => {
    const credential = recordingCredential();
    const client = createEntraClient({ tenantId, endpoints: microsoft }, { credential, retry: { maxAttempts: 1 } });
    await rejection(client.send(get));
    expect(credential.calls).toEqual(["https://graph.microsoft.com/.default"]);
    expect(arrived).toEqual(["CONNECT graph.microsoft.com:443"]);
  });

  it("a client is never built for a crafted endpoint: no token is asked for, nothing leaves", () => {
    const credential = recordingCredential();
    let thrown: unknown;
    try {
      createEntraClient({ tenantId, endpoints: attacker }, { credential });
    } catch (e) {
      thrown = e;
    }
    expect(isEntraError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(
      'endpoints.graph is "https://graph.attacker.example"; expected https on a known Microsoft Graph host (graph.microsoft.com',
    );
    expect((thrown as Error).message).toContain('endpoints.portal is "https://portal.attacker.example/api"');
    expect(credential.calls).toEqual([]);
    expect(arrived).toEqual([]);
  });

  it("a target changed after the client was built is refused at send, before any token", async () => {
    const credential = recordingCredential();
    const target: EntraTarget = { tenantId, endpoints: { ...microsoft } };
    const client = createEntraClient(target, { credential, retry: { maxAttempts: 1 } });
    target.endpoints.graph = attacker.graph;
    const error = await rejection(client.send(get));
    expect(isEntraError(error)).toBe(true);
    expect(error.message).toBe(
      "No token is sent to https://graph.attacker.example/v1.0/policies/authorizationPolicy: expected https on a " +
        "known Microsoft Graph host (graph.microsoft.com, graph.microsoft.us, dod-graph.microsoft.us, " +
        "microsoftgraph.chinacloudapi.cn) or a loopback host (127.0.0.1, localhost, [::1]) for the lab emulator.",
    );
    expect(error.message).not.toContain("fake-token");
    expect(credential.calls).toEqual([]);
    expect(arrived).toEqual([]);
  });

  it("the token source itself refuses to ask a credential for a token meant for an unknown host", async () => {
    for (const api of ["graph", "portal"] as const) {
      const credential = recordingCredential();
      const tokens = createTokenSource({ tenantId, endpoints: attacker }, credential);
      const error = await rejection(tokens.getToken(api));
      expect(error.message).toMatch(
        /^No token is requested for (Microsoft Graph|the portal API) at https:\/\/\S+attacker/,
      );
      expect(credential.calls).toEqual([]);
    }
  });

  it("plain http to a known host is refused too (the token would travel in clear)", async () => {
    const credential = recordingCredential();
    const target: EntraTarget = { tenantId, endpoints: { ...microsoft } };
    const client = createEntraClient(target, { credential, retry: { maxAttempts: 1 } });
    target.endpoints.graph = "http://graph.microsoft.com";
    await rejection(client.send(get));
    expect(credential.calls).toEqual([]);
    expect(arrived).toEqual([]);
  });
});

describe("a provider called directly with crafted inputs refuses", () => {
  const crafted = {
    tenantId,
    endpoints: attacker,
    onDelete: "restore",
    enablement: "all",
    methodsRequired: 1,
    registration: { requireOnSignIn: true, reconfirmDays: 180 },
    notifications: { users: true, admins: true },
  };

  it("check names both endpoints, the value and the allowed hosts", async () => {
    const result = await passwordResetPolicyProvider.check!({}, crafted);
    const failures = (result.failures ?? []).map((failure) => failure.property);
    expect(failures).toEqual(["endpoints.graph", "endpoints.portal"]);
    expect(result.failures?.[1].reason).toBe(
      'endpoints.portal is "https://portal.attacker.example/api"; expected https on a known portal API host ' +
        "(main.iam.ad.ext.azure.com) or a loopback host (127.0.0.1, localhost, [::1]) for the lab emulator",
    );
  });

  it("create, read, update and delete without check send nothing anywhere", async () => {
    const method = { ...crafted, methodId: "Email", state: "enabled", enablement: undefined };
    const calls = [
      passwordResetPolicyProvider.create(crafted),
      passwordResetPolicyProvider.read!("id", crafted),
      passwordResetPolicyProvider.update!("id", crafted, crafted),
      passwordResetPolicyProvider.delete!("id", { ...crafted, snapshot: { enablementType: 0 } }),
      authenticationMethodConfigurationProvider.create(method),
    ];
    for (const call of calls) {
      const error = await rejection(call);
      expect(error.message).toContain("endpoints.graph");
    }
    expect(arrived).toEqual([]);
  });
});

/**
 * A real sign-in's token never goes to loopback, whatever ENTRA_SSPR_CREDENTIAL says: with an Azure CLI on PATH (a
 * fake one that records each call and prints a token) and a plain http listener standing in for whatever might
 * listen on the lab's port, no sign-in is asked for a token and nothing arrives. The positive control shows the fake
 * CLI is the one a real host's portal token comes from. The sign-in runs in a child process: `@azure/identity` starts
 * `az` through Node's own `process.env`, which a jest test's environment does not reach.
 */
describe("a real sign-in's token never goes to loopback (a fake az on PATH)", () => {
  let directory: string;
  let azCalls: string;
  let listener: http.Server;
  let listenerUrl: string;
  const received: string[] = [];

  const delegatedToken = (): string => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${encode({ alg: "none" })}.${encode({ scp: "user_impersonation", tid: tenantId })}.fake-az-signature`;
  };

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "fake-az-"));
    azCalls = path.join(directory, "az-calls.txt");
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    const answer = JSON.stringify({ accessToken: delegatedToken(), expires_on: expiresOn, tokenType: "Bearer" });
    fs.writeFileSync(path.join(directory, "az"), `#!/bin/sh\necho "$*" >> '${azCalls}'\necho '${answer}'\n`, {
      mode: 0o755,
    });
    listener = http.createServer((request, response) => {
      received.push(`${request.method} ${request.url} ${request.headers.authorization ?? "(no token)"}`);
      response.end("{}");
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    fs.rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(() => {
    received.length = 0;
    fs.rmSync(azCalls, { force: true });
  });

  /** Sends each request through a fresh client in a child process with `env`; its error messages, in order. */
  async function sendFromChild(
    env: Record<string, string>,
    endpoints: { graph: string; portal: string },
    requests: readonly object[],
  ): Promise<string[]> {
    const script = path.join(directory, "send.ts");
    fs.writeFileSync(
      script,
      `import { createEntraClient } from ${JSON.stringify(path.resolve(__dirname, "../../../provider/http/client"))};
const client = createEntraClient({ tenantId: ${JSON.stringify(tenantId)}, endpoints: ${JSON.stringify(endpoints)} }, { retry: { maxAttempts: 1 } });
(async () => {
  const messages: string[] = [];
  for (const request of ${JSON.stringify(requests)}) {
    try { await client.send(request); messages.push("sent"); } catch (e) { messages.push((e as Error).message); }
  }
  process.stdout.write(JSON.stringify(messages));
})();
`,
    );
    const { execFile } = await import("node:child_process");
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["-r", "sucrase/register/ts", script],
        {
          cwd: path.resolve(__dirname, "../../.."),
          env: {
            PATH: `${directory}${path.delimiter}${process.env.PATH ?? ""}`,
            HOME: directory,
            HTTPS_PROXY: process.env.HTTPS_PROXY ?? "",
            ENTRA_SSPR_AUTH_DIR: path.join(directory, "auth"),
            ENTRA_SSPR_TOKEN_CACHE: "none",
            ENTRA_SSPR_SIGN_IN: "device-code",
            ...env,
          },
          timeout: 60_000,
        },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    return JSON.parse(stdout) as string[];
  }

  const portalGet = {
    api: "portal",
    method: "GET",
    path: "/PasswordReset/PasswordResetPolicies",
    permission: "Authentication Policy Administrator",
  } as const;

  it.each(["user", "azure", "ci"])(
    "ENTRA_SSPR_CREDENTIAL=%s with loopback endpoints: refused before any token, naming the setting",
    async (value) => {
      const endpoints = { graph: listenerUrl, portal: `${listenerUrl}/api` };
      // A full-URL Graph scope would otherwise ask for a real Graph token at a loopback Graph endpoint.
      const messages = await sendFromChild(
        { ENTRA_SSPR_CREDENTIAL: value, ENTRA_SSPR_GRAPH_SCOPES: "https://graph.microsoft.com/Policy.Read.All" },
        endpoints,
        [get, portalGet],
      );
      const expected = [
        [endpoints.graph, "expected https on a known Microsoft Graph host (graph.microsoft.com"],
        [endpoints.portal, "expected https on a known portal API host (main.iam.ad.ext.azure.com)"],
      ];
      expected.forEach(([endpoint, allowed], index) => {
        expect(messages[index]).toContain(`ENTRA_SSPR_CREDENTIAL is "${value}" (a real sign-in)`);
        expect(messages[index]).toContain(`endpoint is ${endpoint};`);
        expect(messages[index]).toContain(allowed);
        expect(messages[index]).not.toContain("fake-az-signature");
      });
      expect(received).toEqual([]);
      expect(fs.existsSync(azCalls)).toBe(false);
    },
  );

  it("positive control: for Microsoft's portal host the fake az is asked, and the request leaves for that host", async () => {
    const [message] = await sendFromChild({ ENTRA_SSPR_CREDENTIAL: "user" }, microsoft, [portalGet]);
    expect(message).not.toContain("fake-az-signature");
    expect(fs.readFileSync(azCalls, "utf8")).toContain(
      "account get-access-token --output json --resource 74658136-14ec-4630-ad9b-26e160ff0fc6",
    );
    expect(arrived).toEqual(["CONNECT main.iam.ad.ext.azure.com:443"]);
    expect(received).toEqual([]);
  });

  it("a full-URL Graph scope for another origin is refused before any sign-in", async () => {
    const [message] = await sendFromChild(
      { ENTRA_SSPR_CREDENTIAL: "user", ENTRA_SSPR_GRAPH_SCOPES: `Policy.Read.All ${listenerUrl}/Policy.Read.All` },
      microsoft,
      [get],
    );
    expect(message).toContain(
      `ENTRA_SSPR_GRAPH_SCOPES holds "${listenerUrl}/Policy.Read.All"; allowed: permission names (Policy.Read.All) ` +
        "or full scopes at the Graph endpoint's origin (https://graph.microsoft.com/Policy.Read.All).",
    );
    expect(arrived).toEqual([]);
    expect(received).toEqual([]);
    expect(fs.existsSync(azCalls)).toBe(false);
  });

  it("unset, loopback endpoints get the lab credential (as before); a *.localhost name must resolve to loopback", async () => {
    const saved = process.env.ENTRA_SSPR_CREDENTIAL;
    delete process.env.ENTRA_SSPR_CREDENTIAL;
    try {
      const lab = createEntraClient(
        { tenantId, endpoints: { graph: listenerUrl, portal: `${listenerUrl}/api` } },
        { retry: { maxAttempts: 1 } },
      );
      expect((await lab.send(get)).status).toBe(200);
      expect(received).toHaveLength(1);
      received.length = 0;

      const lookup = jest
        .spyOn(dns.promises, "lookup")
        .mockResolvedValue([{ address: "10.0.0.5", family: 4 }] as never);
      try {
        const port = new URL(listenerUrl).port;
        const named = { graph: `http://lab.localhost:${port}`, portal: `http://lab.localhost:${port}/api` };
        const client = createEntraClient({ tenantId, endpoints: named }, { retry: { maxAttempts: 1 } });
        const error = await rejection(client.send(get));
        expect(error.message).toContain("lab.localhost resolves to 10.0.0.5, not only loopback, so it is not trusted");
        expect(lookup).toHaveBeenCalledWith("lab.localhost", { all: true });
      } finally {
        lookup.mockRestore();
      }
      expect(received).toEqual([]);
    } finally {
      if (saved !== undefined) process.env.ENTRA_SSPR_CREDENTIAL = saved;
    }
  });
});
