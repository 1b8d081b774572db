/**
 * The commands that read a real tenant (deploy.yml runs lockout-check) load no emulator or engine module and no
 * gRPC: the emulator (and for readiness and doctor the rehearsal) is imported only when a lab stack needs its own
 * (issue: lockout-check loaded 951 modules, 38 of them emulator or engine code, and gRPC). Each is loaded as its
 * npm script loads it, in a process of its own, without running `main`.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repositoryRoot = path.resolve(__dirname, "../..");

const commands: [script: string, needed: string][] = [
  ["scripts/lockoutCheck.ts", "provider/reader/lockoutFacts.ts"],
  ["scripts/preflight.ts", "provider/grants/permissionPreflight.ts"],
  ["scripts/readiness.ts", "provider/reader/readinessSnapshot.ts"],
  ["scripts/doctor.ts", "provider/reader/readinessSnapshot.ts"],
  ["scripts/snapshot.ts", "scripts/lab/tenantCopy.ts"],
  ["scripts/fleet.ts", "scripts/fleet/tenantCheck.ts"],
];

it.each(commands)("loading %s reaches no emulator, engine or gRPC module", async (script, needed) => {
  const listLoaded =
    `require(${JSON.stringify(`./${script}`)});` +
    'const { relative } = require("path");' +
    "process.stdout.write(JSON.stringify(Object.keys(require.cache).map((file) => relative(process.cwd(), file))));";
  const { stdout } = await run(process.execPath, ["-r", "sucrase/register", "-e", listLoaded], {
    cwd: repositoryRoot,
    timeout: 60_000,
  });
  const loaded = JSON.parse(stdout) as string[];
  // What the command needs is loaded (so the list is the command's, not an empty one).
  expect(loaded).toEqual(expect.arrayContaining([path.normalize(script), path.normalize(needed)]));
  expect(loaded.filter((file) => /^(emulator|engine)[\\/]/.test(file))).toEqual([]);
  expect(loaded.filter((file) => file.includes(path.join("@grpc", "grpc-js")))).toEqual([]);
});
