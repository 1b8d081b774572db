import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  formatPreflight,
  main,
  parsePreflightArgs,
  portalShape,
  preflight,
  previewSignIn,
  type PreflightReport,
} from "../../../scripts/checks/preflight";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { useEmulator } from "../../support/emulator";
import { loadFixture } from "../../support/fixtures";
import { isWriteRequest } from "../../../emulator/requestLog";
import { useProviderHost } from "../../support/rehearsalHost";

const lab = useEmulator();
let tmp: string;
const savedGrants = process.env.ENTRA_SSPR_LAB_GRANTS;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-preflight-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  if (savedGrants === undefined) delete process.env.ENTRA_SSPR_LAB_GRANTS;
  else process.env.ENTRA_SSPR_LAB_GRANTS = savedGrants;
});

/** A lab stack file (loopback endpoints) with the given sspr settings. */
function labStack(name: string, sspr: Record<string, unknown>): string {
  const file = path.join(tmp, `Pulumi.${name}.yaml`);
  const config = {
    config: {
      "entra-sspr:tenantId": "lab.munyakazi.org",
      "sspr:settings": {
        methodsRequired: 1,
        methods: { email: true },
        registration: { requireOnSignIn: true, reconfirmDays: 180 },
        notifications: { users: true, admins: true },
        ...sspr,
      },
      "entra-sspr:endpoints": { graph: "http://127.0.0.1:8640", portal: "http://127.0.0.1:8640" },
    },
  };
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

const onlyGets = () => lab.emulator.requests().filter(isWriteRequest);

describe("npm run preflight for a lab stack", () => {
  it("starts an emulator of its own when none is given, reads it and stops it", async () => {
    const report = await preflight({ stackFile: labStack("own-emulator", { scope: "all" }) });
    expect(report.problems).toEqual([]);
    expect(report.target).toMatchObject({ tenantId: "lab.munyakazi.org", emulator: true });
    // Not the stack's own port (nothing listens there) and not the shared test emulator: a fresh one.
    expect(report.target.graph).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(report.target.graph).not.toBe("http://127.0.0.1:8640");
    expect(report.target.graph).not.toBe(lab.emulator.url);
    expect(report.methodsPolicy.read).toBe(true);
  });

  it("notes a method in the older spelling (true for offer) once, and nothing for the words", async () => {
    const older = await preflight({ stackFile: labStack("older", { scope: "all" }), emulatorUrl: lab.emulator.url });
    const words = await preflight({
      stackFile: labStack("words", { scope: "all", methods: { email: "offer" } }),
      emulatorUrl: lab.emulator.url,
    });
    const note =
      'sspr:settings.methods.email: true is the older spelling of "offer" (false of "leave"); both mean the same';
    expect(older.notes).toEqual([note]);
    expect(older.problems).toEqual([]);
    expect(formatPreflight(older)).toContain(`\nNote: ${note}\n`);
    expect(words.notes).toEqual([]);
    expect(formatPreflight(words)).not.toContain("Note:");
    // Everything else the same: the older spelling is read exactly as the word.
    const { notes: _olderNotes, stack: _olderStack, ...olderRest } = older;
    const { notes: _wordsNotes, stack: _wordsStack, ...wordsRest } = words;
    expect(olderRest).toEqual(wordsRest);
  });

  it("reports tokens, grants, the portal shape, migration state and licence, with GETs only and no token", async () => {
    lab.emulator.seed({
      passwordResetPolicies: { ...loadFixture("portal-password-reset-policies.get.json"), someNewField: 7 } as never,
    });
    const report = await preflight({ stack: "lab", emulatorUrl: lab.emulator.url });
    expect(report).toMatchObject<Partial<PreflightReport>>({
      reportVersion: 1,
      stack: "lab",
      for: "up",
      target: {
        tenantId: "lab.munyakazi.org",
        graph: lab.emulator.url,
        portal: `${lab.emulator.url}/api`,
        emulator: true,
      },
      pilotGroup: { configured: "none" },
      problems: [],
      ok: true,
    });
    expect(Object.keys(report.tool)).toEqual(
      expect.arrayContaining([
        "entra-sspr",
        "node",
        "@pulumi/pulumi",
        "@azure/identity",
        "@azure/identity-cache-persistence",
      ]),
    );
    expect(report.tokens.graph).toMatchObject({ obtained: true, signIn: "the lab credential", kind: "app" });
    expect(report.tokens.portal).toMatchObject({
      obtained: true,
      kind: "user",
      signedInAs: "lab.admin@lab.invalid",
      roles: ["Authentication Policy Administrator"],
    });
    expect(report.grants.map((row) => [row.api, row.access, row.status])).toEqual([
      ["graph", "write", "granted"],
      // The mark as any stack's, and the organization's id.
      ["graph", "read", "granted"],
      ["graph", "read", "granted"],
      ["graph", "write", "granted"],
      ["graph", "read", "granted"],
      ["portal", "write", "granted"],
      // deploy.yml's lockout check runs with the same identity: the methods policy and the excluded groups.
      ["graph", "read", "granted"],
      ["graph", "read", "granted"],
    ]);
    expect(report.portalPolicy).toEqual({
      read: true,
      missingOrChanged: [],
      keptAsIs: ["someNewField"],
      securityQuestions: { count: 0, shape: "as observed" },
    });
    expect(report.methodsPolicy).toMatchObject({ read: true, treatedAs: "migrationComplete" });
    expect(report.ownership).toEqual({ read: true, ownedBy: null });
    expect(report.licence.capabilities).toMatchObject({ officePhoneOptionAllowed: true, emailOptionAllowed: true });
    expect(onlyGets()).toEqual([]);
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\./);
    expect(text).not.toMatch(/c\.vogel|@munyakazi\.org/);
  });

  it("a pilot stack: whether the group exists and how many members do, by count only", async () => {
    const file = labStack("pilot", {
      scope: "selected",
      group: { displayName: "SSPR Pilot", members: ["c.vogel@munyakazi.org", "nobody@munyakazi.org"] },
    });
    const report = await preflight({ stackFile: file, emulatorUrl: lab.emulator.url });
    expect(report.pilotGroup).toEqual({
      configured: "created by the stack",
      exists: false,
      members: { configured: 2, found: 1 },
    });
    expect(report.problems).toEqual([
      "1 of 2 pilot group member(s) (sspr:settings.group.members) do not exist in the tenant",
    ]);
    expect(JSON.stringify(report)).not.toContain("nobody@");
    expect(report.grants.map((row) => row.purpose)).toEqual([
      "the tenant's ownership mark (an application the identity owns)",
      "the tenant's ownership mark (any stack's)",
      "the organization's id (and a mark earlier versions kept on it)",
      "Authentication methods policy (Email)",
      "who gains or loses a method, at preview (the groups the methods name)",
      "the pilot group's members (user lookups)",
      'the pilot group "SSPR Pilot" and its members',
      "the pilot group's name is not taken (groups listed by name)",
      "Password reset policy (portal API)",
      "lockout check: the authentication methods policy",
      "lockout check: the groups a method excludes and the SSPR group, with members",
    ]);
    expect(onlyGets()).toEqual([]);
  });

  it("an existing group id that is not in the tenant is named with its setting", async () => {
    const file = labStack("byid", { scope: "selected", group: { id: "0f0e0d0c-0000-4000-8000-000000000001" } });
    const report = await preflight({ stackFile: file, emulatorUrl: lab.emulator.url, for: "read" });
    expect(report.for).toBe("read");
    expect(report.pilotGroup).toMatchObject({ configured: "existing", exists: false });
    expect(report.problems).toContain(
      "the pilot group 0f0e0d0c-0000-4000-8000-000000000001 (sspr:settings.group.id) does not exist in the tenant",
    );
    expect(report.grants.every((row) => row.access === "read")).toBe(true);
  });

  it("narrowed lab grants: every missing grant listed, ok false, still GETs only", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS = "Policy.Read.All";
    const report = await preflight({ stack: "lab", emulatorUrl: lab.emulator.url });
    expect(report.ok).toBe(false);
    expect(report.grants.map((row) => row.status)).toEqual([
      "missing",
      "missing",
      "missing",
      "missing",
      "optional",
      "missing",
      // The lockout check's reads: Policy.Read.All reads the methods policy, not the groups.
      "granted",
      "missing",
    ]);
    expect(report.tokens.portal?.roles).toEqual([]);
    expect(report.portalPolicy.read).toBe(false);
    // Read-only needs are met by the same token.
    const read = await preflight({ stack: "lab", emulatorUrl: lab.emulator.url, for: "read" });
    // Read-only needs (the mark, the methods policy) are met by Policy.Read.All except the mark's own read.
    expect(read.grants.map((row) => [row.purpose, row.status])).toEqual([
      ["the tenant's ownership mark (any stack's)", "missing"],
      ["the organization's id (and a mark earlier versions kept on it)", "missing"],
      ["Authentication methods policy (Email, Sms, Voice)", "granted"],
      ["who gains or loses a method, at preview (the groups the methods name)", "optional"],
      ["Password reset policy (portal API)", "missing"],
      // The nightly drift check's scope, from Graph's registration report: without it, "not checked".
      [
        "drift check of the SSPR scope without a person: Graph's registration report (`isSsprEnabled` per user, Entra ID P1)",
        "optional",
      ],
    ]);
    expect(onlyGets()).toEqual([]);
  });

  it("the CLI: --json prints the report; bad arguments are all named", async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await main(["--stack", "lab", "--json"])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(JSON.parse(written.join(""))).toMatchObject({ stack: "lab", ok: true, target: { emulator: true } });
    expect(parsePreflightArgs(["--for", "apply"])).toEqual({
      problems: [
        "--stack <name> is required (reads Pulumi.<name>.yaml)",
        '--for is "apply"; allowed: "up" (the default: what pulumi up needs) or "read"',
      ],
    });
  });
});

describe("the ownership mark in the report", () => {
  const hosted = useProviderHost();

  it("names the stack that owns the tenant after an apply, nothing more", async () => {
    const applied = await rehearse({ stack: "lab", emulatorUrl: lab.emulator.url, host: hosted.host });
    expect(applied.errors).toEqual([]);
    const report = await preflight({ stack: "lab", emulatorUrl: lab.emulator.url });
    expect(report.ownership).toEqual({
      read: true,
      ownedBy: expect.stringMatching(/\/entra-sspr\/lab$/),
      claimedAt: expect.any(String),
    });
    expect(JSON.stringify(report)).not.toMatch(/"claim"/);
  });
});

describe("portalShape", () => {
  it("names relied-on fields that are missing or of another type, unknown fields and question shapes", () => {
    const policy: Record<string, unknown> = { ...loadFixture("portal-password-reset-policies.get.json") };
    delete policy.notifyOnAdminPasswordReset;
    policy.enablementType = "2";
    policy.securityQuestions = [{ objectId: "1", questionText: "q" }];
    policy.futureSwitch = true;
    expect(portalShape(policy)).toEqual({
      read: true,
      missingOrChanged: ["enablementType: string, expected number", "notifyOnAdminPasswordReset: missing"],
      keptAsIs: ["futureSwitch"],
      securityQuestions: { count: 1, shape: "differs" },
    });
  });
});

describe("previewSignIn: does a stack's pull-request preview need a Graph sign-in?", () => {
  const base = { tenantId: "contoso.example", methodsRequired: 1 as const };
  it.each([
    ["scope all: only the ownership mark is read (skipped without a token)", { scope: "all" as const }, "optional"],
    ["an existing group by id: only its id travels", { scope: "selected" as const, group: { id: "g" } }, "optional"],
    [
      "a group the stack creates: the azuread provider",
      { scope: "selected" as const, group: { displayName: "P" } },
      "required",
    ],
    [
      "a created group with members: user lookups on every preview",
      { scope: "selected" as const, group: { displayName: "P", members: ["a@contoso.example"] } },
      "required",
    ],
  ])("%s", (_name, settings, expected) => {
    expect(previewSignIn({ ...base, ...settings })).toBe(expected);
  });

  it("the CLI prints one word and sends nothing", async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await main(["--stack", "dev", "--preview-needs"])).toBe(0);
      expect(
        await main([
          "--stack-file",
          labStack("pilotpreview", { scope: "selected", group: { displayName: "P" } }),
          "--preview-needs",
        ]),
      ).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual(["optional\n", "required\n"]);
  });
});
