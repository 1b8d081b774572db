/**
 * A Pulumi YAML program as a stack's source (`examples/runbook-yaml/`). When the stack file's project (`Pulumi.yaml`
 * beside it) has `runtime: yaml`, the component's properties come from the program's one
 * `entra-sspr:index:SelfServicePasswordReset` resource: checked against the package schema (`provider/schemaCheck.ts`,
 * so `scope: everyone` is refused by the schema's Enablement, naming its values), translated from the schema's
 * shapes (`provider/componentArgs.ts`) and handed on as the stack config the TypeScript program reads. `openStack`
 * does this for every command, so each gives the same checks and the same output for both programs.
 *
 * `${...}` in a property is resolved as Pulumi YAML does (pulumi/pulumi-yaml's pkg/pulumiyaml/run.go,
 * `registerConfig`: a key of the program's `config:` is read with `config.Try`, a bare key in the project's
 * namespace, or else its `default`): from the stack file's config, `pulumi.stack`/`pulumi.project`, and the
 * program's `variables:` written as plain values. Anything known only when Pulumi runs the program (a resource's
 * output, an `fn::` call) is refused with the property it is in.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type { ConfigMap } from "./config";
import { configNamespace, legacySettingsKey, settingsKey } from "./configProblems";
import { translateComponentArgs } from "../provider/componentArgs";
import { componentPropertyProblems, componentToken } from "../provider/schemaCheck";
import { isRecord } from "../lib/predicates";

/** The stack-config key the TypeScript program reads the SSPR settings from (the one place this module names it). */
export const settingsConfigKey = settingsKey;

export interface YamlProgram {
  /** The program file (`Pulumi.yaml`). */
  file: string;
  /** The project's name: the namespace of its bare config keys. */
  project: string;
  document: Record<string, unknown>;
}

/** The Pulumi YAML program of a stack file's project, when its `Pulumi.yaml` says `runtime: yaml`. */
export function yamlProgramOf(stackFile: string): YamlProgram | undefined {
  const file = path.join(path.dirname(stackFile), "Pulumi.yaml");
  let document: unknown;
  try {
    document = yaml.load(fs.readFileSync(file, "utf8"));
  } catch {
    // No project file, or one that is not YAML: the stack file is read as it is (its own run says what is wrong).
    return undefined;
  }
  if (!isRecord(document)) return undefined;
  const runtime = isRecord(document.runtime) ? document.runtime.name : document.runtime;
  if (runtime !== "yaml") return undefined;
  return { file, project: typeof document.name === "string" ? document.name : "", document };
}

type Resolved = { value: unknown } | { problem: string };

/** What `${...}` names can be resolved to, before the program runs. */
class Scope {
  private readonly resolving = new Set<string>();

  constructor(
    private readonly program: YamlProgram,
    private readonly stack: string,
    private readonly stackConfig: Record<string, unknown>,
  ) {}

  /** The value of one `${name}` (a config key, `pulumi.stack`, or a variable). */
  lookUp(name: string): Resolved {
    if (name === "pulumi.stack") return { value: this.stack };
    if (name === "pulumi.project") return { value: this.program.project };
    const { document } = this.program;
    const config = isRecord(document.config)
      ? document.config
      : isRecord(document.configuration)
        ? document.configuration
        : {};
    if (Object.hasOwn(config, name)) return this.configValue(name, config[name]);
    const variables = isRecord(document.variables) ? document.variables : {};
    if (Object.hasOwn(variables, name)) {
      if (this.resolving.has(name)) return { problem: `variables.${name} refers to itself` };
      this.resolving.add(name);
      try {
        const inner = this.resolve(variables[name], `variables.${name}`);
        return inner.problems.length > 0 ? { problem: inner.problems.join("; ") } : { value: inner.value };
      } finally {
        this.resolving.delete(name);
      }
    }
    const resources = isRecord(document.resources) ? document.resources : {};
    const root = name.split(/[.[]/)[0];
    if (Object.hasOwn(resources, root)) {
      return { problem: `\${${name}} is an output of resource ${root}, known only when Pulumi runs the program` };
    }
    return {
      problem:
        `\${${name}} names no key of the program's config: section, no variable and not pulumi.stack or ` +
        "pulumi.project",
    };
  }

  private configValue(name: string, declared: unknown): Resolved {
    const key = name.includes(":") ? name : `${this.program.project}:${name}`;
    if (Object.hasOwn(this.stackConfig, key)) return { value: this.stackConfig[key] };
    // A declaration (`type`, `default`...) or, written directly, the value itself.
    const isDeclaration = isRecord(declared) && ["type", "default", "secret", "description"].some((k) => k in declared);
    if (isDeclaration && declared.default !== undefined) return { value: declared.default };
    if (!isDeclaration && declared !== undefined && declared !== null) return { value: declared };
    return {
      problem: `\${${name}}: the stack file sets no ${key} and the program's config: gives it no default; set ${key}`,
    };
  }

  /** A property's value with every `${...}` resolved, or the problems, each naming where it is. */
  resolve(value: unknown, at: string): { value: unknown; problems: string[] } {
    if (typeof value === "string") return this.interpolate(value, at);
    if (Array.isArray(value)) {
      const items = value.map((item, index) => this.resolve(item, `${at}[${index}]`));
      return { value: items.map((item) => item.value), problems: items.flatMap((item) => item.problems) };
    }
    if (isRecord(value)) {
      const call = Object.keys(value).find((key) => key.toLowerCase().startsWith("fn::"));
      if (call !== undefined) {
        return {
          value: undefined,
          problems: [`${at}: ${call} is evaluated only when Pulumi runs the program; write the value, or a \${config}`],
        };
      }
      const entries = Object.entries(value).map(([key, inner]) => [key, this.resolve(inner, `${at}.${key}`)] as const);
      return {
        value: Object.fromEntries(entries.map(([key, inner]) => [key, inner.value])),
        problems: entries.flatMap(([, inner]) => inner.problems),
      };
    }
    return { value, problems: [] };
  }

  /** `${name}` alone keeps the value's kind (a number stays a number); inside other text it becomes text. */
  private interpolate(text: string, at: string): { value: unknown; problems: string[] } {
    const whole = /^\$\{([^}]+)\}$/.exec(text);
    if (whole !== null) {
      const found = this.lookUp(whole[1].trim());
      return "value" in found
        ? { value: found.value, problems: [] }
        : { value: undefined, problems: [`${at}: ${found.problem}`] };
    }
    const problems: string[] = [];
    // `$${` is a literal `${` in Pulumi YAML.
    const value = text.replace(/\$?\$\{([^}]*)\}/g, (match: string, name: string) => {
      if (match.startsWith("$$")) return match.slice(1);
      const found = this.lookUp(name.trim());
      if ("problem" in found) {
        problems.push(`${at}: ${found.problem}`);
        return match;
      }
      if (isRecord(found.value) || Array.isArray(found.value)) {
        problems.push(`${at}: \${${name}} is a structured value and cannot be part of a text`);
        return match;
      }
      return String(found.value);
    });
    return { value, problems };
  }
}

/**
 * A problem of the shared rules in the program's words: its key (`sspr:settings.scope`) becomes the file and the
 * property (`Pulumi.yaml: resources.sspr.properties.scope`), and keys it mentions become property paths.
 */
export function programWords(problem: string, propertiesAt: string): string {
  const inner = propertiesAt.slice(propertiesAt.indexOf(": ") + 2);
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const settingKeys = new RegExp(
    `${escaped(settingsConfigKey)}(?=[.:\\s])|${configNamespace}:(tenantId|endpoints|takeOverFrom|monitoring)`,
    "g",
  );
  const words = problem.replace(settingKeys, (_match, other: string | undefined) =>
    other === undefined ? inner : `${inner}.${other}`,
  );
  return words.startsWith(inner) ? `${propertiesAt}${words.slice(inner.length)}` : words;
}

/**
 * The stack's config as the TypeScript program reads it, from the stack file's config (the provider's own
 * `entra-sspr:*` keys) and the YAML program's component, with every problem at once, each naming the program file and
 * the property. `stackConfig` is the stack file's `config:` as written (keys as the file has them).
 */
export function configFromYamlProgram(
  program: YamlProgram,
  stack: string,
  stackConfig: Record<string, unknown>,
): { config: ConfigMap; problems: string[]; propertiesAt: string } {
  const name = path.relative(process.cwd(), program.file) || program.file;
  // Bare keys belong to the program's project, not to the package (`pulumi config set` writes them namespaced).
  const namespaced = Object.fromEntries(
    Object.entries(stackConfig).map(([key, value]) => [key.includes(":") ? key : `${program.project}:${key}`, value]),
  );
  const packageConfig: ConfigMap = {};
  for (const [key, value] of Object.entries(namespaced)) {
    if (key.startsWith(`${configNamespace}:`) && value !== null && value !== undefined) {
      packageConfig[key] = value as ConfigMap[string];
    }
  }
  const resources = isRecord(program.document.resources) ? program.document.resources : {};
  const components = Object.entries(resources).filter(
    ([, resource]) => isRecord(resource) && resource.type === componentToken,
  );
  if (components.length !== 1) {
    const found =
      components.length === 0 ? "none" : `${components.length}: ${components.map(([key]) => key).join(", ")}`;
    return {
      config: packageConfig,
      propertiesAt: name,
      problems: [
        `${name}: expected exactly one resource of type ${componentToken} (the commands check one component per ` +
          `stack), found ${found}`,
      ],
    };
  }
  const [resourceName, resource] = components[0] as [string, Record<string, unknown>];
  const propertiesAt = `${name}: resources.${resourceName}.properties`;
  const problems: string[] = [];
  for (const key of [settingsConfigKey, legacySettingsKey].filter((at) => Object.hasOwn(namespaced, at))) {
    problems.push(
      `${key}: set in the stack file of a Pulumi YAML program, whose settings are the properties ` +
        `of resources.${resourceName} in ${name}; remove it from the stack file`,
    );
  }
  const resolved = new Scope(program, stack, namespaced).resolve(resource.properties ?? {}, propertiesAt);
  problems.push(...resolved.problems);
  if (resolved.problems.length > 0) return { config: packageConfig, problems, propertiesAt };

  // The schema first, as Pulumi YAML checks a program before it runs: a value outside a named enum stops here.
  const schemaProblems = componentPropertyProblems(resolved.value, propertiesAt);
  if (schemaProblems.length > 0)
    return { config: packageConfig, problems: [...problems, ...schemaProblems], propertiesAt };

  const { args, problems: shapeProblems } = translateComponentArgs(resolved.value as Record<string, unknown>);
  problems.push(...shapeProblems.map((problem) => `${propertiesAt}.${problem}`));
  const { tenantId, endpoints, takeOverFrom, monitoring, ...settings } = args;
  const config: ConfigMap = { ...packageConfig };
  const providerTenant = packageConfig[`${configNamespace}:tenantId`];
  if (typeof tenantId === "string") {
    if (providerTenant !== undefined && providerTenant !== tenantId) {
      problems.push(
        `${propertiesAt}.tenantId: ${JSON.stringify(tenantId)} is not the stack's ${configNamespace}:tenantId ` +
          `${JSON.stringify(providerTenant)}; expected the same tenant (the provider signs in to the stack's)`,
      );
    }
    config[`${configNamespace}:tenantId`] = tenantId;
  }
  if (endpoints !== undefined) config[`${configNamespace}:endpoints`] = endpoints as object;
  if (takeOverFrom !== undefined) config[`${configNamespace}:takeOverFrom`] = takeOverFrom as string;
  if (monitoring !== undefined) config[`${configNamespace}:monitoring`] = monitoring as object;
  config[settingsConfigKey] = settings;
  return { config, problems, propertiesAt };
}
