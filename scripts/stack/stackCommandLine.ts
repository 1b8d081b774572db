/**
 * The command line every stack command shares (`rehearse`, `preflight`, `compliance`, `readiness`, `doctor`):
 * `--stack <name>` or `--stack-file <path>`, `--json`, and the command's own options, parsed strictly. Each command
 * adds its own checks to the problems returned here, so a user sees every problem of one command line at once.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { stackRequired } from "../../components/openStack";

type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

export interface StackCommandLine {
  /** Every option's value as given (strings and booleans), the common ones included. */
  values: Record<string, string | boolean | undefined>;
  stack?: string;
  stackFile?: string;
  json: boolean;
  /** Problems with the common options; empty when they are fine. */
  problems: string[];
}

export function parseStackCommandLine(argv: string[], own: OptionSpecs): StackCommandLine {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        "stack-file": { type: "string" },
        json: { type: "boolean" },
        ...own,
      },
      strict: true,
    }) as { values: Record<string, string | boolean | undefined> });
  } catch (error) {
    return { values: {}, json: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
  const stack = typeof values.stack === "string" ? values.stack : undefined;
  const stackFile = typeof values["stack-file"] === "string" ? values["stack-file"] : undefined;
  const problems: string[] = [];
  if (stack === undefined && stackFile === undefined) problems.push(stackRequired);
  if (stack !== undefined && stackFile !== undefined) problems.push("give --stack or --stack-file, not both");
  return { values, stack, stackFile, json: values.json === true, problems };
}
