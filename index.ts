/**
 * The program: read the stack config (`entra-sspr:tenantId`, `entra-sspr:endpoints`, the settings at `sspr:settings`,
 * or at their old place `entra-sspr:sspr` with a warning), validate all of it (every problem at once, before any resource
 * is registered), build the component, export its outputs. Nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import { namespaceConfig, parseStackConfig } from "./components/config";
import { SelfServicePasswordReset } from "./components/selfServicePasswordReset";
import { sameTenantProblems } from "./components/stackFiles";
import { sayStackWarnings } from "./components/openStack";

// allConfig (not Config.get per key) so that a mistyped top-level key such as `entra-sspr:ssrp` is reported too.
const parsed = parseStackConfig(namespaceConfig(pulumi.runtime.allConfig()), new Date(), pulumi.getStack());
// Once: a rehearsal opened the stack file and said it already (`openStack`).
sayStackWarnings(parsed.warnings ?? [], (warning) => void pulumi.log.warn(warning));
// One stack owns a tenant: another stack file of this project naming the same tenant is refused too.
const problems = parsed.ok ? sameTenantProblems(process.cwd(), pulumi.getStack(), parsed.args) : parsed.problems;
if (!parsed.ok || problems.length > 0) {
  const count = problems.length;
  throw new pulumi.RunError(
    `Stack config is invalid (${count} problem${count === 1 ? "" : "s"}); nothing was changed:\n  ` +
      problems.join("\n  "),
  );
}

const sspr = new SelfServicePasswordReset("sspr", parsed.args);

export const settings = sspr.settings;
export const resetUrl = sspr.resetUrl;
export const registrationUrl = sspr.registrationUrl;
export const groupId = sspr.groupId;
