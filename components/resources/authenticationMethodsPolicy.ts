/**
 * The program's side of AuthenticationMethodsPolicy: the resource class the component creates and its arguments. The provider
 * plugin serves it (`provider/objects/authenticationMethodsPolicy.ts`: validation, mapping to the API and the HTTP calls).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AuthenticationMethodsPolicySettings } from "../../provider/objects/objectSettings";
import type { PulumiInputs, SingletonTargetArgs } from "./singletonArgs";
import { TenantSingletonResource } from "./singletonResource";

export interface AuthenticationMethodsPolicyArgs
  extends SingletonTargetArgs, PulumiInputs<AuthenticationMethodsPolicySettings> {}

/** The root of the tenant's authentication methods policy. Created = adopted; destroy restores (or retains). */
export class AuthenticationMethodsPolicy extends TenantSingletonResource {
  constructor(name: string, args: AuthenticationMethodsPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super("AuthenticationMethodsPolicy", name, args, opts);
  }
}
