import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openStack } from "../../../components/openStack";
import { main, migrateStackText } from "../../../scripts/stack/migrateStack";

const repositoryRoot = path.resolve(__dirname, "../../..");
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-migrate-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The repository's stack file as it was written before the move: the same text, the settings at the old key. */
const asBefore = (text: string) => text.replaceAll("sspr:settings:", "entra-sspr:sspr:");

describe("npm run migrate-stack", () => {
  it.each(["dev", "lab"])(
    "moves Pulumi.%s.yaml's settings to sspr:settings, every comment and line kept, the same args and no warning",
    async (stack) => {
      const today = fs.readFileSync(path.join(repositoryRoot, `Pulumi.${stack}.yaml`), "utf8");
      const file = path.join(dir, `Pulumi.${stack}.yaml`);
      fs.writeFileSync(file, asBefore(today));
      const before = openStack({ stackFile: file, quiet: true });
      expect(before.warnings).toHaveLength(1);

      const said: string[] = [];
      expect(await main(["--stack-file", file], (text) => said.push(text))).toBe(0);
      expect(said).toEqual([
        `${file}: moved entra-sspr:sspr to sspr:settings; comments, order and values are as they were`,
      ]);
      // The whole file, byte for byte: only the key's lines changed (the commented-out pilot block's too).
      expect(fs.readFileSync(file, "utf8")).toBe(today);
      const after = openStack({ stackFile: file, quiet: true });
      expect(after).toMatchObject({ problems: [], warnings: [] });
      expect(after.args).toEqual(before.args);

      // A second run changes nothing.
      said.length = 0;
      expect(await main(["--stack-file", file], (text) => said.push(text))).toBe(0);
      expect(said).toEqual([`${file}: nothing to move (no entra-sspr:sspr)`]);
    },
  );

  it("refuses a file with the settings at both places, and changes nothing", () => {
    const text = "config:\n  sspr:settings: { scope: none }\n  entra-sspr:sspr: { scope: all }\n";
    expect(migrateStackText(text)).toEqual({
      problem:
        "the file has both entra-sspr:sspr and sspr:settings; keep the settings at sspr:settings only and remove " +
        "entra-sspr:sspr by hand",
    });
  });

  it("moves a secret with its key and leaves every other key alone", () => {
    const text = [
      "config:",
      "  entra-sspr:tenantId: munyakazi.org # the tenant",
      "  entra-sspr:sspr:",
      "    helpdesk:",
      "      secure: v1:abc",
      "  entra-sspr:sspr.note: kept",
    ].join("\n");
    const migrated = migrateStackText(text);
    expect(migrated).toEqual({ moved: true, text: text.replace("  entra-sspr:sspr:\n", "  sspr:settings:\n") });
  });

  it("says what is missing on the command line", async () => {
    const said: string[] = [];
    expect(await main([], (text) => said.push(text))).toBe(2);
    expect(said[0]).toMatch(/^--stack <name> is required/);
  });
});
