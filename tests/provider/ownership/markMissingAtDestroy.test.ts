/**
 * What destroy does with the tenant's ownership mark, end to end (stack file rehearsed, providers in Pulumi's
 * dynamic-provider host, the emulator): a mark deleted out of band still restores the tenant, and says so.
 * (A mark naming another stack: tests/provider/ownership/pilotGroupRelease.test.ts and peopleSafeChanges.test.ts.)
 */
import { createEntraClient } from "../../../provider/http/client";
import { deleteMark, organizationId, readMark } from "../../../provider/ownership/ownershipMark";
import type { TenantState } from "../../../emulator/server";
import { destroyState } from "../../../engine/engine";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { useEmulator } from "../../support/emulator";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookLines } from "../../support/runbook";
import { writeStackFile } from "../../support/stackFiles";

const shared = useRehearsalHost("mark");
const lab = useEmulator();

/** The methods policy without the stamp Graph moves on every write. */
function methodsPolicy(state: TenantState): Record<string, unknown> {
  const { lastModifiedDateTime: _stamp, ...rest } = state.authenticationMethodsPolicy;
  return rest;
}

describe("destroy after the ownership mark was deleted out of band", () => {
  it("restores what the stack changed (nobody else claims the tenant) and warns; no silent success", async () => {
    const seeded = lab.emulator.state();
    const result = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile: writeStackFile(shared.tmp, "runbook", runbookLines()),
    });
    expect(result.errors).toEqual([]);
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({ enablementType: 2 });

    // Someone deletes the mark in Graph Explorer.
    const client = createEntraClient(lab.target);
    const organization = await organizationId(client);
    await deleteMark(client, organization);
    expect(await readMark(client, organization)).toBeUndefined();

    const from = shared.host.logs().length;
    await destroyState(result.state, shared.host);
    const after = lab.emulator.state();
    expect(after.passwordResetPolicies).toEqual(seeded.passwordResetPolicies);
    expect(methodsPolicy(after)).toEqual(methodsPolicy(seeded));
    expect(after.organizationExtensions).toEqual([]);
    const warnings = shared.host
      .logs()
      .slice(from)
      .map((line) => line.text)
      .filter((text) => text.includes("ownership mark is missing"));
    expect(warnings).toContainEqual(
      "warning: [runtime] PasswordResetPolicy: the tenant's ownership mark is missing (deleted outside Pulumi) and " +
        "no other stack claims the tenant, so destroy puts back what stack organization/entra-sspr/runbook changed.",
    );
    // One warning per setting the stack restored: the password reset policy and each method it manages.
    expect(warnings.length).toBeGreaterThanOrEqual(3);
  });
});
