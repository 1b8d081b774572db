/**
 * What the rehearsal engine sends to configure a provider, held to the Go sources of pulumi/pulumi it follows (commit
 * 1b59498, docs/reference/pulumi-engine.md). One table: each shape, the source line it copies, and what has to
 * arrive over gRPC when the engine (`engine/engine.ts`, through `engine/providerHost.ts`) registers and configures the
 * stack's default provider. A recording gRPC server stands in for the plugin, so what is checked is what the plugin
 * receives. If the engine's shape drifts from the source, a row fails.
 */
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { runProgram } from "../../engine/engine";
import { connectProviderHost, type ProviderHost } from "../../engine/providerHost";
import { defaultProviderName, packageConfig } from "../../engine/providerConfigure";
import { makeSecret } from "../../engine/propertyValues";

const endpointsText = '{"graph":"http://127.0.0.1:8640","portal":"http://127.0.0.1:8640"}';
const stackConfig = {
  "entra-sspr:tenantId": "munyakazi.org",
  "entra-sspr:endpoints": { graph: "http://127.0.0.1:8640", portal: "http://127.0.0.1:8640" },
  "entra-sspr:clientSecret": "hunter2", // held secure in the stack file (secretConfigKeys)
  "sspr:settings": { scope: "all", methodsRequired: 2 },
  "azuread:tenantId": "elsewhere.org",
};
const secretConfigKeys = ["entra-sspr:clientSecret"];
const secretSig = "4dabf18193072939515e22adb298388d";

type Recorded = { method: string; request: providerProto.ConfigureRequest & providerProto.CheckRequest };
let calls: Recorded[] = [];
let server: grpc.Server;
let host: ProviderHost;

/** A provider that records every call and answers CheckConfig with the news and DiffConfig with "no changes". */
beforeAll(async () => {
  server = new grpc.Server();
  const record =
    (method: string, answer: (request: never) => unknown) =>
    (call: grpc.ServerUnaryCall<never, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      calls.push({ method, request: call.request });
      callback(null, answer(call.request));
    };
  server.addService(ResourceProviderService, {
    configure: record("Configure", () => new providerProto.ConfigureResponse()),
    checkConfig: record("CheckConfig", (request: providerProto.CheckRequest) => {
      const response = new providerProto.CheckResponse();
      response.setInputs(request.getNews());
      return response;
    }),
    diffConfig: record("DiffConfig", () => {
      const response = new providerProto.DiffResponse();
      response.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_NONE);
      return response;
    }),
    getPluginInfo: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, new Empty()),
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const process = { address: `127.0.0.1:${port}`, pid: undefined, lines: [], running: () => true };
  host = await connectProviderHost(
    { ...process, unref: () => undefined, stop: async () => undefined },
    { ownsProcess: false },
  );
});
afterAll(async () => {
  await host.stop();
  server.forceShutdown();
});

/** Two `up`s of a program, as the CLI runs them: the second finds the default provider in state. */
async function twoRuns() {
  calls = [];
  const options = { host, config: stackConfig, secretConfigKeys, stack: "dev" };
  const first = await runProgram(() => undefined, options);
  const firstCalls = calls;
  calls = [];
  const second = await runProgram(() => undefined, { ...options, priorState: first.state });
  return { first, firstCalls, second, secondCalls: calls };
}

const configure = (recorded: Recorded[]) => recorded.find((call) => call.method === "Configure")!.request;
const checkConfig = (recorded: Recorded[]) => recorded.find((call) => call.method === "CheckConfig")!.request;
const providerUrn = "urn:pulumi:dev::entra-sspr::pulumi:providers:entra-sspr::default";

type Runs = Awaited<ReturnType<typeof twoRuns>>;

/** Each shape: the Go source line it copies, and what the engine must send or record. */
const shapes: [string, string, (runs: Runs) => void][] = [
  [
    "the default provider is pulumi:providers:<pkg> named default, at the stack's top level",
    "pkg/resource/deploy/default_providers.go:166-170; pkg/resource/deploy/providers/provider.go:109",
    ({ first }) => {
      expect(first.state[providerUrn]).toMatchObject({ type: "pulumi:providers:entra-sspr", name: "default" });
      expect(first.state[providerUrn].parent).toBeUndefined();
    },
  ],
  [
    "with a version, it is named default_<major>_<minor>_<patch>[_<pre>]",
    "pkg/resource/deploy/providers/provider.go:118-124",
    () =>
      expect([defaultProviderName("0.3.0"), defaultProviderName("1.2.3-beta.1")]).toEqual([
        "default_0_3_0",
        "default_1_2_3_beta_1",
      ]),
  ],
  [
    "its inputs are the package's namespace only, by plain name, each value its config text, secure ones secret",
    "pkg/resource/deploy/target.go:54,63,68",
    () =>
      expect(packageConfig(stackConfig, "entra-sspr", secretConfigKeys)).toEqual({
        tenantId: "munyakazi.org",
        endpoints: endpointsText,
        clientSecret: makeSecret("hunter2"),
      }),
  ],
  [
    "a dynamic provider's inputs are every key, namespace kept",
    "pkg/resource/deploy/target.go:53,66",
    () =>
      expect(Object.keys(packageConfig(stackConfig, "pulumi-nodejs")).sort()).toEqual(Object.keys(stackConfig).sort()),
  ],
  [
    "the order: CheckConfig, then Configure for a new provider; CheckConfig, DiffConfig, Configure for a recorded one",
    "pkg/resource/deploy/providers/registry.go:673 (Check), :752 (Diff), :962 (Create), :861 (Same)",
    ({ firstCalls, secondCalls }) => {
      expect(firstCalls.map((call) => call.method)).toEqual(["CheckConfig", "Configure"]);
      expect(secondCalls.map((call) => call.method)).toEqual(["CheckConfig", "DiffConfig", "Configure"]);
    },
  ],
  [
    "CheckConfig gets the inputs without secret wrappers, named for the provider's URN",
    "pkg/resource/plugin/provider_plugin.go:696-710",
    ({ firstCalls }) => {
      const request = checkConfig(firstCalls);
      expect(request.getNews()?.toJavaScript()).toEqual({
        tenantId: "munyakazi.org",
        endpoints: endpointsText,
        clientSecret: "hunter2",
      });
      expect([request.getUrn(), request.getName(), request.getType()]).toEqual([
        providerUrn,
        "default",
        "pulumi:providers:entra-sspr",
      ]);
    },
  ],
  [
    "Configure's variables are keyed <pkg>:config:<key>, text, secrets unwrapped, no version",
    "pkg/resource/plugin/provider_plugin.go:1068,1083,1094",
    ({ firstCalls }) =>
      expect(Object.fromEntries(configure(firstCalls).getVariablesMap().toArray())).toEqual({
        "entra-sspr:config:tenantId": "munyakazi.org",
        "entra-sspr:config:endpoints": endpointsText,
        "entra-sspr:config:clientSecret": "hunter2",
      }),
  ],
  [
    "Configure's args are the inputs by plain name, secrets kept",
    "pkg/resource/plugin/provider_plugin.go:1097-1103,1137",
    ({ firstCalls }) =>
      expect(configure(firstCalls).getArgs()?.toJavaScript()).toEqual({
        tenantId: "munyakazi.org",
        endpoints: endpointsText,
        clientSecret: { [secretSig]: "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" },
      }),
  ],
  [
    "Configure offers secrets and resources and says it sends old inputs",
    "pkg/resource/plugin/provider_plugin.go:1132-1135",
    ({ firstCalls }) => {
      const request = configure(firstCalls);
      expect([
        request.getAcceptsecrets(),
        request.getAcceptresources(),
        request.getSendsOldInputs(),
        request.getSendsOldInputsToDelete(),
      ]).toEqual([true, true, true, true]);
    },
  ],
  [
    "Configure names the provider resource: its URN, name, type and a new UUID, kept by the next run",
    "pkg/resource/deploy/providers/registry.go:950,962-968",
    ({ first, firstCalls, secondCalls }) => {
      const request = configure(firstCalls);
      expect([request.getUrn(), request.getName(), request.getType()]).toEqual([
        providerUrn,
        "default",
        "pulumi:providers:entra-sspr",
      ]);
      expect(request.getId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(first.state[providerUrn].id).toBe(request.getId());
      expect(configure(secondCalls).getId()).toBe(request.getId());
    },
  ],
  [
    "the state records the checked inputs as inputs and outputs; a run without change is a same step",
    "pkg/resource/deploy/providers/registry.go:975 (Create returns the inputs), :762-768",
    ({ first, second }) => {
      expect(first.state[providerUrn].inputs).toEqual(first.state[providerUrn].outputs);
      expect(first.providerStep.op).toBe("create");
      expect(second.providerStep.op).toBe("same");
      expect(JSON.stringify(first.state[providerUrn])).not.toContain("methodsRequired");
    },
  ],
];

describe("the engine's provider configuration, held to pulumi/pulumi's sources", () => {
  let runs: Runs;
  beforeAll(async () => {
    runs = await twoRuns();
  });
  it.each(shapes)("%s (%s)", (_shape, _source, check) => check(runs));
});

describe("`up --refresh`: one deployment that refreshes, then runs the program", () => {
  it(
    "configures the recorded provider once, for the refresh, and the update's provider step reuses it " +
      "(pkg/resource/deploy/deployment_executor.go:167-171, deployment.go:712-737, providers/registry.go:802-806)",
    async () => {
      const { first } = await twoRuns();
      calls = [];
      const options = { host, config: stackConfig, secretConfigKeys, stack: "dev" };
      const refreshed = await runProgram(() => undefined, { ...options, priorState: first.state, refresh: true });
      expect(calls.map((call) => call.method)).toEqual(["Configure", "CheckConfig", "DiffConfig"]);
      // The refresh's Configure is the recorded provider's: its id, with the inputs state recorded.
      expect(configure(calls).getId()).toBe(first.state[providerUrn].id);
      expect(refreshed.providerStep.op).toBe("same");
      expect(refreshed.drift).toEqual([]);
    },
  );
});
