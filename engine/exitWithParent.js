/**
 * Preloaded into the provider host (`node -r`, see `spawnProviderHost`): the host ends when the process that
 * started it ends, however that ended. A killed parent runs no exit handler, but its end always closes the pipe
 * that is the host's stdin.
 */
"use strict";

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
