/**
 * `npm run portal-decision -- --preview preview.json`: whether a deploy needs a person. The portal API (the password
 * reset policy) takes only a person's delegated token, so deploy.yml asks an administrator for a device-code sign-in
 * only when the preview shows a change to the password reset policy; everything else (the methods policy, the
 * administrator policy, the pilot group, the ownership mark) is applied unattended with the OIDC identity.
 *
 * Input: the output of `pulumi preview --json` (its `steps`, each with `op` and `urn`), or the text of
 * `pulumi preview --diff` when that is all there is. Pure: no tenant, no state backend. When the preview cannot be
 * read, the answer is "a person is needed", so nothing is ever skipped on a guess.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { typeToken } from "../../lib/resourceTypes";

/** The portal object's type token: `entra-sspr:index:PasswordResetPolicy`. */
export const portalType = typeToken("PasswordResetPolicy");

/** Steps of a preview that change nothing. */
const quietOps = new Set(["same", "read", "refresh", "discard", "import"]);

export interface PortalDecision {
  /** Whether an administrator must sign in (device code) for this deploy. */
  needsPerson: boolean;
  /** The portal changes the preview shows, as `<op> <name>` (empty when none). */
  changes: string[];
  /** One sentence: why. */
  reason: string;
}

/** The type token and name of a URN `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`. */
function urnParts(urn: string): { type: string; name: string } | undefined {
  const parts = urn.split("::");
  if (parts.length < 4) return undefined;
  const types = parts[2].split("$");
  return { type: types[types.length - 1], name: parts.slice(3).join("::") };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The portal changes in `pulumi preview --json` output, or undefined when it is not that output. */
function changesFromJson(text: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.steps)) return undefined;
  const changes: string[] = [];
  for (const step of parsed.steps) {
    if (!isRecord(step) || typeof step.op !== "string" || typeof step.urn !== "string") return undefined;
    const parts = urnParts(step.urn);
    const type = [step.newState, step.oldState].find(isRecord)?.type ?? parts?.type;
    if (type !== portalType || quietOps.has(step.op)) continue;
    changes.push(`${step.op} ${parts?.name ?? step.urn}`);
  }
  return changes;
}

/** Marks of `pulumi preview --diff` lines: + create, - delete, ~ update, +-/-+ replace, ++/-- create/delete-replaced. */
const diffLine = /^\s*(\+-|-\+|\+\+|--|\+|-|~)\s+(\S+)(?:\s+(\S+))?/;

/** The portal changes in the text of `pulumi preview` (with or without `--diff`), or undefined without a summary. */
function changesFromText(text: string): string[] | undefined {
  // A finished preview ends with its resource count ("Resources:"): without it the run broke off.
  if (!/^Resources:/m.test(text)) return undefined;
  const changes: string[] = [];
  const ops: Record<string, string> = {
    "+": "create",
    "-": "delete",
    "~": "update",
    "+-": "replace",
    "-+": "replace",
    "++": "create-replacement",
    "--": "delete-replaced",
  };
  for (const line of text.split("\n")) {
    const match = diffLine.exec(line);
    if (match === null) continue;
    const [, mark, first, second] = match;
    // `~ entra-sspr:index:PasswordResetPolicy: (update)` (--diff) or `~ entra-sspr:index:PasswordResetPolicy name update`.
    const type = first.replace(/:$/, "");
    if (type === portalType)
      changes.push(`${ops[mark]} ${second !== undefined && !second.startsWith("(") ? second : type}`);
  }
  return changes;
}

/** Whether a deploy needs a person, from the preview's output. */
export function portalDecision(previewOutput: string): PortalDecision {
  const text = previewOutput.trim();
  const changes = text === "" ? undefined : (changesFromJson(text) ?? changesFromText(text));
  if (changes === undefined) {
    return {
      needsPerson: true,
      changes: [],
      reason:
        "the preview's output could not be read (no `pulumi preview --json` steps and no finished preview), so an " +
        "administrator signs in rather than the password reset policy being skipped on a guess",
    };
  }
  if (changes.length === 0) {
    return {
      needsPerson: false,
      changes,
      reason:
        "the preview shows no change to the password reset policy (portal API): the deploy applies the Graph objects " +
        "with its OIDC identity, and no one has to sign in",
    };
  }
  return {
    needsPerson: true,
    changes,
    reason:
      `the preview changes the password reset policy (portal API: ${changes.join(", ")}), which takes only a ` +
      "person's sign-in: an Authentication Policy Administrator must enter the device code this job prints next, " +
      "within 15 minutes",
  };
}

/** The job summary's Markdown for the decision, written before the job waits for anyone. */
export function decisionSummary(decision: PortalDecision, stack: string): string {
  const lines = [
    `### Deploy of ${stack}: ${decision.needsPerson ? "waits for an administrator's sign-in" : "no sign-in needed"}`,
    "",
    `${decision.needsPerson ? "A person is needed" : "Unattended"}: ${decision.reason}.`,
  ];
  if (decision.needsPerson) {
    lines.push(
      "",
      "Where Conditional Access blocks the device-code flow: cancel this run, and have an administrator apply the " +
        "portal part from a workstation with the same stack (`pulumi up` there signs in in the browser), then re-run " +
        "this job: the preview then shows no portal change and the job runs unattended (docs/github-actions.md).",
    );
  }
  return `${lines.join("\n")}\n`;
}

export const portalDecisionUsage = [
  "usage: npm run portal-decision -- --preview <file> [--stack <name>] [--github]",
  "  Says whether a deploy needs a person: yes only when the preview changes the password reset policy (portal API).",
  "  --preview <file>   the output of `pulumi preview --json` (or of `pulumi preview --diff`); - reads stdin",
  "  --stack <name>     the stack's name, for the summary's heading (default: the stack)",
  "  --github           also write person=true|false to $GITHUB_OUTPUT and the summary to $GITHUB_STEP_SUMMARY",
  "  --help, -h         this text",
  "  Prints the decision. Exit 0 either way; 2: bad options or an unreadable file.",
].join("\n");

export function main(
  argv: string[],
  write: (text: string) => void = (text) => process.stdout.write(text),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { preview: { type: "string" }, stack: { type: "string" }, github: { type: "boolean" } },
      strict: true,
    }));
  } catch (error) {
    write(`${error instanceof Error ? error.message : String(error)}\n${portalDecisionUsage}\n`);
    return Promise.resolve(2);
  }
  const file = values.preview as string | undefined;
  if (file === undefined) {
    write(`--preview <file> is required\n${portalDecisionUsage}\n`);
    return Promise.resolve(2);
  }
  let output: string;
  try {
    output = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    write(`--preview: "${file}" cannot be read: ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(2);
  }
  const decision = portalDecision(output);
  const summary = decisionSummary(decision, (values.stack as string | undefined) ?? "the stack");
  write(summary);
  if (values.github === true) {
    const missing = ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"].filter((name) => !env[name]);
    if (missing.length > 0) {
      write(`--github: ${missing.join(" and ")} is not set (only a GitHub Actions step has them)\n`);
      return Promise.resolve(2);
    }
    fs.appendFileSync(env.GITHUB_STEP_SUMMARY as string, summary);
    fs.appendFileSync(env.GITHUB_OUTPUT as string, `person=${decision.needsPerson}\n`);
  }
  return Promise.resolve(0);
}
