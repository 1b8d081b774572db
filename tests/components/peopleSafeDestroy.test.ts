/**
 * Destroy takes back only what the stack did, end to end: the program (index.ts) under mocks, the component, the
 * resources in the provider plugin over gRPC, the HTTP layer, the emulator. After `up`, an administrator
 * adds a group to Email and changes a portal setting through the same APIs the admin center uses; destroy (with or
 * without a refresh first) keeps what they did, takes back the stack's own changes, and `rehearse --destroy` says so.
 */
import type { TenantState } from "../../emulator/server";
import { destroyState, refreshState } from "../../engine/engine";
import { createEntraClient } from "../../provider/http/client";
import { methodConfigurationPath } from "../../provider/objects/authenticationMethodConfiguration";
import type { RehearseOptions, RehearseResult } from "../../scripts/rehearse/rehearse";
import { useRehearsalHost } from "../support/rehearsalHost";
import { useEmulator } from "../support/emulator";
import { includeIds, method, rehearsedWithoutErrors } from "../support/tenantMethods";
import { runbookLines, runbookPilotGroup } from "../support/runbook";
import { writeStackFile } from "../support/stackFiles";

type Json = Record<string, unknown>;

const shared = useRehearsalHost("destroy");
const lab = useEmulator();

const pilotStackFile = (): string =>
  writeStackFile(shared.tmp, "pilot", runbookLines({ scope: "selected", group: runbookPilotGroup }));

const applied = (options: RehearseOptions): Promise<RehearseResult> =>
  rehearsedWithoutErrors({ host: shared.host, emulatorUrl: lab.emulator.url, ...options });

function financeId(): string {
  const finance = lab.emulator.state().groups.find((group) => group.displayName === "Finance");
  if (finance === undefined) throw new Error("the default tenant has no Finance group");
  return String(finance.id).toLowerCase();
}

/** An administrator adds Finance to Email (Graph PATCH, as the admin center does). */
async function adminAddsFinanceToEmail(): Promise<void> {
  const client = createEntraClient(lab.target);
  const email = method(lab.emulator.state(), "Email");
  await client.send({
    api: "graph",
    method: "PATCH",
    path: methodConfigurationPath("Email"),
    body: {
      "@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration",
      includeTargets: [
        ...((email.includeTargets as Json[]) ?? []),
        { targetType: "group", id: financeId(), isRegistrationRequired: false },
      ],
    },
    permission: "Policy.ReadWrite.AuthenticationMethod",
  });
}

/** An administrator asks users to re-confirm every 90 days instead of 180 (portal PUT of the whole object). */
async function adminChangesReconfirmDays(): Promise<void> {
  const client = createEntraClient(lab.target);
  const portalPath = "/PasswordReset/PasswordResetPolicies";
  const permission = "Authentication Policy Administrator";
  const current = await client.send({ api: "portal", method: "GET", path: portalPath, permission });
  await client.send({
    api: "portal",
    method: "PUT",
    path: portalPath,
    body: { ...(current.body as Json), registrationReconfirmIntevalInDays: 90 },
    permission,
  });
}

describe.each([
  { refreshFirst: false, title: "destroy" },
  { refreshFirst: true, title: "refresh, then destroy" },
])("after up, an administrator adds a group to Email and changes a setting; $title", ({ refreshFirst }) => {
  it("keeps what the administrator did and takes back the stack's own changes", async () => {
    const before = lab.emulator.state();
    expect(before.passwordResetPolicies.registrationReconfirmIntevalInDays).toBe(180);
    const result = await applied({ stackFile: pilotStackFile() });
    const during = result.emulatorState as TenantState;
    const pilot = String(during.groups.find((group) => group.displayName === "SSPR Pilot")?.id).toLowerCase();
    expect(includeIds(method(during, "Email"))).toEqual([pilot]);

    await adminAddsFinanceToEmail();
    await adminChangesReconfirmDays();
    expect(includeIds(method(lab.emulator.state(), "Email"))).toEqual([pilot, financeId()].sort());

    let state = result.state;
    if (refreshFirst) {
      const refreshed = await refreshState(state, shared.host);
      expect(refreshed.drift.map((drift) => drift.name).sort()).toEqual(
        expect.arrayContaining(["sspr-password-reset-policy"]),
      );
      state = refreshed.state;
    }
    await destroyState(state, shared.host);

    const after = lab.emulator.state();
    // Email: the stack's pilot group is gone, the administrator's Finance stays, and Email stays in force for them.
    expect(method(after, "Email")).toMatchObject({ state: method(before, "Email").state });
    expect(includeIds(method(after, "Email"))).toEqual([financeId()]);
    // Methods nobody touched since are back exactly as they were, dormant targets included.
    for (const id of ["Voice", "Sms"]) expect(method(after, id)).toEqual(method(before, id));
    // The portal: the re-confirmation interval stays as the administrator set it; every field the stack still held
    // is back (SSPR off again, one method required, no group).
    expect(after.passwordResetPolicies).toEqual({
      ...before.passwordResetPolicies,
      registrationReconfirmIntevalInDays: 90,
    });
  });
});

describe("rehearse --destroy", () => {
  it("names the group destroy keeps because an administrator added it after up", async () => {
    const file = pilotStackFile();
    const first = await applied({ stackFile: file });
    await adminAddsFinanceToEmail();

    const lines: string[] = [];
    const second = await applied({
      stackFile: file,
      stack: "pilot",
      priorState: first.state,
      destroy: true,
      log: (text) => lines.push(text),
    });
    // The second up keeps Finance (methods are only ever added to); the destroy then keeps it too, and says so.
    expect(second.steps.every((step) => step.op === "same")).toBe(true);
    const kept =
      "Email: group 'Finance' (3 members: a.uwase@munyakazi.org, p.niyonzima@munyakazi.org and l.okafor@munyakazi.org) " +
      "keeps it (added in the admin center after up).";
    expect(second.destroyed?.kept).toEqual([kept]);
    expect(lines.join("\n")).toContain(
      `Left as others changed it after up (destroy takes back only what the stack did):\n    ${kept}`,
    );
    expect(includeIds(method(lab.emulator.state(), "Email"))).toEqual([financeId()]);
  });
});
