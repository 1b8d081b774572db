/**
 * `npm run migrate-stack`: a stack file's SSPR settings moved to `sspr:settings`.
 * The command line only; the command is `scripts/stack/migrateStack.ts`.
 */
import { main, migrateStackUsage } from "./stack/migrateStack";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("migrate-stack", main, 1, migrateStackUsage);
