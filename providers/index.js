/**
 * The entra-sspr dynamic providers, by resource type. Pulumi's dynamic-provider host runs the `__provider` each
 * resource stores in state; ours is a small forwarder (`components/entra/providerForwarder.ts`) that requires this
 * package by name, so the implementation lives here in the project rather than serialized into every state file.
 *
 * The host is plain Node (the CLI starts it in the program's directory), so the TypeScript sources need a loader:
 * ts-node in transpile-only mode, unless the process already has one (ts-node or a test runner).
 */
"use strict";
const path = require("node:path");

if (require.extensions[".ts"] === undefined) {
  require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
}

module.exports = require("../components/entra/providerImplementations").implementations;
