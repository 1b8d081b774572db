/**
 * The program's side of AdministratorPasswordReset: the resource class the component creates and its arguments. The provider
 * plugin serves it (`provider/objects/administratorPasswordReset.ts`: validation, mapping to the API and the HTTP calls).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AdministratorPasswordResetSettings } from "../../provider/objects/objectSettings";
import type { PulumiInputs, SingletonTargetArgs } from "./singletonArgs";
import { TenantSingletonResource } from "./singletonResource";

export interface AdministratorPasswordResetArgs
  extends SingletonTargetArgs, PulumiInputs<AdministratorPasswordResetSettings> {}

/** SSPR for administrators (`authorizationPolicy.allowedToUseSSPR`). Created = adopted; destroy restores (or retains). */
export class AdministratorPasswordReset extends TenantSingletonResource {
  constructor(name: string, args: AdministratorPasswordResetArgs, opts?: pulumi.CustomResourceOptions) {
    super("AdministratorPasswordReset", name, args, opts);
  }
}
