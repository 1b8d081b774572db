/**
 * The tenant lockout guards end to end: stack file -> config -> read-only Graph GETs through the project's HTTP
 * layer -> the emulator -> warnings in admin-center words. Nothing is written.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { bootstrapPlan } from "../../../bootstrap/plan";
import { namespaceConfig, parseStackConfig } from "../../../components/config";
import { lockoutCheck, main } from "../../../scripts/checks/lockoutCheck";
import { useEmulator } from "../../support/emulator";
import { runbookLines, runbookStackConfig } from "../../support/runbook";
import { isWriteRequest } from "../../../emulator/requestLog";

const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const vogel = "3c9e5a21-7f4b-4c1d-8a6e-9b2f0d1c3e47";
const admin = "0b6d7f1e-2c4a-4d8b-9e3f-7a1b2c3d4e5f";
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-lockout-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function stackFile(sspr: string[], extra: string[] = []): string {
  const file = path.join(tmp, `Pulumi.check-${Math.random().toString(16).slice(2)}.yaml`);
  fs.writeFileSync(
    file,
    [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org",
      "  sspr:settings:",
      ...sspr.map((line) => `    ${line}`),
      ...extra,
      "",
    ].join("\n"),
  );
  return file;
}

describe("npm run lockout-check against a tenant", () => {
  const lab = useEmulator();

  it("reads the tenant without writing and warns about excluded groups and SMS sign-in", async () => {
    const policy = structuredClone(lab.seeded.authenticationMethodsPolicy);
    for (const method of policy.authenticationMethodConfigurations) {
      if (method.id === "Email") {
        // The pilot group, and a group deleted since (Graph answers 404): that one excludes nobody.
        method.excludeTargets = [
          { id: pilot, targetType: "group" },
          { id: "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a", targetType: "group" },
        ];
      }
      if (method.id === "Sms") {
        method.includeTargets = [
          { id: "all_users", targetType: "group", isRegistrationRequired: false, isUsableForSignIn: true },
        ];
      }
    }
    lab.reseed({ authenticationMethodsPolicy: policy, groupMembers: { [pilot]: [vogel] } });
    const result = await lockoutCheck({ stackFile: stackFile(runbookLines()), emulatorUrl: lab.emulator.url });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      // The runbook offers Email and Mobile phone with two required: Microsoft's calendar leaves Email alone.
      expect.stringMatching(
        /^From 1 February 2027 Microsoft-provided SMS and voice calls end .*Every user loses password reset/,
      ),
      expect.stringMatching(
        /^Email: the authentication methods policy excludes group "Password reset pilot" \(1 of its members in the SSPR scope\)/,
      ),
      expect.stringMatching(/^SMS is usable for sign-in for All users/),
    ]);
    expect(lab.emulator.requests().filter(isWriteRequest)).toEqual([]);
  });

  it("names the legacy switches when the tenant is before the migration", async () => {
    lab.reseed({
      authenticationMethodsPolicy: { ...lab.seeded.authenticationMethodsPolicy, policyMigrationState: "preMigration" },
    });
    const result = await lockoutCheck({ stackFile: stackFile(runbookLines()), emulatorUrl: lab.emulator.url });
    expect(result.warnings).toContainEqual(
      expect.stringContaining(
        "password reset still uses only the legacy Password reset > Authentication methods switches (on: Email, Mobile phone)",
      ),
    );
  });

  it("warns when administrators' SSPR is off while administrators are in the Selected group", async () => {
    lab.reseed({ groupMembers: { [pilot]: [vogel, admin] } });
    const selected = runbookLines({
      scope: "selected",
      group: { id: pilot },
      administrators: { allowed: false },
    });
    const result = await lockoutCheck({ stackFile: stackFile(selected), emulatorUrl: lab.emulator.url });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toContainEqual(
      "Password reset for administrators is off (sspr:settings.administrators.allowed: false) while 1 " +
        'administrator is a member of the SSPR group "Password reset pilot" (Self service password reset enabled: ' +
        "Selected): they are asked to register for a reset they can never use. Fix: Password reset > Properties > " +
        "Selected: a group without administrators, or allow administrators (administrators.allowed: true).",
    );
    lab.reseed({ groupMembers: { [pilot]: [vogel] } });
    const without = await lockoutCheck({ stackFile: stackFile(selected), emulatorUrl: lab.emulator.url });
    expect(without.warnings.join(" ")).not.toContain("Password reset for administrators is off");
  });

  it("reads nothing when the config is invalid", async () => {
    const result = await lockoutCheck({ stackFile: stackFile(["scope: All"]), emulatorUrl: lab.emulator.url });
    expect(result.errorKind).toBe("config");
    expect(result.errors[0]).toContain('sspr:settings.scope: "All" is not allowed');
    expect(lab.emulator.requests()).toEqual([]);
  });
});

/** The deployment identity's grants as the bootstrap gives them for a stack with these sspr settings. */
function bootstrapDeployGrants(changes: Parameters<typeof runbookLines>[0]): string[] {
  const config = runbookStackConfig();
  const sspr = { ...(config.sspr as object), ...changes };
  const flat = { "entra-sspr:tenantId": "munyakazi.org", "sspr:settings": JSON.stringify(sspr) };
  const parsed = parseStackConfig(namespaceConfig(flat));
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  const plan = bootstrapPlan({ repository: "o/r", pulumiOrg: "o", stacks: ["s"] }, () => ({ args: parsed.args }));
  if ("problems" in plan) throw new Error(plan.problems.join("\n"));
  return plan.deployPermissions;
}

describe("deploy.yml's lockout check with exactly the bootstrap's grants", () => {
  const lab = useEmulator();
  const saved = process.env.ENTRA_SSPR_LAB_GRANTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.ENTRA_SSPR_LAB_GRANTS;
    else process.env.ENTRA_SSPR_LAB_GRANTS = saved;
  });

  /** A tenant that makes the check read everything it can: an excluded group, the legacy switches, an admin. */
  function seedEverythingToRead() {
    const policy = structuredClone(lab.seeded.authenticationMethodsPolicy);
    policy.policyMigrationState = "migrationInProgress";
    for (const method of policy.authenticationMethodConfigurations) {
      if (method.id === "Email") method.excludeTargets = [{ id: pilot, targetType: "group" }];
    }
    lab.reseed({ authenticationMethodsPolicy: policy, groupMembers: { [pilot]: [vogel, admin] } });
  }

  const shapes: [string, Parameters<typeof runbookLines>[0]][] = [
    ["the runbook", {}],
    [
      "a created pilot group",
      { scope: "selected", group: { displayName: "SSPR Pilot", members: ["c.vogel@munyakazi.org"] } },
    ],
    [
      "an existing group with administrators off",
      { scope: "selected", group: { id: pilot }, administrators: { allowed: false } },
    ],
    [
      "the full stack",
      {
        scope: "selected",
        group: { id: pilot },
        administrators: { allowed: false },
        methods: {
          email: true,
          mobilePhone: true,
          officePhone: true,
          authenticatorApp: true,
          securityQuestions: false,
        },
        methodsPolicy: { migrationState: "migrationComplete" },
      },
    ],
  ];

  it.each(shapes)("%s: reads all it needs and is refused nothing", async (_, changes) => {
    const grants = bootstrapDeployGrants(changes);
    // The portal's legacy switches are read with the approving administrator's sign-in (a directory role, no app).
    process.env.ENTRA_SSPR_LAB_GRANTS = [...grants, "Authentication Policy Administrator"].join(",");
    seedEverythingToRead();
    const result = await lockoutCheck({ stackFile: stackFile(runbookLines(changes)), emulatorUrl: lab.emulator.url });
    expect(result.errors).toEqual([]);
    expect(result.cannotTell).toEqual([]);
    expect(result.readTenant).toBe(true);
    const requests = lab.emulator.requests();
    expect(requests.filter((request) => request.status === 403)).toEqual([]);
    if (changes?.administrators !== undefined) {
      expect(requests.map((request) => request.path)).toContainEqual(
        expect.stringContaining("/reports/authenticationMethods/userRegistrationDetails"),
      );
      expect(result.warnings.join(" ")).toContain("Password reset for administrators is off");
    }
  });

  it("a tenant without Entra ID P1: the check says it cannot tell, warns (1 February 2027 too), and exits 1", async () => {
    const changes = { scope: "selected", group: { id: pilot }, administrators: { allowed: false } };
    process.env.ENTRA_SSPR_LAB_GRANTS = bootstrapDeployGrants(changes).join(",");
    // No other lockout either: SMS is not usable for sign-in, so the only thing said is what cannot be told.
    const policy = structuredClone(lab.seeded.authenticationMethodsPolicy);
    for (const method of policy.authenticationMethodConfigurations) {
      if (method.id === "Sms" && Array.isArray(method.includeTargets)) {
        method.includeTargets = method.includeTargets.map((target) => ({ ...target, isUsableForSignIn: false }));
      }
    }
    lab.reseed({ authenticationMethodsPolicy: policy, subscribedSkus: [], groupMembers: { [pilot]: [vogel, admin] } });
    const endpoints = ["  entra-sspr:endpoints:", `    graph: ${lab.emulator.url}`, `    portal: ${lab.emulator.url}`];
    const printed: string[] = [];
    const code = await main(
      ["--stack-file", stackFile(runbookLines(changes), endpoints)],
      (text) => printed.push(text),
      lab.emulator.url,
    );
    const output = printed.join("");
    expect(output).toContain(
      'warning: cannot tell whether administrators are members of the SSPR group "Password reset pilot" while their ' +
        "password reset is off (sspr:settings.administrators.allowed: false): Graph's registration report " +
        "(userRegistrationDetails) needs a Microsoft Entra ID P1 or P2 licence, which this tenant lacks.",
    );
    // The only other warning: the pilot offers Email and Mobile phone with two required, and phones end 1 February 2027.
    expect(output).toMatch(/warning: From 1 February 2027 .*Every member of the SSPR group loses password reset/);
    // Exit 1: warnings (deploy.yml lets them through); what cannot be told alone would be 0.
    expect(code).toBe(1);
    expect(lab.emulator.requests().filter(isWriteRequest)).toEqual([]);
  });
});

describe("lockout-check on a lab stack with no emulator running", () => {
  /** A loopback port nothing listens on: the one a closed server just had. */
  async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it("starts an emulator of its own (the sample tenant) instead of failing to connect, and reads it", async () => {
    const port = await closedPort();
    const endpoints = [
      "  entra-sspr:endpoints:",
      `    graph: http://127.0.0.1:${port}`,
      `    portal: http://127.0.0.1:${port}`,
    ];
    const file = stackFile(runbookLines(), endpoints);
    const result = await lockoutCheck({ stackFile: file });
    expect(result).toMatchObject({ errors: [], readTenant: true });

    const printed: string[] = [];
    const code = await main(["--stack-file", file], (text) => printed.push(text));
    expect(printed.join("")).not.toMatch(/error:|ECONNREFUSED/);
    expect(code).toBeLessThan(2);
  });
});
