import * as fs from "node:fs";
import * as path from "node:path";
import {
  methodPurposes,
  policyMethodsGiving,
  purposeWords,
  ssprMethodForAdministrators,
  configMethodCatalogue,
  configMethodKeys,
  graphMethodIds,
  ssprMethodEndedBy,
  ssprMethodsOfRegistered,
  type OnDay,
} from "../../components/methodCatalogue";
import { calendarWith, microsoftCalendar, type TenantCalendarFacts } from "../../components/calendar";

describe("what each method is for (docs/reference/method-purposes.md)", () => {
  it("Email: SSPR for members, no second factor, no sign-in by its targets", () => {
    expect(methodPurposes("Email")).toEqual({
      name: "Email",
      sspr: ["email"],
      mfa: false,
      notFor: "it is not a second factor for members",
    });
  });

  it("SMS signs in alone only for a target usable for sign-in", () => {
    expect(methodPurposes("Sms", {}, { isUsableForSignIn: true }).signIn).toBe(
      "to sign in with a text message alone (SMS sign-in)",
    );
    expect(methodPurposes("Sms", {}, { isUsableForSignIn: false }).signIn).toBeUndefined();
    expect(methodPurposes("Sms").mfa).toBe(true);
  });

  it("Voice gives office phone only with isOfficePhoneAllowed, and never signs in alone", () => {
    expect(methodPurposes("Voice", { isOfficePhoneAllowed: false })).toMatchObject({
      name: "Phone call (mobile phone)",
      sspr: ["mobilePhone"],
      mfa: true,
    });
    expect(methodPurposes("Voice", { isOfficePhoneAllowed: "true" })).toMatchObject({
      name: "Phone call (mobile and office phone)",
      sspr: ["mobilePhone", "officePhone"],
    });
    expect(methodPurposes("Voice").signIn).toBeUndefined();
  });

  it("Microsoft Authenticator: codes only with isSoftwareOathEnabled; passwordless unless push only", () => {
    expect(methodPurposes("MicrosoftAuthenticator", { isSoftwareOathEnabled: false }).sspr).toEqual([
      "appNotification",
    ]);
    expect(methodPurposes("MicrosoftAuthenticator", { isSoftwareOathEnabled: true }).sspr).toEqual([
      "appNotification",
      "appCode",
    ]);
    expect(methodPurposes("MicrosoftAuthenticator", {}, { authenticationMode: "push" }).signIn).toBeUndefined();
    expect(methodPurposes("MicrosoftAuthenticator", {}, { authenticationMode: "any" }).signIn).toBe(
      "for passwordless phone sign-in",
    );
  });

  it("Hardware OATH tokens (preview) serve reset in the Mobile app code slot, and MFA", () => {
    expect(methodPurposes("HardwareOath")).toMatchObject({
      name: "Hardware OATH tokens (preview)",
      sspr: ["appCode"],
      mfa: true,
    });
  });

  it.each(["Fido2", "X509Certificate", "TemporaryAccessPass", "QrCodePin"])("%s is no SSPR method", (id) => {
    expect(methodPurposes(id).sspr).toEqual([]);
    expect(methodPurposes(id).notFor).toBe("it is not offered for password reset");
  });

  it("a method the table does not know claims no purpose", () => {
    expect(methodPurposes("SomethingNew")).toEqual({
      name: "SomethingNew",
      sspr: [],
      mfa: false,
      notFor: "what it is for is not known to this project",
    });
    expect(purposeWords(methodPurposes("SomethingNew"), { reaches: true }, "and")).toBe(
      "; what it is for is not known to this project",
    );
  });

  it("which configurations give each SSPR method; security questions never for administrators", () => {
    expect(policyMethodsGiving("mobilePhone")).toEqual(["Sms", "Voice"]);
    expect(policyMethodsGiving("officePhone")).toEqual(["Voice"]);
    expect(policyMethodsGiving("appCode")).toEqual(["MicrosoftAuthenticator", "SoftwareOath", "HardwareOath"]);
    expect(policyMethodsGiving("securityQuestions")).toEqual([]);
    expect(ssprMethodForAdministrators("securityQuestions")).toBe(false);
    expect(ssprMethodForAdministrators("email")).toBe(true);
  });

  it("the emulator never imports the table (it stays an independent oracle)", () => {
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
    const emulator = path.resolve(__dirname, "../../emulator");
    const importers = files(emulator).filter((file) => fs.readFileSync(file, "utf8").includes("methodPurposes"));
    expect(importers).toEqual([]);
  });
});

describe("purposes on a day of Microsoft's calendar", () => {
  const day = (text: string, tenant: TenantCalendarFacts = {}): OnDay => ({
    date: new Date(`${text}T12:00:00Z`),
    tenant,
    calendar: microsoftCalendar,
  });

  it("SMS and voice serve reset and MFA until 31 January 2027, and neither from 1 February 2027", () => {
    const before = methodPurposes("Sms", {}, {}, day("2027-01-31"));
    expect(before).toMatchObject({ sspr: ["mobilePhone"], mfa: true });
    expect(before.ending?.map((end) => [end.purpose, end.entry.date])).toEqual([
      ["sspr", "2027-02-01"],
      ["mfa", "2027-02-01"],
    ]);
    expect(purposeWords(before, { reaches: true }, "and")).toContain(
      "to reset their password (SSPR) and as a second factor (MFA) until 31 January 2027 (https://learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement)",
    );
    const after = methodPurposes("Voice", { isOfficePhoneAllowed: true }, {}, day("2027-02-01"));
    expect(after).toMatchObject({ sspr: [], mfa: false });
    expect(purposeWords(after, { reaches: true }, "or")).toContain(
      "no longer for password reset (SSPR) or as a second factor (MFA) since 1 February 2027",
    );
  });

  it("a tenant with its own telephony provider keeps SMS and voice after 1 February 2027", () => {
    const own = methodPurposes("Sms", {}, {}, day("2027-06-01", { ownTelephonyProvider: true }));
    expect(own).toMatchObject({ sspr: ["mobilePhone"], mfa: true });
    expect(own.ended).toBeUndefined();
    expect(own.ending).toBeUndefined();
  });

  it("the surviving methods keep their purposes on every announced date", () => {
    for (const date of microsoftCalendar.map((entry) => entry.date)) {
      expect(methodPurposes("Email", {}, {}, day(date)).sspr).toEqual(["email"]);
      expect(methodPurposes("SoftwareOath", {}, {}, day(date))).toMatchObject({ sspr: ["appCode"], mfa: true });
      expect(methodPurposes("MicrosoftAuthenticator", {}, {}, day(date)).sspr).toEqual(["appNotification"]);
    }
  });

  it("security questions stop serving reset on 1 March 2027; a moved date moves the verdict", () => {
    expect(ssprMethodEndedBy("securityQuestions", day("2027-02-28"))).toBeUndefined();
    expect(ssprMethodEndedBy("securityQuestions", day("2027-03-01"))?.id).toBe("security-questions-end");
    const moved: OnDay = { ...day("2027-03-01"), calendar: calendarWith({ "security-questions-end": "2027-04-01" }) };
    expect(ssprMethodEndedBy("securityQuestions", moved)).toBeUndefined();
    expect(ssprMethodEndedBy("mobilePhone", day("2027-02-01"))?.id).toBe("sms-voice-end");
    expect(ssprMethodEndedBy("officePhone", day("2027-01-31"))).toBeUndefined();
  });
});

describe("one catalogue", () => {
  it("every config method names the SSPR methods it offers and a configuration the methods policy knows", () => {
    for (const key of configMethodKeys) {
      const row = configMethodCatalogue[key];
      expect(row.sspr.length).toBeGreaterThan(0);
      for (const graph of row.graph) expect(graphMethodIds).toContain(graph.id);
      for (const method of row.sspr)
        expect(
          row.graph.some((graph) =>
            methodPurposes(graph.id, { isOfficePhoneAllowed: true, isSoftwareOathEnabled: true }).sspr.includes(method),
          ),
        ).toBe(true);
    }
  });

  it("each registration report name gives the SSPR methods the catalogue says", () => {
    expect(ssprMethodsOfRegistered("softwareOneTimePasscode")).toEqual(["appCode"]);
    expect(ssprMethodsOfRegistered("hardwareOneTimePasscode")).toEqual(["appCode"]);
    expect(ssprMethodsOfRegistered("microsoftAuthenticatorPush")).toEqual(["appNotification", "appCode"]);
    expect(ssprMethodsOfRegistered("fido2SecurityKey")).toEqual([]);
  });

  it("every calendar entry has a public https source and a day it was read", () => {
    for (const entry of microsoftCalendar) {
      expect(entry.sources.length).toBeGreaterThan(0);
      for (const source of entry.sources) expect(source.url).toMatch(/^https:\/\//);
      expect(entry.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
