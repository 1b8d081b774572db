import { recordWrites, restorePlan, writtenFromState } from "../../../provider/objects/restoreRule";
import type { TakenSnapshot } from "../../../provider/ownership/beforeSnapshot";

const pilot = { targetType: "group", id: "3ee3a9de-0a86-4e12-a287-9769accf1ba2", isRegistrationRequired: false };
const finance = { targetType: "group", id: "f1a2b3c4-0000-4000-8000-00000000f1a2", isRegistrationRequired: false };
const allUsers = { targetType: "group", id: "all_users", isRegistrationRequired: false };

const taken = (snapshot: Record<string, unknown>, absent: string[] = []): TakenSnapshot => ({ snapshot, absent });

describe("restorePlan: three versions of each field", () => {
  it("puts the snapshot back where the tenant still holds what the stack wrote", () => {
    const plan = restorePlan(
      taken({ state: "disabled", Size: 1 }),
      { state: "enabled", Size: 3 },
      {
        state: "enabled",
        Size: 3,
      },
    );
    expect(plan).toEqual({ values: { state: "disabled", Size: 1 }, notes: [] });
  });

  it("leaves a field someone changed since as they set it, and says so", () => {
    const plan = restorePlan(
      taken({ state: "disabled", Size: 1 }),
      { state: "enabled", Size: 3 },
      {
        state: "enabled",
        Size: 9,
      },
    );
    expect(plan.values).toEqual({ state: "disabled", Size: 9 });
    expect(plan.notes).toEqual([{ kind: "changedSince", path: "Size" }]);
  });

  it("judges objects member by member", () => {
    const snapshot = { campaign: { state: "default", snoozeDurationInDays: 1 } };
    const written = { campaign: { state: "enabled", snoozeDurationInDays: 1 } };
    const now = { campaign: { state: "enabled", snoozeDurationInDays: 5 } };
    const plan = restorePlan(taken(snapshot), written, now);
    expect(plan.values).toEqual({ campaign: { state: "default", snoozeDurationInDays: 5 } });
    expect(plan.notes).toEqual([{ kind: "changedSince", path: "campaign.snoozeDurationInDays" }]);
  });

  it("state from before the record (no `written`) restores the snapshot whole, as that version did", () => {
    const plan = restorePlan(taken({ state: "disabled", includeTargets: [] }), undefined, {
      state: "enabled",
      includeTargets: [pilot, finance],
    });
    expect(plan).toEqual({ values: { state: "disabled", includeTargets: [] }, notes: [] });
    // A field owned before the record began, likewise.
    expect(restorePlan(taken({ Size: 1 }), {}, { Size: 9 }).values).toEqual({ Size: 1 });
  });

  it("a field absent before adoption comes back absent where the stack still holds it", () => {
    const plan = restorePlan(taken({ Size: null }, ["Size"]), { Size: 3 }, { Size: 3 });
    expect(plan.values).toEqual({ Size: undefined });
  });

  it("a follower (a name the service rewrites) goes back exactly when the field it describes does", () => {
    const followers = { groupName: "groupIds" };
    const snapshot = taken({ groupIds: ["old"], groupName: "Old" });
    const written = { groupIds: [pilot.id], groupName: "" };
    // The service resolved the name on its own; the group is still the stack's: both go back.
    expect(
      restorePlan(snapshot, written, { groupIds: [pilot.id], groupName: "SSPR Pilot" }, { followers }).values,
    ).toEqual({ groupIds: ["old"], groupName: "Old" });
    // Someone chose another group since: it stays, with its name.
    const moved = restorePlan(snapshot, written, { groupIds: [finance.id], groupName: "Finance" }, { followers });
    expect(moved.values).toEqual({ groupIds: [finance.id], groupName: "Finance" });
    expect(moved.notes).toEqual([{ kind: "changedSince", path: "groupIds" }]);
  });
});

describe("restorePlan: target lists, target by target", () => {
  it("removes the targets the stack added and keeps those others added since", () => {
    const plan = restorePlan(
      taken({ includeTargets: [] }),
      { includeTargets: [pilot] },
      {
        includeTargets: [pilot, finance],
      },
    );
    expect(plan.values).toEqual({ includeTargets: [finance] });
    expect(plan.notes).toEqual([{ kind: "addedSince", path: `includeTargets[group:${finance.id}]`, target: finance }]);
  });

  it("brings back the dormant targets the stack took out of force, as they were", () => {
    const dormant = { ...allUsers, isRegistrationRequired: true };
    const plan = restorePlan(
      taken({ state: "disabled", includeTargets: [dormant] }),
      { state: "enabled", includeTargets: [pilot] },
      { state: "enabled", includeTargets: [pilot, finance] },
    );
    expect(plan.values).toEqual({ state: "disabled", includeTargets: [dormant, finance] });
  });

  it("keeps a target's own members changed by others since; puts back the members the stack changed and holds", () => {
    const sms = { targetType: "group", id: "all_users", isRegistrationRequired: false, isUsableForSignIn: true };
    const written = { ...sms, isRegistrationRequired: true, isUsableForSignIn: true };
    const now = { ...sms, isRegistrationRequired: true, isUsableForSignIn: false };
    const plan = restorePlan(
      taken({ includeTargets: [sms] }),
      { includeTargets: [written] },
      { includeTargets: [now] },
    );
    expect(plan.values).toEqual({ includeTargets: [{ ...sms, isUsableForSignIn: false }] });
    expect(plan.notes).toEqual([{ kind: "changedSince", path: "includeTargets[group:all_users].isUsableForSignIn" }]);
  });

  it("a target others removed since stays removed", () => {
    const plan = restorePlan(
      taken({ includeTargets: [allUsers, finance] }),
      { includeTargets: [allUsers, finance] },
      {
        includeTargets: [allUsers],
      },
    );
    // The tenant still holds what the stack wrote for all_users; the field as a whole changed, so target by target.
    expect(plan.values).toEqual({ includeTargets: [allUsers] });
    expect(plan.notes).toEqual([{ kind: "changedSince", path: `includeTargets[group:${finance.id}]` }]);
  });

  it("compares ids case-insensitively, as targetLists.ts keys them", () => {
    const upper = { ...finance, id: finance.id.toUpperCase() };
    const plan = restorePlan(
      taken({ includeTargets: [] }),
      { includeTargets: [pilot] },
      {
        includeTargets: [{ ...pilot, id: pilot.id.toUpperCase() }, upper],
      },
    );
    // The stack's own target, spelled otherwise by the service, is still the stack's: it goes; Finance stays.
    expect(plan.values).toEqual({ includeTargets: [upper] });
  });

  it("nested target lists follow the same rule", () => {
    const campaign = (includeTargets: unknown[], state = "enabled") => ({
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: { state, includeTargets } },
    });
    const plan = restorePlan(
      taken(campaign([allUsers], "default")),
      campaign([allUsers, pilot]),
      campaign([allUsers, pilot, finance]),
    );
    expect(plan.values).toEqual(campaign([allUsers, finance], "default"));
  });
});

describe("recordWrites: what the stack wrote, kept apart from what others did", () => {
  it("the first write records the fields as the stack left them", () => {
    const before = { state: "disabled", includeTargets: [allUsers], Other: "x" };
    const after = { state: "enabled", includeTargets: [pilot], Other: "x" };
    expect(recordWrites(undefined, before, after, ["state", "includeTargets"])).toEqual({
      state: "enabled",
      includeTargets: [pilot],
    });
  });

  it("a later write that keeps targets others added does not count them as the stack's", () => {
    const record = { includeTargets: [pilot] };
    // Finance was added in the admin center; the next up adds a second group of its own, keeping Finance (add mode).
    const second = { ...pilot, id: "0b5e1c2d-0000-4000-8000-0000000000b5" };
    const written = recordWrites(
      record,
      { includeTargets: [pilot, finance] },
      { includeTargets: [pilot, finance, second] },
      ["includeTargets"],
    );
    expect(written).toEqual({ includeTargets: [pilot, second] });
    // Its destroy removes both of the stack's groups and keeps Finance.
    const plan = restorePlan(taken({ includeTargets: [] }), written, { includeTargets: [pilot, finance, second] });
    expect(plan.values).toEqual({ includeTargets: [finance] });
  });

  it("a write that leaves a field as it was keeps its record; a scalar the stack writes is recorded", () => {
    const written = recordWrites(
      { state: "enabled", Size: 3 },
      { state: "enabled", Size: 9 },
      { state: "enabled", Size: 4 },
      ["state", "Size"],
    );
    expect(written).toEqual({ state: "enabled", Size: 4 });
    // Someone switched the state since: a write that does not touch it keeps the stack's record of it.
    expect(recordWrites({ state: "enabled" }, { state: "disabled" }, { state: "disabled" }, ["state"])).toEqual({
      state: "enabled",
    });
  });

  it("absent values are recorded as null (state is JSON)", () => {
    expect(recordWrites(undefined, {}, {}, ["Size"])).toEqual({ Size: null });
  });
});

describe("writtenFromState", () => {
  it("is undefined for state from before the record", () => {
    expect(writtenFromState({ snapshot: {} })).toBeUndefined();
    expect(writtenFromState({ written: { Size: 3 } })).toEqual({ Size: 3 });
  });
});
