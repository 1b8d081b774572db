/**
 * `npm run readiness -- --stack <name> [--seed tenant.json] [--emulator] [--json]`
 *
 * Who can reset their password in the stack's tenant, and why the others cannot, in admin-center words. A lab
 * stack is read from a fresh emulator with the stack applied; a real stack from its tenant, read-only. Exit code 0
 * when everybody was judged (whoever cannot reset); 3 when somebody could not be judged (a permission, licence or
 * sign-in missing); 2 for bad options; 1 when the stack could not be opened.
 */
import { assessReadiness } from "./readinessReport";
import { formatReadiness, readinessJson } from "./words";
import { parseCommonArgs, readStackTenant } from "./commandLine";
import type { ProviderHost } from "../../engine/providerHost";

export const readinessUsage =
  "usage: npm run readiness -- --stack <name> [--seed tenant.json] [--emulator] [--json]\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack)";

export async function main(
  argv: string[],
  say: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
  /** A running provider plugin for the rehearsal of an emulated tenant (tests share one). */
  host?: ProviderHost,
): Promise<number> {
  const parsed = parseCommonArgs(argv, false);
  if ("problems" in parsed) {
    say(`${parsed.problems.join("\n")}\n${readinessUsage}`);
    return 2;
  }
  const read = await readStackTenant({ ...parsed.options, host });
  if ("problems" in read) {
    say(`Nothing was read:\n${read.problems.map((line) => `  ${line}`).join("\n")}`);
    return 1;
  }
  const report = assessReadiness(read.snapshot);
  say(parsed.options.json ? readinessJson(report) : formatReadiness(report, read.tenant.description));
  const unread = report.problems.some((problem) => problem.what === "the user");
  return unread || report.counts.undetermined > 0 ? 3 : 0;
}
