/**
 * The program's side of TenantOwnership: the resource class the component creates and its arguments. The provider
 * plugin serves it (`provider/ownership/tenantOwnership.ts`: validation, mapping to the API and the HTTP calls).
 */
import * as pulumi from "@pulumi/pulumi";
import type { GrantNeed } from "../../provider/grants/grants";
import { typeToken } from "../../lib/resourceTypes";
import type { EntraEndpoints } from "../../lib/endpoints";
import { withDynamicResourceAlias } from "./singletonResource";

export interface TenantOwnershipArgs {
  tenantId: pulumi.Input<string>;
  endpoints?: pulumi.Input<EntraEndpoints>;
  stack: pulumi.Input<string>;
  takeOverFrom?: pulumi.Input<string>;
  needs?: pulumi.Input<GrantNeed[]>;
}

/** The tenant's ownership mark, claimed for this stack. Its outputs are the other resources' `ownership` input. */
export class TenantOwnership extends pulumi.CustomResource {
  declare public readonly stack: pulumi.Output<string>;
  declare public readonly organizationId: pulumi.Output<string>;
  declare public readonly claim: pulumi.Output<string>;
  declare public readonly owner: pulumi.Output<string | null>;

  constructor(name: string, args: TenantOwnershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      typeToken("TenantOwnership"),
      name,
      { ...args, organizationId: undefined, claim: undefined, claimedAt: undefined, owner: undefined },
      withDynamicResourceAlias("TenantOwnership", opts),
    );
  }
}
