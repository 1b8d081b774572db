/**
 * Where the ownership mark is kept: the notes of the application with uniqueName entra-sspr-ownership-mark, written
 * under Application.ReadWrite.OwnedBy; a mark earlier versions kept on the organization is still honoured and moved on
 * the next write. Through the project's HTTP layer to the emulator.
 */
import { createEntraClient } from "../../../provider/http/client";
import {
  deleteMark,
  organizationId,
  ownershipApplicationUniqueName,
  readMark,
  writeMark,
} from "../../../provider/ownership/ownershipMark";
import type { TenantState } from "../../../emulator/server";
import { useEmulator } from "../../support/emulator";
import { isWriteRequest } from "../../../emulator/requestLog";

const lab = useEmulator();
const saved = process.env.ENTRA_SSPR_LAB_GRANTS;
afterEach(() => {
  if (saved === undefined) delete process.env.ENTRA_SSPR_LAB_GRANTS;
  else process.env.ENTRA_SSPR_LAB_GRANTS = saved;
});

const old = {
  stack: "organization/entra-sspr/dev",
  claim: "c1a1m000-0000-4000-8000-000000000001",
  claimedAt: "2026-11-27T10:00:00.000Z",
};
const oldExtension = {
  "@odata.type": "#microsoft.graph.openTypeExtension",
  id: "microsoft.graph.openTypeExtension.entraSspr.ownership",
  extensionName: "entraSspr.ownership",
  ...old,
};
const application = (state: TenantState) =>
  state.applications.find((candidate) => candidate.uniqueName === ownershipApplicationUniqueName);
const writes = () =>
  lab.emulator
    .requests()
    .filter(isWriteRequest)
    .map((request) => `${request.method} ${request.path}`);

describe("the ownership mark's place", () => {
  it("is written and read on the application, with only Application.ReadWrite.OwnedBy, Application.Read.All and Organization.Read.All", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS = "Application.ReadWrite.OwnedBy,Application.Read.All,Organization.Read.All";
    const client = createEntraClient(lab.target);
    const organization = await organizationId(client);
    expect(await readMark(client, organization)).toBeUndefined();
    await writeMark(client, organization, old, false);
    expect(await readMark(client, organization)).toEqual(old);
    expect(JSON.parse(String(application(lab.emulator.state())?.notes))).toEqual(old);
    expect(lab.emulator.state().organizationExtensions).toEqual([]);
    // Released on destroy: the notes are emptied, so the tenant has no owner.
    await deleteMark(client, organization);
    expect(await readMark(client, organization)).toBeUndefined();
    expect(lab.emulator.requests().filter((request) => request.status === 403)).toEqual([]);
  });

  it("a mark earlier versions kept on the organization is honoured, moved on the next write, and never counts again", async () => {
    lab.reseed({ organizationExtensions: [oldExtension] });
    const client = createEntraClient(lab.target);
    const organization = await organizationId(client);
    expect(await readMark(client, organization)).toEqual({ ...old, storedOnOrganization: true });

    await writeMark(client, organization, old, true);
    expect(writes()).toEqual([
      "POST /v1.0/applications",
      `DELETE /v1.0/organization/${organization}/extensions/entraSspr.ownership`,
    ]);
    expect(lab.emulator.state().organizationExtensions).toEqual([]);
    expect(await readMark(client, organization)).toEqual(old);

    // An identity without Organization.ReadWrite.All leaves the old extension behind: the application shadows it,
    // before and after the release.
    lab.reseed({ organizationExtensions: [oldExtension], applications: lab.emulator.state().applications });
    expect(await readMark(client, organization)).toEqual(old);
    await deleteMark(client, organization);
    expect(await readMark(client, organization)).toBeUndefined();
  });

  it("releasing a mark still on the organization without Organization.ReadWrite.All shadows it with an empty application", async () => {
    lab.reseed({ organizationExtensions: [oldExtension] });
    process.env.ENTRA_SSPR_LAB_GRANTS = "Application.ReadWrite.OwnedBy,Application.Read.All,Organization.Read.All";
    const client = createEntraClient(lab.target);
    const organization = await organizationId(client);
    await deleteMark(client, organization);
    expect(await readMark(client, organization)).toBeUndefined();
    expect(application(lab.emulator.state())).toMatchObject({ notes: null });
    // With the permission, the extension itself goes and no application is made.
    delete process.env.ENTRA_SSPR_LAB_GRANTS;
    lab.reseed({ organizationExtensions: [oldExtension], applications: [] });
    await deleteMark(createEntraClient(lab.target), organization);
    expect(lab.emulator.state().organizationExtensions).toEqual([]);
    expect(lab.emulator.state().applications).toEqual([]);
  });

  it("a stack whose identity may not write the application is told how an administrator hands it over; nothing is written", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS = "Application.Read.All,Organization.Read.All";
    const client = createEntraClient(lab.target);
    const organization = await organizationId(client);
    await expect(writeMark(client, organization, old, false)).rejects.toThrow(
      /may not write the tenant's ownership mark, the notes of the application with uniqueName entra-sspr-ownership-mark .*add(s)? this stack's deployment identity as an owner/,
    );
    expect(lab.emulator.state().applications).toEqual([]);
  });
});
