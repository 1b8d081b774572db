/**
 * `rehearse` at the config boundary: a stack file that tries to bend the config, or that is broken, is refused with
 * exactly its own problems, and the emulator (a running one, whose request log is read afterwards) sees no request.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { rehearse, type RehearseOptions, type RehearseResult } from "../../../scripts/rehearse/rehearse";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { useEmulator } from "../../support/emulator";
import { runbookLines } from "../../support/runbook";
import { isWriteRequest } from "../../../emulator/requestLog";

const shared = useRehearsalHost("boundary");

const lab = useEmulator();

/** Each stack in its own folder: stack files side by side that name one tenant are refused (one stack per tenant). */
function stackFile(name: string, lines: string[]): string {
  fs.mkdirSync(path.join(shared.tmp, name), { recursive: true });
  const file = path.join(shared.tmp, name, `Pulumi.${name}.yaml`);
  fs.writeFileSync(file, [...lines, ""].join("\n"));
  return file;
}

/** The runbook with email alone (so one method to reset), as the `sspr:settings` block of a stack file. */
const emailOnlyLines = [
  "  sspr:settings:",
  ...runbookLines({ methodsRequired: 1, methods: { email: true } }).map((line) => `    ${line}`),
];

async function rehearsed(options: RehearseOptions): Promise<{ result: RehearseResult; output: string }> {
  const printed: string[] = [];
  const result = await rehearse({
    host: shared.host,
    emulatorUrl: lab.emulator.url,
    ...options,
    log: (t) => printed.push(t),
  });
  return { result, output: printed.join("\n") };
}

describe("rehearse refuses a config that tries to reach past the boundary", () => {
  it("entra-sspr:__proto__ holding attacker endpoints: rejected naming the key, and no request at all", async () => {
    const file = stackFile("proto", [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org",
      "  entra-sspr:__proto__: {endpoints: {graph: https://graph.attacker.example, portal: https://portal.attacker.example}}",
      ...emailOnlyLines,
    ]);
    const { result, output } = await rehearsed({ stackFile: file });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      'entra-sspr:__proto__: unknown key; "__proto__" is a JavaScript prototype name, never a setting, and nothing ' +
        "under it is read; expected one of entra-sspr:tenantId, sspr:settings, entra-sspr:endpoints, entra-sspr:takeOverFrom, entra-sspr:monitoring",
    ]);
    expect(output).toContain("nothing was rehearsed and no request was sent");
    expect(lab.emulator.requests()).toEqual([]);
  });

  it("a bare __proto__ key (Pulumi puts it in the project's namespace) and nested prototype names too", async () => {
    const file = stackFile("nested", [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org",
      "  __proto__: {endpoints: {graph: https://graph.attacker.example, portal: https://portal.attacker.example}}",
      "  sspr:settings:",
      "    scope: all",
      "    methodsRequired: 1",
      "    methods: { email: true, constructor: true }",
      "    registration: { requireOnSignIn: true, reconfirmDays: 180, prototype: 1 }",
      "    notifications: { users: true, admins: true }",
    ]);
    const { result } = await rehearsed({ stackFile: file });
    expect(result.errors.map((line) => line.split(": unknown key")[0])).toEqual([
      "entra-sspr:__proto__",
      "sspr:settings.methods.constructor",
      "sspr:settings.registration.prototype",
    ]);
    expect(lab.emulator.requests()).toEqual([]);
  });
});

describe("rehearse refuses text no user should be shown, before any request", () => {
  it("a helpdesk link with a right-to-left override, and a 100,000-character one", async () => {
    for (const [name, helpdesk, expected] of [
      ["rlo", '"https://help.attacker.example/\\u202Egro.ikazaynum"', "U+202E RIGHT-TO-LEFT OVERRIDE at character 31"],
      ["long", `https://help.munyakazi.org/${"a".repeat(99_973)}`, "expected at most 2048 characters (it has 100000)"],
    ]) {
      const file = stackFile(name, [
        "config:",
        "  entra-sspr:tenantId: munyakazi.org",
        ...emailOnlyLines,
        `    helpdesk: ${helpdesk}`,
      ]);
      const { result } = await rehearsed({ stackFile: file });
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^sspr:settings\.helpdesk: "https:\/\/help\./);
      expect(result.errors[0]).toContain(expected);
      expect(result.errors[0]).not.toContain("\u202e");
      expect(lab.emulator.requests()).toEqual([]);
    }
  });
});

describe("rehearse reports a broken stack with exactly its own problems", () => {
  it("a YAML syntax error is the only problem, with its line; no misleading 'missing' keys", async () => {
    const file = stackFile("yamlerror", [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org",
      "  sspr:settings:",
      "    scope: all",
      "   methodsRequired: 2",
    ]);
    const { result } = await rehearsed({ stackFile: file });
    expect(result.errors).toEqual([
      `${file}:5:4: YAML syntax error: bad indentation of a mapping entry (line 5: "   methodsRequired: 2")`,
    ]);
    expect(lab.emulator.requests()).toEqual([]);
  });

  it("a pilot member that does not exist is one error naming the user, not a blank second one", async () => {
    const file = stackFile("typo", [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org",
      "  sspr:settings:",
      "    scope: selected",
      "    group: { displayName: SSPR Pilot, members: [c.vgoel@munyakazi.org] }",
      "    methodsRequired: 1",
      "    methods: { email: true }",
      "    registration: { requireOnSignIn: true, reconfirmDays: 180 }",
      "    notifications: { users: true, admins: true }",
    ]);
    const { result, output } = await rehearsed({ stackFile: file });
    expect(result.errors).toEqual([
      "azuread.getUsers: no user with user principal name c.vgoel@munyakazi.org in the tenant (the emulator's " +
        "directory). Users must exist before they can be added to the pilot group.",
    ]);
    expect(output).toContain("Errors (1):");
    expect(output.split("Errors (1):\n")[1]).not.toMatch(/\n\s*$|\n\s*\n/);
  });
});

describe("rehearse checks an existing group before anything is written", () => {
  const pilotLines = (groupId: string) => [
    "config:",
    "  entra-sspr:tenantId: munyakazi.org",
    "  sspr:settings:",
    "    scope: selected",
    `    group: { id: ${groupId} }`,
    "    methodsRequired: 1",
    "    methods: { email: true }",
    "    registration: { requireOnSignIn: true, reconfirmDays: 180 }",
    "    notifications: { users: true, admins: true }",
  ];
  const writes = () => lab.emulator.requests().filter(isWriteRequest);

  it("a group id that does not exist fails naming the setting and the id, and nothing is written", async () => {
    const missing = "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a";
    const { result } = await rehearsed({ stackFile: stackFile("nogroup", pilotLines(missing)) });
    expect(result.ok).toBe(false);
    // The rehearsal lists the failed azuread invoke too (a real preview shows only the program's error).
    expect(result.errors).toEqual([
      `Group with object ID "${missing}" was not found`,
      `group.id (sspr:settings.group.id) is "${missing}": no group with this object id exists in the tenant; ` +
        "give an existing security group's object id, or use group.displayName to have the stack create one",
    ]);
    expect(lab.emulator.requests().map((entry) => `${entry.method} ${entry.path}`)).toContain(
      `GET /v1.0/groups/${missing}`,
    );
    expect(writes()).toEqual([]);
    expect(lab.emulator.state()).toEqual(lab.seeded);
  });

  it("the default tenant's pilot group (an existing security group) is looked up and then used", async () => {
    const pilot = lab.seeded.groups[0].id;
    const { result } = await rehearsed({ stackFile: stackFile("withgroup", pilotLines(pilot)) });
    expect(result.errors).toEqual([]);
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({
      enablementType: 1,
      passwordResetEnabledGroupIds: [pilot],
    });
  });
});
