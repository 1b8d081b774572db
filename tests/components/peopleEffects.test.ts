import {
  audience,
  describePeopleEffects,
  methodEffects,
  methodsPolicyDecidesReset,
  methodViews,
  type GroupFacts,
  type MethodView,
  type SsprScope,
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
    ).toEqual([{ ...view("Voice", "disabled", ["all_users"]), facts: {}, targetFacts: { all_users: {} } }]);
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
    expect(methodEffects([before], [after])).toEqual([expect.objectContaining({ method: before.id, ...expected })]);
  });

  it("leaves out methods whose reach did not change, in people", () => {
    // All users had it: the pilot group added to it gains nobody.
    expect(
      methodEffects([view("Sms", "enabled", ["all_users"])], [view("Sms", "enabled", ["all_users", pilot])]),
    ).toEqual([]);
    expect(methodEffects([view("Sms", "enabled", ["all_users"])], [view("Sms", "enabled", ["all_users"])])).toEqual([]);
    expect(methodEffects([view("Sms", "disabled", ["all_users"])], [view("Sms", "disabled", [pilot])])).toEqual([]);
  });

  it("names the audience: all users, or the group with its members (ten names, then a count)", () => {
    expect(audience("all_users", groups)).toBe("all users");
    expect(audience(pilot, groups)).toBe("group 'SSPR Pilot' (3 members)");
    expect(audience(other, groups)).toBe("group 'Finance'");
    expect(audience(other, { [other]: { displayName: "Finance", memberCount: 100, more: true } })).toBe(
      "group 'Finance' (at least 100 members)",
    );
    expect(audience("0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d", groups)).toBe("group 0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d");
    expect(audience(pilot, { [pilot]: onePilot })).toBe("group 'SSPR Pilot' (1 member: c.vogel@munyakazi.org)");
    expect(audience(other, { [other]: fifteen })).toBe(
      `group 'Finance' (15 members: ${fifteen.members.slice(0, 10).join(", ")} and 5 more)`,
    );
    expect(audience(other, { [other]: { displayName: "Empty", memberCount: 0 } })).toBe("group 'Empty' (no members)");
    const paged = { displayName: "Staff", memberCount: 100, more: true, members: fifteen.members };
    expect(audience(other, { [other]: paged })).toBe(
      `group 'Staff' (at least 100 members: ${fifteen.members.slice(0, 10).join(", ")} and at least 90 more)`,
    );
  });

  it("says it in admin-center words and warns when a change reaches beyond the SSPR scope or takes away", () => {
    const effects = methodEffects(
      [view("Voice", "disabled", ["all_users"]), view("Email", "enabled", [other]), view("Sms", "enabled", [])],
      [view("Voice", "enabled", [pilot]), view("Email", "disabled", [other]), view("Sms", "enabled", ["all_users"])],
    );
    expect(describePeopleEffects(effects, groups, { kind: "group", id: pilot })).toEqual({
      lines: [
        "Phone call (mobile phone): group 'SSPR Pilot' (3 members) can now use it to reset their password (SSPR) and as a second factor (MFA).",
        "Phone call (mobile phone): switched on for the SSPR scope only; its dormant target (all users) stays out of force; destroy puts the method back as it was, off.",
        "Email: group 'Finance' can no longer use it to reset their password (SSPR) where SSPR is enabled for them (only group 'SSPR Pilot' may reset); it is not a second factor for members.",
        "Mobile phone (text message): all users can now use it to reset their password (SSPR) where SSPR is enabled for them (only group 'SSPR Pilot' may reset) and as a second factor (MFA).",
      ],
      warnings: [
        "Email: group 'Finance' can no longer use it to reset their password (SSPR) where SSPR is enabled for them (only group 'SSPR Pilot' may reset); it is not a second factor for members.",
        "Mobile phone (text message) reaches beyond the SSPR scope: all users gain it as a second factor (MFA) although only group 'SSPR Pilot' (3 members) may reset.",
      ],
    });
    expect(describePeopleEffects([], groups, { kind: "all" })).toEqual({
      lines: ["Nobody gains or loses an authentication method."],
      warnings: [],
    });
  });
});

const onePilot = { displayName: "SSPR Pilot", memberCount: 1, members: ["c.vogel@munyakazi.org"] };
const fifteen = {
  displayName: "Finance",
  memberCount: 15,
  members: Array.from({ length: 15 }, (_, index) => `user${index + 1}@munyakazi.org`),
};

/** One method's effect, said for a scope, from Graph-shaped configurations before and after. */
function said(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  scope: SsprScope,
  known: Record<string, GroupFacts> = groups,
) {
  return describePeopleEffects(methodEffects(methodViews(policy(before)), methodViews(policy(after))), known, scope);
}
const policy = (configuration: Record<string, unknown>) => ({ authenticationMethodConfigurations: [configuration] });
const target = (id: string, extra: Record<string, unknown> = {}) => ({ targetType: "group", id, ...extra });

describe("each method's real purposes, for the people it reaches", () => {
  const all = { kind: "all" } as const;

  it("Email for all users: a way to reset, not a second factor for members", () => {
    const effects = said(
      { id: "Email", state: "enabled", includeTargets: [] },
      { id: "Email", state: "enabled", includeTargets: [target("all_users")] },
      all,
    );
    expect(effects.lines).toEqual([
      "Email: all users can now use it to reset their password (SSPR); it is not a second factor for members.",
    ]);
    expect(effects.lines.join(" ")).not.toMatch(/MFA|sign-in/);
  });

  it.each([
    [false, "Phone call (mobile phone)"],
    ["false", "Phone call (mobile phone)"],
    [true, "Phone call (mobile and office phone)"],
    ["true", "Phone call (mobile and office phone)"],
  ])("Voice with isOfficePhoneAllowed %p is %s", (allowed, name) => {
    const voice = { id: "Voice", includeTargets: [target("all_users")], isOfficePhoneAllowed: allowed };
    const effects = said({ ...voice, state: "disabled" }, { ...voice, state: "enabled" }, all);
    expect(effects.lines).toEqual([
      `${name}: all users can now use it to reset their password (SSPR) and as a second factor (MFA).`,
    ]);
  });

  it("office phone allowed on a Voice method in force: the people who have Voice gain office phone calls", () => {
    const voice = { id: "Voice", state: "enabled", includeTargets: [target(pilot)] };
    const on = said({ ...voice, isOfficePhoneAllowed: false }, { ...voice, isOfficePhoneAllowed: true }, all, {
      [pilot]: onePilot,
    });
    expect(on.lines).toEqual([
      "Phone call (office phone): group 'SSPR Pilot' (1 member: c.vogel@munyakazi.org) can now be called on their " +
        "office phone to reset their password (SSPR) and as a second factor (MFA) (isOfficePhoneAllowed true).",
    ]);
    const off = said({ ...voice, isOfficePhoneAllowed: true }, { ...voice, isOfficePhoneAllowed: false }, all, {
      [pilot]: onePilot,
    });
    expect(off.warnings).toEqual([expect.stringContaining("can no longer be called on their office phone")]);
  });

  it.each([
    [true, " and to sign in with a text message alone (SMS sign-in)"],
    [false, ""],
  ])("SMS with isUsableForSignIn %p", (usable, signIn) => {
    const effects = said(
      { id: "Sms", state: "disabled", includeTargets: [target("all_users", { isUsableForSignIn: usable })] },
      { id: "Sms", state: "enabled", includeTargets: [target("all_users", { isUsableForSignIn: usable })] },
      all,
    );
    const mfa = usable ? "as a second factor (MFA)" : "and as a second factor (MFA)";
    expect(effects.lines).toEqual([
      `Mobile phone (text message): all users can now use it to reset their password (SSPR)${usable ? "," : ""} ${mfa}${signIn}.`,
    ]);
  });

  it("SMS targets differ: one line for each purpose set", () => {
    const effects = said(
      { id: "Sms", state: "disabled", includeTargets: [] },
      {
        id: "Sms",
        state: "enabled",
        includeTargets: [target(pilot, { isUsableForSignIn: false }), target(other, { isUsableForSignIn: true })],
      },
      all,
    );
    expect(effects.lines).toEqual([
      "Mobile phone (text message): group 'SSPR Pilot' (3 members) can now use it to reset their password (SSPR) and as a second factor (MFA).",
      "Mobile phone (text message): group 'Finance' can now use it to reset their password (SSPR), as a second factor (MFA) and to sign in with a text message alone (SMS sign-in).",
    ]);
  });

  it.each([
    [true, "with a notification or a code (SSPR)"],
    [false, "with a notification (SSPR; its codes are off: isSoftwareOathEnabled false)"],
  ])("Microsoft Authenticator with isSoftwareOathEnabled %p", (codes, how) => {
    const app = { id: "MicrosoftAuthenticator", isSoftwareOathEnabled: codes };
    const effects = said(
      { ...app, state: "disabled", includeTargets: [] },
      { ...app, state: "enabled", includeTargets: [target("all_users", { authenticationMode: "push" })] },
      all,
    );
    expect(effects.lines).toEqual([
      `Microsoft Authenticator: all users can now use it to reset their password ${how} and as a second factor (MFA).`,
    ]);
  });

  it("Microsoft Authenticator in any mode also signs in without a password", () => {
    const effects = said(
      { id: "MicrosoftAuthenticator", state: "disabled", includeTargets: [] },
      {
        id: "MicrosoftAuthenticator",
        state: "enabled",
        isSoftwareOathEnabled: false,
        includeTargets: [target("all_users", { authenticationMode: "any" })],
      },
      all,
    );
    expect(effects.lines[0]).toMatch(/as a second factor \(MFA\) and for passwordless phone sign-in\.$/);
  });

  it("a method that is no SSPR method says so", () => {
    const effects = said(
      { id: "Fido2", state: "disabled", includeTargets: [] },
      { id: "Fido2", state: "enabled", includeTargets: [target("all_users")] },
      all,
    );
    expect(effects.lines).toEqual([
      "Passkeys (FIDO2): all users can now use it as a second factor (MFA) and to sign in with it, without a " +
        "password; it is not offered for password reset.",
    ]);
  });

  it("a pilot group with 15 members: ten names, then a count", () => {
    const effects = said(
      { id: "Email", state: "enabled", includeTargets: [] },
      { id: "Email", state: "enabled", includeTargets: [target(other)] },
      { kind: "group", id: other },
      { [other]: fifteen },
    );
    expect(effects.lines).toEqual([
      `Email: group 'Finance' (15 members: ${fifteen.members.slice(0, 10).join(", ")} and 5 more) can now use it ` +
        "to reset their password (SSPR); it is not a second factor for members.",
    ]);
    expect(effects.warnings).toEqual([]);
  });

  it("a method taken away: who loses it, for what, as a warning", () => {
    const effects = said(
      { id: "Voice", state: "enabled", isOfficePhoneAllowed: true, includeTargets: [target(pilot)] },
      { id: "Voice", state: "disabled", isOfficePhoneAllowed: true, includeTargets: [target(pilot)] },
      { kind: "group", id: pilot },
      { [pilot]: onePilot },
    );
    const line =
      "Phone call (mobile and office phone): group 'SSPR Pilot' (1 member: c.vogel@munyakazi.org) can no longer " +
      "use it to reset their password (SSPR) or as a second factor (MFA).";
    expect(effects).toEqual({ lines: [line], warnings: [line] });
  });

  it("Email beyond a pilot's scope: the warning says it serves them nothing until they may reset", () => {
    const effects = said(
      { id: "Email", state: "enabled", includeTargets: [] },
      { id: "Email", state: "enabled", includeTargets: [target("all_users")] },
      { kind: "group", id: pilot },
      { [pilot]: onePilot },
    );
    expect(effects.warnings).toEqual([
      "Email reaches beyond the SSPR scope: all users gain it although only group 'SSPR Pilot' (1 member: " +
        "c.vogel@munyakazi.org) may reset; it serves them only for password reset, so nothing changes for them " +
        "until SSPR is enabled for them.",
    ]);
  });

  it("dormant targets: the words cannot be read as destroy turning them on", () => {
    const effects = said(
      { id: "Voice", state: "disabled", includeTargets: [target("all_users"), target(other)] },
      { id: "Voice", state: "enabled", includeTargets: [target(pilot)] },
      { kind: "group", id: pilot },
    );
    expect(effects.lines[1]).toBe(
      "Phone call (mobile phone): switched on for the SSPR scope only; its dormant targets (all users and group " +
        "'Finance') stay out of force; destroy puts the method back as it was, off.",
    );
  });

  it("an excluded group is named: 'all users' is never more than true", () => {
    const effects = said(
      { id: "Email", state: "enabled", includeTargets: [] },
      {
        id: "Email",
        state: "enabled",
        includeTargets: [target("all_users")],
        excludeTargets: [target(other), target("00000000-0000-0000-0000-000000000000")],
      },
      all,
    );
    expect(effects.lines).toEqual([
      "Email: all users except group 'Finance' can now use it to reset their password (SSPR); it is not a second " +
        "factor for members.",
    ]);
  });

  it("before the migration the methods policy does not decide password reset, and the words say so", () => {
    const before = { id: "Sms", state: "disabled", includeTargets: [target("all_users")] };
    const effects = describePeopleEffects(
      methodEffects(methodViews(policy(before)), methodViews(policy({ ...before, state: "enabled" }))),
      groups,
      all,
      methodsPolicyDecidesReset({ policyMigrationState: "preMigration" }),
    );
    expect(effects.lines).toEqual([
      "Mobile phone (text message): all users can now use it to reset their password (SSPR) once the methods " +
        "policy decides password reset (the tenant is pre-migration: the password reset policy's own methods " +
        "decide) and as a second factor (MFA).",
    ]);
    expect(methodsPolicyDecidesReset({ policyMigrationState: null })).toBe(true);
    expect(methodsPolicyDecidesReset({ policyMigrationState: "migrationInProgress" })).toBe(true);
    expect(methodsPolicyDecidesReset({ policyMigrationState: "preMigration" }, "migrationComplete")).toBe(true);
  });
});
