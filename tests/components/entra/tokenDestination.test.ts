/**
 * A token goes only to known hosts, whatever the config or a caller says. An outside host cannot be reached from
 * this machine, so a local HTTP proxy stands in for it: the client proxies every non-loopback host through
 * `HTTPS_PROXY` (like every Azure SDK), so any request that left for such a host would arrive here as a CONNECT.
 * The positive control proves that: a request to a known host does arrive.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { createEntraClient } from "../../../components/entra/client";
import type { EntraTarget } from "../../../components/entra/types";
import { createTokenSource } from "../../../components/entra/credentials";
import { isEntraError } from "../../../components/entra/errors";
import { passwordResetPolicyProvider } from "../../../components/entra/passwordResetPolicy";
import { authenticationMethodConfigurationProvider } from "../../../components/entra/authenticationMethodConfiguration";

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
