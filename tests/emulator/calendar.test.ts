import {
  calendarIds,
  microsoftCalendar,
  parseCalendarDate,
  phonesServe,
  securityQuestionsServe,
  todayFromEnvironment,
  utcDate,
} from "../../emulator/emulatorCalendar";

describe("the emulator's calendar of Microsoft's dated changes", () => {
  it("holds the three dated changes, oldest first, each with a public source", () => {
    expect(microsoftCalendar.map((entry) => [entry.date, entry.id, entry.kind])).toEqual([
      ["2026-09-01", calendarIds.passkeysForSmsAndVoice, "tenantConfiguration"],
      ["2027-02-01", calendarIds.microsoftTelephonyRetired, "service"],
      ["2027-03-01", calendarIds.securityQuestionsRetired, "service"],
    ]);
    for (const entry of microsoftCalendar) expect(entry.source).toMatch(/^https:\/\//);
    expect(microsoftCalendar[0].source).toBe(
      "https://learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement",
    );
  });

  it("phones serve until 31 January 2027, and afterwards only with the tenant's own telephony provider", () => {
    expect(phonesServe({ ownTelephonyProvider: false }, "2027-01-31")).toBe(true);
    expect(phonesServe({ ownTelephonyProvider: false }, "2027-02-01")).toBe(false);
    expect(phonesServe({ ownTelephonyProvider: true }, "2027-02-01")).toBe(true);
  });

  it("security questions serve until the end of February 2027", () => {
    expect(securityQuestionsServe("2027-02-28")).toBe(true);
    expect(securityQuestionsServe("2027-03-01")).toBe(false);
  });
});

describe("dates", () => {
  it("accepts real days as YYYY-MM-DD and names the expected form otherwise", () => {
    expect(parseCalendarDate("2027-02-01", "today")).toEqual({ date: "2027-02-01" });
    expect(parseCalendarDate("2028-02-29", "today")).toEqual({ date: "2028-02-29" });
    for (const bad of ["2027-02-30", "2027-2-1", "01/02/2027", "2027-02-01T00:00:00Z", "", 20270201, null])
      expect(parseCalendarDate(bad, "today")).toEqual({
        problem: `today is ${JSON.stringify(bad)}; expected a date in the form YYYY-MM-DD (for example 2027-02-01)`,
      });
  });

  it("reads the machine's date in UTC", () => {
    expect(utcDate(new Date("2027-01-31T23:30:00-02:00"))).toBe("2027-02-01");
  });

  it("takes ENTRA_SSPR_EMULATOR_TODAY from the environment when set, and refuses a bad one", () => {
    expect(todayFromEnvironment({})).toEqual({});
    expect(todayFromEnvironment({ ENTRA_SSPR_EMULATOR_TODAY: " " })).toEqual({});
    expect(todayFromEnvironment({ ENTRA_SSPR_EMULATOR_TODAY: "2027-02-01" })).toEqual({ today: "2027-02-01" });
    expect(todayFromEnvironment({ ENTRA_SSPR_EMULATOR_TODAY: "soon" })).toEqual({
      problem: 'ENTRA_SSPR_EMULATOR_TODAY is "soon"; expected a date in the form YYYY-MM-DD (for example 2027-02-01)',
    });
  });
});
