/**
 * The component for every language: the provider plugin constructs `entra-sspr:index:SelfServicePasswordReset` over
 * gRPC, as the engine asks it to when a Pulumi YAML, Python, Go or C# program declares the component. Its children
 * are registered at a resource monitor the test serves (`engine/resourceMonitor.ts`), as the CLI's would be.
 */
import { startProviderPlugin, type ProviderHost, ProviderHostError } from "../../engine/providerHost";
import { startResourceMonitor, type ResourceMonitorServer } from "../../engine/resourceMonitor";
import { runbookTenantId } from "../support/runbook";

let monitor: ResourceMonitorServer;
let plugin: ProviderHost;

beforeAll(async () => {
  monitor = await startResourceMonitor({ project: "entra-sspr", stack: "dev" });
  plugin = await startProviderPlugin({ engineAddress: monitor.address, startTimeoutMs: 90_000 });
});
afterAll(async () => {
  await plugin?.stop();
  await monitor?.stop();
});

/** The runbook (`Pulumi.dev.yaml`) in the schema's words, as a Pulumi YAML program writes it. */
const runbookInSchemaWords = {
  tenantId: runbookTenantId,
  scope: "all",
  methodsRequired: 2,
  methods: {
    email: "offer",
    mobilePhone: "offer",
    officePhone: "leave",
    authenticatorApp: "leave",
    securityQuestions: { enabled: false },
  },
  registration: { requireOnSignIn: true, reconfirmDays: 180 },
  notifications: { users: true, admins: true },
  onDestroy: "restore",
};

function construct(inputs: Record<string, unknown>, name = "sspr") {
  return plugin.construct({
    type: "entra-sspr:index:SelfServicePasswordReset",
    name,
    inputs,
    monitorEndpoint: monitor.address,
    project: "entra-sspr",
    stack: "dev",
  });
}

describe("Construct of the component", () => {
  it("registers the runbook's children under the component and returns the reset and registration URLs", async () => {
    const result = await construct(runbookInSchemaWords);
    expect(result.urn).toBe("urn:pulumi:dev::entra-sspr::entra-sspr:index:SelfServicePasswordReset::sspr");
    expect(result.state).toMatchObject({
      resetUrl: "https://aka.ms/sspr",
      registrationUrl: "https://aka.ms/mysecurityinfo",
    });
    const children = monitor.registrations.filter((registration) => registration.parent === result.urn);
    const byName = Object.fromEntries(children.map((child) => [child.name, child]));
    expect(byName["sspr-ownership"].type).toBe("entra-sspr:index:TenantOwnership");
    expect(byName["sspr-password-reset-policy"].inputs).toMatchObject({
      tenantId: runbookTenantId,
      enablement: "all",
      methodsRequired: 2,
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: true },
    });
    // Email and mobile phone offered (SMS and voice); office phone and Authenticator left as the tenant has them.
    const methods = children
      .filter((child) => child.type.endsWith("AuthenticationMethodConfiguration"))
      .map((child) => child.inputs.methodId)
      .sort();
    expect(methods).toEqual(["Email", "Sms", "Voice"]);
  });

  it("reports every invalid argument at once, in the schema's words, and registers nothing", async () => {
    const before = monitor.registrations.length;
    const attempt = construct(
      {
        ...runbookInSchemaWords,
        scope: "All",
        methods: { ...runbookInSchemaWords.methods, email: true, mobilePhone: "maybe" },
        helpdesk: "ftp://example.org",
      },
      "broken",
    );
    await expect(attempt).rejects.toThrow(ProviderHostError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toMatch(/methods\.email: true is not allowed; expected "offer"/);
    expect(message).toMatch(/methods\.mobilePhone: "maybe" is not allowed/);
    expect(message).toMatch(/scope/);
    expect(message).toMatch(/helpdesk/);
    expect(monitor.registrations.length).toBe(before);
  });
});
