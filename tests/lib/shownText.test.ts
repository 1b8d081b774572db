import { parseStackConfig } from "../../components/config";
import { passwordResetPolicyProvider } from "../../provider/objects/passwordResetPolicy";
import { groupDisplayNameMaxLength, helpdeskMaxLength, shownTextProblem, visibleText } from "../../lib/predicates";

const rlo = "\u202e";
// Reads as "https://help.munyakazi.org/gro.ikazaynum" with the override: the classic spoof of a trusted address.
const spoofed = `https://help.attacker.example/${rlo}gro.ikazaynum`;

describe("shownTextProblem: text every user is shown", () => {
  it.each([
    ["a right-to-left override", spoofed, "U+202E RIGHT-TO-LEFT OVERRIDE at character 31"],
    ["a right-to-left isolate", "SSPR \u2067Pilot", "U+2067 RIGHT-TO-LEFT ISOLATE at character 6"],
    ["a zero-width space", "https://help\u200b.munyakazi.org", "U+200B ZERO WIDTH SPACE at character 13"],
    ["a byte-order mark", "\ufeffhelp@munyakazi.org", "U+FEFF ZERO WIDTH NO-BREAK SPACE at character 1"],
    ["a control character", "SSPR\u0007Pilot", "U+0007 at character 5"],
    ["a C1 control", "SSPR\u0085Pilot", "U+0085 at character 5"],
    ["a line separator", "SSPR\u2028Pilot", "U+2028 at character 5"],
    ["a tag character", "SSPR Pilot\u{e0041}", "U+E0041 at character 11"],
    ["a private-use character", "SSPR \ue000", "U+E000 at character 6"],
    ["a Hangul filler", "https://help\u3164.munyakazi.org", "U+3164 at character 13"],
    ["a Hangul choseong filler", "\u115Fhelp@munyakazi.org", "U+115F at character 1"],
    ["a combining grapheme joiner", "help\u034F@munyakazi.org", "U+034F at character 5"],
    ["a lone surrogate", "help\ud800@munyakazi.org", "U+D800 at character 5"],
  ])("refuses %s, naming it and where", (_title, value, found) => {
    expect(shownTextProblem(value, 256)).toBe(
      `expected no invisible, control or bidirectional characters (found ${found}); every user is shown this text`,
    );
  });

  it("accepts ordinary text in any script, and counts characters, not UTF-16 units", () => {
    for (const value of [
      "SSPR Pilot",
      "Pilote réinitialisation",
      "試験グループ",
      "مجموعة تجريبية",
      "https://help.munyakazi.org/sspr?x=1",
    ]) {
      expect(shownTextProblem(value, 256)).toBeUndefined();
    }
    expect(shownTextProblem("😀".repeat(256), 256)).toBeUndefined();
    expect(shownTextProblem("a".repeat(257), 256)).toBe("expected at most 256 characters (it has 257)");
  });

  it("limits: 2,048 for the helpdesk link, 256 for a group name", () => {
    expect(helpdeskMaxLength).toBe(2048);
    expect(groupDisplayNameMaxLength).toBe(256);
  });

  it("visibleText spells hidden characters out, so a message never carries them", () => {
    expect(visibleText(spoofed)).toBe('"https://help.attacker.example/\\u{202E}gro.ikazaynum"');
    expect(visibleText("x".repeat(100))).toHaveLength(82);
  });
});

const sspr = (extra: Record<string, unknown>) => ({
  tenantId: "munyakazi.org",
  sspr: {
    scope: "all",
    methodsRequired: 1,
    methods: { email: true },
    registration: { requireOnSignIn: true, reconfirmDays: 180 },
    notifications: { users: true, admins: true },
    ...extra,
  },
});

function problems(raw: Record<string, unknown>): string[] {
  const parsed = parseStackConfig(raw);
  return parsed.ok ? [] : parsed.problems;
}

describe("stack config: the helpdesk link and the group name", () => {
  it("a 100,000-character helpdesk URL is refused with its length, shown short", () => {
    const long = `https://help.munyakazi.org/${"a".repeat(100_000 - 27)}`;
    expect(problems(sspr({ helpdesk: long }))).toEqual([
      `sspr:settings.helpdesk: "https://help.munyakazi.org/${"a".repeat(49)}... is not allowed; expected at most ` +
        "2048 characters (it has 100000)",
    ]);
  });

  it("a helpdesk URL or address with a right-to-left override is refused, the override spelled out", () => {
    expect(problems(sspr({ helpdesk: spoofed }))).toEqual([
      'sspr:settings.helpdesk: "https://help.attacker.example/\\u{202E}gro.ikazaynum" is not allowed; expected no ' +
        "invisible, control or bidirectional characters (found U+202E RIGHT-TO-LEFT OVERRIDE at character 31); " +
        "every user is shown this text",
    ]);
    expect(problems(sspr({ helpdesk: `help${rlo}@munyakazi.org` }))[0]).toContain("U+202E RIGHT-TO-LEFT OVERRIDE");
  });

  it("the pilot group's displayName follows the same rules, with every other problem at once", () => {
    const found = problems(
      sspr({ scope: "selected", group: { displayName: `SSPR ${rlo}toliP` }, helpdesk: "x".repeat(3000) }),
    );
    expect(found.map((line) => line.split(": ")[0])).toEqual([
      "sspr:settings.group.displayName",
      "sspr:settings.helpdesk",
    ]);
    expect(found[0]).toContain("U+202E RIGHT-TO-LEFT OVERRIDE at character 6");
    expect(found[1]).toContain("expected at most 2048 characters (it has 3000)");
  });
});

describe("PasswordResetPolicy check: the same rule for a provider called with crafted inputs", () => {
  const inputs = (emailOrUrl: string) => ({
    tenantId: "munyakazi.org",
    endpoints: { graph: "http://127.0.0.1:1", portal: "http://127.0.0.1:1/api" },
    onDelete: "restore",
    helpdesk: { customize: true, emailOrUrl },
  });

  it("refuses a right-to-left override and a 100,000-character link, and accepts a plain one", async () => {
    const spoof = await passwordResetPolicyProvider.check!({}, inputs(spoofed));
    expect(spoof.failures).toEqual([
      {
        property: "helpdesk.emailOrUrl",
        reason:
          'helpdesk.emailOrUrl is "https://help.attacker.example/\\u{202E}gro.ikazaynum"; expected no invisible, ' +
          "control or bidirectional characters (found U+202E RIGHT-TO-LEFT OVERRIDE at character 31); every user " +
          "is shown this text",
      },
    ]);
    const long = await passwordResetPolicyProvider.check!({}, inputs(`https://h.munyakazi.org/${"a".repeat(99_976)}`));
    expect(long.failures?.map((failure) => failure.reason.split("; ")[1])).toEqual([
      "expected at most 2048 characters (it has 100000)",
    ]);
    expect((await passwordResetPolicyProvider.check!({}, inputs("https://help.munyakazi.org"))).failures ?? []).toEqual(
      [],
    );
  });
});
