/**
 * `npm run drift-check`: the nightly drift check of the password reset policy's scope, without a person.
 * The command line only; the command is `scripts/checks/portalScopeDrift.ts`.
 */
import { driftCheckUsage, main } from "./checks/portalScopeDrift";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("drift-check", main, 3, driftCheckUsage);
