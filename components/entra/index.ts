/** The four tenant singletons (resource classes, their args, specs and pure mapping) and their shared lifecycle. */
export { resourceModule, singletonProvider, unknownValue, zeroGuid } from "./singleton";
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
