/**
 * The program's side of AuthenticationMethodConfiguration: the resource class the component creates and its arguments. The provider
 * plugin serves it (`provider/objects/authenticationMethodConfiguration.ts`: validation, mapping to the API and the HTTP calls).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AuthenticationMethodConfigurationSettings } from "../../provider/objects/objectSettings";
import type { PulumiInputs, SingletonTargetArgs } from "./singletonArgs";
import { TenantSingletonResource } from "./singletonResource";

export interface AuthenticationMethodConfigurationArgs
  extends
    SingletonTargetArgs<"restore" | "retain" | "reset">,
    PulumiInputs<AuthenticationMethodConfigurationSettings> {}

/**
 * One method configuration of the tenant's authentication methods policy. Created = adopted; destroy restores the
 * snapshot (default), retains, or resets the method to Microsoft's defaults (`onDelete: "reset"`).
 */
export class AuthenticationMethodConfiguration extends TenantSingletonResource {
  constructor(name: string, args: AuthenticationMethodConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
    super("AuthenticationMethodConfiguration", name, args, opts);
  }
}
