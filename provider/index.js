/**
 * The plugin's entry, as the CLI's Node.js language host runs it (`run-plugin <this folder> <engine address>`): the
 * exported function starts the gRPC server, which binds 127.0.0.1:0 and prints its port.
 *
 * The sources are TypeScript. The language host registers ts-node, with full type checking, for every Node.js plugin
 * (`@pulumi/pulumi/cmd/run-plugin/run.js`), which took 10 of the 11 seconds to the port here. Types are checked once,
 * by `npm run typecheck`; the plugin loads its own sources with Sucrase (types stripped, imports rewritten, line
 * numbers kept), installed as the `.ts` loader itself so that ts-node never sees them.
 */
"use strict";

const fs = require("node:fs");
const { transform } = require("sucrase");

require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  module._compile(transform(source, { transforms: ["typescript", "imports"], filePath: filename }).code, filename);
};

module.exports = () => require("./serve").serve(process.argv.slice(2));
