/**
 * The program-side half of a tenant singleton: the resource class every object file extends (its arguments are in
 * `singletonArgs.ts`). A custom resource of the `entra-sspr` package, served by the provider plugin (`provider/`):
 * the state holds the object's properties and nothing that runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicTypeToken, type ResourceTypeName, typeToken } from "../../lib/resourceTypes";
import type { OwnedSettings, Snapshot } from "../../provider/objects/singletonSpec";

/** The options with the alias that moves state written by the dynamic resource of the same object. */
export function withDynamicResourceAlias(
  type: ResourceTypeName,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions {
  return { ...opts, aliases: [...(opts?.aliases ?? []), { type: dynamicTypeToken(type) }] };
}

export abstract class TenantSingletonResource extends pulumi.CustomResource {
  // `declare`, not a class field: with ES2022 class fields a plain field is reset to undefined after super() runs,
  // wiping the outputs Pulumi assigned there.
  /** The owned fields as the tenant had them before this stack adopted it (what destroy restores). */
  declare public readonly snapshot: pulumi.Output<Snapshot>;
  /** The owned settings as the tenant has them after the last apply or refresh. */
  declare public readonly current: pulumi.Output<OwnedSettings>;
  /** The owned fields as the stack's own writes left them (destroy puts back only where the tenant still holds them). */
  declare public readonly written: pulumi.Output<Record<string, unknown>>;

  protected constructor(type: ResourceTypeName, name: string, args: object, opts?: pulumi.CustomResourceOptions) {
    super(
      typeToken(type),
      name,
      { ...args, snapshot: undefined, current: undefined, written: undefined },
      withDynamicResourceAlias(type, opts),
    );
  }
}
