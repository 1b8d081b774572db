/**
 * PilotGroupRelease: the pilot group a stack creates follows the tenant's ownership. The `azuread.Group` is
 * registered with `retainOnDelete`, so Pulumi never deletes it by itself; this resource deletes it on destroy, which
 * runs after the singletons have put the tenant back (they depend on it) and before the ownership claim goes (it
 * depends on that), and only when both hold:
 *   - this stack still owns the tenant: the mark holds its claim, or is missing and nobody else claims the tenant
 *     (`ownershipAtDestroy`, the singletons' decision too);
 *   - nothing in the tenant names the group any more: the SSPR policy (`passwordResetEnabledGroupIds`) or any target
 *     of the authentication methods policy (include, exclude and feature targets of every method, the policy's own).
 * Otherwise it leaves the group and says why: deleting a group SSPR or a method still points at takes reset (or the
 * method) away from its members. After a takeover the group belongs to the new owner. With `onDelete: retain` the
 * group stays, as the tenant's settings do.
 *
 *   check   validates every input at once (tenant, endpoints, onDelete, ownership, groupId, displayName);
 *   create  records the group; nothing is written;
 *   read    records; says when another stack owns the tenant now (refresh shows it);
 *   update  records; a new group id is a replace, so the old group is released as on destroy;
 *   delete  as above.
 */
import { pilotGroupDescription } from "../../lib/resourceTypes";
import { createEntraClient, type EntraClient } from "../http/client";
import { isEntraError } from "../http/errors";
import { groupReadPermission, referencedGroupIds } from "../reader/groupExistence";
import { failure, validateCommon } from "../objects/inputChecks";
import { isUnknown } from "../objects/jsonValues";
import {
  describeOwner,
  organizationId,
  ownershipAtDestroy,
  ownershipProofOf,
  readMark,
  warnFromProvider,
  type OwnershipProof,
} from "./ownershipMark";
import { readTenantObject } from "../reader/tenantReader";
import { isGuid, isRecord } from "../../lib/predicates";
import { pilotGroupWritePermissions } from "../grants/grants";
import type { CheckFailure } from "../objects/singletonSpec";
import { defaultEndpoints, type EntraEndpoints } from "../../lib/endpoints";

type Props = Record<string, unknown>;

/**
 * Deleting the group the stack created: the identity that created it under Group.Create is its owner, and an owner
 * may delete it (the azuread provider's docs; Graph's `group-delete` page lists only Group.ReadWrite.All, so a tenant
 * that refuses an owner's delete needs that grant: unverified on a real tenant). The permission list's
 * `pilotGroupWrite` entry covers it.
 */
export const groupDeletePermission = pilotGroupWritePermissions[0];

const releaseKeys = ["groupId", "displayName"];

export function validatePilotGroupRelease(inputs: Props): CheckFailure[] {
  const failures = validateCommon(inputs, releaseKeys, false);
  const { groupId, displayName } = inputs;
  if (!isUnknown(groupId) && !isGuid(groupId)) failures.push(failure("groupId", groupId, "the group's object id"));
  if (!isUnknown(displayName) && (typeof displayName !== "string" || displayName === "")) {
    failures.push(failure("displayName", displayName, "the group's display name"));
  }
  return failures;
}

interface ReleaseInputs {
  tenantId: string;
  endpoints: EntraEndpoints;
  onDelete: string;
  groupId: string;
  displayName: string;
  ownership?: OwnershipProof;
}

function inputsOf(props: Props): ReleaseInputs {
  const proof = ownershipProofOf(props.ownership);
  return {
    tenantId: String(props.tenantId),
    endpoints: (isRecord(props.endpoints) ? props.endpoints : defaultEndpoints) as unknown as EntraEndpoints,
    onDelete: typeof props.onDelete === "string" ? props.onDelete : "restore",
    groupId: String(props.groupId).toLowerCase(),
    displayName: String(props.displayName),
    ...(proof === undefined ? {} : { ownership: proof }),
  };
}

const clientFor = (inputs: ReleaseInputs): EntraClient =>
  createEntraClient({ tenantId: inputs.tenantId, endpoints: inputs.endpoints });

/** The two documents that can name a pilot group: the SSPR policy (portal) and the authentication methods policy. */
async function readNamingPolicies(client: EntraClient): Promise<{ portal: unknown; methods: Props }> {
  const portal = await readTenantObject(client, "passwordResetPolicy");
  const methods = await readTenantObject(client, "authenticationMethodsPolicy");
  return { portal, methods };
}

/**
 * What in the tenant names the group, in admin-center words: the SSPR policy (Password reset > Properties) and the
 * methods that target it (include, exclude or feature targets), or the methods policy's own settings.
 */
export async function whatNamesGroup(client: EntraClient, groupId: string): Promise<string[]> {
  const id = groupId.toLowerCase();
  const names: string[] = [];
  const { portal, methods: policy } = await readNamingPolicies(client);
  if (referencedGroupIds(portal).includes(id)) names.push("the SSPR policy (Password reset > Properties)");
  const { authenticationMethodConfigurations: configurations, ...root } = policy;
  const methods = (Array.isArray(configurations) ? configurations : [])
    .filter((configuration) => isRecord(configuration) && referencedGroupIds(configuration).includes(id))
    .map((configuration) => String((configuration as Props).id));
  if (methods.length > 0) names.push(`the authentication methods policy (${methods.join(", ")})`);
  if (referencedGroupIds(root).includes(id)) names.push("the authentication methods policy's own settings");
  return names;
}

/**
 * At the preview of a takeover: what becomes of the pilot groups the old owner created (told apart by their
 * description) that the tenant's SSPR or methods policy names. Empty when the mark no longer names `takeOverFrom`
 * (the takeover has landed) or the old owner created none.
 */
export async function takenOverPilotGroups(client: EntraClient, takeOverFrom: string): Promise<string[]> {
  const mark = await readMark(client, await organizationId(client));
  if (mark === undefined || mark.stack !== takeOverFrom) return [];
  const { portal, methods } = await readNamingPolicies(client);
  const lines: string[] = [];
  for (const id of referencedGroupIds([portal, methods])) {
    const response = await client.send({
      api: "graph",
      method: "GET",
      path: `/v1.0/groups/${encodeURIComponent(id)}?$select=id,displayName,description`,
      permission: groupReadPermission,
    });
    const group = isRecord(response.body) ? response.body : {};
    if (group.description !== pilotGroupDescription) continue;
    lines.push(
      `the pilot group '${String(group.displayName)}' (${id}) that stack ${takeOverFrom} created now belongs to ` +
        `this stack: ${takeOverFrom}'s destroy will leave it, and this stack's destroy does not delete it either ` +
        "(it did not create it); delete it in the Entra admin center once nothing names it.",
    );
  }
  return lines;
}

/** Deletes the group unless another stack owns the tenant or something still names it; says why it leaves it. */
async function release(inputs: ReleaseInputs): Promise<void> {
  if (inputs.onDelete === "retain") return;
  const group = `the pilot group '${inputs.displayName}' (${inputs.groupId})`;
  const client = clientFor(inputs);
  const ownership = await ownershipAtDestroy(client, inputs.ownership);
  if (ownership.kind === "other") {
    await warnFromProvider(
      `PilotGroupRelease: ${group} now belongs to ${describeOwner(ownership.mark)}; destroy leaves it in the ` +
        "tenant (that stack's settings may name it).",
    );
    return;
  }
  let names: string[];
  try {
    names = await whatNamesGroup(client, inputs.groupId);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await warnFromProvider(
      `PilotGroupRelease: ${group} is left in the tenant: could not read whether the SSPR or methods policy still ` +
        `names it (${reason}). Delete it in the Entra admin center once nothing names it.`,
    );
    return;
  }
  if (names.length > 0) {
    await warnFromProvider(
      `PilotGroupRelease: ${group} is left in the tenant: ${names.join(" and ")} still name it, and deleting it ` +
        "would take password reset or a method away from its members.",
    );
    return;
  }
  if (ownership.kind === "missing") {
    await warnFromProvider(
      `PilotGroupRelease: the tenant's ownership mark is missing (deleted outside Pulumi) and no other stack claims ` +
        `the tenant; ${group} is deleted, as nothing names it any more.`,
    );
  }
  try {
    await client.send({
      api: "graph",
      method: "DELETE",
      path: `/v1.0/groups/${encodeURIComponent(inputs.groupId)}`,
      permission: groupDeletePermission,
    });
  } catch (error) {
    // Already deleted (in the admin center): the destroy's aim is met.
    if (isEntraError(error) && error.status === 404) return;
    throw error;
  }
}

export const pilotGroupReleaseProvider = {
  async check(_olds: Props, news: Props) {
    const inputs: Props = { ...news };
    delete inputs.__provider;
    if (inputs.onDelete === undefined) inputs.onDelete = "restore";
    if (inputs.endpoints === undefined) inputs.endpoints = { ...defaultEndpoints };
    return { inputs, failures: validatePilotGroupRelease(inputs) };
  },

  async diff(_id: string, olds: Props, news: Props) {
    const changed = (key: string) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]);
    const replaces = changed("groupId") ? ["groupId"] : [];
    const changes = ["tenantId", "endpoints", "onDelete", "ownership", "groupId", "displayName"].some(changed);
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(props: Props) {
    const inputs = inputsOf(props);
    return { id: `${inputs.tenantId}/pilotGroupRelease/${inputs.groupId}`, outs: { ...props } };
  },

  async read(id: string, props: Props) {
    const inputs = inputsOf(props);
    const proof = inputs.ownership;
    if (proof !== undefined) {
      const mark = await readMark(clientFor(inputs), proof.organizationId);
      if (mark !== undefined && mark.claim !== proof.claim) {
        await warnFromProvider(
          `PilotGroupRelease: the pilot group '${inputs.displayName}' now belongs to ${describeOwner(mark)}; ` +
            "destroy will leave it.",
        );
      }
    }
    return { id, props, inputs: props };
  },

  async update(_id: string, _olds: Props, news: Props) {
    return { outs: { ...news } };
  },

  async delete(_id: string, props: Props) {
    await release(inputsOf(props));
  },
};
