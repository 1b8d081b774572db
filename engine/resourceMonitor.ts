/**
 * The engine's side of a provider's Construct: a gRPC `pulumirpc.ResourceMonitor` (where the component registers its
 * children) and a `pulumirpc.Engine` (where the SDK sends logs), on 127.0.0.1. The CLI serves both to every
 * provider that constructs components; without the CLI, this is what lets a test construct the entra-sspr component
 * inside the provider plugin and see every child it registers, as another language's program would.
 *
 * Only what a Node.js component uses is answered: SupportsFeature (secrets only), RegisterResource,
 * RegisterResourceOutputs, Invoke, and the Engine's Log / GetRootResource / SetRootResource. Anything else answers
 * UNIMPLEMENTED (grpc-js's default for a method the implementation leaves out).
 */
import * as grpc from "@grpc/grpc-js";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import type { PropertyMap } from "./propertyValues";

/** One RegisterResource call as the component made it. */
export interface MonitoredRegistration {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  inputs: PropertyMap;
  dependencies: string[];
}

export interface MonitorAnswer {
  id?: string;
  outputs: PropertyMap;
}

export interface MonitorOptions {
  project: string;
  stack: string;
  /** Answers each registration (default: outputs echo the inputs; custom resources get id `<name>-id`). */
  register?: (registration: MonitoredRegistration) => MonitorAnswer | Promise<MonitorAnswer>;
  /** Answers each invoke (default: refused by name). */
  invoke?: (token: string, args: PropertyMap) => PropertyMap | Promise<PropertyMap>;
}

export interface ResourceMonitorServer {
  /** `127.0.0.1:<port>`: the ConstructRequest's monitor endpoint and the plugin's engine address. */
  readonly address: string;
  readonly registrations: MonitoredRegistration[];
  /** Outputs each component registered (`registerOutputs`), by URN. */
  readonly componentOutputs: Map<string, PropertyMap>;
  readonly logs: { severity: number; message: string; urn: string }[];
  stop(): Promise<void>;
}

type Callback<Response> = (error: grpc.ServiceError | null, response?: Response) => void;

function fromStruct(struct: Struct | undefined): PropertyMap {
  return struct ? (struct.toJavaScript() as PropertyMap) : {};
}

export async function startResourceMonitor(options: MonitorOptions): Promise<ResourceMonitorServer> {
  const registrations: MonitoredRegistration[] = [];
  const componentOutputs = new Map<string, PropertyMap>();
  const logs: { severity: number; message: string; urn: string }[] = [];
  const qualifiedTypes = new Map<string, string>();
  let rootResource = "";

  const urnOf = (type: string, name: string, parent: string): string => {
    const parentType = parent === "" || parent === rootResource ? undefined : qualifiedTypes.get(parent);
    const qualified = parentType === undefined ? type : `${parentType}$${type}`;
    const urn = `urn:pulumi:${options.stack}::${options.project}::${qualified}::${name}`;
    qualifiedTypes.set(urn, qualified);
    return urn;
  };

  const fail = <Response>(callback: Callback<Response>, error: unknown): void =>
    callback({
      code: grpc.status.UNKNOWN,
      details: error instanceof Error ? error.message : String(error),
    } as grpc.ServiceError);

  const monitor = {
    supportsFeature(
      call: grpc.ServerUnaryCall<resourceProto.SupportsFeatureRequest, resourceProto.SupportsFeatureResponse>,
      callback: Callback<resourceProto.SupportsFeatureResponse>,
    ) {
      const response = new resourceProto.SupportsFeatureResponse();
      response.setHassupport(call.request.getId() === "secrets");
      callback(null, response);
    },

    registerResource(
      call: grpc.ServerUnaryCall<resourceProto.RegisterResourceRequest, resourceProto.RegisterResourceResponse>,
      callback: Callback<resourceProto.RegisterResourceResponse>,
    ) {
      const request = call.request;
      const registration: MonitoredRegistration = {
        urn: urnOf(request.getType(), request.getName(), request.getParent()),
        type: request.getType(),
        name: request.getName(),
        custom: request.getCustom(),
        parent: request.getParent(),
        inputs: fromStruct(request.getObject()),
        dependencies: request.getDependenciesList(),
      };
      registrations.push(registration);
      const echo: MonitorAnswer = {
        id: registration.custom ? `${registration.name}-id` : undefined,
        outputs: registration.inputs,
      };
      Promise.resolve(options.register ? options.register(registration) : echo).then(
        (answer) => {
          const response = new resourceProto.RegisterResourceResponse();
          response.setUrn(registration.urn);
          if (answer.id !== undefined) response.setId(answer.id);
          response.setObject(Struct.fromJavaScript(JSON.parse(JSON.stringify(answer.outputs)) as never));
          callback(null, response);
        },
        (error) => fail(callback, error),
      );
    },

    registerResourceOutputs(
      call: grpc.ServerUnaryCall<resourceProto.RegisterResourceOutputsRequest, Empty>,
      callback: Callback<Empty>,
    ) {
      componentOutputs.set(call.request.getUrn(), fromStruct(call.request.getOutputs()));
      callback(null, new Empty());
    },

    invoke(
      call: grpc.ServerUnaryCall<resourceProto.ResourceInvokeRequest, providerProto.InvokeResponse>,
      callback: Callback<providerProto.InvokeResponse>,
    ) {
      const token = call.request.getTok();
      const answer = options.invoke
        ? Promise.resolve(options.invoke(token, fromStruct(call.request.getArgs())))
        : Promise.reject(new Error(`the test monitor answers no invoke (${token})`));
      answer.then(
        (result) => {
          const response = new providerProto.InvokeResponse();
          response.setReturn(Struct.fromJavaScript(result as Record<string, JavaScriptValue>));
          callback(null, response);
        },
        (error) => fail(callback, error),
      );
    },
  };

  const engine = {
    log(call: grpc.ServerUnaryCall<engineProto.LogRequest, Empty>, callback: Callback<Empty>) {
      logs.push({
        severity: call.request.getSeverity(),
        message: call.request.getMessage(),
        urn: call.request.getUrn(),
      });
      callback(null, new Empty());
    },
    getRootResource(
      _call: grpc.ServerUnaryCall<engineProto.GetRootResourceRequest, engineProto.GetRootResourceResponse>,
      callback: Callback<engineProto.GetRootResourceResponse>,
    ) {
      const response = new engineProto.GetRootResourceResponse();
      response.setUrn(rootResource);
      callback(null, response);
    },
    setRootResource(
      call: grpc.ServerUnaryCall<engineProto.SetRootResourceRequest, engineProto.SetRootResourceResponse>,
      callback: Callback<engineProto.SetRootResourceResponse>,
    ) {
      rootResource = call.request.getUrn();
      callback(null, new engineProto.SetRootResourceResponse());
    },
  };

  const server = new grpc.Server();
  server.addService(ResourceMonitorService, monitor as unknown as grpc.UntypedServiceImplementation);
  server.addService(EngineService, engine as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    registrations,
    componentOutputs,
    logs,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
