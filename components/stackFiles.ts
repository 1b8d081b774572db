/**
 * One stack owns a tenant's SSPR, checked across the project's own stack files before anything runs: two
 * `Pulumi.<stack>.yaml` files of one folder that name the same tenant (and the same Graph endpoint) would undo each
 * other's settings. The tenant's ownership mark (`provider/ownership/ownershipMark.ts`) catches stacks elsewhere;
 * this catches them in review, before either is applied.
 *
 * Tenants are compared by the name the stacks give them (case-insensitive): a stack naming the tenant by its GUID
 * and another by its domain are not matched here, only by the mark.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { normalizeEndpoints } from "./config";
import { openStack } from "./openStack";
import type { SelfServicePasswordResetArgs } from "./ssprArgs";
import { configNamespace } from "./configProblems";

export interface StackFileTenant {
  stack: string;
  file: string;
  tenantId: string;
  graph: string;
}

const stackFilePattern = /^Pulumi\.(.+)\.ya?ml$/;

/** The tenant each stack file of `folder` names (files that cannot be read or name none are skipped). */
export function stackFileTenants(folder: string): StackFileTenant[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  const tenants: StackFileTenant[] = [];
  for (const name of names.sort()) {
    const stack = stackFilePattern.exec(name)?.[1];
    if (stack === undefined) continue;
    // A file with problems is still compared by the tenant it names; its own run reports the problems.
    const opened = openStack({ stackFile: path.join(folder, name), quiet: true });
    const tenantId = opened.config[`${configNamespace}:tenantId`];
    if (typeof tenantId !== "string") continue;
    tenants.push({ stack, file: name, tenantId, graph: opened.endpoints.graph });
  }
  return tenants;
}

/**
 * A problem when another stack file of `folder` names this stack's tenant, unless this stack takes the tenant over
 * (`takeOverFrom`). Only checked where this stack's own file is in `folder` (the project folder of a real run).
 */
export function sameTenantProblems(
  folder: string,
  stack: string,
  args: Pick<SelfServicePasswordResetArgs, "tenantId" | "endpoints" | "takeOverFrom">,
): string[] {
  const tenants = stackFileTenants(folder);
  if (args.takeOverFrom !== undefined || !tenants.some((tenant) => tenant.stack === stack)) return [];
  const graph = normalizeEndpoints(args.endpoints ?? {}).graph;
  const others = tenants.filter(
    (tenant) =>
      tenant.stack !== stack && tenant.tenantId.toLowerCase() === args.tenantId.toLowerCase() && tenant.graph === graph,
  );
  if (others.length === 0) return [];
  const named = others.map((other) => `${other.stack} (${other.file})`).join(", ");
  return [
    `${configNamespace}:tenantId: "${args.tenantId}" is also the tenant of stack ${named} in this project; one stack ` +
      "owns a tenant's SSPR, and two would undo each other's settings. Point one of them at another tenant, remove " +
      `one, or set ${configNamespace}:takeOverFrom on the stack that takes the tenant over`,
  ];
}
