/**
 * What `npm run readiness` and `npm run doctor` share: their options (`--stack`, `--stack-file`, `--seed`,
 * `--emulator`, `--json`), opening the stack's tenant and reading it once. Thin: the work is in the modules beside this one.
 */
import { parseArgs } from "node:util";
import { openStackTenant, type StackTenant, type StackTenantOptions } from "./stackTenant";
import { readTenantSnapshot } from "./tenantSnapshot";
import type { TenantSnapshot } from "./types";

export interface CommonOptions extends StackTenantOptions {
  json: boolean;
  user?: string;
}

export function parseCommonArgs(
  argv: string[],
  withUser: boolean,
): { options: CommonOptions } | { problems: string[] } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        "stack-file": { type: "string" },
        seed: { type: "string" },
        emulator: { type: "boolean" },
        json: { type: "boolean" },
        ...(withUser ? { user: { type: "string" as const } } : {}),
      },
      strict: true,
    }));
  } catch (error) {
    return { problems: [error instanceof Error ? error.message : String(error)] };
  }
  const problems: string[] = [];
  if (values.stack === undefined && values["stack-file"] === undefined)
    problems.push("--stack <name> is required (reads Pulumi.<name>.yaml)");
  if (values.stack !== undefined && values["stack-file"] !== undefined)
    problems.push("give --stack or --stack-file, not both");
  if (withUser && (typeof values.user !== "string" || !values.user.includes("@")))
    problems.push(
      `--user is ${JSON.stringify(values.user)}; a user principal name such as c.vogel@munyakazi.org is required`,
    );
  if (problems.length > 0) return { problems };
  return {
    options: {
      stack: values.stack as string | undefined,
      stackFile: values["stack-file"] as string | undefined,
      seed: values.seed as string | undefined,
      emulator: values.emulator === true,
      json: values.json === true,
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
