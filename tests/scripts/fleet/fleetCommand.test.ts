/**
 * `npm run fleet` through `main`: the repository's stacks (the lab stack read from its emulator, the dev stack not
 * read without --sign-in), the page in a real headless browser (Debian's Chromium; `.ci/run` installs it), and a
 * small simulated fleet under Graph's documented throttling, and under a tightened application budget to see it
 * pace itself.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { main, parseFleetArgs, stacksIn } from "../../../scripts/fleet/fleetCommand";
import type { FleetReport } from "../../../scripts/fleet/fleetPage";
import { repositoryRoot } from "../../../scripts/stack/repository";
import { useProviderHost } from "../../support/rehearsalHost";

const run = promisify(execFile);
const shared = useProviderHost();
const closing = /^fleet: (\d+) tenants, ([\d.]+) s, (\d+) failed, (\d+) throttled$/;

const readReport = (dir: string): FleetReport =>
  JSON.parse(fs.readFileSync(path.join(dir, "fleet.json"), "utf8")) as FleetReport;

describe("parseFleetArgs", () => {
  it("refuses what does not fit, every problem at once", () => {
    expect(parseFleetArgs(["--simulate", "0", "--concurrency", "x"])).toEqual({
      problems: [
        '--simulate is "0"; allowed: a whole number >= 1',
        '--concurrency is "x"; allowed: a whole number >= 1',
      ],
    });
    expect(parseFleetArgs(["--latency-ms", "100"])).toEqual({
      problems: ["--latency-ms and --app-units go with --simulate"],
    });
    expect(parseFleetArgs(["--simulate", "3", "--stack", "lab"])).toEqual({
      problems: ["--simulate checks simulated tenants, not --stack"],
    });
  });

  it("finds every stack file of the repository", () => {
    expect(stacksIn(repositoryRoot)).toEqual(expect.arrayContaining(["dev", "lab"]));
  });
});

describe("npm run fleet on the repository's stacks", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-"));
  const lines: string[] = [];
  let code = -1;
  beforeAll(async () => {
    code = await main(["--out", out, "--on", "2026-12-01"], (text) => lines.push(text), shared.host);
  }, 120_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("reads the lab stack from its emulator and lists the real one unread, ending with the closing line", () => {
    expect(code).toBe(0);
    const last = lines[lines.length - 1];
    expect(last).toMatch(closing);
    expect(closing.exec(last)?.slice(1, 2)).toEqual([String(stacksIn(repositoryRoot).length)]);
    expect(lines.join("\n")).toMatch(/^dev \(munyakazi\.org\): not read: a real tenant: run with --sign-in/m);
    const report = readReport(out);
    const lab = report.tenants.find((tenant) => tenant.stack === "lab");
    expect(lab).toBeDefined();
    // The runbook's lab: 19 of 23 can reset on 1 December 2026, and SMS and voice end on 1 February 2027.
    expect(lab?.readiness[0]).toMatchObject({ date: "2026-12-01", canReset: 19, people: 23 });
    expect(lab?.readiness.map((point) => point.date)).toEqual(["2026-12-01", "2027-02-01", "2027-03-01"]);
    expect(lab?.nextExposure?.date).toBe("2027-02-01");
    expect(lab?.drift).toEqual([]);
    expect(lab?.owner).toMatch(/^stack .*lab/);
    expect(lab?.baseline?.applicable).toBeGreaterThan(0);
  });

  it("writes a self-contained page: no external fetch, every cell's link leads to its fix", () => {
    const html = fs.readFileSync(path.join(out, "fleet.html"), "utf8");
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    const links = [...html.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(html).toContain(`id="${link}"`);
  });

  describe("the fleet page in Chromium", () => {
    const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => fs.existsSync(file));
    const browse = (...args: string[]) =>
      run(
        chromium as string,
        [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
          ...args,
          `file://${path.join(out, "fleet.html")}`,
        ],
        { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      );
    if (chromium === undefined)
      it.skip("needs Chromium (apt-get install -y chromium; .ci/run installs it): no chromium binary found", () => {});
    else
      it("renders, is screenshotted, and its numbers match the JSON", async () => {
        const shot = path.join(out, "fleet.png");
        await browse("--window-size=1400,1000", `--screenshot=${shot}`);
        const png = fs.readFileSync(shot);
        expect(png.subarray(1, 4).toString()).toBe("PNG");
        expect(png.length).toBeGreaterThan(20_000); // a rendered page, not a blank one
        const { stdout: dom } = await browse("--dump-dom");
        const report = readReport(out);
        // The totals the page's own script counted in the browser, from the cells it rendered.
        const totals = /<span id="totals"([^>]*)>/.exec(dom)?.[1] ?? "";
        const attribute = (name: string) => Number(new RegExp(`data-${name}="(\\d+)"`).exec(totals)?.[1]);
        expect(attribute("tenants")).toBe(report.totals.tenants);
        expect(attribute("can-reset-today")).toBe(report.totals.canResetToday);
        expect(attribute("can-reset-worst")).toBe(report.totals.canResetWorst);
        expect(attribute("drifted")).toBe(report.totals.drifted);
        expect(attribute("exposed")).toBe(report.totals.exposed);
        // Row by row, most at risk first, as the JSON lists them.
        const rows = [...dom.matchAll(/<tr data-tenant="([^"]*)" data-stack="([^"]*)"/g)].map((match) => match[2]);
        expect(rows).toEqual(report.tenants.map((tenant) => tenant.stack));
        const lab = report.tenants.find((tenant) => tenant.stack === "lab");
        expect(dom).toContain(`data-control="today" data-value="${lab?.readiness[0].canReset}"`);
        expect(dom).toMatch(new RegExp(`data-date="2027-02-01" data-can-reset="${lab?.readiness[1].canReset}"`));
      });
  });
});

describe("npm run fleet -- --simulate", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-sim-"));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("checks 20 varied emulator tenants under Graph's documented limits, page and JSON listing all", async () => {
    const lines: string[] = [];
    const code = await main(
      ["--simulate", "20", "--latency-ms", "20", "--out", out, "--on", "2026-12-01"],
      (text) => lines.push(text),
      shared.host,
    );
    expect(code).toBe(0);
    const last = lines[lines.length - 1];
    expect(closing.exec(last)?.[1]).toBe("20");
    expect(closing.exec(last)?.[3]).toBe("0");
    const report = readReport(out);
    expect(report.tenants).toHaveLength(20);
    expect(new Set(report.tenants.map((tenant) => tenant.tenant)).size).toBe(20);
    // Varied: drift in some, no owner in some, some unaffected by the SMS and voice end (own telephony).
    expect(report.tenants.filter((tenant) => tenant.drift.length > 0).length).toBeGreaterThan(0);
    expect(report.tenants.filter((tenant) => tenant.owner === "none").length).toBeGreaterThan(0);
    expect(report.tenants.filter((tenant) => tenant.nextExposure === undefined).length).toBeGreaterThan(0);
    // The most at risk first.
    const risks = report.tenants.map((tenant) => tenant.risk);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    const html = fs.readFileSync(path.join(out, "fleet.html"), "utf8");
    expect(html.match(/<tr data-tenant=/g)).toHaveLength(20);
  }, 180_000);

  it("paces itself when the application's budget binds: 429s given, every one honoured, none failed", async () => {
    const lines: string[] = [];
    // 3 tenants need about 60 resource units; 30 per 20 s forces waits of up to 20 s.
    const code = await main(
      ["--simulate", "3", "--app-units", "30", "--out", out, "--on", "2026-12-01"],
      (text) => lines.push(text),
      shared.host,
    );
    const match = closing.exec(lines[lines.length - 1]);
    expect(match?.[3]).toBe("0");
    expect(Number(match?.[4])).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toMatch(/before their Retry-After/);
    expect(code).toBe(0);
    expect(readReport(out).tenants.every((tenant) => tenant.problems.length === 0)).toBe(true);
  }, 180_000);
});
