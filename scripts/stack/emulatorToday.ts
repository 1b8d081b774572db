/**
 * The day a command's own emulator believes is today: `ENTRA_SSPR_EMULATOR_TODAY` (YYYY-MM-DD), as for
 * `npm run emulator`, so a rehearsal or the lab runs on any day of Microsoft's calendar; unset, the machine's date.
 * A bad value stops the command with the variable, the value and the expected form. Read without loading emulator
 * code, so commands on a real tenant never do (the emulator's CLI reads the same variable: `emulatorCalendar.ts`).
 */
import { dayProblem } from "../../components/calendar";

export const emulatorTodayVariable = "ENTRA_SSPR_EMULATOR_TODAY";

export function emulatorToday(env: NodeJS.ProcessEnv = process.env): { today?: string } {
  const value = env[emulatorTodayVariable]?.trim();
  if (value === undefined || value === "") return {};
  const problem = dayProblem(emulatorTodayVariable, value);
  if (problem !== undefined) throw new Error(problem);
  return { today: value };
}
