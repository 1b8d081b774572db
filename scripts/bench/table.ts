/** The benchmark's result as Markdown tables (what the README carries) and the one-line summary. */
import type { BenchResult } from "./run";

const ratio = (ours: number, baseline: number): string =>
  baseline === 0 ? (ours === 0 ? "-" : "n/a") : `${(ours / baseline).toFixed(2)}`;

function markdown(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function formatBench(result: BenchResult, settings: { runs: number; latencyMs: number }): string {
  const operationTable = markdown(
    ["stack", "operation", "GETs", "writes", "wall (median)", "state", "baseline GETs", "baseline writes", "ratio"],
    result.operations.map((row) => [
      row.stack,
      row.operation,
      String(row.ours.gets),
      String(row.ours.writes),
      `${Math.round(row.ours.ms)} ms`,
      kilobytes(row.ours.stateBytes),
      String(row.baseline.gets),
      String(row.baseline.writes),
      ratio(row.ours.gets + row.ours.writes, row.baseline.gets + row.baseline.writes),
    ]),
  );
  const scaleTable = markdown(
    ["stack", "tenants", "mode", "requests", "baseline requests", "ratio", "wall"],
    result.scale.map((row) => [
      row.stack,
      String(row.tenants),
      row.mode,
      String(row.requests),
      String(row.baselineRequests),
      ratio(row.requests, row.baselineRequests),
      `${(row.ms / 1000).toFixed(1)} s`,
    ]),
  );
  const resources = Object.entries(result.resources)
    .map(([stack, types]) => `${stack}: ${types.join(", ")}`)
    .join("\n");
  const restored =
    result.notRestored.length === 0
      ? "Destroy restored every tenant to its seed (service timestamps aside)."
      : `Destroy did NOT restore the seed for: ${result.notRestored.join(", ")}`;
  const { ours, baseline } = result.total;
  return [
    `One tenant, ${settings.runs} run(s), emulator latency ${settings.latencyMs} ms per request; ratio = ours / baseline requests.`,
    operationTable,
    "",
    "Whole lifecycle (the five operations) per tenant count:",
    scaleTable,
    "",
    `Resources: ${resources}`,
    restored,
    `Summary: ${ours} requests for the whole run, against ${baseline} for the always-PATCH baseline (${ratio(ours, baseline)}).`,
  ].join("\n");
}
