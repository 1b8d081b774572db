/**
 * The bench's parallel tenants: a tenant taken by a worker process (forked, a client of the same provider host)
 * runs the same lifecycle as one in this process, and is counted.
 */
import { operations } from "../../../scripts/bench/lifecycle";
import { runInWorkers, tenantLifecycle } from "../../../scripts/bench/parallel";
import { useProviderHost } from "../../support/rehearsalHost";

const hosted = useProviderHost();

describe("runInWorkers", () => {
  it("a tenant run in a worker process sends what one in this process sends, and its destroy restores the seed", async () => {
    const task = { stack: "runbook" as const, latencyMs: 0, hostAddress: hosted.host.address, lanes: 1 };
    const here = await tenantLifecycle(hosted.host, task);
    // No lanes here: the worker must take the tenant.
    const inWorker = await runInWorkers({
      stack: "runbook",
      tenants: 1,
      latencyMs: 0,
      host: hosted.host,
      workers: 1,
      lanesHere: 0,
    });
    expect(inWorker.row.workers).toBe(1);
    expect(inWorker.notRestored).toBe(0);
    expect(here.restored).toBe(true);
    // A shared read that misses a neighbour's costs one more GET (never a stale answer): equal up to that.
    expect(Math.abs(inWorker.row.requests - here.requests)).toBeLessThanOrEqual(operations.length);
    expect(inWorker.row.requests).toBeGreaterThan(0);
  });

  it("uses no more processes than tenants", async () => {
    const none = await runInWorkers({ stack: "runbook", tenants: 0, latencyMs: 0, host: hosted.host, workers: 4 });
    expect(none.row).toMatchObject({ requests: 0, workers: 1 });
  });
});
