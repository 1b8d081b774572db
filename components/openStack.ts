/**
 * One way to open a stack, for every command and the bootstrap: find `Pulumi.<stack>.yaml`, read it (a YAML error
 * names its line and column), take its `config:` map as Pulumi does, check it by the program's own rules, and say
 * whether it points at the local emulator (a lab stack) or a real tenant. Every problem is reported at once, before
 * anything asks a tenant; a file that cannot be read or parsed gives only that problem (reporting "tenantId:
 * missing" for a file whose tenantId is there but unreadable would send people looking in the wrong place).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import {
  type ConfigMap,
  flatConfig,
  namespaceConfig,
  normalizeEndpoints,
  olderSpellingNotes,
  parseStackConfig,
} from "./config";
import { configNamespace, legacySettingsKey, legacyStackConfigKey } from "./configProblems";
import type { SelfServicePasswordResetArgs } from "./ssprArgs";
import { configFromYamlProgram, programWords, settingsConfigKey, yamlProgramOf } from "./yamlProgram";
import { isLoopbackUrl } from "../lib/endpoints";
import { isRecord } from "../lib/predicates";
import type { EntraEndpoints } from "../lib/endpoints";

/** Where the stack files are unless a command says otherwise: the repository root, the folder above this one. */
const repositoryRoot = path.resolve(__dirname, "..");

export const stackRequired = "--stack <name> is required (reads Pulumi.<name>.yaml)";

export interface StackFileOptions {
  /** Stack name: reads `Pulumi.<stack>.yaml` from `stackDir`. */
  stack?: string;
  /** A stack file to read instead; `Pulumi.<name>.yaml` names the stack `<name>`. */
  stackFile?: string;
  /** Say nothing on stderr (a stack opened only to compare it with another); `warnings` still holds every line. */
  quiet?: boolean;
  /** Folder of `Pulumi.<stack>.yaml` (default: the repository root). */
  stackDir?: string;
}

export interface OpenedStack {
  stack: string;
  file: string;
  /** The `config:` map, keys namespaced as Pulumi does (`entra-sspr:tenantId`), values as written. */
  config: ConfigMap;
  /** The component's args, when the config is valid. */
  args?: SelfServicePasswordResetArgs;
  /** Every problem with the file and its config, one line each; none when `args` is set. */
  problems: string[];
  /** Methods written in the older spelling (`true`/`false`), one line each: said by preflight and rehearse only. */
  spellingNotes: string[];
  /** Lines that do not stop a run (the settings at their old place), already said once on stderr. */
  warnings: string[];
  /** The stack's endpoints (Microsoft's where it sets none). */
  endpoints: EntraEndpoints;
  /** Both endpoints are on loopback: the stack is a lab stack, its tenant an emulator, never a real tenant. */
  lab: boolean;
}

/** Where a stack's file is, and the stack's name (`Pulumi.<name>.yaml` names the stack `<name>`). */
export function stackFileOf(options: StackFileOptions): { file: string; stack: string } {
  const file =
    options.stackFile !== undefined
      ? path.resolve(options.stackFile)
      : path.join(options.stackDir ?? repositoryRoot, `Pulumi.${options.stack ?? ""}.yaml`);
  return { file, stack: options.stack ?? /^Pulumi\.(.+)\.ya?ml$/i.exec(path.basename(file))?.[1] ?? "stack" };
}

/** Opens a stack's file: never throws, and reads nothing beyond the file. */
export function openStack(options: StackFileOptions, now: Date = new Date()): OpenedStack {
  const { file, stack } = stackFileOf(options);
  let warnings: string[] = [];
  const opened = (config: ConfigMap, problems: string[], args?: SelfServicePasswordResetArgs): OpenedStack => {
    // An invalid config still says where it points, from the endpoints' text fields (its problems say the rest).
    const raw = config[`${configNamespace}:endpoints`];
    const text = (value: unknown) => (typeof value === "string" ? value : undefined);
    const given = isRecord(raw) ? { graph: text(raw.graph), portal: text(raw.portal) } : {};
    const endpoints = normalizeEndpoints(args?.endpoints ?? given);
    const lab = isLoopbackUrl(endpoints.graph) && isLoopbackUrl(endpoints.portal);
    const spellingNotes =
      config[settingsConfigKey] !== undefined
        ? olderSpellingNotes(config[settingsConfigKey])
        : olderSpellingNotes(config[legacySettingsKey], legacyStackConfigKey);
    return { stack, file, config, args, problems, spellingNotes, warnings, endpoints, lab };
  };
  if (options.stack === undefined && options.stackFile === undefined) return opened({}, [stackRequired]);
  const reading = readStackFile(file);
  if ("problem" in reading) return opened({}, [reading.problem]);
  const fromFile = stackConfigFromDocument(reading.document, path.basename(file));
  // A Pulumi YAML program's stack: the settings are its component's properties (`yamlProgram.ts`), checked by the
  // schema and then by the very rules below; every problem is said in the program's words.
  const program = yamlProgramOf(file);
  const fromProgram =
    program === undefined
      ? undefined
      : configFromYamlProgram(
          program,
          stack,
          isRecord(reading.document) && isRecord(reading.document.config) ? reading.document.config : {},
        );
  const config = fromProgram?.config ?? fromFile.config;
  const problems = [...fromFile.problems, ...(fromProgram?.problems ?? [])];
  // Without the settings (a reference not resolved, a value the schema refuses) the rules below have nothing to read.
  if (fromProgram !== undefined && config[settingsConfigKey] === undefined) return opened(config, problems);
  const parsed = parseStackConfig(namespaceConfig(flatConfig(config)), now, stack);
  warnings = parsed.warnings ?? [];
  if (options.quiet !== true) sayStackWarnings(warnings);
  if (parsed.ok && problems.length === 0) return opened(config, [], parsed.args);
  // A secret's key path is already reported: drop what the config rules say about the same (encrypted) value.
  const secretKeys = problems.flatMap((problem) => /^(\S+): a secret/.exec(problem)?.[1] ?? []);
  const configProblems = parsed.ok
    ? []
    : parsed.problems
        .filter((problem) => !secretKeys.some((key) => problem.startsWith(`${key}:`) || problem.startsWith(`${key}.`)))
        .map((problem) => (fromProgram === undefined ? problem : programWords(problem, fromProgram.propertiesAt)));
  return opened(config, [...problems, ...configProblems]);
}

const warned = new Set<string>();

/**
 * Says each stack warning once per process (to stderr unless `say` is given): every command opens its stack
 * through `openStack`, and a rehearsal then runs the program, which says the same line through `pulumi.log`.
 */
export function sayStackWarnings(
  warnings: readonly string[],
  say: (warning: string) => void = (warning) => console.warn(`warning: ${warning}`),
): void {
  for (const warning of warnings) {
    if (warned.has(warning)) continue;
    warned.add(warning);
    say(warning);
  }
}

export type StackFileReading = { document: unknown } | { problem: string };

/** `file:line:column: YAML syntax error: reason (line N: "text")`, or the read error for a missing file. */
export function readStackFile(file: string): StackFileReading {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { problem: `${file}: cannot read the stack file (${reason})` };
  }
  try {
    return { document: yaml.load(text) };
  } catch (error) {
    return { problem: yamlProblem(file, text, error) };
  }
}

function yamlProblem(file: string, text: string, error: unknown): string {
  if (!(error instanceof yaml.YAMLException) || error.mark === undefined) {
    return `${file}: not valid YAML (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
  }
  const line = error.mark.line + 1;
  const column = error.mark.column + 1;
  const source = text.split(/\r?\n/)[error.mark.line] ?? "";
  const shown = source.length > 80 ? `${source.slice(0, 77)}...` : source;
  return `${file}:${line}:${column}: YAML syntax error: ${error.reason} (line ${line}: ${JSON.stringify(shown)})`;
}

/** Config key paths (`sspr:settings.helpdesk`) holding a Pulumi secret (`secure: v1:...`). */
export function secureValuePaths(value: unknown, keyPath: string): string[] {
  if (isRecord(value)) {
    if (Object.keys(value).length === 1 && "secure" in value) return [keyPath];
    return Object.entries(value).flatMap(([key, inner]) => secureValuePaths(inner, `${keyPath}.${key}`));
  }
  if (Array.isArray(value)) return value.flatMap((inner, index) => secureValuePaths(inner, `${keyPath}[${index}]`));
  return [];
}

/**
 * The `config:` map of a parsed `Pulumi.<stack>.yaml`, keys namespaced as Pulumi does (a bare key belongs to the
 * project), with every problem: not a mapping, or secrets (only the Pulumi CLI, with the stack's secrets provider,
 * can decrypt them).
 */
export function stackConfigFromDocument(document: unknown, file: string): { config: ConfigMap; problems: string[] } {
  if (document === undefined || document === null) return { config: {}, problems: [] };
  if (!isRecord(document)) {
    return {
      config: {},
      problems: [`${file}: expected a YAML mapping with a "config:" key, found ${typeof document}`],
    };
  }
  const raw = document.config;
  if (raw === undefined || raw === null) return { config: {}, problems: [] };
  if (!isRecord(raw)) return { config: {}, problems: [`${file}: "config:" must be a mapping of keys to values`] };
  const config: ConfigMap = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${configNamespace}:${key}`;
    for (const secret of secureValuePaths(value, fullKey)) {
      problems.push(
        `${secret}: a secret ("secure:") cannot be rehearsed or checked here: decrypting it needs the Pulumi CLI ` +
          "and the stack's secrets provider. Use a copy of the stack file with a plain placeholder value, or " +
          "`pulumi preview`.",
      );
    }
    if (value === null || value === undefined) continue;
    config[fullKey] = value as ConfigMap[string];
  }
  return { config, problems };
}
