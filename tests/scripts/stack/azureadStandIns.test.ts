import * as azuread from "@pulumi/azuread";
import { createEntraClient } from "../../../provider/http/client";
import { startEmulator } from "../../../emulator/server";
import { destroyState, EngineError, runProgram } from "../../../engine/engine";
import {
  emulatorCallHandler,
  emulatorResourceDeleter,
  emulatorResourceHandler,
  getUsersToken,
} from "../../../scripts/stack/azureadStandIns";
import { emulatorEndpoints, useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

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

describe("destroy deletes azuread groups as Pulumi would", () => {
  const lab = useEmulator();
  const fixture = useProviderHost();

  const groupsNamed = (displayName: string) =>
    lab.emulator.state().groups.filter((group) => group.displayName === displayName);

  async function applyGroups(retainOnDelete: boolean) {
    const client = createEntraClient(lab.target);
    const program = () => {
      new azuread.Group(
        "pilot-group",
        { displayName: "SSPR Pilot", securityEnabled: true, mailEnabled: false },
        { retainOnDelete },
      );
    };
    const applied = await runProgram(program, {
      host: fixture.host,
      handleResource: emulatorResourceHandler(client),
      deleteResource: emulatorResourceDeleter(client),
    });
    expect(groupsNamed("SSPR Pilot")).toHaveLength(1);
    return { client, applied };
  }

  it("through Graph's DELETE /groups/{id}; a group already gone fails the destroy with Graph's answer", async () => {
    const { client, applied } = await applyGroups(false);
    const destroyed = await destroyState(applied.state, fixture.host, {
      deleteResource: emulatorResourceDeleter(client),
    });
    expect(destroyed.steps.map((step) => step.op)).toEqual(["delete"]);
    expect(groupsNamed("SSPR Pilot")).toEqual([]);
    expect(lab.emulator.requests().filter((request) => request.method === "DELETE")).toHaveLength(1);

    const again = destroyState(applied.state, fixture.host, { deleteResource: emulatorResourceDeleter(client) });
    await expect(again).rejects.toThrow(EngineError);
    await expect(again).rejects.toThrow(/does not exist/);
  });

  it("with retainOnDelete the group stays in the tenant and leaves the state", async () => {
    const { client, applied } = await applyGroups(true);
    const destroyed = await destroyState(applied.state, fixture.host, {
      deleteResource: emulatorResourceDeleter(client),
    });
    expect(destroyed.steps).toEqual([expect.objectContaining({ op: "delete", retained: true })]);
    expect(destroyed.state).toEqual({});
    expect(groupsNamed("SSPR Pilot")).toHaveLength(1);
    expect(lab.emulator.requests().filter((request) => request.method === "DELETE")).toEqual([]);
  });
});
