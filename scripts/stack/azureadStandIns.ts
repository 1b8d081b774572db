/**
 * What a rehearsal does with `@pulumi/azuread` against the emulator: the pilot group (`azuread.Group`) is created in
 * the emulator through Graph (`POST /groups`, then `POST /groups/{id}/members/$ref`), kept on later runs and deleted
 * by destroy (`DELETE /groups/{id}`, unless registered with `retainOnDelete`, which the engine honours), and the
 * `azuread.getUsers` / `getUser` invokes are answered from the emulator's directory. Any other resource or invoke is
 * refused by name. A rehearsal wraps these handlers: `azureNativeStandIns.ts` plans the monitoring resources and
 * `emulatorGroupLookup.ts` answers `azuread.getGroup` before anything gets here.
 */
import type { EntraClient } from "../../provider/http/client";
import { isRecord } from "../../lib/predicates";
import { changedProperties, type EngineState, type ResourceDeleter } from "../../engine/engine";
import { type CallHandler, echoResource, type ResourceHandler } from "../../engine/mockRun";

export const groupType = "azuread:index/group:Group";
export const getUsersToken = "azuread:index/getUsers:getUsers";
export const getUserToken = "azuread:index/getUser:getUser";

function graphItems(body: unknown): Record<string, unknown>[] {
  return isRecord(body) && Array.isArray(body.value) ? body.value.filter(isRecord) : [];
}

const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

async function findUserByPrincipalName(graph: EntraClient, name: string): Promise<Record<string, unknown> | undefined> {
  const filter = encodeURIComponent(`userPrincipalName eq ${odataString(name)}`);
  const response = await graph.send({
    api: "graph",
    method: "GET",
    path: `/v1.0/users?$filter=${filter}`,
    permission: "User.Read.All",
  });
  return graphItems(response.body)[0];
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** A Graph user in the shape of azuread's `GetUsersUser` / `getUser` result. */
export function azureadUser(user: Record<string, unknown>): Record<string, unknown> {
  const userPrincipalName = text(user.userPrincipalName);
  return {
    accountEnabled: user.accountEnabled !== false,
    displayName: text(user.displayName),
    employeeId: text(user.employeeId),
    mail: text(user.mail),
    // assumed: the emulator has no mailNickname on users; the local part of the UPN is what Entra derives.
    mailNickname: text(user.mailNickname) || userPrincipalName.split("@")[0],
    objectId: text(user.id),
    onpremisesImmutableId: "",
    onpremisesSamAccountName: "",
    onpremisesUserPrincipalName: "",
    usageLocation: text(user.usageLocation),
    userPrincipalName,
  };
}

/** Answers azuread's user invokes from the emulator's directory; refuses every other invoke by name. */
export function emulatorCallHandler(graph: EntraClient): CallHandler {
  return async ({ token, inputs }) => {
    if (token === getUsersToken) {
      const unsupported = ["objectIds", "mails", "mailNicknames", "employeeIds", "returnAll"].filter(
        (key) =>
          inputs[key] !== undefined &&
          inputs[key] !== false &&
          !(Array.isArray(inputs[key]) && inputs[key].length === 0),
      );
      if (unsupported.length > 0) {
        throw new Error(
          `rehearsal: azuread.getUsers by ${unsupported.join(", ")} is not emulated; only userPrincipalNames`,
        );
      }
      const names = Array.isArray(inputs.userPrincipalNames) ? inputs.userPrincipalNames.map(String) : [];
      const found: Record<string, unknown>[] = [];
      const missing: string[] = [];
      for (const name of names) {
        const user = await findUserByPrincipalName(graph, name);
        if (user === undefined) missing.push(name);
        else found.push(azureadUser(user));
      }
      // Per the azuread docs: without ignoreMissing any missing user fails the lookup; with it, the lookup "will
      // still fail if no users are found". The provider's exact wording is not reproduced.
      if (missing.length > 0 && (inputs.ignoreMissing !== true || found.length === 0)) {
        throw new Error(
          `azuread.getUsers: no user with user principal name ${missing.join(", ")} in the tenant ` +
            "(the emulator's directory). Users must exist before they can be added to the pilot group.",
        );
      }
      const column = (key: string): string[] => found.map((user) => text(user[key]));
      return {
        id: `users#${column("objectId").join(",")}`,
        ignoreMissing: inputs.ignoreMissing === true,
        returnAll: false,
        employeeIds: column("employeeId"),
        mailNicknames: column("mailNickname"),
        mails: column("mail"),
        objectIds: column("objectId"),
        userPrincipalNames: column("userPrincipalName"),
        users: found,
      };
    }
    if (token === getUserToken) {
      const key = [inputs.userPrincipalName, inputs.objectId].find(
        (value) => typeof value === "string" && value !== "",
      );
      if (typeof key !== "string") {
        throw new Error("rehearsal: azuread.getUser is emulated by userPrincipalName or objectId only");
      }
      const user =
        typeof inputs.userPrincipalName === "string" && inputs.userPrincipalName !== ""
          ? await findUserByPrincipalName(graph, inputs.userPrincipalName)
          : await graph
              .send({
                api: "graph",
                method: "GET",
                path: `/v1.0/users/${encodeURIComponent(key)}`,
                permission: "User.Read.All",
              })
              .then((response) => (isRecord(response.body) ? response.body : undefined))
              .catch(() => undefined);
      if (user === undefined)
        throw new Error(`azuread.getUser: no user ${key} in the tenant (the emulator's directory)`);
      return { ...azureadUser(user), id: text(user.id) };
    }
    throw new Error(`rehearsal: the invoke ${token} is not emulated; only azuread.getUsers and azuread.getUser are`);
  };
}

async function addMembers(graph: EntraClient, groupId: string, members: string[]): Promise<void> {
  for (const member of members) {
    await graph.send({
      api: "graph",
      method: "POST",
      path: `/v1.0/groups/${encodeURIComponent(groupId)}/members/$ref`,
      body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${member}` },
      permission: "GroupMember.ReadWrite.All",
    });
  }
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/**
 * Creates `azuread.Group`s in the emulator (and keeps them on later runs), echoes components and provider
 * references, and refuses any other resource: the rehearsal only knows what this project's program registers.
 */
export function emulatorResourceHandler(graph: EntraClient, priorState: EngineState = {}): ResourceHandler {
  return async (request) => {
    if (!request.custom || request.type.startsWith("pulumi:providers:")) return echoResource(request);
    if (request.type !== groupType || request.kind !== "register") {
      throw new Error(
        `rehearsal: ${request.type} "${request.name}" is not emulated; only the pilot group (azuread.Group) and ` +
          "the entra-sspr resources are",
      );
    }
    const inputs = request.inputs;
    const displayName = text(inputs.displayName);
    const members = stringList(inputs.members);
    const prior = priorState[request.urn];
    if (prior?.id !== undefined) {
      // A later run: the group exists; only new members can be applied (the emulator has no group PATCH).
      const changed = changedProperties(prior.inputs, inputs);
      const added = members.filter((member) => !stringList(prior.inputs.members).includes(member));
      const unsupported = changed.filter((name) => name !== "members");
      const removed = stringList(prior.inputs.members).filter((member) => !members.includes(member));
      if (unsupported.length > 0 || removed.length > 0) {
        throw new Error(
          `rehearsal: changing the pilot group's ${[...unsupported, ...(removed.length > 0 ? ["members (removal)"] : [])].join(", ")} ` +
            "is not emulated; rehearse against a fresh emulator instead",
        );
      }
      await addMembers(graph, prior.id, added);
      return { id: prior.id, state: { ...prior.outputs, ...inputs, objectId: prior.id } };
    }
    if (inputs.preventDuplicateNames === true) {
      const filter = encodeURIComponent(`displayName eq ${odataString(displayName)}`);
      const existing = await graph.send({
        api: "graph",
        method: "GET",
        path: `/v1.0/groups?$filter=${filter}`,
        permission: "Group.Read.All",
      });
      const duplicates = graphItems(existing.body);
      if (duplicates.length > 0) {
        throw new Error(
          `azuread.Group "${request.name}": a group named "${displayName}" already exists in the tenant ` +
            `(id ${text(duplicates[0].id)}) and preventDuplicateNames is set. Use the existing group ` +
            `(sspr:settings.group: { id: ${text(duplicates[0].id)} }) or choose another displayName.`,
        );
      }
    }
    const created = await graph.send({
      api: "graph",
      method: "POST",
      path: "/v1.0/groups",
      body: {
        displayName,
        description: typeof inputs.description === "string" ? inputs.description : null,
        // assumed: azuread generates a random mail nickname when none is given; Graph requires one.
        mailNickname: text(inputs.mailNickname) || `sspr-${Math.random().toString(16).slice(2, 10)}`,
        mailEnabled: inputs.mailEnabled === true,
        securityEnabled: inputs.securityEnabled !== false,
        groupTypes: stringList(inputs.types),
      },
      permission: "Group.Create",
    });
    const group = isRecord(created.body) ? created.body : {};
    const id = text(group.id);
    if (id === "") throw new Error(`rehearsal: the emulator created group "${displayName}" without an id`);
    await addMembers(graph, id, members);
    return { id, state: { ...inputs, objectId: id, mailNickname: text(group.mailNickname) } };
  };
}

/**
 * Deletes what destroy deletes through `@pulumi/azuread`: an `azuread.Group` through Graph (`DELETE /groups/{id}`,
 * Group.ReadWrite.All, docs `group-delete`); a failure (a 404 included) fails the delete, naming the group. The
 * azure-native stand-ins only planned their resources, so there is nothing to delete for them.
 */
export function emulatorResourceDeleter(graph: EntraClient): ResourceDeleter {
  return async (entry) => {
    if (entry.type !== groupType || entry.id === undefined) return;
    await graph.send({
      api: "graph",
      method: "DELETE",
      path: `/v1.0/groups/${encodeURIComponent(entry.id)}`,
      permission: "Group.ReadWrite.All",
    });
  };
}
