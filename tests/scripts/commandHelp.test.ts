/**
 * Every command answers `--help` with its usage on stdout and exit 0, without running anything (issue: `bench --help`
 * and `rehearse --help` answered "Unknown option", `lockout-check --help` printed no usage). Each runs as its npm
 * script does: `node -r sucrase/register <script> --help`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repositoryRoot = path.resolve(__dirname, "../..");

/**
 * Every npm script answers `--help` or is not offered as a command (issue 27: `npm run lint:workflows -- --help`
 * failed with a shell syntax error). Scripts run by node are asked here, each as npm runs it; the others are the
 * tools' own (jest, tsc, eslint + prettier, prettier), which answer `--help` themselves.
 */
describe("every npm script answers --help", () => {
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const nodeScripts = Object.entries(scripts)
    .map(([name, command]) => [name, /^node -r sucrase\/register (\S+)$/.exec(command)?.[1]] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);

  it("each script is a node command, or one of the tools that answer --help themselves", () => {
    const tools =
      /^(jest|tsc --noEmit|prettier --write \.|eslint \. && prettier --check \. && npm run --silent lint:workflows)$/;
    const others = Object.entries(scripts).filter(([name]) => !nodeScripts.some(([node]) => node === name));
    expect(others.filter(([, command]) => !tools.test(command))).toEqual([]);
  });

  it.each(nodeScripts.map(([name, file]) => [name, file]))("npm run %s -- --help", async (name, file) => {
    const { stdout } = await run(process.execPath, ["-r", "sucrase/register", file, "--help"], {
      cwd: repositoryRoot,
      timeout: 60_000,
    });
    expect(stdout).toMatch(new RegExp(`^usage: npm run ${name.replace(/[:]/g, "\\$&")}\\b`));
    // Every flag the usage names is explained on a line of its own ("  --flag ...  what it does"), issue 27:
    // `--twice`, `--throttle` and `--for` were named without a word on what they do.
    // The command's own flags: the synopsis and the explanations, not an example of another command ("then: npm run
    // rehearse -- --seed ...") nor a code span.
    const own = stdout
      .split("\n")
      .filter((line, index) => index === 0 || !line.includes("npm run"))
      .join("\n")
      .replace(/`[^`\n]*`/g, "");
    const named = new Set([...own.matchAll(/(?<![\w-])--[a-z][\w-]*/g)].map((match) => match[0]));
    const explained = new Set(
      [...stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][\w-]*)(?:[ =][^\s]+)?(?:, -\w)?\s{2,}\S/gm)].map((match) => match[1]),
    );
    expect([...named].filter((flag) => !explained.has(flag))).toEqual([]);
  });
});
