import { EngineError } from "../../harness/engine";
import { describeErrors } from "../../scripts/runReport";

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
