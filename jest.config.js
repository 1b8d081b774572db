/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // A budget for a wedged test, not a speed check: the slowest test (the property lifecycles, 8 applies through the
  // host) took 18 s with the machine's load average at 18, and the suite must pass with both cores busy. Calls that
  // hang fail sooner on their own deadlines (gRPC 30 s per host call, host start 30 s).
  testTimeout: 180000,
  // Commands never read an emulator they happen to find at the lab's port: test files run side by side.
  setupFiles: ["<rootDir>/tests/support/jestEnvironment.ts"],
  // Jest's default on 2 cores is one worker, which it then runs in band: every file in one process, one after the
  // other, and that process grew past 10 GB (each file loads its own copy of the Pulumi SDK) until the kernel
  // killed it. Three workers keep both cores busy (the lifecycle files wait on their provider hosts and emulators
  // much of the time: `npx jest --maxWorkers=3` took 76 s where 2 took 88 s), and a worker that ends a file above
  // the limit is replaced instead of growing for the rest of the run.
  maxWorkers: 3,
  workerIdleMemoryLimit: "1GB",
  // Types are checked once for the whole project by `npm run typecheck` (.ci/run); here the sources are only
  // transpiled, by Sucrase (types stripped, imports rewritten, line numbers kept), as the provider host loads them
  // (legacy-state/index.js). Cold (`npx jest --no-cache`, as in CI's fresh clone) on this 2-core machine: 67 s, against
  // 77 s with ts-jest's transpile-only mode.
  transform: { "^.+\\.ts$": "@sucrase/jest-plugin" },
};
