import * as fs from "node:fs";
import * as path from "node:path";
import {
  methodPurposes,
  policyMethodsGiving,
  purposeWords,
  ssprMethodForAdministrators,
} from "../../components/methodPurposes";

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

  it.each(["Fido2", "X509Certificate", "TemporaryAccessPass", "HardwareOath", "QrCodePin"])(
    "%s is no SSPR method",
    (id) => {
      expect(methodPurposes(id).sspr).toEqual([]);
      expect(methodPurposes(id).notFor).toBe("it is not offered for password reset");
    },
  );

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
    expect(policyMethodsGiving("appCode")).toEqual(["MicrosoftAuthenticator", "SoftwareOath"]);
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
