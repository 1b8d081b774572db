/**
 * The Graph route matcher through the emulator's HTTP interface: which path reaches which route on either version,
 * Graph's 400 for an unknown path and 405 for a method the resource lacks, and where those answers sit in the order
 * of checks (token 401, route 400/405, permission 403, body 400).
 */
import { okaforUserId } from "../../emulator/people/defaultPeople";
import { allGraphPermissions, call, graphAppToken, graphError, type Json, type Reply } from "./helpers";
import { useEmulator } from "../support/emulator";

const lab = useEmulator();
const admin = graphAppToken(allGraphPermissions);

const graph = (method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Reply> =>
  call(lab.emulator.url, method, path, { token: admin, ...options });

const okaforUpn = "l.okafor@munyakazi.org";
const authorizationPath = "/policies/authorizationPolicy";

describe("paths", () => {
  it.each(["v1.0", "beta"])("answers 400 naming the last segment for a path no route has, on %s", async (version) => {
    const cases: Array<[string, string]> = [
      [`/${version}/policies/passwordPolicy`, "passwordPolicy"],
      // One segment too many or too few for the routes that share the prefix.
      [`/${version}/groups/${okaforUserId}/members/$ref/extra`, "extra"],
      [`/${version}/policies`, "policies"],
      // A `{}` never captures an empty segment.
      [`/${version}/groups//members/$ref`, "$ref"],
      [`/${version}`, ""],
    ];
    for (const [path, segment] of cases) {
      const reply = await graph("GET", path);
      expect({ path, status: reply.status, error: graphError(reply) }).toEqual({
        path,
        status: 400,
        error: expect.objectContaining({
          code: "BadRequest",
          message: `Resource not found for the segment '${segment}'.`,
        }) as unknown,
      });
    }
  });

  it("matches literal segments in any case and a trailing slash, and captures parameters decoded, case kept", async () => {
    const reference = await graph("GET", `/v1.0/users/${okaforUserId}`);
    expect(reference.status).toBe(200);
    for (const path of [
      `/V1.0/USERS/${okaforUserId}`,
      `/v1.0/users/${okaforUserId}/`,
      `/v1.0/users/${encodeURIComponent(okaforUpn)}`,
      `/v1.0/Users/${okaforUpn.toUpperCase()}`,
    ])
      expect({ path, body: (await graph("GET", path)).body }).toEqual({ path, body: reference.body });
    // The captured id reaches the resource as sent: an unknown one is named in its own case.
    const missing = await graph("GET", "/v1.0/users/Nobody@Munyakazi.org");
    expect(missing.status).toBe(404);
    expect(graphError(missing).message).toContain("'Nobody@Munyakazi.org'");
  });

  it("serves the same routes on /v1.0 and /beta, each answer naming its own version", async () => {
    for (const path of ["/users", `/users/${okaforUserId}`, "/groups", authorizationPath + "/authorizationPolicy"]) {
      const v1 = await graph("GET", `/v1.0${path}`);
      const beta = await graph("GET", `/beta${path}`);
      expect([path, v1.status, beta.status]).toEqual([path, 200, 200]);
      expect((v1.body as Json)["@odata.context"]).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/\$metadata#/);
      expect((beta.body as Json)["@odata.context"]).toMatch(/^https:\/\/graph\.microsoft\.com\/beta\/\$metadata#/);
      const { "@odata.context": _v1, ...v1Rest } = v1.body as Json;
      const { "@odata.context": _beta, ...betaRest } = beta.body as Json;
      expect(betaRest).toEqual(v1Rest);
    }
  });

  it("answers 404 for a version or API root it does not serve, before looking at the token", async () => {
    for (const path of ["/v2.0/users", "/users", "/v1/users"]) {
      const reply = await call(lab.emulator.url, "GET", path);
      expect([path, reply.status]).toEqual([path, 404]);
      expect(graphError(reply).message).toContain("use /v1.0, /beta or /api");
    }
  });
});

describe("methods", () => {
  it("answers 405 with Allow listing the route's own methods, on both versions", async () => {
    const cases: Array<[string, string, string]> = [
      ["DELETE", "/policies/authenticationMethodsPolicy", "GET, PATCH"],
      ["PUT", "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Email", "GET, PATCH, DELETE"],
      ["PATCH", "/groups", "GET, POST"],
      ["GET", `/groups/${okaforUserId}/members/$ref`, "POST"],
      ["DELETE", authorizationPath, "GET, PATCH"],
    ];
    for (const version of ["v1.0", "beta"])
      for (const [method, path, allow] of cases) {
        const reply = await graph(method, `/${version}${path}`, method === "GET" ? {} : { body: {} });
        expect({ method, path, status: reply.status, allow: reply.headers.get("allow") }).toEqual({
          method,
          path,
          status: 405,
          allow,
        });
        expect(graphError(reply)).toMatchObject({
          code: "Request_BadRequest",
          message: `Specified HTTP method (${method}) is not allowed for the request uri.`,
        });
      }
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });
});

describe("order of checks", () => {
  it("token before route: an unknown path or method without a token is 401", async () => {
    for (const [method, path] of [
      ["GET", "/v1.0/policies/passwordPolicy"],
      ["DELETE", "/beta/policies/authenticationMethodsPolicy"],
    ]) {
      const reply = await call(lab.emulator.url, method, path);
      expect([method, path, reply.status]).toEqual([method, path, 401]);
      expect(reply.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("route before permission: a token with no permission still gets 400 and 405", async () => {
    const powerless = graphAppToken([]);
    const unknown = await graph("GET", "/v1.0/policies/passwordPolicy", { token: powerless });
    expect(unknown.status).toBe(400);
    const notAllowed = await graph("DELETE", "/v1.0/policies/authenticationMethodsPolicy", { token: powerless });
    expect(notAllowed.status).toBe(405);
  });

  it("permission before body: a malformed body is 403 without the permission and 400 with it", async () => {
    const readOnly = graphAppToken(["Policy.Read.All"]);
    const path = "/v1.0/policies/authenticationMethodsPolicy";
    const denied = await graph("PATCH", path, { token: readOnly, rawBody: "{" });
    expect(denied.status).toBe(403);
    expect(graphError(denied).code).toBe("accessDenied");
    const malformed = await graph("PATCH", path, { rawBody: "{" });
    expect(malformed.status).toBe(400);
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });
});
