/**
 * The HTTP layer against the portal API as observed: the boolean PUT answer is taken as a success, ClientException
 * bodies become named errors (message and error code), and an HTML page is never echoed.
 */
import { createEntraClient } from "../../../provider/http/client";
import { isEntraError } from "../../../provider/http/errors";
import { isHtmlBody, parsePortalErrorBody } from "../../../provider/http/portalErrors";
import { useEmulator } from "../../support/emulator";

const lab = useEmulator();
const path = "/PasswordReset/PasswordResetPolicies";
const permission = "Authentication Policy Administrator";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error) return e;
  }
  throw new Error("expected a rejection with an Error");
}

describe("parsePortalErrorBody and isHtmlBody", () => {
  it("reads Message and ClientData.errorCode of a ClientException, nothing else", () => {
    const body = JSON.stringify({
      ClassName: "Microsoft.Portal.Framework.Exceptions.ClientException",
      Message: "The refresh token has expired.",
      HttpStatusCode: 401,
      XMsServerRequestId: "abc",
      ClientData: { errorCode: "msalautherror_invalid_grant" },
    });
    expect(parsePortalErrorBody(body)).toEqual({
      code: "msalautherror_invalid_grant",
      message: "The refresh token has expired.",
      requestId: "abc",
    });
    // ASP.NET's 404 body is not a ClientException: it is shown verbatim, as before.
    expect(parsePortalErrorBody('{"message":"No HTTP resource was found"}')).toBeUndefined();
    expect(parsePortalErrorBody("<html></html>")).toBeUndefined();
    expect(parsePortalErrorBody("{}")).toBeUndefined();
  });

  it("recognises HTML pages and nothing else", () => {
    expect(isHtmlBody("<!DOCTYPE html><html><body>Sign in</body></html>")).toBe(true);
    expect(isHtmlBody("  <html lang=en>")).toBe(true);
    expect(isHtmlBody('{"Message":"<b>x</b>"}')).toBe(false);
    expect(isHtmlBody("plain text")).toBe(false);
  });
});

describe("the HTTP layer and the portal API", () => {
  it("takes the PUT's boolean answer as success and reads back what was written", async () => {
    const client = createEntraClient(lab.target);
    const before = (await client.send({ api: "portal", method: "GET", path, permission })).body as Record<
      string,
      unknown
    >;
    const put = await client.send({
      api: "portal",
      method: "PUT",
      path,
      body: { ...before, enablementType: 2 },
      permission,
    });
    expect(put).toMatchObject({ status: 200, body: true });
    const after = await client.send({ api: "portal", method: "GET", path, permission });
    expect(after.body).toEqual({ ...before, enablementType: 2 });
    // Every portal request carried the required client request id (the emulator answers 400 without it).
    expect(lab.emulator.requests().map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it("turns a ClientException into an error naming its error code and message, not the raw body", async () => {
    lab.emulator.addFault({
      method: "PUT",
      path: "/api/PasswordReset/PasswordResetPolicies",
      status: 400,
      body: {
        ClassName: "Microsoft.Portal.Framework.Exceptions.ClientException",
        Message: "License assignment failed.",
        HttpStatusCode: 400,
        XMsServerRequestId: "server-request-1",
        ClientData: { errorCode: "LicenseAssignmentError", tenantId: "t", userObjectId: "u" },
      },
    });
    const error = await rejection(
      createEntraClient(lab.target, { retry: { maxAttempts: 1 } }).send({
        api: "portal",
        method: "PUT",
        path,
        body: lab.seeded.passwordResetPolicies,
        permission,
      }),
    );
    expect(isEntraError(error)).toBe(true);
    expect(error).toMatchObject({
      kind: "http",
      status: 400,
      code: "LicenseAssignmentError",
      requestId: expect.any(String),
    });
    expect(error.message).toContain("failed with 400 LicenseAssignmentError: License assignment failed.");
    expect(error.message).not.toContain("ClassName");
    expect(error.message).not.toContain("userObjectId");
  });

  it("never echoes an HTML page (a 401 may be one), and still says what the portal needs", async () => {
    lab.emulator.addFault({
      method: "GET",
      path: "/api/PasswordReset/PasswordResetPolicies",
      status: 401,
      body: "<!DOCTYPE html><html><head><title>Sign in</title></head><body>secret-looking markup</body></html>",
    });
    const error = await rejection(
      createEntraClient(lab.target, { retry: { maxAttempts: 1 } }).send({
        api: "portal",
        method: "GET",
        path,
        permission,
      }),
    );
    expect(error.message).toContain("failed with 401 (an HTML page, not shown)");
    expect(error.message).toContain("delegated user token");
    expect(error.message).not.toMatch(/<html|Sign in<|secret-looking/);
  });
});
