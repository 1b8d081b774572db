/**
 * Issue 27: `snapshot`, `readiness` and `doctor` read an emulator that is already running (`--emulator-url`, or a lab
 * stack's own endpoints when an emulator answers there) instead of starting their own. Each test starts an emulator,
 * changes it behind the command's back (the control API, `PUT /_emulator/state`), and checks the output shows THAT
 * emulator's tenant, which a fresh one would not.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type * as net from "node:net";
import * as path from "node:path";
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { startEmulator, type RunningEmulator } from "../../../emulator/server";
import { main as doctor } from "../../../scripts/readiness/doctorCommand";
import { main as readiness, readinessUsage } from "../../../scripts/readiness/readinessCommand";
import { main as snapshot, snapshotUsage } from "../../../scripts/lab/snapshotCommand";
import {
  emulatorAnswers,
  emulatorUrlProblem,
  ignoreRunningEmulatorVariable,
} from "../../../scripts/readiness/stackTenant";
import { useRehearsalHost } from "../../support/rehearsalHost";

const shared = useRehearsalHost("running-emulator");

async function run(
  command: (argv: string[], say: (text: string) => void) => Promise<number>,
  argv: string[],
): Promise<{ code: number; output: string }> {
  const printed: string[] = [];
  const code = await command(argv, (text) => printed.push(text));
  return { code, output: printed.join("\n") };
}

/** A running emulator with SSPR on for all users and administrators refused: a fresh one has neither. */
async function changedEmulator(): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0 });
  const tenant = createDefaultTenant();
  const response = await fetch(`${emulator.url}/_emulator/state`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      authorizationPolicy: { ...tenant.authorizationPolicy, allowedToUseSSPR: false },
      users: tenant.users.map((user) =>
        user.userPrincipalName === "c.vogel@munyakazi.org" ? { ...user, displayName: "Running Emulator Vogel" } : user,
      ),
    }),
  });
  expect(response.status).toBe(200);
  return emulator;
}

describe("--emulator-url: a running emulator, read as it is", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await changedEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it("readiness reads that emulator, sends it no write, and leaves it running", async () => {
    emulator.clearRequests();
    const { code, output } = await run(
      (argv, say) => readiness(argv, say, shared.host),
      ["--stack", "lab", "--emulator-url", emulator.url],
    );
    expect([0, 3]).toContain(code);
    expect(output).toContain(`the running emulator at ${emulator.url} (--emulator-url; read as it is`);
    expect(output).toContain("SSPR for administrators is off");
    expect(emulator.requests().filter((request) => request.method !== "GET")).toEqual([]);
    expect(await emulatorAnswers(emulator.url)).toBe(true);
  });

  it("doctor reads that emulator: the administrator refused there cannot reset", async () => {
    const { code, output } = await run(
      (argv, say) => doctor(argv, say, shared.host),
      ["--stack", "lab", "--user", "admin@munyakazi.org", "--emulator-url", emulator.url, "--json"],
    );
    expect(code).toBe(1);
    const verdict = JSON.parse(output) as { canReset: boolean; checks: { id: string; ok: boolean; found: string }[] };
    expect(verdict.canReset).toBe(false);
    expect(verdict.checks.find((check) => check.id === "sspr-enabled")).toMatchObject({ ok: false });
  });

  it("snapshot copies that emulator's tenant", async () => {
    const out = path.join(shared.tmp, "running.json");
    const { code, output } = await run(snapshot, ["--stack", "lab", "--emulator-url", emulator.url, "--out", out]);
    expect(code).toBe(0);
    expect(output).toContain(`Copied the running emulator at ${emulator.url}`);
    const seed = JSON.parse(fs.readFileSync(out, "utf8")) as {
      authorizationPolicy?: { allowedToUseSSPR?: boolean };
      users?: { userPrincipalName: string; displayName?: string }[];
    };
    expect(seed.authorizationPolicy?.allowedToUseSSPR).toBe(false);
    expect(seed.users?.find((user) => user.userPrincipalName === "c.vogel@munyakazi.org")?.displayName).toBe(
      "Running Emulator Vogel",
    );
  });
});

describe("a lab stack's own endpoints", () => {
  it("an emulator answering there is read; a port held by something else is not mistaken for one", async () => {
    const folder = fs.mkdtempSync(path.join(shared.tmp, "lab-"));
    const emulator = await changedEmulator();
    // Another program on the port: it answers HTTP, but not as the emulator does.
    const blocker = http.createServer((_request, response) => response.writeHead(404).end("not here"));
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const blocked = `http://127.0.0.1:${(blocker.address() as net.AddressInfo).port}`;
    const stackFile = (name: string, url: string): string => {
      const lab = fs.readFileSync(path.join(__dirname, "../../../Pulumi.lab.yaml"), "utf8");
      const file = path.join(folder, `Pulumi.${name}.yaml`);
      fs.writeFileSync(file, lab.replaceAll("http://127.0.0.1:8640", url));
      return file;
    };
    // The suite turns the lookup off (tests/support/jestEnvironment.ts); this test is the lookup's own.
    delete process.env[ignoreRunningEmulatorVariable];
    try {
      const found = await run(
        (argv, say) => readiness(argv, say, shared.host),
        ["--stack-file", stackFile("found", emulator.url)],
      );
      expect(found.output).toContain(`the running emulator at ${emulator.url} (found at the stack's endpoints`);
      expect(found.output).toContain("SSPR for administrators is off");

      const fresh = await run(
        (argv, say) => readiness(argv, say, shared.host),
        ["--stack-file", stackFile("blocked", blocked)],
      );
      expect(fresh.output).toContain("a fresh emulator with stack blocked applied");
      expect(fresh.output).not.toContain("SSPR for administrators is off");
    } finally {
      process.env[ignoreRunningEmulatorVariable] = "ignore";
      await emulator.stop();
      blocker.closeAllConnections();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

describe("--emulator-url on the command line", () => {
  it("loopback only, never with a fresh emulator's options, and --help explains it", async () => {
    expect(emulatorUrlProblem("https://graph.microsoft.com")).toMatch(
      /^--emulator-url is "https:\/\/graph\.microsoft\.com"; allowed: /,
    );
    expect(emulatorUrlProblem("http://127.0.0.1:8640")).toBeUndefined();
    const { code, output } = await run(
      (argv, say) => readiness(argv, say, shared.host),
      ["--stack", "lab", "--emulator-url", "http://10.0.0.5:8640", "--seed", "x.json"],
    );
    expect(code).toBe(2);
    expect(output).toContain(
      '--emulator-url is "http://10.0.0.5:8640"; allowed: the emulator\'s http URL on a loopback host',
    );
    expect(output).toContain("give --emulator-url or --seed, not both");
    for (const usage of [readinessUsage, snapshotUsage])
      expect(usage).toMatch(/--emulator-url URL {3}read the emulator already running at URL/);
  });

  it("a URL where no emulator answers: nothing is read, and the message says how to start one", async () => {
    const { code, output } = await run(snapshot, ["--stack", "lab", "--emulator-url", "http://127.0.0.1:9"]);
    expect(code).toBe(1);
    expect(output).toContain("--emulator-url http://127.0.0.1:9: no entra-sspr emulator answers there");
  });
});
