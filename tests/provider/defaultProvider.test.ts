/**
 * The default provider as the engine registers it (pkg/resource/deploy/default_providers.go: every stack config key
 * of the package's namespace, checked by CheckConfig, becomes its inputs, stored in state), after `up` of the runbook
 * (index.ts and Pulumi.dev.yaml) through the rehearsal engine, the plugin and the emulator: its inputs are the
 * tenant and the endpoints only, never an SSPR setting, and a settings change steps no provider. A stack file with
 * the settings at their old place (`entra-sspr:sspr`, which the engine hands the provider too) records the same.
 */
import { runbookConfig } from "../../scripts/bench/stacks";
import { emulatorStack } from "../../scripts/stack/emulatorStack";
import { useEmulator } from "../support/emulator";
import { useProviderHost } from "../support/rehearsalHost";

const hosted = useProviderHost();
const fixture = useEmulator();
const providerUrn = "urn:pulumi:dev::entra-sspr::pulumi:providers:entra-sspr::default";
const settingWords = /methodsRequired|registration|notifications|scope|onDestroy/;

it("records the default provider with the tenant and endpoints only; methodsRequired changes no provider", async () => {
  const stack = emulatorStack({ host: hosted.host, emulatorUrl: fixture.emulator.url });
  const config = runbookConfig();
  const first = await stack.up(config);
  expect(first.providerStep.op).toBe("create");
  const provider = first.state[providerUrn];
  expect(provider).toMatchObject({ type: "pulumi:providers:entra-sspr", name: "default", custom: true });
  expect(Object.keys(provider.inputs).sort()).toEqual(["endpoints", "tenantId"]);
  expect(provider.outputs).toEqual(provider.inputs);
  expect(JSON.stringify(provider)).not.toMatch(settingWords);
  // Every tenant object names it as its provider, as the engine records the reference.
  const objects = Object.values(first.state).filter(
    (entry) => entry.type.startsWith("entra-sspr:index:") && entry.custom,
  );
  expect(objects.length).toBeGreaterThan(0);
  for (const entry of objects) expect(entry.provider).toBe(`${providerUrn}::${provider.id}`);

  const settings = config["sspr:settings"] as Record<string, unknown>;
  const changed = { ...config, "sspr:settings": { ...settings, methodsRequired: 1 } };
  const second = await stack.up(changed, first.state);
  expect(second.providerStep.op).toBe("same");
  expect(second.state[providerUrn]).toEqual(provider);
  expect(second.steps.filter((step) => step.op === "update").map((step) => step.type)).toEqual([
    "entra-sspr:index:PasswordResetPolicy",
  ]);

  // The settings at their old place reach the provider's CheckConfig too, which drops them: the same provider.
  const { "sspr:settings": moved, ...rest } = changed;
  const old = await stack.up({ ...rest, "entra-sspr:sspr": moved }, second.state);
  expect(old.providerStep.op).toBe("same");
  expect(old.state[providerUrn]).toEqual(provider);
  expect(old.steps.map((step) => step.op)).toEqual(old.steps.map(() => "same"));

  const destroyed = await stack.destroy(changed, old.state);
  expect(destroyed.state).toEqual({});
  expect(destroyed.steps.map((step) => step.type)).not.toContain("pulumi:providers:entra-sspr");
});
