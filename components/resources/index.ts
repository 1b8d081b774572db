/** The program's tenant objects: the resource classes the component creates and their args. The plugin serves them. */
export type { PulumiInputs, SingletonTargetArgs } from "./singletonArgs";
export { TenantSingletonResource } from "./singletonResource";
export * from "./passwordResetPolicy";
export * from "./authenticationMethodConfiguration";
export * from "./authenticationMethodsPolicy";
export * from "./administratorPasswordReset";
export * from "./tenantOwnership";
export * from "./pilotGroupRelease";
