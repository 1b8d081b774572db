import { baselineObjects, baselineRequests } from "../../scripts/bench/baseline";
import { operations } from "../../scripts/bench/lifecycle";
import { runBench, type BenchResult } from "../../scripts/bench/run";
import { formatBench } from "../../scripts/bench/table";
import { main } from "../../scripts/bench";
import { startProviderPlugin, type ProviderHost } from "../../harness/providerHost";
import { repositoryRoot } from "../../scripts/rehearse";

let host: ProviderHost;
let result: BenchResult;

// One small run for the whole file: both stacks once, the runbook on 2 tenants one after another and at once.
beforeAll(async () => {
  host = await startProviderPlugin({ cwd: repositoryRoot });
  result = await runBench({ host, runs: 1, tenants: [2], scaleStacks: ["runbook"] });
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

const row = (stack: string, operation: string) => {
  const found = result.operations.find((one) => one.stack === stack && one.operation === operation);
  if (!found) throw new Error(`no row ${stack} ${operation}`);
  return found.ours;
};

describe("npm run bench (request counts through program, host and emulator)", () => {
  it("measures both stacks' resources as the program registers them", () => {
    expect(result.resources.runbook.filter((type) => type === "AuthenticationMethodConfiguration")).toHaveLength(3);
    expect(result.resources.full).toEqual(
      expect.arrayContaining(["AuthenticationMethodsPolicy", "AdministratorPasswordReset", "PasswordResetPolicy"]),
    );
    expect(baselineObjects(result.resources.runbook)).toBe(4);
    expect(baselineObjects(result.resources.full)).toBe(7);
  });

  it("a no-op re-apply writes nothing, one changed setting is one write, destroy restores the seed", () => {
    for (const stack of ["runbook", "full"]) {
      expect(row(stack, "no-op re-apply").writes).toBe(0);
      expect(row(stack, "refresh").writes).toBe(0);
      expect(row(stack, "one setting changed").writes).toBe(1);
    }
    expect(result.notRestored).toEqual([]);
  });

  it("keeps the full stack's state under 150 KB (the providers reached by package name, not stored)", () => {
    expect(row("full", "first apply").stateBytes).toBeLessThan(150 * 1024);
    expect(row("runbook", "first apply").stateBytes).toBeLessThan(row("full", "first apply").stateBytes);
  });

  it("refresh reads each tenant object once (plus the ownership resource's organization read)", () => {
    // runbook: the portal policy and the methods policy (every method configuration in one GET); full: those and
    // the authorization policy. TenantOwnership reads the organization (with its ownership mark) once: +1.
    expect(row("runbook", "refresh").gets).toBe(2 + 1);
    expect(row("full", "refresh").gets).toBe(3 + 1);
  });

  it("scales linearly, the same requests sequential and parallel, and the summary adds up every scale row", () => {
    const single = operations.reduce(
      (sum, operation) => sum + row("runbook", operation).gets + row("runbook", operation).writes,
      0,
    );
    const scale = result.scale.map((one) => [one.tenants, one.mode]);
    expect(scale).toEqual([
      [2, "sequential"],
      [2, "parallel"],
    ]);
    const [sequential, parallel] = result.scale.map((one) => one.requests);
    // A shared policy read that misses its gathering window under load costs one more GET (never a stale answer),
    // and one that catches a neighbour's saves one: totals are linear up to that, per tenant and operation.
    const slack = 2 * operations.length;
    for (const total of [sequential, parallel]) {
      expect(Math.abs(total - 2 * single)).toBeLessThanOrEqual(slack);
    }
    const baseline = operations.reduce((sum, operation) => {
      const modelled = baselineRequests(operation, 4);
      return sum + modelled.gets + modelled.writes;
    }, 0);
    expect(result.scale.map((one) => one.baselineRequests)).toEqual([2 * baseline, 2 * baseline]);
    expect(result.total).toEqual({ ours: sequential + parallel, baseline: 4 * baseline });
    const printed = formatBench(result, { runs: 1, latencyMs: 0 }).split("\n");
    expect(printed[printed.length - 1]).toBe(
      `Summary: ${sequential + parallel} requests for the whole run, against ${4 * baseline} for the always-PATCH ` +
        `baseline (${((sequential + parallel) / (4 * baseline)).toFixed(2)}).`,
    );
  });

  it("refuses a bad option naming what is allowed", async () => {
    await expect(main(["--tenants", "1,many"])).rejects.toThrow('--tenants is "many"; allowed: an integer 0-500');
    await expect(main(["--scale-stacks", "huge"])).rejects.toThrow("allowed: runbook, full");
  });
});
