/**
 * The pack as `pulumi preview --policy-pack policy` runs it, without the CLI: the CLI starts
 * `@pulumi/pulumi/cmd/run-policy-pack` in the pack's folder (ts-node, type-checked) and talks to the analyzer it
 * serves over gRPC (`pulumirpc.Analyzer`): GetAnalyzerInfo, Configure (the `--policy-pack-config` file), Analyze per
 * resource, AnalyzeStack at the end. This test does the same.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { enforcementLevelsFrom } from "../../policy/packConfig";
import { baselineRules } from "../../policy/baselineRules";
import type { PlannedResource } from "../../policy/plannedResource";
import { pilotGroupId, planFor } from "../support/policyArgs";
import { runbook } from "../support/runbook";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated gRPC stubs have no usable typings here
type Stub = any;
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as Stub;
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb") as Stub;
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as Stub;
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as Stub;

const packDir = path.resolve(__dirname, "..", "..", "policy");
let pack: ChildProcess;
let client: Stub;

const call = <T>(method: string, request: unknown): Promise<T> =>
  new Promise((resolve, reject) =>
    client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))),
  );

function resource(message: Stub, planned: PlannedResource): Stub {
  return message
    .setType(planned.type)
    .setName(planned.name)
    .setUrn(`urn:pulumi:dev::entra-sspr::${planned.type}::${planned.name}`)
    .setProperties(Struct.fromJavaScript(planned.props))
    .setOptions(new analyzerPb.AnalyzerResourceOptions());
}

interface Diagnostic {
  policyName: string;
  message: string;
  enforcementLevel: number;
}

const diagnostics = (response: Stub): Diagnostic[] =>
  response.getDiagnosticsList().map((diagnostic: Stub) => ({
    policyName: diagnostic.getPolicyname(),
    message: diagnostic.getMessage(),
    enforcementLevel: diagnostic.getEnforcementlevel(),
  }));

beforeAll(async () => {
  pack = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js"), "127.0.0.1:1", "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  pack.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    pack.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    pack.once("exit", (code) => reject(new Error(`the pack exited with ${code}: ${stderr}`)));
  });
  client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  pack?.kill();
});

describe("the policy pack under Pulumi's own run-policy-pack", () => {
  it("serves every rule, advisory by default", async () => {
    const info: Stub = await call("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("entra-sspr-baselines");
    const policies = info.getPoliciesList().map((policy: Stub) => [policy.getName(), policy.getEnforcementlevel()]);
    expect(policies).toEqual(baselineRules.map((rule) => [rule.name, analyzerPb.EnforcementLevel.ADVISORY]));
  });

  it("judges the runbook's plan: the conflicts are reported, nothing else", async () => {
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList(planFor(runbook).map((planned) => resource(new analyzerPb.AnalyzerResource(), planned)));
    const found = diagnostics(await call("analyzeStack", request));
    expect(found.map((diagnostic) => diagnostic.policyName).sort()).toEqual([
      "administrators-sspr-contested",
      "sms-voice-email-disabled",
    ]);
    for (const diagnostic of found) {
      expect(diagnostic.message).toContain("Conflict between baselines");
      expect(diagnostic.enforcementLevel).toBe(analyzerPb.EnforcementLevel.ADVISORY);
    }
  });

  it("takes a stack's config file: its mandatory rules fail the preview", async () => {
    const file = path.join(packDir, "config", "dev.json");
    const parsed = enforcementLevelsFrom(
      JSON.parse(fs.readFileSync(file, "utf8")),
      baselineRules.map((rule) => rule.name),
      file,
    );
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const configure = new analyzerPb.ConfigureAnalyzerRequest();
    const levels: Record<string, number> = {
      advisory: analyzerPb.EnforcementLevel.ADVISORY,
      mandatory: analyzerPb.EnforcementLevel.MANDATORY,
      disabled: analyzerPb.EnforcementLevel.DISABLED,
    };
    for (const [name, level] of Object.entries(parsed.levels)) {
      configure
        .getPolicyconfigMap()
        .set(
          name,
          new analyzerPb.PolicyConfig().setEnforcementlevel(levels[level]).setProperties(Struct.fromJavaScript({})),
        );
    }
    await call("configure", configure);

    const pilot = planFor({ ...runbook, scope: "selected", group: { id: pilotGroupId } });
    const policy = pilot.find((planned) => planned.name === "sspr-password-reset-policy");
    if (policy === undefined) throw new Error("no password reset policy planned");
    const found = diagnostics(await call("analyze", resource(new analyzerPb.AnalyzeRequest(), policy)));
    expect(found).toEqual([
      {
        policyName: "sspr-enabled-for-all",
        message: expect.stringContaining("Self service password reset enabled is Selected"),
        enforcementLevel: analyzerPb.EnforcementLevel.MANDATORY,
      },
    ]);
  });
});
