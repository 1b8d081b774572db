/**
 * The ownership mark: which stack owns a tenant's SSPR, kept IN the tenant so that stacks in other repositories,
 * backends and machines see it too. It is an open extension of the organization object (Graph docs
 * `opentypeextension-post-opentypeextension`: the organization supports open extensions; read with `User.Read`
 * delegated or `Organization.Read.All` application, written with `Organization.ReadWrite.All`). Graph has no
 * SSPR-scoped place a tool may write its own data to; the organization is the tenant-wide object every caller can
 * read.
 *
 * The mark holds the fully qualified stack name (`organization/project/stack`) and a claim: a random id the owning
 * stack also keeps in its state. Names alone cannot tell two copies of one stack apart (another repository, a lost
 * state); the claim can. Every tenant singleton checks the claim before it writes, and before destroy puts anything
 * back: after another stack took over, the old stack writes nothing.
 *
 * Plain functions over the HTTP layer: captured by value into the serialized providers.
 */
import type { EntraClient } from "./client";
import { isEntraError } from "./errors";
import { isGuid, isRecord } from "./predicates";

/** The extension's name (open extension names are free text; reverse-DNS is only a recommendation). */
export const ownershipExtensionName = "entraSspr.ownership";
/** Reading the mark: any Graph token of the tenant (delegated `User.Read`, or `Organization.Read.All` for an app). */
export const ownershipReadPermissions = ["Organization.Read.All", "Organization.ReadWrite.All", "User.Read"] as const;
export const ownershipReadPermission = ownershipReadPermissions[0];
/** Writing it: `Organization.ReadWrite.All` (delegated or application). */
export const ownershipWritePermissions = ["Organization.ReadWrite.All"] as const;
export const ownershipWritePermission = ownershipWritePermissions[0];

/** What the mark says. */
export interface OwnershipMark {
  /** Fully qualified name of the owning stack: `organization/project/stack`. */
  stack: string;
  /** The owning stack's claim (a random id in its state). */
  claim: string;
  /** When it was claimed (ISO 8601). */
  claimedAt: string;
}

/** What a singleton carries to prove its stack still owns the tenant (outputs of `TenantOwnership`). */
export interface OwnershipProof {
  organizationId: string;
  claim: string;
  stack: string;
}

/** The organization's id (the tenant id as a GUID, whatever name the stack gives the tenant). */
export async function organizationId(client: EntraClient): Promise<string> {
  const response = await client.send({
    api: "graph",
    method: "GET",
    path: "/v1.0/organization?$select=id",
    permission: ownershipReadPermission,
  });
  const first = isRecord(response.body) && Array.isArray(response.body.value) ? response.body.value[0] : undefined;
  if (!isRecord(first) || !isGuid(first.id)) throw new Error("TenantOwnership: Graph returned no organization id");
  return first.id.toLowerCase();
}

const markPath = (organization: string): string =>
  `/v1.0/organization/${organization}/extensions/${ownershipExtensionName}`;

/** The mark, or undefined when the tenant has none (404). Any other failure is an error, never "no owner". */
export async function readMark(client: EntraClient, organization: string): Promise<OwnershipMark | undefined> {
  try {
    const response = await client.send({
      api: "graph",
      method: "GET",
      path: markPath(organization),
      permission: ownershipReadPermission,
    });
    const body = isRecord(response.body) ? response.body : {};
    return {
      stack: String(body.stack ?? ""),
      claim: String(body.claim ?? ""),
      claimedAt: String(body.claimedAt ?? ""),
    };
  } catch (error) {
    if (isEntraError(error) && error.status === 404) return undefined;
    throw error;
  }
}

/** Writes the mark: a new extension, or the existing one replaced (a takeover or a renamed stack). */
export async function writeMark(
  client: EntraClient,
  organization: string,
  mark: OwnershipMark,
  exists: boolean,
): Promise<void> {
  const body = { "@odata.type": "microsoft.graph.openTypeExtension", extensionName: ownershipExtensionName, ...mark };
  await client.send({
    api: "graph",
    method: exists ? "PATCH" : "POST",
    path: exists ? markPath(organization) : `/v1.0/organization/${organization}/extensions`,
    body,
    permission: ownershipWritePermission,
  });
}

export async function deleteMark(client: EntraClient, organization: string): Promise<void> {
  await client.send({
    api: "graph",
    method: "DELETE",
    path: markPath(organization),
    permission: ownershipWritePermission,
  });
}

/** "stack X (claimed ...)" for messages. */
export function describeOwner(mark: OwnershipMark): string {
  return `stack ${mark.stack}${mark.claimedAt ? ` (claimed ${mark.claimedAt})` : ""}`;
}

/** How to take a tenant over, in one sentence. */
export function takeOverAdvice(mark: OwnershipMark): string {
  return (
    `One stack owns a tenant's SSPR. If this stack is to own it from now on, set entra-sspr:takeOverFrom to ` +
    `"${mark.stack}" and run again: ${mark.stack} will then write nothing to the tenant, not even on destroy.`
  );
}

/** Whether the tenant's mark still holds this stack's claim. */
export async function holdsClaim(
  client: EntraClient,
  proof: OwnershipProof,
): Promise<{ held: boolean; mark?: OwnershipMark }> {
  const mark = await readMark(client, proof.organizationId);
  return { held: mark !== undefined && mark.claim === proof.claim, mark };
}

/** Throws, naming the owner, when the stack no longer owns the tenant: nothing may be written then. */
export async function assertOwnership(client: EntraClient, proof: OwnershipProof, kind: string): Promise<void> {
  const { held, mark } = await holdsClaim(client, proof);
  if (held) return;
  throw new Error(
    `${kind}: nothing was written: stack ${proof.stack} no longer owns this tenant's SSPR; ` +
      (mark === undefined
        ? "the tenant's ownership mark is gone (run pulumi up to claim it again)."
        : `${describeOwner(mark)} does. ${takeOverAdvice(mark)}`),
  );
}

/** The ownership proof of a singleton's inputs, when it carries one (stacks made before ownership carry none). */
export function ownershipProofOf(value: unknown): OwnershipProof | undefined {
  if (!isRecord(value)) return undefined;
  const { organizationId: organization, claim, stack } = value;
  if (typeof organization !== "string" || typeof claim !== "string" || typeof stack !== "string") return undefined;
  return { organizationId: organization, claim, stack };
}
