/**
 * The registration report on Microsoft's dates, through the HTTP server: from 1 February 2027 a phone no longer
 * makes anyone capable (unless the tenant has its own telephony provider), from March 2027 security questions no
 * longer count for SSPR; what is registered stays listed as registered.
 */
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { okaforUserId, vogelUserId } from "../../../emulator/people/defaultPeople";
import { useEmulator } from "../../support/emulator";
import { call, graphAppToken, type Json } from "../helpers";

const token = graphAppToken(["AuditLog.Read.All"]);
const nkurunziza = "2f950fc1-0a88-5f3b-ac9e-7cebde24eee3";
const rowPath = (id: string): string => `/v1.0/reports/authenticationMethods/userRegistrationDetails/${id}`;

/** SSPR on for everyone, with the given number of methods required. */
const ssprForAll = (required: 1 | 2): Json => ({
  ...createDefaultTenant().passwordResetPolicies,
  enablementType: 2,
  numberOfAuthenticationMethodsRequired: required,
});

describe("the registration report on Microsoft's dates", () => {
  const lab = useEmulator({ seed: { passwordResetPolicies: ssprForAll(2) } });

  async function rowOn(today: string, id: string): Promise<Json> {
    lab.emulator.setToday(today, "hold");
    const reply = await call(lab.emulator.url, "GET", rowPath(id), { token });
    expect(reply.status).toBe(200);
    return reply.body as Json;
  }

  it("31 January 2027: a mobile phone still counts (email and mobile phone make two methods)", async () => {
    expect(await rowOn("2027-01-31", vogelUserId)).toMatchObject({
      methodsRegistered: ["email", "mobilePhone"],
      isSsprRegistered: true,
      isSsprCapable: true,
      isMfaRegistered: true,
      isMfaCapable: true,
    });
  });

  it("1 February 2027 without an own telephony provider: registered, listed, but no longer capable", async () => {
    expect(await rowOn("2027-02-01", vogelUserId)).toMatchObject({
      methodsRegistered: ["email", "mobilePhone"],
      isSsprRegistered: true,
      isSsprCapable: false,
      isMfaRegistered: true,
      isMfaCapable: false,
    });
    // The list too, and its $filter: the same rows, the same answer.
    const filtered = await call(
      lab.emulator.url,
      "GET",
      `/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=isSsprCapable eq true`,
      { token },
    );
    const ids = (filtered.body as { value: Json[] }).value.map((row) => row.id);
    expect(ids).not.toContain(vogelUserId);
    expect(ids).toContain("6268dcdf-9200-59c2-922b-000e224708e7"); // b.weber: email and a software OATH app
  });

  it("1 February 2027 with the tenant's own telephony provider: the phone still counts", async () => {
    const set = await call(lab.emulator.url, "PUT", "/_emulator/telephony", { body: { ownTelephonyProvider: true } });
    expect(set.status).toBe(200);
    expect(await rowOn("2027-02-01", vogelUserId)).toMatchObject({ isSsprCapable: true, isMfaCapable: true });
  });

  it("one method required: a phone alone serves until 31 January 2027", async () => {
    lab.reseed({ passwordResetPolicies: ssprForAll(1) });
    expect(await rowOn("2027-01-31", nkurunziza)).toMatchObject({ isSsprCapable: true, isMfaCapable: true });
    expect(await rowOn("2027-02-01", nkurunziza)).toMatchObject({
      methodsRegistered: ["mobilePhone"],
      isSsprRegistered: true,
      isSsprCapable: false,
      isMfaCapable: false,
    });
  });

  it("March 2027: security questions stop counting for SSPR, and stay listed", async () => {
    const methods = createDefaultTenant().authenticationMethods;
    methods[okaforUserId] = methods[vogelUserId].filter((method) => method.phoneType === undefined); // email only
    lab.reseed({
      passwordResetPolicies: ssprForAll(2),
      authenticationMethods: methods,
      securityQuestionsRegistered: { [okaforUserId]: 5 },
      ownTelephonyProvider: true,
    });
    expect(await rowOn("2027-02-28", okaforUserId)).toMatchObject({
      methodsRegistered: ["email", "securityQuestion"],
      isSsprRegistered: true,
      isSsprCapable: true,
    });
    expect(await rowOn("2027-03-01", okaforUserId)).toMatchObject({
      methodsRegistered: ["email", "securityQuestion"],
      isSsprRegistered: true,
      isSsprCapable: false,
    });
  });
});
