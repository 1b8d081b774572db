import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openStack, secureValuePaths, stackConfigFromDocument } from "../../components/openStack";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-open-stack-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (stack: string, text: string): string => {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(file, text);
  return file;
};

const runbook = [
  "config:",
  "  entra-sspr:tenantId: contoso.onmicrosoft.com",
  "  sspr:settings:",
  "    scope: all",
  "    methodsRequired: 1",
  "    methods: { email: true }",
  "    registration: { requireOnSignIn: true, reconfirmDays: 180 }",
  "    notifications: { users: true, admins: true }",
];

describe("openStack", () => {
  it("opens a valid stack by name, with its args, and tells a real tenant from a lab", () => {
    write("real", runbook.join("\n"));
    const real = openStack({ stack: "real", stackDir: dir });
    expect(real.problems).toEqual([]);
    expect(real).toMatchObject({ stack: "real", file: path.join(dir, "Pulumi.real.yaml"), lab: false });
    expect(real.args?.tenantId).toBe("contoso.onmicrosoft.com");
    expect(real.endpoints.graph).toBe("https://graph.microsoft.com");

    const labEndpoints = "  entra-sspr:endpoints: { graph: http://127.0.0.1:8640, portal: http://127.0.0.1:8640/api }";
    const labFile = write("lab", [...runbook, labEndpoints].join("\n"));
    const lab = openStack({ stackFile: labFile });
    expect(lab).toMatchObject({ stack: "lab", lab: true, problems: [] });
    expect(lab.endpoints).toEqual({ graph: "http://127.0.0.1:8640", portal: "http://127.0.0.1:8640/api" });
  });

  it("reads the settings at their old place (entra-sspr:sspr) as before, with one warning line, said once", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const oldFile = write("old", runbook.map((line) => line.replace("sspr:settings", "entra-sspr:sspr")).join("\n"));
      const old = openStack({ stackFile: oldFile });
      openStack({ stackFile: oldFile });
      const current = openStack({ stackFile: write("current", runbook.join("\n")) });
      expect(old.problems).toEqual([]);
      expect(old.args).toEqual(current.args);
      const warning =
        "entra-sspr:sspr is the old place of the SSPR settings: run npm run migrate-stack -- --stack old to move them " +
        "to sspr:settings (the old place is also handed to the provider plugin, which drops it)";
      expect(old.warnings).toEqual([warning]);
      expect(current.warnings).toEqual([]);
      expect(warn.mock.calls).toEqual([[`warning: ${warning}`]]);
    } finally {
      warn.mockRestore();
    }
  });

  it("refuses the settings at both places, naming both keys, and names the old key in the settings' problems", () => {
    const both = write("both", [...runbook, "  entra-sspr:sspr: { scope: all }"].join("\n"));
    expect(openStack({ stackFile: both, quiet: true }).problems).toEqual([
      "entra-sspr:sspr and sspr:settings: the SSPR settings are given at both places; keep them at sspr:settings " +
        "only (entra-sspr:sspr is the old place) and remove entra-sspr:sspr",
    ]);
    const oldBad = runbook.map((line) => line.replace("sspr:settings", "entra-sspr:sspr").replace("1", "3"));
    expect(openStack({ stackFile: write("oldbad", oldBad.join("\n")), quiet: true }).problems).toEqual([
      "entra-sspr:sspr.methodsRequired: 3 is not allowed; expected 1 or 2",
    ]);
  });

  it("is not a lab when only one endpoint is on loopback (a token would reach the other)", () => {
    const file = write(
      "half",
      [...runbook, "  entra-sspr:endpoints: { graph: http://127.0.0.1:8640, portal: https://example.com/api }"].join(
        "\n",
      ),
    );
    expect(openStack({ stackFile: file }).lab).toBe(false);
  });

  it("reports every config problem at once, naming the setting and the value, without reading anything else", () => {
    const file = write(
      "bad",
      ["config:", "  entra-sspr:tenantId: contoso.onmicrosoft.com", "  sspr:settings:", "    methodsRequired: 7"].join(
        "\n",
      ),
    );
    const opened = openStack({ stackFile: file });
    expect(opened.args).toBeUndefined();
    expect(opened.problems.length).toBeGreaterThan(1);
    expect(opened.problems.join("\n")).toContain("methodsRequired");
    expect(opened.problems.join("\n")).toContain("7");
  });

  it("gives a YAML error with its line and column as the only problem", () => {
    const lines = [
      "config:",
      "  entra-sspr:tenantId: x",
      "  sspr:settings:",
      "    scope: all",
      "   methodsRequired: 2",
    ];
    const file = write("broken", lines.join("\n"));
    expect(openStack({ stackFile: file }).problems).toEqual([
      expect.stringMatching(/Pulumi\.broken\.yaml:5:4: YAML syntax error: .* \(line 5: " {3}methodsRequired: 2"\)$/),
    ]);
  });

  it("names a missing file and a missing --stack", () => {
    expect(openStack({ stack: "nosuch", stackDir: dir }).problems).toEqual([
      expect.stringMatching(/Pulumi\.nosuch\.yaml: cannot read the stack file/),
    ]);
    expect(openStack({}).problems).toEqual(["--stack <name> is required (reads Pulumi.<name>.yaml)"]);
  });

  it("reports a secret once, not again as whatever the config rules make of the encrypted value", () => {
    const file = write("secret", ["config:", "  entra-sspr:tenantId:", "    secure: v1:abc"].join("\n"));
    const problems = openStack({ stackFile: file }).problems;
    expect(problems.filter((problem) => problem.startsWith("entra-sspr:tenantId"))).toEqual([
      expect.stringMatching(/^entra-sspr:tenantId: a secret \("secure:"\)/),
    ]);
  });
});

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
});
