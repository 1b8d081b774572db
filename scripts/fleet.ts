/**
 * `npm run fleet`: every stack's tenant (or a simulated fleet) side by side, read-only, as a page and JSON.
 * The command line only; the command is `scripts/fleet/fleetCommand.ts`.
 */
import { main, fleetUsage } from "./fleet/fleetCommand";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in. Bad options: exit 2.
if (require.main === module) runCommand("fleet", main, 1, fleetUsage);
