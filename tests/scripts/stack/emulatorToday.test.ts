import { emulatorToday, emulatorTodayVariable } from "../../../scripts/stack/emulatorToday";
import { todayEnvironmentVariable } from "../../../emulator/emulatorCalendar";

it("reads the same variable as the emulator's CLI, and refuses a bad day naming the form", () => {
  expect(emulatorTodayVariable).toBe(todayEnvironmentVariable);
  expect(emulatorToday({})).toEqual({});
  expect(emulatorToday({ [emulatorTodayVariable]: " 2027-02-01 " })).toEqual({ today: "2027-02-01" });
  expect(() => emulatorToday({ [emulatorTodayVariable]: "2027-02-30" })).toThrow(
    'ENTRA_SSPR_EMULATOR_TODAY is "2027-02-30"; expected a day as YYYY-MM-DD, such as 2027-02-01',
  );
});
