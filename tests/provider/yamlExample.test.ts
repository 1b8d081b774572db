/**
 * The Pulumi YAML runbook (`examples/runbook-yaml/Pulumi.yaml`) against the plugin's schema: every property is one
 * the schema describes, of the kind it says, with the required ones present, and the whole translates to exactly
 * the runbook the TypeScript stack holds, with no problem from the shared rules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { componentArgsProblems } from "../../components/config";
import { translateComponentArgs } from "../../provider/componentArgs";
import { entraSchema } from "../../provider/schema";
import { componentPropertyProblems } from "../../provider/schemaCheck";
import { runbookArgs } from "../support/runbook";

type Spec = Record<string, unknown>;

const repositoryRoot = path.resolve(__dirname, "../..");
const examplePath = path.join(repositoryRoot, "examples/runbook-yaml/Pulumi.yaml");

describe("the package schema's closed sets", () => {
  /** Where an `enum` appears in `value`, as paths from the schema's root. */
  function enumPaths(value: unknown, at: string): string[] {
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([key, inner]) => (key === "enum" ? [at] : enumPaths(inner, `${at}/${key}`)));
  }

  it("are named types of `types`, each with its values, and no property carries an inline enum", () => {
    const types = entraSchema.types as Record<string, Spec>;
    const named = Object.keys(types).filter((name) => Array.isArray(types[name].enum));
    expect(named.sort()).toEqual(
      [
        "Enablement",
        "FeatureState",
        "IncludeTargetsMode",
        "MethodChoice",
        "MethodState",
        "MigrationState",
        "MigrationTarget",
        "OnDelete",
        "OnDestroy",
      ].map((name) => `entra-sspr:index:${name}`),
    );
    for (const name of named) expect(types[name].type).toBe("string");
    // Only a type's own `enum` key: nothing under `resources`, `functions`, `config`, `provider` or a type's properties.
    expect(enumPaths(entraSchema, "#").sort()).toEqual(named.map((name) => `#/types/${name}`));
  });

  it("declares the provider's own config, and none of the SSPR settings", () => {
    const variables = (entraSchema.config as { variables: Record<string, unknown> }).variables;
    expect(Object.keys(variables).sort()).toEqual(["endpoints", "tenantId"]);
    expect(Object.keys(entraSchema.provider.inputProperties).sort()).toEqual(["endpoints", "tenantId"]);
  });
});

describe("the Pulumi YAML runbook", () => {
  const program = yaml.load(fs.readFileSync(examplePath, "utf8")) as {
    packages: Record<string, string>;
    resources: Record<string, { type: string; properties: Record<string, unknown> }>;
  };

  it("takes the package from this repository's provider plugin", () => {
    const pluginFolder = path.resolve(path.dirname(examplePath), program.packages["entra-sspr"]);
    expect(fs.readFileSync(path.join(pluginFolder, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  });

  it("declares the component with properties the schema describes", () => {
    const { type, properties } = program.resources.sspr;
    expect(type).toBe("entra-sspr:index:SelfServicePasswordReset");
    expect(componentPropertyProblems({ ...properties, tenantId: "munyakazi.org" }, "sspr")).toEqual([]);
  });

  it("is exactly the TypeScript stack's runbook, with no problem from the shared rules", () => {
    const { args, problems } = translateComponentArgs({
      ...program.resources.sspr.properties,
      tenantId: "munyakazi.org",
    });
    expect(problems).toEqual([]);
    expect(componentArgsProblems(args)).toEqual([]);
    expect(args).toEqual(runbookArgs);
  });

  it("refuses scope: everyone by the schema alone, naming the allowed values", () => {
    const broken = { ...program.resources.sspr.properties, tenantId: "munyakazi.org", scope: "everyone" };
    expect(componentPropertyProblems(broken, "sspr")).toEqual([
      'sspr.scope: "everyone" is not allowed; expected one of "none", "selected", "all" (the schema\'s Enablement)',
    ]);
  });

  it("catches a property the schema does not describe (the check can fail)", () => {
    const broken = {
      ...program.resources.sspr.properties,
      tenantId: "x.org",
      methods: { email: "yes" },
      scopes: "all",
    };
    expect(componentPropertyProblems(broken, "sspr")).toEqual([
      'sspr.methods.email: "yes" is not allowed; expected one of "offer", "leave", "disable" (the schema\'s MethodChoice)',
      expect.stringMatching(
        /^sspr\.scopes: unknown property; expected one of tenantId, endpoints, takeOverFrom, scope, /,
      ),
    ]);
  });
});
