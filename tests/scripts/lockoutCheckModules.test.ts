/**
 * `lockout-check` against a real tenant (deploy.yml runs it) loads no emulator or harness module and no gRPC: the
 * emulator is imported only when a lab stack starts its own (issue: it loaded 951 modules, 38 of them emulator or
 * harness code, and gRPC). Loaded as its npm script loads it, in a process of its own, without running `main`.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repositoryRoot = path.resolve(__dirname, "../..");

it("loading the lockout-check command reaches no emulator, harness or gRPC module", async () => {
  const script =
    'require("./scripts/lockoutCheck.ts");' +
    'process.stdout.write(JSON.stringify(Object.keys(require.cache).map((file) => require("path").relative(process.cwd(), file))));';
  const { stdout } = await run(process.execPath, ["-r", "sucrase/register", "-e", script], {
    cwd: repositoryRoot,
    timeout: 60_000,
  });
  const loaded = JSON.parse(stdout) as string[];
  // What the check needs is loaded (so the list is the command's, not an empty one).
  expect(loaded).toEqual(
    expect.arrayContaining([path.join("scripts", "lockoutCheck.ts"), path.join("components", "lockoutFacts.ts")]),
  );
  expect(loaded.filter((file) => /^(emulator|harness)[\\/]/.test(file))).toEqual([]);
  expect(loaded.filter((file) => file.includes(path.join("@grpc", "grpc-js")))).toEqual([]);
});
