import {
  administratorPasswordResetOwned,
  administratorPasswordResetProvider,
  authorizationPolicyOf,
  validateAdministratorPasswordReset,
} from "../../../provider/objects/administratorPasswordReset";
import { useEmulator } from "../../support/emulator";

describe("AdministratorPasswordReset, pure parts", () => {
  it("requires allowedToUseSSPR as a boolean", () => {
    expect(validateAdministratorPasswordReset({ allowedToUseSSPR: false })).toEqual([]);
    expect(validateAdministratorPasswordReset({ allowedToUseSSPR: "no" })).toEqual([
      { property: "allowedToUseSSPR", reason: 'allowedToUseSSPR is "no"; allowed: true or false' },
    ]);
    expect(validateAdministratorPasswordReset({})).toEqual([
      { property: "allowedToUseSSPR", reason: "allowedToUseSSPR is (absent); allowed: true or false" },
    ]);
  });

  it("reads the policy whether Graph answers with the object (v1.0) or a collection (beta)", () => {
    const policy = { id: "authorizationPolicy", allowedToUseSSPR: true, blockMsolPowerShell: false };
    expect(authorizationPolicyOf(policy)).toBe(policy);
    expect(authorizationPolicyOf({ value: [policy] })).toBe(policy);
    expect(() => authorizationPolicyOf({ value: [] })).toThrow("no authorization policy object");
    expect(administratorPasswordResetOwned(policy)).toEqual({ allowedToUseSSPR: true });
    expect(administratorPasswordResetOwned({})).toEqual({ allowedToUseSSPR: null });
  });
});

describe("the AdministratorPasswordReset provider against the emulator", () => {
  const lab = useEmulator();

  const inputs = (allowedToUseSSPR: boolean, onDelete = "restore") => ({
    ...lab.target,
    onDelete,
    allowedToUseSSPR,
  });

  it("rejects reset (there is no Graph default to reset to) and any credential-like input at check", async () => {
    const { failures } = await administratorPasswordResetProvider.check(
      {},
      { ...inputs(false, "reset"), clientSecret: "s3cret-value" },
    );
    expect(failures.map((failure) => failure.property)).toEqual(["onDelete", "clientSecret"]);
    expect(JSON.stringify(failures)).not.toContain("s3cret-value");
  });

  it("writes only allowedToUseSSPR and keeps the rest of the authorization policy", async () => {
    const { outs } = await administratorPasswordResetProvider.create(inputs(false));
    expect(lab.emulator.state().authorizationPolicy).toEqual({
      ...lab.seeded.authorizationPolicy,
      allowedToUseSSPR: false,
    });
    expect(outs).toMatchObject({ snapshot: { allowedToUseSSPR: true }, current: { allowedToUseSSPR: false } });
    expect(JSON.stringify(outs)).not.toMatch(/Bearer|eyJ/);
    await administratorPasswordResetProvider.delete("id", outs);
    expect(lab.emulator.state()).toStrictEqual(lab.seeded);
  });

  it("fails when Graph answers 204 but the read-back still shows the old value", async () => {
    lab.emulator.addFault({ method: "PATCH", path: "/v1.0/policies/authorizationPolicy", status: 204 });
    await expect(administratorPasswordResetProvider.create(inputs(false))).rejects.toThrow(
      "AdministratorPasswordReset: the tenant did not take the change (read back after writing): allowedToUseSSPR: " +
        "wanted false, tenant has true",
    );
  });
});
