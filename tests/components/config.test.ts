import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import {
  componentArgsProblems,
  olderSpellingNotes,
  namespaceConfig,
  normalizeEndpoints,
  offeredMethodNames,
  parseStackConfig,
} from "../../components/config";
import { closestKey } from "../../components/configProblems";
import { runbookArgs, runbookPilotGroup, runbookStackConfig } from "../support/runbook";
import { configMethodKeys } from "../../components/methodCatalogue";

type Raw = Record<string, unknown>;
const ssprOf = (raw: Raw): Raw => raw.sspr as Raw;

/** Reads a committed stack file the way the CLI hands it to the program: namespace keys with their values. */
function stackFile(name: string): Raw {
  const text = fs.readFileSync(path.join(__dirname, "..", "..", name), "utf8");
  const document = yaml.load(text) as { config: Record<string, unknown> };
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(document.config)) {
    all[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return namespaceConfig(all);
}

function problemsOf(raw: Raw): string[] {
  const result = parseStackConfig(raw);
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.problems;
}

describe("parseStackConfig: valid configs", () => {
  it("parses the runbook to the component args", () => {
    expect(parseStackConfig(runbookStackConfig())).toEqual({ ok: true, args: runbookArgs });
  });

  it("Pulumi.dev.yaml holds exactly the runbook, with no endpoints (a real tenant)", () => {
    expect(parseStackConfig(stackFile("Pulumi.dev.yaml"))).toEqual({ ok: true, args: runbookArgs });
  });

  it("Pulumi.lab.yaml is the runbook pointed at the emulator, the portal root completed with /api", () => {
    expect(parseStackConfig(stackFile("Pulumi.lab.yaml"))).toEqual({
      ok: true,
      args: {
        ...runbookArgs,
        tenantId: "lab.munyakazi.org",
        endpoints: { graph: "http://127.0.0.1:8640", portal: "http://127.0.0.1:8640/api" },
      },
    });
  });

  it("the pilot: selected with a group the stack creates, members by user principal name", () => {
    const raw = runbookStackConfig();
    Object.assign(ssprOf(raw), {
      scope: "selected",
      group: runbookPilotGroup,
    });
    const result = parseStackConfig(raw);
    expect(result).toEqual({
      ok: true,
      args: {
        ...runbookArgs,
        scope: "selected",
        group: runbookPilotGroup,
      },
    });
  });

  it("selected with an existing group by object id; tenant id as a GUID; every optional section", () => {
    const raw = runbookStackConfig();
    raw.tenantId = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    Object.assign(ssprOf(raw), {
      scope: "selected",
      group: { id: "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d" },
      methods: { email: "offer", authenticatorApp: "offer", securityQuestions: { register: 5, reset: 3 } },
      helpdesk: "helpdesk@munyakazi.org",
      administrators: { allowed: false },
      methodsPolicy: { migrationState: "migrationComplete" },
      onDestroy: "retain",
    });
    const result = parseStackConfig(raw);
    expect(result.ok && result.args).toMatchObject({
      tenantId: "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      scope: "selected",
      group: { id: "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d" },
      methods: { email: "offer", authenticatorApp: "offer", securityQuestions: { register: 5, reset: 3 } },
      helpdesk: "helpdesk@munyakazi.org",
      administrators: { allowed: false },
      methodsPolicy: { migrationState: "migrationComplete" },
      onDestroy: "retain",
    });
  });

  it("scope none needs nothing else (SSPR off; the methods are left alone)", () => {
    expect(parseStackConfig({ tenantId: "munyakazi.org", sspr: { scope: "none" } })).toEqual({
      ok: true,
      args: { tenantId: "munyakazi.org", scope: "none" },
    });
  });

  it('"disable" is a method value; it does not count as offered', () => {
    const raw = runbookStackConfig();
    Object.assign(ssprOf(raw), { methodsRequired: 1, methods: { email: "offer", mobilePhone: "disable" } });
    const result = parseStackConfig(raw);
    expect(result.ok && result.args.methods).toEqual({ email: "offer", mobilePhone: "disable" });
  });

  it("reads the schema's forms in a stack file as the older ones: the same args (one runbook, one vocabulary)", () => {
    const schemaForms = runbookStackConfig();
    Object.assign(ssprOf(schemaForms), {
      methods: { email: "offer", mobilePhone: "offer", securityQuestions: { enabled: true, register: 4, reset: 3 } },
      helpdesk: "none",
      registrationCampaign: { state: "enabled", targets: ["all"] },
      systemPreferredMfa: { state: "enabled", includeGroups: ["all"] },
    });
    const older = runbookStackConfig();
    Object.assign(ssprOf(older), {
      methods: { email: true, mobilePhone: true, securityQuestions: { register: 4, reset: 3 } },
      helpdesk: false,
      registrationCampaign: { state: "enabled", targets: "all" },
      systemPreferredMfa: { state: "enabled", includeGroups: "all" },
    });
    const fromSchemaForms = parseStackConfig(schemaForms, new Date("2026-12-06T12:00:00Z"));
    expect(fromSchemaForms.ok).toBe(true);
    expect(fromSchemaForms).toEqual(parseStackConfig(older, new Date("2026-12-06T12:00:00Z")));
    const off = runbookStackConfig();
    ssprOf(off).methods = { email: "offer", mobilePhone: "offer", securityQuestions: { enabled: false } };
    const parsedOff = parseStackConfig(off);
    expect(parsedOff.ok && parsedOff.args.methods?.securityQuestions).toBe(false);
    // The same in TypeScript args, and a wrong value still names both forms.
    expect(componentArgsProblems({ ...runbookArgs, helpdesk: "none" })).toEqual([]);
    expect(
      componentArgsProblems({ ...runbookArgs, methods: { ...runbookArgs.methods, securityQuestions: true } }),
    ).toEqual([
      "args.methods.securityQuestions: true is not allowed; expected { enabled: false } or { enabled: true, register: " +
        "3-5, reset: 3-5 } (or the older false, or { register: 3-5, reset: 3-5 })",
    ]);
  });

  it("true and false are the older spellings of offer and leave: parsed to the very same args, no problem", () => {
    const older = runbookStackConfig();
    ssprOf(older).methods = { email: true, mobilePhone: true, officePhone: false, authenticatorApp: false };
    const words = runbookStackConfig();
    ssprOf(words).methods = { email: "offer", mobilePhone: "offer", officePhone: "leave", authenticatorApp: "leave" };
    const [fromOlder, fromWords] = [parseStackConfig(older), parseStackConfig(words)];
    expect(fromOlder.ok).toBe(true);
    expect(fromOlder).toEqual(fromWords);
    expect(fromOlder.ok && fromOlder.args.methods).toEqual(ssprOf(words).methods);
    // Said once, by preflight and rehearse (`OpenedStack.spellingNotes`), never as a problem or a warning.
    expect(olderSpellingNotes(ssprOf(older))).toEqual([
      'sspr:settings.methods.email: true is the older spelling of "offer" (false of "leave"); both mean the same',
      'sspr:settings.methods.mobilePhone: true is the older spelling of "offer" (false of "leave"); both mean the same',
      'sspr:settings.methods.officePhone: false is the older spelling of "leave" (true of "offer"); both mean the same',
      'sspr:settings.methods.authenticatorApp: false is the older spelling of "leave" (true of "offer"); both mean the same',
    ]);
    expect(olderSpellingNotes(ssprOf(words))).toEqual([]);
  });
});

// Each case breaks one thing in the runbook and expects exactly one line: key path, value, what is allowed.
const invalidCases: [string, (raw: Raw) => void, string][] = [
  [
    "methodsRequired out of range",
    (raw) => (ssprOf(raw).methodsRequired = 3),
    "sspr:settings.methodsRequired: 3 is not allowed; expected 1 or 2",
  ],
  [
    "methodsRequired above the methods offered (lockout)",
    (raw) => (ssprOf(raw).methods = { email: true, mobilePhone: false }),
    "sspr:settings.methodsRequired: 2 is not allowed; expected at most 1 because sspr:settings.methods offers " +
      "only 1 method (Email); the methods it leaves as the tenant has them are not counted, since the stack does not " +
      "own them: Mobile phone (mobilePhone: leave), Office phone (officePhone: unset), Mobile app (Microsoft Authenticator) " +
      "(authenticatorApp: unset), Mobile app code (software OATH tokens) (mobileAppCode: unset), Hardware OATH tokens " +
      '(preview) (hardwareOathTokens: unset). Offer more methods ("offer": targets are only added to) or require fewer',
  ],
  [
    "methodsRequired with no method offered at all",
    (raw) =>
      Object.assign(ssprOf(raw), {
        methodsRequired: 1,
        methods: Object.fromEntries(configMethodKeys.map((key) => [key, "disable"])),
      }),
    "sspr:settings.methodsRequired: 1 is not allowed; expected at most 0 because sspr:settings.methods offers " +
      'only 0 methods (none); users could never reset. Offer more methods ("offer": targets are only added to) or require fewer',
  ],
  [
    "scope in admin-center words",
    (raw) => (ssprOf(raw).scope = "All"),
    'sspr:settings.scope: "All" is not allowed; did you mean "all"? expected "none", "selected" or "all"',
  ],
  [
    "scope selected without a group",
    (raw) => (ssprOf(raw).scope = "selected"),
    "sspr:settings.group: missing; expected { id: <group object id> } or { displayName: <name>, members: " +
      '[<user principal name>] } (required when sspr:settings.scope is "selected")',
  ],
  [
    "a group with scope all",
    (raw) => (ssprOf(raw).group = { id: "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d" }),
    'sspr:settings.group: {"id":"0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d"} is not allowed; expected no group when ' +
      'sspr:settings.scope is "all"; remove it, or set scope to "selected" for a pilot',
  ],
  [
    "a group with both id and displayName",
    (raw) =>
      Object.assign(ssprOf(raw), {
        scope: "selected",
        group: { id: "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d", displayName: "SSPR Pilot" },
      }),
    'sspr:settings.group: {"id":"0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d","displayName":"SSPR Pilot"} is not ' +
      "allowed; expected exactly one of id (an existing group) or displayName (a group the stack creates)",
  ],
  [
    "members of an existing group",
    (raw) =>
      Object.assign(ssprOf(raw), {
        scope: "selected",
        group: { id: "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d", members: ["c.vogel@munyakazi.org"] },
      }),
    'sspr:settings.group.members: ["c.vogel@munyakazi.org"] is not allowed; expected members only with ' +
      "sspr:settings.group.displayName (an existing group's members are managed where the group lives)",
  ],
  [
    "a group id that is not a GUID",
    (raw) => Object.assign(ssprOf(raw), { scope: "selected", group: { id: "SSPR Pilot" } }),
    'sspr:settings.group.id: "SSPR Pilot" is not allowed; expected a group object id (GUID)',
  ],
  [
    "a member that is not a user principal name",
    (raw) => Object.assign(ssprOf(raw), { scope: "selected", group: { displayName: "P", members: ["c.vogel"] } }),
    'sspr:settings.group.members[0]: "c.vogel" is not allowed; expected a user principal name such as c.vogel@munyakazi.org',
  ],
  [
    "a member listed twice",
    (raw) =>
      Object.assign(ssprOf(raw), {
        scope: "selected",
        group: { displayName: "P", members: ["c.vogel@munyakazi.org", "C.Vogel@munyakazi.org"] },
      }),
    'sspr:settings.group.members[1]: "C.Vogel@munyakazi.org" is not allowed; expected each member once (user ' +
      "principal names are case-insensitive)",
  ],
  [
    "reconfirmDays above 730",
    (raw) => (ssprOf(raw).registration = { requireOnSignIn: true, reconfirmDays: 731 }),
    "sspr:settings.registration.reconfirmDays: 731 is not allowed; expected an integer from 0 to 730 (0 = never ask)",
  ],
  [
    "reconfirmDays not an integer",
    (raw) => (ssprOf(raw).registration = { requireOnSignIn: true, reconfirmDays: 90.5 }),
    "sspr:settings.registration.reconfirmDays: 90.5 is not allowed; expected an integer from 0 to 730 (0 = never ask)",
  ],
  [
    "registration without requireOnSignIn",
    (raw) => (ssprOf(raw).registration = { reconfirmDays: 180 }),
    "sspr:settings.registration.requireOnSignIn: missing; expected true or false",
  ],
  [
    "helpdesk neither an https URL nor an email address",
    (raw) => (ssprOf(raw).helpdesk = "http://support.example.org"),
    'sspr:settings.helpdesk: "http://support.example.org" is not allowed; expected an https URL or an email address, or "none" (or the older false) for no custom link',
  ],
  [
    "security questions: a count out of range",
    (raw) => (ssprOf(raw).methods = { email: true, mobilePhone: true, securityQuestions: { register: 6, reset: 3 } }),
    "sspr:settings.methods.securityQuestions.register: 6 is not allowed; expected an integer from 3 to 5",
  ],
  [
    "security questions: fewer registered than asked",
    (raw) => (ssprOf(raw).methods = { email: true, mobilePhone: true, securityQuestions: { register: 3, reset: 4 } }),
    'sspr:settings.methods.securityQuestions: {"register":3,"reset":4} is not allowed; expected register >= reset ' +
      "(users cannot be asked 4 questions when they registered 3)",
  ],
  [
    "security questions: true instead of counts",
    (raw) => (ssprOf(raw).methods = { email: true, mobilePhone: true, securityQuestions: true }),
    "sspr:settings.methods.securityQuestions: true is not allowed; expected { enabled: false } or { enabled: true, " +
      "register: 3-5, reset: 3-5 } (or the older false, or { register: 3-5, reset: 3-5 })",
  ],
  [
    "a method value that is not a choice",
    (raw) => (ssprOf(raw).methods = { email: "yes", mobilePhone: true, officePhone: true }),
    'sspr:settings.methods.email: "yes" is not allowed; expected "offer" (offer it), "leave" (leave the tenant\'s ' +
      'setting) or "disable" (turn it off, for every purpose it serves); true and false are the older spellings of ' +
      "offer and leave",
  ],
  [
    "a typo in a method name",
    (raw) => (ssprOf(raw).methods = { emial: true, mobilePhone: true, officePhone: true }),
    'sspr:settings.methods.emial: unknown key; did you mean "email"? expected one of email, mobilePhone, ' +
      "officePhone, authenticatorApp, mobileAppCode, hardwareOathTokens, securityQuestions",
  ],
  [
    "a typo in a section name",
    (raw) => {
      const sspr = ssprOf(raw);
      sspr.notificatons = sspr.notifications;
      delete sspr.notifications;
      sspr.scope = "none";
    },
    'sspr:settings.notificatons: unknown key; did you mean "notifications"? expected one of scope, group, ' +
      "methodsRequired, methods, registration, notifications, helpdesk, administrators, methodsPolicy, registrationCampaign, reportSuspiciousActivity, systemPreferredMfa, ownTelephonyProvider, onDestroy",
  ],
  [
    "a typo in a top-level key",
    (raw) => (raw.endpiONts = { graph: "https://graph.microsoft.com" }),
    'entra-sspr:endpiONts: unknown key; did you mean "entra-sspr:endpoints"? expected one of entra-sspr:tenantId, ' +
      "sspr:settings, entra-sspr:endpoints, entra-sspr:takeOverFrom, entra-sspr:monitoring",
  ],
  [
    "notifications missing with scope all",
    (raw) => delete ssprOf(raw).notifications,
    "sspr:settings.notifications: missing; expected { users: true|false, admins: true|false } (required when " +
      'sspr:settings.scope is "all")',
  ],
  [
    "onDestroy not a known behaviour",
    (raw) => (ssprOf(raw).onDestroy = "delete"),
    'sspr:settings.onDestroy: "delete" is not allowed; expected "restore" or "retain"',
  ],
  [
    "administrators.allowed not a boolean",
    (raw) => (ssprOf(raw).administrators = { allowed: "no" }),
    'sspr:settings.administrators.allowed: "no" is not allowed; expected true or false',
  ],
  [
    "methodsPolicy asking to go back before the migration",
    (raw) => (ssprOf(raw).methodsPolicy = { migrationState: "preMigration" }),
    'sspr:settings.methodsPolicy.migrationState: "preMigration" is not allowed; expected "migrationComplete"',
  ],
  [
    "tenantId missing",
    (raw) => delete raw.tenantId,
    "entra-sspr:tenantId: missing; expected the tenant id (a GUID) or a verified domain name such as munyakazi.org",
  ],
  [
    "tenantId neither a GUID nor a domain",
    (raw) => (raw.tenantId = "MOS tenant"),
    'entra-sspr:tenantId: "MOS tenant" is not allowed; expected the tenant id (a GUID) or a verified domain name ' +
      "such as munyakazi.org",
  ],
  [
    "an endpoint that is not an http(s) URL",
    (raw) => (raw.endpoints = { graph: "ftp://127.0.0.1:8640", portal: "http://127.0.0.1:8640" }),
    'entra-sspr:endpoints.graph: "ftp://127.0.0.1:8640" is not allowed; expected an http(s) URL such as https://graph.microsoft.com',
  ],
  [
    "plain http to a non-loopback host",
    (raw) => (raw.endpoints = { graph: "https://graph.microsoft.com", portal: "http://10.0.0.5:8640" }),
    'entra-sspr:endpoints.portal: "http://10.0.0.5:8640" is not allowed; expected https; plain http is allowed only ' +
      "on a loopback host (127.0.0.1, localhost, [::1]), since tokens would travel in clear",
  ],
  [
    "a Graph endpoint with the version in it",
    (raw) =>
      (raw.endpoints = { graph: "https://graph.microsoft.com/v1.0", portal: "https://main.iam.ad.ext.azure.com/api" }),
    'entra-sspr:endpoints.graph: "https://graph.microsoft.com/v1.0" is not allowed; expected the Graph root without ' +
      "version, such as https://graph.microsoft.com",
  ],
  [
    "an endpoint with credentials in it",
    (raw) =>
      (raw.endpoints = {
        graph: "https://user:pw@graph.microsoft.com",
        portal: "https://main.iam.ad.ext.azure.com/api",
      }),
    'entra-sspr:endpoints.graph: "(a URL with user info, not shown)" is not allowed; expected a URL without user name or password',
  ],
  [
    "an endpoint on a host that is neither Microsoft's nor loopback",
    (raw) =>
      (raw.endpoints = { graph: "https://graph.attacker.example", portal: "https://main.iam.ad.ext.azure.com/api" }),
    'entra-sspr:endpoints.graph: "https://graph.attacker.example" is not allowed; expected https on a known ' +
      "Microsoft Graph host (graph.microsoft.com, graph.microsoft.us, dod-graph.microsoft.us, " +
      "microsoftgraph.chinacloudapi.cn) or a loopback host (127.0.0.1, localhost, [::1]) for the lab emulator",
  ],
  [
    "only one endpoint (half a lab)",
    (raw) => (raw.endpoints = { graph: "http://127.0.0.1:8640" }),
    "entra-sspr:endpoints.portal: missing; expected an http(s) URL such as https://main.iam.ad.ext.azure.com/api",
  ],
  [
    "sspr not a mapping",
    (raw) => (raw.sspr = "all"),
    'sspr:settings: "all" is not allowed; expected a mapping (scope, group, methodsRequired, methods, ' +
      "registration, notifications, helpdesk, administrators, methodsPolicy, registrationCampaign, reportSuspiciousActivity, systemPreferredMfa, ownTelephonyProvider, onDestroy)",
  ],
];

describe("parseStackConfig: invalid configs, each rejected with one line naming the key", () => {
  it("has at least 20 distinct cases", () => {
    expect(new Set(invalidCases.map(([, , line]) => line)).size).toBeGreaterThanOrEqual(20);
  });

  it.each(invalidCases)("%s", (_title, breakIt, line) => {
    const raw = runbookStackConfig();
    breakIt(raw);
    expect(problemsOf(raw)).toEqual([line]);
  });

  it("reports every problem of one config at once", () => {
    const raw = runbookStackConfig();
    raw.tenantId = "MOS tenant";
    raw.endpoints = { graph: "http://graph.example.org", portal: "http://127.0.0.1:8640" };
    Object.assign(ssprOf(raw), {
      scope: "selected",
      methodsRequired: 2,
      methods: { email: true, mobilPhone: true },
      registration: { requireOnSignIn: true, reconfirmDays: -1 },
      helpdesk: "call Bob",
    });
    const problems = problemsOf(raw);
    const keys = problems.map((line) => line.slice(0, line.indexOf(":", "entra-sspr:".length)));
    expect(keys.sort()).toEqual(
      [
        "entra-sspr:tenantId",
        "entra-sspr:endpoints.graph",
        "sspr:settings.group",
        "sspr:settings.methods.mobilPhone",
        "sspr:settings.methodsRequired",
        "sspr:settings.registration.reconfirmDays",
        "sspr:settings.helpdesk",
      ].sort(),
    );
    expect(problems).toContain(
      'sspr:settings.methods.mobilPhone: unknown key; did you mean "mobilePhone"? expected one of email, ' +
        "mobilePhone, officePhone, authenticatorApp, mobileAppCode, hardwareOathTokens, securityQuestions",
    );
  });

  it("the lockout rules still run when other values have the wrong type", () => {
    const raw = runbookStackConfig();
    Object.assign(ssprOf(raw), { scope: "selected", methods: { email: true, officePhone: 7 } });
    const keys = problemsOf(raw).map((line) => line.split(": ")[0]);
    expect(keys).toEqual(["sspr:settings.methods.officePhone", "sspr:settings.methodsRequired", "sspr:settings.group"]);
  });
});

describe("componentArgsProblems (args given to the component directly)", () => {
  it("accepts the runbook args", () => {
    expect(componentArgsProblems(runbookArgs)).toEqual([]);
  });

  it("says 'could never reset' only when every other method is turned off, never when one is left to the tenant", () => {
    const message = (methods: Record<string, unknown>) =>
      componentArgsProblems({ ...runbookArgs, methodsRequired: 2, methods }).join("\n");
    // Each method left as the tenant has it (false, or unset), on its own: no claim that nobody could reset.
    for (const key of configMethodKeys.filter((name) => name !== "email")) {
      const others = Object.fromEntries(configMethodKeys.map((name) => [name, "disable"]));
      for (const choice of ["leave", false, undefined]) {
        const methods: Record<string, unknown> = { ...others, email: "offer", [key]: choice };
        if (choice === undefined) delete methods[key];
        const text = message(methods);
        expect(text).not.toContain("never");
        expect(text).toContain(`(${key}: ${choice === undefined ? "unset" : "leave"})`);
      }
    }
    expect(
      message({ ...Object.fromEntries(configMethodKeys.map((name) => [name, "disable"])), email: true }),
    ).toContain("users could never reset");
  });

  it("names problems in args words", () => {
    expect(componentArgsProblems({ ...runbookArgs, methodsRequired: 2, methods: { email: true }, extra: 1 })).toEqual([
      "args.extra: unknown key; expected one of scope, group, methodsRequired, methods, registration, notifications, " +
        "helpdesk, administrators, methodsPolicy, registrationCampaign, reportSuspiciousActivity, systemPreferredMfa, " +
        "ownTelephonyProvider, onDestroy, tenantId, endpoints, takeOverFrom, monitoring",
      "args.methodsRequired: 2 is not allowed; expected at most 1 because args.methods offers only 1 method (Email); " +
        'the methods it leaves as the tenant has them are not counted, since the stack does not own them: Mobile phone (mobilePhone: unset), Office phone (officePhone: unset), Mobile app (Microsoft Authenticator) (authenticatorApp: unset), Mobile app code (software OATH tokens) (mobileAppCode: unset), Hardware OATH tokens (preview) (hardwareOathTokens: unset). Offer more methods ("offer": targets are only added to) or require fewer',
    ]);
  });
});

describe("helpers", () => {
  it("normalizeEndpoints: defaults, trailing slashes, /api for a portal host root, idempotent", () => {
    expect(normalizeEndpoints()).toEqual({
      graph: "https://graph.microsoft.com",
      portal: "https://main.iam.ad.ext.azure.com/api",
    });
    const lab = normalizeEndpoints({ graph: "http://127.0.0.1:8640/", portal: "http://127.0.0.1:8640/" });
    expect(lab).toEqual({ graph: "http://127.0.0.1:8640", portal: "http://127.0.0.1:8640/api" });
    expect(normalizeEndpoints(lab)).toEqual(lab);
    expect(normalizeEndpoints({ portal: "https://proxy.example.org/entra/api/" }).portal).toBe(
      "https://proxy.example.org/entra/api",
    );
  });

  it("closestKey suggests near keys only", () => {
    expect(closestKey("emial", ["email", "mobilePhone"])).toBe("email");
    expect(closestKey("MOBILEPHONE", ["email", "mobilePhone"])).toBe("mobilePhone");
    expect(closestKey("wallpaper", ["email", "mobilePhone"])).toBeUndefined();
  });

  it("offeredMethodNames counts each offered method once, security questions included", () => {
    expect(
      offeredMethodNames({
        email: true,
        mobilePhone: "disable",
        officePhone: true,
        authenticatorApp: false,
        securityQuestions: { register: 3, reset: 3 },
      }),
    ).toEqual(["Email", "Office phone", "Security questions"]);
  });

  it("namespaceConfig keeps the entra-sspr keys, parses structured values and leaves plain strings", () => {
    expect(
      namespaceConfig({
        "entra-sspr:tenantId": "munyakazi.org",
        "sspr:settings": '{"scope":"none"}',
        "entra-sspr:broken": "{not json",
        "azuread:tenantId": "elsewhere.org",
      }),
    ).toEqual({ tenantId: "munyakazi.org", sspr: { scope: "none" }, broken: "{not json" });
  });
});
