/**
 * At preview, where the azuread provider has credentials: an existing group given as `group.id` is looked up, and a
 * group that does not exist or is not a security group fails the preview, naming the setting and the id, before any
 * resource is changed. When the lookup itself cannot run (no credentials on a preview-only CI job, a network error),
 * the preview warns and goes on: the providers read the group again before their first write
 * (`entra/groupExistence.ts`), so nothing is ever written for a missing group either way.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";

export const getGroupToken = "azuread:index/getGroup:getGroup";

const setting = "group.id (sspr:settings.group.id)";

/** azuread's "not found" answers (unverified wording: the Terraform provider says `... was not found`). */
const notFound = /not found|no group|does not exist|Request_ResourceNotFound|\b404\b/i;

/** An existing group as the preview found it: its id, and its display name when the lookup ran. */
export interface ExistingGroup {
  id: string;
  displayName?: string;
}

/** The group's id, resolved once azuread has found it as a security group. */
export function existingSecurityGroupId(id: string, parent: pulumi.Resource): pulumi.Output<string> {
  return existingSecurityGroup(id, parent).apply((group) => group.id);
}

/** The group, resolved once azuread has found it as a security group (its name, so settings can show it). */
export function existingSecurityGroup(id: string, parent: pulumi.Resource): pulumi.Output<ExistingGroup> {
  const checked = azuread.getGroup({ objectId: id }, { parent }).then(
    (group): ExistingGroup => {
      if (group.securityEnabled !== true) {
        throw new pulumi.ResourceError(
          `${setting} is "${id}": the group "${group.displayName}" is not a security group (securityEnabled is ` +
            `${String(group.securityEnabled)}); SSPR and authentication methods can only target security groups`,
          parent,
        );
      }
      return typeof group.displayName === "string" && group.displayName !== ""
        ? { id, displayName: group.displayName }
        : { id };
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (notFound.test(message)) {
        throw new pulumi.ResourceError(
          `${setting} is "${id}": no group with this object id exists in the tenant; give an existing security ` +
            "group's object id, or use group.displayName to have the stack create one",
          parent,
        );
      }
      void pulumi.log.warn(
        `${setting} "${id}" could not be checked at preview (${message.split("\n")[0]}); it is checked again before ` +
          "the first write",
        parent,
      );
      return { id };
    },
  );
  return pulumi.output(checked);
}
