/**
 * `ENTRA_SSPR_LAB_GRANTS`: narrows what the lab credential's tokens grant, so that a missing permission or role can
 * be rehearsed on the emulator. A comma-separated list of Graph permissions (`Policy.Read.All`) and directory roles
 * (by name, `Authentication Policy Administrator`, or template id); unset means everything the project uses.
 * Plain functions and data.
 */
import { directoryRoles } from "../reader/directoryRoles";

export interface LabGrants {
  /** Graph application permissions for the lab's Graph token (`roles`). */
  permissions: string[];
  /** Directory role template ids for the lab's portal token (`wids`). */
  roleIds: string[];
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const permissionName = /^[A-Za-z]+(\.[A-Za-z]+)+$/;

/** The grants the variable names, or every problem with it; undefined when unset (= everything). */
export function parseLabGrants(value: string | undefined): LabGrants | { problems: string[] } | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const roles = Object.values(directoryRoles);
  const grants: LabGrants = { permissions: [], roleIds: [] };
  const problems: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const role = roles.find(
      (candidate) => candidate.name.toLowerCase() === entry.toLowerCase() || candidate.id === entry.toLowerCase(),
    );
    if (role !== undefined) grants.roleIds.push(role.id);
    else if (guid.test(entry)) grants.roleIds.push(entry.toLowerCase());
    else if (permissionName.test(entry)) grants.permissions.push(entry);
    else {
      problems.push(
        `ENTRA_SSPR_LAB_GRANTS: "${entry}" is neither a Graph permission (such as Policy.Read.All) nor a directory ` +
          `role (${roles.map((candidate) => candidate.name).join(", ")}, or a role template id)`,
      );
    }
  }
  return problems.length > 0 ? { problems } : grants;
}
