/**
 * `npm run lab`: the lab stack with the real Pulumi CLI against the emulator.
 * The command line only; the command is `scripts/lab/lab.ts`.
 */
import { main, labUsage } from "./lab/lab";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("lab", main, 1, labUsage);
