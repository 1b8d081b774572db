/**
 * `npm run compliance`: the baseline compliance table of a rehearsed plan.
 * The command line only; the command is `scripts/checks/complianceCheck.ts`.
 */
import { main, complianceUsage } from "./checks/complianceCheck";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("compliance", main, 1, complianceUsage);
