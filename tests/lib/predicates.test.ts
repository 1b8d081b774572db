import { isDomainName, isEmailAddress, isGuid, isHttpsUrl, isRecord, isUserPrincipalName } from "../../lib/predicates";

describe("predicates", () => {
  it("isDomainName and isUserPrincipalName", () => {
    expect(isDomainName("munyakazi.org")).toBe(true);
    expect(isDomainName("munyakazi.onmicrosoft.com")).toBe(true);
    expect(isDomainName("munyakazi")).toBe(false);
    expect(isUserPrincipalName("c.vogel@munyakazi.org")).toBe(true);
    expect(isUserPrincipalName("guest_example.com#EXT#@munyakazi.onmicrosoft.com")).toBe(true);
    expect(isUserPrincipalName("c vogel@munyakazi.org")).toBe(false);
    expect(isUserPrincipalName("c.vogel@munyakazi")).toBe(false);
  });

  it("isEmailAddress takes the address shape and refuses what is not one", () => {
    expect(isEmailAddress("helpdesk@munyakazi.org")).toBe(true);
    expect(isEmailAddress("help desk@munyakazi.org")).toBe(false);
    expect(isEmailAddress("helpdesk@munyakazi")).toBe(false);
    expect(isEmailAddress(`${"a".repeat(250)}@x.org`)).toBe(false);
  });

  it("isHttpsUrl wants https, a host and no user info", () => {
    expect(isHttpsUrl("https://support.example.org/sspr")).toBe(true);
    expect(isHttpsUrl("http://support.example.org")).toBe(false);
    expect(isHttpsUrl("https://user:pw@support.example.org")).toBe(false);
    expect(isHttpsUrl("support.example.org")).toBe(false);
  });

  it("isGuid and isRecord", () => {
    expect(isGuid("3ee3a9de-0a86-4e12-a287-9769accf1ba2")).toBe(true);
    expect(isGuid("GROUP")).toBe(false);
    expect(isGuid(42)).toBe(false);
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
  });
});
