/**
 * The rest of the methods policy end to end: stack file -> program -> component -> AuthenticationMethodsPolicy in
 * Pulumi's dynamic-provider host -> Graph (beta for the beta-only settings) -> the emulator; then a second run
 * that changes nothing, and destroy, which puts back what the stack changed.
 */
import { useRehearsalHost } from "../../support/rehearsalHost";
import * as fs from "node:fs";
import * as path from "node:path";
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { runbookLines } from "../../support/runbook";

type Json = Record<string, unknown>;
const campaignOf = (policy: unknown): Json =>
  ((policy as Json).registrationEnforcement as Json).authenticationMethodsRegistrationCampaign as Json;
const contractors = "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d";

const shared = useRehearsalHost("methods-policy");

it("applies the campaign, report suspicious activity and system-preferred MFA, owning only what is said", async () => {
  const policy = createDefaultTenant().authenticationMethodsPolicy;
  const seeded = {
    ...policy,
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        ...campaignOf(policy),
        excludeTargets: [{ id: contractors, targetType: "group" }],
      },
    },
    // A beta GET reports both; the default tenant (v1.0 shapes) has neither.
    reportSuspiciousActivitySettings: {
      state: "default",
      includeTarget: { targetType: "group", id: "all_users" },
      voiceReportingCode: 0,
    },
    systemCredentialPreferences: {
      state: "default",
      includeTargets: [{ targetType: "group", id: "all_users" }],
      excludeTargets: [],
    },
  };
  const file = path.join(shared.tmp, "Pulumi.campaign.yaml");
  fs.writeFileSync(
    file,
    [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org",
      "  sspr:settings:",
      ...runbookLines({ methodsRequired: 1, methods: { email: true } }).map((line) => `    ${line}`),
      "    registrationCampaign: { state: enabled, snoozeDays: 3, targets: all }",
      "    reportSuspiciousActivity: { state: enabled }",
      "    systemPreferredMfa: { state: enabled }",
      "",
    ].join("\n"),
  );
  const applied = await rehearse({
    stackFile: file,
    host: shared.host,
    seed: { authenticationMethodsPolicy: seeded },
    twice: true,
  });
  expect(applied.errors).toEqual([]);
  expect(applied.secondRun?.steps.every((step) => step.op === "same")).toBe(true);
  const after = applied.emulatorState?.authenticationMethodsPolicy as unknown as Json;
  expect(campaignOf(after)).toEqual({
    ...campaignOf(seeded),
    state: "enabled",
    snoozeDurationInDays: 3,
    // excludeTargets was not said: the tenant's exclusion stays.
  });
  expect(after.reportSuspiciousActivitySettings).toEqual({
    ...seeded.reportSuspiciousActivitySettings,
    state: "enabled",
  });
  expect(after.systemCredentialPreferences).toEqual({ ...seeded.systemCredentialPreferences, state: "enabled" });

  const destroyed = await rehearse({
    stackFile: file,
    host: shared.host,
    seed: { authenticationMethodsPolicy: seeded },
    destroy: true,
  });
  expect(destroyed.errors).toEqual([]);
  const restored = destroyed.emulatorState?.authenticationMethodsPolicy as unknown as Json;
  expect(restored.registrationEnforcement).toEqual(seeded.registrationEnforcement);
  expect(restored.reportSuspiciousActivitySettings).toEqual(seeded.reportSuspiciousActivitySettings);
  expect(restored.systemCredentialPreferences).toEqual(seeded.systemCredentialPreferences);
});
