import {
  authenticate,
  authorizePortal,
  graphAudiences,
  hasPermission,
  portalAudience,
  readBearerClaims,
} from "../../emulator/auth";
import { globalAdministrator, unsignedJwt } from "./helpers";

const now = Date.UTC(2025, 0, 1);
const seconds = now / 1000;

describe("readBearerClaims", () => {
  it("reads the claims of an unsigned JWT", () => {
    expect(readBearerClaims(`Bearer ${unsignedJwt({ aud: "x", roles: ["A"] })}`)).toEqual({ aud: "x", roles: ["A"] });
  });

  it("tells a missing header from a malformed one", () => {
    expect(readBearerClaims(undefined)).toBe("missing");
    expect(readBearerClaims("")).toBe("missing");
    expect(readBearerClaims("Basic abc")).toBe("malformed");
    expect(readBearerClaims("Bearer not-a-jwt")).toBe("malformed");
    expect(readBearerClaims("Bearer a.b.c")).toBe("malformed");
  });
});

describe("authenticate", () => {
  // Entra tokens always carry a lifetime: an hour from now unless a test says otherwise.
  const bearer = (claims: Record<string, unknown>): string =>
    `Bearer ${unsignedJwt({ exp: seconds + 3600, ...claims })}`;

  it("accepts both Graph audiences and reads app roles or delegated scopes", () => {
    expect(
      authenticate(bearer({ aud: "https://graph.microsoft.com", roles: ["User.Read.All"] }), graphAudiences, now),
    ).toEqual({
      identity: { delegated: false, permissions: ["User.Read.All"], roleIds: [] },
    });
    expect(
      authenticate(
        bearer({ aud: "00000003-0000-0000-c000-000000000000", scp: "Policy.Read.All  User.Read.All" }),
        graphAudiences,
        now,
      ),
    ).toEqual({ identity: { delegated: true, permissions: ["Policy.Read.All", "User.Read.All"], roleIds: [] } });
  });

  it("answers 401 with Graph's messages and never echoes the token", () => {
    const token = unsignedJwt({ aud: portalAudience, secret: "s3cr3t", exp: seconds + 3600 });
    const outcome = authenticate(`Bearer ${token}`, graphAudiences, now);
    expect(outcome).toEqual({
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Access token validation failure. Invalid audience.",
    });
    expect(JSON.stringify(outcome)).not.toContain(token);
    expect(authenticate(undefined, graphAudiences, now)).toMatchObject({
      status: 401,
      message: "Access token is empty.",
    });
  });

  it("checks the token's lifetime", () => {
    expect(authenticate(bearer({ aud: portalAudience, exp: seconds - 1 }), [portalAudience], now)).toMatchObject({
      status: 401,
      message: expect.stringContaining("expired"),
    });
    expect(authenticate(bearer({ aud: portalAudience, nbf: seconds + 3600 }), [portalAudience], now)).toMatchObject({
      status: 401,
    });
    expect(authenticate(bearer({ aud: portalAudience, exp: seconds + 60 }), [portalAudience], now)).toHaveProperty(
      "identity",
    );
    // A token without any exp is not a token Entra issues: refused, not taken as "never expires".
    expect(
      authenticate(`Bearer ${unsignedJwt({ aud: portalAudience, scp: "user_impersonation" })}`, [portalAudience], now),
    ).toMatchObject({ status: 401, message: expect.stringContaining("missing an expiration time") });
  });
});

describe("hasPermission", () => {
  it("matches a listed permission, case-insensitively", () => {
    expect(hasPermission(["policy.read.all"], ["Policy.Read.All"])).toBe(true);
    expect(hasPermission(["User.Read.All"], ["Policy.Read.All"])).toBe(false);
  });

  it("lets ReadWrite satisfy the matching Read, not the other way round", () => {
    expect(hasPermission(["Group.ReadWrite.All"], ["Group.Read.All"])).toBe(true);
    expect(hasPermission(["Group.Read.All"], ["Group.ReadWrite.All"])).toBe(false);
  });
});

describe("authorizePortal", () => {
  it("refuses app-only tokens with 401 and users without a role with 403", () => {
    expect(authorizePortal({ delegated: false, permissions: [], roleIds: [globalAdministrator] })?.status).toBe(401);
    const refused = authorizePortal({
      delegated: true,
      permissions: [],
      roleIds: ["fe930be7-5e62-47db-91af-98c3a49a38b1"],
    });
    expect(refused?.status).toBe(403);
    expect(refused?.message).toContain("Authentication Policy Administrator (0526716b-113d-4c15-b2c8-68e3c22b9f80)");
    expect(
      authorizePortal({ delegated: true, permissions: [], roleIds: [globalAdministrator.toUpperCase()] }),
    ).toBeUndefined();
  });
});
