/**
 * `npm run doctor`: one person's password reset checked row by row against the runbook's common errors.
 * The command line only; the command is `scripts/readiness/doctorCommand.ts`.
 */
import { main, doctorUsage } from "./readiness/doctorCommand";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("doctor", main, 1, doctorUsage);
