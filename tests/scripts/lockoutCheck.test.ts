/**
 * The tenant lockout guards end to end: stack file -> config -> read-only Graph GETs through the project's HTTP
 * layer -> the emulator -> warnings in admin-center words. Nothing is written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { lockoutCheck } from "../../scripts/lockoutCheck";
import { useEmulator } from "../support/emulator";
import { runbookLines } from "../support/runbook";

const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const vogel = "3c9e5a21-7f4b-4c1d-8a6e-9b2f0d1c3e47";
const admin = "0b6d7f1e-2c4a-4d8b-9e3f-7a1b2c3d4e5f";
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-lockout-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function stackFile(sspr: string[]): string {
  const file = path.join(tmp, `Pulumi.check-${Math.random().toString(16).slice(2)}.yaml`);
  fs.writeFileSync(
    file,
    [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org",
      "  entra-sspr:sspr:",
      ...sspr.map((line) => `    ${line}`),
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
      expect.stringMatching(
        /^Email: the authentication methods policy excludes group "Password reset pilot" \(1 of its members in the SSPR scope\)/,
      ),
      expect.stringMatching(/^SMS is usable for sign-in for All users/),
    ]);
    expect(lab.emulator.requests().filter((request) => request.method !== "GET")).toEqual([]);
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
      "Password reset for administrators is off (entra-sspr:sspr.administrators.allowed: false) while 1 " +
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
    expect(result.errors[0]).toContain('entra-sspr:sspr.scope: "All" is not allowed');
    expect(lab.emulator.requests()).toEqual([]);
  });
});
