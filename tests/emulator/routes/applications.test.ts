/**
 * The ownership mark's application and its owners as Graph answers them (emulator/routes/applications.ts): the creator
 * owns what it creates, the owners list, adding an owner, Graph's 403 for a non-owner holding only
 * Application.ReadWrite.OwnedBy, and the unique name that lets exactly one of two creations win.
 */
import { useEmulator } from "../../support/emulator";
import { call, graphAppToken, graphError, type Reply } from "../helpers";

const lab = useEmulator();
const deployId = "00000000-0000-0000-0000-0000000000d1";
const otherId = "00000000-0000-0000-0000-0000000000e1";
const ownedBy = (oid: string, name: string): string =>
  graphAppToken(["Application.ReadWrite.OwnedBy", "Application.Read.All"], { oid, app_displayname: name });
const deploy = ownedBy(deployId, "entra-sspr deploy");
const squatter = ownedBy(otherId, "someone else");
const mark = "/v1.0/applications(uniqueName='entra-sspr-ownership-mark')";

const graph = (method: string, path: string, token: string, body?: unknown): Promise<Reply> =>
  call(lab.emulator.url, method, path, { token, body });

async function create(token: string): Promise<Reply> {
  return graph("POST", "/v1.0/applications", token, {
    displayName: "entra-sspr ownership mark",
    uniqueName: "entra-sspr-ownership-mark",
    notes: "n",
  });
}

describe("the mark's application and its owners", () => {
  it("the creator owns it; GET owners lists it with its type; the application itself does not show owners", async () => {
    const made = await create(deploy);
    expect(made.status).toBe(201);
    const id = (made.body as { id: string }).id;
    expect(made.body).not.toHaveProperty("owners");
    const owners = await graph("GET", `/v1.0/applications/${id}/owners`, graphAppToken(["Application.Read.All"]));
    expect(owners.status).toBe(200);
    expect(owners.body).toEqual({
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
      value: [{ "@odata.type": "#microsoft.graph.servicePrincipal", id: deployId, displayName: "entra-sspr deploy" }],
    });
    expect((await graph("GET", mark, deploy)).body).not.toHaveProperty("owners");
    // With $expand=owners, inline (what the provider reads with the mark, in one request).
    const expanded = await graph("GET", `${mark}?$select=id,notes&$expand=owners`, deploy);
    expect((expanded.body as { owners: { id: string }[] }).owners.map((owner) => owner.id)).toEqual([deployId]);
  });

  it("a caller holding only Application.ReadWrite.OwnedBy may not update an application it does not own: 403, nothing changes", async () => {
    await create(deploy);
    const before = lab.emulator.state();
    const refused = await graph("PATCH", mark, squatter, { notes: "forged" });
    expect(refused.status).toBe(403);
    expect(graphError(refused)).toMatchObject({
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
    });
    expect(lab.emulator.state()).toEqual(before);
    // Application.ReadWrite.All writes any application (an administrator's app), owner or not.
    const all = graphAppToken(["Application.ReadWrite.All"], { oid: otherId });
    expect((await graph("PATCH", mark, all, { notes: "forged" })).status).toBe(204);
  });

  it("an owner adds another owner ($ref, 204); a non-owner may not; a second add of the same owner is 400", async () => {
    const id = ((await create(deploy)).body as { id: string }).id;
    const reference = { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${otherId}` };
    expect((await graph("POST", `/v1.0/applications/${id}/owners/$ref`, squatter, reference)).status).toBe(403);
    expect((await graph("POST", `/v1.0/applications/${id}/owners/$ref`, deploy, reference)).status).toBe(204);
    const again = await graph("POST", `/v1.0/applications/${id}/owners/$ref`, deploy, reference);
    expect(again.status).toBe(400);
    expect(graphError(again).message).toContain("already exist for the following modified properties: 'owners'");
    const owners = await graph("GET", `/v1.0/applications/${id}/owners`, deploy);
    expect((owners.body as { value: { id: string }[] }).value.map((owner) => owner.id)).toEqual([deployId, otherId]);
    // Now a co-owner, the other identity may write it.
    expect((await graph("PATCH", mark, squatter, { notes: "x" })).status).toBe(204);
  });

  it("of two creations with the same uniqueName at the same moment exactly one is made; the other is 400", async () => {
    const replies = await Promise.all([create(deploy), create(squatter)]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 400]);
    const loser = replies.find((reply) => reply.status === 400) as Reply;
    expect(graphError(loser)).toMatchObject({
      code: "Request_BadRequest",
      message: "Another object with the same value for property uniqueName already exists.",
    });
    expect(lab.emulator.state().applications).toHaveLength(1);
  });

  it("owners of an unknown application: 404; of a malformed id: 400", async () => {
    const unknown = "00000000-0000-0000-0000-00000000f00d";
    expect((await graph("GET", `/v1.0/applications/${unknown}/owners`, deploy)).status).toBe(404);
    expect((await graph("GET", "/v1.0/applications/nope/owners", deploy)).status).toBe(400);
  });
});
