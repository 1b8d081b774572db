/**
 * The tenant the emulator starts with: a plausible new tenant. Every value names its source or says "assumed".
 *
 * Sources, abbreviated below:
 * - [GD-AMP]  Graph docs v1.0 `authenticationmethodspolicy-get` response sample (= the shared fixture
 *             graph-authentication-methods-policy.get.json; shortened to five methods there).
 * - [GD-<X>]  Graph docs v1.0 `<x>authenticationmethodconfiguration-get` response samples (Voice, SoftwareOath,
 *             MicrosoftAuthenticator, X509Certificate; the X509 one is labelled "its default configuration").
 * - [GD-AZP]  Graph docs v1.0 `authorizationpolicy-get` sample; [GD-AZP-beta] its beta twin.
 * - docs/reference/<page>.md#<anchor>: the project's reference pages (facts with their public sources).
 * - [PORTAL]  the real portal GET in mondoohq/mql#5767 (= fixture portal-password-reset-policies.get.json).
 * - [AZR]     AzRanger's `OnPremisesPasswordResetPolicy` model (field names of the on-premises portal object).
 *
 * The people (users, groups, roles, registered methods, licences, organization) are in `people/defaultPeople.ts`.
 */
import {
  defaultAuthenticationMethods,
  defaultDirectoryRoleMembers,
  defaultDirectoryRoles,
  defaultGroupMembers,
  defaultGroups,
  defaultOrganization,
  defaultSubscribedSkus,
  defaultUsers,
} from "./people/defaultPeople";
import type { JsonObject, TenantState } from "./types";

/** assumed: a fixed GUID so runs are reproducible. */
export const defaultTenantId = "6f1c2a7e-3b9d-4e58-a1c4-5d2e8f0b9a31";

/** The `@odata.type` of each method configuration the emulator knows (docs/reference/endpoints-and-permissions.md#method-configurations, [GD-*] samples). */
export const methodODataTypes: Record<string, string> = {
  Email: "#microsoft.graph.emailAuthenticationMethodConfiguration",
  Sms: "#microsoft.graph.smsAuthenticationMethodConfiguration",
  Voice: "#microsoft.graph.voiceAuthenticationMethodConfiguration",
  MicrosoftAuthenticator: "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
  SoftwareOath: "#microsoft.graph.softwareOathAuthenticationMethodConfiguration",
  TemporaryAccessPass: "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
  Fido2: "#microsoft.graph.fido2AuthenticationMethodConfiguration",
  X509Certificate: "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration",
};

/** The no-exclusion sentinel of Authenticator feature settings (docs/reference/endpoints-and-permissions.md#method-configurations). */
const noExclusionSentinel = "00000000-0000-0000-0000-000000000000";

/**
 * Each method's default configuration: what a new tenant reports and what `DELETE .../{id}` restores.
 * `excludeTargets: []` is added to every method although [GD-AMP] omits it: every single-method sample
 * ([GD-Voice], [GD-SoftwareOath], [GD-MicrosoftAuthenticator], [GD-X509Certificate]) shows it.
 */
export const defaultMethodConfigurations: Record<string, JsonObject> = {
  Fido2: {
    "@odata.type": methodODataTypes.Fido2,
    id: "Fido2",
    state: "disabled", // [GD-AMP]
    isSelfServiceRegistrationAllowed: true, // [GD-AMP]
    isAttestationEnforced: true, // [GD-AMP]
    keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] }, // [GD-AMP]
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }], // [GD-AMP]
    excludeTargets: [], // see above
  },
  MicrosoftAuthenticator: {
    "@odata.type": methodODataTypes.MicrosoftAuthenticator,
    id: "MicrosoftAuthenticator",
    state: "disabled", // [GD-AMP], [GD-MicrosoftAuthenticator]
    isSoftwareOathEnabled: false, // assumed: OTP in the app is off until an admin turns it on
    // Current target schema of [GD-MicrosoftAuthenticator]; [GD-AMP]'s per-target display/number-matching fields
    // are an older schema (see docs/reference/README.md#real-payloads) and are not reproduced here.
    includeTargets: [
      { targetType: "group", id: "all_users", isRegistrationRequired: false, authenticationMode: "any" },
    ],
    excludeTargets: [], // see above
    featureSettings: {
      // assumed: "default" (Microsoft-managed) for all users with the no-exclusion sentinel (docs/reference/endpoints-and-permissions.md#method-configurations); the docs
      // sample shows a tenant where an admin enabled them.
      displayAppInformationRequiredState: {
        state: "default",
        includeTarget: { targetType: "group", id: "all_users" },
        excludeTarget: { targetType: "group", id: noExclusionSentinel },
      },
      displayLocationInformationRequiredState: {
        state: "default",
        includeTarget: { targetType: "group", id: "all_users" },
        excludeTarget: { targetType: "group", id: noExclusionSentinel },
      },
    },
  },
  Sms: {
    "@odata.type": methodODataTypes.Sms,
    id: "Sms",
    state: "enabled", // [GD-AMP]
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false, isUsableForSignIn: true }], // [GD-AMP]
    excludeTargets: [], // see above
  },
  TemporaryAccessPass: {
    "@odata.type": methodODataTypes.TemporaryAccessPass,
    id: "TemporaryAccessPass",
    state: "disabled", // [GD-AMP]
    defaultLifetimeInMinutes: 60, // [GD-AMP]
    defaultLength: 8, // [GD-AMP]
    minimumLifetimeInMinutes: 60, // [GD-AMP]
    maximumLifetimeInMinutes: 480, // [GD-AMP]
    isUsableOnce: false, // [GD-AMP]
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }], // [GD-AMP]
    excludeTargets: [], // see above
  },
  Email: {
    "@odata.type": methodODataTypes.Email,
    id: "Email",
    state: "enabled", // [GD-AMP]
    allowExternalIdToUseEmailOtp: "default", // [GD-AMP]
    includeTargets: [], // [GD-AMP]
    excludeTargets: [], // see above
  },
  Voice: {
    "@odata.type": methodODataTypes.Voice,
    id: "Voice",
    state: "disabled", // assumed: off in a new tenant ([GD-Voice] shows a tenant where it was enabled)
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }], // [GD-Voice]
    excludeTargets: [], // [GD-Voice]
    isOfficePhoneAllowed: false, // assumed: [GD-Voice] shows the string "true" on an enabled tenant
  },
  SoftwareOath: {
    "@odata.type": methodODataTypes.SoftwareOath,
    id: "SoftwareOath",
    state: "disabled", // assumed: off in a new tenant ([GD-SoftwareOath] shows a tenant where it was enabled)
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }], // [GD-SoftwareOath]
    excludeTargets: [], // [GD-SoftwareOath]
  },
  X509Certificate: {
    "@odata.type": methodODataTypes.X509Certificate,
    id: "X509Certificate",
    state: "disabled", // [GD-X509Certificate] (all values of this method: "its default configuration")
    certificateUserBindings: [
      { x509CertificateField: "PrincipalName", userProperty: "onPremisesUserPrincipalName", priority: 1 },
      { x509CertificateField: "RFC822Name", userProperty: "userPrincipalName", priority: 2 },
    ],
    authenticationModeConfiguration: {
      x509CertificateAuthenticationDefaultMode: "x509CertificateSingleFactor",
      rules: [],
    },
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
    excludeTargets: [],
  },
};

/**
 * Method configurations that exist on Graph beta only, as a new tenant reports them there. They are not stored in
 * the default tenant (v1.0 never shows them, and the start-up tenant stays as the v1.0 world knows it): the beta
 * views show this default while the tenant has none of its own, and a beta PATCH stores one.
 *
 * HardwareOath (preview): Graph beta `hardwareOathAuthenticationMethodConfiguration`
 * (https://learn.microsoft.com/graph/api/resources/hardwareoathauthenticationmethodconfiguration?view=graph-rest-beta):
 * `state`, `includeTargets`, `excludeTargets` and no properties of its own; "Delete: reverts ... to its default
 * configuration". Hardware OATH tokens are a preview (https://learn.microsoft.com/entra/identity/authentication/concept-authentication-oath-tokens).
 */
export const betaOnlyMethodConfigurations: Record<string, JsonObject> = {
  HardwareOath: {
    "@odata.type": "#microsoft.graph.hardwareOathAuthenticationMethodConfiguration",
    id: "HardwareOath",
    state: "disabled", // assumed: off in a new tenant (the docs' GET sample shows the placeholder "String")
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }], // the docs' GET sample
    excludeTargets: [], // the docs' GET sample
  },
};

/** The beta-only default configuration of a method id (any case), or undefined. */
export function betaOnlyMethodConfiguration(id: string): JsonObject | undefined {
  const key = Object.keys(betaOnlyMethodConfigurations).find((known) => known.toLowerCase() === id.toLowerCase());
  return key === undefined ? undefined : structuredClone(betaOnlyMethodConfigurations[key]);
}

function defaultAuthenticationMethodsPolicy(): TenantState["authenticationMethodsPolicy"] {
  return {
    id: "authenticationMethodsPolicy", // [GD-AMP]
    displayName: "Authentication Methods Policy", // [GD-AMP]
    description:
      "The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings", // [GD-AMP]
    lastModifiedDateTime: "2022-01-26T10:47:26.6044384Z", // [GD-AMP]
    policyVersion: "1.4", // [GD-AMP]
    policyMigrationState: null, // docs/reference/endpoints-and-permissions.md#authentication-methods-policy: new tenants report null
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1, // [GD-AMP]
        state: "default", // [GD-AMP]
        excludeTargets: [], // [GD-AMP]
        includeTargets: [
          { id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }, // [GD-AMP]
        ],
      },
    },
    // Order of [GD-AMP] first, then the methods it leaves out.
    authenticationMethodConfigurations: [
      "Fido2",
      "MicrosoftAuthenticator",
      "Sms",
      "TemporaryAccessPass",
      "Email",
      "Voice",
      "SoftwareOath",
      "X509Certificate",
    ].map((id) => structuredClone(defaultMethodConfigurations[id])),
  };
}

function defaultAuthorizationPolicy(): JsonObject {
  return {
    id: "authorizationPolicy", // [GD-AZP]
    allowInvitesFrom: "everyone", // [GD-AZP]
    allowedToSignUpEmailBasedSubscriptions: true, // [GD-AZP]
    allowedToUseSSPR: true, // [GD-AZP]; docs/reference/endpoints-and-permissions.md#authorization-policy: admins have SSPR on by default
    allowEmailVerifiedUsersToJoinOrganization: true, // [GD-AZP]
    allowUserConsentForRiskyApps: false, // [GD-AZP]
    blockMsolPowerShell: null, // [GD-AZP]
    displayName: "Authorization Policy", // [GD-AZP]
    description: "Used to manage authorization related settings across the company.", // [GD-AZP]
    guestUserRoleId: "10dae51f-b6af-4016-8d66-8c2a99b929b3", // [GD-AZP-beta] (also a v1.0 property)
    defaultUserRolePermissions: {
      allowedToCreateApps: true, // [GD-AZP]
      allowedToCreateSecurityGroups: true, // [GD-AZP]
      allowedToReadOtherUsers: true, // [GD-AZP]
      permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"], // assumed: [GD-AZP] shows an edited tenant ("just-user-read")
    },
  };
}

/** Shaped exactly like [PORTAL] (same fields, same order); values of a tenant where SSPR was never set up. */
function defaultPasswordResetPolicies(): JsonObject {
  return {
    objectId: "default", // [PORTAL]
    enablementType: 0, // docs/reference/portal-api.md#field-facts: 0 = None, a new tenant's users cannot reset
    numberOfAuthenticationMethodsRequired: 1, // assumed
    emailOptionEnabled: true, // assumed
    mobilePhoneOptionEnabled: true, // assumed
    officePhoneOptionEnabled: false, // assumed
    securityQuestionsOptionEnabled: false, // assumed
    mobileAppNotificationEnabled: false, // assumed
    mobileAppCodeEnabled: false, // assumed
    numberOfQuestionsToRegister: 5, // assumed (= [PORTAL])
    numberOfQuestionsToReset: 3, // assumed (= [PORTAL])
    registrationRequiredOnSignIn: true, // assumed
    registrationReconfirmIntevalInDays: 180, // assumed (= [PORTAL]); the missing "r" is the real spelling (docs/reference/portal-api.md#field-facts)
    skipRegistrationAllowed: true, // assumed (= [PORTAL])
    skipRegistrationMaxAllowedDays: 7, // assumed (= [PORTAL])
    customizeHelpdeskLink: false, // assumed
    customHelpdeskEmailOrUrl: "", // assumed (= [PORTAL])
    notifyUsersOnPasswordReset: true, // assumed
    notifyOnAdminPasswordReset: true, // assumed
    passwordResetEnabledGroupIds: [], // assumed: no group chosen yet
    passwordResetEnabledGroupName: "", // assumed; tools send "" on PUT (docs/reference/portal-api.md#field-facts)
    securityQuestions: [], // assumed (= [PORTAL]); element shape unverified (docs/reference/portal-api.md#security-questions)
    registrationConditionalAccessPolicies: [], // assumed (= [PORTAL])
    emailOptionAllowed: true, // assumed (= [PORTAL])
    mobilePhoneOptionAllowed: true, // assumed (= [PORTAL])
    officePhoneOptionAllowed: true, // assumed (= [PORTAL]; free/trial tenants report false, docs/reference/portal-api.md#field-facts)
    securityQuestionsOptionAllowed: true, // assumed (= [PORTAL])
    mobileAppNotificationOptionAllowed: true, // assumed (= [PORTAL])
    mobileAppCodeOptionAllowed: true, // assumed (= [PORTAL])
  };
}

/** Field names from [AZR]; values of a cloud-only tenant without Entra Connect (all assumed). */
function defaultOnPremisesPasswordResetPolicies(): JsonObject {
  return {
    objectId: "default", // assumed: like PasswordResetPolicies
    passwordWritebackSupported: false, // assumed
    accountUnlockSupported: false, // assumed
    accountUnlockEnabled: false, // assumed
    enablementForTenant: false, // assumed
    cloudProvisioningEnablementForTenant: false, // assumed
  };
}

/** A fresh copy of the default tenant (callers may change it freely). */
export function createDefaultTenant(): TenantState {
  return {
    tenantId: defaultTenantId,
    authenticationMethodsPolicy: defaultAuthenticationMethodsPolicy(),
    authorizationPolicy: defaultAuthorizationPolicy(),
    passwordResetPolicies: defaultPasswordResetPolicies(),
    onPremisesPasswordResetPolicies: defaultOnPremisesPasswordResetPolicies(),
    groups: defaultGroups(),
    groupMembers: defaultGroupMembers(),
    users: defaultUsers(),
    // The report is derived from the directory (emulator/people/registrationReport.ts); no rows laid over it.
    userRegistrationDetails: [],
    authenticationMethods: defaultAuthenticationMethods(),
    securityQuestionsRegistered: {},
    directoryRoles: defaultDirectoryRoles(),
    directoryRoleMembers: defaultDirectoryRoleMembers(),
    subscribedSkus: defaultSubscribedSkus(defaultTenantId),
    organization: defaultOrganization(defaultTenantId),
    organizationExtensions: [], // assumed: no tool has marked the tenant yet
    applications: [], // assumed: no entra-sspr stack has marked the tenant yet
    ownTelephonyProvider: false, // assumed: Microsoft's own SMS and voice delivery, as in every tenant until 2026
    microsoftChangesApplied: [], // none applied: a plain start is the tenant as it is (emulator/microsoftChanges.ts)
  };
}

/** The configuration `DELETE .../authenticationMethodConfigurations/{id}` restores, or undefined for unknown ids. */
export function defaultMethodConfiguration(id: string): JsonObject | undefined {
  const key = Object.keys(defaultMethodConfigurations).find((known) => known.toLowerCase() === id.toLowerCase());
  return key === undefined ? undefined : structuredClone(defaultMethodConfigurations[key]);
}
