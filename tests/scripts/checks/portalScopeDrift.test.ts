/**
 * The nightly drift check of the portal policy's scope without a person (issue 27): the emulator's portal policy is
 * changed behind the stack's back (All to Selected, another group, None), and the check finds it with app-only Graph
 * reads of the registration report, granted only what the permission list gives the read-only identity for it; it
 * names the portal fields it cannot check.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isWriteRequest } from "../../../emulator/requestLog";
import { permissionList, stepNeeds, leastGraphPermissions } from "../../../provider/grants/grants";
import { judgeScope, main, portalScopeDrift } from "../../../scripts/checks/portalScopeDrift";
import { useEmulator } from "../../support/emulator";
import { runbookArgs, runbookLines } from "../../support/runbook";

const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const finance = "cbcfbb00-5f66-5509-982c-18fa15d312b9";
const vogel = "3c9e5a21-7f4b-4c1d-8a6e-9b2f0d1c3e47";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-drift-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function stackFile(sspr: string[]): string {
  const file = path.join(tmp, `Pulumi.drift-${Math.random().toString(16).slice(2)}.yaml`);
  const lines = ["config:", "  entra-sspr:tenantId: munyakazi.org", "  sspr:settings:", ...sspr.map((l) => `    ${l}`)];
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** Only what the permission list gives the drift check's scope reads: an app token with these roles, nothing else. */
const driftGrants = [permissionList.driftScopeReport.permissions[0], permissionList.driftScopeGroupRead.permissions[0]];

describe("drift check of the portal scope, against the emulator, app-only", () => {
  const lab = useEmulator();
  const saved = process.env.ENTRA_SSPR_LAB_GRANTS;
  beforeEach(() => {
    process.env.ENTRA_SSPR_LAB_GRANTS = driftGrants.join(",");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.ENTRA_SSPR_LAB_GRANTS;
    else process.env.ENTRA_SSPR_LAB_GRANTS = saved;
  });

  /** The emulator's portal policy, changed as an admin would in the admin center. */
  function portalScope(enablementType: 0 | 1 | 2, groupIds: string[] = []) {
    lab.reseed({
      passwordResetPolicies: {
        ...lab.seeded.passwordResetPolicies,
        enablementType,
        passwordResetEnabledGroupIds: groupIds,
      },
    });
  }

  /** Graph only, GETs only: no portal call (which would need a person), no write. */
  function expectAppOnlyReads() {
    const requests = lab.emulator.requests();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((entry) => entry.api !== "graph")).toEqual([]);
    expect(requests.filter(isWriteRequest)).toEqual([]);
  }

  it("finds no drift when the tenant matches the stack (All), and names what it cannot check", async () => {
    portalScope(2);
    const result = await portalScopeDrift({ stackFile: stackFile(runbookLines()), emulatorUrl: lab.emulator.url });
    expect(result.errors).toEqual([]);
    expect(result.drift).toEqual([]);
    expect(result.compared).toBeGreaterThan(0);
    expect(result.notChecked).toEqual(
      expect.arrayContaining([
        "Password reset > Authentication methods: Number of methods required to reset",
        "Password reset > Registration: Require users to register when signing in",
        "Password reset > Notifications: Notify users on password resets",
      ]),
    );
    expectAppOnlyReads();
  });

  it("finds All changed to Selected behind the stack's back, labelled as inferred with the refresh delay", async () => {
    portalScope(1, [pilot]);
    const result = await portalScopeDrift({ stackFile: stackFile(runbookLines()), emulatorUrl: lab.emulator.url });
    expect(result.drift).toHaveLength(1);
    expect(result.drift[0]).toMatch(
      /^drift of the password reset policy \(portal\): .*Self service password reset enabled looks like "Selected"/,
    );
    expect(result.drift[0]).toContain('the stack sets "All"');
    expect(result.drift[0]).toContain("inferred from Graph's registration report");
    expect(result.drift[0]).toContain("24 hours");
    expectAppOnlyReads();
  });

  it("finds the Selected group swapped for another group", async () => {
    portalScope(1, [finance]);
    const selected = runbookLines({ scope: "selected", group: { id: pilot } });
    const result = await portalScopeDrift({ stackFile: stackFile(selected), emulatorUrl: lab.emulator.url });
    expect(result.drift).toHaveLength(1);
    expect(result.drift[0]).toContain(`the stack sets "Selected" with group ${pilot}`);
    expect(result.drift[0]).toContain("c.vogel@munyakazi.org");
    expectAppOnlyReads();
    // The same group as the stack's: no drift.
    portalScope(1, [pilot]);
    const same = await portalScopeDrift({ stackFile: stackFile(selected), emulatorUrl: lab.emulator.url });
    expect(same.drift).toEqual([]);
    expect(same.notChecked).toContainEqual(expect.stringContaining("Selected group"));
  });

  it("finds SSPR turned off (None), and says so through the command with exit 1", async () => {
    portalScope(0);
    const output: string[] = [];
    const code = await main(["--stack-file", stackFile(runbookLines()), "--emulator", lab.emulator.url], (text) =>
      output.push(text),
    );
    expect(code).toBe(1);
    const text = output.join("");
    expect(text).toMatch(/^drift: .*looks like "None"/m);
    expect(text).toContain("Not checked without a person");
    expectAppOnlyReads();
  });

  it("without the report's permission it says the scope is not checked, never silently skips it", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS = "GroupMember.Read.All";
    portalScope(1, [pilot]);
    const result = await portalScopeDrift({ stackFile: stackFile(runbookLines()), emulatorUrl: lab.emulator.url });
    expect(result.drift).toEqual([]);
    expect(result.cannotTell).toEqual([
      expect.stringMatching(
        /^Password reset > Properties: Self service password reset enabled: not checked without a person, because .*AuditLog\.Read\.All/,
      ),
    ]);
  });
});

describe("the drift check's grants and judgement", () => {
  it("the read-only identity gets the report's least permission through the permission list", () => {
    expect(permissionList.driftScopeReport.steps).toEqual(["drift"]);
    expect(leastGraphPermissions(stepNeeds(runbookArgs, "drift"))).toContain("AuditLog.Read.All");
  });

  it("leaves administrators to the administrator policy", () => {
    const rows = [
      { id: "a", isAdmin: true, isSsprEnabled: false },
      { id: "b", isAdmin: false, isSsprEnabled: true },
    ];
    expect(judgeScope({ scope: "all" }, rows).drift).toEqual([]);
  });

  it("says when a group holding everybody cannot be told from All", () => {
    const rows = [{ id: vogel, isSsprEnabled: true }];
    expect(judgeScope({ scope: "selected", group: { id: pilot } }, rows, new Set([vogel])).caveats).toHaveLength(1);
  });
});
