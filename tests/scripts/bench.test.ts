/**
 * A smoke run of `npm run bench`: both stacks' lifecycles once with the peers beside them. The heavy runs (3
 * repetitions, 10 and 50 tenants) are the bench's own, outside `npm test`; tests/scripts/bench/parallel.test.ts
 * runs a tenant in a worker process. Counts are asserted, and one timing with a round trip of margin: the runbook's
 * first up at most 5 round trips deep by wall time (4 waves in its log).
 */
import { operations, wavesInLog } from "../../scripts/bench/lifecycle";
import { runBench, type BenchResult } from "../../scripts/bench/run";
import { aboveAFloor, aboveAPeer, formatBench, roundTripDepth } from "../../scripts/bench/table";
import { main } from "../../scripts/bench/benchCommand";
import { useProviderHost } from "../support/rehearsalHost";

const fixture = useProviderHost();
let result: BenchResult;

beforeAll(async () => {
  result = await runBench({ host: fixture.host, runs: 1, tenants: [] });
});

const row = (stack: string, operation: string) => {
  const found = result.operations.find((one) => one.stack === stack && one.operation === operation);
  if (!found) throw new Error(`no row ${stack} ${operation}`);
  return found;
};

describe("npm run bench (requests counted from the emulator's log: ours and three peers run beside it)", () => {
  it("measures both stacks' resources as the program registers them", () => {
    expect(result.resources.runbook.filter((type) => type === "AuthenticationMethodConfiguration")).toHaveLength(3);
    expect(result.resources.full).toEqual(
      expect.arrayContaining(["AuthenticationMethodsPolicy", "AdministratorPasswordReset", "PasswordResetPolicy"]),
    );
  });

  it("a no-op up writes nothing, the drift converges in one write, every destroy that restores (ours and the peers' that do) gives back the seed", () => {
    for (const stack of ["runbook", "full"]) {
      expect(row(stack, "no-op up").ours.writes).toBe(0);
      expect(row(stack, "refresh").ours.writes).toBe(0);
      expect(row(stack, "drift converge").ours.writes).toBe(1);
    }
    expect(result.notRestored).toEqual([]);
  });

  it("keeps the full stack's state (8 resources) under 150 KB (the providers reached by package name, not stored)", () => {
    expect(result.resources.full).toHaveLength(8);
    expect(row("full", "first up").ours.stateBytes).toBeLessThan(150 * 1024);
    expect(row("runbook", "first up").ours.stateBytes).toBeLessThan(row("full", "first up").ours.stateBytes);
  });

  it("stays within the request limits of issue 19 (a $batch of GETs counts as one GET: one round trip)", () => {
    const requests = (stack: string, operation: string) =>
      row(stack, operation).ours.gets + row(stack, operation).ours.writes;
    // Refresh: the portal's GET, and one Graph $batch with the methods policy (every method configuration), the
    // ownership mark and, for the full stack, the authorization policy.
    expect(requests("runbook", "refresh")).toBeLessThanOrEqual(2);
    expect(requests("full", "refresh")).toBeLessThanOrEqual(3);
    // A no-op up reads the ownership mark, once (the organization id comes from state).
    for (const stack of ["runbook", "full"]) expect(requests(stack, "no-op up")).toBeLessThanOrEqual(1);
    expect(row("runbook", "first up").ours.gets).toBeLessThanOrEqual(6);
    expect(row("runbook", "destroy").ours.gets).toBeLessThanOrEqual(5);
  });

  it("costs no more than any peer doing the same job: ours as deployed, destroy against the peers that restore", () => {
    // The peers are the tools' patterns (Microsoft365DSC, the azuread and msgraph providers): ours is at or below
    // each in every operation. always-PATCH is no tool but the writes-only floor: ours is above it only where ours
    // reads (before writing, and back after), which the floor never does.
    expect(aboveAPeer(result)).toEqual([]);
    expect(result.floors).toEqual(["always-PATCH"]);
    expect(aboveAFloor(result).every((line) => / \(always-PATCH\)$/.test(line))).toBe(true);
    for (const line of aboveAFloor(result)) expect(line).toMatch(/ (first up|destroy|lifecycle): /);
    // The Terraform providers' destroy sends no write (Delete forgets): said, and not compared.
    expect(result.nonRestoring).toEqual(["Terraform-style", "msgraph"]);
    for (const stack of ["runbook", "full"]) {
      expect(row(stack, "destroy").peers.msgraph.writes).toBe(0);
      expect(row(stack, "destroy").peers["Terraform-style"].writes).toBe(0);
    }
  });

  it("measures ours as deployed as one deployment (up --refresh): the up reuses what the refresh read", () => {
    for (const stack of ["runbook", "full"]) {
      const requests = (operation: string) => row(stack, operation).ours.gets + row(stack, operation).ours.writes;
      // The no-op up sends nothing the refresh did not: the mark and every object were read by the refresh.
      expect(requests("no-op up, as deployed")).toBe(requests("refresh"));
      // The drift: the refresh's reads, the one write and its read-back.
      expect(row(stack, "drift converge, as deployed").ours.writes).toBe(1);
      expect(requests("drift converge, as deployed")).toBeLessThanOrEqual(requests("refresh") + 2);
    }
    const printed = formatBench(result, { runs: 1, latencyMs: 0 });
    expect(printed).toContain("portal's password reset policy is invented");
    expect(printed).toContain("msgraph 10 resources at once");
    expect(printed).toContain("Microsoft365DSC one resource at a time");
    expect(printed).toContain("always-PATCH is no tool: the writes-only floor");
  });

  it("runs each peer on the same objects: a refresh is one GET per object for all three", () => {
    // runbook: the portal policy and three method configurations; full: four methods, the methods policy root and
    // the authorization policy besides.
    for (const [stack, objects] of [
      ["runbook", 4],
      ["full", 7],
    ] as const) {
      expect(row(stack, "refresh").peers).toEqual({
        Microsoft365DSC: { gets: objects, writes: 0 },
        "Terraform-style": { gets: objects, writes: 0 },
        msgraph: { gets: objects, writes: 0 },
        "always-PATCH": { gets: objects, writes: 0 },
      });
    }
  });

  it("adds the lifecycle row and the summary from the operations, and names where ours is above a peer", () => {
    for (const stack of ["runbook", "full"]) {
      const lifecycle = row(stack, "lifecycle");
      const sum = (pick: (one: ReturnType<typeof row>) => number) =>
        operations.reduce((total, operation) => total + pick(row(stack, operation)), 0);
      expect(lifecycle.ours.gets).toBe(sum((one) => one.ours.gets));
      expect(lifecycle.peers.Microsoft365DSC.writes).toBe(sum((one) => one.peers.Microsoft365DSC.writes));
    }
    const requests = (stack: string) => row(stack, "lifecycle").ours.gets + row(stack, "lifecycle").ours.writes;
    expect(result.total.ours).toBe(requests("runbook") + requests("full"));
    const printed = formatBench(result, { runs: 1, latencyMs: 0 }).split("\n");
    expect(printed[printed.length - 1]).toMatch(
      new RegExp(
        `^Summary: ${result.total.ours} requests for both stacks' lifecycles, against \\d+ for Microsoft365DSC`,
      ),
    );
    const naive = row("runbook", "no-op up").peers["always-PATCH"];
    expect(printed.join("\n")).toContain(`| ${naive.gets} + ${naive.writes} = ${naive.gets + naive.writes}`);
    // Every operation where ours costs more than a peer is named, with both figures; none where it does not.
    const above = aboveAPeer(result);
    expect(above.every((line) => /^(runbook|full) .+: \d+ > \d+ \(.+\)$/.test(line))).toBe(true);
    const aboveLine = printed.find((line) => line.startsWith("Ours "));
    expect(aboveLine?.split(". Why: ")[0]).toBe(
      above.length === 0
        ? "Ours (as deployed for the ups) is at or below every peer in every operation."
        : `Ours above a peer: ${above.join("; ")}`,
    );
    // A plain up is ours without refresh: never counted as above a peer (theirs re-read); a peer above ours there is
    // only named through the "as deployed" row.
    expect(above.some((line) => / (no-op up|drift converge): /.test(line))).toBe(false);
  });

  it("refuses a bad option naming what is allowed", async () => {
    await expect(main(["--tenants", "1,many"])).rejects.toThrow('--tenants is "many"; allowed: an integer 0-500');
    await expect(main(["--scale-stacks", "huge"])).rejects.toThrow("allowed: runbook, full");
    await expect(main(["--workers", "0"])).rejects.toThrow('--workers is "0"; allowed: an integer 1-64');
  });
});

describe("the chain's depth (issue 28): round trips in a row, from wall time against latency and from the log", () => {
  // 200 ms (the bench's default) and the median of 3 runs: the local work's jitter (tens of ms when the other test
  // files load the machine) stays a small part of a round trip.
  const latencyMs = 200;
  let deep: BenchResult;

  beforeAll(async () => {
    deep = await runBench({ host: fixture.host, runs: 3, tenants: [], latencyMs, stacks: ["runbook"] });
  });

  const runbook = (operation: string) => {
    const found = deep.operations.find((one) => one.stack === "runbook" && one.operation === operation);
    if (!found) throw new Error(`no row runbook ${operation}`);
    return found;
  };
  const depth = (operation: string) => {
    const { ours, baseMs } = runbook(operation);
    return Number(roundTripDepth(ours.ms, baseMs, latencyMs));
  };

  it("takes the local work away: the wall time grown by the latency, in latencies", () => {
    expect(roundTripDepth(1130, 130, 200)).toBe("5.0");
    expect(roundTripDepth(930, 0, 100)).toBe("9.3");
    expect(roundTripDepth(930, 30, 0)).toBe("");
    expect(roundTripDepth(930, undefined, 100)).toBe("");
  });

  it("counts a wave per request sent on the answer of another, none for requests sent together", () => {
    const at = (ms: number) => ({ time: new Date(Date.UTC(2026, 0, 1) + ms).toISOString() });
    expect(wavesInLog([at(0), at(1), at(40), at(41), at(90)], 40)).toBe(3);
    expect(wavesInLog([at(0), at(1)], 0)).toBe(0);
  });

  it("keeps the runbook's first up at most 5 deep by wall time, destroy at most 5 waves, the lifecycle at most 20 requests", () => {
    // Reads leave beside the mark's, its old place too (the organization's id comes from the token's tid:
    // tenantOwnership.ts `organizationOf`); the before-snapshot, the first claim, the setting writes and their
    // read-back leave in one $batch (dependsOn); the portal goes straight to PUT and read-back. Destroy reads every
    // restore target at once; docs/request-economy.md says why it is 5 waves.
    expect(depth("first up")).toBeLessThanOrEqual(5);
    expect(runbook("first up").ours.waves).toBeLessThanOrEqual(4);
    expect(runbook("destroy").ours.waves).toBeLessThanOrEqual(4);
    expect(runbook("no-op up").ours.waves).toBeLessThanOrEqual(1);
    const lifecycle = runbook("lifecycle").ours;
    expect(lifecycle.gets + lifecycle.writes).toBeLessThanOrEqual(20);
  });

  it("prints the depth it measured, and for the deep operations it agrees with the log's waves (within a round trip)", () => {
    const printed = formatBench(deep, { runs: 1, latencyMs }).split("\n");
    const header = printed.find((line) => line.startsWith("| stack ") && line.includes("operation")) ?? "";
    const depthColumn = header
      .split("|")
      .map((cell) => cell.trim())
      .indexOf("depth");
    const firstLine = printed.find((line) => /^\| runbook +\| first up /.test(line)) ?? "";
    expect(firstLine.split("|").map((cell) => cell.trim())[depthColumn]).toBe(depth("first up").toFixed(1));
    // (A shallow operation's local work, up to 150 ms of running the program, overlaps its waits: its depth from
    // wall time is looser than that.)
    for (const operation of ["first up", "destroy"]) {
      expect(Math.abs(depth(operation) - runbook(operation).ours.waves)).toBeLessThanOrEqual(1);
    }
  });
});
