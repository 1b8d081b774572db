/**
 * Directory roles the project names, by template id (Microsoft Learn, "Microsoft Entra built-in roles"). Plain data:
 * the lab credential (captured into the dynamic providers) and the permission preflight both read it.
 */
export interface DirectoryRole {
  id: string;
  name: string;
}

export const directoryRoles = {
  authenticationPolicyAdministrator: {
    id: "0526716b-113d-4c15-b2c8-68e3c22b9f80",
    name: "Authentication Policy Administrator",
  },
  globalAdministrator: { id: "62e90394-69f5-4237-9190-012177145e10", name: "Global Administrator" },
  privilegedRoleAdministrator: { id: "e8611ab8-c189-46e8-94e1-60213ab1f814", name: "Privileged Role Administrator" },
  groupsAdministrator: { id: "fdd7a751-b60b-444a-984c-02652fe8fa1c", name: "Groups Administrator" },
  globalReader: { id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", name: "Global Reader" },
} satisfies Record<string, DirectoryRole>;
