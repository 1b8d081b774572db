/**
 * Microsoft's own dated changes told apart from an administrator's: on 1 September 2026 Microsoft sets the
 * registration campaign to Microsoft managed (targeting passkeys) in tenants with SMS or voice users
 * (components/calendar.ts). A refresh after the emulator applies that change reports the drift as Microsoft's, with
 * its date and source; a stack that accepts it in config (`registrationCampaign.state: microsoftManaged`) sees none.
 * Through the real path: the program applied by the rehearsal, the plugin's Read over HTTP, the emulator's own
 * calendar moving the tenant.
 */
import { refreshState } from "../../../engine/engine";
import { rehearse, type RehearseOptions } from "../../../scripts/rehearse/rehearse";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { useEmulator } from "../../support/emulator";
import { runbookLines } from "../../support/runbook";
import { writeStackFile } from "../../support/stackFiles";
import { isWriteRequest } from "../../../emulator/requestLog";

const shared = useRehearsalHost("microsoft-changes");
// The tenant as it was in August 2026, before Microsoft's change.
const lab = useEmulator({ today: "2026-08-20" });

async function applied(name: string, campaign: Record<string, unknown>) {
  const options: RehearseOptions = {
    host: shared.host,
    emulatorUrl: lab.emulator.url,
    stackFile: writeStackFile(shared.tmp, name, runbookLines({ registrationCampaign: campaign })),
  };
  const result = await rehearse(options);
  expect(result.errors).toEqual([]);
  return result;
}

const campaignOf = (): Record<string, unknown> | undefined =>
  (
    lab.emulator.state().authenticationMethodsPolicy.registrationEnforcement as
      { authenticationMethodsRegistrationCampaign?: Record<string, unknown> } | undefined
  )?.authenticationMethodsRegistrationCampaign;

it("a refresh after 1 September 2026 calls the campaign's drift Microsoft's, with the date and source", async () => {
  lab.emulator.setToday("2026-08-20");
  const result = await applied("enabled", { state: "enabled" });
  expect(campaignOf()).toMatchObject({ state: "enabled" });

  // Microsoft's day comes: the emulator applies the change as Entra does (SMS is on for all users in this tenant).
  lab.emulator.setToday("2026-09-01");
  expect(campaignOf()).toMatchObject({ state: "default" });

  lab.emulator.clearRequests();
  const { drift } = await refreshState(result.state, shared.host);
  const policy = drift.find((entry) => entry.type === "entra-sspr:index:AuthenticationMethodsPolicy");
  expect(policy?.changed).toEqual(expect.arrayContaining(["registrationCampaign"]));
  expect(policy?.microsoftChanges).toEqual([
    expect.stringMatching(
      /^Microsoft's change of 1 September 2026, not an administrator's: Microsoft switches passkeys on .*Microsoft managed \(https:\/\/learn\.microsoft\.com\/entra\/identity\/authentication\/concept-sms-voice-retirement\)\. To keep it, say so in the stack's config \(registrationCampaign\.state: microsoftManaged\)/,
    ),
  ]);
  // Refresh reads; it writes nothing.
  expect(lab.emulator.requests().filter(isWriteRequest)).toEqual([]);
});

it("an administrator's edit of the campaign is not called Microsoft's", async () => {
  lab.emulator.setToday("2026-08-20");
  const result = await applied("admin-edit", { state: "enabled" });
  // Somebody turns the campaign off in the admin center: drift, but nobody's calendar explains it.
  const policy = lab.emulator.state().authenticationMethodsPolicy;
  lab.reseed({
    authenticationMethodsPolicy: {
      ...policy,
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: { ...campaignOf(), state: "disabled" },
      },
    },
  });
  const { drift } = await refreshState(result.state, shared.host);
  const entry = drift.find((candidate) => candidate.type === "entra-sspr:index:AuthenticationMethodsPolicy");
  expect(entry?.changed).toEqual(expect.arrayContaining(["registrationCampaign"]));
  expect(entry?.microsoftChanges).toBeUndefined();
});

it("a stack that accepts Microsoft managed sees no drift when Microsoft's change lands", async () => {
  lab.emulator.setToday("2026-08-20");
  const result = await applied("accepted", { state: "microsoftManaged" });
  lab.emulator.setToday("2026-09-01");
  const { drift } = await refreshState(result.state, shared.host);
  expect(drift.filter((entry) => entry.type === "entra-sspr:index:AuthenticationMethodsPolicy")).toEqual([]);
});
