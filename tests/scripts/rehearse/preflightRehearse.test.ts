/**
 * The permission preflight end to end: `rehearse` (program -> providers -> HTTP -> emulator) with the lab
 * credential narrowed by ENTRA_SSPR_LAB_GRANTS stops before any request, naming every missing grant.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bootstrapPlan, loadStackArgs } from "../../../bootstrap/plan";
import { startEmulator, type RunningEmulator } from "../../../emulator/server";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { useProviderHost } from "../../support/rehearsalHost";
import { isWriteRequest } from "../../../emulator/requestLog";

const hosted = useProviderHost();
let emulator: RunningEmulator;
const saved = process.env.ENTRA_SSPR_LAB_GRANTS;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => {
  emulator.reset();
  emulator.clearRequests();
});
afterEach(() => {
  if (saved === undefined) delete process.env.ENTRA_SSPR_LAB_GRANTS;
  else process.env.ENTRA_SSPR_LAB_GRANTS = saved;
});

describe("the permission preflight in a rehearsal", () => {
  it("ENTRA_SSPR_LAB_GRANTS=Policy.Read.All: fails before any write, naming every missing grant", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS = "Policy.Read.All";
    const before = emulator.state();
    const result = await rehearse({ stack: "dev", host: hosted.host, emulatorUrl: emulator.url });
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    const [message] = result.errors;
    expect(message).toContain("Permission preflight: nothing was written. 5 grants are missing");
    expect(message).toContain(
      "Microsoft Graph, the tenant's ownership mark (an application the identity owns) (write): the application " +
        "permission Application.ReadWrite.OwnedBy or Application.ReadWrite.All",
    );
    expect(message).toContain(
      "Microsoft Graph, Authentication methods policy (Email, Sms, Voice) (write): the application permission Policy.ReadWrite.AuthenticationMethod",
    );
    expect(message).toContain("the directory role Authentication Policy Administrator or Global Administrator");
    expect(result.steps).toEqual([]);
    expect(emulator.requests().filter(isWriteRequest)).toEqual([]);
    expect(emulator.state()).toEqual(before);
  });

  it("with the grants the stack needs (plus the report's read of the admin policy), the same rehearsal applies", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS =
      "Application.ReadWrite.OwnedBy, Application.Read.All, Organization.Read.All, " +
      "Policy.ReadWrite.AuthenticationMethod, Policy.Read.All, Authentication Policy Administrator";
    const result = await rehearse({ stack: "dev", host: hosted.host, emulatorUrl: emulator.url });
    expect(result.errors).toEqual([]);
    expect(emulator.state().passwordResetPolicies.enablementType).toBe(2);
  });

  it("a pilot group the stack creates, with exactly the bootstrap's grants: Group.Create, never Group.ReadWrite.All", async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-pilot-grants-"));
    try {
      const dev = fs.readFileSync(path.join(__dirname, "../../../Pulumi.dev.yaml"), "utf8");
      const pilot = dev.replace(
        "    scope: all\n",
        '    scope: selected\n    group:\n      displayName: SSPR Pilot\n      members: ["c.vogel@munyakazi.org"]\n',
      );
      expect(pilot).not.toBe(dev);
      fs.writeFileSync(path.join(directory, "Pulumi.pilot.yaml"), pilot);
      const plan = bootstrapPlan({ repository: "o/r", pulumiOrg: "o", stacks: ["pilot"] }, (stack) =>
        loadStackArgs(directory, stack),
      );
      if ("problems" in plan) throw new Error(plan.problems.join("\n"));
      expect(plan.deployPermissions).toContain("Group.Create");
      expect(plan.deployPermissions).not.toContain("Group.ReadWrite.All");
      // Plus the rehearsal report's own read of the admin policy (Policy.Read.All), as in the test above.
      process.env.ENTRA_SSPR_LAB_GRANTS = [
        ...plan.deployPermissions,
        "Policy.Read.All",
        "Authentication Policy Administrator",
      ].join(",");
      const result = await rehearse({
        stackFile: path.join(directory, "Pulumi.pilot.yaml"),
        host: hosted.host,
        emulatorUrl: emulator.url,
      });
      expect(result.errors).toEqual([]);
      const created = emulator.state().groups.find((group) => group.displayName === "SSPR Pilot");
      expect(created).toBeDefined();
      expect(emulator.state().passwordResetPolicies.passwordResetEnabledGroupIds).toEqual([created?.id]);
      expect(emulator.requests().filter((request) => request.status === 403)).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it("an unreadable ENTRA_SSPR_LAB_GRANTS is reported before any request", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS = "Policy.Read.All,root";
    const result = await rehearse({ stack: "dev", host: hosted.host, emulatorUrl: emulator.url });
    expect(result.ok).toBe(false);
    expect(result.errors.join("\n")).toContain('ENTRA_SSPR_LAB_GRANTS: "root" is neither a Graph permission');
    expect(emulator.requests()).toEqual([]);
  });
});
