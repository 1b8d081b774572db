/**
 * A mark only the project's identities can write: the mark's application's owners decide whether its notes are
 * trusted (ownershipMark.ts). A squatted or forged mark is refused naming the owners found; the 403 advice names who
 * else owns the application; of two first claims at the same moment exactly one wins. Through the project's HTTP
 * layer to the emulator, whose lab identity is object 00000000-0000-0000-0000-0000000000b1.
 */
import { createEntraClient } from "../../../provider/http/client";
import {
  holdsClaim,
  organizationId,
  ownershipApplicationUniqueName,
  readMark,
  writeMark,
} from "../../../provider/ownership/ownershipMark";
import { tenantOwnershipProvider } from "../../../provider/ownership/tenantOwnership";
import type { JsonObject } from "../../../emulator/types";
import { useEmulator } from "../../support/emulator";
import { isWriteRequest } from "../../../emulator/requestLog";

const lab = useEmulator();
const saved = { grants: process.env.ENTRA_SSPR_LAB_GRANTS, trusted: process.env.ENTRA_SSPR_TRUSTED_OWNERS };
afterEach(() => {
  for (const [name, value] of [
    ["ENTRA_SSPR_LAB_GRANTS", saved.grants],
    ["ENTRA_SSPR_TRUSTED_OWNERS", saved.trusted],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const labIdentity = "00000000-0000-0000-0000-0000000000b1";
const mallory = {
  "@odata.type": "#microsoft.graph.user",
  id: "00000000-0000-0000-0000-0000000000e1",
  displayName: "Mallory Member",
};
const markNotes = JSON.stringify({
  stack: "organization/entra-sspr/dev",
  claim: "c1a1m000-0000-4000-8000-000000000001",
  claimedAt: "2026-11-27T10:00:00.000Z",
});
const markApplication = (notes: string | null, owners: JsonObject[]): JsonObject => ({
  id: "0a000000-0000-4000-8000-00000000000a",
  appId: "0a000000-0000-4000-8000-0000000000aa",
  uniqueName: ownershipApplicationUniqueName,
  displayName: "entra-sspr ownership mark",
  notes,
  owners,
});
const labOwner = {
  "@odata.type": "#microsoft.graph.servicePrincipal",
  id: labIdentity,
  displayName: "entra-sspr lab deployment identity",
};
const writes = () =>
  lab.emulator
    .requests()
    .filter(isWriteRequest)
    .map((request) => `${request.method} ${request.path}`);

const inputs = (stack: string) => ({
  tenantId: lab.target.tenantId,
  endpoints: lab.target.endpoints,
  stack,
});

describe("the mark's owners decide whether it is trusted", () => {
  it("a mark the deploy identity alone owns is the mark its notes say", async () => {
    lab.reseed({ applications: [markApplication(markNotes, [labOwner])] });
    const client = createEntraClient(lab.target);
    expect(await readMark(client, await organizationId(client))).toMatchObject({
      stack: "organization/entra-sspr/dev",
    });
  });

  it("forged: well-formed notes on an application someone else also owns are refused, naming the owner", async () => {
    lab.reseed({ applications: [markApplication(markNotes, [labOwner, mallory])] });
    const client = createEntraClient(lab.target);
    const mark = await readMark(client, await organizationId(client));
    expect(mark).toMatchObject({ stack: "", claim: "" });
    expect(mark?.problem).toContain("forged or squatted");
    expect(mark?.problem).toContain(`Mallory Member (user, ${mallory.id})`);

    // A team that lists its second deploy identity trusts it.
    process.env.ENTRA_SSPR_TRUSTED_OWNERS = `${mallory.id}`;
    expect(await readMark(createEntraClient(lab.target), lab.target.tenantId)).toMatchObject({
      stack: "organization/entra-sspr/dev",
    });
    process.env.ENTRA_SSPR_TRUSTED_OWNERS = "not-an-id";
    await expect(readMark(createEntraClient(lab.target), lab.target.tenantId)).rejects.toThrow(
      /ENTRA_SSPR_TRUSTED_OWNERS is "not-an-id": "not-an-id" is not an object id/,
    );
  });

  it("squatted: an application under the mark's name that someone else registered refuses the first claim; nothing is written", async () => {
    lab.reseed({ applications: [markApplication(null, [mallory])] });
    await expect(tenantOwnershipProvider.create(inputs("organization/entra-sspr/dev"))).rejects.toThrow(
      /squatted: an application under entra-sspr's uniqueName exists that entra-sspr did not register: it is owned by Mallory Member \(user, 00000000-0000-0000-0000-0000000000e1\)[\s\S]*To reclaim it/,
    );
    expect(writes()).toEqual([]);
  });

  it("a read-only identity (the preview's) without the trusted list judges nothing: it writes nothing", async () => {
    lab.reseed({ applications: [markApplication(markNotes, [mallory])] });
    process.env.ENTRA_SSPR_LAB_GRANTS = "Application.Read.All,Organization.Read.All";
    const client = createEntraClient(lab.target);
    expect(await readMark(client, await organizationId(client))).toMatchObject({
      stack: "organization/entra-sspr/dev",
    });
  });

  it("the 403 advice names who owns the application before telling to add the deploy identity", async () => {
    lab.reseed({ applications: [markApplication(null, [mallory])] });
    const client = createEntraClient(lab.target);
    const organization = await organizationId(client);
    const mark = { stack: "organization/entra-sspr/dev", claim: "c1a1m000-0000-4000-8000-000000000002", claimedAt: "" };
    await expect(writeMark(client, organization, mark, false)).rejects.toThrow(
      new RegExp(
        `identity \\(object id ${labIdentity}\\) may not write .*Its owners now: Mallory Member \\(user, ${mallory.id}\\)\\. .*First make sure every owner listed is one of this project's deployment identities`,
      ),
    );
    expect(lab.emulator.state().applications[0].notes).toBeNull();
  });

  it("two first claims at the same moment: exactly one succeeds, the other is refused and writes nothing", async () => {
    // A first claim is decided by TenantOwnership's create and written with the stack's first write (issue 28,
    // `deferFirstClaim`), or alone by whatever checks the claim first (`holdsClaim`): two stacks doing both at once.
    const claim = async (stack: string) => {
      const created = (await tenantOwnershipProvider.create(inputs(stack))) as { outs: Record<string, unknown> };
      const proof = {
        organizationId: String(created.outs.organizationId),
        claim: String(created.outs.claim),
        stack,
      };
      const { held } = await holdsClaim(createEntraClient(lab.target), proof);
      return { outs: created.outs, held };
    };
    const outcomes = await Promise.allSettled([
      claim("organization/entra-sspr/dev"),
      claim("organization/entra-sspr/prod"),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const lost = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect(String(lost.reason)).toMatch(
      /another claim created the tenant's ownership mark .* at the same moment, and Graph keeps that name unique/,
    );
    const won = outcomes.find((outcome) => outcome.status === "fulfilled") as PromiseFulfilledResult<{
      outs: Record<string, unknown>;
      held: boolean;
    }>;
    expect(won.value.held).toBe(true);
    const notes = JSON.parse(String(lab.emulator.state().applications[0].notes)) as Record<string, unknown>;
    expect(notes).toMatchObject({ stack: won.value.outs.stack, claim: won.value.outs.claim });
    // The loser's creation was refused (Graph keeps uniqueName unique), or it saw the winner's notes first and sent
    // nothing: never a PATCH over the winner's claim.
    expect(writes().length).toBeGreaterThanOrEqual(1);
    expect(new Set(writes())).toEqual(new Set(["POST /v1.0/applications"]));
    expect(lab.emulator.state().applications).toHaveLength(1);
  });
});
