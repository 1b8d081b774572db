/**
 * The fleet's judgement of one tenant, pure over a snapshot read once from the emulator's default tenant: drift
 * against the stack's config, drift unknown when a document was not read, and the dated readiness points.
 */
import { createEntraClient } from "../../../provider/http/client";
import { readTenantSnapshot } from "../../../provider/reader/readinessSnapshot";
import { openStack } from "../../../components/openStack";
import { activeCalendar, parseDay } from "../../../components/calendar";
import { driftOf, judgeTenant } from "../../../scripts/fleet/tenantCheck";
import type { TenantSnapshot } from "../../../components/readiness/readinessTypes";
import { useEmulator } from "../../support/emulator";

const fixture = useEmulator({ today: "2026-12-01" });
const args = openStack({ stack: "lab" }).args!;
let snapshot: TenantSnapshot;

beforeEach(async () => {
  const tenantId = fixture.emulator.state().tenantId;
  snapshot = await readTenantSnapshot(createEntraClient(fixture.target), tenantId);
});

it("names a setting changed in the admin center, with the config's value and the tenant's", () => {
  const before = driftOf(snapshot, args);
  const changed = {
    ...snapshot,
    portal: { ...snapshot.portal, notifyOnAdminPasswordReset: !args.notifications?.admins },
  };
  const after = driftOf(changed, args);
  const added = after.filter((line) => !before.some((old) => old.setting === line.setting));
  expect(added).toEqual([
    {
      setting: expect.stringMatching(/admins/i),
      expected: args.notifications?.admins ? "Yes" : "No",
      actual: args.notifications?.admins ? "No" : "Yes",
    },
  ]);
});

it("says drift is unknown, not zero, when the portal's policy was not read", () => {
  const result = judgeTenant({
    stack: "lab",
    source: "lab",
    snapshot: { ...snapshot, portal: undefined },
    args,
    today: parseDay("2026-12-01") as Date,
    calendar: activeCalendar(),
    owner: "none",
  });
  expect(result.drift).toEqual([]);
  expect(result.driftUnread).toMatch(/password reset policy \(portal API\)/);
  // Today first, then each of Microsoft's dates ahead that ends a method's purpose.
  expect(result.readiness.map((point) => point.date)).toEqual(["2026-12-01", "2027-02-01", "2027-03-01"]);
  expect(result.risk).toBeGreaterThan(0);
});
