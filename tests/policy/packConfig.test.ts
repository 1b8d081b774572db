import { enforcementLevelsFrom } from "../../policy/packConfig";

const rules = ["sspr-enabled-for-all", "sms-voice-email-disabled", "administrators-sspr-contested"];

describe("the pack's per-stack config", () => {
  it("makes every rule advisory without a file", () => {
    expect(enforcementLevelsFrom(undefined, rules, "policy/config/dev.json")).toEqual({
      ok: true,
      levels: {
        "sspr-enabled-for-all": "advisory",
        "sms-voice-email-disabled": "advisory",
        "administrators-sspr-contested": "advisory",
      },
    });
  });

  it("applies `all` first and a rule's own level (plain or { enforcementLevel }) over it", () => {
    const config = {
      "sms-voice-email-disabled": { enforcementLevel: "disabled" },
      all: "mandatory",
      "administrators-sspr-contested": "advisory",
    };
    expect(enforcementLevelsFrom(config, rules, "f.json")).toEqual({
      ok: true,
      levels: {
        "sspr-enabled-for-all": "mandatory",
        "sms-voice-email-disabled": "disabled",
        "administrators-sspr-contested": "advisory",
      },
    });
  });

  it("reports every problem at once, naming the key, the value and what is allowed", () => {
    const result = enforcementLevelsFrom(
      { "sspr-enabled-for-al": "mandatory", "sms-voice-email-disabled": "strict", all: { enforcementLevel: 3 } },
      rules,
      "policy/config/prod.json",
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        'policy/config/prod.json: all: 3 is not allowed; expected "advisory", "mandatory" or "disabled"',
        'policy/config/prod.json: sspr-enabled-for-al: unknown rule; expected "all" or one of ' + rules.join(", "),
        'policy/config/prod.json: sms-voice-email-disabled: "strict" is not allowed; expected "advisory", ' +
          '"mandatory" or "disabled"',
      ],
    });
    expect(enforcementLevelsFrom([], rules, "x.json")).toEqual({
      ok: false,
      problems: ["x.json: [] is not allowed; expected a JSON object"],
    });
  });
});
