/**
 * What `npm run readiness` and `npm run doctor` share: their options (`--stack`, `--stack-file`, `--seed`,
 * `--emulator`, `--json`), opening the stack's tenant and reading it once. Thin: the work is in the modules beside this one.
 */
import { createEntraClient } from "../../provider/http/client";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { parseStackCommandLine } from "../stack/stackCommandLine";
import { assessReadiness } from "./readinessReport";
import { readinessSummaryLine } from "./words";
import { openStackTenant, type StackTenant, type StackTenantOptions } from "./stackTenant";
import { readTenantSnapshot } from "./tenantSnapshot";
import type { TenantSnapshot } from "./tenantSnapshotTypes";

export interface CommonOptions extends StackTenantOptions {
  json: boolean;
  user?: string;
}

export function parseCommonArgs(
  argv: string[],
  withUser: boolean,
): { options: CommonOptions } | { problems: string[] } {
  const { values, stack, stackFile, json, problems } = parseStackCommandLine(argv, {
    seed: { type: "string" },
    emulator: { type: "boolean" },
    ...(withUser ? { user: { type: "string" as const } } : {}),
  });
  if (withUser && (typeof values.user !== "string" || !values.user.includes("@")))
    problems.push(
      `--user is ${JSON.stringify(values.user)}; a user principal name such as c.vogel@munyakazi.org is required`,
    );
  if (problems.length > 0) return { problems };
  return {
    options: {
      stack,
      stackFile,
      seed: values.seed as string | undefined,
      emulator: values.emulator === true,
      json,
      user: values.user as string | undefined,
    },
  };
}

/** Opens the tenant, reads it (one user or all), closes it. */
export async function readStackTenant(
  options: CommonOptions,
): Promise<{ tenant: Omit<StackTenant, "close" | "client">; snapshot: TenantSnapshot } | { problems: string[] }> {
  const opened = await openStackTenant(options);
  if ("problems" in opened) return opened;
  try {
    const snapshot = await readTenantSnapshot(opened.client, opened.target.tenantId, {
      userPrincipalName: options.user,
    });
    return { tenant: opened, snapshot };
  } finally {
    await opened.close();
  }
}

/** The summary line for a tenant that is already set up (the lab's emulator after its run). */
export async function labReadinessLine(target: EntraTarget): Promise<string> {
  const snapshot = await readTenantSnapshot(createEntraClient(target), target.tenantId);
  return readinessSummaryLine(assessReadiness(snapshot));
}
