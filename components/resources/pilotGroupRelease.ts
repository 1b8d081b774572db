/**
 * The program's side of PilotGroupRelease: the resource class the component creates and its arguments. The provider
 * plugin serves it (`provider/ownership/pilotGroupRelease.ts`: validation, mapping to the API and the HTTP calls).
 */
import * as pulumi from "@pulumi/pulumi";
import { typeToken } from "../../lib/resourceTypes";
import type { SingletonTargetArgs } from "./singletonArgs";

export interface PilotGroupReleaseArgs extends SingletonTargetArgs {
  /** The created group's object id (`azuread.Group.objectId`). */
  groupId: pulumi.Input<string>;
  displayName: pulumi.Input<string>;
}

/** Deletes the stack's pilot group on destroy when the stack still owns the tenant and nothing names the group. */
export class PilotGroupRelease extends pulumi.CustomResource {
  /** The group's object id, once released resources may point at it (their destroy runs before this one's). */
  declare public readonly groupId: pulumi.Output<string>;

  constructor(name: string, args: PilotGroupReleaseArgs, opts?: pulumi.CustomResourceOptions) {
    super(typeToken("PilotGroupRelease"), name, args, opts);
  }
}
