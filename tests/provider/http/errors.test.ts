import {
  bodyExcerpt,
  createEntraError,
  formatSeconds,
  httpFailureError,
  isEntraError,
  parseGraphErrorBody,
  permissionAdvice,
  redactSecrets,
  transportFailureError,
  urlWithoutQuery,
} from "../../../provider/http/errors";

// A signed-looking JWT and an unsigned (alg: none) one, as Entra and the lab issue them.
const signedJwt =
  "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJ0aWQiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz";
const unsignedJwt = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.";

function graphErrorBody(code: string, message: string, requestId: string): string {
  return JSON.stringify({
    error: { code, message, innerError: { "request-id": requestId, date: "2025-01-01T00:00:00" } },
  });
}

describe("redactSecrets", () => {
  it("removes signed and unsigned JWTs but keeps the text around them", () => {
    const text = `token ${signedJwt} and ${unsignedJwt} end`;
    const redacted = redactSecrets(text);
    expect(redacted).toBe("token [redacted JWT] and [redacted JWT] end");
  });

  it("removes a token echoed back split into its three segments", () => {
    const [header, payload, signature] = signedJwt.split(".");
    const echoed = `{"parts":["${header}", "${payload}", "${signature}"], "joined": "${header} ${payload} ${signature}"}`;
    // Without knowing the token: any JWT header or payload is redacted where it stands.
    const unknown = redactSecrets(echoed);
    expect(unknown).not.toContain(header);
    expect(unknown).not.toContain(payload);
    // Knowing it (the token this layer sent): its signature too.
    const known = redactSecrets(echoed, [signedJwt]);
    for (const part of [header, payload, signature]) expect(known).not.toContain(part);
    expect(known).toContain('"parts":["[redacted]"');
  });

  it("removes opaque bearer tokens and access_token-style fields", () => {
    const redacted = redactSecrets(
      'Authorization: Bearer abc.DEF-123_xyz~0123456789 {"access_token":"opaque-secret-1","refresh_token": "r2"} client_secret=s3&x=1',
    );
    expect(redacted).not.toMatch(/abc\.DEF|opaque-secret-1|"r2"|s3&/);
    expect(redacted).toContain("Bearer [redacted]");
    expect(redacted).toContain('"access_token":"[redacted]"');
    expect(redacted).toContain("x=1");
    // Prose about bearer tokens is not a token.
    expect(redactSecrets("The token is not a well-formed JWT bearer token.")).toBe(
      "The token is not a well-formed JWT bearer token.",
    );
  });

  it("removes literal secrets it is given, ignoring ones too short to be tokens", () => {
    expect(redactSecrets("echo: not-a-jwt-garbage-token!", ["not-a-jwt-garbage-token"])).toBe("echo: [redacted]!");
    expect(redactSecrets("a b c", ["b"])).toBe("a b c");
  });
});

describe("urlWithoutQuery and bodyExcerpt", () => {
  it("keeps the path and drops query and fragment", () => {
    expect(urlWithoutQuery("https://graph.microsoft.com/v1.0/reports/x?$filter=isSsprRegistered eq false")).toBe(
      "https://graph.microsoft.com/v1.0/reports/x",
    );
    expect(urlWithoutQuery("http://127.0.0.1:1/api/P#frag")).toBe("http://127.0.0.1:1/api/P");
  });

  it("cuts long bodies near 2 kB and says how much was left out", () => {
    const excerpt = bodyExcerpt("x".repeat(2500));
    expect(excerpt.startsWith("x".repeat(2000) + "...")).toBe(true);
    expect(excerpt).toContain("(500 more characters)");
    expect(bodyExcerpt("  short  ")).toBe("short");
  });
});

describe("parseGraphErrorBody", () => {
  it("reads code, message and innerError.request-id", () => {
    expect(
      parseGraphErrorBody(graphErrorBody("Authorization_RequestDenied", "Insufficient privileges", "rid-1")),
    ).toEqual({
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges",
      requestId: "rid-1",
    });
  });

  it("accepts the lower-case innererror some services send", () => {
    const body = JSON.stringify({ error: { code: "X", message: "m", innererror: { "request-id": "rid-2" } } });
    expect(parseGraphErrorBody(body)?.requestId).toBe("rid-2");
  });

  it("returns undefined for bodies that are not Graph errors", () => {
    expect(parseGraphErrorBody("<html>Bad gateway</html>")).toBeUndefined();
    expect(parseGraphErrorBody('{"message":"portal says no"}')).toBeUndefined();
    expect(parseGraphErrorBody('{"error":"just a string"}')).toBeUndefined();
    expect(parseGraphErrorBody("")).toBeUndefined();
  });
});

describe("permissionAdvice", () => {
  it("names the Graph permission for 403 and explains 401", () => {
    expect(permissionAdvice("graph", 403, "Policy.ReadWrite.Authorization")).toMatch(
      /^The caller needs the Microsoft Graph permission Policy\.ReadWrite\.Authorization \(application/,
    );
    const unauthorized = permissionAdvice("graph", 401, "Policy.ReadWrite.AuthenticationMethod");
    expect(unauthorized).toContain("401");
    expect(unauthorized).toContain("Policy.ReadWrite.AuthenticationMethod");
  });

  it("names the delegated token and the role for the portal API", () => {
    const advice = permissionAdvice("portal", 403, "Authentication Policy Administrator");
    expect(advice).toContain("delegated user token");
    expect(advice).toContain("74658136-14ec-4630-ad9b-26e160ff0fc6");
    expect(advice).toContain("Authentication Policy Administrator (or Global Administrator)");
    expect(advice).toContain("service principals and managed identities are refused");
    expect(permissionAdvice("portal", 401, "Global Administrator")).not.toContain("(or Global Administrator)");
  });
});

describe("httpFailureError", () => {
  const base = {
    api: "graph" as const,
    method: "PATCH",
    url: "https://graph.microsoft.com/v1.0/policies/authorizationPolicy?x=1",
    permission: "Policy.ReadWrite.Authorization",
    attempts: 1,
  };

  it("builds the Graph 403 message with code, service message, permission and request-id", () => {
    const error = httpFailureError({
      ...base,
      status: 403,
      bodyText: graphErrorBody(
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
        "1234",
      ),
    });
    expect(error.message).toBe(
      "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy failed with 403 Authorization_RequestDenied: " +
        "Insufficient privileges to complete the operation. The caller needs the Microsoft Graph permission " +
        "Policy.ReadWrite.Authorization (application permission with admin consent, or delegated with an admin role " +
        "that allows it). (request-id 1234)",
    );
    expect(error).toMatchObject({
      name: "EntraError",
      kind: "http",
      status: 403,
      code: "Authorization_RequestDenied",
      requestId: "1234",
      method: "PATCH",
      url: "https://graph.microsoft.com/v1.0/policies/authorizationPolicy",
      attempts: 1,
    });
    expect(isEntraError(error)).toBe(true);
    expect(String(error).startsWith("EntraError: PATCH")).toBe(true);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: "EntraError", status: 403, requestId: "1234" });
  });

  it("prefers the request-id header and names the client-request-id", () => {
    const error = httpFailureError({
      ...base,
      status: 400,
      bodyText: graphErrorBody("BadRequest", "nope", "from-body"),
      headerRequestId: "from-header",
      clientRequestId: "client-1",
    });
    expect(error.requestId).toBe("from-header");
    expect(error.message).toMatch(/\(request-id from-header, client-request-id client-1\)$/);
    expect(error.message).not.toContain("The caller needs");
  });

  it("shows a non-Graph body verbatim and says when the body is empty", () => {
    const html = httpFailureError({ ...base, api: "portal", method: "PUT", status: 500, bodyText: "<h1>Oops</h1>" });
    expect(html.message).toBe(
      "PUT https://graph.microsoft.com/v1.0/policies/authorizationPolicy failed with 500: <h1>Oops</h1>.",
    );
    expect(html.code).toBeUndefined();
    const empty = httpFailureError({ ...base, status: 502, bodyText: "" });
    expect(empty.message).toContain("failed with 502 (empty body)");
  });

  it("names the portal role and delegated token on a portal 401", () => {
    const error = httpFailureError({
      ...base,
      api: "portal",
      method: "GET",
      url: "https://main.iam.ad.ext.azure.com/api/PasswordReset/PasswordResetPolicies",
      permission: "Authentication Policy Administrator",
      status: 401,
      bodyText: '{"message":"unauthorized"}',
    });
    expect(error.message).toContain('failed with 401: {"message":"unauthorized"}');
    expect(error.message).toContain("delegated user token");
    expect(error.message).toContain("Authentication Policy Administrator (or Global Administrator)");
  });

  it("says retries were exhausted, with the attempt count and why", () => {
    const error = httpFailureError({
      ...base,
      method: "GET",
      status: 429,
      bodyText: graphErrorBody("TooManyRequests", "slow down", "rid-9"),
      attempts: 5,
      exhausted: "the limit of 5 attempts was reached",
    });
    expect(error.message).toBe(
      "GET https://graph.microsoft.com/v1.0/policies/authorizationPolicy failed after 5 attempts (retries exhausted: " +
        "the limit of 5 attempts was reached); last answer 429 TooManyRequests: slow down. (request-id rid-9)",
    );
    expect(error.attempts).toBe(5);
  });

  it("redacts tokens echoed in a body, JWT or literal", () => {
    const error = httpFailureError({
      ...base,
      status: 401,
      bodyText: `{"detail":"bad token ${signedJwt}","echo":"opaque-garbage-123"}`,
      secrets: ["opaque-garbage-123"],
    });
    for (const text of [error.message, JSON.stringify(error), String(error), error.stack ?? ""]) {
      expect(text).not.toContain(signedJwt.slice(0, 40));
      expect(text).not.toContain("opaque-garbage-123");
    }
    expect(error.message).toContain("[redacted JWT]");
  });
});

describe("transportFailureError", () => {
  it("describes a timeout", () => {
    const error = transportFailureError({
      method: "GET",
      url: "http://127.0.0.1:9/v1.0/x?y",
      timedOut: true,
      timeoutMs: 250,
      detail: "The operation was aborted.",
      attempts: 1,
      clientRequestId: "c-1",
    });
    expect(error.message).toBe(
      "GET http://127.0.0.1:9/v1.0/x failed: timed out after 250 ms without an answer. (client-request-id c-1)",
    );
    expect(error).toMatchObject({ kind: "timeout", code: "TIMEOUT", attempts: 1 });
  });

  it("describes a dropped connection after exhausted retries, and a POST that was not retried", () => {
    const exhausted = transportFailureError({
      method: "PUT",
      url: "http://127.0.0.1:9/api/P",
      timedOut: false,
      timeoutMs: 60000,
      code: "ECONNRESET",
      detail: "socket hang up",
      attempts: 3,
      exhausted: "the limit of 3 attempts was reached",
    });
    expect(exhausted.message).toBe(
      "PUT http://127.0.0.1:9/api/P failed: the connection failed (ECONNRESET: socket hang up) after 3 attempts " +
        "(retries exhausted: the limit of 3 attempts was reached).",
    );
    expect(exhausted).toMatchObject({ kind: "network", code: "ECONNRESET" });
    const post = transportFailureError({
      method: "POST",
      url: "http://127.0.0.1:9/api/P",
      timedOut: false,
      timeoutMs: 60000,
      detail: "socket hang up",
      attempts: 1,
      notRetried: "a POST may already have been processed",
    });
    expect(post.message).toContain("(not retried: a POST may already have been processed)");
  });
});

describe("createEntraError and isEntraError", () => {
  it("redacts the message and string details", () => {
    const error = createEntraError(`failed with Bearer ${unsignedJwt}`, {
      kind: "auth",
      method: "GET",
      url: "https://x.test/a",
      attempts: 0,
      code: signedJwt,
    });
    expect(error.message).not.toContain("eyJ");
    expect(error.code).toBe("[redacted JWT]");
    expect(Object.keys(error)).not.toContain("status");
  });

  it("rejects look-alikes", () => {
    const plain = new Error("x");
    expect(isEntraError(plain)).toBe(false);
    expect(isEntraError({ name: "EntraError", kind: "http", method: "GET" })).toBe(false);
    plain.name = "EntraError";
    expect(isEntraError(plain)).toBe(false);
  });
});

describe("formatSeconds", () => {
  it("uses ms below a second and trims whole seconds", () => {
    expect(formatSeconds(250)).toBe("250 ms");
    expect(formatSeconds(60000)).toBe("60 s");
    expect(formatSeconds(1500)).toBe("1.5 s");
  });
});
