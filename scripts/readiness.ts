/**
 * `npm run readiness`: who in the stack's tenant can reset their password, and why the others cannot.
 * The command line only; the command is `scripts/readiness/readinessCommand.ts`.
 */
import { main, readinessUsage } from "./readiness/readinessCommand";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("readiness", main, 1, readinessUsage);
