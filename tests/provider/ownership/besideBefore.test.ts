/**
 * What a first claim keeps of the objects read beside the mark (tenantBefore.ts `keepBesideFirstClaim`, issue 28): it
 * rides in the claim's one write, counts for an object's create (no snapshot in state), and gives way to the object's
 * own entry, so a stack whose objects were written before it claimed (state made before ownership existed) never
 * restores the tenant to what its own writes left.
 */
import { tenantOwnershipProvider } from "../../../provider/ownership/tenantOwnership";
import { createEntraClient } from "../../../provider/http/client";
import { ownershipProofOf } from "../../../provider/ownership/ownershipMark";
import {
  beforeKey,
  decodeBefore,
  encodeBefore,
  inheritedBefore,
  keepBefore,
  keepBesideFirstClaim,
  keptBefore,
  writeClaimWithPending,
} from "../../../provider/ownership/tenantBefore";
import { useEmulator } from "../../support/emulator";

const lab = useEmulator();
const key = beforeKey("PasswordResetPolicy");
const keptInTenant = () => {
  const notes = lab.emulator.state().applications.find((app) => typeof app.notes === "string")?.notes;
  return decodeBefore((JSON.parse(String(notes)) as { before?: string }).before);
};

describe("the before a first claim keeps beside the mark", () => {
  it("is written with the claim, counts for a create only, and gives way to the object's own entry", async () => {
    const given = { tenantId: lab.target.tenantId, endpoints: lab.endpoints, stack: "organization/entra-sspr/dev" };
    const checked = await tenantOwnershipProvider.check({}, given);
    const created = await tenantOwnershipProvider.create(checked.inputs);
    const proof = ownershipProofOf({ ...created.outs });
    if (proof === undefined) throw new Error("no proof in the outputs");
    const client = createEntraClient(lab.target);
    const atClaim = { snapshot: { enablementType: 2 }, absent: [] };
    keepBesideFirstClaim(proof, Promise.resolve({ [key]: atClaim }));

    // An object with nothing to write writes the claim, and the before read beside the mark goes with it.
    await writeClaimWithPending(client, proof);
    expect(keptInTenant()?.[key]).toEqual({ ...atClaim, beside: true });
    expect(await keptBefore(client, proof, key, ["enablementType"], true)).toEqual(atClaim);
    // An update or a destroy has the object's snapshot in state: the claim's read of the tenant does not win over it.
    expect(await keptBefore(client, proof, key, ["enablementType"])).toBeUndefined();

    // The object's own entry (its state's snapshot: what the tenant held before the stack's writes) replaces it.
    const own = { snapshot: { enablementType: 0 }, absent: [] };
    await keepBefore(client, proof, key, own);
    expect(keptInTenant()?.[key]).toEqual(own);
    expect(await keptBefore(client, proof, key, ["enablementType"])).toEqual(own);

    // The same entry again (a later run's write of a setting): the tenant holds it already, nothing is written.
    lab.emulator.clearRequests();
    await keepBefore(client, proof, key, own);
    expect(lab.emulator.requests().filter((request) => request.method !== "GET")).toEqual([]);
  });

  it("counts as the object's own for a stack that takes the tenant over (the other stack's before, older)", () => {
    const atClaim = { snapshot: { enablementType: 2 }, absent: [] };
    const inherited = decodeBefore(inheritedBefore(encodeBefore({ [key]: { ...atClaim, beside: true } })));
    expect(inherited).toEqual({ [key]: atClaim });
    expect(inheritedBefore("not ours")).toBe("not ours");
  });
});
