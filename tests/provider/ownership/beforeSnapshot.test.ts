import { changedFields, withoutNulls } from "../../../provider/objects/jsonValues";
import {
  mergeSnapshots,
  releasedFields,
  restoreValues,
  snapshotFromState,
  takeSnapshot,
} from "../../../provider/ownership/beforeSnapshot";

describe("snapshots", () => {
  it("snapshots keep the first value of a field, capture newly owned fields later and forget released ones", () => {
    const older = { snapshot: { a: 1, r: "x", n: null }, absent: ["n"] };
    expect(mergeSnapshots(older, { snapshot: { a: 2, b: 3, m: null }, absent: ["m"] }, ["r"])).toEqual({
      snapshot: { a: 1, b: 3, n: null, m: null },
      absent: ["n", "m"],
    });
    expect(releasedFields(["a", "r", "s"], ["a"])).toEqual(["r", "s"]);
  });

  it("a snapshot tells a null field from a missing one, and writes each back as it was", () => {
    const taken = takeSnapshot({ a: 1, n: null }, ["a", "n", "m"]);
    expect(taken).toEqual({ snapshot: { a: 1, n: null, m: null }, absent: ["m"] });
    expect(restoreValues(taken)).toEqual({ a: 1, n: null, m: undefined });
    expect(restoreValues(taken, ["n"])).toEqual({ n: null });
    // State written before `snapshotAbsent` existed: every null counted as missing, and still does.
    expect(snapshotFromState({ snapshot: { a: 1, n: null } })).toEqual({ snapshot: { a: 1, n: null }, absent: ["n"] });
    expect(changedFields({ a: 1 }, { a: 1, b: null, c: 2 })).toEqual({ c: 2 });
    expect(withoutNulls({ a: null, b: 0, c: undefined })).toEqual({ b: 0 });
  });
});
