/**
 * `npm run lockout-check`: the lockout check a deploy runs before `pulumi up`.
 * The command line only; the command is `scripts/checks/lockoutCheck.ts`.
 */
import { main, lockoutCheckUsage } from "./checks/lockoutCheck";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("lockout-check", main, 3, lockoutCheckUsage);
