import {
  containsUnknown,
  deepEqual,
  deepMerge,
  differingKeys,
  keptOrMerged,
  project,
  recordOf,
  unknownValue,
} from "../../../provider/objects/jsonValues";

describe("JSON value helpers", () => {
  it("deepEqual compares JSON structurally, with undefined members as absent", () => {
    expect(deepEqual({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: null }, {})).toBe(false);
    expect(deepEqual([], {})).toBe(false);
  });

  it("differingKeys lists only the desired keys whose value differs", () => {
    expect(differingKeys({ a: 1, b: 2, gone: 3 }, { a: 1, b: 5, added: 0 })).toEqual(["b", "added"]);
  });

  it("project keeps the parts a shape names; deepMerge merges objects and replaces arrays", () => {
    const remote = { a: { state: "enabled", includeTarget: { id: "x", targetType: "group" }, extra: 1 }, b: 2 };
    expect(project(remote, { a: { state: "disabled", includeTarget: { id: "y" } } })).toEqual({
      a: { state: "enabled", includeTarget: { id: "x" } },
    });
    expect(project(undefined, { a: 1 })).toEqual({ a: null });
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] }, d: 1 });
  });

  it("containsUnknown finds the engine's unknown value at any depth", () => {
    expect(containsUnknown({ a: [{ b: unknownValue }] })).toBe(true);
    expect(containsUnknown({ a: [{ b: "x" }] })).toBe(false);
  });

  it("keptOrMerged keeps the tenant's exact value while the setting matches, and merges the given members otherwise", () => {
    const remote = { state: "Enabled", includeTarget: { id: "All_Users", targetType: "group" }, extra: [1] };
    const given = { state: "enabled" };
    expect(keptOrMerged({ state: "enabled" }, { state: "enabled" }, remote, given)).toBe(remote);
    expect(keptOrMerged({ state: "disabled" }, { state: "enabled" }, remote, given)).toEqual({ ...remote, ...given });
    // A tenant without the property gets the given members alone.
    expect(keptOrMerged(null, { state: "enabled" }, undefined, given)).toEqual(given);
  });

  it("recordOf passes a JSON object through and gives an empty one for anything else", () => {
    const record = { a: 1 };
    expect(recordOf(record)).toBe(record);
    for (const other of [undefined, null, [1], "x", 0]) expect(recordOf(other)).toEqual({});
  });
});
