/** The four tenant singletons (resource classes, their args, specs and pure mapping) and their shared lifecycle. */
export type {
  CheckFailure,
  CheckedTarget,
  OwnedSettings,
  RemoteDocument,
  SingletonSpec,
  Snapshot,
} from "./singletonSpec";
export { unknownValue } from "./jsonValues";
export { zeroGuid } from "./targetLists";
export { singletonProvider } from "./singletonProvider";
export type { SingletonProvider } from "./singletonProvider";
export type { PulumiInputs, SingletonTargetArgs } from "./singletonArgs";
export { TenantSingletonResource } from "./singletonResource";
export { packageName, typeToken } from "./resourceTypes";
export * from "./passwordResetPolicy";
export * from "./authenticationMethodConfiguration";
export * from "./authenticationMethodsPolicy";
export * from "./administratorPasswordReset";
export * from "./tenantOwnership";
export { PilotGroupRelease, type PilotGroupReleaseArgs } from "./pilotGroupRelease";
export type { OwnershipMark, OwnershipProof } from "./ownershipMark";
