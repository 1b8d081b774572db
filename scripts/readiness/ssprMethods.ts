/**
 * The SSPR methods in the admin center's words, and how the tenant's objects map onto them. Pure.
 *
 * - Registered methods use the registration report's vocabulary (`methodsRegistered`: Graph docs
 *   `userRegistrationDetails`); a user's Graph method objects are translated into it (`registeredFromMethods`).
 * - Which methods are offered: after the methods-policy migration the Graph method configurations (Microsoft Learn
 *   `how-to-authentication-methods-manage`: Email -> Email; Sms and Voice -> Mobile phone; Voice with
 *   `isOfficePhoneAllowed` -> Office phone; MicrosoftAuthenticator -> Mobile app notification and code;
 *   SoftwareOath -> Mobile app code); before it, the portal's legacy switches; security questions always from the
 *   portal policy.
 * - Counting (Learn `concept-sspr-howitworks`): the mobile app is one method (notification or code); before the
 *   migration, with one method required, only the code counts.
 */
import { isRecord } from "../../lib/predicates";
import {
  legacySwitchesDecide,
  methodConfigurationOf,
  migrationStateOf,
  targetIdsOf,
} from "../../provider/reader/tenantReader";
import {
  methodPurposes,
  policyMethodsGiving,
  securityQuestionsPurposes,
  ssprMethodForAdministrators,
  ssprMethods,
  type SsprMethod,
} from "../../components/methodPurposes";

type JsonObject = Record<string, unknown>;

// SSPR's methods and which configurations give them are in the one table of what each method is for.
export { ssprMethods, type SsprMethod } from "../../components/methodPurposes";

export const methodWords: Record<SsprMethod, string> = {
  appNotification: "Mobile app notification",
  appCode: "Mobile app code",
  email: "Email",
  mobilePhone: "Mobile phone",
  officePhone: "Office phone",
  securityQuestions: "Security questions",
};

/** What SSPR counts: the mobile app once, whichever of its two ways is used. */
export type Gate = "mobileApp" | "email" | "mobilePhone" | "officePhone" | "securityQuestions";
export const gateWords: Record<Gate, string> = {
  mobileApp: "Mobile app (Microsoft Authenticator)",
  email: "Email",
  mobilePhone: "Mobile phone",
  officePhone: "Office phone",
  securityQuestions: "Security questions",
};

/**
 * The SSPR methods a `methodsRegistered` name gives. `alternateMobilePhone` gives none: assumed, SSPR's "Mobile
 * phone" is the authentication phone (phoneType `mobile`); hardware OATH tokens are not an SSPR method in Learn's
 * list and are not counted either.
 */
export function ssprMethodsOfRegistered(name: string): SsprMethod[] {
  switch (name) {
    case "email":
      return ["email"];
    case "mobilePhone":
      return ["mobilePhone"];
    case "officePhone":
      return ["officePhone"];
    case "securityQuestion":
      return ["securityQuestions"];
    case "microsoftAuthenticatorPush":
    case "microsoftAuthenticatorPasswordless":
      return ["appNotification", "appCode"];
    case "softwareOneTimePasscode":
      return ["appCode"];
    default:
      return [];
  }
}

const registeredNameOfType: Record<string, string> = {
  "#microsoft.graph.emailAuthenticationMethod": "email",
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod": "microsoftAuthenticatorPush",
  "#microsoft.graph.softwareOathAuthenticationMethod": "softwareOneTimePasscode",
  "#microsoft.graph.fido2AuthenticationMethod": "fido2SecurityKey",
  "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod": "windowsHelloForBusiness",
  "#microsoft.graph.temporaryAccessPassAuthenticationMethod": "temporaryAccessPass",
};
const phoneTypeNames: Record<string, string> = {
  mobile: "mobilePhone",
  alternatemobile: "alternateMobilePhone",
  office: "officePhone",
};

/** `GET /users/{id}/authentication/methods` items in the report's vocabulary (the password is not a method here). */
export function registeredFromMethods(methods: readonly unknown[]): string[] {
  const names: string[] = [];
  for (const method of methods) {
    if (!isRecord(method)) continue;
    const type = String(method["@odata.type"] ?? "");
    const name =
      type === "#microsoft.graph.phoneAuthenticationMethod"
        ? phoneTypeNames[String(method.phoneType).toLowerCase()]
        : registeredNameOfType[type];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

export function registeredSsprMethods(registered: readonly string[]): SsprMethod[] {
  const methods = new Set(registered.flatMap(ssprMethodsOfRegistered));
  return ssprMethods.filter((method) => methods.has(method));
}

/** The gates a set of usable methods gives; `codeOnly`: the app counts only through its code. */
export function gatesOf(methods: readonly SsprMethod[], codeOnly: boolean): Gate[] {
  const gates: Gate[] = [];
  const has = (method: SsprMethod): boolean => methods.includes(method);
  if (has("appCode") || (!codeOnly && has("appNotification"))) gates.push("mobileApp");
  for (const gate of ["email", "mobilePhone", "officePhone", "securityQuestions"] as const)
    if (has(gate)) gates.push(gate);
  return gates;
}

export function gateOf(method: SsprMethod): Gate {
  return method === "appCode" || method === "appNotification" ? "mobileApp" : method;
}

// ---------------------------------------------------------------------------------------------------------------
// Which methods a policy offers a user
// ---------------------------------------------------------------------------------------------------------------

/** The group ids a methods policy's include and exclude targets name (for reading their members). */
export function policyGroupIds(methodsPolicy: JsonObject): string[] {
  const all = methodsPolicy.authenticationMethodConfigurations;
  if (!Array.isArray(all)) return [];
  const ids = all
    .filter(isRecord)
    .flatMap((entry) => [...targetIdsOf(entry.includeTargets), ...targetIdsOf(entry.excludeTargets)])
    .filter((id) => id.toLowerCase() !== "all_users");
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

/** Why a configuration does or does not reach a user, in words. */
export interface Reach {
  reaches: boolean;
  why: string;
}

/**
 * Whether a method configuration is in force for a user: enabled, an include target that covers the user
 * (`all_users`, or a group the user is in, nested groups counted: assumed, as for the SSPR group), and no exclude
 * target that covers them.
 */
export function reachOf(
  configuration: JsonObject | undefined,
  userGroupIds: readonly string[],
  groupName: (id: string) => string,
): Reach {
  if (configuration === undefined) return { reaches: false, why: "not in the tenant's methods policy" };
  if (String(configuration.state).toLowerCase() !== "enabled") return { reaches: false, why: "disabled" };
  const inGroup = (id: string): boolean => userGroupIds.some((groupId) => groupId.toLowerCase() === id.toLowerCase());
  const include = targetIdsOf(configuration.includeTargets);
  const covering = include.find((id) => id.toLowerCase() === "all_users" || inGroup(id));
  if (covering === undefined)
    return {
      reaches: false,
      why:
        include.length === 0
          ? "enabled, but no users are targeted"
          : `enabled for ${include.map(groupName).join(", ")} only, which the user is not in`,
    };
  const excluded = targetIdsOf(configuration.excludeTargets).find(inGroup);
  if (excluded !== undefined) return { reaches: false, why: `the user is excluded (${groupName(excluded)})` };
  return {
    reaches: true,
    why: covering.toLowerCase() === "all_users" ? "on for all users" : `on for ${groupName(covering)}`,
  };
}

export interface OfferedMethod {
  method: SsprMethod;
  offered: boolean;
  /** Where the answer comes from and why, e.g. "Sms: on for all users". */
  why: string;
}

/**
 * Every SSPR method with whether the tenant offers it to this user and why. `admin`: the administrator policy,
 * which "doesn't depend upon the Authentication methods policy" and "prohibits security questions" (Learn
 * `concept-sspr-policy`); office and mobile voice calls are prohibited for free tenants there (`paidTenant`).
 */
export function offeredMethods(input: {
  portal: JsonObject;
  methodsPolicy: JsonObject;
  userGroupIds: readonly string[];
  groupName: (id: string) => string;
  admin: boolean;
  paidTenant: boolean;
}): OfferedMethod[] {
  const { portal, methodsPolicy, userGroupIds, groupName } = input;
  if (input.admin)
    return ssprMethods.map((method) => {
      if (!ssprMethodForAdministrators(method))
        return { method, offered: false, why: securityQuestionsPurposes.whyNotForAdministrators };
      if (method === "officePhone" && !input.paidTenant)
        return { method, offered: false, why: "voice calls are not allowed for administrators of free tenants" };
      return { method, offered: true, why: "administrator policy (independent of the methods policy)" };
    });

  const state = migrationStateOf(methodsPolicy);
  const useLegacy = legacySwitchesDecide(methodsPolicy);
  const usePolicy = state !== "preMigration";
  const allowed = (flag: string): boolean => portal[flag] !== false;

  /** Why a configuration that is on does not give this SSPR method (its condition in the purposes table). */
  const conditionWords: Partial<Record<SsprMethod, string>> = {
    officePhone: "office phone not allowed (isOfficePhoneAllowed false)",
    appCode: "codes off (isSoftwareOathEnabled false)",
  };
  // Each configuration that can give the method (methodPurposes.ts), judged for this user; any one reaching them
  // offers it.
  const fromPolicy = (method: SsprMethod): { offered: boolean; why: string } => {
    const reasons = policyMethodsGiving(method).map((id) => {
      const configuration = methodConfigurationOf(methodsPolicy, id);
      const gives = configuration === undefined || methodPurposes(id, configuration).sspr.includes(method);
      const reach: Reach = gives
        ? reachOf(configuration, userGroupIds, groupName)
        : { reaches: false, why: conditionWords[method] ?? "does not give it" };
      return { reaches: reach.reaches, why: `${id}: ${reach.why}` };
    });
    return { offered: reasons.some((reason) => reason.reaches), why: reasons.map((reason) => reason.why).join("; ") };
  };
  const legacyFlags: Record<SsprMethod, [string, string]> = {
    appNotification: ["mobileAppNotificationEnabled", "mobileAppNotificationOptionAllowed"],
    appCode: ["mobileAppCodeEnabled", "mobileAppCodeOptionAllowed"],
    email: ["emailOptionEnabled", "emailOptionAllowed"],
    mobilePhone: ["mobilePhoneOptionEnabled", "mobilePhoneOptionAllowed"],
    officePhone: ["officePhoneOptionEnabled", "officePhoneOptionAllowed"],
    securityQuestions: ["securityQuestionsOptionEnabled", "securityQuestionsOptionAllowed"],
  };

  return ssprMethods.map((method): OfferedMethod => {
    const [enabledFlag, allowedFlag] = legacyFlags[method];
    if (!allowed(allowedFlag))
      return { method, offered: false, why: `not available in this tenant (${allowedFlag} false)` };
    if (method === "securityQuestions") {
      const on = portal.securityQuestionsOptionEnabled === true;
      return {
        method,
        offered: on,
        why: on
          ? `on in the password reset policy (${String(portal.numberOfQuestionsToReset)} to reset)`
          : "off in the password reset policy",
      };
    }
    const legacyOn = useLegacy && portal[enabledFlag] === true;
    const policy = usePolicy ? fromPolicy(method) : { offered: false, why: "" };
    const reasons = [
      ...(useLegacy ? [`legacy SSPR policy: ${portal[enabledFlag] === true ? "on" : "off"}`] : []),
      ...(usePolicy ? [policy.why] : []),
    ];
    return { method, offered: legacyOn || policy.offered, why: reasons.join("; ") };
  });
}

/** Before the migration, with one method required, the app counts only through its code (Learn). */
export function appCodeOnly(methodsPolicy: JsonObject, required: number): boolean {
  return required === 1 && legacySwitchesDecide(methodsPolicy);
}
