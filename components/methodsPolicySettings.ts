/**
 * The rest of the authentication methods policy as stack config (`sspr:settings`): the registration campaign,
 * report suspicious activity and system-preferred MFA, in admin-center words (Entra admin center > Protection >
 * Authentication methods > Registration campaign / Settings). Each maps onto the `AuthenticationMethodsPolicy`
 * resource, which owns only the members given (`state` always): a member left out stays as the tenant has it,
 * and destroy restores what the stack changed. Report suspicious activity and system-preferred MFA exist only on
 * Graph beta (the resource reads and writes them there). Pure: schemas, mapping and wording.
 */
import { z } from "zod";
import type { AuthenticationMethodsPolicySettings } from "../provider/objects/objectSettings";
import { isGuid } from "../lib/predicates";
import { labelOf, type AdminCenterSetting } from "./adminCenterLabels";

/** Admin-center states; `microsoftManaged` is Graph's `default` (Microsoft decides, and may turn it on). */
export type FeatureState = "enabled" | "disabled" | "microsoftManaged";
/** `all` (All users) or a list of group object ids. */
export type GroupTargets = "all" | string[];

export interface RegistrationCampaignSettings {
  state: FeatureState;
  /** Days allowed to snooze, 0-14. */
  snoozeDays?: number;
  /** Include: users and groups nudged to register Microsoft Authenticator. */
  targets?: GroupTargets;
  /** Exclude: groups never nudged. */
  excludeGroups?: string[];
}

export interface ReportSuspiciousActivitySettings {
  state: FeatureState;
  /** Target: `all` or one group object id. */
  target?: "all" | string;
  /** Reporting code: the digit a user presses on a voice call to report it, 0-9. */
  voiceReportingCode?: number;
}

export interface SystemPreferredMfaSettings {
  state: FeatureState;
  includeGroups?: GroupTargets;
  excludeGroups?: string[];
}

export interface MethodsPolicyRootSettings {
  registrationCampaign?: RegistrationCampaignSettings;
  reportSuspiciousActivity?: ReportSuspiciousActivitySettings;
  systemPreferredMfa?: SystemPreferredMfaSettings;
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas (pass 1 of the config's validation)
// ---------------------------------------------------------------------------------------------------------------

const expecting = (message: string) => ({ errorMap: () => ({ message }) });
const section = <Shape extends z.ZodRawShape>(shape: Shape, what: string) =>
  z.object(shape, expecting(`expected a mapping (${what})`)).strict();

const stateText = 'expected "enabled", "disabled" or "microsoftManaged" (Microsoft managed)';
const state = z.enum(["enabled", "disabled", "microsoftManaged"], expecting(stateText));
const groupIdText = "expected a group object id (GUID)";
const groupId = z.string(expecting(groupIdText)).refine(isGuid, { message: groupIdText });
const groupList = z.array(groupId, expecting("expected a list of group object ids")).min(1, {
  message: "expected at least one group object id",
});
const targetsText = 'expected "all" (All users) or a list of group object ids';
const groupTargets = z.union([z.literal("all"), groupList], expecting(targetsText));

export const registrationCampaignSchema = section(
  {
    state,
    snoozeDays: z
      .number(expecting("expected an integer from 0 to 14 (days allowed to snooze)"))
      .int()
      .min(0)
      .max(14)
      .optional(),
    targets: groupTargets.optional(),
    excludeGroups: groupList.optional(),
  },
  "state, snoozeDays, targets, excludeGroups",
);

export const reportSuspiciousActivitySchema = section(
  {
    state,
    target: z
      .union([z.literal("all"), groupId], expecting('expected "all" (All users) or one group object id'))
      .optional(),
    voiceReportingCode: z
      .number(expecting("expected a digit from 0 to 9 (pressed on a voice call to report it)"))
      .int()
      .min(0)
      .max(9)
      .optional(),
  },
  "state, target, voiceReportingCode",
);

export const systemPreferredMfaSchema = section(
  { state, includeGroups: groupTargets.optional(), excludeGroups: groupList.optional() },
  "state, includeGroups, excludeGroups",
);

/** The keys this module adds to `sspr:settings`. */
export const methodsPolicyRootShape = {
  registrationCampaign: registrationCampaignSchema.optional(),
  reportSuspiciousActivity: reportSuspiciousActivitySchema.optional(),
  systemPreferredMfa: systemPreferredMfaSchema.optional(),
};

// ---------------------------------------------------------------------------------------------------------------
// Mapping onto the AuthenticationMethodsPolicy resource
// ---------------------------------------------------------------------------------------------------------------

const allUsers = "all_users";
const graphState = (value: FeatureState): "enabled" | "disabled" | "default" =>
  value === "microsoftManaged" ? "default" : value;
const groupTarget = (id: string) => ({ targetType: "group" as const, id });
const includeList = (targets: GroupTargets) => (targets === "all" ? [groupTarget(allUsers)] : targets.map(groupTarget));

/** The resource inputs for the settings given; undefined when none is (the root policy is then not managed). */
export function methodsPolicyRootInputs(settings: MethodsPolicyRootSettings): AuthenticationMethodsPolicySettings {
  const inputs: AuthenticationMethodsPolicySettings = {};
  const campaign = settings.registrationCampaign;
  if (campaign !== undefined) {
    inputs.registrationCampaign = {
      state: graphState(campaign.state),
      ...(campaign.snoozeDays === undefined ? {} : { snoozeDurationInDays: campaign.snoozeDays }),
      ...(campaign.targets === undefined
        ? {}
        : {
            includeTargets: includeList(campaign.targets).map((target) => ({
              ...target,
              targetedAuthenticationMethod: "microsoftAuthenticator" as const,
            })),
          }),
      ...(campaign.excludeGroups === undefined ? {} : { excludeTargets: campaign.excludeGroups.map(groupTarget) }),
    };
  }
  const report = settings.reportSuspiciousActivity;
  if (report !== undefined) {
    inputs.reportSuspiciousActivity = {
      state: graphState(report.state),
      ...(report.target === undefined
        ? {}
        : { includeTarget: groupTarget(report.target === "all" ? allUsers : report.target) }),
      ...(report.voiceReportingCode === undefined ? {} : { voiceReportingCode: report.voiceReportingCode }),
    };
  }
  const preferred = settings.systemPreferredMfa;
  if (preferred !== undefined) {
    inputs.systemCredentialPreferences = {
      state: graphState(preferred.state),
      ...(preferred.includeGroups === undefined ? {} : { includeTargets: includeList(preferred.includeGroups) }),
      ...(preferred.excludeGroups === undefined ? {} : { excludeTargets: preferred.excludeGroups.map(groupTarget) }),
    };
  }
  return inputs;
}

// ---------------------------------------------------------------------------------------------------------------
// Words for people
// ---------------------------------------------------------------------------------------------------------------

const stateWords: Record<FeatureState, string> = {
  enabled: "Enabled",
  disabled: "Disabled",
  microsoftManaged: "Microsoft managed",
};
const targetWords = (targets: GroupTargets | string): string =>
  targets === "all" ? "All users" : Array.isArray(targets) ? targets.join(", ") : targets;

/** The settings as Authentication methods > Registration campaign / Settings show them. */
export function methodsPolicyAdminCenterRows(settings: MethodsPolicyRootSettings): Record<string, string | number> {
  const rows: Record<string, string | number> = {};
  const row = (setting: AdminCenterSetting, part: string): string => `${labelOf(setting)}: ${part}`;
  const campaign = settings.registrationCampaign;
  if (campaign !== undefined) {
    rows[row("registrationCampaign", "State")] = stateWords[campaign.state];
    if (campaign.snoozeDays !== undefined)
      rows[row("registrationCampaign", "Days allowed to snooze")] = campaign.snoozeDays;
    if (campaign.targets !== undefined) rows[row("registrationCampaign", "Include")] = targetWords(campaign.targets);
    if (campaign.excludeGroups !== undefined)
      rows[row("registrationCampaign", "Exclude")] = targetWords(campaign.excludeGroups);
  }
  const report = settings.reportSuspiciousActivity;
  if (report !== undefined) {
    rows[row("reportSuspiciousActivity", "State")] = stateWords[report.state];
    if (report.target !== undefined) rows[row("reportSuspiciousActivity", "Target")] = targetWords(report.target);
    if (report.voiceReportingCode !== undefined)
      rows[row("reportSuspiciousActivity", "Reporting code")] = report.voiceReportingCode;
  }
  const preferred = settings.systemPreferredMfa;
  if (preferred !== undefined) {
    rows[row("systemPreferredMfa", "State")] = stateWords[preferred.state];
    if (preferred.includeGroups !== undefined) {
      rows[row("systemPreferredMfa", "Include")] = targetWords(preferred.includeGroups);
    }
    if (preferred.excludeGroups !== undefined) {
      rows[row("systemPreferredMfa", "Exclude")] = targetWords(preferred.excludeGroups);
    }
  }
  return rows;
}
