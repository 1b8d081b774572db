/**
 * Stack files for rehearsals: `Pulumi.<name>.yaml` for the runbook's tenant, each in a folder of its own (stack
 * files side by side that name one tenant are refused: one stack per tenant).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runbookTenantId } from "./runbook";

/**
 * Writes `Pulumi.<name>.yaml` in a new folder under `root`: the `sspr:settings` block from `sspr` (one setting a
 * line, as `runbookLines` gives them) and any further config lines (`entra-sspr:takeOverFrom: ...`) as given.
 */
export function writeStackFile(root: string, name: string, sspr: string[], config: string[] = []): string {
  const folder = fs.mkdtempSync(path.join(root, `${name}-`));
  const file = path.join(folder, `Pulumi.${name}.yaml`);
  const lines = [
    "config:",
    `  entra-sspr:tenantId: ${runbookTenantId}`,
    "  sspr:settings:",
    ...sspr.map((line) => `    ${line}`),
    ...config.map((line) => `  ${line}`),
  ];
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}
