/**
 * `DELETE /groups/{id}` as Graph answers it (docs `group-delete`): 204 with no body, Graph's not-found answers, and
 * Group.ReadWrite.All as the only permission that deletes.
 */
import { financeGroupId, pilotGroupId } from "../../../emulator/people/defaultPeople";
import { useEmulator } from "../../support/emulator";
import { allGraphPermissions, call, graphAppToken, graphError, graphUserToken, type Reply } from "../helpers";

const lab = useEmulator();
const admin = graphAppToken(allGraphPermissions);

const graph = (method: string, path: string, token = admin): Promise<Reply> =>
  call(lab.emulator.url, method, path, { token });

describe("DELETE /groups/{id}", () => {
  it("204 with no body; the group, its member list and its nested memberships are gone", async () => {
    // Finance is nested in the pilot group: deleting it takes it out of the pilot's members too.
    expect(lab.seeded.groupMembers[pilotGroupId]).toContain(financeGroupId);
    const reply = await graph("DELETE", `/v1.0/groups/${financeGroupId}`);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe("");
    const after = lab.emulator.state();
    expect(after.groups.map((group) => group.id)).toEqual([pilotGroupId]);
    expect(after.groupMembers[financeGroupId]).toBeUndefined();
    expect(after.groupMembers[pilotGroupId]).toEqual(
      lab.seeded.groupMembers[pilotGroupId].filter((member) => member !== financeGroupId),
    );
    expect((await graph("GET", `/v1.0/groups/${financeGroupId}`)).status).toBe(404);
    // The users themselves stay.
    expect(after.users).toEqual(lab.seeded.users);
  });

  it("404 Request_ResourceNotFound for an unknown GUID (a second delete), 400 for a malformed id; nothing changes", async () => {
    expect((await graph("DELETE", `/v1.0/groups/${financeGroupId.toUpperCase()}`)).status).toBe(204);
    const before = lab.emulator.state();
    const again = await graph("DELETE", `/v1.0/groups/${financeGroupId}`);
    expect(again.status).toBe(404);
    expect(graphError(again)).toMatchObject({
      code: "Request_ResourceNotFound",
      message: `Resource '${financeGroupId}' does not exist or one of its queried reference-property objects are not present.`,
    });
    const malformed = await graph("DELETE", "/v1.0/groups/FINANCE");
    expect(malformed.status).toBe(400);
    expect(graphError(malformed).message).toBe("Invalid object identifier 'FINANCE'.");
    expect(lab.emulator.state()).toEqual(before);
  });

  it("403 without Group.ReadWrite.All, named in the message: Directory.ReadWrite.All and GroupMember.ReadWrite.All do not delete", async () => {
    for (const token of [
      graphAppToken(["Directory.ReadWrite.All", "GroupMember.ReadWrite.All"]),
      graphUserToken(["Group.Read.All"]),
    ]) {
      const reply = await graph("DELETE", `/v1.0/groups/${financeGroupId}`, token);
      expect(reply.status).toBe(403);
      expect(graphError(reply).code).toBe("Authorization_RequestDenied");
      expect(graphError(reply).message).toContain("Group.ReadWrite.All");
    }
    expect(lab.emulator.state()).toEqual(lab.seeded);
    // Delegated and application tokens alike delete with it.
    expect(
      (await graph("DELETE", `/v1.0/groups/${financeGroupId}`, graphUserToken(["Group.ReadWrite.All"]))).status,
    ).toBe(204);
  });
});
