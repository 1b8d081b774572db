/**
 * A preview reads the tenant's methods policy once: the people lines (`peoplePreview.ts`) and the lockout guards
 * (`lockoutFacts.ts`) share one read, counted in the emulator's request log. The program asks the provider plugin
 * for both (the package's functions), as the CLI routes its invokes: program -> engine -> plugin -> HTTP -> emulator.
 */
import { pluginCallHandler } from "../../../engine/engine";
import { echoResource, runUnderMocks } from "../../../engine/mockRun";
import type { SelfServicePasswordResetArgs } from "../../../components/ssprArgs";
import { SelfServicePasswordReset } from "../../../components/selfServicePasswordReset";
import { previewPeopleEffects } from "../../../provider/reader/peoplePreview";
import { readLockoutFacts } from "../../../provider/reader/lockoutFacts";
import { createEntraClient } from "../../../provider/http/client";
import { readTenantObject } from "../../../provider/reader/tenantReader";
import { withGroupLookup } from "../../../scripts/rehearse/emulatorGroupLookup";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

const lab = useEmulator();
const hosted = useProviderHost();

const methodsPolicyReads = (): number =>
  lab.emulator
    .requests()
    .filter((entry) => entry.method === "GET" && /\/policies\/authenticationMethodsPolicy(\?|$)/.test(entry.path))
    .length;

function pilotArgs(): SelfServicePasswordResetArgs {
  return {
    tenantId: "munyakazi.org",
    endpoints: lab.endpoints,
    scope: "selected",
    group: { id: lab.seeded.groups[0].id },
    methodsRequired: 1,
    methods: { mobilePhone: true, email: true },
    registration: { requireOnSignIn: true, reconfirmDays: 180 },
    notifications: { users: true, admins: true },
  };
}

it("a preview reads the methods policy once for the people lines and the lockout guards", async () => {
  const args = pilotArgs();
  const program = () => ({ people: new SelfServicePasswordReset("sspr", args).peopleEffects });
  // azuread.getGroup (the preview's check of group.id) is answered from the emulator's directory, as in rehearse;
  // the package's functions by the plugin, whose run shares the one read of the methods policy between them.
  const lookup = withGroupLookup(async ({ inputs }) => inputs, createEntraClient(lab.target));
  const call = pluginCallHandler(hosted.host, lookup);
  const preview = await runUnderMocks(program, { newResource: echoResource, call }, { preview: true });
  expect(preview.errors).toEqual([]);
  // Both consumers ran on the document: people lines, and the lockout guard on the tenant's SMS sign-in target.
  expect(preview.outputs?.people).toMatchObject({
    lines: expect.arrayContaining([expect.stringContaining("Email:")]),
    warnings: [
      expect.stringContaining("SMS is usable for sign-in for All users"),
      // The administrators who rely on a phone lose reset on 1 February 2027 (read by the same run: no second read).
      ...(Date.now() < Date.UTC(2027, 1, 1) ? [expect.stringContaining("2 administrators")] : []),
    ],
  });
  expect(methodsPolicyReads()).toBe(1);
});

it("the people lines and the lockout facts read no methods policy when handed one", async () => {
  const client = createEntraClient(lab.target);
  const args = pilotArgs();
  const policy = await readTenantObject(client, "authenticationMethodsPolicy");
  lab.emulator.clearRequests();
  const handed = await previewPeopleEffects(client, args, policy);
  const facts = await readLockoutFacts(client, args, policy);
  expect(methodsPolicyReads()).toBe(0);
  // The same answers as when each reads the policy itself.
  expect(await previewPeopleEffects(client, args)).toEqual(handed);
  expect(await readLockoutFacts(client, args)).toEqual(facts);
  expect(methodsPolicyReads()).toBe(2);
});

describe("Microsoft's calendar in the preview, counted in people", () => {
  const runbook = (methods: SelfServicePasswordResetArgs["methods"]): SelfServicePasswordResetArgs => ({
    tenantId: "munyakazi.org",
    endpoints: lab.endpoints,
    scope: "all",
    methodsRequired: 2,
    methods,
    registration: { requireOnSignIn: true, reconfirmDays: 180 },
    notifications: { users: true, admins: true },
  });
  const previewWarnings = async (args: SelfServicePasswordResetArgs): Promise<string[]> => {
    const program = () => ({ people: new SelfServicePasswordReset("sspr", args).peopleEffects });
    const lookup = withGroupLookup(async ({ inputs }) => inputs, createEntraClient(lab.target));
    const call = pluginCallHandler(hosted.host, lookup);
    const preview = await runUnderMocks(program, { newResource: echoResource, call }, { preview: true });
    expect(preview.errors).toEqual([]);
    return (preview.outputs?.people as { warnings: string[] }).warnings;
  };

  // The plugin signs its lab tokens with the machine's clock, which the in-process emulator checks: no fake clock here.
  // These verdicts are for a day before 1 February 2027; after it the runbook's config is refused instead.
  const beforeSmsVoiceEnd = Date.now() < Date.UTC(2027, 1, 1);
  const it = beforeSmsVoiceEnd ? global.it : global.it.skip;

  it("the runbook (Email and Mobile phone, two required): on 1 February 2027 the users and administrators who lose reset, and the fixes", async () => {
    const warnings = await previewWarnings(runbook({ email: true, mobilePhone: true }));
    const calendar = warnings.find((warning) => warning.startsWith("Microsoft's calendar, counted"));
    expect(calendar).toBeDefined();
    expect(calendar).toContain("From 1 February 2027: Microsoft-provided SMS and voice calls end");
    expect(calendar).toMatch(
      /0 of 20 users and 1 of 3 administrators can reset; 16 users \(.*\) and 2 administrators \(.*\) lose it/,
    );
    expect(calendar).toContain("(methods.authenticatorApp: offer)");
    expect(calendar).toContain("must register by 31 January 2027");
  });

  it("with Microsoft Authenticator offered, it names only those who have not registered the app", async () => {
    const warnings = await previewWarnings(runbook({ email: true, mobilePhone: true, authenticatorApp: true }));
    const calendar = warnings.find((warning) => warning.startsWith("Microsoft's calendar, counted")) ?? "";
    expect(calendar).toMatch(/users? (has|have) not registered Mobile app \(Microsoft Authenticator\)/);
    expect(calendar).not.toContain("offer Mobile app (Microsoft Authenticator)");
  });

  it("with the tenant's own telephony provider, nobody loses reset on 1 February 2027", async () => {
    const warnings = await previewWarnings({
      ...runbook({ email: true, mobilePhone: true }),
      ownTelephonyProvider: true,
    });
    expect(warnings.join("\n")).not.toContain("1 February 2027");
  });
});
