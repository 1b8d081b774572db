import { annotateSecrets, makeSecret, revealSecrets } from "../../engine/propertyValues";

describe("secret helpers", () => {
  it("marks outputs secret where the same-named input was, recurring into objects", () => {
    const outputs = { token: "t", nested: { inner: "i", plain: "p" }, list: ["a"], plain: "p" };
    const inputs = { token: makeSecret("t"), nested: { inner: makeSecret("i") }, list: [makeSecret("a")], plain: "p" };
    expect(annotateSecrets(outputs, inputs)).toEqual({
      token: makeSecret("t"),
      nested: { inner: makeSecret("i"), plain: "p" },
      list: makeSecret(["a"]),
      plain: "p",
    });
    expect(revealSecrets(inputs)).toEqual({ token: "t", nested: { inner: "i" }, list: ["a"], plain: "p" });
  });
});
