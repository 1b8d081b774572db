import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { runUnderMocks, type MockRun } from "../engine/mockRun";
import { programFromFile } from "../engine/programFromFile";
import type { ConfigMap } from "../engine/propertyValues";
import { repositoryRoot } from "../scripts/stack/repository";

/** The `config:` block of a committed stack file, as the CLI hands it to the program. */
function stackConfig(file: string): ConfigMap {
  const document = yaml.load(fs.readFileSync(path.join(__dirname, "..", file), "utf8")) as { config: ConfigMap };
  return document.config;
}

/**
 * index.ts, evaluated afresh in each run (it reads config at load time) as `rehearse` runs it: the components and
 * the SDK it imports are this file's own, loaded once, so the rehearsal engine's config and mocks are what it sees.
 */
const program = programFromFile(path.join(repositoryRoot, "index.ts"));

/** Runs index.ts as `pulumi up` would, under mocks, with the given stack config. */
function runProgram(config: ConfigMap, stack = "dev"): Promise<MockRun> {
  return runUnderMocks(
    program,
    {
      newResource: (request) => ({ id: `${request.name}-id`, state: request.inputs }),
      call: (request) => {
        throw new Error(`the runbook needs no invoke, got ${request.token}`);
      },
    },
    { config, stack },
  );
}

describe("index.ts", () => {
  it("refuses a stack whose tenant another stack file of the project names, before registering anything", async () => {
    // The lab stack's config run as stack "dev": Pulumi.lab.yaml names the same tenant on the same endpoint.
    const run = await runProgram(stackConfig("Pulumi.lab.yaml"), "dev");
    expect(run.registrations).toEqual([]);
    expect(run.errors.map((error) => error.message)).toEqual([
      "Stack config is invalid (1 problem); nothing was changed:\n" +
        '  entra-sspr:tenantId: "lab.munyakazi.org" is also the tenant of stack lab (Pulumi.lab.yaml) in this project; ' +
        "one stack owns a tenant's SSPR, and two would undo each other's settings. Point one of them at another " +
        "tenant, remove one, or set entra-sspr:takeOverFrom on the stack that takes the tenant over",
    ]);
    // Taking the tenant over is the explicit way out.
    const takeOver = await runProgram(
      { ...stackConfig("Pulumi.lab.yaml"), "entra-sspr:takeOverFrom": "organization/entra-sspr/lab" },
      "dev",
    );
    expect(takeOver.errors).toEqual([]);
    expect(takeOver.registrations.find((r) => r.name === "sspr-ownership")?.inputs).toMatchObject({
      takeOverFrom: "organization/entra-sspr/lab",
    });
  });

  it("reads the settings at their old place (entra-sspr:sspr) as at sspr:settings, warning once; both are refused", async () => {
    const { "sspr:settings": settings, ...rest } = stackConfig("Pulumi.dev.yaml");
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const old = await runProgram({ ...rest, "entra-sspr:sspr": settings });
      const current = await runProgram(stackConfig("Pulumi.dev.yaml"));
      expect(old.errors).toEqual([]);
      expect(old.registrations.map((r) => [r.name, r.inputs])).toEqual(
        current.registrations.map((r) => [r.name, r.inputs]),
      );
      const said = warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes("entra-sspr:sspr"));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(
        "entra-sspr:sspr is the old place of the SSPR settings: run npm run migrate-stack -- --stack dev to move " +
          "them to sspr:settings",
      );
    } finally {
      warn.mockRestore();
    }
    const both = await runProgram({ ...stackConfig("Pulumi.dev.yaml"), "entra-sspr:sspr": settings });
    expect(both.registrations).toEqual([]);
    expect(both.errors.map((error) => error.message)).toEqual([
      "Stack config is invalid (1 problem); nothing was changed:\n" +
        "  entra-sspr:sspr and sspr:settings: the SSPR settings are given at both places; keep them at sspr:settings " +
        "only (entra-sspr:sspr is the old place) and remove entra-sspr:sspr",
    ]);
  });

  it("Pulumi.dev.yaml: the runbook's component and children, outputs exported", async () => {
    const run = await runProgram(stackConfig("Pulumi.dev.yaml"));
    expect(run.errors).toEqual([]);
    expect(run.registrations.map((r) => [r.type, r.name])).toEqual(
      expect.arrayContaining([
        ["entra-sspr:index:SelfServicePasswordReset", "sspr"],
        ["entra-sspr:index:TenantOwnership", "sspr-ownership"],
        ["entra-sspr:index:AuthenticationMethodConfiguration", "sspr-method-email"],
        ["entra-sspr:index:AuthenticationMethodConfiguration", "sspr-method-sms"],
        ["entra-sspr:index:AuthenticationMethodConfiguration", "sspr-method-voice"],
        ["entra-sspr:index:PasswordResetPolicy", "sspr-password-reset-policy"],
      ]),
    );
    expect(run.registrations).toHaveLength(6);
    const policy = run.registrations.find((r) => r.name === "sspr-password-reset-policy");
    expect(policy?.inputs).toMatchObject({
      tenantId: "munyakazi.org",
      endpoints: { graph: "https://graph.microsoft.com", portal: "https://main.iam.ad.ext.azure.com/api" },
      onDelete: "restore",
      enablement: "all",
      methodsRequired: 2,
      securityQuestions: { enabled: false },
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: true },
    });
    // The runbook names no helpdesk link, so the tenant's is not owned (never written, never restored).
    expect(policy?.inputs).not.toHaveProperty("helpdesk");
    expect(run.outputs).toMatchObject({
      resetUrl: "https://aka.ms/sspr",
      registrationUrl: "https://aka.ms/mysecurityinfo",
      settings: {
        "Self service password reset enabled": "All",
        "Number of methods required to reset": 2,
        "Methods available to users": ["Email", "Mobile phone"],
      },
    });
    expect(run.outputs?.groupId).toBeUndefined();
  });

  it("Pulumi.lab.yaml: every child points at the emulator, the portal under /api", async () => {
    const run = await runProgram(stackConfig("Pulumi.lab.yaml"), "lab");
    expect(run.errors).toEqual([]);
    const children = run.registrations.filter((r) => r.custom);
    expect(children).toHaveLength(5);
    for (const child of children) {
      expect(child.inputs).toMatchObject({
        tenantId: "lab.munyakazi.org",
        endpoints: { graph: "http://127.0.0.1:8640", portal: "http://127.0.0.1:8640/api" },
      });
    }
  });

  it("an invalid config throws one error listing every problem, and registers nothing", async () => {
    const config = stackConfig("Pulumi.dev.yaml");
    const sspr = config["sspr:settings"] as Record<string, unknown>;
    const run = await runProgram({
      ...config,
      "entra-sspr:tenantId": "MOS",
      "entra-sspr:ssrp": { scope: "all" },
      "sspr:settings": { ...sspr, methodsRequired: 3, registration: { requireOnSignIn: true, reconfirmDays: 999 } },
    });
    expect(run.registrations).toEqual([]);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0].message).toBe(
      "Stack config is invalid (4 problems); nothing was changed:\n" +
        '  entra-sspr:tenantId: "MOS" is not allowed; expected the tenant id (a GUID) or a verified domain name such as munyakazi.org\n' +
        "  sspr:settings.methodsRequired: 3 is not allowed; expected 1 or 2\n" +
        "  sspr:settings.registration.reconfirmDays: 999 is not allowed; expected an integer from 0 to 730 (0 = never ask)\n" +
        "  entra-sspr:ssrp: unknown key; expected one of entra-sspr:tenantId, sspr:settings, entra-sspr:endpoints, " +
        "entra-sspr:takeOverFrom, entra-sspr:monitoring",
    );
  });

  it("no config at all names the two required keys", async () => {
    const run = await runProgram({});
    expect(run.registrations).toEqual([]);
    expect(run.errors.map((error) => error.message)).toEqual([
      "Stack config is invalid (2 problems); nothing was changed:\n" +
        "  entra-sspr:tenantId: missing; expected the tenant id (a GUID) or a verified domain name such as munyakazi.org\n" +
        "  sspr:settings: missing; expected a mapping (scope, group, methodsRequired, methods, registration, " +
        "notifications, helpdesk, administrators, methodsPolicy, registrationCampaign, reportSuspiciousActivity, systemPreferredMfa, ownTelephonyProvider, onDestroy)",
    ]);
  });

  it("entra-sspr:__proto__ and entra-sspr:constructor are unknown keys; their endpoints are never read", async () => {
    const attacker = { graph: "https://graph.attacker.example", portal: "https://portal.attacker.example" };
    const config = stackConfig("Pulumi.dev.yaml");
    const sspr = config["sspr:settings"] as Record<string, unknown>;
    const run = await runProgram({
      ...config,
      "entra-sspr:__proto__": { endpoints: attacker },
      "entra-sspr:constructor": { endpoints: attacker },
      // Nested, as JSON text (an own "__proto__" key survives JSON, unlike an object literal's).
      "sspr:settings": JSON.stringify({ ...sspr, methods: { email: true, mobilePhone: true, constructor: true } }),
    });
    expect(run.registrations).toEqual([]);
    const message = run.errors.map((error) => error.message).join("\n");
    expect(message).toBe(
      "Stack config is invalid (3 problems); nothing was changed:\n" +
        '  entra-sspr:__proto__: unknown key; "__proto__" is a JavaScript prototype name, never a setting, and ' +
        "nothing under it is read; expected one of entra-sspr:tenantId, sspr:settings, entra-sspr:endpoints, entra-sspr:takeOverFrom, entra-sspr:monitoring\n" +
        '  entra-sspr:constructor: unknown key; "constructor" is a JavaScript prototype name, never a setting, and ' +
        "nothing under it is read; expected one of entra-sspr:tenantId, sspr:settings, entra-sspr:endpoints, entra-sspr:takeOverFrom, entra-sspr:monitoring\n" +
        '  sspr:settings.methods.constructor: unknown key; "constructor" is a JavaScript prototype name, never a ' +
        "setting, and nothing under it is read; expected one of email, mobilePhone, officePhone, authenticatorApp, " +
        "mobileAppCode, hardwareOathTokens, securityQuestions",
    );
  });

  it("config nested 100,000 levels deep is one problem, not a RangeError", async () => {
    const config = stackConfig("Pulumi.dev.yaml");
    const depth = 100_000;
    const run = await runProgram({
      ...config,
      "entra-sspr:endpoints": '{"graph":' + '{"a":'.repeat(depth) + "1" + "}".repeat(depth) + "}",
    });
    expect(run.registrations).toEqual([]);
    expect(run.errors.map((error) => error.message)).toEqual([
      "Stack config is invalid (2 problems); nothing was changed:\n" +
        "  entra-sspr:endpoints.graph.a.a: nested more than 32 levels deep; expected at most 32 levels (the deepest " +
        "setting is 4 levels down)\n" +
        "  entra-sspr:endpoints.portal: missing; expected an http(s) URL such as https://main.iam.ad.ext.azure.com/api",
    ]);
  });
});
