import type { SelfServicePasswordResetArgs } from "../../../components/ssprArgs";
import { labToken } from "../../../provider/http/credentials";
import { isEntraError } from "../../../provider/http/errors";
import {
  assertGrantsBeforeWrites,
  checkGrants,
  missingGrantsMessage,
} from "../../../provider/grants/permissionPreflight";
import type { TokenSource } from "../../../provider/http/credentials";

const target = {
  tenantId: "contoso.example",
  endpoints: { graph: "https://graph.microsoft.com", portal: "https://main.iam.ad.ext.azure.com/api" },
};
const args: SelfServicePasswordResetArgs = {
  tenantId: "contoso.example",
  scope: "all",
  methodsRequired: 1,
  methods: { email: true },
};

/** Tokens per API, or the failure a credential would report; counts the requests. */
function tokens(answers: { graph: string | Error; portal: string | Error }): TokenSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    getToken: async (api) => {
      asked.push(api);
      const answer = answers[api];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    invalidate: () => undefined,
  };
}

describe("the permission preflight", () => {
  it("passes silently when every grant is held, asking each API for one token", async () => {
    const source = tokens({ graph: labToken("graph"), portal: labToken("portal") });
    await expect(assertGrantsBeforeWrites(target, args, source)).resolves.toBeUndefined();
    expect(source.asked).toEqual(["graph", "portal"]);
  });

  it("a token that cannot be had: every need on that API says so, and why is told once", async () => {
    const source = tokens({ graph: new Error("AADSTS700016: application not found"), portal: labToken("portal") });
    const check = await checkGrants(target, args, "write", source);
    const message = missingGrantsMessage(check) ?? "";
    // The mark (write, and any stack's read), the organization's id, the methods policy: every Graph need.
    expect(message).toContain("4 grants are missing");
    expect(message.match(/: no token/g)).toHaveLength(4);
    expect(message.match(/AADSTS700016/g)).toHaveLength(1);
  });

  it("throws one EntraError naming every missing grant, with no token in it", async () => {
    const graphToken = labToken("graph", { roles: ["Policy.Read.All"] });
    const portalToken = labToken("portal", { wids: [] });
    const error = await assertGrantsBeforeWrites(
      target,
      args,
      tokens({ graph: graphToken, portal: portalToken }),
    ).catch((e: unknown) => e);
    expect(isEntraError(error)).toBe(true);
    expect(error).toMatchObject({ kind: "auth", code: "MissingGrants" });
    const message = (error as Error).message;
    for (const expected of [
      "Organization.ReadWrite.All",
      "Policy.ReadWrite.AuthenticationMethod",
      "Authentication Policy Administrator or Global Administrator",
    ])
      expect(message).toContain(expected);
    expect(message).not.toContain(graphToken.slice(0, 20));
  });

  it("does nothing for a stack that failed validation (no args): no token is even asked for", async () => {
    const source = tokens({ graph: new Error("unused"), portal: new Error("unused") });
    await assertGrantsBeforeWrites(target, undefined, source);
    expect(source.asked).toEqual([]);
  });
});
