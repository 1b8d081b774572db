import { secureValuePaths, stackConfigFromDocument, withEmulatorEndpoints } from "../../../scripts/stack/stackConfig";

describe("stack config", () => {
  it("finds secrets anywhere in a stack file and namespaces bare keys", () => {
    expect(secureValuePaths({ a: [{ secure: "v1:x" }], b: { secure: "v1:y" }, c: 1 }, "p:k")).toEqual([
      "p:k.a[0]",
      "p:k.b",
    ]);
    const { config, problems } = stackConfigFromDocument(
      { config: { tenantId: "munyakazi.org", "azuread:tenantId": "x", helpdesk: { secure: "v1:z" } } },
      "Pulumi.x.yaml",
    );
    expect(config).toMatchObject({ "entra-sspr:tenantId": "munyakazi.org", "azuread:tenantId": "x" });
    expect(problems).toEqual([expect.stringMatching(/^entra-sspr:helpdesk: a secret/)]);
    expect(stackConfigFromDocument(["no"], "Pulumi.x.yaml").problems).toEqual([
      'Pulumi.x.yaml: expected a YAML mapping with a "config:" key, found object',
    ]);
  });

  it("always points the endpoints at the emulator, whatever the stack said", () => {
    expect(
      withEmulatorEndpoints(
        { "entra-sspr:endpoints": { graph: "https://graph.microsoft.com", portal: "https://x" }, k: "v" },
        "http://127.0.0.1:9/",
      ),
    ).toEqual({ "entra-sspr:endpoints": { graph: "http://127.0.0.1:9", portal: "http://127.0.0.1:9/api" }, k: "v" });
  });
});
