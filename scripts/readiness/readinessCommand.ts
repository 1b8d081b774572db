/**
 * `npm run readiness -- --stack <name> [--on YYYY-MM-DD] [--seed tenant.json] [--emulator] [--json]`
 *
 * Who can reset their password in the stack's tenant, and why the others cannot, in admin-center words. A lab
 * stack is read from a fresh emulator with the stack applied; a real stack from its tenant, read-only. Exit code 0
 * when everybody was judged (whoever cannot reset); 3 when somebody could not be judged (a permission, licence or
 * sign-in missing); 2 for bad options; 1 when the stack could not be opened. `--on` judges by the rules of
 * Microsoft's calendar in force that day (default today); a timeline follows for each dated change in the next 12
 * months.
 */
import { assessReadiness } from "../../components/readiness/readinessReport";
import { formatReadiness, readinessJson } from "./words";
import { emulatorUrlUsage, judgedDay, parseCommonArgs, readStackTenant } from "./commandLine";
import { readinessTimeline, timelineLines } from "../../components/readiness/timeline";
import { activeCalendar } from "../../components/calendar";
import type { ProviderHost } from "../../engine/providerHost";

export const readinessUsage =
  "usage: npm run readiness -- --stack <name> [--on YYYY-MM-DD] [--seed tenant.json] [--emulator | --emulator-url URL] [--json]\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack)\n" +
  "  --stack NAME         the stack of Pulumi.<name>.yaml: its tenant and settings\n" +
  "  --stack-file PATH    a stack file elsewhere, instead of --stack\n" +
  "  --on YYYY-MM-DD   judge by the rules of Microsoft's calendar in force that day (default: today)\n" +
  "  --seed FILE       read an emulated tenant started from this seed (a tenant copy from npm run snapshot)\n" +
  "  --emulator        read a fresh emulator with the stack applied, even for a stack that names a real tenant\n" +
  `${emulatorUrlUsage}\n` +
  "  --json            print the report as JSON (rows[].canReset, counts, groups, timeline)";

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
  const day = judgedDay(parsed.options, read.tenant.args);
  const report = assessReadiness(read.snapshot, day);
  const timeline = readinessTimeline(read.snapshot, day, read.tenant.args.methods);
  say(
    parsed.options.json
      ? readinessJson({ ...report, timeline })
      : formatReadiness(report, read.tenant.description, timelineLines(timeline, day.calendar ?? activeCalendar())),
  );
  const unread = report.problems.some((problem) => problem.what === "the user");
  return unread || report.counts.undetermined > 0 ? 3 : 0;
}
