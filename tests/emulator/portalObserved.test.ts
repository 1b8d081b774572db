/**
 * The portal API as public callers observed it (docs/reference/portal-api.md#what-public-callers-show): the boolean PUT answer, the
 * required `x-ms-client-request-id` and its 400 `ArgumentNull`, `ClientException` error bodies, ASP.NET's 404 body
 * and the `securityQuestions[]` element shape.
 */
import { call, portalFixture, portalUserToken, type Json } from "./helpers";
import { useEmulator } from "../support/emulator";

const lab = useEmulator();
const policiesPath = "/api/PasswordReset/PasswordResetPolicies";
const token = portalUserToken();
const question = {
  objectId: "8df9f139ad3b44258ef05e5cdf2bd740",
  questionText: "In what city were you born?",
  isCustomQuestion: true,
};

describe("the portal API as observed", () => {
  it("refuses a request without x-ms-client-request-id with 400 ArgumentNull in a ClientException, changing nothing", async () => {
    for (const method of ["GET", "PUT"]) {
      const reply = await call(lab.emulator.url, method, policiesPath, {
        token,
        body: method === "PUT" ? { ...portalFixture(), enablementType: 2 } : undefined,
        headers: { "x-ms-client-request-id": "" },
      });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        ClassName: "Microsoft.Portal.Framework.Exceptions.ClientException",
        Message: "Value cannot be null. Parameter name: correlationId",
        HttpStatusCode: 400,
        XMsServerRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ClientData: {
          errorCode: "ArgumentNull",
          localizedErrorDetails: null,
          clientRequestId: null,
          tenantId: lab.seeded.tenantId,
          userObjectId: null,
        },
      });
    }
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });

  it("answers a PUT with 200 and the JSON boolean true", async () => {
    const reply = await call(lab.emulator.url, "PUT", policiesPath, {
      token,
      body: { ...portalFixture(), enablementType: 2 },
    });
    expect([reply.status, reply.text, reply.headers.get("content-type")]).toEqual([
      200,
      "true",
      "application/json; charset=utf-8",
    ]);
    expect(lab.emulator.state().passwordResetPolicies.enablementType).toBe(2);
  });

  it("answers 403 and validation errors as a ClientException carrying the caller's client request id", async () => {
    const forbidden = await call(lab.emulator.url, "GET", policiesPath, {
      token: portalUserToken([]),
      headers: { "x-ms-client-request-id": "11111111-2222-3333-4444-555555555555" },
    });
    expect(forbidden.status).toBe(403);
    const body = forbidden.body as Json & { ClientData: Json };
    expect(body.HttpStatusCode).toBe(403);
    expect(body.ClientData).toMatchObject({
      errorCode: "Forbidden",
      clientRequestId: "11111111-2222-3333-4444-555555555555",
    });
    expect(body.Message).toContain("Authentication Policy Administrator");
  });

  it("answers an unknown route with ASP.NET's 404 message body", async () => {
    const reply = await call(lab.emulator.url, "GET", "/api/PasswordReset/Nothing", { token });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({
      message: "No HTTP resource was found that matches the request URI '/api/PasswordReset/Nothing'.",
    });
  });

  it("takes securityQuestions[] elements of the observed shape (other members kept) and refuses wrong types, naming them", async () => {
    const withQuestions = {
      ...portalFixture(),
      securityQuestions: [question, { ...question, extra: 1 }, { unpublishedShape: true }],
    };
    const stored = await call(lab.emulator.url, "PUT", policiesPath, { token, body: withQuestions });
    expect(stored.status).toBe(200);
    expect(lab.emulator.state().passwordResetPolicies.securityQuestions).toEqual(withQuestions.securityQuestions);

    const before = lab.emulator.state();
    const bad = await call(lab.emulator.url, "PUT", policiesPath, {
      token,
      body: {
        ...portalFixture(),
        securityQuestions: [{ objectId: "x", questionText: 3, isCustomQuestion: "yes" }, "text"],
      },
    });
    expect(bad.status).toBe(400);
    const message = (bad.body as { Message: string }).Message;
    expect(message).toContain("securityQuestions[0].questionText is 3; allowed: a string");
    expect(message).toContain('securityQuestions[0].isCustomQuestion is "yes"');
    expect(message).toContain(
      'securityQuestions[1] is "text"; allowed: an object {objectId, questionText, isCustomQuestion}',
    );
    expect(lab.emulator.state()).toEqual(before);
  });
});
