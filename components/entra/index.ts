/** The four tenant singletons (resource classes, their args, specs and pure mapping) and their shared lifecycle. */
export { singletonProvider, unknownValue, zeroGuid } from "./singleton";
export { resourceModule, TenantSingletonResource } from "./singletonResource";
export type {
  CheckFailure,
  CheckedTarget,
  PulumiInputs,
  OwnedSettings,
  RemoteDocument,
  SingletonProvider,
  SingletonSpec,
  SingletonTargetArgs,
  Snapshot,
} from "./singleton";
export * from "./passwordResetPolicy";
export * from "./authenticationMethodConfiguration";
export * from "./authenticationMethodsPolicy";
export * from "./administratorPasswordReset";
export * from "./tenantOwnership";
export type { OwnershipMark, OwnershipProof } from "./ownershipMark";
