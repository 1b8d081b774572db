/**
 * Reading a `Pulumi.<stack>.yaml` for the scripts: the YAML document, or one problem that says where the file is
 * broken. A file that cannot be parsed has no config to check, so callers report only this problem (reporting
 * "tenantId: missing" for a file whose tenantId is there but unreadable would send people looking in the wrong place).
 */
import * as fs from "node:fs";
import * as yaml from "js-yaml";

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
