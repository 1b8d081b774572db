/**
 * The settings of the tenant objects, shared by their specs, the resource classes and the component (the HTTP
 * layer's own contract, endpoints and requests, is `provider/http/httpTypes.ts`).
 * Plain data only: everything here ends up in Pulumi state, so no credential ever belongs in it.
 */
import type { EntraEndpoints } from "../../lib/endpoints";

/** What `pulumi destroy` does to a tenant singleton. `reset` exists only for method configurations (Graph DELETE). */
export type OnDelete = "restore" | "retain" | "reset";

/** Inputs every tenant singleton carries besides its owned settings. None of them is diffed as a setting. */
export interface TenantTarget {
  /** Directory (tenant) id the tokens are requested for. */
  tenantId: string;
  endpoints: EntraEndpoints;
  onDelete: OnDelete;
}

// ---------------------------------------------------------------------------------------------------------------
// Settings of the four tenant singletons. In every one of them an absent field is "not owned": left as the tenant
// has it, never written, never restored. Only present fields are compared, written and snapshotted for restore.
// ---------------------------------------------------------------------------------------------------------------

/** Portal API `PasswordResetPolicies`, in admin-center words (the object file maps them to the portal's fields). */
export interface PasswordResetPolicySettings {
  /** Properties blade. `enablementType` 0 | 1 | 2. */
  enablement?: "none" | "selected" | "all";
  /** The one group allowed to reset; required with `selected`, must be absent otherwise. */
  groupId?: string;
  /** `numberOfAuthenticationMethodsRequired`. */
  methodsRequired?: 1 | 2;
  /** Security questions: `securityQuestionsOptionEnabled` and the two counts (3-5 each, register >= reset). */
  securityQuestions?: { enabled: boolean; register?: number; reset?: number };
  /**
   * The legacy per-method switches (`emailOptionEnabled`, ...). They decide SSPR methods only before the
   * authentication-methods-policy migration; after it the Graph method configurations do.
   */
  legacyMethods?: {
    email?: boolean;
    mobilePhone?: boolean;
    officePhone?: boolean;
    mobileAppNotification?: boolean;
    mobileAppCode?: boolean;
  };
  /** `registrationRequiredOnSignIn` and `registrationReconfirmIntevalInDays` (0-730, 0 = never). */
  registration?: { requireOnSignIn: boolean; reconfirmDays: number };
  /** `notifyUsersOnPasswordReset` and `notifyOnAdminPasswordReset`. */
  notifications?: { users: boolean; admins: boolean };
  /** `customizeHelpdeskLink` and `customHelpdeskEmailOrUrl`. */
  helpdesk?: { customize: boolean; emailOrUrl: string };
}

export const authenticationMethodIds = [
  "Email",
  "Sms",
  "Voice",
  "MicrosoftAuthenticator",
  "SoftwareOath",
  "TemporaryAccessPass",
  "Fido2",
  "X509Certificate",
  "HardwareOath",
  "QRCodePin",
] as const;
export type AuthenticationMethodId = (typeof authenticationMethodIds)[number];

/** A Graph include/exclude target. Method-specific members (isUsableForSignIn, authenticationMode, ...) ride along. */
export interface MethodTarget {
  targetType: "group";
  /** A group object id or `all_users`. */
  id: string;
  isRegistrationRequired?: boolean;
  /** Sms only. */
  isUsableForSignIn?: boolean;
  /** MicrosoftAuthenticator only. */
  authenticationMode?: "any" | "deviceBasedPush" | "push";
}

/** Graph `authenticationMethodConfigurations/{id}`. */
export interface AuthenticationMethodConfigurationSettings {
  methodId: AuthenticationMethodId;
  state?: "enabled" | "disabled";
  includeTargets?: MethodTarget[];
  /**
   * `add` (default): the given targets are added to those the tenant already has, so nobody loses a method that
   * also serves MFA sign-in; an existing target keeps its own members. `exact`: the list replaces the tenant's.
   */
  includeTargetsMode?: "add" | "exact";
  /** Replaces the tenant's exclusions when present. */
  excludeTargets?: { targetType: "group"; id: string }[];
  /**
   * The method's own fields, as Graph names them: `isOfficePhoneAllowed` (Voice), `isSoftwareOathEnabled` and
   * `featureSettings` (MicrosoftAuthenticator), `allowExternalIdToUseEmailOtp` (Email), ...
   */
  properties?: Record<string, unknown>;
}

/** Graph `policies/authenticationMethodsPolicy` (the root, without its method configurations). */
export interface AuthenticationMethodsPolicySettings {
  // In each of the three, `state` is required and the other members are owned only when given.
  registrationCampaign?: {
    state: "default" | "enabled" | "disabled";
    snoozeDurationInDays?: number;
    includeTargets?: {
      targetType: "group" | "user";
      id: string;
      targetedAuthenticationMethod: "microsoftAuthenticator";
    }[];
    excludeTargets?: { targetType: "group" | "user"; id: string }[];
  };
  /** beta only. */
  reportSuspiciousActivity?: {
    state: "default" | "enabled" | "disabled";
    includeTarget?: { targetType: "group"; id: string };
    voiceReportingCode?: number;
  };
  /** beta only. */
  systemCredentialPreferences?: {
    state: "default" | "enabled" | "disabled";
    includeTargets?: { targetType: "group"; id: string }[];
    excludeTargets?: { targetType: "group"; id: string }[];
  };
  /** Forward only; a tenant reporting `null` counts as `migrationComplete`. */
  migrationState?: "preMigration" | "migrationInProgress" | "migrationComplete";
}

/** Graph `policies/authorizationPolicy`: SSPR for administrators (not for users). */
export interface AdministratorPasswordResetSettings {
  allowedToUseSSPR: boolean;
}
