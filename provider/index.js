/**
 * The plugin's entry, as the CLI's Node.js language host runs it (`run-plugin <this folder> <engine address>`): the
 * exported function starts the gRPC server, which binds 127.0.0.1:0 and prints its port. The sources are TypeScript:
 * Sucrase's loader strips the types (the language host adds no loader for a `.js` entry).
 */
"use strict";

if (require.extensions[".ts"] === undefined) {
  require("sucrase/register/ts");
}

module.exports = () => require("./serve").serve(process.argv.slice(2));
