/**
 * `rehearse --stack-file examples/runbook-yaml/Pulumi.dev.yaml`: the Pulumi YAML runbook, its component's properties
 * read from the program beside the stack file (components/yamlProgram.ts), rehearses with the same output as the
 * TypeScript runbook (Pulumi.dev.yaml); `lockout-check` finds the same; a program the schema refuses sends nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { rehearse, type RehearseOptions } from "../../../scripts/rehearse/rehearse";
import { lockoutCheck } from "../../../scripts/checks/lockoutCheck";
import { main as doctor } from "../../../scripts/readiness/doctorCommand";
import { main as readiness } from "../../../scripts/readiness/readinessCommand";
import { repositoryRoot } from "../../../scripts/stack/repository";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { useEmulator } from "../../support/emulator";

const shared = useRehearsalHost("yaml-program");
const lab = useEmulator();
const yamlStack = path.join(repositoryRoot, "examples/runbook-yaml/Pulumi.dev.yaml");

async function rehearsed(options: RehearseOptions) {
  const printed: string[] = [];
  const result = await rehearse({
    host: shared.host,
    emulatorUrl: lab.emulator.url,
    ...options,
    log: (t) => printed.push(t),
  });
  return { result, output: printed.join("\n") };
}

it("rehearses with the same output as the TypeScript runbook", async () => {
  const typescript = await rehearsed({ stack: "dev", stackDir: repositoryRoot });
  expect(typescript.result.errors).toEqual([]);
  lab.emulator.reset(); // the same tenant again, as it was before the TypeScript runbook's rehearsal
  const yamlProgram = await rehearsed({ stackFile: yamlStack });
  expect(yamlProgram.result.errors).toEqual([]);
  // Only the stack file's name differs.
  const named = yamlProgram.output.replaceAll(
    path.join("examples", "runbook-yaml", "Pulumi.dev.yaml"),
    "Pulumi.dev.yaml",
  );
  expect(named).not.toBe(yamlProgram.output);
  expect(named).toBe(typescript.output);
});

it("lockout-check finds the same in the tenant for both programs", async () => {
  lab.emulator.reset();
  const typescript = await lockoutCheck({ stack: "dev", emulatorUrl: lab.emulator.url });
  const yamlProgram = await lockoutCheck({ stackFile: yamlStack, emulatorUrl: lab.emulator.url });
  expect(yamlProgram.errors).toEqual([]);
  expect(yamlProgram.readTenant).toBe(true);
  expect(yamlProgram).toEqual(typescript);
});

it("readiness and doctor say the same of the YAML lab stack as of the TypeScript lab stack", async () => {
  const yamlLab = path.join(repositoryRoot, "examples/runbook-yaml/Pulumi.lab.yaml");
  for (const [command, extra] of [
    [readiness, []],
    [doctor, ["--user", "c.vogel@munyakazi.org"]],
  ] as const) {
    const run = async (stackArgs: string[]) => {
      const printed: string[] = [];
      const code = await command([...stackArgs, ...extra], (text) => printed.push(text), shared.host);
      return { code, output: printed.join("\n").replaceAll(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>") };
    };
    const typescript = await run(["--stack", "lab"]);
    const yamlProgram = await run(["--stack-file", yamlLab]);
    expect(typescript.code).toBe(0);
    expect(yamlProgram.output).toMatch(/stack lab applied|Can c.vogel@munyakazi.org reset/);
    expect(yamlProgram.output.replaceAll(path.relative(process.cwd(), yamlLab), "Pulumi.lab.yaml")).toBe(
      typescript.output,
    );
    expect(yamlProgram.code).toBe(typescript.code);
  }
});

it("a program the schema refuses is not rehearsed and sends no request", async () => {
  lab.emulator.reset();
  const folder = fs.mkdtempSync(path.join(shared.tmp, "yaml-"));
  const program = fs
    .readFileSync(path.join(repositoryRoot, "examples/runbook-yaml/Pulumi.yaml"), "utf8")
    .replace("scope: all", "scope: everyone");
  fs.writeFileSync(path.join(folder, "Pulumi.yaml"), program);
  fs.writeFileSync(
    path.join(folder, "Pulumi.dev.yaml"),
    "config:\n  entra-sspr-runbook-yaml:tenantId: munyakazi.org\n",
  );
  const { result } = await rehearsed({ stackFile: path.join(folder, "Pulumi.dev.yaml") });
  expect(result.ok).toBe(false);
  expect(result.errors).toEqual([
    expect.stringMatching(/properties\.scope: "everyone" is not allowed; expected one of "none", "selected", "all"/),
  ]);
  expect(lab.emulator.requests()).toEqual([]);
});
