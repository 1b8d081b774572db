/**
 * `npm run compliance -- --stack <name> [--policy-config file.json] [--json]`
 *
 * Where a stack stands against the public baselines, without the Pulumi CLI: the stack is rehearsed (`rehearse()`,
 * the program under mocks and its Entra resources through the project's provider plugin against a fresh local
 * emulator), and every rule of the CrossGuard pack (`policy/`) judges the resources it planned, by type token and
 * inputs, as `pulumi preview --policy-pack policy` would. The enforcement levels come from the stack's pack config,
 * `policy/config/<stack>.json` when it exists (the file given to `--policy-pack-config`).
 *
 * Exit codes: 0 when no mandatory rule fails or conflicts, 1 when one does (as the preview would stop) or the
 * rehearsal failed, 2 for bad arguments or a bad pack config.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackCommandLine } from "../stack/stackCommandLine";
import { baselineRules } from "../../policy/baselineRules";
import { evaluateCompliance, formatCompliance, type ComplianceReport } from "../../policy/complianceTable";
import { enforcementLevelsFrom, type EnforcementLevel } from "../../policy/packConfig";
import type { PlannedResource } from "../../policy/plannedResource";
import type { EngineState } from "../../engine/engine";
import { isProviderType, revealSecrets } from "../../engine/propertyValues";
import type { ProviderHost } from "../../engine/providerHost";
import { rehearse } from "../rehearse/rehearse";
import { repositoryRoot } from "../stack/repository";
import { stackFileOf } from "../../components/openStack";

export interface ComplianceOptions {
  stack?: string;
  stackFile?: string;
  /** The pack config; default `policy/config/<stack>.json` when that file exists, else every rule advisory. */
  policyConfig?: string;
  host?: ProviderHost;
}

export interface ComplianceResult {
  ok: boolean;
  stack: string;
  /** The pack config file used, if any. */
  policyConfig?: string;
  errors: string[];
  /** The errors are the pack config's (nothing was rehearsed). */
  badPackConfig?: boolean;
  report?: ComplianceReport;
}

/**
 * The resources a rehearsal planned, as `pulumi preview --policy-pack` hands them to the rules: the Entra settings
 * by their inputs (their outputs describe the emulator's made-up tenant, not the stack's), other resources with
 * their outputs too (the ids a plan assigns, such as a created group's object id).
 */
export function plannedResources(state: EngineState): PlannedResource[] {
  return Object.values(state)
    .filter((entry) => entry.custom)
    .map((entry) => {
      const values = isProviderType(entry.type) ? entry.inputs : { ...entry.inputs, ...entry.outputs };
      return {
        type: entry.type,
        name: entry.name,
        urn: entry.urn,
        props: revealSecrets(values) as Record<string, unknown>,
      };
    });
}

function loadLevels(
  file: string | undefined,
  explicit: boolean,
): { levels?: Record<string, EnforcementLevel>; problems: string[] } {
  const names = baselineRules.map((rule) => rule.name);
  if (file === undefined || (!explicit && !fs.existsSync(file))) {
    const parsed = enforcementLevelsFrom(undefined, names, "");
    return parsed.ok ? { levels: parsed.levels, problems: [] } : { problems: parsed.problems };
  }
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    return { problems: [`${file}: cannot read the pack config (${error instanceof Error ? error.message : error})`] };
  }
  const parsed = enforcementLevelsFrom(document, names, path.relative(process.cwd(), file) || file);
  return parsed.ok ? { levels: parsed.levels, problems: [] } : { problems: parsed.problems };
}

export async function compliance(options: ComplianceOptions): Promise<ComplianceResult> {
  const { stack } = stackFileOf(options);
  const configFile =
    options.policyConfig !== undefined
      ? path.resolve(options.policyConfig)
      : path.join(repositoryRoot, "policy", "config", `${stack}.json`);
  const { levels, problems } = loadLevels(configFile, options.policyConfig !== undefined);
  const used = options.policyConfig !== undefined || fs.existsSync(configFile) ? configFile : undefined;
  const result: ComplianceResult = {
    ok: false,
    stack,
    errors: [],
    ...(used === undefined ? {} : { policyConfig: used }),
  };
  if (levels === undefined) {
    result.errors = problems;
    result.badPackConfig = true;
    return result;
  }
  const rehearsal = await rehearse({ stack: options.stack, stackFile: options.stackFile, host: options.host });
  if (!rehearsal.ok) {
    result.errors = rehearsal.errors;
    return result;
  }
  result.report = evaluateCompliance(baselineRules, plannedResources(rehearsal.state), levels);
  result.ok = result.report.blocking.length === 0;
  return result;
}

export const complianceUsage =
  "usage: npm run compliance -- --stack <name> [--policy-config policy/config/<name>.json] [--json]\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack)\n" +
  "  The baseline rules of the policy pack against the stack's settings, as a table (reads no tenant).\n" +
  "  --stack NAME         the stack of Pulumi.<name>.yaml: its tenant and settings\n" +
  "  --stack-file PATH    a stack file elsewhere, instead of --stack\n" +
  "  --policy-config FILE  the pack config (which rule is mandatory or advisory); default policy/config/<stack>.json\n" +
  "  --json               print the table as JSON\n" +
  "  --help, -h           this text";

export function parseComplianceArgs(
  argv: string[],
): { options: ComplianceOptions; json: boolean } | { problems: string[] } {
  const { values, stack, stackFile, json, problems } = parseStackCommandLine(argv, {
    "policy-config": { type: "string" },
  });
  if (problems.length > 0) return { problems };
  return { options: { stack, stackFile, policyConfig: values["policy-config"] as string | undefined }, json };
}

export function formatComplianceResult(result: ComplianceResult): string {
  const config =
    result.policyConfig === undefined
      ? "no pack config for this stack: every rule advisory"
      : `pack config ${path.relative(process.cwd(), result.policyConfig) || result.policyConfig}`;
  if (result.report === undefined) {
    const why = result.badPackConfig === true ? "the pack config is invalid" : "the stack could not be planned";
    return `Stack ${result.stack}: no compliance table; ${why}:\n${result.errors
      .map((line) => `  ${line}`)
      .join("\n")}`;
  }
  return (
    `Stack ${result.stack} against the public baselines (${baselineRules.length} rules of the CrossGuard pack in ` +
    `policy/, judged on what \`npm run rehearse -- --stack ${result.stack}\` plans; ${config})\n\n` +
    formatCompliance(result.report)
  );
}

export async function main(
  argv: string[],
  write: (text: string) => void = (text) => process.stdout.write(text),
  /** A running provider plugin for the rehearsal (tests share one). */
  host?: ProviderHost,
) {
  const parsed = parseComplianceArgs(argv);
  if ("problems" in parsed) {
    process.stderr.write(`${parsed.problems.join("\n")}\n${complianceUsage}\n`);
    return 2;
  }
  const result = await compliance({ ...parsed.options, host });
  write(`${parsed.json ? JSON.stringify(result, null, 2) : formatComplianceResult(result)}\n`);
  if (result.report === undefined) return result.badPackConfig === true ? 2 : 1;
  return result.ok ? 0 : 1;
}
