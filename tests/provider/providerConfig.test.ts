/**
 * The provider's own configuration through the plugin, started as the CLI starts it: CheckConfig keeps only the
 * tenant and the endpoints (anything else is dropped, with a warning naming it), DiffConfig replaces on another
 * tenant and updates on other endpoints, and a Configure shaped as the CLI sends it (`args`, and `variables` keyed
 * `entra-sspr:config:<key>`: tests/engine/providerConfigure.test.ts) scopes the run to the stack's tenant.
 */
import { isWriteRequest } from "../../emulator/requestLog";
import { defaultProviderReference } from "../../engine/providerConfigure";
import { makeSecret } from "../../engine/propertyValues";
import { useEmulator } from "../support/emulator";
import { useProviderHost } from "../support/rehearsalHost";

const stackLab = useEmulator();
const otherLab = useEmulator();
const hosted = useProviderHost();
const urn = "urn:pulumi:dev::entra-sspr::pulumi:providers:entra-sspr::default";

describe("CheckConfig", () => {
  it("keeps the tenant and the endpoints as the engine sends them (objects as JSON text), secrets marked again", async () => {
    const news = { tenantId: makeSecret("munyakazi.org"), endpoints: JSON.stringify(stackLab.endpoints) };
    expect(await hosted.host.checkConfig(urn, {}, news)).toEqual({ inputs: news, failures: [] });
  });

  it("drops the SSPR settings at their old place and any other key, saying which (the program's own keys quietly), so none reach state", async () => {
    hosted.host.clearLogs();
    const checked = await hosted.host.checkConfig(
      urn,
      {},
      {
        tenantId: "munyakazi.org",
        sspr: JSON.stringify({ scope: "all", methodsRequired: 2 }),
        takeOverFrom: "organization/entra-sspr/pilot",
        monitoring: JSON.stringify({ enabled: true }),
        tenantID: "contoso.org",
      },
    );
    expect(checked).toEqual({ inputs: { tenantId: "munyakazi.org" }, failures: [] });
    // The plugin prints its warnings on stderr, a pipe apart from the gRPC answer: wait for both lines to arrive.
    const dropped = () =>
      hosted.host
        .logs()
        .map((line) => line.text)
        .filter((text) => text.includes("dropped from the provider's inputs"));
    for (let waited = 0; dropped().length < 2 && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const warnings = dropped();
    expect(warnings).toEqual([
      expect.stringContaining(
        "entra-sspr:sspr is the old place of the SSPR settings, not the provider's configuration: dropped from the " +
          "provider's inputs, so it is not stored in its state (move the settings to sspr:settings: npm run " +
          "migrate-stack -- --stack <name>)",
      ),
      expect.stringContaining(
        "entra-sspr:tenantID is not the provider's configuration (entra-sspr:tenantId, entra-sspr:endpoints)",
      ),
    ]);
    expect(warnings.join("\n")).not.toMatch(/takeOverFrom|monitoring/);
  });

  it("refuses a wrong tenant and wrong endpoints at once, naming the setting, the value and what is allowed", async () => {
    const checked = await hosted.host.checkConfig(
      urn,
      {},
      {
        tenantId: "MOS",
        endpoints: JSON.stringify({ graph: "http://graph.example.com", portal: stackLab.endpoints.portal, port: 1 }),
      },
    );
    expect(checked.failures).toEqual([
      {
        property: "tenantId",
        reason:
          'entra-sspr:tenantId: "MOS" is not allowed; expected the tenant id (a GUID) or a verified domain name ' +
          "such as munyakazi.org",
      },
      { property: "endpoints.graph", reason: expect.stringMatching(/^entra-sspr:endpoints\.graph: .*https/) },
      { property: "endpoints.port", reason: "entra-sspr:endpoints.port: unknown key; expected graph, portal" },
    ]);
  });
});

describe("DiffConfig", () => {
  const oldsOf = () => ({ tenantId: "munyakazi.org", endpoints: JSON.stringify(stackLab.endpoints) });

  it("a different tenant replaces the provider, and so every object it serves", async () => {
    const olds = oldsOf();
    const diff = await hosted.host.diffConfig(urn, olds, olds, { ...olds, tenantId: "contoso.com" });
    expect(diff).toMatchObject({ changes: true, kind: "some", replaces: ["tenantId"], diffs: ["tenantId"] });
  });

  it("other endpoints update it; the same tenant in other letters, or an old sspr key leaving, changes nothing", async () => {
    const olds = oldsOf();
    const moved = { ...olds, endpoints: JSON.stringify(otherLab.endpoints) };
    expect(await hosted.host.diffConfig(urn, olds, olds, moved)).toMatchObject({
      changes: true,
      diffs: ["endpoints"],
      replaces: [],
    });
    const oldState = { ...olds, sspr: '{"scope":"all"}' };
    const same = { ...olds, tenantId: "MUNYAKAZI.org" };
    expect(await hosted.host.diffConfig(urn, oldState, oldState, same)).toMatchObject({
      changes: false,
      kind: "none",
      replaces: [],
    });
  });
});

describe("Configure, as the CLI sends it", () => {
  const args = {
    tenantId: "munyakazi.org",
    scope: "all",
    methodsRequired: 1,
    methods: { email: true },
    registration: { requireOnSignIn: true, reconfirmDays: 180 },
    notifications: { users: true, admins: true },
  };
  const readFacts = (endpoints: { graph: string; portal: string }) =>
    hosted.host.invoke("entra-sspr:index:getLockoutFacts", {
      tenantId: "munyakazi.org",
      endpoints,
      args: { ...args, endpoints },
    });

  it("starts a new run of the stack's tenant only: another tenant's reads of the run stand", async () => {
    // variables keyed entra-sspr:config:<key> and args by plain name, objects as JSON text, as the CLI sends them.
    const configure = (endpoints: { graph: string; portal: string }) =>
      hosted.host.configureProvider(defaultProviderReference("entra-sspr"), {
        tenantId: "munyakazi.org",
        endpoints: JSON.stringify(endpoints),
      });
    await configure(stackLab.endpoints);
    await readFacts(stackLab.endpoints);
    await readFacts(otherLab.endpoints);
    const readsOf = () => [stackLab.emulator.requests().length, otherLab.emulator.requests().length];
    const first = readsOf();
    expect(first[0]).toBeGreaterThan(0);
    expect(first[1]).toBeGreaterThan(0);
    // Within the run, the same reads are shared.
    await readFacts(stackLab.endpoints);
    await readFacts(otherLab.endpoints);
    expect(readsOf()).toEqual(first);
    // A new deployment of the stack (its tenant at its endpoints) reads its tenant again, and only it.
    await configure(stackLab.endpoints);
    await readFacts(stackLab.endpoints);
    await readFacts(otherLab.endpoints);
    const second = readsOf();
    expect(second[0]).toBeGreaterThan(first[0]);
    expect(second[1]).toBe(first[1]);
    expect([...stackLab.emulator.requests(), ...otherLab.emulator.requests()].filter(isWriteRequest)).toEqual([]);
  });
});
