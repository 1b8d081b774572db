/**
 * A provider method that created its resource but could not finish (Pulumi's "created but failed to initialize"):
 * the dynamic-provider host packs the resource's id and properties into the call's status details
 * (`pulumirpc.ErrorResourceInitFailed` inside a `google.rpc.Status`, metadata `grpc-status-details-bin`;
 * `grpcResponseFromError` in `@pulumi/pulumi/cmd/dynamic-provider/index.js`). The engine records the resource with
 * those properties as its outputs, and refresh and destroy then run from them.
 */
import type * as grpc from "@grpc/grpc-js";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import type { PropertyMap } from "./propertyValues";

export interface ResourceInitFailure {
  id: string;
  properties: PropertyMap;
  reasons: string[];
}

const statusDetailsKey = "grpc-status-details-bin";
const initFailedType = "pulumirpc.ErrorResourceInitFailed";

/** The init failure a failed call carries, if any. */
export function resourceInitFailureOf(error: grpc.ServiceError): ResourceInitFailure | undefined {
  const [packed] = error.metadata?.get(statusDetailsKey) ?? [];
  if (packed === undefined || typeof packed === "string") return undefined;
  for (const detail of Status.deserializeBinary(packed).getDetailsList()) {
    if (detail.getTypeName() !== initFailedType) continue;
    const failure = ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
    return {
      id: failure.getId(),
      properties: (failure.getProperties()?.toJavaScript() ?? {}) as PropertyMap,
      reasons: failure.getReasonsList(),
    };
  }
  return undefined;
}
