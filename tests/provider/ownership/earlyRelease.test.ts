/**
 * Issue 28, "the claim and the release batch with the method writes": destroy's release of the ownership mark rides
 * in the `$batch` of the last restore writes, behind their read-backs (`dependsOn`), instead of a round trip of its
 * own after them (provider/ownership/earlyRelease.ts). Through the real path: the program (index.ts,
 * Pulumi.dev.yaml), the rehearsal engine, the provider plugin, HTTP, the emulator with latency.
 *   - the runbook's destroy: the release is inside the last `$batch`, nothing after it, 4 round trips in a row, and
 *     the tenant is back to its seed;
 *   - a restore write that fails inside that `$batch`: Graph answers the release 424, the mark keeps the claim, and
 *     the rerun restores and releases;
 *   - a restore the read-back shows did not take, after the release went: that resource stays in state with its
 *     snapshot, and the rerun (mark gone) restores it: nothing lost;
 *   - a takeover (the mark holds entries of objects this stack does not manage): the release goes on its own, after
 *     the restores, as before, and both stacks' destroys give back the seed.
 */
import { fullConfig, runbookConfig } from "../../../scripts/bench/stacks";
import { wavesInLog, withoutServiceTimestamps } from "../../../scripts/bench/lifecycle";
import { emulatorStack } from "../../../scripts/stack/emulatorStack";
import { EngineError, type EngineState } from "../../../engine/engine";
import { ownershipApplicationUniqueName } from "../../../provider/ownership/ownershipMark";
import type { RequestLogEntry, TenantState } from "../../../emulator/server";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

jest.setTimeout(120_000);

const latencyMs = 50;
const hosted = useProviderHost();
const lab = useEmulator({ latencyMs });

const release = `PATCH /applications(uniqueName='${ownershipApplicationUniqueName}')`;
const methodWrite = /^PATCH \/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\//;

/** Each request of the log as its list of `METHOD url` (a `$batch`: its inner requests, in order). */
const trips = (log: RequestLogEntry[]): string[][] =>
  log.map((entry) =>
    entry.batchUrls !== undefined
      ? entry.batchUrls.map((url, index) => `${entry.batch?.[index]} ${url}`)
      : [`${entry.method} ${entry.path.replace(/^\/v1\.0/, "")}${entry.query === "" ? "" : `?${entry.query}`}`],
  );

/** The mark's application's notes (null once released). */
const markNotes = (state: TenantState): unknown =>
  state.applications.find((application) => application.uniqueName === ownershipApplicationUniqueName)?.notes;

/** The tenant's settings, service stamps and a released (empty) mark aside, as the bench compares them. */
const settings = (state: TenantState): string => withoutServiceTimestamps(state);

const ownershipType = "entra-sspr:index:TenantOwnership";
const methodNamed = (state: EngineState, method: string) =>
  Object.values(state).find(
    (entry) => entry.type === "entra-sspr:index:AuthenticationMethodConfiguration" && entry.urn.endsWith(method),
  );

async function destroyFailing(stack: ReturnType<typeof emulatorStack>, state: EngineState): Promise<EngineError> {
  try {
    await stack.destroy(runbookConfig(), state);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error("destroy did not fail");
}

it("the runbook's destroy sends the release in the last $batch, behind the method writes, and nothing after: 4 round trips, the seed back", async () => {
  const seeded = lab.emulator.state();
  const stack = emulatorStack({ host: hosted.host, emulatorUrl: lab.emulator.url });
  const up = await stack.up(runbookConfig());
  expect(typeof markNotes(lab.emulator.state())).toBe("string");
  lab.emulator.clearRequests();

  await stack.destroy(runbookConfig(), up.state);

  const log = lab.emulator.requests();
  const all = trips(log);
  const last = all[all.length - 1];
  // The last request is a $batch: the method configurations' restore writes and read-backs, then the release.
  expect(log[log.length - 1].batch).toBeDefined();
  expect(last.filter((trip) => methodWrite.test(trip)).length).toBeGreaterThan(0);
  expect(last[last.length - 1]).toBe(release);
  expect(last.indexOf(release)).toBeGreaterThan(
    Math.max(...last.map((trip, at) => (methodWrite.test(trip) ? at : -1))),
  );
  // Released once, in that batch: TenantOwnership's delete sent nothing.
  expect(all.flat().filter((trip) => trip === release)).toHaveLength(1);
  expect(wavesInLog(log, latencyMs)).toBeLessThanOrEqual(4);
  const after = lab.emulator.state();
  expect(markNotes(after)).toBeNull();
  expect(settings(after)).toBe(settings(seeded));
});

it("a restore write that fails in that $batch: Graph runs no release (424), the mark keeps the claim, and the rerun restores and releases", async () => {
  const seeded = lab.emulator.state();
  const stack = emulatorStack({ host: hosted.host, emulatorUrl: lab.emulator.url });
  const up = await stack.up(runbookConfig());
  const claimed = markNotes(lab.emulator.state());
  lab.emulator.clearRequests();
  // One restore write is refused (inside the batch: the fault answers that inner request).
  lab.emulator.addFault({
    method: "PATCH",
    path: "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Voice",
    status: 403,
  });

  const failed = await destroyFailing(stack, up.state);

  expect(failed.message).toMatch(/403/);
  // The release was in the batch behind it, and Graph did not run it: the mark still holds the claim.
  const voiceBatch = trips(lab.emulator.requests()).find((trip) => trip.some((one) => one.endsWith("/Voice")));
  expect(voiceBatch).toContain(release);
  expect(markNotes(lab.emulator.state())).toBe(claimed);
  expect(Object.values(failed.state).some((entry) => entry.type === ownershipType)).toBe(true);

  await stack.destroy(runbookConfig(), failed.state);
  const after = lab.emulator.state();
  expect(markNotes(after)).toBeNull();
  expect(settings(after)).toBe(settings(seeded));
});

it("a restore whose read-back shows it did not take, after the release went: the resource keeps its snapshot in state, and the rerun puts it back", async () => {
  const seeded = lab.emulator.state();
  const stack = emulatorStack({ host: hosted.host, emulatorUrl: lab.emulator.url });
  const up = await stack.up(runbookConfig());
  lab.emulator.clearRequests();
  // Voice's restore write is answered 204 without being applied: every request of the batch succeeds (so the
  // release runs), and only the client's compare after the batch sees that the tenant did not take it.
  lab.emulator.addFault({
    method: "PATCH",
    path: "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Voice",
    status: 204,
  });

  const failed = await destroyFailing(stack, up.state);

  expect(failed.message).toMatch(/restoring the snapshot failed, the tenant did not take/);
  expect(markNotes(lab.emulator.state())).toBeNull();
  const voice = methodNamed(failed.state, "voice");
  expect(voice?.outputs?.snapshot).toEqual(methodNamed(up.state, "voice")?.outputs?.snapshot);
  expect(settings(lab.emulator.state())).not.toBe(settings(seeded));

  // The rerun finds the mark gone ("a missing mark still restores") and restores from state; this stack released
  // it itself, so nobody is blamed for deleting it outside Pulumi.
  const from = hosted.host.logs().length;
  const rerun = await stack.destroy(runbookConfig(), failed.state);
  expect(rerun.state).toEqual({});
  expect(settings(lab.emulator.state())).toBe(settings(seeded));
  const warnings = hosted.host
    .logs()
    .slice(from)
    .map((line) => line.text);
  expect(warnings.filter((text) => text.includes("ownership mark is missing"))).toEqual([]);
});

it("after a takeover (the mark holds entries of objects this stack does not manage) the release goes on its own, last, and both destroys give back the seed", async () => {
  const seeded = lab.emulator.state();
  const a = emulatorStack({ host: hosted.host, emulatorUrl: lab.emulator.url, stack: "a" });
  const b = emulatorStack({ host: hosted.host, emulatorUrl: lab.emulator.url, stack: "b" });
  const upA = await a.up(fullConfig());
  const takeOver = { ...runbookConfig(), "entra-sspr:takeOverFrom": "organization/entra-sspr/a" };
  const upB = await b.up(takeOver);
  lab.emulator.clearRequests();

  await b.destroy(takeOver, upB.state);

  const log = lab.emulator.requests();
  const all = trips(log);
  // Alone, after the batch of the restore writes: TenantOwnership's delete released it, as before.
  expect(all[all.length - 1]).toEqual([release]);
  expect(all.slice(0, -1).flat()).not.toContain(release);
  expect(
    all
      .slice(0, -1)
      .flat()
      .some((trip) => methodWrite.test(trip)),
  ).toBe(true);
  expect(markNotes(lab.emulator.state())).toBeNull();

  await a.destroy(fullConfig(), upA.state);
  expect(settings(lab.emulator.state())).toBe(settings(seeded));
});
