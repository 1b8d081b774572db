import { canonicalTargets, targetsToRaw, zeroGuid } from "../../../provider/objects/targetLists";

describe("target lists", () => {
  it("canonicalTargets sorts by type and id, lower-cases ids and can drop the zero-GUID sentinel", () => {
    const tenant = [
      { targetType: "group", id: "B0000000-0000-0000-0000-00000000000B", isRegistrationRequired: false },
      { targetType: "group", id: "All_Users" },
      { targetType: "group", id: zeroGuid },
    ];
    expect(canonicalTargets(tenant, true)).toEqual([
      { targetType: "group", id: "all_users" },
      { targetType: "group", id: "b0000000-0000-0000-0000-00000000000b", isRegistrationRequired: false },
    ]);
    expect(canonicalTargets(tenant)).toHaveLength(3);
    expect(canonicalTargets(undefined)).toEqual([]);
  });

  it("targetsToRaw keeps the remote list when it already compares equal, and its spelling when it changes", () => {
    const remote = [{ targetType: "group", id: "All_Users", isUsableForSignIn: true }];
    expect(targetsToRaw(remote, [{ targetType: "group", id: "all_users", isUsableForSignIn: true }])).toBe(remote);
    const next = [
      { targetType: "group", id: "all_users", isUsableForSignIn: false },
      { targetType: "group", id: "c0000000-0000-0000-0000-00000000000c" },
    ];
    expect(targetsToRaw(remote, next)).toEqual([
      { targetType: "group", id: "All_Users", isUsableForSignIn: false },
      { targetType: "group", id: "c0000000-0000-0000-0000-00000000000c" },
    ]);
    // Only the sentinel means "nobody excluded": the same as an empty list.
    const sentinel = [{ targetType: "group", id: zeroGuid }];
    expect(targetsToRaw(sentinel, [], true)).toBe(sentinel);
  });
});
