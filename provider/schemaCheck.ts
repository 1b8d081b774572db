/**
 * A value checked against the package schema (`schema.ts`) as a Pulumi YAML program or a generated SDK sees it:
 * kinds, named enum types, required members and unknown keys. Read as Pulumi reads a schema
 * (pulumi/pulumi's pkg/codegen/schema/schema.go): a closed set only as a named type of `types` (`ComplexTypeSpec` with
 * `enum`), never an `enum` on a property (`PropertySpec` has no such field). Every problem at once, one line each.
 */
import { entraSchema } from "./schema";
import { typeToken } from "../lib/resourceTypes";
import { isRecord } from "../lib/predicates";

type Spec = Record<string, unknown>;

const types = entraSchema.types as Record<string, Spec>;

/** Every way `value` departs from `spec`, each line starting with `at` (a key path). */
export function schemaValueProblems(spec: Spec, value: unknown, at: string): string[] {
  if (typeof spec.$ref === "string") {
    if (spec.$ref === "pulumi.json#/Any") return [];
    const name = spec.$ref.replace("#/types/", "");
    const referenced = types[name];
    if (referenced === undefined) return [`${at}: the schema has no type ${name}`];
    if (Array.isArray(referenced.enum)) {
      const allowed = (referenced.enum as { value: unknown }[]).map((member) => member.value);
      if (allowed.includes(value)) return [];
      const shortName = name.split(":").pop() ?? name;
      return [
        `${at}: ${JSON.stringify(value)} is not allowed; expected one of ${allowed.map((v) => JSON.stringify(v)).join(", ")} ` +
          `(the schema's ${shortName})`,
      ];
    }
    return schemaValueProblems(referenced, value, at);
  }
  switch (spec.type) {
    case "string":
      return typeof value === "string" ? [] : [`${at}: ${JSON.stringify(value)} is not allowed; expected a string`];
    case "boolean":
      return typeof value === "boolean"
        ? []
        : [`${at}: ${JSON.stringify(value)} is not allowed; expected true or false`];
    case "integer":
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)} is not allowed; expected an integer`];
    case "array":
      return Array.isArray(value)
        ? value.flatMap((item, index) => schemaValueProblems(spec.items as Spec, item, `${at}[${index}]`))
        : [`${at}: ${JSON.stringify(value)} is not allowed; expected a list`];
    case "object":
      return objectProblems(spec, value, at);
    default:
      return [`${at}: the schema gives no kind for it`];
  }
}

/** An object's members against `spec` (`properties`/`required`, or a resource's `inputProperties`/`requiredInputs`). */
export function objectProblems(
  spec: Spec,
  value: unknown,
  at: string,
  propertiesKey = "properties",
  requiredKey = "required",
): string[] {
  if (!isRecord(value)) return [`${at}: ${JSON.stringify(value)} is not allowed; expected a mapping`];
  const properties = spec[propertiesKey] as Record<string, Spec> | undefined;
  if (properties === undefined) return [];
  const required = (spec[requiredKey] as string[] | undefined) ?? [];
  const known = Object.keys(properties);
  return [
    ...required
      .filter((key) => !Object.hasOwn(value, key))
      .map((key) => `${at}.${key}: missing; the schema requires it`),
    ...Object.entries(value).flatMap(([key, inner]) =>
      Object.hasOwn(properties, key)
        ? schemaValueProblems(properties[key], inner, `${at}.${key}`)
        : [`${at}.${key}: unknown property; expected one of ${known.join(", ")}`],
    ),
  ];
}

/** The component's type token, as a program names it. */
export const componentToken = typeToken("SelfServicePasswordReset");

/** The properties of a `SelfServicePasswordReset` in a program, against the schema's component. */
export function componentPropertyProblems(properties: unknown, at: string): string[] {
  const component = (entraSchema.resources as Record<string, Spec>)[componentToken];
  return objectProblems(component, properties, at, "inputProperties", "requiredInputs");
}
