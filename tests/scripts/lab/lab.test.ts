import { beforeSmsVoiceEnd, phonesUntil } from "../../support/calendarWords";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../../emulator/server";
import {
  findOnPath,
  findPulumiCli,
  labCliEnvironment,
  labPassphrase,
  labPort,
  labWithCli,
  main,
  missingCliMessage,
  probeCli,
  pulumiCandidates,
} from "../../../scripts/lab/lab";
import { repositoryRoot } from "../../../scripts/stack/repository";
import { openStack } from "../../../components/openStack";
import { loadFixture } from "../../support/fixtures";

let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-lab-"));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** An executable shell script standing in for a CLI. */
function fakeCli(name: string, body: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "sucrase/register", "scripts/lab.ts", ...args], {
      cwd: repositoryRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("npm run lab without any Pulumi CLI", () => {
  it("says which CLIs it tried and how to install one, then completes the CLI-free rehearsal and frees the port", async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // Only node's own folder: no pulumi on PATH; the override names a CLI that does not exist.
      PATH: path.dirname(process.execPath),
      ENTRA_SSPR_PULUMI: "/nonexistent/pulumi",
    };
    const { code, stdout, stderr } = await run(["--port", "0"], env);
    expect(stderr).not.toMatch(/Error|failed/);
    expect(code).toBe(0);
    expect(stdout).toContain("The Pulumi CLI is not available here, so `pulumi up` cannot run. Tried:");
    expect(stdout).toContain("  - ENTRA_SSPR_PULUMI=/nonexistent/pulumi: not found");
    expect(stdout).toContain("https://www.pulumi.com/docs/install/");
    expect(stdout).toContain("curl -fsSL https://get.pulumi.com | sh");
    expect(stdout).toContain("CLI-free rehearsal");
    expect(stdout).toContain("Rehearsing stack lab (Pulumi.lab.yaml)");
    expect(stdout).toContain("Properties > Self service password reset enabled: None -> All");
    // Who gains what, for what each method really serves: Email resets but is no second factor for members; the
    // tenant does not allow office phones, so Voice is named for mobile phones only.
    expect(stdout).toContain(
      "  Email: all users can now use it to reset their password (SSPR); it is not a second factor for members.",
    );
    expect(stdout).toContain(
      `  Phone call (mobile phone): all users can now use it to reset their password (SSPR) and as a second factor (MFA)${phonesUntil}.`,
    );
    expect(stdout).not.toMatch(/MFA sign-in|mobile and office phone/);
    // Before the readiness line: who loses reset on 1 February 2027, users and administrators counted, and the fix.
    if (beforeSmsVoiceEnd) {
      expect(stdout).toMatch(
        /From 1 February 2027: Microsoft-provided SMS and voice calls end .*\. 0 of 20 users and 1 of 3 administrators can reset; 16 users \(.*\) and 2 administrators \(.*\) lose it\./,
      );
      expect(stdout).toMatch(/To keep them: offer .*\(methods\.(authenticatorApp|mobileAppCode): offer\)/);
    }
    // It ends with who can now reset (scripts/readiness.ts on the same emulator).
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^Readiness: 19 of 23 staff can reset \(83%\): 16 of 20 users, 3 of 3 administrators \(by the administrator policy\); 4 cannot: /,
    );
    expect(stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\./);
    expect(stdout).not.toMatch(/Bearer\s+[A-Za-z0-9]/i);
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await portIsFree(port)).toBe(true);
  });

  it("fails clearly when the emulator's port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const printed: string[] = [];
    try {
      expect(await main(["--port", String(port), "--rehearse"], (text) => printed.push(text))).toBe(1);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    expect(printed.join("\n")).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  });
});

describe("lab --rehearse with the lab port taken (issue 27)", () => {
  it("runs on a free port, since the rehearsal needs none of its own", async () => {
    // Take 8640 (Pulumi.lab.yaml's port); when something else already holds it, that is the same case.
    const blocker = net.createServer();
    const held = await new Promise<boolean>((resolve) => {
      blocker.once("error", () => resolve(false));
      blocker.listen(8640, "127.0.0.1", () => resolve(true));
    });
    const printed: string[] = [];
    try {
      expect(await main(["--rehearse"], (text) => printed.push(text))).toBe(0);
    } finally {
      if (held) await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    const output = printed.join("\n");
    expect(output).not.toContain("already in use");
    expect(output).toMatch(/listening on http:\/\/127\.0\.0\.1:(?!8640\b)\d+/);
  });
});

describe("finding the Pulumi CLI", () => {
  it("asks `pulumi version` and reports what each candidate said", async () => {
    const working = fakeCli("pulumi-ok", 'echo "v3.200.0"');
    const offline = fakeCli(
      "pulumi-offline",
      'echo "Downloading pulumi v3.265.0..."; echo "pulumi: fetch failed" >&2; exit 1',
    );
    const hanging = fakeCli("pulumi-hangs", "exec sleep 5");
    const env = process.env;
    expect(await probeCli({ label: "ok", command: working }, env)).toMatchObject({ version: "v3.200.0" });
    expect((await probeCli({ label: "offline", command: offline }, env)).reason).toBe(
      "`pulumi version` failed (exit code 1): Downloading pulumi v3.265.0... / pulumi: fetch failed",
    );
    expect((await probeCli({ label: "none", command: path.join(tmp, "absent") }, env)).reason).toBe("not found");
    expect((await probeCli({ label: "slow", command: hanging }, env, 200)).reason).toBe(
      "did not answer `pulumi version` within 0 s",
    );

    const search = await findPulumiCli(
      [
        { label: "npm package", command: offline },
        { label: "PATH", command: working },
      ],
      env,
    );
    expect(search.found?.candidate.label).toBe("PATH");
    expect(search.tried.map((probe) => probe.candidate.label)).toEqual(["npm package"]);
    expect(missingCliMessage(search.tried)).toContain(
      "  - npm package: `pulumi version` failed (exit code 1): Downloading pulumi v3.265.0... / pulumi: fetch failed",
    );
  });

  it("tries the override alone, else the npm package then PATH (skipping npm's own .bin folder on PATH)", () => {
    expect(pulumiCandidates({ ENTRA_SSPR_PULUMI: "/opt/pulumi" })).toEqual([
      { label: "ENTRA_SSPR_PULUMI=/opt/pulumi", command: "/opt/pulumi" },
    ]);
    const bin = path.join(repositoryRoot, "node_modules", ".bin");
    const elsewhere = fs.mkdtempSync(path.join(tmp, "path-"));
    fs.writeFileSync(path.join(elsewhere, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
    const candidates = pulumiCandidates({ PATH: [bin, elsewhere].join(path.delimiter) });
    expect(candidates.map((candidate) => candidate.command)).toEqual([
      path.join(bin, "pulumi"),
      path.join(elsewhere, "pulumi"),
    ]);
    expect(findOnPath(bin, [bin])).toBeUndefined();
    expect(pulumiCandidates({ PATH: bin })[1].label).toBe("`pulumi` on PATH");
  });
});

describe("the lab stack and the CLI run", () => {
  const labConfig = openStack({ stack: "lab", stackDir: repositoryRoot }).config;

  it("takes the emulator port from Pulumi.lab.yaml", () => {
    expect(labPort(labConfig)).toBe(8640);
    expect(labPort({})).toBeUndefined();
  });

  it("gives every CLI command the repository's file backend and the published lab passphrase", () => {
    const env = labCliEnvironment({ PATH: "/bin", PULUMI_CONFIG_PASSPHRASE_FILE: "/secret" }, "/repo/.pulumi");
    expect(env).toEqual({
      PATH: "/bin",
      PULUMI_BACKEND_URL: "file:///repo/.pulumi",
      PULUMI_CONFIG_PASSPHRASE: labPassphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
    });
  });

  it("with a CLI: selects or creates the lab stack, runs up with refresh, and prints the settings before and after", async () => {
    const calls = path.join(tmp, "calls.log");
    const cli = fakeCli("pulumi-fake", `echo "$* | $PULUMI_BACKEND_URL | $PULUMI_CONFIG_PASSPHRASE" >> "${calls}"`);
    const emulator = await startEmulator();
    const printed: string[] = [];
    const backend = path.join(tmp, "backend");
    try {
      const code = await labWithCli(cli, emulator, "lab.munyakazi.org", (text) => printed.push(text), backend);
      expect(code).toBe(0);
    } finally {
      await emulator.stop();
    }
    expect(fs.readFileSync(calls, "utf8").trim().split("\n")).toEqual([
      `stack select --create lab --non-interactive | file://${backend} | entra-sspr-lab`,
      `up --yes --refresh --stack lab --non-interactive | file://${backend} | entra-sspr-lab`,
    ]);
    expect(fs.statSync(backend).isDirectory()).toBe(true);
    const output = printed.join("\n");
    expect(output).toContain('the lab passphrase "entra-sspr-lab"');
    expect(output).toContain("Before (tenant lab.munyakazi.org");
    expect(output).toContain("Self service password reset enabled  None");
    // The stand-in CLI changed nothing.
    expect(output).toContain("What changed:\n  No changes");
  });

  it("with a CLI: lists the tenant's existing risks (lockout-check) before the plan, as the rehearsal does (issue 27)", async () => {
    const cli = fakeCli("pulumi-quiet", "true");
    const policy = loadFixture("graph-authentication-methods-policy.get.json") as {
      authenticationMethodConfigurations: { id: string; includeTargets?: unknown[]; state?: string }[];
    };
    for (const method of policy.authenticationMethodConfigurations)
      if (method.id === "Sms") {
        method.state = "enabled";
        method.includeTargets = [
          { id: "all_users", targetType: "group", isRegistrationRequired: false, isUsableForSignIn: true },
        ];
      }
    const emulator = await startEmulator({ seed: { authenticationMethodsPolicy: policy } });
    const printed: string[] = [];
    const args = openStack({ stack: "lab", stackDir: repositoryRoot }).args;
    try {
      const code = await labWithCli(cli, emulator, "lab.munyakazi.org", (text) => printed.push(text), tmp, args);
      expect(code).toBe(0);
    } finally {
      await emulator.stop();
    }
    const output = printed.join("\n");
    const risks = output.indexOf("Risks already in the tenant (npm run lockout-check), before the plan:");
    expect(risks).toBeGreaterThan(output.indexOf("Before (tenant"));
    expect(risks).toBeLessThan(output.indexOf("After:"));
    expect(output).toMatch(/ {2}- SMS is usable for sign-in for All users/);
  });

  it("a failing `pulumi up` makes the lab fail, after printing the tenant as it is", async () => {
    const cli = fakeCli("pulumi-up-fails", 'if [ "$1" = "up" ]; then exit 3; fi');
    const emulator = await startEmulator();
    const printed: string[] = [];
    try {
      const code = await labWithCli(cli, emulator, "lab.munyakazi.org", (text) => printed.push(text), tmp);
      expect(code).toBe(1);
    } finally {
      await emulator.stop();
    }
    expect(printed.join("\n")).toContain("`pulumi up` failed (exit code 3)");
  });
});
