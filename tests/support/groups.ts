/**
 * Security groups for emulator seeds: the providers read every group a write brings into a policy
 * (`provider/reader/groupExistence.ts`), so a test that targets a group has to have it in the tenant.
 */
import { createDefaultTenant } from "../../emulator/defaultTenant";
import type { DirectoryGroup } from "../../emulator/types";

export function securityGroup(id: string, displayName = `Group ${id.slice(0, 8)}`): DirectoryGroup {
  return {
    id,
    displayName,
    description: null,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname: displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    securityEnabled: true,
  };
}

/** The default tenant's groups plus a security group for each id. */
export function groupsWith(...ids: string[]): DirectoryGroup[] {
  return [...createDefaultTenant().groups, ...ids.map((id) => securityGroup(id))];
}
