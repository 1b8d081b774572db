/**
 * `npm run snapshot -- --stack <name> [--out tenant.json] [--json]`
 *
 * Copies the stack's tenant (its SSPR policies, the groups they and the stack name, and, where permitted, users,
 * roles and registrations) into an emulator seed, with GETs only, so that `rehearse --seed` and `readiness --seed`
 * show what `pulumi up` would do to that tenant. Personal data is reduced to what readiness needs
 * (`tenantCopy.ts`). A lab stack (endpoints at the emulator) copies the emulator running at its endpoints, or else
 * the sample tenant of an emulator this command starts; `--emulator-url` names a running emulator to copy. Exit code 0 when written; 2 for bad options; 1 when nothing was written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { openStackTenant, type StackTenantOptions } from "../readiness/stackTenant";
import { copyPermissions, keptInWords, readTenantCopy, type TenantCopy } from "./tenantCopy";
import { parseStackCommandLine } from "../stack/stackCommandLine";
import { emulatorUrlUsage, runningEmulatorProblems } from "../readiness/commandLine";

export const snapshotUsage =
  "usage: npm run snapshot -- --stack <name> [--out tenant.json] [--emulator-url URL] [--json]\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack; --out defaults to tenant.json)\n" +
  "       then: npm run rehearse -- --stack <name> --seed tenant.json (and readiness the same way)\n" +
  "  Copies the stack's tenant (GET requests only) as an emulator seed.\n" +
  "  --stack NAME         the stack of Pulumi.<name>.yaml: its tenant and settings\n" +
  "  --stack-file PATH    a stack file elsewhere, instead of --stack\n" +
  "  --out FILE           where the seed is written (default tenant.json)\n" +
  `${emulatorUrlUsage}\n` +
  "  --json               print what was copied as JSON\n" +
  "  --help, -h           this text";

export interface SnapshotOptions extends Pick<
  StackTenantOptions,
  "stack" | "stackFile" | "stackDir" | "emulatorUrl" | "useRunningEmulator"
> {
  /** Where the seed is written (default `tenant.json` in the working directory). */
  out?: string;
}

export interface SnapshotResult extends TenantCopy {
  file: string;
  /** Which tenant was read, in words. */
  source: string;
  stack: string;
}

/** The seed file: its `$comment` says what it holds and what it leaves out; the emulator ignores it. */
export function seedFileText(copy: TenantCopy, source: string): string {
  const comment = [
    `A copy of ${source} for the Entra emulator (npm run snapshot).`,
    ...keptInWords,
    ...copy.gaps.map((line) => `Not read: ${line}`),
  ];
  return `${JSON.stringify({ $comment: comment, ...copy.seed }, null, 2)}\n`;
}

/** Reads the stack's tenant (GETs only) and writes the seed; the problems instead when the stack cannot be opened. */
export async function takeSnapshot(options: SnapshotOptions): Promise<SnapshotResult | { problems: string[] }> {
  // The copy names people: it is never written through a symbolic link (which could point anywhere), checked before
  // the tenant is read.
  const out = path.resolve(options.out ?? "tenant.json");
  if (fs.lstatSync(out, { throwIfNoEntry: false })?.isSymbolicLink()) {
    return {
      problems: [
        `--out is ${JSON.stringify(options.out ?? "tenant.json")}, a symbolic link; allowed: a regular file path (or a new one)`,
      ],
    };
  }
  const opened = await openStackTenant({ ...options, applyStack: false });
  if ("problems" in opened) return opened;
  try {
    // A stack scoped to an existing group needs that group in the copy, even before any policy names it.
    const group = opened.args.group;
    const copy = await readTenantCopy(opened.client, opened.target.tenantId, group && "id" in group ? [group.id] : []);
    const file = out;
    // O_NOFOLLOW: a link put there since the check above is refused by the system, not followed.
    const handle = fs.openSync(
      file,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW,
      0o600,
    );
    try {
      fs.writeFileSync(handle, seedFileText(copy, opened.description));
    } finally {
      fs.closeSync(handle);
    }
    fs.chmodSync(file, 0o600); // also when the file was already there: it names people
    return { ...copy, file, source: opened.description, stack: opened.stack };
  } finally {
    await opened.close();
  }
}

/** The Graph permissions and the portal role the reads use. */
export function readWith(): string {
  const { portal, ...graph } = copyPermissions;
  return `${[...new Set(Object.values(graph))].join(", ")} (Microsoft Graph) and the ${portal} role (portal API)`;
}

/** What the command prints: what was read, what the file keeps, what it lacks, and how to rehearse on it. */
export function formatSnapshot(result: SnapshotResult): string {
  const seed = result.seed;
  const count = (items: unknown[] | Record<string, unknown> | undefined): number =>
    Array.isArray(items) ? items.length : Object.keys(items ?? {}).length;
  const relative = path.relative(process.cwd(), result.file) || result.file;
  return [
    `Copied ${result.source} into ${relative} (GET requests only; nothing was written to the tenant).`,
    `  ${count(seed.users)} users, ${count(seed.groups)} groups, ${count(seed.directoryRoles)} directory roles, ` +
      `${count(seed.authenticationMethods)} users with registered methods.`,
    ...keptInWords.map((line) => `  ${line}`),
    ...result.gaps.map((line) => `  Not read: ${line}`),
    `Read with: ${readWith()}.`,
    "The file holds names of people in your tenant: keep it out of version control.",
    `Rehearse on it: npm run rehearse -- --stack ${result.stack} --seed ${relative}`,
    `Readiness on it: npm run readiness -- --stack ${result.stack} --seed ${relative}`,
  ].join("\n");
}

export async function main(
  argv: string[],
  say: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
): Promise<number> {
  const { values, stack, stackFile, json, problems } = parseStackCommandLine(argv, {
    out: { type: "string" },
    "emulator-url": { type: "string" },
  });
  const emulatorUrl = typeof values["emulator-url"] === "string" ? values["emulator-url"] : undefined;
  problems.push(...runningEmulatorProblems(emulatorUrl, values));
  if (problems.length > 0) {
    say(`${problems.join("\n")}\n${snapshotUsage}`);
    return 2;
  }
  const result = await takeSnapshot({ stack, stackFile, out: values.out as string | undefined, emulatorUrl });
  if ("problems" in result) {
    say(`Nothing was read:\n${result.problems.map((line) => `  ${line}`).join("\n")}`);
    return 1;
  }
  say(
    json
      ? JSON.stringify({ file: result.file, source: result.source, kept: keptInWords, missing: result.gaps }, null, 2)
      : formatSnapshot(result),
  );
  return 0;
}
