/**
 * A first claim is written with the first object's before-snapshot, not alone (issue 28; ownershipMark.ts
 * `deferFirstClaim`): TenantOwnership's create writes nothing, and a run that stops before any object writes leaves
 * the tenant untouched. Its next up finds no mark (check), so the resource is updated and claims again; whatever
 * checks the claim first writes it (`holdsClaim`), so nothing is ever written under a claim the tenant does not hold.
 */
import { tenantOwnershipProvider } from "../../../provider/ownership/tenantOwnership";
import { createEntraClient } from "../../../provider/http/client";
import { holdsClaim, ownershipProofOf } from "../../../provider/ownership/ownershipMark";
import { useEmulator } from "../../support/emulator";

const lab = useEmulator();
const marked = () => lab.emulator.state().applications.filter((application) => typeof application.notes === "string");

describe("a first claim deferred to the first object's write", () => {
  it("is not written by the claim itself; the next up claims again when the run stopped before any write", async () => {
    const given = { tenantId: lab.target.tenantId, endpoints: lab.endpoints, stack: "organization/entra-sspr/dev" };
    const checked = await tenantOwnershipProvider.check({}, given);
    expect(checked.failures).toEqual([]);
    const created = await tenantOwnershipProvider.create(checked.inputs);
    expect(marked()).toEqual([]);

    // The next run: the state holds the claim, the tenant no mark. Check says so, and diff proposes the update.
    const again = await tenantOwnershipProvider.check(checked.inputs, given);
    expect(again.inputs.owner).toBeNull();
    expect((await tenantOwnershipProvider.diff(created.id, created.outs, again.inputs)).changes).toBe(true);
    const updated = await tenantOwnershipProvider.update(created.id, created.outs, again.inputs);
    expect(updated.outs.claim).toBe(created.outs.claim);

    // The first check of the claim before a write writes it, and holds it.
    const proof = ownershipProofOf({ ...updated.outs });
    if (proof === undefined) throw new Error("no proof in the outputs");
    const { held } = await holdsClaim(createEntraClient(lab.target), proof);
    expect(held).toBe(true);
    expect(marked()).toHaveLength(1);
    expect(JSON.parse(String(marked()[0].notes))).toMatchObject({ claim: created.outs.claim });
  });
});
