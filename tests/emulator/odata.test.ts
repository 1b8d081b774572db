import { applySelect, matchesAll, parseFilter } from "../../emulator/odata";

const supported = { userPrincipalName: "string", isSsprRegistered: "boolean" } as const;

describe("parseFilter", () => {
  it("parses eq clauses joined by and, with quoted strings and booleans", () => {
    expect(parseFilter("userPrincipalName eq 'o''brien@x.org' and isSsprRegistered eq false", supported, "r")).toEqual({
      clauses: [
        { property: "userPrincipalName", value: "o'brien@x.org" },
        { property: "isSsprRegistered", value: false },
      ],
    });
  });

  it("does not split on 'and' inside a string", () => {
    expect(parseFilter("userPrincipalName eq 'sand and sea'", supported, "r")).toEqual({
      clauses: [{ property: "userPrincipalName", value: "sand and sea" }],
    });
  });

  it("names unsupported properties the way Graph does", () => {
    expect(parseFilter("city eq 'Kigali'", supported, "User")).toEqual({
      problem: "Unsupported or invalid query filter clause specified for property 'city' of resource 'User'.",
    });
  });

  it("rejects malformed clauses and type mismatches", () => {
    expect(parseFilter("userPrincipalName ne 'x'", supported, "r")).toHaveProperty("problem");
    expect(parseFilter("isSsprRegistered eq 'false'", supported, "r")).toHaveProperty("problem");
  });
});

describe("matchesAll", () => {
  it("compares strings case-insensitively and other values exactly", () => {
    const row = { userPrincipalName: "C.Vogel@munyakazi.org", isSsprRegistered: true };
    expect(matchesAll(row, [{ property: "userPrincipalName", value: "c.vogel@MUNYAKAZI.org" }])).toBe(true);
    expect(matchesAll(row, [{ property: "isSsprRegistered", value: false }])).toBe(false);
  });
});

describe("applySelect", () => {
  it("keeps the selected properties and @odata.type", () => {
    expect(applySelect({ "@odata.type": "t", id: "1", displayName: "d", mail: "m" }, "id, DisplayName")).toEqual({
      "@odata.type": "t",
      id: "1",
      displayName: "d",
    });
    expect(applySelect({ id: "1" }, null)).toEqual({ id: "1" });
  });
});
