/** The benchmark's result as Markdown tables (what docs/request-economy.md carries), where ours is above a peer, and the summary. */
import type { BenchResult, Requests } from "./run";

function markdown(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const total = (requests: Requests): number => requests.gets + requests.writes;
/** `GETs + writes = total`. */
const described = (requests: Requests): string => `${requests.gets} + ${requests.writes} = ${total(requests)}`;
/**
 * Round trips in a row, from wall time against latency: what the operation's wall time grew by when every answer
 * waited `latencyMs` (its wall time without latency, the local work, taken away), in latencies. Empty without latency.
 */
export function roundTripDepth(ms: number, baseMs: number | undefined, latencyMs: number): string {
  return latencyMs > 0 && baseMs !== undefined ? (Math.max(0, ms - baseMs) / latencyMs).toFixed(1) : "";
}
const ratio = (ours: number, theirs: number): string => (theirs === 0 ? "n/a" : (ours / theirs).toFixed(2));

/** Plain `up` rows: ours without refresh, the peers' with (theirs always re-read); compared as deployed instead. */
const unlikeForLike = new Set(["no-op up", "drift converge"]);

/**
 * Where ours costs more requests than a peer doing the same job: ours as deployed for the `up`s, and destroy (and
 * the lifecycle, which holds it) only against peers whose destroy puts the tenant back. `floors` (no tool's pattern)
 * are listed apart: {@link aboveAFloor}.
 */
export function aboveAPeer(result: BenchResult, floors = false): string[] {
  return result.operations.flatMap((row) =>
    Object.keys(row.peers)
      .filter((name) => result.floors.includes(name) === floors)
      .filter(() => !unlikeForLike.has(row.operation))
      .filter(
        (name) =>
          !(result.nonRestoring.includes(name) && (row.operation === "destroy" || row.operation === "lifecycle")),
      )
      .filter((name) => total(row.ours) > total(row.peers[name]))
      .map((name) => `${row.stack} ${row.operation}: ${total(row.ours)} > ${total(row.peers[name])} (${name})`),
  );
}

/** Where ours costs more requests than the writes-only floor (always-PATCH), which no tool ships. */
export const aboveAFloor = (result: BenchResult): string[] => aboveAPeer(result, true);

export function formatBench(result: BenchResult, settings: { runs: number; latencyMs: number }): string {
  const peerNames = Object.keys(result.total.peers);
  const operationTable = markdown(
    ["stack", "operation", "ours", "of which $batch", "wall (median)", "depth", "waves", "state", ...peerNames],
    result.operations.map((row) => [
      row.stack,
      row.operation,
      described(row.ours),
      row.ours.batches === 0 ? "" : `${row.ours.batches} carrying ${row.ours.batched}`,
      `${Math.round(row.ours.ms)} ms`,
      roundTripDepth(row.ours.ms, row.baseMs, settings.latencyMs),
      settings.latencyMs > 0 ? String(row.ours.waves) : "",
      row.operation === "lifecycle" ? "" : kilobytes(row.ours.stateBytes),
      ...peerNames.map((name) => described(row.peers[name])),
    ]),
  );
  const above = aboveAPeer(result);
  const aboveFloor = aboveAFloor(result);
  const floorNames = result.floors.join(" and ");
  const scaleTable = markdown(
    ["stack", "tenants", "mode", "processes", "requests", "wall"],
    result.scale.map((row) => [
      row.stack,
      String(row.tenants),
      row.mode,
      String(row.workers),
      String(row.requests),
      `${(row.ms / 1000).toFixed(1)} s`,
    ]),
  );
  const speedups = result.scale
    .filter((row) => row.mode === "parallel")
    .map((row) => {
      const sequential = result.scale.find(
        (one) => one.mode === "sequential" && one.stack === row.stack && one.tenants === row.tenants,
      );
      return sequential === undefined
        ? undefined
        : `${row.stack} ${row.tenants}: ${(row.ms / sequential.ms).toFixed(2)}`;
    })
    .filter((line): line is string => line !== undefined);
  const resources = Object.entries(result.resources)
    .map(([stack, types]) => `${stack}: ${types.join(", ")}`)
    .join("\n");
  const restored =
    result.notRestored.length === 0
      ? "Destroy restored every tenant to its seed (service timestamps aside): ours and every peer whose destroy puts it back."
      : `Destroy did NOT restore the seed for: ${result.notRestored.join(", ")}`;
  const peersTotal = peerNames
    .map((name) => `${result.total.peers[name]} for ${name} (${ratio(result.total.ours, result.total.peers[name])})`)
    .join(", ");
  return [
    `One tenant, ${settings.runs} run(s), emulator latency ${settings.latencyMs} ms per request; requests as GETs + writes = total, counted from each emulator's request log (a $batch is one request, a GET when it holds only GETs; "of which $batch": such round trips and the Graph requests inside them, which Graph throttles one by one; "depth": round trips in a row from wall time against latency, (wall time − the same operation's wall time without latency) / latency; "waves": round trips in a row read from the emulator's log, requests each arriving a latency after the one before).`,
    operationTable,
    "",
    above.length === 0
      ? "Ours (as deployed for the ups) is at or below every peer in every operation."
      : `Ours above a peer: ${above.join("; ")}. Why: msgraph PATCHes unread on create (no ownership claim, no before-snapshot, so nothing to put back); ours reads before it writes, keeps the tenant's before in the tenant and reads back.`,
    ...(result.floors.length === 0
      ? []
      : [
          `${floorNames} is no tool: the writes-only floor, nothing read (no drift seen, no write checked, destroy granted the export it writes back). ${
            aboveFloor.length === 0
              ? "Ours is at or below it in every operation too."
              : `Ours above it, for its reads: ${aboveFloor.join("; ")}.`
          }`,
        ]),
    'Plain "no-op up" and "drift converge" are ours without refresh (the peers\' ups always re-read): compare the "as deployed" rows (refresh + up, as .github/workflows/deploy.yml runs it).',
    ...(result.nonRestoring.length === 0
      ? []
      : [
          `${result.nonRestoring.join(" and ")}: destroy does not put the tenant back (their Delete sends no request); their destroy is a refresh, not the same job, and is left out of the comparison.`,
        ]),
    "The peers' handling of the portal's password reset policy is invented: none of Microsoft365DSC, the azuread provider or the msgraph provider manages it (no Graph API exists for it).",
    `Peers run as the tools do: ${Object.entries(result.concurrency)
      .map(([name, count]) => `${name} ${count === 1 ? "one resource at a time" : `${count} resources at once`}`)
      .join(", ")}; their wall times are not printed (requests are what this table compares).`,
    "",
    ...(result.scale.length > 0
      ? [
          "Our whole lifecycle per tenant count (parallel: the tenants shared by this and further worker processes, one per core):",
          scaleTable,
          `Parallel / sequential wall time: ${speedups.join(", ")}.`,
          "",
        ]
      : []),
    `Resources: ${resources}`,
    restored,
    `Summary: ${result.total.ours} requests for both stacks' lifecycles, against ${peersTotal}.`,
  ].join("\n");
}
