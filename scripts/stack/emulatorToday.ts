/**
 * The day a command's own emulator believes is today: `ENTRA_SSPR_EMULATOR_TODAY` (YYYY-MM-DD), as for
 * `npm run emulator`, so a rehearsal or the lab runs on any day of Microsoft's calendar; unset, the machine's date.
 * A bad value stops the command with the variable, the value and the expected form.
 */
import { todayFromEnvironment } from "../../emulator/emulatorCalendar";

export function emulatorToday(env: NodeJS.ProcessEnv = process.env): { today?: string } {
  const found = todayFromEnvironment(env);
  if ("problem" in found && found.problem !== undefined) throw new Error(found.problem);
  return "today" in found && found.today !== undefined ? { today: found.today } : {};
}
