/**
 * `npm run bench`: requests, wall time and state size of each operation, beside three peers and at scale.
 * The command line only; the command is `scripts/bench/benchCommand.ts`.
 */
import { main, benchUsage } from "./bench/benchCommand";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in. Bad options: exit 2.
if (require.main === module) runCommand("bench", main, 2, benchUsage);
