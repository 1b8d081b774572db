/**
 * `npm run doctor -- --stack <name> --user <upn> [--seed tenant.json] [--emulator] [--json]`
 *
 * The runbook's "Common Errors & Fixes" for one person: one check per row (and the checks the rows imply), each
 * with pass or fail, what was found and the fix in the runbook's words. Exit code: 0 the user can reset; 1 they
 * cannot; 3 it cannot be told (a permission or licence is missing to read something); 2 bad options.
 */
import { diagnose } from "./judgement";
import { doctorJson, formatDiagnosis } from "./words";
import { parseCommonArgs, readStackTenant } from "./commandLine";
import type { ProviderHost } from "../../engine/providerHost";

export const doctorUsage =
  "usage: npm run doctor -- --stack <name> --user <upn> [--seed tenant.json] [--emulator] [--json]\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack)";

export async function main(
  argv: string[],
  say: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
  /** A running provider plugin for the rehearsal of an emulated tenant (tests share one). */
  host?: ProviderHost,
): Promise<number> {
  const parsed = parseCommonArgs(argv, true);
  if ("problems" in parsed) {
    say(`${parsed.problems.join("\n")}\n${doctorUsage}`);
    return 2;
  }
  const read = await readStackTenant({ ...parsed.options, host });
  if ("problems" in read) {
    say(`Nothing was read:\n${read.problems.map((line) => `  ${line}`).join("\n")}`);
    return 2;
  }
  const diagnosis = diagnose(read.snapshot, String(parsed.options.user));
  say(parsed.options.json ? doctorJson(diagnosis) : formatDiagnosis(diagnosis, read.tenant.description));
  return diagnosis.canReset ? 0 : diagnosis.undetermined ? 3 : 1;
}
