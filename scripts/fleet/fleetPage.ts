/**
 * The fleet page and its JSON: pure renderings of the fleet check's results. The page is one self-contained HTML
 * file (inline CSS, inline SVG, one inline script; no external fetch, so it reads offline and prints): a tenant ×
 * control matrix with the most at-risk tenants first, each cell linking to its fix further down the same page, and a
 * chart per tenant of who can reset from today through each of Microsoft's dated changes in the next 12 months.
 *
 * Every number a cell shows is also in a `data-value` attribute, and the inline script totals them in the browser
 * (`#totals`), so a browser test can hold the rendered page against the JSON.
 */
import type { TenantResult } from "./tenantCheck";

export interface FleetRun {
  /** `YYYY-MM-DD` judged as today. */
  today: string;
  /** ISO time the check ended. */
  generatedAt: string;
  seconds: number;
  /** Tenants whose check failed (not read because of an error; a real stack not asked for is not a failure). */
  failed: number;
  /** 429 answers the fleet was given (and honoured), when known. */
  throttled: number;
}

export interface FleetReport extends FleetRun {
  /** The most at risk first. */
  tenants: TenantResult[];
  totals: FleetTotals;
}

export interface FleetTotals {
  tenants: number;
  people: number;
  canResetToday: number;
  /** Summed over tenants: the fewest who can reset at any date in the next 12 months. */
  canResetWorst: number;
  drifted: number;
  exposed: number;
}

export const controls = ["today", "worst", "exposure", "drift", "owner", "baseline"] as const;
export type Control = (typeof controls)[number];

export const controlTitles: Record<Control, string> = {
  today: "Can reset today",
  worst: "Can reset, worst date in 12 months",
  exposure: "Next date exposed",
  drift: "Settings drifted from config",
  owner: "Owner stack",
  baseline: "Baseline rules passed",
};

/** The most at risk first: risk, then the nearest exposure, then drift, then the weakest baseline, then the name. */
export function byRisk(a: TenantResult, b: TenantResult): number {
  return (
    b.risk - a.risk ||
    (a.nextExposure?.date ?? "9999").localeCompare(b.nextExposure?.date ?? "9999") ||
    b.drift.length - a.drift.length ||
    baselineShare(a) - baselineShare(b) ||
    a.stack.localeCompare(b.stack)
  );
}

const baselineShare = (result: TenantResult): number =>
  result.baseline === undefined || result.baseline.applicable === 0
    ? 1
    : result.baseline.passed / result.baseline.applicable;

export function worstPoint(result: TenantResult): TenantResult["readiness"][number] | undefined {
  return result.readiness.reduce<TenantResult["readiness"][number] | undefined>(
    (worst, point) => (worst === undefined || point.canReset < worst.canReset ? point : worst),
    undefined,
  );
}

export function fleetReport(run: FleetRun, tenants: readonly TenantResult[]): FleetReport {
  const sorted = [...tenants].sort(byRisk);
  const read = sorted.filter((tenant) => tenant.readiness.length > 0);
  return {
    ...run,
    tenants: sorted,
    totals: {
      tenants: sorted.length,
      people: read.reduce((sum, tenant) => sum + tenant.readiness[0].people, 0),
      canResetToday: read.reduce((sum, tenant) => sum + tenant.readiness[0].canReset, 0),
      canResetWorst: read.reduce((sum, tenant) => sum + (worstPoint(tenant)?.canReset ?? 0), 0),
      drifted: sorted.filter((tenant) => tenant.drift.length > 0).length,
      exposed: sorted.filter((tenant) => tenant.nextExposure !== undefined).length,
    },
  };
}

export function fleetJson(report: FleetReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const escape = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] as string,
  );

type Level = "ok" | "warn" | "bad" | "none";

interface Cell {
  shown: string;
  /** The number the cell stands for (totalled by the page's script), when it has one. */
  value?: number;
  level: Level;
  /** The fix, in lines. */
  fix: string[];
}

function cellOf(result: TenantResult, control: Control): Cell {
  if (result.notRead !== undefined && control !== "baseline")
    return { shown: "not read", level: "none", fix: [result.notRead] };
  const today = result.readiness[0];
  switch (control) {
    case "today": {
      const fix =
        today.loses === 0
          ? ["Everybody can reset today."]
          : [
              `${today.loses} of ${today.people} cannot reset today.`,
              `Who and why, in admin-center words: npm run readiness -- --stack ${result.stack}`,
              ...result.problems,
            ];
      return {
        shown: `${today.canReset} of ${today.people}`,
        value: today.canReset,
        level: today.loses === 0 ? "ok" : today.canReset === 0 ? "bad" : "warn",
        fix,
      };
    }
    case "worst": {
      const worst = worstPoint(result) as TenantResult["readiness"][number];
      const fixes = result.readiness.flatMap((point) =>
        point.loses > 0 && point.what !== "today"
          ? [`${point.date} (${point.what}): ${point.loses} lose reset.`, ...point.fixes.map((fix) => `  ${fix}`)]
          : [],
      );
      return {
        shown: `${worst.canReset} of ${worst.people} (${worst.date})`,
        value: worst.canReset,
        level: worst.canReset === worst.people ? "ok" : worst.canReset === 0 ? "bad" : "warn",
        fix: fixes.length > 0 ? fixes : ["Nobody loses reset on any of Microsoft's dates in the next 12 months."],
      };
    }
    case "exposure": {
      const exposure = result.nextExposure;
      return exposure === undefined
        ? { shown: "none in 12 months", level: "ok", fix: ["No dated change in the next 12 months takes reset away."] }
        : {
            shown: exposure.date,
            value: exposure.loses,
            level: "bad",
            fix: [
              `${exposure.date}: ${exposure.what}; ${exposure.loses} lose reset.`,
              ...(result.readiness.find((point) => point.date === exposure.date)?.fixes ?? []),
            ],
          };
    }
    case "drift":
      if (result.driftUnread !== undefined)
        return { shown: "unknown", level: "none", fix: [result.driftUnread, ...result.problems] };
      return {
        shown: String(result.drift.length),
        value: result.drift.length,
        level: result.drift.length === 0 ? "ok" : "bad",
        fix:
          result.drift.length === 0
            ? ["The tenant has the stack's settings."]
            : [
                ...result.drift.map((line) => `${line.setting}: config ${line.expected}, tenant ${line.actual}`),
                `Put them back: pulumi up --refresh --stack ${result.stack} (or change the config to keep the tenant's).`,
              ],
      };
    case "owner": {
      const own = result.owner.startsWith(`stack ${result.stack}`) || result.owner.includes(`/${result.stack} `);
      return {
        shown: result.owner.startsWith("unknown") ? "unknown" : result.owner === "none" ? "none" : result.owner,
        level: own ? "ok" : result.owner.startsWith("unknown") ? "none" : "warn",
        fix: own
          ? ["This stack holds the tenant's ownership mark."]
          : result.owner === "none"
            ? [`No stack has claimed the tenant: pulumi up --stack ${result.stack} writes the ownership mark.`]
            : result.owner.startsWith("unknown")
              ? [result.owner, "Reading the mark needs Application.Read.All (docs/fleet.md)."]
              : [
                  `Another stack owns the tenant (${result.owner}). To move it here, set entra-sspr:takeOverFrom ` +
                    `in Pulumi.${result.stack}.yaml (docs/ownership.md).`,
                ],
      };
    }
    case "baseline": {
      const baseline = result.baseline;
      if (baseline === undefined)
        return { shown: "not scored", level: "none", fix: ["The stack's plan could not be scored."] };
      return {
        shown: `${baseline.passed} of ${baseline.applicable}`,
        value: baseline.passed,
        level: baseline.passed === baseline.applicable ? "ok" : "warn",
        fix:
          baseline.failing.length === 0
            ? ["Every applicable baseline rule passes."]
            : baseline.failing.map((rule) => `${rule.rule} (${rule.setting}): ${rule.message}`),
      };
    }
  }
}

const chartWidth = 240;
const chartHeight = 48;

/** Who can reset from today through the next 12 months: a step line, the share of people, one point per date. */
export function chartSvg(result: TenantResult, today: string): string {
  if (result.readiness.length === 0) return "";
  const start = Date.parse(`${today}T00:00:00Z`);
  const end = start + 365 * 86_400_000;
  const x = (date: string) =>
    Math.round(
      ((Math.min(end, Math.max(start, Date.parse(`${date}T00:00:00Z`))) - start) / (end - start)) * chartWidth,
    );
  const y = (point: TenantResult["readiness"][number]) =>
    Math.round((1 - (point.people === 0 ? 1 : point.canReset / point.people)) * (chartHeight - 8)) + 4;
  let path = `M0 ${y(result.readiness[0])}`;
  for (const point of result.readiness.slice(1)) path += ` H${x(point.date)} V${y(point)}`;
  path += ` H${chartWidth}`;
  const marks = result.readiness
    .slice(1)
    .map(
      (point) =>
        `<circle cx="${x(point.date)}" cy="${y(point)}" r="2.5" data-date="${escape(point.date)}" data-can-reset="${point.canReset}"><title>${escape(
          `${point.date}: ${point.canReset} of ${point.people} can reset (${point.what})`,
        )}</title></circle>`,
    )
    .join("");
  return (
    `<svg class="chart" viewBox="0 0 ${chartWidth} ${chartHeight}" width="${chartWidth}" height="${chartHeight}" ` +
    `role="img" aria-label="${escape(`who can reset in ${result.stack} over the next 12 months`)}">` +
    `<rect x="0" y="0" width="${chartWidth}" height="${chartHeight}" class="frame"/>` +
    `<line x1="0" y1="4" x2="${chartWidth}" y2="4" class="full"/>` +
    `<path d="${path}" class="line"/>${marks}</svg>`
  );
}

const style = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111}
h1{font-size:1.4em}table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
th{background:#eee;text-align:left}td a{color:inherit}
.ok{background:#dff3df}.warn{background:#fff1c2}.bad{background:#f8d0d0}.none{background:#eee;color:#555}
svg.chart .frame{fill:#fff;stroke:#ccc}svg.chart .full{stroke:#9c9;stroke-dasharray:3 3}
svg.chart .line{fill:none;stroke:#c33;stroke-width:2}svg.chart circle{fill:#c33}
.fix{margin:.3em 0 .8em 1em;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
@media print{a{text-decoration:none}tr{break-inside:avoid}.fixes{break-before:page}}
`;

/** Totals the matrix cells in the browser: the page's own arithmetic, checked against the JSON by the browser test. */
const script = `
(function(){var t={tenants:0,canResetToday:0,canResetWorst:0,drifted:0,exposed:0};
document.querySelectorAll('tr[data-tenant]').forEach(function(row){t.tenants++;
function v(c){var e=row.querySelector('td[data-control="'+c+'"]');return e&&e.dataset.value!==undefined?Number(e.dataset.value):null}
t.canResetToday+=v('today')||0;t.canResetWorst+=v('worst')||0;if((v('drift')||0)>0)t.drifted++;if(v('exposure')!==null)t.exposed++;});
var out=document.getElementById('totals');out.textContent='tenants '+t.tenants+', can reset today '+t.canResetToday+
', can reset at the worst date '+t.canResetWorst+', drifted '+t.drifted+', exposed '+t.exposed;
Object.keys(t).forEach(function(k){out.dataset[k]=String(t[k])});})();
`;

export function fleetHtml(report: FleetReport): string {
  const rows: string[] = [];
  const fixes: string[] = [];
  report.tenants.forEach((result, index) => {
    const id = `t${index}`;
    const cells = controls.map((control) => {
      const cell = cellOf(result, control);
      const anchor = `fix-${id}-${control}`;
      fixes.push(
        `<div id="${anchor}"><strong>${escape(result.stack)} · ${escape(controlTitles[control])}: ${escape(cell.shown)}</strong>` +
          `<div class="fix">${cell.fix.map(escape).join("\n")}</div></div>`,
      );
      return (
        `<td class="${cell.level}" data-control="${control}"${cell.value === undefined ? "" : ` data-value="${cell.value}"`}>` +
        `<a href="#${anchor}">${escape(cell.shown)}</a></td>`
      );
    });
    rows.push(
      `<tr data-tenant="${escape(result.tenant)}" data-stack="${escape(result.stack)}" data-risk="${result.risk}">` +
        `<th id="${id}">${escape(result.stack)}<br><small>${escape(result.tenant)} (${escape(result.source)})</small></th>` +
        `${cells.join("")}<td>${chartSvg(result, report.today)}</td></tr>`,
    );
  });
  const totals = report.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SSPR fleet, ${escape(report.today)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${style}</style></head>
<body>
<h1>Self-service password reset across the fleet, ${escape(report.today)}</h1>
<p id="summary" data-tenants="${totals.tenants}" data-people="${totals.people}" data-can-reset-today="${totals.canResetToday}">
${totals.tenants} tenants; ${totals.canResetToday} of ${totals.people} people can reset today; ${totals.canResetWorst} at each
tenant's worst date in the next 12 months; ${totals.drifted} drifted from their config; ${totals.exposed} exposed to a dated
change. Checked in ${report.seconds} s, ${report.failed} failed, ${report.throttled} throttled (every 429 honoured).</p>
<p>Totals counted by this page: <span id="totals">(needs the page's script)</span></p>
<p>The most at-risk tenants first. Each cell links to its fix below; the chart shows the share of people who can reset
from today (left) to 12 months ahead (right), dropping on each of Microsoft's dated changes (dots; hover for the count).</p>
<table id="matrix"><thead><tr><th>Stack / tenant</th>${controls.map((control) => `<th>${escape(controlTitles[control])}</th>`).join("")}<th>Who can reset, next 12 months</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>
<h2 class="fixes">Fixes</h2>
${fixes.join("\n")}
<script>${script}</script>
</body></html>
`;
}
