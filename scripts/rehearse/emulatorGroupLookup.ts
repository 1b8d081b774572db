/**
 * Rehearsal stand-in for `azuread.getGroup` (by object id), answered from the emulator's directory through Graph
 * (`GET /v1.0/groups/{id}`), so that a stack naming an existing group is checked at "preview" as on a real tenant.
 * Other invokes go to the handler it wraps.
 */
import type { EntraClient } from "../../provider/http/client";
import { isEntraError } from "../../provider/http/errors";
import { isRecord } from "../../lib/predicates";
import { getGroupToken } from "../../components/existingGroup";
import type { CallHandler } from "../../engine/mockRun";

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** A Graph group in the shape of azuread's `GetGroupResult` (the members the program reads, and a few more). */
export function azureadGroup(group: Record<string, unknown>): Record<string, unknown> {
  const id = text(group.id);
  return {
    id,
    objectId: id,
    displayName: text(group.displayName),
    description: text(group.description),
    mailEnabled: group.mailEnabled === true,
    mailNickname: text(group.mailNickname),
    securityEnabled: group.securityEnabled === true,
    types: Array.isArray(group.groupTypes) ? group.groupTypes.map(String) : [],
  };
}

export function withGroupLookup(next: CallHandler, graph: EntraClient): CallHandler {
  return async (request) => {
    if (request.token !== getGroupToken) return next(request);
    const id = request.inputs.objectId;
    if (typeof id !== "string" || id === "") {
      throw new Error("rehearsal: azuread.getGroup is emulated by objectId only");
    }
    try {
      const response = await graph.send({
        api: "graph",
        method: "GET",
        path: `/v1.0/groups/${encodeURIComponent(id)}`,
        permission: "GroupMember.Read.All",
      });
      return azureadGroup(isRecord(response.body) ? response.body : {});
    } catch (error) {
      // unverified: azuread's own wording; the Terraform provider it wraps says "Group with object ID ... was not found".
      if (isEntraError(error) && error.status === 404) throw new Error(`Group with object ID "${id}" was not found`);
      throw error;
    }
  };
}
