/**
 * The environment every test file starts with. Test files run side by side (jest.config.js, three workers), and one of
 * them may hold the lab stack's port (8640) with a tenant of its own; a command judging the lab stack must then start
 * its own emulator rather than read that one (scripts/readiness/stackTenant.ts). The test of that lookup sets the
 * variable back for itself.
 */
import { ignoreRunningEmulatorVariable } from "../../scripts/readiness/stackTenant";

process.env[ignoreRunningEmulatorVariable] = "ignore";
