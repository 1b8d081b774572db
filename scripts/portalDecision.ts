/**
 * `npm run portal-decision`: whether a deploy needs an administrator's sign-in (deploy.yml).
 * The command line only; the decision is `scripts/checks/portalDecision.ts`.
 */
import { main, portalDecisionUsage } from "./checks/portalDecision";
import { runCommand } from "./stack/runCommand";

// Only when node runs this file: a test may load it to see which modules a command pulls in.
if (require.main === module) runCommand("portal-decision", main, 2, portalDecisionUsage);
