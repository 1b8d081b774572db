import {
  audience,
  describePeopleEffects,
  methodEffects,
  methodViews,
  type MethodView,
} from "../../components/peopleEffects";

const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const other = "7c1d9e2f-4a6b-4c8d-9e0f-1a2b3c4d5e6f";
const groups = { [pilot]: { displayName: "SSPR Pilot", memberCount: 3 }, [other]: { displayName: "Finance" } };
const view = (id: string, state: string, targets: string[]): MethodView => ({ id, state, targets });

describe("who gains or loses a method", () => {
  it("reads Graph's method configurations, target ids lower-cased", () => {
    expect(
      methodViews({
        authenticationMethodConfigurations: [
          { id: "Voice", state: "disabled", includeTargets: [{ targetType: "group", id: "All_Users" }] },
          { noId: true },
        ],
      }),
    ).toEqual([view("Voice", "disabled", ["all_users"])]);
  });

  it.each([
    [
      "switched on for the scope only: the group gains it, the dormant target stays off",
      view("Voice", "disabled", ["all_users"]),
      view("Voice", "enabled", [pilot]),
      { gains: [pilot], loses: [], dormant: ["all_users"] },
    ],
    [
      "in force for a group, all users added: everyone gains it",
      view("Sms", "enabled", [other]),
      view("Sms", "enabled", [other, "all_users"]),
      { gains: ["all_users"], loses: [], dormant: [] },
    ],
    [
      "switched off: everyone it reached loses it",
      view("Email", "enabled", ["all_users", other]),
      view("Email", "disabled", ["all_users", other]),
      { gains: [], loses: ["all_users", other], dormant: [] },
    ],
    [
      "a target removed from a method in force",
      view("Email", "enabled", [other, pilot]),
      view("Email", "enabled", [pilot]),
      { gains: [], loses: [other], dormant: [] },
    ],
  ])("%s", (_title, before, after, expected) => {
    expect(methodEffects([before], [after])).toEqual([{ method: before.id, ...expected }]);
  });

  it("leaves out methods whose reach did not change, in people", () => {
    // All users had it: the pilot group added to it gains nobody.
    expect(
      methodEffects([view("Sms", "enabled", ["all_users"])], [view("Sms", "enabled", ["all_users", pilot])]),
    ).toEqual([]);
    expect(methodEffects([view("Sms", "enabled", ["all_users"])], [view("Sms", "enabled", ["all_users"])])).toEqual([]);
    expect(methodEffects([view("Sms", "disabled", ["all_users"])], [view("Sms", "disabled", [pilot])])).toEqual([]);
  });

  it("names the audience: all users, or the group with its member count", () => {
    expect(audience("all_users", groups)).toBe("all users");
    expect(audience(pilot, groups)).toBe("group 'SSPR Pilot' (3 members)");
    expect(audience(other, groups)).toBe("group 'Finance'");
    expect(audience(other, { [other]: { displayName: "Finance", memberCount: 100, more: true } })).toBe(
      "group 'Finance' (at least 100 members)",
    );
    expect(audience("0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d", groups)).toBe("group 0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d");
  });

  it("says it in admin-center words and warns when a change reaches beyond the SSPR scope or takes away", () => {
    const effects = methodEffects(
      [view("Voice", "disabled", ["all_users"]), view("Email", "enabled", [other]), view("Sms", "enabled", [])],
      [view("Voice", "enabled", [pilot]), view("Email", "disabled", [other]), view("Sms", "enabled", ["all_users"])],
    );
    expect(describePeopleEffects(effects, groups, { kind: "group", id: pilot })).toEqual({
      lines: [
        "Phone call (mobile and office phone): group 'SSPR Pilot' (3 members) can now use it, for SSPR and for MFA sign-in.",
        "Phone call (mobile and office phone): switched on for the SSPR scope only; its other targets (all users) stay off until destroy puts the method back as it was.",
        "Email: group 'Finance' can no longer use it, for SSPR or for MFA sign-in.",
        "Mobile phone (text message): all users can now use it, for SSPR and for MFA sign-in.",
      ],
      warnings: [
        "Email: group 'Finance' can no longer use it, for SSPR or for MFA sign-in.",
        "Mobile phone (text message) reaches beyond the SSPR scope: all users gain it for MFA sign-in although only group 'SSPR Pilot' (3 members) may reset.",
      ],
    });
    expect(describePeopleEffects([], groups, { kind: "all" })).toEqual({
      lines: ["Nobody gains or loses an authentication method."],
      warnings: [],
    });
  });
});
