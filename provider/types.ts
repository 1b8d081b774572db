/**
 * The provider's names: its package, version and the resource types it serves. Program side and provider side both
 * read these (they are data, no code of either side).
 */
import { version } from "./package.json";

/** The Pulumi package name: every type token starts `entra-sspr:`. */
export const packageName = "entra-sspr";
/** The plugin's version (what `GetPluginInfo` reports and a stack's state records as the provider version). */
export const packageVersion: string = version;

/** The tenant objects the provider serves, by the last part of their type token. */
export const resourceTypes = [
  "PasswordResetPolicy",
  "AuthenticationMethodsPolicy",
  "AuthenticationMethodConfiguration",
  "AdministratorPasswordReset",
  "TenantOwnership",
] as const;

export type ResourceTypeName = (typeof resourceTypes)[number];

/** `entra-sspr:index:<Type>`: the token a resource of that type registers with. */
export function typeToken(name: ResourceTypeName | "SelfServicePasswordReset"): string {
  return `${packageName}:index:${name}`;
}
