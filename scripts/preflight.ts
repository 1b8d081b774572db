/**
 * `npm run preflight`: what a stack needs from the tenant and the sign-in, before `up`.
 * The command line only; the command is `scripts/checks/preflight.ts`.
 */
import { main, preflightUsage } from "./checks/preflight";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("preflight", main, 1, preflightUsage);
