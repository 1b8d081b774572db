/**
 * Issue 28, "the old mark's place joins the first batch": on a stack's first `up`, TenantOwnership reads the mark and
 * the mark's old place (on the organization, whose path needs the organization's id) in one round trip. The runbook
 * names its tenant by domain (`munyakazi.org`); the organization's id comes from the Graph token's `tid` (the lab's
 * tokens carry the GUID as Entra's do), so nothing waits for `GET /organization`. Through the real path: the program
 * (index.ts, Pulumi.dev.yaml), the rehearsal engine, the provider plugin, HTTP, the emulator with latency.
 * A tenant name the lab cannot resolve still works: the organization is read, beside the mark.
 */
import { runbookConfig } from "../../../scripts/bench/stacks";
import { wavesInLog } from "../../../scripts/bench/lifecycle";
import { emulatorStack } from "../../../scripts/stack/emulatorStack";
import { ownershipApplicationUniqueName, ownershipExtensionName } from "../../../provider/ownership/ownershipMark";
import type { RequestLogEntry } from "../../../emulator/server";
import { useEmulator } from "../../support/emulator";
import { useProviderHost } from "../../support/rehearsalHost";

const latencyMs = 50;
const hosted = useProviderHost();
const lab = useEmulator({ latencyMs });

const ownershipOf = (state: Record<string, { type: string; outputs?: Record<string, unknown> }>) =>
  Object.values(state).find((entry) => entry.type === "entra-sspr:index:TenantOwnership")?.outputs;
/** Every Graph request of the log as `METHOD url` (relative to the version), a `$batch`'s inner ones in one list. */
const trips = (log: RequestLogEntry[]) =>
  log
    .filter((entry) => entry.api === "graph")
    .map((entry) =>
      entry.batchUrls !== undefined
        ? entry.batchUrls.map((url, index) => `${entry.batch?.[index]} ${url}`)
        : [`${entry.method} ${entry.path.replace(/^\/v1\.0/, "")}${entry.query === "" ? "" : `?${entry.query}`}`],
    );

it("sends the mark's old place in the first $batch with the mark, reads no organization, and is one round trip shallower", async () => {
  const id = lab.seeded.tenantId.toLowerCase();
  const oldPlace = `GET /organization/${id}/extensions/${ownershipExtensionName}`;
  const result = await emulatorStack({ host: hosted.host, emulatorUrl: lab.emulator.url }).up(runbookConfig());
  expect(ownershipOf(result.state)).toMatchObject({ organizationId: id, owner: "organization/entra-sspr/dev" });

  const log = lab.emulator.requests();
  const graph = trips(log);
  expect(graph[0]).toEqual(
    expect.arrayContaining([
      oldPlace,
      expect.stringMatching(`^GET /applications\\(uniqueName='${ownershipApplicationUniqueName}'\\)`),
    ]),
  );
  // Never alone, and the organization's id is never read.
  expect(graph.slice(1).flat()).not.toContain(oldPlace);
  expect(graph.flat().filter((trip) => /^GET \/organization(\?|$)/.test(trip))).toEqual([]);
  // Reads, the write $batch, the portal's PUT and read-back: 4 round trips in a row (5 while the old place waited).
  expect(wavesInLog(log, latencyMs)).toBeLessThanOrEqual(4);
});

it("still reads the organization, beside the mark, for a tenant name the lab cannot resolve, and claims the tenant", async () => {
  const id = lab.seeded.tenantId.toLowerCase();
  const config = { ...runbookConfig(), "entra-sspr:tenantId": "unresolved.example" };
  const result = await emulatorStack({ host: hosted.host, emulatorUrl: lab.emulator.url }).up(config);
  expect(ownershipOf(result.state)).toMatchObject({ organizationId: id, owner: "organization/entra-sspr/dev" });

  const graph = trips(lab.emulator.requests());
  expect(graph[0]).toContain("GET /organization?$select=id");
  expect(graph.flat()).toContain(`GET /organization/${id}/extensions/${ownershipExtensionName}`);
  expect(lab.emulator.state().applications).toHaveLength(1);
});
