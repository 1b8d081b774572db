/**
 * `npm run doctor -- --stack <name> --user <upn> [--seed tenant.json] [--emulator] [--json]`
 *
 * The runbook's "Common Errors & Fixes" for one person: one check per row (and the checks the rows imply), each
 * with pass or fail, what was found and the fix in the runbook's words. Exit code: 0 the user can reset; 1 they
 * cannot; 3 it cannot be told (a permission or licence is missing to read something); 2 bad options.
 */
import { diagnose } from "../../components/readiness/judgement";
import { doctorJson, formatDiagnosis } from "./words";
import { emulatorUrlUsage, judgedDay, parseCommonArgs, readStackTenant } from "./commandLine";
import { personTimeline, personTimelineLines } from "../../components/readiness/timeline";
import { activeCalendar, dayWords, isoDay } from "../../components/calendar";
import type { ProviderHost } from "../../engine/providerHost";

export const doctorUsage =
  "usage: npm run doctor -- --stack <name> --user <upn> [--on YYYY-MM-DD] [--seed tenant.json] [--emulator | --emulator-url URL] [--json]\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack)\n" +
  "  --stack NAME         the stack of Pulumi.<name>.yaml: its tenant and settings\n" +
  "  --stack-file PATH    a stack file elsewhere, instead of --stack\n" +
  "  --user UPN        the person to check, by user principal name\n" +
  "  --on YYYY-MM-DD   judge by the rules of Microsoft's calendar in force that day (default: today)\n" +
  "  --seed FILE       read an emulated tenant started from this seed (a tenant copy from npm run snapshot)\n" +
  "  --emulator        read a fresh emulator with the stack applied, even for a stack that names a real tenant\n" +
  `${emulatorUrlUsage}\n` +
  "  --json            print the verdict as JSON ({ user, canReset, checks, timeline })";

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
  const day = judgedDay(parsed.options, read.tenant.args);
  const user = String(parsed.options.user);
  const diagnosis = diagnose(read.snapshot, user, day);
  const timeline = personTimeline(read.snapshot, user, {
    from: day.date,
    tenant: day.tenant,
    calendar: day.calendar ?? activeCalendar(),
  });
  say(
    parsed.options.json
      ? // The JSON's contract is { user, canReset, checks }; a day asked for adds the day and its timeline.
        doctorJson(diagnosis, parsed.options.on === undefined ? {} : { on: isoDay(day.date), timeline })
      : [
          formatDiagnosis(diagnosis, `${read.tenant.description}, on ${dayWords(day.date)}`),
          ...personTimelineLines(timeline, diagnosis.user),
        ].join("\n"),
  );
  return diagnosis.canReset ? 0 : diagnosis.undetermined ? 3 : 1;
}
