/**
 * The one table of admin-center labels: each SSPR setting as the Entra admin center labels it, with where it is
 * (area and blade). The component's settings output (`mapping.ts`), the tenant report (`scripts/tenantReport.ts`)
 * and the baseline rules (`policy/baselineRules.ts`) all name settings from here. Pure data.
 */

export interface AdminCenterLabel {
  /** The admin center's area: Protection > Password reset, or Protection > Authentication methods. */
  area: "Password reset" | "Authentication methods";
  blade: string;
  label: string;
}

const passwordReset = (blade: string, label: string): AdminCenterLabel => ({ area: "Password reset", blade, label });
const methods = (blade: string, label: string): AdminCenterLabel => ({ area: "Authentication methods", blade, label });

export const adminCenterLabels = {
  enablement: passwordReset("Properties", "Self service password reset enabled"),
  selectedGroup: passwordReset("Properties", "Selected group"),
  methodsRequired: passwordReset("Authentication methods", "Number of methods required to reset"),
  methodsAvailable: passwordReset("Authentication methods", "Methods available to users"),
  securityQuestions: passwordReset("Authentication methods", "Security questions"),
  questionsToRegister: passwordReset("Authentication methods", "Number of questions required to register"),
  questionsToReset: passwordReset("Authentication methods", "Number of questions required to reset"),
  requireOnSignIn: passwordReset("Registration", "Require users to register when signing in"),
  reconfirmDays: passwordReset(
    "Registration",
    "Number of days before users are asked to re-confirm their authentication information",
  ),
  notifyUsers: passwordReset("Notifications", "Notify users on password resets"),
  notifyAdmins: passwordReset("Notifications", "Notify all admins when other admins reset their password"),
  customizeHelpdesk: passwordReset("Customization", "Customize helpdesk link"),
  helpdeskEmailOrUrl: passwordReset("Customization", "Custom helpdesk email or URL"),
  // Not a control of the blade (Graph's authorizationPolicy.allowedToUseSSPR); the tenant report shows it in a
  // section of its own under this name.
  administrators: passwordReset("Administrator policy", "Administrators can reset their own password"),
  migration: methods("Policies", "Manage migration"),
  registrationCampaign: methods("Registration campaign", "Registration campaign"),
  reportSuspiciousActivity: methods("Settings", "Report suspicious activity"),
  systemPreferredMfa: methods("Settings", "System-preferred multifactor authentication"),
  smsSignIn: methods("SMS", "Use for sign-in"),
} as const satisfies Record<string, AdminCenterLabel>;
export type AdminCenterSetting = keyof typeof adminCenterLabels;

/** The label of a setting, e.g. "Number of methods required to reset". */
export const labelOf = (setting: AdminCenterSetting): string => adminCenterLabels[setting].label;

/** A setting within its area, e.g. "Registration: Require users to register when signing in". */
export function bladeAndLabel(setting: AdminCenterSetting): string {
  const { blade, label } = adminCenterLabels[setting];
  return `${blade}: ${label}`;
}

/** Where a setting is, e.g. "Password reset > Registration: Require users to register when signing in". */
export function settingPath(setting: AdminCenterSetting): string {
  return `${adminCenterLabels[setting].area} > ${bladeAndLabel(setting)}`;
}
