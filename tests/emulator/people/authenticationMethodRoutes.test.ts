/**
 * Users' OATH methods through the HTTP server: software OATH apps on v1.0, hardware OATH tokens on Graph beta only
 * (a preview), given by a seed, and the registration report's names for them.
 */
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { okaforUserId } from "../../../emulator/people/defaultPeople";
import { useEmulator } from "../../support/emulator";
import { call, graphAppToken, graphError, type Json } from "../helpers";

const token = graphAppToken(["UserAuthenticationMethod.Read.All", "AuditLog.Read.All"]);
const softwareOath = {
  "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod",
  id: "b0000000-0000-4000-8000-000000000099",
  secretKey: null,
};
const hardwareOath = {
  "@odata.type": "#microsoft.graph.hardwareOathAuthenticationMethod",
  id: "3dee0e53-f50f-43ef-85c0-b44689f2d66d",
  displayName: "Thales OTP 110",
  device: { id: "6c0272a7-8a5e-490c-bc45-9fe7a42fc4e0", serialNumber: "GALT11420104", manufacturer: "Thales" },
};

const lab = useEmulator();
const graph = (path: string) => call(lab.emulator.url, "GET", path, { token });
const values = (body: unknown): Json[] => (body as { value: Json[] }).value;

describe("a user's OATH methods, from a seed", () => {
  beforeEach(() => {
    const methods = createDefaultTenant().authenticationMethods;
    methods[okaforUserId] = [softwareOath, hardwareOath];
    lab.reseed({ authenticationMethods: methods });
  });

  it("softwareOathMethods lists the app on v1.0 and beta", async () => {
    for (const version of ["v1.0", "beta"]) {
      const reply = await graph(`/${version}/users/${okaforUserId}/authentication/softwareOathMethods`);
      expect(reply.status).toBe(200);
      expect(values(reply.body)).toEqual([softwareOath]);
    }
  });

  it("hardwareOathMethods is beta only; v1.0's methods leave the token out, beta's list it", async () => {
    const beta = await graph(`/beta/users/${okaforUserId}/authentication/hardwareOathMethods`);
    expect(beta.status).toBe(200);
    expect(values(beta.body)).toEqual([hardwareOath]);
    const v1 = await graph(`/v1.0/users/${okaforUserId}/authentication/hardwareOathMethods`);
    expect(v1.status).toBe(400);
    expect(graphError(v1).message).toBe("Resource not found for the segment 'hardwareOathMethods'.");
    const types = async (version: string): Promise<unknown[]> =>
      values((await graph(`/${version}/users/${okaforUserId}/authentication/methods`)).body).map(
        (method) => method["@odata.type"],
      );
    expect(await types("v1.0")).toEqual([
      "#microsoft.graph.passwordAuthenticationMethod",
      "#microsoft.graph.softwareOathAuthenticationMethod",
    ]);
    expect(await types("beta")).toContain("#microsoft.graph.hardwareOathAuthenticationMethod");
  });

  it("the registration report names them softwareOneTimePasscode and hardwareOneTimePasscode", async () => {
    const row = await graph(`/v1.0/reports/authenticationMethods/userRegistrationDetails/${okaforUserId}`);
    expect(row.body).toMatchObject({
      methodsRegistered: ["softwareOneTimePasscode", "hardwareOneTimePasscode"],
      isMfaRegistered: true,
      isMfaCapable: true,
    });
    const filtered = await graph(
      "/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq true&$select=id",
    );
    expect(values(filtered.body).map((entry) => entry.id)).toContain(okaforUserId);
  });

  it("a hardware token counts for SSPR with the app's code, once (SSPR for all, one method required)", async () => {
    const methods = createDefaultTenant().authenticationMethods;
    methods[okaforUserId] = [hardwareOath];
    lab.reseed({
      authenticationMethods: methods,
      passwordResetPolicies: { ...createDefaultTenant().passwordResetPolicies, enablementType: 2 },
    });
    const row = await graph(`/v1.0/reports/authenticationMethods/userRegistrationDetails/${okaforUserId}`);
    expect(row.body).toMatchObject({ methodsRegistered: ["hardwareOneTimePasscode"], isSsprRegistered: true });
    // Together with the app's code it is still one method: two are not enough for "2 methods required".
    methods[okaforUserId] = [hardwareOath, softwareOath];
    lab.reseed({
      authenticationMethods: methods,
      passwordResetPolicies: {
        ...createDefaultTenant().passwordResetPolicies,
        enablementType: 2,
        numberOfAuthenticationMethodsRequired: 2,
      },
    });
    const two = await graph(`/v1.0/reports/authenticationMethods/userRegistrationDetails/${okaforUserId}`);
    expect(two.body).toMatchObject({ isSsprRegistered: false });
  });
});
