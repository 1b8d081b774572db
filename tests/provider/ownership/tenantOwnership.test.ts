/**
 * TenantOwnership's check refuses bad inputs before any call to a tenant: `endpoints: null` is not "Microsoft's
 * endpoints" (that is a missing `endpoints`), and is named with what is allowed, without starting a sign-in.
 */
import { tenantOwnershipProvider } from "../../../provider/ownership/tenantOwnership";
import { createEntraClient } from "../../../provider/http/client";

jest.mock("../../../provider/http/client", () => ({
  ...jest.requireActual("../../../provider/http/client"),
  createEntraClient: jest.fn(() => {
    throw new Error("no client may be created: the check must fail before any call to a tenant");
  }),
}));

describe("TenantOwnership check", () => {
  it("refuses endpoints: null, naming the setting, the value and what is allowed, before any sign-in", async () => {
    const { failures } = await tenantOwnershipProvider.check(
      {},
      { tenantId: "munyakazi.org", stack: "organization/entra-sspr/dev", endpoints: null },
    );
    expect(failures).toEqual([
      expect.objectContaining({ property: "endpoints", reason: expect.stringMatching(/null.*\{ graph, portal \}/) }),
    ]);
    expect(createEntraClient).not.toHaveBeenCalled();
  });
});
