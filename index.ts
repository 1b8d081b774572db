/**
 * The program: read the `entra-sspr` stack config, validate all of it (every problem at once, before any resource
 * is registered), build the component, export its outputs. Nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import { namespaceConfig, parseStackConfig } from "./components/config";
import { SelfServicePasswordReset } from "./components/selfServicePasswordReset";

// allConfig (not Config.get per key) so that a mistyped top-level key such as `entra-sspr:ssrp` is reported too.
const parsed = parseStackConfig(namespaceConfig(pulumi.runtime.allConfig()));
if (!parsed.ok) {
  const count = parsed.problems.length;
  throw new pulumi.RunError(
    `Stack config is invalid (${count} problem${count === 1 ? "" : "s"}); nothing was changed:\n  ` +
      parsed.problems.join("\n  "),
  );
}

const sspr = new SelfServicePasswordReset("sspr", parsed.args);

export const settings = sspr.settings;
export const resetUrl = sspr.resetUrl;
export const registrationUrl = sspr.registrationUrl;
export const groupId = sspr.groupId;
