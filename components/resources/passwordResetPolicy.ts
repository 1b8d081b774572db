/**
 * The program's side of PasswordResetPolicy: the resource class the component creates and its arguments. The provider
 * plugin serves it (`provider/objects/passwordResetPolicy.ts`: validation, mapping to the API and the HTTP calls).
 */
import * as pulumi from "@pulumi/pulumi";
import type { PasswordResetPolicySettings } from "../../provider/objects/objectSettings";
import type { PulumiInputs, SingletonTargetArgs } from "./singletonArgs";
import { TenantSingletonResource } from "./singletonResource";

export interface PasswordResetPolicyArgs extends SingletonTargetArgs, PulumiInputs<PasswordResetPolicySettings> {}

/**
 * The tenant's SSPR policy (portal API). Created = adopted: destroy restores what was there (or retains it).
 * Outputs: the inputs, `snapshot` (portal fields as they were before adoption) and `current` (owned settings now).
 */
export class PasswordResetPolicy extends TenantSingletonResource {
  constructor(name: string, args: PasswordResetPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super("PasswordResetPolicy", name, args, opts);
  }
}
