/**
 * `npm run snapshot`: a real tenant's SSPR settings copied into an emulator seed.
 * The command line only; the command is `scripts/lab/snapshotCommand.ts`.
 */
import { main, snapshotUsage } from "./lab/snapshotCommand";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("snapshot", main, 1, snapshotUsage);
