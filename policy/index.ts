/**
 * The entra-sspr baseline pack for Pulumi CrossGuard: `pulumi preview --policy-pack policy` (add
 * `--policy-pack-config policy/config/<stack>.json` to make rules mandatory or disable them for a stack). Every rule
 * is advisory by default. The rules themselves live in `baselineRules.ts`; `npm run compliance` runs the same ones
 * without the CLI.
 */
import { PolicyPack } from "@pulumi/policy";
import { baselineRules } from "./baselineRules";
import { crossGuardPolicies } from "./crossGuard";
import { defaultEnforcementLevel } from "./packConfig";

new PolicyPack("entra-sspr-baselines", {
  description:
    "Public baselines for Entra ID self-service password reset and authentication methods (CIS M365, CIS Azure, " +
    "CISA ScubaGear, EIDSCA, Zero Trust Assessment, Maester); conflicts between them are reported, not decided.",
  enforcementLevel: defaultEnforcementLevel,
  policies: crossGuardPolicies(baselineRules),
});
