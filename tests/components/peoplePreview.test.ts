/**
 * A preview reads the tenant's methods policy once: the people lines (`peoplePreview.ts`) and the lockout guards
 * (`lockoutFacts.ts`) share one read, counted in the emulator's request log. The program asks the provider plugin
 * for both (the package's functions), as the CLI routes its invokes: program -> engine -> plugin -> HTTP -> emulator.
 */
import { pluginCallHandler } from "../../engine/engine";
import { echoResource, runUnderMocks } from "../../engine/mockRun";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { SelfServicePasswordReset } from "../../components/selfServicePasswordReset";
import { previewPeopleEffects } from "../../components/peoplePreview";
import { readLockoutFacts } from "../../provider/reader/lockoutFacts";
import { createEntraClient } from "../../provider/http/client";
import { readTenantObject } from "../../provider/reader/tenantReader";
import { withGroupLookup } from "../../scripts/rehearse/emulatorGroupLookup";
import { useEmulator } from "../support/emulator";
import { useProviderHost } from "../support/rehearsalHost";

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
    warnings: [expect.stringContaining("SMS is usable for sign-in for All users")],
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
