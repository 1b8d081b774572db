/**
 * `pulumi import` of each tenant object through the plugin's Read (an id and nothing else, as the engine sends it):
 * the object is adopted as the tenant holds it, and the next `up`, whether its program names every imported setting
 * (the code `pulumi import` generates) or only some, writes nothing; destroy then puts back nothing either.
 */
import { ProviderHostError } from "../../engine/providerHost";
import type { PropertyMap } from "../../engine/propertyValues";
import { useEmulator } from "../support/emulator";
import { useProviderHost } from "../support/rehearsalHost";
import { isWriteRequest } from "../../emulator/requestLog";

const lab = useEmulator();

// This worker's plugin process, started as the CLI starts it (tests/support/rehearsalHost.ts).
const hosted = useProviderHost();

const urnOf = (type: string): string => `urn:pulumi:dev::entra-sspr::entra-sspr:index:${type}::imported`;
const writes = (): string[] =>
  lab.emulator
    .requests()
    .filter(isWriteRequest)
    .map((entry) => `${entry.method} ${entry.path}`);

/** The engine's import, then an `up` with `program` (the keys of the imported inputs it keeps), then destroy. */
async function importThenUp(type: string, objectId: string, keep: (inputs: PropertyMap) => PropertyMap) {
  const urn = urnOf(type);
  const tenantId = lab.seeded.tenantId;
  const imported = await hosted.host.read(urn, `${tenantId}/${objectId}@${lab.emulator.url}`, {});
  // The id as `create` gives it: a method id in any casing comes back in Graph's (voice -> Voice).
  expect(imported.id).toBe(`${tenantId}/${objectId.replace("/voice", "/Voice")}`);
  const importedInputs = imported.inputs ?? {};
  const checked = await hosted.host.check(urn, importedInputs, keep(importedInputs));
  expect(checked.failures).toEqual([]);
  const diff = await hosted.host.diff(urn, imported.id, imported.properties, checked.inputs);
  expect(diff.replaces).toEqual([]);
  const after = diff.changes
    ? (await hosted.host.update(urn, imported.id, imported.properties, checked.inputs)).properties
    : imported.properties;
  await hosted.host.delete(urn, imported.id, after);
  return { importedInputs, writes: writes() };
}

const targetKeys = ["tenantId", "endpoints", "onDelete"];
const only =
  (...keys: string[]) =>
  (inputs: PropertyMap): PropertyMap =>
    Object.fromEntries(Object.entries(inputs).filter(([key]) => [...targetKeys, ...keys].includes(key)));

describe("pulumi import by id", () => {
  it.each([
    ["PasswordResetPolicy", "passwordResetPolicies/default", ["enablement", "methodsRequired"]],
    ["AuthenticationMethodConfiguration", "authenticationMethodConfigurations/Email", ["methodId", "state"]],
    ["AuthenticationMethodConfiguration", "authenticationMethodConfigurations/voice", ["methodId", "includeTargets"]],
    ["AuthenticationMethodsPolicy", "authenticationMethodsPolicy", ["registrationCampaign"]],
    ["AdministratorPasswordReset", "authorizationPolicy/allowedToUseSSPR", ["allowedToUseSSPR"]],
  ])("%s %s: the next up writes nothing, with every imported setting or some", async (type, objectId, some) => {
    const whole = await importThenUp(type, objectId, (inputs) => inputs);
    expect(whole.writes).toEqual([]);
    expect(Object.keys(whole.importedInputs)).toEqual(expect.arrayContaining(some));
    lab.emulator.clearRequests();
    const part = await importThenUp(type, objectId, only(...some));
    expect(part.writes).toEqual([]);
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });

  it("adopts the tenant's settings in the stack config's words", async () => {
    const { importedInputs } = await importThenUp("PasswordResetPolicy", "passwordResetPolicies/default", (i) => i);
    const portal = lab.seeded.passwordResetPolicies as Record<string, unknown>;
    expect(importedInputs).toMatchObject({
      tenantId: lab.seeded.tenantId,
      methodsRequired: portal.numberOfAuthenticationMethodsRequired,
      registration: {
        requireOnSignIn: portal.registrationRequiredOnSignIn,
        reconfirmDays: portal.registrationReconfirmIntevalInDays,
      },
    });
    expect(importedInputs).not.toHaveProperty("legacyMethods");
  });

  it("refuses an id of another form, naming the form it expects, before any request", async () => {
    const attempt = hosted.host.read(urnOf("PasswordResetPolicy"), "munyakazi.org/authenticationMethodsPolicy", {});
    await expect(attempt).rejects.toThrow(ProviderHostError);
    await expect(attempt).rejects.toThrow(/expected <tenant>\/passwordResetPolicies\/default/);
    await expect(hosted.host.read(urnOf("TenantOwnership"), "munyakazi.org/ownership", {})).rejects.toThrow(
      /cannot be imported/,
    );
    expect(lab.emulator.requests()).toEqual([]);
  });
});
