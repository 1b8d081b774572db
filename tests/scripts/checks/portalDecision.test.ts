/**
 * Deploys that need a person only when a person must act (issue 27): the decision from the preview's output, with no
 * tenant, and deploy.yml wired to it (no device code and no person without a portal change; with one, the job says
 * so in its summary before it waits).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { decisionSummary, main, portalDecision, portalType } from "../../../scripts/checks/portalDecision";

const stackUrn = "urn:pulumi:dev::entra-sspr::pulumi:pulumi:Stack::entra-sspr-dev";
const child = (type: string, name: string) =>
  `urn:pulumi:dev::entra-sspr::entra-sspr:index:SelfServicePasswordReset$entra-sspr:index:${type}::${name}`;

/** `pulumi preview --json` output: the shape of its `steps` (op, urn, oldState/newState with their type). */
function previewJson(steps: { op: string; type: string; name: string }[]): string {
  return JSON.stringify({
    config: {},
    steps: [
      {
        op: "same",
        urn: stackUrn,
        oldState: { type: "pulumi:pulumi:Stack" },
        newState: { type: "pulumi:pulumi:Stack" },
      },
      ...steps.map(({ op, type, name }) => ({
        op,
        urn: child(type, name),
        newState: { type: `entra-sspr:index:${type}`, urn: child(type, name) },
        diffReasons: ["methodsRequired"],
      })),
    ],
    changeSummary: {},
  });
}

describe("whether a deploy needs a person, from the preview", () => {
  it("no portal change (Graph objects change, the portal policy is the same): unattended", () => {
    const decision = portalDecision(
      previewJson([
        { op: "update", type: "AuthenticationMethodConfiguration", name: "sspr-email" },
        { op: "same", type: "PasswordResetPolicy", name: "sspr-portal" },
        { op: "create", type: "AdministratorPasswordReset", name: "sspr-admins" },
      ]),
    );
    expect(decision.needsPerson).toBe(false);
    expect(decision.changes).toEqual([]);
    expect(decisionSummary(decision, "dev")).toContain("no sign-in needed");
  });

  it.each(["update", "create", "replace", "delete", "create-replacement"])(
    "a portal %s needs a person, and the summary says so with the way through",
    (op) => {
      const decision = portalDecision(previewJson([{ op, type: "PasswordResetPolicy", name: "sspr-portal" }]));
      expect(decision.needsPerson).toBe(true);
      expect(decision.changes).toEqual([`${op} sspr-portal`]);
      const summary = decisionSummary(decision, "dev");
      expect(summary).toContain("waits for an administrator's sign-in");
      expect(summary).toContain("device code");
      expect(summary).toContain("Conditional Access");
    },
  );

  it("reads the text of pulumi preview --diff as well", () => {
    const text = [
      "Previewing update (dev):",
      "    pulumi:pulumi:Stack: (same)",
      `    ~ ${portalType}: (update)`,
      "        ~ methodsRequired: 1 => 2",
      "Resources:",
      "    ~ 1 to update",
    ].join("\n");
    expect(portalDecision(text)).toMatchObject({ needsPerson: true, changes: [`update ${portalType}`] });
    const graphOnly = [
      "    ~ entra-sspr:index:AuthenticationMethodConfiguration: (update)",
      "Resources:",
      "  ~ 1",
    ].join("\n");
    expect(portalDecision(graphOnly).needsPerson).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["broken off", "Previewing update (dev):\nerror: could not sign in"],
    ["other JSON", '{"message": "x"}'],
  ])("an unreadable preview (%s) asks for a person rather than guess", (_, output) => {
    expect(portalDecision(output).needsPerson).toBe(true);
  });

  it("the command writes person=… and the summary for GitHub", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-decision-"));
    try {
      const preview = path.join(dir, "preview.json");
      fs.writeFileSync(preview, previewJson([{ op: "update", type: "PasswordResetPolicy", name: "sspr-portal" }]));
      const env = { GITHUB_OUTPUT: path.join(dir, "out"), GITHUB_STEP_SUMMARY: path.join(dir, "summary") };
      const printed: string[] = [];
      expect(await main(["--preview", preview, "--stack", "dev", "--github"], (t) => printed.push(t), env)).toBe(0);
      expect(fs.readFileSync(env.GITHUB_OUTPUT, "utf8")).toBe("person=true\n");
      expect(fs.readFileSync(env.GITHUB_STEP_SUMMARY, "utf8")).toContain("### Deploy of dev: waits");
      expect(await main(["--preview", path.join(dir, "missing.json")], () => undefined, env)).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("deploy.yml follows the decision", () => {
  type Step = { name?: string; id?: string; if?: string; run?: string; uses?: string; env?: Record<string, string> };
  const workflow = yaml.load(
    fs.readFileSync(path.resolve(__dirname, "../../../.github/workflows/deploy.yml"), "utf8"),
  ) as { jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const index = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);
  const decision = index((step) => step.run?.includes("portal-decision") === true);
  const signIn = index((step) => step.run?.includes("preflight") === true);

  it("decides from the preview before anyone is asked, and writes the summary first", () => {
    expect(index((step) => /pulumi preview .*--json/.test(step.run ?? ""))).toBeGreaterThanOrEqual(0);
    expect(decision).toBeGreaterThan(index((step) => /pulumi preview .*--json/.test(step.run ?? "")));
    expect(steps[decision].run).toContain("--github");
    expect(signIn).toBeGreaterThan(decision);
  });

  it("the device-code sign-in runs only when the decision says a person is needed", () => {
    const id = steps[decision].id;
    expect(steps[signIn].if).toBe(`steps.${id}.outputs.person == 'true'`);
    // Every step that could print a device code (device-code env) is guarded the same way.
    for (const step of steps.filter(
      (s) => s.env?.ENTRA_SSPR_DEVICE_CODE === "1" || s.env?.ENTRA_SSPR_SIGN_IN === "device-code",
    ))
      expect(step.if).toBe(`steps.${id}.outputs.person == 'true'`);
  });

  it("without a person, pulumi up leaves the portal policy out and never refreshes it", () => {
    const unattended = steps.find(
      (step) => step.if === `steps.${steps[decision].id}.outputs.person != 'true'` && step.run?.includes("pulumi up"),
    );
    expect(unattended?.run).toContain("--exclude '**PasswordResetPolicy::**'");
    expect(unattended?.run).toContain("--refresh=false");
    // Unattended steps say so to the sign-in code: a portal call there fails at once instead of printing a code.
    const preview = steps[index((step) => /pulumi preview .*--json/.test(step.run ?? ""))];
    expect(preview.env?.ENTRA_SSPR_SIGN_IN).toBe("none");
    expect(unattended?.env?.ENTRA_SSPR_SIGN_IN).toBe("none");
    // And nothing at job level asks for a device code.
    for (const job of Object.values(workflow.jobs) as { env?: Record<string, string> }[])
      expect(job.env?.ENTRA_SSPR_SIGN_IN).toBeUndefined();
  });
});
