/**
 * The entra-sspr provider plugin, started as the CLI's Node.js language host starts it (`run-plugin <folder>
 * <engine address>`) and driven over gRPC against the in-process emulator: its schema, and what it refuses. Each
 * object's lifecycle through it is in tests/provider/objects/lifecycle.test.ts, state the dynamic resources wrote
 * (with code in place of their providers, never run) in tests/provider/stateUpgrade.test.ts.
 */
import { ProviderHostError } from "../../engine/providerHost";
import { isWriteRequest } from "../../emulator/requestLog";
import { useEmulator } from "../support/emulator";
import { useProviderHost } from "../support/rehearsalHost";
import { loadFixture } from "../support/fixtures";

const lab = useEmulator({ seed: { passwordResetPolicies: loadFixture("portal-password-reset-policies.get.json") } });

// This worker's plugin process, started as the CLI starts it (tests/support/rehearsalHost.ts).
const hosted = useProviderHost();

const urnOf = (type: string, name: string): string => `urn:pulumi:dev::entra-sspr::entra-sspr:index:${type}::${name}`;
const policyUrn = urnOf("PasswordResetPolicy", "sspr-password-reset");

function policyInputs(): Record<string, unknown> {
  return { tenantId: "munyakazi.org", endpoints: lab.endpoints, enablement: "all", methodsRequired: 2 };
}

describe("GetSchema", () => {
  it("describes the component and the six tenant objects under entra-sspr:index tokens, with their inputs", async () => {
    const schema = await hosted.host.getSchema();
    expect(schema.name).toBe("entra-sspr");
    const resources = schema.resources as Record<string, { inputProperties: Record<string, unknown> }>;
    expect(Object.keys(resources).sort()).toEqual([
      "entra-sspr:index:AdministratorPasswordReset",
      "entra-sspr:index:AuthenticationMethodConfiguration",
      "entra-sspr:index:AuthenticationMethodsPolicy",
      "entra-sspr:index:PasswordResetPolicy",
      "entra-sspr:index:PilotGroupRelease",
      "entra-sspr:index:SelfServicePasswordReset",
      "entra-sspr:index:TenantOwnership",
    ]);
    const component = resources["entra-sspr:index:SelfServicePasswordReset"] as Record<string, unknown>;
    expect(component.isComponent).toBe(true);
    expect(component.properties).toHaveProperty("resetUrl");
    expect(component.properties).toHaveProperty("registrationUrl");
    expect(Object.keys(resources["entra-sspr:index:PasswordResetPolicy"].inputProperties)).toEqual(
      expect.arrayContaining(["tenantId", "endpoints", "onDelete", "enablement", "methodsRequired", "helpdesk"]),
    );
    expect(resources["entra-sspr:index:TenantOwnership"].inputProperties).not.toHaveProperty("onDelete");
  });
});

describe("the password reset policy through the plugin", () => {
  it("reports every invalid input at once, naming the setting, before any request", async () => {
    const checked = await hosted.host.check(
      policyUrn,
      {},
      { ...policyInputs(), enablement: "All", methodsRequired: 3 },
    );
    expect(checked.failures.map((failure) => failure.property).sort()).toEqual(["enablement", "methodsRequired"]);
    expect(lab.emulator.requests()).toEqual([]);
  });
});

describe("a type the plugin does not serve", () => {
  it("is refused by name", async () => {
    const urn = urnOf("Nonsense", "x");
    await expect(hosted.host.check(urn, {}, {})).rejects.toThrow(ProviderHostError);
    await expect(hosted.host.check(urn, {}, {})).rejects.toThrow(/unknown resource type "entra-sspr:index:Nonsense"/);
  });
});

describe("the functions the program invokes at preview", () => {
  it("are in the schema, and answer from the tenant, read-only", async () => {
    const schema = await hosted.host.getSchema();
    expect(Object.keys(schema.functions as Record<string, unknown>).sort()).toEqual([
      "entra-sspr:index:getLockoutFacts",
      "entra-sspr:index:getPeoplePreview",
      "entra-sspr:index:getReadinessSnapshot",
      "entra-sspr:index:getTakenOverPilotGroups",
    ]);
    const args = {
      tenantId: "munyakazi.org",
      endpoints: lab.endpoints,
      scope: "all",
      methodsRequired: 1,
      methods: { email: true },
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: true },
    };
    const asked = { tenantId: "munyakazi.org", endpoints: lab.endpoints, args };
    const people = await hosted.host.invoke("entra-sspr:index:getPeoplePreview", asked);
    expect(people).toEqual({ lines: expect.arrayContaining([expect.stringContaining("Email:")]), warnings: [] });
    const facts = await hosted.host.invoke("entra-sspr:index:getLockoutFacts", asked);
    expect(facts).toMatchObject({ methods: expect.arrayContaining([expect.objectContaining({ id: "Email" })]) });
    const takeover = await hosted.host.invoke("entra-sspr:index:getTakenOverPilotGroups", {
      tenantId: "munyakazi.org",
      endpoints: lab.endpoints,
      takeOverFrom: "someone/else/prod",
    });
    expect(takeover).toEqual({ lines: [] });
    expect(lab.emulator.requests().filter(isWriteRequest)).toEqual([]);
  });

  it("an unknown one is refused by name", async () => {
    await expect(hosted.host.invoke("entra-sspr:index:getNonsense", {})).rejects.toThrow(
      /unknown function "entra-sspr:index:getNonsense"/,
    );
  });
});
