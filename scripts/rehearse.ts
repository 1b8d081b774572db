/**
 * `npm run rehearse`: the rehearsal: the program applied to a fresh local emulator.
 * The command line only; the command is `scripts/rehearse/rehearse.ts`.
 */
import { main, rehearseUsage } from "./rehearse/rehearse";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("rehearse", main, 1, rehearseUsage);
