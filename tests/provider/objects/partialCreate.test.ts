/**
 * A create that wrote to the tenant, then could neither confirm the write nor put the tenant back: Pulumi records
 * the resource as "created but failed to initialize", with the properties the provider gave (its snapshot among
 * them). Through the real path (program, Pulumi's dynamic-provider host, emulator), refresh and destroy must then
 * work from that record, and destroy must give back the tenant as it was.
 */
import { destroyState, EngineError, refreshState } from "../../../engine/engine";
import { withoutServiceTimestamps } from "../../../scripts/bench/run";
import { runbookConfig } from "../../../scripts/bench/stacks";
import { emulatorStack } from "../../../scripts/stack/emulatorStack";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

const hosted = useProviderHost();

const fixture = useEmulator();
const portalPolicies = "/api/PasswordReset/PasswordResetPolicies";

it("a create whose read-back and rollback both failed is recorded, refreshed and destroyed back to the seed", async () => {
  // The first GET (adoption) and the PUT go through; every later GET of the portal policy fails.
  fixture.emulator.addFault({ method: "GET", path: portalPolicies, status: 500, after: 1, count: 20 });
  const failed = await emulatorStack({ host: hosted.host, emulatorUrl: fixture.emulator.url })
    .up(runbookConfig())
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  if (!(failed instanceof EngineError)) throw new Error(`up should have failed, got ${String(failed)}`);
  expect(failed.message).toContain("Putting the tenant back failed too");

  const recorded = Object.values(failed.state).find((entry) => entry.type.endsWith(":PasswordResetPolicy"));
  expect(recorded?.id).toBeDefined();
  expect(recorded?.outputs).not.toHaveProperty("__provider");
  // The tenant holds the unconfirmed write.
  expect(fixture.emulator.state().passwordResetPolicies).not.toEqual(fixture.seeded.passwordResetPolicies);

  fixture.emulator.clearFaults();
  const refreshed = await refreshState(failed.state, hosted.host);
  expect(refreshed.drift.filter((drift) => drift.deleted)).toEqual([]);

  await destroyState(refreshed.state, hosted.host);
  expect(withoutServiceTimestamps(fixture.emulator.state())).toBe(withoutServiceTimestamps(fixture.seeded));
});
