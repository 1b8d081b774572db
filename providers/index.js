/**
 * The entra-sspr dynamic providers, by resource type. Pulumi's dynamic-provider host runs the `__provider` each
 * resource stores in state; ours is a small forwarder (`components/entra/providerForwarder.ts`) that requires this
 * package by name, so the implementation lives here in the project rather than serialized into every state file.
 *
 * The host is plain Node (the CLI starts it in the program's directory), so the TypeScript sources need a loader,
 * unless the process already has one (ts-node or a test runner). Sucrase's: it only strips types and rewrites
 * imports, which is all these sources need (tsconfig's isolatedModules keeps them that simple), in about half the
 * time of ts-node's transpile-only mode, paid by every host process.
 */
"use strict";

if (require.extensions[".ts"] === undefined) {
  require("sucrase/register/ts");
}

module.exports = require("../components/entra/providerImplementations").implementations;
