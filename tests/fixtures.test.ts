import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fixtureNames, fixturesDir } from "./support/fixtures";

// The shared folder sits beside the checkout on the project's machines and in CI.
const sharedDir = path.resolve(__dirname, "..", "..", "shared", "fixtures");

describe("tests/fixtures", () => {
  it("holds exactly the known fixtures", () => {
    expect(readdirSync(fixturesDir).sort()).toEqual([...fixtureNames].sort());
  });

  (existsSync(sharedDir) ? it : it.skip)("are byte-identical copies of shared/fixtures", () => {
    const shared = readdirSync(sharedDir).filter((name) => name.endsWith(".json"));
    expect(shared.sort()).toEqual([...fixtureNames].sort());
    for (const name of fixtureNames) {
      expect(readFileSync(path.join(fixturesDir, name))).toEqual(readFileSync(path.join(sharedDir, name)));
    }
  });
});
