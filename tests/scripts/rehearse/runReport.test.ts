import { EngineError, type EngineState, type Step } from "../../../engine/engine";
import { describeErrors, formatSteps } from "../../../scripts/rehearse/runReport";

describe("errors in words", () => {
  it("keeps each failure once when the SDK repeats it in every resource that waited for it", () => {
    expect(
      describeErrors([
        new Error("boom"),
        new Error('error serializing property "groupId": failed to register: boom'),
        new Error("other"),
        new EngineError([new Error("other")], {}, []),
      ]),
    ).toEqual(["boom", "other"]);
  });
});

describe("steps in words", () => {
  const entry = (type: string, name: string, inputs: Record<string, unknown> = {}) => ({
    urn: `urn:pulumi:dev::entra-sspr::${type}::${name}`,
    id: `${name}-id`,
    type,
    name,
    custom: true,
    inputs,
    outputs: {},
    dependencies: [],
  });
  const state: EngineState = Object.fromEntries(
    [
      entry("entra-sspr:index:PasswordResetPolicy", "policy", { onDelete: "restore" }),
      entry("entra-sspr:index:AuthenticationMethodConfiguration", "email", { methodId: "Email", onDelete: "retain" }),
      entry("entra-sspr:index:TenantOwnership", "claim"),
      entry("azuread:index/group:Group", "pilot", { displayName: "SSPR Pilot" }),
    ].map((value) => [value.urn, value]),
  );
  const deleted = (urn: string, retained = false): Step => {
    const { type, name } = state[urn];
    return { urn, type, name, op: "delete", ...(retained ? { retained: true as const } : {}) };
  };

  it("says what destroy does to each: tenant objects restored or retained, the claim released, a kept group kept", () => {
    const urns = Object.keys(state);
    const lines = formatSteps([...urns.slice(0, 4).map((urn) => deleted(urn)), deleted(urns[3], true)], state, "")
      .split("\n")
      .map((line) => line.replace(/\s+/g, " "));
    expect(lines).toEqual([
      "- restore Password reset policy (admin center, portal API) policy",
      "- retain Authentication method Email email",
      "- release Ownership claim (who manages this tenant's SSPR; the mark in the tenant) claim",
      '- delete Group "SSPR Pilot" pilot',
      '- keep Group "SSPR Pilot" pilot',
    ]);
  });

  it("a pilot's destroy never says it keeps the group its release deletes (issue 27)", () => {
    const release = entry("entra-sspr:index:PilotGroupRelease", "pilot-release", {
      displayName: "SSPR Pilot",
      groupId: "g",
    });
    const other = entry("azuread:index/group:Group", "other", { displayName: "Helpdesk" });
    const withRelease: EngineState = { ...state, [release.urn]: release, [other.urn]: other };
    const group = Object.keys(state)[3];
    const step = (urn: string, retained = false): Step => ({
      urn,
      type: withRelease[urn].type,
      name: withRelease[urn].name,
      op: "delete",
      ...(retained ? { retained: true as const } : {}),
    });
    const lines = formatSteps([step(group, true), step(release.urn), step(other.urn, true)], withRelease, "")
      .split("\n")
      .map((line) => line.replace(/\s+/g, " "));
    expect(lines).toEqual([
      '- deleted by the release Group "SSPR Pilot" pilot',
      "- delete Pilot group release (deletes the created group once nothing names it) pilot-release",
      // A retained group no release names is kept, as before.
      '- keep Group "Helpdesk" other',
    ]);
  });
});
