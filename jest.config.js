/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // Lifecycle tests start Pulumi's dynamic-provider host as a child process; give them room on a 2-core machine.
  testTimeout: 60000,
  // Jest's default on 2 cores is one worker, which it then runs in band: every file in one process, one after the
  // other, and that process grew past 10 GB (each file loads its own copy of the Pulumi SDK) until the kernel
  // killed it. Two workers use both cores (the provider hosts the lifecycle files start wait on I/O much of the
  // time), and a worker that ends a file above the limit is replaced instead of growing for the rest of the run.
  maxWorkers: 2,
  workerIdleMemoryLimit: "1GB",
  // Transpile only: tsconfig.json sets isolatedModules, so ts-jest uses TypeScript's transpileModule and checks no
  // types (`npm run typecheck` does that once for the whole project in .ci/run).
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: { warnOnly: false } }] },
};
