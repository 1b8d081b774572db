/**
 * The names of the tenant objects as Pulumi knows them: one package, `entra-sspr`, served by the provider plugin
 * (`provider/`), with a type token per object. Data only, shared by the program side (the resource classes register
 * these tokens) and the provider side (which serves them).
 */

/** The Pulumi package: every type token starts `entra-sspr:`, and the plugin is found by this name. */
export const packageName = "entra-sspr";

/** The tenant objects the provider serves, by the last part of their type token. */
export const resourceTypes = [
  "PasswordResetPolicy",
  "AuthenticationMethodsPolicy",
  "AuthenticationMethodConfiguration",
  "AdministratorPasswordReset",
  "TenantOwnership",
  "PilotGroupRelease",
] as const;

export type ResourceTypeName = (typeof resourceTypes)[number];

/** The package's functions (invokes) the program asks at preview, by the last part of their token (`functions.ts`). */
export const functionNames = [
  "getPeoplePreview",
  "getLockoutFacts",
  "getTakenOverPilotGroups",
  "getReadinessSnapshot",
] as const;

export type FunctionName = (typeof functionNames)[number];

/** What every type token of the package starts with. */
export const typeTokenPrefix = `${packageName}:index:`;

/** `entra-sspr:index:<Type>`: the token a resource (or the component) registers with. */
export function typeToken(name: ResourceTypeName | "SelfServicePasswordReset"): string {
  return `${typeTokenPrefix}${name}`;
}

/** `entra-sspr:index:<function>`: the token the program invokes a function by. */
export function functionToken(name: FunctionName): string {
  return `${typeTokenPrefix}${name}`;
}

/**
 * The token the same object had as a Pulumi dynamic resource (every state written before the provider plugin):
 * each class aliases it, so such state moves to the plugin's type in place, without a replace.
 */
export function dynamicTypeToken(name: ResourceTypeName): string {
  return `pulumi-nodejs:dynamic/${packageName}:${name}`;
}

/** What the pilot group's description says, so a stack that takes the tenant over can tell the group apart. */
export const pilotGroupDescription =
  "Users allowed to use self-service password reset (pilot); managed by Pulumi (entra-sspr)";
