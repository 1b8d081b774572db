import { createEntraClient } from "../../components/entra/client";
import { startEmulator } from "../../emulator/server";
import { emulatorCallHandler, getUsersToken } from "../../scripts/azureadStandIns";
import { emulatorEndpoints } from "../support/emulator";

describe("azuread stand-ins for a rehearsal", () => {
  it("answers azuread.getUsers from the emulator's directory in azuread's result shape", async () => {
    const emulator = await startEmulator();
    try {
      const call = emulatorCallHandler(
        createEntraClient({
          tenantId: "munyakazi.org",
          endpoints: emulatorEndpoints(emulator.url),
        }),
      );
      const result = await call({
        token: getUsersToken,
        inputs: { userPrincipalNames: ["C.Vogel@munyakazi.org", "nobody@munyakazi.org"], ignoreMissing: true },
      });
      expect(result).toMatchObject({
        userPrincipalNames: ["c.vogel@munyakazi.org"],
        objectIds: ["3c9e5a21-7f4b-4c1d-8a6e-9b2f0d1c3e47"],
        users: [
          { objectId: "3c9e5a21-7f4b-4c1d-8a6e-9b2f0d1c3e47", displayName: "Clara Vogel", mailNickname: "c.vogel" },
        ],
      });
      await expect(
        call({ token: getUsersToken, inputs: { userPrincipalNames: ["nobody@munyakazi.org"], ignoreMissing: true } }),
      ).rejects.toThrow(/no user with user principal name nobody@munyakazi.org/);
      await expect(call({ token: "azuread:index/getGroup:getGroup", inputs: {} })).rejects.toThrow(/is not emulated/);
    } finally {
      await emulator.stop();
    }
  });
});
