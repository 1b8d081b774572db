/**
 * The program-side half of a tenant singleton: the resource class every object file extends (its arguments are in
 * `singletonArgs.ts`). Kept apart from `singletonProvider.ts` (the provider-side lifecycle) so nothing the serialized
 * provider captures reaches this class.
 */
import * as pulumi from "@pulumi/pulumi";
import { forwardingProviders, type ProviderType } from "./providerForwarder";
import type { OwnedSettings, Snapshot } from "./singletonSpec";

/** The Pulumi package module of every singleton: type tokens are `pulumi-nodejs:dynamic/entra-sspr:<Class>`. */
export const resourceModule = "entra-sspr";

export abstract class TenantSingletonResource extends pulumi.dynamic.Resource {
  // `declare`, not a class field: with ES2022 class fields a plain field is reset to undefined after super() runs,
  // wiping the outputs Pulumi assigned there.
  /** The owned fields as the tenant had them before this stack adopted it (what destroy restores). */
  declare public readonly snapshot: pulumi.Output<Snapshot>;
  /** The owned settings as the tenant has them after the last apply or refresh. */
  declare public readonly current: pulumi.Output<OwnedSettings>;
  /** The owned fields as the stack's own writes left them (destroy puts back only where the tenant still holds them). */
  declare public readonly written: pulumi.Output<Record<string, unknown>>;

  protected constructor(type: ProviderType, name: string, args: object, opts?: pulumi.CustomResourceOptions) {
    super(
      forwardingProviders[type],
      name,
      { ...args, snapshot: undefined, current: undefined, written: undefined },
      opts,
      resourceModule,
      type,
    );
  }
}
