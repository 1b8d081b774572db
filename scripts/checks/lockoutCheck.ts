/**
 * `npm run lockout-check -- --stack <name>`: the lockout guards that need the tenant, before `pulumi up`.
 *
 * `pulumi preview` runs the same guards where it can sign in (the component logs them); this command runs them
 * read-only with the stack's own endpoints and credentials (Graph `GET`s of the methods policy and the groups
 * involved; the portal policy only when the tenant is before or in the migration), before anything is written, and
 * prints every warning with the setting, the value and the fix in admin-center words (`components/lockoutGuards.ts`).
 * The config-only guards are printed too. A lab stack (loopback endpoints) is read from a fresh emulator this command
 * starts (the sample tenant, the stack not applied), so none has to be running. Exit codes: 0 no warning,
 * 1 warnings, 2 invalid config or arguments (nothing read), 3 the tenant could not be read. What the check cannot
 * tell (a report the tenant is not licensed for) is printed as a warning and changes no exit code: it never stops a
 * deploy.
 */
import { parseArgs } from "node:util";
import { openStack } from "../../components/openStack";
import { createEntraClient } from "../../provider/http/client";
import { redactSecrets } from "../../provider/http/errors";
import { readLockoutFacts } from "../../provider/reader/lockoutFacts";
import { configLockoutWarnings, tenantLockoutWarnings } from "../../components/lockoutGuards";
import { checkedTenantEndpoints, type CheckedTenantEndpoints } from "../stack/labEmulator";

export interface LockoutCheckOptions {
  stack?: string;
  stackFile?: string;
  /** Use this emulator instead of the stack's endpoints (tests, rehearsals). */
  emulatorUrl?: string;
  now?: Date;
}

export interface LockoutCheckResult {
  /** Config problems (nothing was read) or the failure to read the tenant. */
  errors: string[];
  /** What the errors are about: the config (nothing was read) or reading the tenant. */
  errorKind?: "config" | "tenant";
  warnings: string[];
  /** What could not be read and so cannot be told (no Entra ID P1 for the registration report): never a stop. */
  cannotTell: string[];
  readTenant: boolean;
}

export async function lockoutCheck(options: LockoutCheckOptions): Promise<LockoutCheckResult> {
  const now = options.now ?? new Date();
  const opened = openStack(options, now);
  if (opened.args === undefined) {
    return { errors: opened.problems, errorKind: "config", warnings: [], cannotTell: [], readTenant: false };
  }
  const args = opened.args;
  const warnings = configLockoutWarnings(args, now);
  let tenant: CheckedTenantEndpoints | undefined;
  try {
    // A lab stack reads an emulator of its own unless one is given; a real stack reads its tenant.
    tenant = await checkedTenantEndpoints(options.emulatorUrl === undefined ? opened : { ...opened, lab: true }, {
      emulatorUrl: options.emulatorUrl,
    });
    const client = createEntraClient({ tenantId: args.tenantId, endpoints: tenant.endpoints });
    const facts = await readLockoutFacts(client, args);
    const tenantWarnings = tenantLockoutWarnings(args, facts);
    return {
      errors: [],
      warnings: [...warnings, ...tenantWarnings],
      cannotTell: facts.cannotTell ?? [],
      readTenant: true,
    };
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    const errors = [`the tenant could not be read (nothing was written): ${message}`];
    return { errors, errorKind: "tenant", warnings, cannotTell: [], readTenant: false };
  } finally {
    await tenant?.close();
  }
}

export const lockoutCheckUsage =
  "usage: npm run lockout-check -- --stack <name>   (or --stack-file path/to/Pulumi.<name>.yaml)\n" +
  "  Reads the tenant (never writes) and checks the stack's settings for lockouts before a deploy.\n" +
  "  --stack NAME         the stack of Pulumi.<name>.yaml: its tenant and settings\n" +
  "  --stack-file PATH    a stack file elsewhere, instead of --stack\n" +
  "  --help, -h           this text\n" +
  "  Exit 0: no warning; 1: warnings; 2: the config is invalid; 3: the tenant could not be read.";

export async function main(
  argv: string[],
  write: (text: string) => void = (text) => process.stdout.write(text),
  /** A running emulator to read instead of the stack's endpoints (tests share one). */
  emulatorUrl?: string,
) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { stack: { type: "string" }, "stack-file": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (values.stack === undefined && values["stack-file"] === undefined) {
    write(`${lockoutCheckUsage}\n`);
    return 2;
  }
  const result = await lockoutCheck({
    stack: values.stack as string | undefined,
    stackFile: values["stack-file"] as string | undefined,
    emulatorUrl,
  });
  const lines = [
    ...result.errors.map((line) => `error: ${line}`),
    ...result.warnings.map((line) => `warning: ${line}`),
    ...(result.errors.length + result.warnings.length === 0 ? ["No lockout found."] : []),
    ...result.cannotTell.map((line) => `warning: ${line}`),
  ];
  write(`${lines.join("\n")}\n`);
  if (result.errors.length > 0) return result.errorKind === "tenant" ? 3 : 2;
  return result.warnings.length > 0 ? 1 : 0;
}
