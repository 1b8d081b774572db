/**
 * One permission list (`permissionList` in provider/grants/grants.ts): the bootstrap's grants, the preflight's
 * checks and the permission table of docs/permissions.md all derive from it, and this file fails when one of them does not.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { bootstrapPlan } from "../../../bootstrap/plan";
import {
  grantSteps,
  identityNeeds,
  leastGraphPermissions,
  permissionList,
  permissionTable,
  type GrantStep,
} from "../../../provider/grants/grants";
import type { SelfServicePasswordResetArgs } from "../../../components/ssprArgs";
import { runbookArgs } from "../../support/runbook";
import { withTable } from "../../../scripts/permissionTable";

const repositoryRoot = path.resolve(__dirname, "../../..");

/** A Markdown table's cells, whitespace and column padding aside. */
const cells = (table: string): string[][] =>
  table
    .trim()
    .split("\n")
    .filter((line) => !/^\|[\s|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );

const pilotId = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
/** The stack shapes the pipeline must deploy: the runbook, a created pilot group, an existing one without admins. */
const shapes: Record<string, SelfServicePasswordResetArgs> = {
  runbook: runbookArgs,
  createdPilot: { ...runbookArgs, scope: "selected", group: { displayName: "SSPR Pilot", members: ["a@b.example"] } },
  existingGroupAdminsOff: {
    ...runbookArgs,
    scope: "selected",
    group: { id: pilotId },
    administrators: { allowed: false },
  },
};

describe("the one permission list", () => {
  it("docs/permissions.md's permission table is the list's, row for row", () => {
    const page = fs.readFileSync(path.join(repositoryRoot, "docs", "permissions.md"), "utf8");
    const match = /<!-- permission-table:start -->([\s\S]*?)<!-- permission-table:end -->/.exec(page);
    expect(match).not.toBeNull();
    expect(cells(match?.[1] ?? "")).toEqual(cells(permissionTable()));
    // Every grant of the list has its row there, the drift check's registration report among them.
    for (const entry of Object.values(permissionList)) expect(page).toContain(entry.what);
  });

  it("the table lives in docs/, not in the README, which links it", () => {
    const readme = fs.readFileSync(path.join(repositoryRoot, "README.md"), "utf8");
    expect(readme).not.toContain("permission-table:start");
    expect(readme).toContain("](docs/permissions.md)");
  });

  it("the generator rewrites only the table between the markers, and refuses a page without them", () => {
    const page =
      "# P\n\nintro\n\n<!-- permission-table:start -->\n\n| old |\n\n<!-- permission-table:end -->\n\nafter\n";
    const written = withTable(page, "| new |");
    expect(written).toBe(
      "# P\n\nintro\n\n<!-- permission-table:start -->\n\n| new |\n\n<!-- permission-table:end -->\n\nafter\n",
    );
    expect(() => withTable("# no markers\n")).toThrow(/markers/);
  });

  it("every grant names the step that needs it, and every step an identity that runs it", () => {
    for (const entry of Object.values(permissionList)) {
      expect(entry.steps.length).toBeGreaterThan(0);
      for (const step of entry.steps) expect(Object.keys(grantSteps)).toContain(step);
    }
  });

  it.each(Object.entries(shapes))(
    "%s: the deployment identity never gets Organization.ReadWrite.All or Group.ReadWrite.All",
    (_, args) => {
      const plan = bootstrapPlan({ repository: "o/r", pulumiOrg: "o", stacks: ["s"] }, () => ({ args }));
      if ("problems" in plan) throw new Error(plan.problems.join("\n"));
      expect(plan.deployPermissions).not.toContain("Organization.ReadWrite.All");
      expect(plan.deployPermissions).not.toContain("Group.ReadWrite.All");
    },
  );

  it.each(Object.entries(shapes))(
    "%s: the bootstrap grants exactly what the preflight checks for each identity",
    (_, args) => {
      const plan = bootstrapPlan({ repository: "o/r", pulumiOrg: "o", stacks: ["s"] }, () => ({ args }));
      if ("problems" in plan) throw new Error(plan.problems.join("\n"));
      expect(plan.deployPermissions).toEqual(leastGraphPermissions(identityNeeds(args, "deploy")));
      expect(plan.previewPermissions).toEqual(leastGraphPermissions(identityNeeds(args, "preview")));
      // Each granted permission is the least privileged one of a need of a step its identity runs.
      const steps = (identity: string) =>
        (Object.keys(grantSteps) as GrantStep[]).filter((step) => grantSteps[step].identity === identity);
      for (const [identity, granted] of [
        ["deploy", plan.deployPermissions],
        ["preview", plan.previewPermissions],
      ] as const) {
        for (const permission of granted) {
          const reasons = Object.values(permissionList).filter(
            (entry) =>
              entry.permissions[0] === permission && entry.steps.some((step) => steps(identity).includes(step)),
          );
          expect(reasons.length).toBeGreaterThan(0);
        }
      }
    },
  );
});
