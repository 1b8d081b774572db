import { phonesUntil } from "../../support/calendarWords";
import * as fs from "node:fs";
import { useRehearsalHost } from "../../support/rehearsalHost";
import * as path from "node:path";
import { startEmulator, type RunningEmulator, type TenantState } from "../../../emulator/server";
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import {
  main,
  parseRehearseArgs,
  rehearse,
  type RehearseOptions,
  type RehearseResult,
} from "../../../scripts/rehearse/rehearse";
import { useEmulator } from "../../support/emulator";
import { loadFixture } from "../../support/fixtures";
import { runbookLines } from "../../support/runbook";
import { isWriteRequest } from "../../../emulator/requestLog";

type Json = Record<string, unknown>;

const shared = useRehearsalHost("rehearse");

/** Rehearses with the shared host, collecting everything it prints. */
async function rehearsed(options: RehearseOptions): Promise<{ result: RehearseResult; output: string }> {
  const printed: string[] = [];
  const result = await rehearse({ host: shared.host, ...options, log: (text) => printed.push(text) });
  return { result, output: printed.join("\n") };
}

const writes = (emulator: RunningEmulator): string[] =>
  emulator
    .requests()
    .filter(isWriteRequest)
    .map((request) => `${request.method} ${request.path}`);

const method = (state: TenantState, id: string): Json | undefined =>
  state.authenticationMethodsPolicy.authenticationMethodConfigurations.find((configuration) => configuration.id === id);

const includeIds = (configuration: Json | undefined): string[] =>
  ((configuration?.includeTargets as Json[] | undefined) ?? []).map((target) => String(target.id));

/** The runbook's portal fields (Pulumi.dev.yaml); every other field must be as it was. */
const runbookPortalFields = {
  enablementType: 2,
  numberOfAuthenticationMethodsRequired: 2,
  securityQuestionsOptionEnabled: false,
  registrationRequiredOnSignIn: true,
  registrationReconfirmIntevalInDays: 180,
  notifyUsersOnPasswordReset: true,
  notifyOnAdminPasswordReset: true,
};

function writeFile(name: string, content: unknown): string {
  const file = path.join(shared.tmp, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

function expectNoToken(text: string): void {
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\./);
  expect(text).not.toMatch(/Bearer\s+[A-Za-z0-9]/i);
}

/** A pilot stack file (scope selected, a group the stack creates), alone in its folder (one stack per tenant). */
function pilotStack(name: string, displayName: string, members: string[]): string {
  return writeFile(
    path.join(path.basename(fs.mkdtempSync(path.join(shared.tmp, "pilot-"))), `Pulumi.${name}.yaml`),
    [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org",
      "  entra-sspr:sspr:",
      ...runbookLines({ scope: "selected", group: { displayName, members } }).map((line) => `    ${line}`),
      "",
    ].join("\n"),
  );
}

describe("rehearse Pulumi.dev.yaml", () => {
  // Every owned portal field differs from the runbook, so each one has to be written.
  const lab = useEmulator({
    seed: {
      passwordResetPolicies: {
        ...loadFixture("portal-password-reset-policies.get.json"),
        enablementType: 0,
        passwordResetEnabledGroupIds: [],
        passwordResetEnabledGroupName: "",
        numberOfAuthenticationMethodsRequired: 1,
        securityQuestionsOptionEnabled: true,
        registrationRequiredOnSignIn: false,
        registrationReconfirmIntevalInDays: 30,
        notifyUsersOnPasswordReset: false,
        notifyOnAdminPasswordReset: false,
      },
    },
  });

  it("ends exactly in the runbook's state, and a second run changes nothing", async () => {
    const before = lab.emulator.state();
    const { result, output } = await rehearsed({ stack: "dev", emulatorUrl: lab.emulator.url });
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    const after = lab.emulator.state();

    // Portal: the runbook's fields, everything else (hidden fields, capability flags, group) as before.
    expect(after.passwordResetPolicies).toEqual({ ...before.passwordResetPolicies, ...runbookPortalFields });

    // Graph: Email, Sms and Voice enabled for all users, each keeping its other fields; other methods untouched.
    for (const id of ["Email", "Sms", "Voice"]) {
      expect(method(after, id)).toMatchObject({ state: "enabled" });
      expect(includeIds(method(after, id))).toContain("all_users");
      const { state: _state, includeTargets: _include, ...rest } = method(after, id) ?? {};
      const { state: _s, includeTargets: _i, ...restBefore } = method(before, id) ?? {};
      expect(rest).toEqual(restBefore);
    }
    for (const id of ["Fido2", "MicrosoftAuthenticator", "TemporaryAccessPass", "SoftwareOath", "X509Certificate"]) {
      expect(method(after, id)).toEqual(method(before, id));
    }
    // The policy root is not the runbook's: only the service's own timestamp moves when a method changes.
    const {
      authenticationMethodConfigurations: _after,
      lastModifiedDateTime: _t1,
      ...policyAfter
    } = after.authenticationMethodsPolicy;
    const {
      authenticationMethodConfigurations: _before,
      lastModifiedDateTime: _t0,
      ...policyBefore
    } = before.authenticationMethodsPolicy;
    expect(policyAfter).toEqual(policyBefore);
    expect(after.authorizationPolicy).toEqual(before.authorizationPolicy);
    expect(result.emulatorState).toEqual(after);

    // What it printed: before, the steps, after and the changes, in admin-center words.
    expect(result.steps.map((step) => `${step.op} ${step.name}`)).toEqual([
      "create sspr",
      "create sspr-ownership",
      "create sspr-method-email",
      "create sspr-method-voice",
      "create sspr-method-sms",
      "create sspr-password-reset-policy",
    ]);
    expect(result.outputs).toMatchObject({
      resetUrl: "https://aka.ms/sspr",
      registrationUrl: "https://aka.ms/mysecurityinfo",
    });
    expect(output).toMatch(/Outputs:\n {2}resetUrl +https:\/\/aka\.ms\/sspr/);
    expect(output).toContain("are overridden with the emulator's: a rehearsal never touches a real tenant");
    expect(output).toContain("Authentication method Email");
    expect(output).toContain("Properties > Self service password reset enabled: None -> All");
    expect(output).toContain("Registration > Require users to register when signing in: No -> Yes");
    expect(output).toContain("Authentication methods > Security questions: On: 5 to register, 3 to reset -> Off");
    expect(result.changes.map((change) => change.setting)).toEqual(
      expect.arrayContaining(["Notify users on password resets", "Number of methods required to reset", "Email"]),
    );
    expectNoToken(output);

    // Second run: same config, the first run's state: every step same, and not one write reaches the tenant.
    lab.emulator.clearRequests();
    const second = await rehearsed({ stack: "dev", emulatorUrl: lab.emulator.url, priorState: result.state });
    expect(second.result.errors).toEqual([]);
    expect(second.result.steps.map((step) => step.op)).toEqual(Array(6).fill("same"));
    expect(writes(lab.emulator)).toEqual([]);
    expect(second.result.changes).toEqual([]);
    expect(lab.emulator.state()).toEqual(after);
    expect(second.output).toContain("No changes");
  });

  it("--twice checks the second run itself; --destroy puts the tenant back as it was", async () => {
    const before = lab.emulator.state();
    const { result, output } = await rehearsed({
      stack: "dev",
      emulatorUrl: lab.emulator.url,
      twice: true,
      destroy: true,
    });
    expect(result.errors).toEqual([]);
    expect(result.secondRun?.steps.every((step) => step.op === "same")).toBe(true);
    expect(output).toContain("Nothing changed, as expected.");
    expect(result.destroyed?.steps.map((step) => step.op)).toEqual(Array(6).fill("delete"));
    expect(result.destroyed?.differencesFromBefore).toEqual([]);
    expect(output).toContain("The tenant's SSPR settings are back to their before state.");
    expect(lab.emulator.state().passwordResetPolicies).toEqual(before.passwordResetPolicies);
    expect(result.state).toEqual({});
  });
});

describe("rehearse lists the tenant's existing risks before the plan (issue 27)", () => {
  it("SMS usable for sign-in for all users, found as npm run lockout-check finds it", async () => {
    const policy = loadFixture("graph-authentication-methods-policy.get.json") as {
      authenticationMethodConfigurations: { id: string; includeTargets?: unknown[]; state?: string }[];
    };
    for (const method of policy.authenticationMethodConfigurations)
      if (method.id === "Sms") {
        method.state = "enabled";
        method.includeTargets = [
          { id: "all_users", targetType: "group", isRegistrationRequired: false, isUsableForSignIn: true },
        ];
      }
    const seed = writeFile("risky.json", { authenticationMethodsPolicy: policy });
    const { result, output } = await rehearsed({ stack: "dev", seed });
    expect(result.tenantRisks).toContainEqual(expect.stringMatching(/^SMS is usable for sign-in for All users/));
    const risks = output.indexOf("Risks already in the tenant (npm run lockout-check), before the plan:");
    expect(risks).toBeGreaterThan(output.indexOf("Before (tenant"));
    expect(risks).toBeLessThan(output.indexOf("What changed:"));
  });
});

describe("rehearse with its own emulator", () => {
  it("--seed: starts a seeded emulator (the shared fixtures), applies the runbook, stops it", async () => {
    const portal = loadFixture("portal-password-reset-policies.get.json");
    const seed = writeFile("tenant.json", {
      passwordResetPolicies: portal,
      authenticationMethodsPolicy: loadFixture("graph-authentication-methods-policy.get.json"),
    });
    const { result, output } = await rehearsed({ stack: "dev", seed });
    expect(result.errors).toEqual([]);
    expect(output).toContain("Self service password reset enabled: Selected: mndz (group GROUP) -> All");
    // It names its seed (issue 27: nothing said a seed file was used).
    expect(output).toContain(`seeded from ${seed} (passwordResetPolicies, authenticationMethodsPolicy;`);
    // The fixture's group choice is not the runbook's business (scope all): it stays, as every non-owned field.
    expect(result.emulatorState?.passwordResetPolicies).toEqual({ ...portal, ...runbookPortalFields });
    expect(includeIds(method(result.emulatorState as TenantState, "Email"))).toEqual(["all_users"]);
    // The emulator was this run's own: it is gone.
    await expect(fetch(`${result.emulatorUrl}/_emulator/state`)).rejects.toThrow();
  });

  it("the CLI: --json prints one document with before, after, changes and steps; exit code 0", async () => {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await main(["--stack", "dev", "--json"]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const document = JSON.parse(chunks.join("")) as Json;
    expect(document).toMatchObject({ ok: true, errors: [], stack: "dev" });
    expect(document.state).toBeUndefined();
    expect((document.steps as Json[]).map((step) => step.op)).toHaveLength(6);
    expect((document.changes as Json[]).map((change) => change.setting)).toContain(
      "Self service password reset enabled",
    );
    expectNoToken(chunks.join(""));
  });
});

describe("rehearse refuses what it cannot rehearse, before any request", () => {
  const lab = useEmulator();

  it("a bad stack config: every problem listed, no request sent, non-zero from the CLI", async () => {
    const file = writeFile(
      "Pulumi.bad.yaml",
      [
        "config:",
        "  entra-sspr:tenantId: MOS",
        "  entra-sspr:apiKey:",
        "    secure: v1:c2VjcmV0",
        "  entra-sspr:sspr:",
        "    scope: all",
        "    methodsRequired: 3",
        "    methods: { email: true, mobilePhone: true }",
        "    registration: { requireOnSignIn: true, reconfirmDays: 999 }",
        "    notifications: { users: true, admins: true }",
        "",
      ].join("\n"),
    );
    const stateBefore = lab.emulator.state();
    const { result, output } = await rehearsed({ stackFile: file, emulatorUrl: lab.emulator.url });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      expect.stringMatching(/^entra-sspr:apiKey: a secret \("secure:"\) cannot be rehearsed or checked here/),
      expect.stringMatching(/^entra-sspr:tenantId: "MOS" is not allowed/),
      expect.stringMatching(/^entra-sspr:sspr\.methodsRequired: 3 is not allowed/),
      expect.stringMatching(/^entra-sspr:sspr\.registration\.reconfirmDays: 999 is not allowed/),
    ]);
    expect(output).toContain("nothing was rehearsed and no request was sent");
    expect(output).not.toContain("v1:c2VjcmV0");
    expect(lab.emulator.requests()).toEqual([]);
    expect(lab.emulator.state()).toEqual(stateBefore);
    expect(result.before).toBeUndefined();

    const spy = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await main(["--stack-file", file])).toBe(1);
      expect(await main(["--stack", "does-not-exist"])).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("a taken --port: says so, and runs nothing", async () => {
    const taken = await startEmulator();
    try {
      const { result } = await rehearsed({ stack: "dev", port: taken.port });
      expect(result.errors).toEqual([
        `port ${taken.port} is already in use on 127.0.0.1: stop what listens there, or pick another --port`,
      ]);
      expect(taken.requests()).toEqual([]);
    } finally {
      await taken.stop();
    }
  });

  it("a seed file that is not JSON, and CLI arguments that make no sense", async () => {
    const seed = writeFile("broken.json", "{ not json");
    const { result } = await rehearsed({ stack: "dev", seed, emulatorUrl: lab.emulator.url });
    expect(result.errors).toEqual([expect.stringMatching(/^--seed .*broken\.json: not valid JSON/)]);
    expect(lab.emulator.requests()).toEqual([]);

    expect(parseRehearseArgs([])).toEqual({ problems: ["--stack <name> is required (reads Pulumi.<name>.yaml)"] });
    expect(parseRehearseArgs(["--stack", "dev", "--port", "x"])).toEqual({
      problems: ['--port is "x"; allowed: an integer 0-65535 (0 picks a free port)'],
    });
    expect(parseRehearseArgs(["--stack", "dev", "--port", "0", "--twice", "--json"])).toEqual({
      options: { stack: "dev", stackFile: undefined, seed: undefined, port: 0, twice: true, destroy: false },
      json: true,
    });
  });
});

describe("the pilot: scope selected with a group the stack creates", () => {
  const lab = useEmulator();

  it("creates the group in the emulator with its members, and the policy points at that group", async () => {
    const file = pilotStack("pilot", "SSPR Pilot (rehearsal)", ["c.vogel@munyakazi.org"]);
    const { result, output } = await rehearsed({ stackFile: file, emulatorUrl: lab.emulator.url });
    expect(result.errors).toEqual([]);
    const state = lab.emulator.state();
    const group = state.groups.find((candidate) => candidate.displayName === "SSPR Pilot (rehearsal)");
    expect(group).toBeDefined();
    const vogel = state.users.find((user) => user.userPrincipalName === "c.vogel@munyakazi.org");
    expect(state.groupMembers[String(group?.id)]).toEqual([vogel?.id]);
    expect(state.passwordResetPolicies).toMatchObject({
      enablementType: 1,
      passwordResetEnabledGroupIds: [group?.id],
    });
    expect(includeIds(method(state, "Email"))).toContain(group?.id);
    expect(result.steps.find((step) => step.name === "sspr-pilot-group")?.op).toBe("create");
    expect(output).toContain(`Selected: SSPR Pilot (rehearsal) (group ${String(group?.id)})`);
    expect(output).toContain('Group "SSPR Pilot (rehearsal)"');
    // In people, with what each method is for: Email resets passwords but is no second factor; the tenant does not
    // allow office phones, so Voice calls mobile phones only; the member is named.
    const pilot = "group 'SSPR Pilot (rehearsal)' (1 member: c.vogel@munyakazi.org)";
    expect(output).toContain(
      "Who gains or loses a method, and for what:\n" +
        `  Email: ${pilot} can now use it to reset their password (SSPR); it is not a second factor for members.\n` +
        `  Phone call (mobile phone): ${pilot} can now use it to reset their password (SSPR) and as a second factor (MFA)${phonesUntil}.\n` +
        "  Phone call (mobile phone): switched on for the SSPR scope only; its dormant target (all users) stays out of " +
        "force; destroy puts the method back as it was, off.",
    );
    expect(output).not.toMatch(/office phone\)|MFA sign-in/);
    // The settings name the group where its name is known, not only its id.
    expect(output).toContain("Email: Enabled, but no users are targeted -> On for group 'SSPR Pilot (rehearsal)'");

    // Second run: the group is kept, not created again.
    lab.emulator.clearRequests();
    const second = await rehearsed({ stackFile: file, emulatorUrl: lab.emulator.url, priorState: result.state });
    expect(second.result.errors).toEqual([]);
    expect(second.result.steps.every((step) => step.op === "same")).toBe(true);
    expect(writes(lab.emulator)).toEqual([]);
    expect(lab.emulator.state().groups).toHaveLength(state.groups.length);
  });

  it("a pilot of fifteen: the people lines name ten members, then a count", async () => {
    const members = createDefaultTenant()
      .users.filter((user) => user.userType === "Member")
      .slice(0, 15)
      .map((user) => user.userPrincipalName);
    expect(members).toHaveLength(15);
    const file = pilotStack("fifteen", "Big Pilot", members);
    const { result, output } = await rehearsed({ stackFile: file, emulatorUrl: lab.emulator.url });
    expect(result.errors).toEqual([]);
    const line = output.split("\n").find((text) => text.startsWith("  Email: group 'Big Pilot'"));
    expect(line).toMatch(
      /^ {2}Email: group 'Big Pilot' \(15 members: ([^,]+@munyakazi\.org, ){9}[^,]+ and 5 more\) can now use it to reset their password \(SSPR\); it is not a second factor for members\.$/,
    );
    const named = /\(15 members: (.*) and 5 more\)/.exec(String(line))?.[1].split(", ") ?? [];
    expect(named.every((name) => members.includes(name))).toBe(true);
  });

  it("a member who does not exist stops the run before anything is written, naming the user", async () => {
    const file = pilotStack("missing", "SSPR Pilot (rehearsal)", ["c.vogel@munyakazi.org", "nobody@munyakazi.org"]);
    const stateBefore = lab.emulator.state();
    const { result, output } = await rehearsed({ stackFile: file, emulatorUrl: lab.emulator.url });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      "entra-sspr:sspr.group.members: users must exist before the pilot: nobody@munyakazi.org not found in tenant " +
        "munyakazi.org. Create the user first, or correct the user principal names.",
    ]);
    expect(output).toContain("nobody@munyakazi.org not found");
    expect(writes(lab.emulator)).toEqual([]);
    expect(lab.emulator.state()).toEqual(stateBefore);
  });

  it("a group name the tenant already has fails like azuread's preventDuplicateNames; no setting is written", async () => {
    const file = pilotStack("duplicate", "Password reset pilot", ["c.vogel@munyakazi.org"]);
    const stateBefore = lab.emulator.state();
    const { result } = await rehearsed({ stackFile: file, emulatorUrl: lab.emulator.url });
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /a group named "Password reset pilot" already exists in the tenant \(id 5a8c1e3f-/,
    );
    // Only the stack's claim on the tenant was made (the group's name is checked when azuread creates it, after the
    // claim); its next run or its destroy goes on from there.
    // (The claim creates the mark's application; the tenant had no mark on the organization to move.)
    expect(writes(lab.emulator)).toEqual(["POST /v1.0/applications"]);
    expect({ ...lab.emulator.state(), applications: [] }).toEqual(stateBefore);
  });
});
