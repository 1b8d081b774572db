import {
  describeDestroyKeeps,
  destroyKeeps,
  keptGroupIds,
  type SingletonState,
} from "../../../provider/objects/destroyEffects";

const pilot = { targetType: "group", id: "3ee3a9de-0a86-4e12-a287-9769accf1ba2", isRegistrationRequired: false };
const finance = { targetType: "group", id: "cbcfbb00-5f66-5509-982c-18fa15d312b9", isRegistrationRequired: false };
const allUsers = { targetType: "group", id: "all_users", isRegistrationRequired: false };
const prefix = "entra-sspr:index:";

const methodState = (methodId: string, snapshot: object, written: object, onDelete = "restore"): SingletonState => ({
  type: `${prefix}AuthenticationMethodConfiguration`,
  outputs: { methodId, onDelete, snapshot, snapshotAbsent: [], written },
});

const tenant = (configurations: object[], portal: object = {}) => ({
  portal: { ...portal },
  methodsPolicy: { authenticationMethodConfigurations: configurations },
  authorizationPolicy: {},
});

const groups = { [finance.id]: { displayName: "Finance", memberCount: 3 } };
const words = (type: string) => type.slice(prefix.length);

describe("destroyKeeps and describeDestroyKeeps", () => {
  it("names a group others added to a method destroy leaves in force", () => {
    const keeps = destroyKeeps(
      [methodState("Email", { state: "enabled", includeTargets: [] }, { state: "enabled", includeTargets: [pilot] })],
      tenant([{ id: "Email", state: "enabled", includeTargets: [pilot, finance] }]),
    );
    expect(keeps).toEqual([
      expect.objectContaining({ method: "Email", keptTargets: [finance.id], inForceAfter: true, changedSince: [] }),
    ]);
    expect(keptGroupIds(keeps)).toEqual([finance.id]);
    expect(describeDestroyKeeps(keeps, groups, words)).toEqual([
      "Email: group 'Finance' (3 members) keeps it (added in the admin center after up).",
    ]);
  });

  it("says so when destroy turns the method back off: the group added since loses it", () => {
    const keeps = destroyKeeps(
      [
        methodState(
          "Voice",
          { state: "disabled", includeTargets: [allUsers] },
          { state: "enabled", includeTargets: [pilot] },
        ),
      ],
      tenant([{ id: "Voice", state: "enabled", includeTargets: [pilot, finance] }]),
    );
    expect(describeDestroyKeeps(keeps, groups, words)).toEqual([
      "Phone call (mobile phone): group 'Finance' (3 members) stays in its targets (added in the admin " +
        "center after up), but destroy turns the method back off as it was before the stack, so they lose it.",
    ]);
  });

  it("names the settings destroy leaves because they changed since, and says nothing where nothing did", () => {
    const policy: SingletonState = {
      type: `${prefix}PasswordResetPolicy`,
      outputs: {
        onDelete: "restore",
        snapshot: { enablementType: 0, registrationReconfirmIntevalInDays: 180 },
        snapshotAbsent: [],
        written: { enablementType: 1, registrationReconfirmIntevalInDays: 180 },
      },
    };
    const keeps = destroyKeeps([policy], tenant([], { enablementType: 1, registrationReconfirmIntevalInDays: 90 }));
    expect(describeDestroyKeeps(keeps, groups, words)).toEqual([
      "PasswordResetPolicy: registrationReconfirmIntevalInDays changed after up; destroy leaves it as it is now.",
    ]);
    expect(destroyKeeps([policy], tenant([], { enablementType: 1, registrationReconfirmIntevalInDays: 180 }))).toEqual(
      [],
    );
  });

  it("judges nothing for objects destroy does not restore, or state from before the record", () => {
    const now = tenant([{ id: "Email", state: "enabled", includeTargets: [pilot, finance] }]);
    expect(
      destroyKeeps([methodState("Email", { includeTargets: [] }, { includeTargets: [pilot] }, "retain")], now),
    ).toEqual([]);
    const old: SingletonState = {
      type: `${prefix}AuthenticationMethodConfiguration`,
      outputs: { methodId: "Email", snapshot: { includeTargets: [] } },
    };
    expect(destroyKeeps([old], now)).toEqual([]);
  });
});
