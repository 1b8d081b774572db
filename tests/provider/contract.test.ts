/**
 * One contract: the component's inputs are declared by the config's schema (`components/config.ts`,
 * `componentArgsSchema`, from which the TypeScript types follow), and the provider schema every other language reads
 * (`provider/schema.ts`) must offer exactly the same keys, level by level. The schema's few one-object forms of
 * TypeScript unions are translated by `provider/componentArgs.ts`; their extra members are named here, once.
 */
import { z } from "zod";
import { componentArgsSchema } from "../../components/config";
import { entraSchema } from "../../provider/schema";
import { typeToken } from "../../lib/resourceTypes";

type Spec = Record<string, unknown>;

/** Members only the schema's one-object forms have (componentArgs.ts translates them). */
const schemaOnly: Record<string, string[]> = { "methods.securityQuestions": ["enabled"] };

function zodObjects(schema: z.ZodTypeAny): z.AnyZodObject[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return zodObjects(schema.unwrap());
  if (schema instanceof z.ZodEffects) return zodObjects(schema.innerType());
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodTypeAny[]).flatMap(zodObjects);
  if (schema instanceof z.ZodArray) return zodObjects(schema.element);
  return schema instanceof z.ZodObject ? [schema] : [];
}

/** The keys at each path of the zod declaration, objects of a union merged. */
function zodKeys(schema: z.ZodTypeAny, at = ""): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const objects = zodObjects(schema);
  if (objects.length === 0) return found;
  const shape: Record<string, z.ZodTypeAny> = Object.assign({}, ...objects.map((object) => object.shape));
  found.set(at, Object.keys(shape).sort());
  for (const [key, inner] of Object.entries(shape))
    for (const [path, keys] of zodKeys(inner, at === "" ? key : `${at}.${key}`)) found.set(path, keys);
  return found;
}

function resolve(spec: Spec): Spec {
  const ref = spec.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/types/")) return spec;
  return (entraSchema.types as Record<string, Spec>)[ref.slice("#/types/".length)];
}

/** The keys at each path of the provider schema's component inputs, refs followed. */
function schemaKeys(properties: Record<string, Spec>, at = ""): Map<string, string[]> {
  const found = new Map<string, string[]>([[at, Object.keys(properties).sort()]]);
  for (const [key, raw] of Object.entries(properties)) {
    let spec = resolve(raw);
    if (spec.type === "array" && typeof spec.items === "object") spec = resolve(spec.items as Spec);
    if (spec.type === "object" && typeof spec.properties === "object")
      for (const [path, keys] of schemaKeys(spec.properties as Record<string, Spec>, at === "" ? key : `${at}.${key}`))
        found.set(path, keys);
  }
  return found;
}

it("the provider schema offers exactly the component's declared inputs, key by key at every level", () => {
  const component = (entraSchema.resources as Record<string, Spec>)[typeToken("SelfServicePasswordReset")];
  const declared = zodKeys(componentArgsSchema);
  const offered = schemaKeys(component.inputProperties as Record<string, Spec>);
  for (const [path, extra] of Object.entries(schemaOnly))
    offered.set(
      path,
      (offered.get(path) ?? []).filter((key) => !extra.includes(key)),
    );
  expect(Object.fromEntries([...offered].sort())).toEqual(Object.fromEntries([...declared].sort()));
});
