/**
 * The methods that survive Microsoft's dates, in the methods policy: third-party software OATH (`SoftwareOath`,
 * v1.0), Microsoft Authenticator's codes (`isSoftwareOathEnabled`) and hardware OATH tokens (`HardwareOath`, Graph
 * beta only, a preview), through the HTTP server.
 */
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { useEmulator } from "../../support/emulator";
import { allGraphPermissions, call, graphAppToken, graphError, type Json } from "../helpers";

const token = graphAppToken(allGraphPermissions);
const configurations = (version: string): string =>
  `/${version}/policies/authenticationMethodsPolicy/authenticationMethodConfigurations`;
const softwareOathType = "#microsoft.graph.softwareOathAuthenticationMethodConfiguration";
const hardwareOathType = "#microsoft.graph.hardwareOathAuthenticationMethodConfiguration";
const group = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";

const lab = useEmulator();
const graph = (method: string, path: string, body?: unknown) => call(lab.emulator.url, method, path, { token, body });
const ids = (body: unknown): unknown[] => (body as { value: Json[] }).value.map((configuration) => configuration.id);

describe("SoftwareOath (v1.0)", () => {
  it("GET answers the configuration with its @odata.type, off in a new tenant", async () => {
    const reply = await graph("GET", `${configurations("v1.0")}/softwareOath`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodConfigurations/$entity",
      "@odata.type": softwareOathType,
      id: "SoftwareOath",
      state: "disabled",
      includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
      excludeTargets: [],
    });
  });

  it("PATCH 204 switches it on for a group; GET shows it", async () => {
    const patch = await graph("PATCH", `${configurations("v1.0")}/SoftwareOath`, {
      "@odata.type": softwareOathType,
      state: "enabled",
      includeTargets: [{ targetType: "group", id: group, isRegistrationRequired: false }],
    });
    expect(patch.status).toBe(204);
    expect(patch.text).toBe("");
    expect((await graph("GET", `${configurations("v1.0")}/SoftwareOath`)).body).toMatchObject({
      state: "enabled",
      includeTargets: [{ targetType: "group", id: group, isRegistrationRequired: false }],
    });
  });

  it("PATCH with Graph's validation: the type, no properties of its own, target shapes; a 400 changes nothing", async () => {
    const before = lab.emulator.state();
    const cases: [unknown, string][] = [
      [{ state: "enabled" }, `@odata.type is missing; it must be "${softwareOathType}"`],
      [
        { "@odata.type": hardwareOathType, state: "enabled" },
        `@odata.type is "${hardwareOathType}"; it must be "${softwareOathType}" for SoftwareOath`,
      ],
      [
        { "@odata.type": softwareOathType, isSoftwareOathEnabled: true },
        "The property 'isSoftwareOathEnabled' does not exist on type 'microsoft.graph.softwareOathAuthenticationMethodConfiguration'",
      ],
      [{ "@odata.type": softwareOathType, state: "on" }, 'state is "on"; allowed: "enabled", "disabled"'],
      [
        { "@odata.type": softwareOathType, includeTargets: [{ targetType: "group", isRegistrationRequired: "no" }] },
        "includeTargets[0].id is missing; it is required",
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await graph("PATCH", `${configurations("v1.0")}/SoftwareOath`, body);
      expect(reply.status).toBe(400);
      expect(graphError(reply).message).toContain(message);
    }
    expect(lab.emulator.state()).toEqual(before);
  });
});

describe("Microsoft Authenticator's codes (isSoftwareOathEnabled)", () => {
  const path = `${configurations("v1.0")}/MicrosoftAuthenticator`;
  const type = "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration";

  it("is false in a new tenant; PATCH true is a 204 that changes only it", async () => {
    const before = (await graph("GET", path)).body as Json;
    expect(before.isSoftwareOathEnabled).toBe(false);
    expect((await graph("PATCH", path, { "@odata.type": type, isSoftwareOathEnabled: true })).status).toBe(204);
    expect((await graph("GET", path)).body).toEqual({ ...before, isSoftwareOathEnabled: true });
  });

  it("refuses a value that is not a boolean", async () => {
    const reply = await graph("PATCH", path, { "@odata.type": type, isSoftwareOathEnabled: "yes" });
    expect(reply.status).toBe(400);
    expect(graphError(reply).message).toBe('isSoftwareOathEnabled is "yes"; allowed: true or false');
  });
});

describe("HardwareOath (Graph beta only, a preview)", () => {
  it("beta lists it in the policy and the collection, with its default; v1.0 does not know it", async () => {
    const betaPolicy = (await graph("GET", "/beta/policies/authenticationMethodsPolicy")).body as Json;
    expect(ids({ value: betaPolicy.authenticationMethodConfigurations })).toContain("HardwareOath");
    expect(ids((await graph("GET", configurations("beta"))).body)).toContain("HardwareOath");
    const v1Policy = (await graph("GET", "/v1.0/policies/authenticationMethodsPolicy")).body as Json;
    expect(ids({ value: v1Policy.authenticationMethodConfigurations })).not.toContain("HardwareOath");
    expect(ids((await graph("GET", configurations("v1.0"))).body)).not.toContain("HardwareOath");

    expect((await graph("GET", `${configurations("beta")}/hardwareOath`)).body).toEqual({
      "@odata.context": "https://graph.microsoft.com/beta/$metadata#authenticationMethodConfigurations/$entity",
      "@odata.type": hardwareOathType,
      id: "HardwareOath",
      state: "disabled",
      includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
      excludeTargets: [],
    });
    for (const method of ["GET", "DELETE"]) {
      const reply = await graph(method, `${configurations("v1.0")}/HardwareOath`);
      expect(reply.status).toBe(404);
      expect(graphError(reply).code).toBe("itemNotFound");
    }
    // The start-up tenant does not store it: the v1.0 world (and the default tenant) is unchanged.
    expect(lab.emulator.state()).toEqual(createDefaultTenant());
  });

  it("PATCH on beta stores it (204); v1.0 still leaves it out; DELETE reverts it to its default", async () => {
    const patch = await graph("PATCH", `${configurations("beta")}/HardwareOath`, {
      "@odata.type": hardwareOathType,
      state: "enabled",
      includeTargets: [{ targetType: "group", id: group, isRegistrationRequired: false }],
    });
    expect(patch.status).toBe(204);
    const stored = (await graph("GET", `${configurations("beta")}/HardwareOath`)).body as Json;
    expect(stored).toMatchObject({ state: "enabled", includeTargets: [{ id: group }] });
    expect(ids((await graph("GET", configurations("v1.0"))).body)).not.toContain("HardwareOath");
    expect(
      (
        await graph("PATCH", `${configurations("v1.0")}/HardwareOath`, {
          "@odata.type": hardwareOathType,
          state: "disabled",
        })
      ).status,
    ).toBe(404);
    // A client writes back on v1.0 what it read there (the stored beta method is not part of it).
    const v1Policy = (await graph("GET", "/v1.0/policies/authenticationMethodsPolicy")).body as Json;
    const writeBack = await graph("PATCH", "/v1.0/policies/authenticationMethodsPolicy", {
      authenticationMethodConfigurations: v1Policy.authenticationMethodConfigurations,
    });
    expect(writeBack.status).toBe(200);

    expect((await graph("DELETE", `${configurations("beta")}/HardwareOath`)).status).toBe(204);
    expect((await graph("GET", `${configurations("beta")}/HardwareOath`)).body).toMatchObject({
      state: "disabled",
      includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
    });
    expect(lab.emulator.state().authenticationMethodsPolicy.authenticationMethodConfigurations).toEqual(
      createDefaultTenant().authenticationMethodsPolicy.authenticationMethodConfigurations,
    );
  });

  it("PATCH with Graph's validation: its own type, no properties of its own", async () => {
    const before = lab.emulator.state();
    const wrongType = await graph("PATCH", `${configurations("beta")}/HardwareOath`, {
      "@odata.type": softwareOathType,
      state: "enabled",
    });
    expect(wrongType.status).toBe(400);
    expect(graphError(wrongType).message).toContain(`it must be "${hardwareOathType}" for HardwareOath`);
    const unknown = await graph("PATCH", `${configurations("beta")}/HardwareOath`, {
      "@odata.type": hardwareOathType,
      isOfficePhoneAllowed: true,
    });
    expect(unknown.status).toBe(400);
    expect(graphError(unknown).message).toContain(
      "The property 'isOfficePhoneAllowed' does not exist on type 'microsoft.graph.hardwareOathAuthenticationMethodConfiguration'",
    );
    expect(lab.emulator.state()).toEqual(before);
  });

  it("a seed can give it (as a copy of a real tenant's beta policy would)", async () => {
    const policy = createDefaultTenant().authenticationMethodsPolicy;
    lab.reseed({
      authenticationMethodsPolicy: {
        ...policy,
        authenticationMethodConfigurations: [
          ...policy.authenticationMethodConfigurations,
          {
            "@odata.type": hardwareOathType,
            id: "HardwareOath",
            state: "enabled",
            includeTargets: [],
            excludeTargets: [],
          },
        ],
      },
    });
    expect((await graph("GET", `${configurations("beta")}/HardwareOath`)).body).toMatchObject({ state: "enabled" });
    expect(ids((await graph("GET", configurations("v1.0"))).body)).not.toContain("HardwareOath");
  });
});
