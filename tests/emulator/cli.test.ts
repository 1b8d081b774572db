import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, portalFixture } from "./helpers";

const root = join(__dirname, "..", "..");

/** Runs the CLI the way `npm run emulator` does (`node -r sucrase/register emulator/cli.ts`). */
function runCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const { ENTRA_SSPR_EMULATOR_TODAY: _inherited, ...parent } = process.env;
  return spawn(process.execPath, ["-r", "sucrase/register", "emulator/cli.ts", ...args], {
    cwd: root,
    stdio: "pipe",
    env: { ...parent, ...env },
  });
}

/** Starts the CLI, reads its date through GET /_emulator/today and the tenant's applied changes, then stops it. */
async function dateOf(args: string[], env: Record<string, string> = {}): Promise<{ today: unknown; applied: unknown }> {
  const child = runCli(["--port", "0", ...args], env);
  try {
    const url = (await firstLine(child)).replace("listening on ", "");
    const today = (await call(url, "GET", "/_emulator/today")).body;
    const state = (await call(url, "GET", "/_emulator/state")).body as { microsoftChangesApplied: { id: string }[] };
    return { today, applied: state.microsoftChangesApplied.map((record) => record.id) };
  } finally {
    const exited = exitOf(child);
    child.kill("SIGTERM");
    await exited;
  }
}

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0]);
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`exited with ${code} before printing: ${err}`)));
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

describe("emulator CLI", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "emulator-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints `listening on http://127.0.0.1:<port>`, serves the seeded tenant, stops on SIGTERM", async () => {
    const seedFile = join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ passwordResetPolicies: portalFixture() }));
    const child = runCli(["--port", "0", "--seed", seedFile, "--throttle", "100/1"]);
    try {
      const line = await firstLine(child);
      expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.replace("listening on ", "");
      const state = await call(url, "GET", "/_emulator/state");
      expect((state.body as { passwordResetPolicies: unknown }).passwordResetPolicies).toEqual(portalFixture());
      const exited = exitOf(child);
      child.kill("SIGTERM");
      expect((await exited).code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("says how to use it (the lab stack, tokens, the control routes) and stops cleanly on Ctrl-C", async () => {
    const child = runCli(["--port", "0"]);
    try {
      let out = "";
      const told = new Promise<void>((resolve) =>
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("Ctrl-C stops it.")) resolve();
        }),
      );
      await told;
      const [first, ...rest] = out.split("\n");
      expect(first).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const guide = rest.join("\n");
      expect(guide).toContain("Pulumi.lab.yaml");
      expect(guide).toContain("npm run rehearse -- --stack lab");
      expect(guide).toMatch(/GET\|PUT http:\/\/127\.0\.0\.1:\d+\/_emulator\/state/);
      const exited = exitOf(child);
      child.kill("SIGINT");
      expect((await exited).code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses a bad option with exit code 2 and says what is allowed", async () => {
    const child = runCli(["--throttle", "lots"]);
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(2);
    expect(stderr).toContain('--throttle is "lots"; allowed: N/S');
  });

  it("refuses --host 0.0.0.0 without --allow-remote, saying why and which flag allows it", async () => {
    const { code, stderr } = await exitOf(runCli(["--host", "0.0.0.0", "--port", "0"]));
    expect(code).toBe(2);
    expect(stderr).toContain('--host is "0.0.0.0"; allowed: a loopback address (127.0.0.1, ::1, localhost).');
    expect(stderr).toContain("(--allow-remote, or allowRemote: true)");
  });

  it("--allow-remote binds 0.0.0.0 with a warning", async () => {
    const child = runCli(["--host", "0.0.0.0", "--port", "0", "--allow-remote"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const line = await firstLine(child);
      expect(line).toMatch(/^listening on http:\/\/0\.0\.0\.0:\d+$/);
      const port = line.replace(/^.*:/, "");
      expect((await call(`http://127.0.0.1:${port}`, "GET", "/_emulator/faults")).status).toBe(200);
      expect(stderr).toContain("warning: --allow-remote: the emulator on 0.0.0.0 answers any machine");
      const exited = exitOf(child);
      child.kill("SIGTERM");
      expect((await exited).code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses a bad --latency-ms naming what is allowed", async () => {
    const { code, stderr } = await exitOf(runCli(["--latency-ms", "slow"]));
    expect(code).toBe(2);
    expect(stderr).toContain('--latency-ms is "slow"; allowed: an integer 0-60000');
  });

  describe("the date", () => {
    it("is the machine's by default, following its clock, with nothing of Microsoft's applied", async () => {
      expect(await dateOf([])).toEqual({
        today: { today: new Date().toISOString().slice(0, 10), followsClock: true },
        applied: [],
      });
    });

    it("--today sets it, and wins over ENTRA_SSPR_EMULATOR_TODAY, which wins over the seed file's today", async () => {
      const seedFile = join(dir, "dated.json");
      writeFileSync(seedFile, JSON.stringify({ today: "2026-05-05" }));
      expect((await dateOf(["--seed", seedFile])).today).toEqual({ today: "2026-05-05", followsClock: false });
      expect((await dateOf(["--seed", seedFile], { ENTRA_SSPR_EMULATOR_TODAY: "2027-02-01" })).today).toEqual({
        today: "2027-02-01",
        followsClock: false,
      });
      expect((await dateOf(["--today", "2027-03-01"], { ENTRA_SSPR_EMULATOR_TODAY: "2027-02-01" })).today).toEqual({
        today: "2027-03-01",
        followsClock: false,
      });
    });

    it("--microsoft-changes apply applies what is due on the date; without it the tenant starts as given", async () => {
      expect((await dateOf(["--today", "2026-09-01"])).applied).toEqual([]);
      expect((await dateOf(["--today", "2026-09-01", "--microsoft-changes", "apply"])).applied).toEqual([
        "passkeys-for-sms-and-voice-users",
      ]);
    });

    it("says the date and what is not applied after the first line", async () => {
      const child = runCli(["--port", "0", "--today", "2027-02-01"]);
      try {
        let out = "";
        await new Promise<void>((resolve) =>
          child.stdout.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes("Ctrl-C stops it.")) resolve();
          }),
        );
        expect(out).toContain("Date: 2027-02-01, as given");
        expect(out).toContain("Microsoft's dated changes in effect: 2027-02-01 microsoft-sms-and-voice-retired");
        expect(out).toContain("Not applied, the tenant starts as given: 2026-09-01 passkeys-for-sms-and-voice-users");
      } finally {
        const exited = exitOf(child);
        child.kill("SIGTERM");
        await exited;
      }
    });

    it("refuses a bad --today, ENTRA_SSPR_EMULATOR_TODAY or --microsoft-changes with exit code 2, naming the form", async () => {
      const flag = await exitOf(runCli(["--today", "2027-02-30"]));
      expect(flag.code).toBe(2);
      expect(flag.stderr).toContain(
        '--today is "2027-02-30"; expected a date in the form YYYY-MM-DD (for example 2027-02-01)',
      );
      const env = await exitOf(runCli([], { ENTRA_SSPR_EMULATOR_TODAY: "next week" }));
      expect(env.code).toBe(2);
      expect(env.stderr).toContain('ENTRA_SSPR_EMULATOR_TODAY is "next week"; expected a date in the form YYYY-MM-DD');
      const mode = await exitOf(runCli(["--microsoft-changes", "later"]));
      expect(mode.code).toBe(2);
      expect(mode.stderr).toContain('--microsoft-changes is "later"; allowed: apply, hold');
    });
  });
});
