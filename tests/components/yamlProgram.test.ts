/**
 * A stack file whose project is a Pulumi YAML program (`components/yamlProgram.ts`): `openStack`, which every command
 * uses, reads the component's properties from the program, resolves `${...}` from the stack file's config, refuses
 * by the schema what Pulumi YAML would refuse, and gives the very args of the TypeScript runbook.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openStack } from "../../components/openStack";
import { stackFileTenants } from "../../components/stackFiles";
import { runbookArgs } from "../support/runbook";

const repositoryRoot = path.resolve(__dirname, "../..");
const exampleFolder = path.join(repositoryRoot, "examples/runbook-yaml");
const exampleProgram = fs.readFileSync(path.join(exampleFolder, "Pulumi.yaml"), "utf8");
const devStack = "config:\n  entra-sspr-runbook-yaml:tenantId: munyakazi.org\n";

/** A project folder with `program` as its Pulumi.yaml and `stack` as Pulumi.dev.yaml; the stack file's path. */
function project(program: string, stack = devStack): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "yaml-program-"));
  fs.writeFileSync(path.join(folder, "Pulumi.yaml"), program);
  fs.writeFileSync(path.join(folder, "Pulumi.dev.yaml"), stack);
  return path.join(folder, "Pulumi.dev.yaml");
}

it("opens the example's dev stack to the very args of the TypeScript runbook", () => {
  const yamlStack = openStack({ stackFile: path.join(exampleFolder, "Pulumi.dev.yaml") });
  expect(yamlStack.problems).toEqual([]);
  expect(yamlStack.args).toEqual(runbookArgs);
  expect(yamlStack.args).toEqual(openStack({ stack: "dev", stackDir: repositoryRoot }).args);
  expect(yamlStack.lab).toBe(false);
});

it("opens the example's lab stack to the emulator, as the TypeScript lab stack", () => {
  const yamlLab = openStack({ stackFile: path.join(exampleFolder, "Pulumi.lab.yaml") });
  const typescriptLab = openStack({ stack: "lab", stackDir: repositoryRoot });
  expect(yamlLab.problems).toEqual([]);
  expect(yamlLab.lab).toBe(true);
  expect(yamlLab.args).toEqual(typescriptLab.args);
  expect(yamlLab.endpoints).toEqual(typescriptLab.endpoints);
});

it("resolves ${...} from the stack file's config (bare keys are the project's), pulumi.stack and variables", () => {
  const program = exampleProgram
    .replace("config:\n", "variables:\n  pilotName: SSPR Pilot ${pulumi.stack}\nconfig:\n")
    .replace(
      "scope: all # none | selected (with group) | all",
      "scope: selected\n      group:\n        displayName: ${pilotName}",
    );
  const opened = openStack({ stackFile: project(program, "config:\n  tenantId: contoso.com\n") });
  expect(opened.problems).toEqual([]);
  expect(opened.args?.tenantId).toBe("contoso.com");
  expect(opened.args?.group).toEqual({ displayName: "SSPR Pilot dev" });
});

it("refuses what it cannot resolve before the program runs, naming the property, every problem at once", () => {
  const program = exampleProgram
    .replace("tenantId: ${tenantId}", "tenantId: ${tenantId}\n      takeOverFrom: ${sspr.resetUrl}")
    .replace("methodsRequired: 2", "methodsRequired: ${required}")
    .replace(
      "reconfirmDays: 180",
      "reconfirmDays:\n          fn::invoke: { function: std:abs, arguments: { input: -180 } }",
    );
  const opened = openStack({ stackFile: project(program, "config: {}\n") });
  expect(opened.args).toBeUndefined();
  const at = /Pulumi\.yaml: resources\.sspr\.properties/.source;
  const lines = opened.problems.join("\n");
  expect(lines).toMatch(new RegExp(`${at}\\.tenantId: .*sets no entra-sspr-runbook-yaml:tenantId`));
  expect(lines).toMatch(new RegExp(`${at}\\.takeOverFrom: \\$\\{sspr\\.resetUrl\\} is an output of resource sspr`));
  expect(lines).toMatch(new RegExp(`${at}\\.methodsRequired: \\$\\{required\\} names no key of the program's config`));
  expect(lines).toMatch(
    new RegExp(`${at}\\.registration\\.reconfirmDays: fn::invoke is evaluated only when Pulumi runs`),
  );
  expect(opened.problems).toHaveLength(4);
});

it("refuses scope: everyone by the schema's Enablement, naming the allowed values", () => {
  const program = exampleProgram.replace("scope: all", "scope: everyone").replace("email: offer", "email: yes");
  const opened = openStack({ stackFile: project(program) });
  expect(opened.args).toBeUndefined();
  expect(opened.problems).toEqual([
    expect.stringMatching(
      /resources\.sspr\.properties\.scope: "everyone" is not allowed; expected one of "none", "selected", "all" \(the schema's Enablement\)$/,
    ),
    expect.stringMatching(
      /resources\.sspr\.properties\.methods\.email: "yes" is not allowed; expected one of "offer", "leave", "disable" \(the schema's MethodChoice\)$/,
    ),
  ]);
});

it("says the shared rules' problems in the program's words", () => {
  const program = exampleProgram.replace("methodsRequired: 2", "methodsRequired: 2\n      helpdesk: ftp://help");
  const opened = openStack({ stackFile: project(program.replace("mobilePhone: offer", "mobilePhone: leave")) });
  expect(opened.args).toBeUndefined();
  const lines = opened.problems.join("\n");
  expect(lines).toMatch(/resources\.sspr\.properties\.methodsRequired: 2 is not allowed; expected at most 1/);
  expect(lines).toMatch(/resources\.sspr\.properties\.helpdesk: "ftp:\/\/help" is not allowed/);
  expect(lines).not.toMatch(/entra-sspr:sspr/);
});

it("wants exactly one component, and the provider's tenant the same as the component's", () => {
  const two = exampleProgram.replace(
    "outputs:",
    "  again:\n    type: entra-sspr:index:SelfServicePasswordReset\n    properties: { tenantId: x.org, scope: none }\noutputs:",
  );
  expect(openStack({ stackFile: project(two) }).problems).toEqual([
    expect.stringMatching(
      /expected exactly one resource of type entra-sspr:index:SelfServicePasswordReset .*found 2: sspr, again$/,
    ),
  ]);
  const otherTenant = `${devStack}  entra-sspr:tenantId: contoso.com\n`;
  expect(openStack({ stackFile: project(exampleProgram, otherTenant) }).problems).toEqual([
    expect.stringMatching(
      /properties\.tenantId: "munyakazi\.org" is not the stack's entra-sspr:tenantId "contoso\.com"/,
    ),
  ]);
});

it("a stack file beside a TypeScript project is read as before", () => {
  const typescriptProject = "name: other\nruntime: nodejs\n";
  const opened = openStack({ stackFile: project(typescriptProject, devStack) });
  expect(opened.problems.join("\n")).toMatch(/entra-sspr:tenantId: missing/);
});

it("compares the YAML stacks' tenants like any other stack files of one folder", () => {
  expect(stackFileTenants(exampleFolder).map(({ stack, tenantId }) => [stack, tenantId])).toEqual([
    ["dev", "munyakazi.org"],
    ["lab", "lab.munyakazi.org"],
  ]);
});
