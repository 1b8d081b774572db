/**
 * The consumers in `examples/`: a Pulumi YAML program and a Python program, each with its own `Pulumi.yaml` naming the
 * package under `packages:` and its own stack file. Each example's component properties are checked against the
 * package schema (`provider/schemaCheck.ts`) and are the TypeScript runbook exactly. The YAML program is read as every
 * command reads it (`openStack`); the Python program is run against a stand-in of the SDK `pulumi package add`
 * generates from the schema (`pythonSdkStandIn.py`), since the Pulumi CLI cannot be installed here.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { openStack } from "../../components/openStack";
import { componentArgsProblems } from "../../components/config";
import { translateComponentArgs } from "../../provider/componentArgs";
import { entraSchema } from "../../provider/schema";
import { componentPropertyProblems, componentToken } from "../../provider/schemaCheck";
import { runbookArgs } from "../support/runbook";

const repositoryRoot = path.resolve(__dirname, "../..");
const examples = path.join(repositoryRoot, "examples");
const standIn = path.join(__dirname, "pythonSdkStandIn.py");

type Project = { name: string; runtime: unknown; packages: Record<string, string> };
const projectOf = (folder: string) =>
  yaml.load(fs.readFileSync(path.join(examples, folder, "Pulumi.yaml"), "utf8")) as Project;
const stackConfigOf = (folder: string) =>
  (yaml.load(fs.readFileSync(path.join(examples, folder, "Pulumi.dev.yaml"), "utf8")) as { config: object }).config;

it.each(["runbook-yaml", "runbook-python"])("%s names the package under packages:, with a stack file", (folder) => {
  const project = projectOf(folder);
  expect(Object.keys(project.packages)).toEqual(["entra-sspr"]);
  const pluginFolder = path.resolve(examples, folder, project.packages["entra-sspr"]);
  expect(pluginFolder).toBe(path.join(repositoryRoot, "provider"));
  expect(fs.readFileSync(path.join(pluginFolder, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  expect(stackConfigOf(folder)).toMatchObject({ "entra-sspr:tenantId": "munyakazi.org" });
});

describe("the Pulumi YAML example", () => {
  it("opens, as every command opens it, to the TypeScript runbook, its properties the schema's", () => {
    const opened = openStack({ stackFile: path.join(examples, "runbook-yaml", "Pulumi.dev.yaml") });
    expect(opened.problems).toEqual([]);
    expect(opened.args).toEqual(runbookArgs);
  });
});

describe("the Python example", () => {
  const schemaFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "python-example-")), "schema.json");
  fs.writeFileSync(schemaFile, JSON.stringify(entraSchema));

  /** Runs `__main__.py` of `folder` (a copy of the example, maybe changed) against the stand-in SDK. */
  function run(folder: string): { registered: { type: string; name: string; properties: Record<string, unknown> }[] } {
    const project = projectOf("runbook-python");
    const output = execFileSync(
      "python3",
      [standIn, schemaFile, folder, JSON.stringify(stackConfigOf("runbook-python")), project.name],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    return JSON.parse(output) as ReturnType<typeof run>;
  }

  /** A copy of the example with `change` applied to its program. */
  function changed(change: (program: string) => string): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "python-example-"));
    const program = fs.readFileSync(path.join(examples, "runbook-python", "__main__.py"), "utf8");
    fs.writeFileSync(path.join(folder, "__main__.py"), change(program));
    return folder;
  }

  it("registers one component whose properties are the schema's and the TypeScript runbook exactly", () => {
    const { registered } = run(path.join(examples, "runbook-python"));
    expect(registered.map(({ type, name }) => [type, name])).toEqual([[componentToken, "sspr"]]);
    const { properties } = registered[0];
    expect(componentPropertyProblems(properties, "sspr")).toEqual([]);
    const { args, problems } = translateComponentArgs(properties);
    expect(problems).toEqual([]);
    expect(componentArgsProblems(args)).toEqual([]);
    expect(args).toEqual(runbookArgs);
  });

  it("the stand-in refuses what the SDK would: an enum member the schema lacks, an unknown argument", () => {
    const everyone = changed((program) => program.replace("Enablement.ALL", "Enablement.EVERYONE"));
    expect(() => run(everyone)).toThrow(/AttributeError: EVERYONE/);
    const typo = changed((program) => program.replace("mobile_phone=", "mobile_phon="));
    expect(() => run(typo)).toThrow(/MethodsArgs\(\) got an unexpected keyword argument 'mobile_phon'/);
  });
});
