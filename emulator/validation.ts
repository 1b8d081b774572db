/**
 * Input validation for every body the emulator accepts. Pure functions: each returns all problems at once, each
 * naming the setting, the value and what is allowed, so a 400 tells the whole story in one go.
 */
import { ownEntry } from "./jsonGuard";
import { describeValue, isPlainObject, type JsonObject } from "./types";

/** Checks one value and appends what is wrong with it to `problems`. */
export type Check = (value: unknown, name: string, problems: string[]) => void;

// ---------------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------------

export const isBoolean: Check = (value, name, problems) => {
  if (typeof value !== "boolean") problems.push(`${name} is ${describeValue(value)}; allowed: true or false`);
};

export const isString: Check = (value, name, problems) => {
  if (typeof value !== "string") problems.push(`${name} is ${describeValue(value)}; allowed: a string`);
};

export const isNonEmptyString: Check = (value, name, problems) => {
  if (typeof value !== "string" || value.trim() === "")
    problems.push(`${name} is ${describeValue(value)}; allowed: a non-empty string`);
};

export function oneOf(...allowed: readonly (string | number | null)[]): Check {
  return (value, name, problems) => {
    if (!allowed.includes(value as string | number | null))
      problems.push(`${name} is ${describeValue(value)}; allowed: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  };
}

export function integerIn(min: number, max: number): Check {
  return (value, name, problems) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} is ${describeValue(value)}; allowed: an integer ${min}-${max}`);
  };
}

export function arrayOf(element: Check): Check {
  return (value, name, problems) => {
    if (!Array.isArray(value)) {
      problems.push(`${name} is ${describeValue(value)}; allowed: an array`);
      return;
    }
    value.forEach((item, index) => element(item, `${name}[${index}]`, problems));
  };
}

/** An object whose members are checked by `members`; missing members listed in `required` are problems too. */
export function objectWith(members: Record<string, Check>, required: readonly string[] = []): Check {
  return (value, name, problems) => {
    if (!isPlainObject(value)) {
      problems.push(`${name} is ${describeValue(value)}; allowed: an object`);
      return;
    }
    for (const key of required) if (!(key in value)) problems.push(`${name}.${key} is missing; it is required`);
    for (const [key, member] of Object.entries(value)) {
      const check = ownEntry(members, key);
      if (check === undefined)
        problems.push(`${name}.${key} is not a known property; allowed: ${Object.keys(members).join(", ")}`);
      else check(member, `${name}.${key}`, problems);
    }
  };
}

export const anyArray: Check = (value, name, problems) => {
  if (!Array.isArray(value)) problems.push(`${name} is ${describeValue(value)}; allowed: an array`);
};

export const anyObject: Check = (value, name, problems) => {
  if (!isPlainObject(value)) problems.push(`${name} is ${describeValue(value)}; allowed: an object`);
};

function nullable(check: Check): Check {
  return (value, name, problems) => {
    if (value !== null) check(value, name, problems);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Graph: authentication methods policy
// ---------------------------------------------------------------------------------------------------------------

/** `authenticationMethodTargetType`; user targeting is deprecated but still part of the type. */
const targetType = oneOf("group", "user");
const featureState = oneOf("default", "enabled", "disabled");

/** A method's include target: `{targetType, id, isRegistrationRequired}` plus the method's own members. */
function includeTarget(extra: Record<string, Check> = {}): Check {
  return objectWith({ targetType, id: isNonEmptyString, isRegistrationRequired: isBoolean, ...extra }, [
    "targetType",
    "id",
  ]);
}

const excludeTarget: Check = objectWith({ targetType, id: isNonEmptyString }, ["targetType", "id"]);

const featureTarget: Check = objectWith({ targetType: oneOf("group"), id: isNonEmptyString }, ["targetType", "id"]);

const featureSetting: Check = objectWith({
  state: featureState,
  includeTarget: featureTarget,
  excludeTarget: featureTarget,
});

/**
 * Properties each method configuration accepts in a PATCH, beside the common `state`, `includeTargets` and
 * `excludeTargets` (docs/reference/endpoints-and-permissions.md#method-configurations; Graph resource pages). Keyed by method id.
 */
const methodProperties: Record<string, { includeExtra?: Record<string, Check>; own?: Record<string, Check> }> = {
  Email: { own: { allowExternalIdToUseEmailOtp: oneOf("default", "enabled", "disabled") } },
  Sms: { includeExtra: { isUsableForSignIn: isBoolean } },
  Voice: { own: { isOfficePhoneAllowed: isBoolean } },
  MicrosoftAuthenticator: {
    includeExtra: {
      authenticationMode: oneOf("any", "deviceBasedPush", "push"),
      // The older per-target schema (fixture graph-authentication-methods-policy.get.json) is accepted so that a
      // target read from such a tenant can be written back unchanged.
      outlookMobileAllowedState: featureState,
      displayAppInformationRequiredState: featureState,
      numberMatchingRequiredState: featureState,
    },
    own: {
      isSoftwareOathEnabled: isBoolean,
      // assumed: the beta feature names are accepted on both versions.
      featureSettings: objectWith({
        displayAppInformationRequiredState: featureSetting,
        displayLocationInformationRequiredState: featureSetting,
        companionAppAllowedState: featureSetting,
        numberMatchingRequiredState: featureSetting,
      }),
    },
  },
  SoftwareOath: {},
  // Graph beta only (a preview): state and targets, nothing of its own.
  HardwareOath: {},
  TemporaryAccessPass: {
    own: {
      defaultLength: integerIn(8, 48),
      defaultLifetimeInMinutes: integerIn(10, 43200),
      minimumLifetimeInMinutes: integerIn(10, 43200),
      maximumLifetimeInMinutes: integerIn(10, 43200),
      isUsableOnce: isBoolean,
    },
  },
  Fido2: {
    own: {
      isSelfServiceRegistrationAllowed: isBoolean,
      isAttestationEnforced: isBoolean,
      keyRestrictions: objectWith({
        isEnforced: isBoolean,
        enforcementType: oneOf("allow", "block"),
        aaGuids: arrayOf(isString),
      }),
    },
  },
  // assumed: the binding and mode structures are passed through after a shape check.
  X509Certificate: { own: { certificateUserBindings: anyArray, authenticationModeConfiguration: anyObject } },
};

/** `#microsoft.graph.fooAuthenticationMethodConfiguration` -> `microsoft.graph.fooAuthenticationMethodConfiguration`. */
function typeName(odataType: unknown): string {
  return typeof odataType === "string" ? odataType.replace(/^#/, "") : "";
}

/**
 * Checks a PATCH body for one method configuration. Graph requires the method's `@odata.type`, rejects properties
 * the type does not have, and (assumed) treats `id` as read-only: accepted only when it names this configuration.
 * `@odata.context` is ignored (assumed: a client writing back what it read should not fail on it).
 * Returns the problems and the patch to merge (without the annotations).
 */
export function checkMethodConfigurationPatch(
  current: JsonObject,
  body: unknown,
): { problems: string[]; patch: JsonObject } {
  const problems: string[] = [];
  const patch: JsonObject = {};
  if (!isPlainObject(body)) return { problems: [`the body is ${describeValue(body)}; allowed: a JSON object`], patch };
  const id = String(current.id);
  const expectedType = String(current["@odata.type"]);
  const given = body["@odata.type"];
  if (given === undefined) problems.push(`@odata.type is missing; it must be ${JSON.stringify(expectedType)}`);
  else if (typeName(given).toLowerCase() !== typeName(expectedType).toLowerCase())
    problems.push(`@odata.type is ${describeValue(given)}; it must be ${JSON.stringify(expectedType)} for ${id}`);

  const spec = ownEntry(methodProperties, id) ?? {};
  const members: Record<string, Check> = {
    state: oneOf("enabled", "disabled"),
    includeTargets: arrayOf(includeTarget(spec.includeExtra)),
    excludeTargets: arrayOf(excludeTarget),
    ...spec.own,
  };
  for (const [key, value] of Object.entries(body)) {
    if (key === "@odata.type" || key === "@odata.context") continue;
    if (key === "id") {
      if (typeof value !== "string" || value.toLowerCase() !== id.toLowerCase())
        problems.push(`id is ${describeValue(value)}; it is read-only and must be ${JSON.stringify(id)} if given`);
      continue;
    }
    const check = ownEntry(members, key);
    if (check === undefined) {
      // Graph's own wording for an unknown property on a typed (non-open) entity.
      problems.push(
        `The property '${key}' does not exist on type '${typeName(expectedType)}'. Make sure to only use property names that are defined by the type.`,
      );
      continue;
    }
    check(value, key, problems);
    patch[key] = value;
  }
  return { problems, patch };
}

/** Cross-property rules on the configuration a PATCH would produce. */
export function checkMethodConfiguration(merged: JsonObject): string[] {
  const problems: string[] = [];
  if (String(merged.id).toLowerCase() === "temporaryaccesspass") {
    const { minimumLifetimeInMinutes: min, defaultLifetimeInMinutes: def, maximumLifetimeInMinutes: max } = merged;
    if (typeof min === "number" && typeof max === "number" && min > max)
      problems.push(
        `minimumLifetimeInMinutes is ${min} and maximumLifetimeInMinutes is ${max}; allowed: minimum <= maximum`,
      );
    if (typeof def === "number" && typeof min === "number" && typeof max === "number" && (def < min || def > max))
      problems.push(
        `defaultLifetimeInMinutes is ${def}; allowed: between minimumLifetimeInMinutes (${min}) and maximumLifetimeInMinutes (${max})`,
      );
  }
  return problems;
}

export const migrationStates = ["preMigration", "migrationInProgress", "migrationComplete"] as const;

/**
 * The rule for `policyMigrationState` (docs/reference/endpoints-and-permissions.md#authentication-methods-policy): forward only, and `null` (a new tenant) counts as complete.
 * Returns the problem, or the state to store (`null` stays `null` when asked for `migrationComplete`, because the
 * reference says a PATCH leaves it `null`).
 */
export function nextMigrationState(
  current: unknown,
  requested: unknown,
): { problem: string } | { state: string | null } {
  const allowed = `allowed: ${migrationStates.map((s) => JSON.stringify(s)).join(", ")}`;
  if (requested === null && current === null) return { state: null };
  if (typeof requested !== "string" || !(migrationStates as readonly string[]).includes(requested))
    return { problem: `policyMigrationState is ${describeValue(requested)}; ${allowed}` };
  const rank = (state: unknown): number =>
    state === null || state === undefined ? migrationStates.length - 1 : migrationStates.indexOf(state as never);
  const currentRank = rank(current);
  const requestedRank = migrationStates.indexOf(requested as (typeof migrationStates)[number]);
  if (requestedRank < currentRank)
    return {
      problem: `policyMigrationState is ${JSON.stringify(requested)} but the tenant is at ${JSON.stringify(current ?? null)}${
        current === null || current === undefined ? " (a new tenant, treated as migrationComplete)" : ""
      }; the migration only moves forward (preMigration -> migrationInProgress -> migrationComplete)`,
    };
  if (current === null || current === undefined) return { state: null };
  return { state: requested };
}

/**
 * The registration campaign. `targetedAuthenticationMethod`: `microsoftAuthenticator` or passkeys, written `fido2`
 * by Learn's how-to (https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-registration-campaign)
 * and `Fido2` by the Graph resource page (`authenticationMethodsRegistrationCampaignIncludeTarget`); both are
 * accepted and stored as given (assumed: how Graph stores the spelling is not documented).
 */
const campaignCheck: Check = objectWith({
  snoozeDurationInDays: integerIn(0, 14),
  state: oneOf("default", "enabled", "disabled"),
  enforceRegistrationAfterAllowedSnoozes: isBoolean,
  includeTargets: arrayOf(
    objectWith(
      {
        id: isNonEmptyString,
        targetType,
        targetedAuthenticationMethod: oneOf("microsoftAuthenticator", "fido2", "Fido2"),
      },
      ["id", "targetType"],
    ),
  ),
  excludeTargets: arrayOf(excludeTarget),
});

const rootWritable: Record<string, Check> = {
  registrationEnforcement: objectWith({ authenticationMethodsRegistrationCampaign: campaignCheck }),
};

/** beta only (docs/reference/endpoints-and-permissions.md#authentication-methods-policy). */
const rootWritableBeta: Record<string, Check> = {
  reportSuspiciousActivitySettings: objectWith({
    state: featureState,
    includeTarget: featureTarget,
    voiceReportingCode: integerIn(0, 9),
  }),
  systemCredentialPreferences: objectWith({
    state: featureState,
    includeTargets: arrayOf(excludeTarget),
    excludeTargets: arrayOf(excludeTarget),
  }),
};

export const betaOnlyPolicyProperties = Object.keys(rootWritableBeta);

/**
 * Read-only properties in a PATCH body (assumed, for root policies): accepted when equal to the stored value, so
 * a client may write back what it read; a different value is a 400. `@odata.context` is always ignored.
 */
function checkReadOnly(current: JsonObject, key: string, value: unknown, problems: string[]): void {
  if (JSON.stringify(current[key]) !== JSON.stringify(value))
    problems.push(`${key} is ${describeValue(value)}; it is read-only (the tenant has ${describeValue(current[key])})`);
}

/** Checks a PATCH body for `/policies/authenticationMethodsPolicy`; returns the patch to merge. */
export function checkMethodsPolicyPatch(
  current: JsonObject,
  body: unknown,
  version: "v1.0" | "beta",
): { problems: string[]; patch: JsonObject } {
  const problems: string[] = [];
  const patch: JsonObject = {};
  if (!isPlainObject(body)) return { problems: [`the body is ${describeValue(body)}; allowed: a JSON object`], patch };
  const writable = version === "beta" ? { ...rootWritable, ...rootWritableBeta } : rootWritable;
  const readOnly = ["id", "displayName", "description", "lastModifiedDateTime", "policyVersion"];
  for (const [key, value] of Object.entries(body)) {
    if (key === "@odata.context") continue;
    if (key === "policyMigrationState") {
      const next = nextMigrationState(current.policyMigrationState, value);
      if ("problem" in next) problems.push(next.problem);
      else patch[key] = next.state;
    } else if (key === "authenticationMethodConfigurations") {
      // assumed: the expanded navigation property cannot be written here (methods have their own URLs).
      checkReadOnly(current, key, value, problems);
    } else if (readOnly.includes(key)) {
      checkReadOnly(current, key, value, problems);
    } else if (ownEntry(writable, key) !== undefined) {
      writable[key](value, key, problems);
      patch[key] = value;
    } else {
      problems.push(
        `The property '${key}' does not exist on type 'microsoft.graph.authenticationMethodsPolicy'${
          version === "v1.0" && ownEntry(rootWritableBeta, key) !== undefined ? " in v1.0 (it is beta only)" : ""
        }.`,
      );
    }
  }
  return { problems, patch };
}

// ---------------------------------------------------------------------------------------------------------------
// Graph: authorization policy
// ---------------------------------------------------------------------------------------------------------------

const authorizationWritable: Record<string, Check> = {
  allowedToUseSSPR: isBoolean,
  allowedToSignUpEmailBasedSubscriptions: isBoolean,
  allowEmailVerifiedUsersToJoinOrganization: isBoolean,
  allowUserConsentForRiskyApps: isBoolean,
  blockMsolPowerShell: nullable(isBoolean),
  allowInvitesFrom: oneOf("none", "adminsAndGuestInviters", "adminsGuestInvitersAndAllMembers", "everyone"),
  displayName: isNonEmptyString,
  description: isString,
  guestUserRoleId: isNonEmptyString,
  defaultUserRolePermissions: objectWith({
    allowedToCreateApps: isBoolean,
    allowedToCreateSecurityGroups: isBoolean,
    allowedToCreateTenants: isBoolean,
    allowedToReadBitlockerKeysForOwnedDevice: isBoolean,
    allowedToReadOtherUsers: isBoolean,
    permissionGrantPoliciesAssigned: arrayOf(isString),
  }),
};

/** Checks a PATCH body for the authorization policy; `id` follows the read-only rule above. */
export function checkAuthorizationPolicyPatch(
  current: JsonObject,
  body: unknown,
): { problems: string[]; patch: JsonObject } {
  const problems: string[] = [];
  const patch: JsonObject = {};
  if (!isPlainObject(body)) return { problems: [`the body is ${describeValue(body)}; allowed: a JSON object`], patch };
  for (const [key, value] of Object.entries(body)) {
    if (key === "@odata.context") continue;
    if (key === "id") checkReadOnly(current, key, value, problems);
    else if (ownEntry(authorizationWritable, key) !== undefined) {
      authorizationWritable[key](value, key, problems);
      patch[key] = value;
    } else problems.push(`The property '${key}' does not exist on type 'microsoft.graph.authorizationPolicy'.`);
  }
  return { problems, patch };
}

// ---------------------------------------------------------------------------------------------------------------
// Graph: groups
// ---------------------------------------------------------------------------------------------------------------

/** `POST /groups`, the minimal set (Graph requires the four flags and names). */
export const checkNewGroup: Check = objectWith(
  {
    displayName: isNonEmptyString,
    mailNickname: isNonEmptyString,
    securityEnabled: isBoolean,
    mailEnabled: isBoolean,
    description: nullable(isString),
    groupTypes: arrayOf(isString),
  },
  ["displayName", "mailNickname", "securityEnabled", "mailEnabled"],
);

// ---------------------------------------------------------------------------------------------------------------
// Portal API. assumed: the portal's own validation is undocumented; these rules follow the admin center's
// controls (docs/reference/portal-api.md#field-facts). Fields it does not know are stored as given (PUT stores what it is given).
// ---------------------------------------------------------------------------------------------------------------

const portalBooleans = [
  "emailOptionEnabled",
  "mobilePhoneOptionEnabled",
  "officePhoneOptionEnabled",
  "securityQuestionsOptionEnabled",
  "mobileAppNotificationEnabled",
  "mobileAppCodeEnabled",
  "registrationRequiredOnSignIn",
  "skipRegistrationAllowed",
  "customizeHelpdeskLink",
  "notifyUsersOnPasswordReset",
  "notifyOnAdminPasswordReset",
  "emailOptionAllowed",
  "mobilePhoneOptionAllowed",
  "officePhoneOptionAllowed",
  "securityQuestionsOptionAllowed",
  "mobileAppNotificationOptionAllowed",
  "mobileAppCodeOptionAllowed",
];

/**
 * One `securityQuestions[]` element: `{objectId, questionText, isCustomQuestion}`, from the community OpenAPI
 * description (nodoc `password_reset.yml`; SySS-Research/azurenum reads `questionText` independently) (docs/reference/portal-api.md#what-public-callers-show).
 * assumed: the service refuses an element that is not an object or whose observed members
 * have another type; nothing shows what it does with missing or other members, so those are stored as given (a
 * tenant may return shapes nobody has published, and they must go back unchanged).
 */
const securityQuestion: Check = (value, name, problems) => {
  if (!isPlainObject(value)) {
    problems.push(`${name} is ${describeValue(value)}; allowed: an object {objectId, questionText, isCustomQuestion}`);
    return;
  }
  const members: Record<string, Check> = { objectId: isString, questionText: isString, isCustomQuestion: isBoolean };
  for (const [key, check] of Object.entries(members)) if (key in value) check(value[key], `${name}.${key}`, problems);
};

const portalFields: Record<string, Check> = {
  ...Object.fromEntries(portalBooleans.map((name) => [name, isBoolean])),
  objectId: isString,
  enablementType: integerIn(0, 2), // assumed: the portal's own validation is undocumented
  numberOfAuthenticationMethodsRequired: integerIn(1, 2), // assumed: the portal's own validation is undocumented
  numberOfQuestionsToRegister: integerIn(3, 5), // assumed: the portal's own validation is undocumented
  numberOfQuestionsToReset: integerIn(3, 5), // assumed: the portal's own validation is undocumented
  registrationReconfirmIntevalInDays: integerIn(0, 730), // assumed: the portal's own validation is undocumented
  skipRegistrationMaxAllowedDays: integerIn(0, 365), // assumed: no documented range; any sane day count
  customHelpdeskEmailOrUrl: nullable(isString),
  passwordResetEnabledGroupIds: arrayOf(isNonEmptyString),
  passwordResetEnabledGroupName: nullable(isString),
  securityQuestions: arrayOf(securityQuestion),
  registrationConditionalAccessPolicies: anyArray,
};

/** Checks a PUT body for `PasswordReset/PasswordResetPolicies`. Missing fields are not problems (stored as given). */
export function checkPasswordResetPolicies(body: unknown): string[] {
  if (!isPlainObject(body)) return [`the body is ${describeValue(body)}; allowed: a JSON object`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) ownEntry(portalFields, key)?.(value, key, problems);
  // assumed: the portal's own validation is undocumented; Selected takes exactly one group (docs/reference/portal-api.md#field-facts).
  if (body.enablementType === 1) {
    const ids = body.passwordResetEnabledGroupIds;
    if (!Array.isArray(ids) || ids.length !== 1)
      problems.push(
        `passwordResetEnabledGroupIds is ${describeValue(ids)}; enablementType 1 (Selected) needs exactly one group id`,
      );
  }
  // assumed: the portal's own validation is undocumented; register >= reset (docs/reference/portal-api.md#field-facts).
  const { numberOfQuestionsToRegister: register, numberOfQuestionsToReset: reset } = body;
  if (typeof register === "number" && typeof reset === "number" && register < reset)
    problems.push(
      `numberOfQuestionsToRegister is ${register} and numberOfQuestionsToReset is ${reset}; allowed: register >= reset`,
    );
  // assumed: the portal's own validation is undocumented; the admin center asks for an address with the switch on.
  if (body.customizeHelpdeskLink === true) {
    const target = body.customHelpdeskEmailOrUrl;
    if (typeof target !== "string" || target.trim() === "")
      problems.push(
        `customHelpdeskEmailOrUrl is ${describeValue(target)}; customizeHelpdeskLink true needs an email address or URL`,
      );
  }
  return problems;
}

/** Checks a PUT body for `PasswordReset/OnPremisesPasswordResetPolicies` (assumed: booleans as AzRanger models them). */
export function checkOnPremisesPasswordResetPolicies(body: unknown): string[] {
  if (!isPlainObject(body)) return [`the body is ${describeValue(body)}; allowed: a JSON object`];
  const problems: string[] = [];
  const booleans = [
    "passwordWritebackSupported",
    "accountUnlockSupported",
    "accountUnlockEnabled",
    "enablementForTenant",
    "cloudProvisioningEnablementForTenant",
  ];
  for (const name of booleans) if (name in body) isBoolean(body[name], name, problems);
  return problems;
}
