/**
 * The entra-sspr provider plugin, started as the CLI's Node.js language host starts it (`run-plugin <folder>
 * <engine address>`) and driven over gRPC against the in-process emulator: its schema, one object's whole
 * lifecycle, old dynamic-resource state, and that nothing in the properties is ever run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ProviderHostError } from "../../engine/providerHost";
import { useEmulator } from "../support/emulator";
import { useProviderHost } from "../support/rehearsalHost";
import { loadFixture } from "../support/fixtures";
import { isWriteRequest } from "../../emulator/requestLog";

const lab = useEmulator({ seed: { passwordResetPolicies: loadFixture("portal-password-reset-policies.get.json") } });

// This worker's plugin process, started as the CLI starts it (tests/support/rehearsalHost.ts).
const hosted = useProviderHost();

const urnOf = (type: string, name: string): string => `urn:pulumi:dev::entra-sspr::entra-sspr:index:${type}::${name}`;
const policyUrn = urnOf("PasswordResetPolicy", "sspr-password-reset");

function policyInputs(): Record<string, unknown> {
  return { tenantId: "munyakazi.org", endpoints: lab.endpoints, enablement: "all", methodsRequired: 2 };
}

const portalWrites = (): string[] =>
  lab.emulator
    .requests()
    .filter(isWriteRequest)
    .map((entry) => `${entry.method} ${entry.path}`);

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
  it("adopts, refreshes without drift, diffs nothing, and restores the tenant on delete", async () => {
    const before = lab.emulator.state().passwordResetPolicies;
    const checked = await hosted.host.check(policyUrn, {}, policyInputs());
    expect(checked.failures).toEqual([]);
    const created = await hosted.host.create(policyUrn, checked.inputs);
    expect(created.id).toBe("munyakazi.org/passwordResetPolicies/default");
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({
      enablementType: 2,
      numberOfAuthenticationMethodsRequired: 2,
    });
    expect(created.properties).not.toHaveProperty("__provider");

    const read = await hosted.host.read(policyUrn, created.id, created.properties);
    const diff = await hosted.host.diff(policyUrn, created.id, read.properties, checked.inputs);
    expect(diff.changes).toBe(false);

    await hosted.host.delete(policyUrn, created.id, read.properties);
    expect(lab.emulator.state().passwordResetPolicies).toEqual(before);
  });

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

describe("state the dynamic resources wrote", () => {
  it("updates in place (never a replace) without a tenant write, and the code string is never run", async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-plugin-")), "ran");
    // What an edited state could hold: code that would leave a file behind if anything ran it.
    const hostile = `exports.handler = (() => { require("fs").writeFileSync(${JSON.stringify(marker)}, "x"); })();`;
    const checked = await hosted.host.check(policyUrn, {}, policyInputs());
    const created = await hosted.host.create(policyUrn, checked.inputs);
    const oldState = { ...created.properties, __provider: hostile };
    lab.emulator.clearRequests();

    const diff = await hosted.host.diff(policyUrn, created.id, oldState, checked.inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await hosted.host.update(policyUrn, created.id, oldState, checked.inputs);
    expect(updated.properties).not.toHaveProperty("__provider");
    expect(portalWrites()).toEqual([]);

    await hosted.host.read(policyUrn, created.id, oldState);
    await hosted.host.delete(policyUrn, created.id, oldState);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe("a type the plugin does not serve", () => {
  it("is refused by name", async () => {
    const urn = urnOf("Nonsense", "x");
    await expect(hosted.host.check(urn, {}, {})).rejects.toThrow(ProviderHostError);
    await expect(hosted.host.check(urn, {}, {})).rejects.toThrow(/unknown resource type "entra-sspr:index:Nonsense"/);
  });
});
