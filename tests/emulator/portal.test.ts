import {
  call,
  globalAdministrator,
  graphAppToken,
  portalError,
  portalFixture,
  portalUserToken,
  unsignedJwt,
  type Json,
  type Reply,
} from "./helpers";
import { useEmulator } from "../support/emulator";

const lab = useEmulator();
const policiesPath = "/api/PasswordReset/PasswordResetPolicies";
const onPremisesPath = "/api/PasswordReset/OnPremisesPasswordResetPolicies";
const adminToken = portalUserToken();

const portal = (method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Reply> =>
  call(lab.emulator.url, method, path, { token: adminToken, ...options });

async function expectRejected(request: Promise<Reply>, ...fragments: string[]): Promise<void> {
  const before = lab.emulator.state();
  const reply = await request;
  expect(reply.status).toBe(400);
  expect(portalError(reply).errorCode).toBe("BadRequest");
  for (const fragment of fragments) expect(portalError(reply).message).toContain(fragment);
  expect(lab.emulator.state()).toEqual(before);
}

describe("PasswordResetPolicies", () => {
  it("GET returns the seeded real response exactly (every field, hidden ones included, same order)", async () => {
    lab.emulator.seed({ passwordResetPolicies: portalFixture() });
    const reply = await portal("GET", policiesPath);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(JSON.stringify(portalFixture()));
    expect(reply.headers.get("x-ms-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a new tenant has SSPR off (enablementType 0) and the fixture's fields", async () => {
    const body = (await portal("GET", policiesPath)).body as Json;
    expect(body.enablementType).toBe(0);
    expect(Object.keys(body)).toEqual(Object.keys(portalFixture()));
  });

  it("PUT stores the whole object it is given, also with fields missing", async () => {
    const changed = {
      ...portalFixture(),
      enablementType: 2,
      numberOfAuthenticationMethodsRequired: 2,
      passwordResetEnabledGroupName: "",
    };
    const put = await portal("PUT", policiesPath, { body: changed });
    expect(put.status).toBe(200);
    // The observed answer: 200 with the JSON boolean true (nodoc spec), not the object.
    expect(put.body).toBe(true);
    expect(put.text).toBe("true");
    expect((await portal("GET", policiesPath)).body).toEqual(changed);

    const partial = { enablementType: 0 };
    expect((await portal("PUT", policiesPath, { body: partial })).status).toBe(200);
    expect((await portal("GET", policiesPath)).body).toEqual(partial);
  });

  it("?getPasswordResetEnabledGroup=true names a group that exists in the directory", async () => {
    const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
    const body = { ...portalFixture(), passwordResetEnabledGroupIds: [pilot], passwordResetEnabledGroupName: "" };
    await portal("PUT", policiesPath, { body });
    const named = (await portal("GET", `${policiesPath}?getPasswordResetEnabledGroup=true`)).body as Json;
    expect(named.passwordResetEnabledGroupName).toBe("Password reset pilot");
    expect(((await portal("GET", policiesPath)).body as Json).passwordResetEnabledGroupName).toBe("");
  });

  it("rejects values outside the admin center's ranges and changes nothing", async () => {
    const base = portalFixture();
    await expectRejected(portal("PUT", policiesPath, { body: { ...base, enablementType: 3 } }), "enablementType is 3");
    await expectRejected(
      portal("PUT", policiesPath, { body: { ...base, numberOfAuthenticationMethodsRequired: 3 } }),
      "numberOfAuthenticationMethodsRequired is 3; allowed: an integer 1-2",
    );
    await expectRejected(
      portal("PUT", policiesPath, { body: { ...base, registrationReconfirmIntevalInDays: 731 } }),
      "registrationReconfirmIntevalInDays is 731; allowed: an integer 0-730",
    );
    await expectRejected(
      portal("PUT", policiesPath, { body: { ...base, numberOfQuestionsToRegister: 3, numberOfQuestionsToReset: 5 } }),
      "allowed: register >= reset",
    );
    await expectRejected(
      portal("PUT", policiesPath, { body: { ...base, enablementType: 1, passwordResetEnabledGroupIds: ["a", "b"] } }),
      "needs exactly one group id",
    );
    await expectRejected(
      portal("PUT", policiesPath, { body: { ...base, emailOptionEnabled: "true" } }),
      'emailOptionEnabled is "true"',
    );
  });

  it("rejects malformed JSON and a body that is not an object, changing nothing", async () => {
    await expectRejected(
      portal("PUT", policiesPath, { rawBody: "{enablementType: 2}" }),
      "Unable to read JSON request payload",
    );
    await expectRejected(portal("PUT", policiesPath, { body: [portalFixture()] }), "allowed: a JSON object");
  });
});

describe("OnPremisesPasswordResetPolicies", () => {
  it("GET and PUT the object", async () => {
    const body = (await portal("GET", onPremisesPath)).body as Json;
    expect(body.passwordWritebackSupported).toBe(false);
    const changed = { ...body, accountUnlockEnabled: true };
    expect((await portal("PUT", onPremisesPath, { body: changed })).status).toBe(200);
    expect((await portal("GET", onPremisesPath)).body).toEqual(changed);
  });

  it("rejects a wrong type and changes nothing", async () => {
    await expectRejected(
      portal("PUT", onPremisesPath, { body: { accountUnlockEnabled: "yes" } }),
      "accountUnlockEnabled",
    );
  });
});

describe("portal tokens", () => {
  it("401 without a token and with a Graph token", async () => {
    for (const token of [undefined, graphAppToken(["Policy.ReadWrite.AuthenticationMethod"])]) {
      const reply = await call(lab.emulator.url, "GET", policiesPath, { token });
      expect(reply.status).toBe(401);
      expect(portalError(reply).errorCode).toBe("Unauthorized");
    }
  });

  it("401 for an app-only token even with the right audience", async () => {
    const appOnly = unsignedJwt({
      aud: "74658136-14ec-4630-ad9b-26e160ff0fc6",
      roles: ["x"],
      wids: [globalAdministrator],
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    const reply = await call(lab.emulator.url, "GET", policiesPath, { token: appOnly });
    expect(reply.status).toBe(401);
    expect(portalError(reply).message).toContain("delegated");
  });

  it("403 for a user without Authentication Policy Administrator or Global Administrator, naming both", async () => {
    const reply = await call(lab.emulator.url, "PUT", policiesPath, {
      token: portalUserToken([]),
      body: portalFixture(),
    });
    expect(reply.status).toBe(403);
    expect(portalError(reply).message).toContain("Authentication Policy Administrator");
    expect(portalError(reply).message).toContain("Global Administrator");
    expect(lab.emulator.state().passwordResetPolicies.enablementType).toBe(0);
  });

  it("accepts a Global Administrator", async () => {
    expect(
      (await call(lab.emulator.url, "GET", policiesPath, { token: portalUserToken([globalAdministrator]) })).status,
    ).toBe(200);
  });

  it("404 for an unknown portal resource, 405 for another method", async () => {
    expect((await portal("GET", "/api/PasswordReset/Nothing")).status).toBe(404);
    expect((await portal("DELETE", policiesPath)).status).toBe(405);
  });
});
