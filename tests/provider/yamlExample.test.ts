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
import { runbookArgs } from "../support/runbook";

type Spec = Record<string, unknown>;

const repositoryRoot = path.resolve(__dirname, "../..");
const examplePath = path.join(repositoryRoot, "examples/runbook-yaml/Pulumi.yaml");

/**
 * Every way `value` departs from the schema `spec` (types, enums, required members, unknown keys), read as Pulumi
 * reads a schema (pkg/codegen/schema/schema.go): a closed set only as a named type of `types` (`ComplexTypeSpec`
 * with `enum`), never an `enum` on a property (`PropertySpec` has no such field, so it is not seen).
 */
function schemaProblems(spec: Spec, value: unknown, at: string, namedType = false): string[] {
  if (typeof spec.$ref === "string") {
    if (spec.$ref === "pulumi.json#/Any") return [];
    const name = spec.$ref.replace("#/types/", "");
    const referenced = (entraSchema.types as Record<string, Spec>)[name];
    return referenced === undefined ? [`${at}: unknown type ${name}`] : schemaProblems(referenced, value, at, true);
  }
  if (namedType && Array.isArray(spec.enum)) {
    const allowed = (spec.enum as { value: unknown }[]).map((member) => member.value);
    return allowed.includes(value) ? [] : [`${at}: ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`];
  }
  switch (spec.type) {
    case "string":
      return typeof value === "string" ? [] : [`${at}: expected a string`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: expected a boolean`];
    case "integer":
      return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
    case "array":
      return Array.isArray(value)
        ? value.flatMap((item, index) => schemaProblems(spec.items as Spec, item, `${at}[${index}]`))
        : [`${at}: expected a list`];
    case "object":
      return objectProblems(spec, value, at);
    default:
      return [`${at}: the schema has no kind for it`];
  }
}

function objectProblems(
  spec: Spec,
  value: unknown,
  at: string,
  propertiesKey = "properties",
  requiredKey = "required",
) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: expected an object`];
  const properties = spec[propertiesKey] as Record<string, Spec> | undefined;
  if (properties === undefined) return [];
  const required = (spec[requiredKey] as string[] | undefined) ?? [];
  return [
    ...required.filter((key) => !(key in value)).map((key) => `${at}.${key}: required`),
    ...Object.entries(value).flatMap(([key, inner]) =>
      properties[key] === undefined
        ? [`${at}.${key}: not in the schema`]
        : schemaProblems(properties[key], inner, `${at}.${key}`),
    ),
  ];
}

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
  const component = entraSchema.resources["entra-sspr:index:SelfServicePasswordReset"] as Spec;

  it("takes the package from this repository's provider plugin", () => {
    const pluginFolder = path.resolve(path.dirname(examplePath), program.packages["entra-sspr"]);
    expect(fs.readFileSync(path.join(pluginFolder, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  });

  it("declares the component with properties the schema describes", () => {
    const { type, properties } = program.resources.sspr;
    expect(type).toBe("entra-sspr:index:SelfServicePasswordReset");
    expect(objectProblems(component, properties, "sspr", "inputProperties", "requiredInputs")).toEqual([]);
  });

  it("is exactly the TypeScript stack's runbook, with no problem from the shared rules", () => {
    const { args, problems } = translateComponentArgs(program.resources.sspr.properties);
    expect(problems).toEqual([]);
    expect(componentArgsProblems(args)).toEqual([]);
    expect(args).toEqual(runbookArgs);
  });

  it("refuses scope: everyone by the schema alone, naming the allowed values", () => {
    const broken = { ...program.resources.sspr.properties, scope: "everyone" };
    expect(objectProblems(component, broken, "sspr", "inputProperties", "requiredInputs")).toEqual([
      'sspr.scope: "everyone" is not one of none, selected, all',
    ]);
  });

  it("catches a property the schema does not describe (the check can fail)", () => {
    const broken = { ...program.resources.sspr.properties, methods: { email: "yes" }, scopes: "all" };
    expect(objectProblems(component, broken, "sspr", "inputProperties", "requiredInputs")).toEqual([
      'sspr.methods.email: "yes" is not one of offer, leave, disable',
      "sspr.scopes: not in the schema",
    ]);
  });
});
