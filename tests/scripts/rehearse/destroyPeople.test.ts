/**
 * Issue 27: `rehearse --destroy` says in people what the destroy gives back and what it keeps, and both the plan and
 * the destroy give security questions and administrators their own people lines, counted from the tenant's people.
 * End to end: stack file -> program -> provider plugin -> HTTP -> emulator, read back as a person would.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { dayBefore, entryOf, inForce } from "../../../components/calendar";
import { createDefaultTenant } from "../../../emulator/defaultTenant";
import { rehearse, type RehearseOptions, type RehearseResult } from "../../../scripts/rehearse/rehearse";
import { loadFixture } from "../../support/fixtures";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookLines } from "../../support/runbook";

const shared = useRehearsalHost("destroy-people");

async function rehearsed(options: RehearseOptions): Promise<{ result: RehearseResult; output: string }> {
  const printed: string[] = [];
  const result = await rehearse({ host: shared.host, ...options, log: (text) => printed.push(text) });
  return { result, output: printed.join("\n") };
}

function stackFile(name: string, lines: string[]): string {
  const folder = fs.mkdtempSync(path.join(shared.tmp, `${name}-`));
  const file = path.join(folder, `Pulumi.${name}.yaml`);
  const body = [
    "config:",
    "  entra-sspr:tenantId: munyakazi.org",
    "  entra-sspr:sspr:",
    ...lines.map((l) => `    ${l}`),
  ];
  fs.writeFileSync(file, `${body.join("\n")}\n`);
  return file;
}

const questionsEnd = entryOf("security-questions-end");
/** What the questions' reset line adds on the day the tests run: their last day and source, or nothing once ended. */
const questionsUntil = inForce(questionsEnd, new Date())
  ? undefined
  : ` until ${dayBefore(questionsEnd.date)} (${questionsEnd.sources[0].url})`;

const tenant = createDefaultTenant();
const userId = (upn: string): string => String(tenant.users.find((user) => user.userPrincipalName === upn)?.id);
const administrators = tenant.directoryRoleMembers
  ? [...new Set(Object.values(tenant.directoryRoleMembers).flat().map(String))]
  : [];

/** A tenant with SSPR for all, security questions on and registered by two users, administrators allowed to reset. */
const seed = {
  passwordResetPolicies: {
    ...(loadFixture("portal-password-reset-policies.get.json") as Record<string, unknown>),
    enablementType: 2,
    passwordResetEnabledGroupIds: [],
    securityQuestionsOptionEnabled: true,
    securityQuestionsOptionAllowed: true,
    numberOfQuestionsToRegister: 3,
    numberOfQuestionsToReset: 3,
  },
  securityQuestionsRegistered: {
    [userId("c.vogel@munyakazi.org")]: 3,
    [userId("l.okafor@munyakazi.org")]: 3,
  },
};

describe("security questions and administrators get people lines, in the plan and in the destroy", () => {
  it("turning questions and administrators off: who loses them, counted; the destroy gives both back", async () => {
    expect(administrators.length).toBeGreaterThan(0);
    const file = stackFile("questions", runbookLines({ administrators: { allowed: false } }));
    const { result, output } = await rehearsed({ stackFile: file, seed, destroy: true });
    expect(result.errors).toEqual([]);

    const people = result.portalPeople?.lines ?? [];
    if (questionsUntil !== undefined) {
      expect(people).toContainEqual(
        "Security questions: all users can no longer use them to reset their password (SSPR). 2 users SSPR reaches " +
          "have registered them (c.vogel@munyakazi.org and l.okafor@munyakazi.org): they need another method offered to them.",
      );
    }
    expect(people).toContainEqual(
      expect.stringMatching(
        /^Administrators: 3 administrators \([^)]*admin@munyakazi\.org[^)]*\) can no longer reset their own password \(allowedToUseSSPR false\); another administrator must reset it for them\.$/,
      ),
    );
    expect(result.portalPeople?.warnings).toContainEqual(expect.stringMatching(/^Administrators: .* can no longer/));
    const plan = output.indexOf("Who gains or loses a method, and for what:");
    expect(output.indexOf("Security questions: all users can no longer", plan)).toBeGreaterThan(plan);

    // The destroy puts the before-snapshot back: the same people gain them again, said in people, with the dates.
    const destroyed = result.destroyed?.people.lines ?? [];
    if (questionsUntil !== undefined)
      expect(destroyed).toContainEqual(
        `Security questions: all users can now use them to reset their password (SSPR)${questionsUntil}; only for ` +
          "password reset: never a second factor, never to sign in, never for administrators. 2 users SSPR reaches " +
          "have registered them (c.vogel@munyakazi.org and l.okafor@munyakazi.org).",
      );
    expect(destroyed).toContainEqual(
      expect.stringMatching(
        /^Administrators: 3 administrators \(.*\) can now reset their own password under the administrator policy: 2 methods of their own, never security questions, .*\(allowedToUseSSPR true\); \d of 3 can reset now\.$/,
      ),
    );
    // Email and voice calls the stack switched on are taken back, judged by the scope people had (All).
    expect(destroyed).toContainEqual(
      "Email: all users can no longer use it to reset their password (SSPR); it is not a second factor for members.",
    );
    const block = output.slice(output.indexOf("Destroy (pulumi destroy):"));
    expect(block).toContain("What the destroy gives back and takes, in people:\n    ");
    expect(block).toContain("Who can reset after the destroy (today and on Microsoft's coming dates):\n    ");
    expect(block).toMatch(/\n {4}Readiness: \d+ of \d+ staff can reset/);
    expect(result.destroyed?.readiness.at(-1)).toMatch(/^Readiness: /);
  });

  it("security questions past Microsoft's date: the lines say they no longer serve reset, from the calendar", async () => {
    const previous = process.env.ENTRA_SSPR_CALENDAR;
    process.env.ENTRA_SSPR_CALENDAR = "security-questions-end=2020-01-01";
    try {
      const file = stackFile("retired", runbookLines({ methods: { email: true, mobilePhone: true } }));
      const { result } = await rehearsed({ stackFile: file, seed });
      expect(result.errors).toEqual([]);
      expect(result.portalPeople?.lines).toContainEqual(
        "Security questions: still on, but they no longer serve password reset since 1 January 2020: " +
          `${questionsEnd.title} (${questionsEnd.sources[0].url}): nobody resets with them.`,
      );
    } finally {
      if (previous === undefined) delete process.env.ENTRA_SSPR_CALENDAR;
      else process.env.ENTRA_SSPR_CALENDAR = previous;
    }
  });
});

describe("a pilot's destroy in people", () => {
  it("the scope goes back, its member leaves it, and the group the release deletes is said as deleted", async () => {
    const file = stackFile(
      "pilot",
      runbookLines({ scope: "selected", group: { displayName: "SSPR Pilot", members: ["c.vogel@munyakazi.org"] } }),
    );
    const { result, output } = await rehearsed({ stackFile: file, destroy: true });
    expect(result.errors).toEqual([]);
    const pilot = "group 'SSPR Pilot' (1 member: c.vogel@munyakazi.org)";
    expect(result.destroyed?.people.lines).toContainEqual(
      `Password reset (SSPR scope): ${pilot} could reset before; after, nobody can (SSPR is off: None); administrators ` +
        "are judged apart (administrator policy).",
    );
    expect(result.destroyed?.people.warnings).toContainEqual(
      "Password reset (SSPR scope): 1 user leaves it and can no longer reset (c.vogel@munyakazi.org).",
    );
    expect(result.destroyed?.keptOnPurpose).toContainEqual(
      "Group 'SSPR Pilot': deleted by the pilot group release once nothing names it; its members keep their " +
        "accounts and the methods they registered, and lose only what the group gave them (above).",
    );
    expect(output).not.toMatch(/keep\s+Group "SSPR Pilot"/);
    // What the pilot's members lose is said with the group by name, even though the destroy deleted it.
    expect(result.destroyed?.people.lines).toContainEqual(
      `Email: ${pilot} can no longer use it to reset their password (SSPR); it is not a second factor for members.`,
    );
  });
});

describe("what a destroy keeps on purpose", () => {
  it("onDestroy retain: every object is kept as the stack set it, and nobody loses a method", async () => {
    const file = stackFile("retained", runbookLines({ onDestroy: "retain" }));
    const { result } = await rehearsed({ stackFile: file, destroy: true });
    expect(result.errors).toEqual([]);
    expect(result.destroyed?.keptOnPurpose).toContainEqual(
      "Password reset policy (admin center, portal API): kept as the stack set it (onDestroy: retain): everybody " +
        "keeps what it gives them.",
    );
    expect(result.destroyed?.keptOnPurpose).toContainEqual(
      expect.stringMatching(/^Authentication method Email: kept as the stack set it \(onDestroy: retain\)/),
    );
    expect(result.destroyed?.people.lines[0]).toBe("Nobody gains or loses an authentication method.");
    expect(result.destroyed?.people.warnings).toEqual([]);
  });

  it("restore: a method the tenant already gave everyone is kept for them; only the stack's own targets go", async () => {
    const { result } = await rehearsed({ stack: "lab", destroy: true });
    expect(result.errors).toEqual([]);
    // The sample tenant sends text messages to all users before the stack: the destroy keeps that.
    expect(result.destroyed?.keptOnPurpose).toContainEqual(
      "Mobile phone (text message): all users keep it: the tenant gave it before the stack, and destroy takes back " +
        "only the targets the stack added.",
    );
    expect(result.destroyed?.people.lines).not.toContainEqual(expect.stringMatching(/^Mobile phone \(text message\)/));
  });
});
