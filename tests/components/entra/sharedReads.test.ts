import type { EntraClient, EntraRequest, EntraResponse } from "../../../components/entra/client";
import { createEntraClient } from "../../../components/entra/client";
import { forgetSharedReads, sharedGet } from "../../../components/entra/sharedReads";
import { fullConfig, runbookConfig } from "../../../scripts/bench/stacks";
import { emulatorStack } from "../../../scripts/emulatorStack";
import { refreshState, type EngineState } from "../../../harness/engine";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

const policyPath = "/v1.0/policies/authenticationMethodsPolicy";
const request: EntraRequest = { api: "graph", method: "GET", path: policyPath, permission: "Policy.Read.All" };
const target = { tenantId: "contoso.example", graph: "http://127.0.0.1:1" };

/** A client answering each GET with a new version number, so a reused answer shows. */
function countingClient(fail = false): { client: EntraClient; sent: () => number } {
  let sent = 0;
  const client: EntraClient = {
    async send(): Promise<EntraResponse> {
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw new Error("503 from Graph");
      return { status: 200, headers: {}, body: { version: sent } } as unknown as EntraResponse;
    },
  };
  return { client, sent: () => sent };
}

describe("sharedGet (in process)", () => {
  it("readers that ask together share one GET; each gets its own copy; nothing is kept once it is answered", async () => {
    const { client, sent } = countingClient();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => sharedGet(client, target, request)));
    expect(sent()).toBe(1);
    expect([a, b, c]).toEqual([{ version: 1 }, { version: 1 }, { version: 1 }]);
    a.version = 99;
    expect(b.version).toBe(1);
    // The next read, right after, is a new GET: a change made meanwhile cannot be hidden.
    expect(await sharedGet(client, target, request)).toEqual({ version: 2 });
    expect(sent()).toBe(2);
  });

  it("keeps tenants and paths apart, and a write drops the pending read so later readers send their own", async () => {
    const { client, sent } = countingClient();
    const other = { ...target, tenantId: "fabrikam.example" };
    const first = sharedGet(client, target, request);
    const otherTenant = sharedGet(client, other, request);
    const betaPath = sharedGet(client, target, { ...request, path: "/beta/policies/authenticationMethodsPolicy" });
    forgetSharedReads({ ...target, tenantId: "CONTOSO.example" });
    const afterWrite = sharedGet(client, target, request);
    await Promise.all([first, otherTenant, betaPath, afterWrite]);
    expect(sent()).toBe(4);
  });

  it("a failed read fails every reader that shared it and is not kept", async () => {
    const failing = countingClient(true);
    const results = await Promise.allSettled([1, 2].map(() => sharedGet(failing.client, target, request)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(failing.sent()).toBe(1);
    const working = countingClient();
    expect(await sharedGet(working.client, target, request)).toEqual({ version: 1 });
  });
});

describe("shared reads through the provider plugin", () => {
  // This worker's plugin process: its providers share reads as they do in the CLI's.
  const hosted = useProviderHost();
  const lab = useEmulator();

  const policyReads = (): string[] =>
    lab.emulator
      .requests()
      .filter((entry) => entry.method === "GET" && entry.path.startsWith(policyPath))
      .map((entry) => entry.path);

  it("the root and every method configuration (separate providers in the host) share one policy GET on refresh", async () => {
    const { host } = hosted;
    const stack = emulatorStack({ host, emulatorUrl: lab.emulator.url });
    const applied = await stack.up(fullConfig());
    const methods = Object.values(applied.state).filter((entry) =>
      entry.type.endsWith("AuthenticationMethodConfiguration"),
    );
    expect(methods.length).toBeGreaterThanOrEqual(3);
    lab.emulator.clearRequests();
    const { drift } = await refreshState(applied.state, host);
    expect(drift).toEqual([]);
    expect(policyReads()).toEqual([policyPath]);
  });

  it("a change made between two runs is never hidden: each refresh reads the tenant afresh", async () => {
    const { host } = hosted;
    const stack = emulatorStack({ host, emulatorUrl: lab.emulator.url });
    let state: EngineState = (await stack.up(runbookConfig())).state;
    const outside = createEntraClient({ tenantId: "munyakazi.org", endpoints: lab.endpoints });
    const changeSms = (value: string) =>
      outside.send({
        api: "graph",
        method: "PATCH",
        path: `${policyPath}/authenticationMethodConfigurations/Sms`,
        body: { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", state: value },
        permission: "Policy.ReadWrite.AuthenticationMethod",
      });
    for (const value of ["disabled", "enabled", "disabled"]) {
      state = (await refreshState(state, host)).state; // a run right before the change
      await changeSms(value); // the admin center, between two runs
      const refreshed = await refreshState(state, host);
      const sms = refreshed.drift.filter((one) => one.name.endsWith("method-sms"));
      expect(sms.map((one) => one.changed)).toEqual([expect.arrayContaining(["state"])]);
      const entry = Object.values(refreshed.state).find((one) => one.name.endsWith("method-sms"));
      expect(entry?.outputs.state).toBe(value);
      state = refreshed.state;
    }
  });
});
