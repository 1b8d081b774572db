/**
 * The program side's arguments of a tenant singleton: what every resource class takes besides its own settings, as
 * `pulumi.Input`s. Types only, beside `singletonResource.ts`; nothing here reaches the serialized provider.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { OwnershipProof } from "../../provider/ownership/ownershipMark";
import type { OnDelete } from "../../provider/objects/objectSettings";
import type { EntraEndpoints } from "../../lib/endpoints";

/** `T` with every member a `pulumi.Input` (shallow: nested objects are given whole). */
export type PulumiInputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments every singleton resource takes besides its settings. */
export interface SingletonTargetArgs<Mode extends OnDelete = "restore" | "retain"> {
  /** Directory (tenant) id the tokens are requested for. */
  tenantId: pulumi.Input<string>;
  /** Base URLs; default the public cloud (`defaultEndpoints`). The lab points both at the emulator. */
  endpoints?: pulumi.Input<EntraEndpoints>;
  /** What destroy does: `restore` (default) writes the snapshot back; `retain` leaves the tenant as it is. */
  onDelete?: pulumi.Input<Mode>;
  /**
   * The stack's claim on the tenant (`TenantOwnership`'s `organizationId`, `claim`, `stack`). With it, nothing is
   * written unless the tenant's ownership mark still holds the claim, and destroy writes nothing after a takeover.
   */
  ownership?: pulumi.Input<OwnershipProof>;
}
