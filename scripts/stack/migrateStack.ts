/**
 * `npm run migrate-stack -- --stack <name>`: moves a stack file's SSPR settings from their old place
 * (`entra-sspr:sspr`) to `sspr:settings`, in place. Only the key's own line changes (and a commented-out copy of it),
 * so every comment, the order and every value stay as written; a secret (`secure:`) moves with its key, since a
 * passphrase or cloud secrets provider does not bind a value to its key. The provider's own config
 * (`entra-sspr:tenantId`, `entra-sspr:endpoints`) stays where it is.
 */
import * as fs from "node:fs";
import { stackFileOf } from "../../components/openStack";
import { legacySettingsKey, settingsKey } from "../../components/configProblems";
import { parseStackCommandLine } from "./stackCommandLine";

export const migrateStackUsage =
  "usage: npm run migrate-stack -- --stack <name>\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack)\n" +
  `  Moves the SSPR settings from ${legacySettingsKey} to ${settingsKey} in the stack file, in place, keeping\n` +
  "  its comments, order and values; then commit the file. A file already moved is left as it is.\n" +
  "  --stack NAME         the stack of Pulumi.<name>.yaml in the repository root\n" +
  "  --stack-file PATH    a stack file elsewhere, instead of --stack\n" +
  "  --help, -h           this text";

/** A config key at the start of a line (indented, or in a comment `# key:`), with what follows its name. */
const keyLine = (key: string) => new RegExp(`^(\\s*(?:#\\s*)?)${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\s*:)`);

export type Migration = { text: string; moved: boolean } | { problem: string };

/** The stack file's text with the old key renamed; a file with both keys is refused (which one holds the truth?). */
export function migrateStackText(text: string): Migration {
  const lines = text.split("\n");
  const live = (key: string) => lines.some((line) => keyLine(key).test(line) && !/^\s*#/.test(line));
  if (!live(legacySettingsKey)) return { text, moved: false };
  if (live(settingsKey)) {
    return {
      problem:
        `the file has both ${legacySettingsKey} and ${settingsKey}; keep the settings at ${settingsKey} only and ` +
        `remove ${legacySettingsKey} by hand`,
    };
  }
  const renamed = lines.map((line) => line.replace(keyLine(legacySettingsKey), `$1${settingsKey}$2`));
  return { text: renamed.join("\n"), moved: true };
}

export async function main(
  argv: string[],
  say: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
): Promise<number> {
  const { stack, stackFile, problems } = parseStackCommandLine(argv, {});
  if (problems.length > 0) {
    say(`${problems.join("\n")}\n${migrateStackUsage}`);
    return 2;
  }
  const { file } = stackFileOf({ stack, stackFile });
  let before: string;
  try {
    before = fs.readFileSync(file, "utf8");
  } catch (error) {
    say(`${file}: cannot read the stack file (${error instanceof Error ? error.message : String(error)})`);
    return 1;
  }
  const migration = migrateStackText(before);
  if ("problem" in migration) {
    say(`${file}: nothing changed: ${migration.problem}`);
    return 1;
  }
  if (!migration.moved) {
    say(`${file}: nothing to move (no ${legacySettingsKey})`);
    return 0;
  }
  fs.writeFileSync(file, migration.text);
  say(`${file}: moved ${legacySettingsKey} to ${settingsKey}; comments, order and values are as they were`);
  return 0;
}
