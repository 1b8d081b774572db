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
import { legacySwitchesDecide, methodConfigurationOf, migrationStateOf, targetIdsOf } from "../../lib/tenantCodecs";
import type { CalendarEntry } from "../calendar";
import {
  betaOnlyMethodIds,
  endedWords,
  gateOf,
  methodPurposes,
  policyMethodsGiving,
  securityQuestionsPurposes,
  ssprMethodCatalogue,
  ssprMethodEndedBy,
  ssprMethodForAdministrators,
  ssprMethods,
  ssprMethodsOfRegistered,
  type Gate,
  type OnDay,
  type SsprMethod,
} from "../methodCatalogue";

type JsonObject = Record<string, unknown>;

// SSPR's methods, their words, gates and report names are in the one method catalogue.
export {
  gateOf,
  gateWords,
  methodWords,
  ssprMethods,
  ssprMethodsOfRegistered,
  type Gate,
  type SsprMethod,
} from "../methodCatalogue";

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

/**
 * The SSPR methods a user's registrations give. With a day: only those still serving password reset that day
 * (a phone still registered after Microsoft's SMS and voice end does not count).
 */
export function registeredSsprMethods(registered: readonly string[], on?: OnDay): SsprMethod[] {
  const methods = new Set(registered.flatMap(ssprMethodsOfRegistered));
  return ssprMethods.filter((method) => methods.has(method) && (on === undefined || !ssprMethodEndedBy(method, on)));
}

/** The gates a set of usable methods gives; `codeOnly`: the app counts only through its code. */
export function gatesOf(methods: readonly SsprMethod[], codeOnly: boolean): Gate[] {
  const gates: Gate[] = [];
  for (const method of methods) {
    if (codeOnly && method === "appNotification") continue;
    const gate = gateOf(method);
    if (!gates.includes(gate)) gates.push(gate);
  }
  const order = ssprMethods.map(gateOf);
  return gates.sort((a, b) => order.indexOf(a) - order.indexOf(b));
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
  /** Offered by the policies, but Microsoft's calendar ended it by the day judged. */
  endedBy?: CalendarEntry;
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
  /** The day judged: a method Microsoft's calendar has ended by then is not offered, whatever the policies say. */
  on?: OnDay;
}): OfferedMethod[] {
  const { portal, methodsPolicy, on } = input;
  const byPolicy = ssprMethods.map((method) =>
    input.admin ? administratorOffer(method, input.paidTenant) : userOffer(method, input, portal, methodsPolicy),
  );
  if (on === undefined) return byPolicy;
  return byPolicy.map((entry) => {
    const ended = ssprMethodEndedBy(entry.method, on);
    return ended === undefined || !entry.offered
      ? entry
      : { method: entry.method, offered: false, why: endedWords([{ purpose: "sspr", entry: ended }]), endedBy: ended };
  });
}

/** The administrator policy: it "doesn't depend upon the Authentication methods policy" (Learn `concept-sspr-policy`). */
function administratorOffer(method: SsprMethod, paidTenant: boolean): OfferedMethod {
  if (!ssprMethodForAdministrators(method))
    return { method, offered: false, why: securityQuestionsPurposes.whyNotForAdministrators };
  if (method === "officePhone" && !paidTenant)
    return { method, offered: false, why: "voice calls are not allowed for administrators of free tenants" };
  return { method, offered: true, why: "administrator policy (independent of the methods policy)" };
}

/** Why a configuration that is on does not give this SSPR method (its condition in the purposes table). */
const conditionWords: Partial<Record<SsprMethod, string>> = {
  officePhone: "office phone not allowed (isOfficePhoneAllowed false)",
  appCode: "codes off (isSoftwareOathEnabled false)",
};

/** A user's offer: the legacy switches while they decide, the methods policy after the migration. */
function userOffer(
  method: SsprMethod,
  input: { userGroupIds: readonly string[]; groupName: (id: string) => string },
  portal: JsonObject,
  methodsPolicy: JsonObject,
): OfferedMethod {
  const legacy = ssprMethodCatalogue[method].legacy;
  if (legacy !== undefined && portal[legacy.allowed] === false)
    return { method, offered: false, why: `not available in this tenant (${legacy.allowed} false)` };
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
  const useLegacy = legacySwitchesDecide(methodsPolicy) && legacy !== undefined;
  const usePolicy = migrationStateOf(methodsPolicy) !== "preMigration";
  // Each configuration that can give the method (the catalogue), judged for this user; any one reaching them offers it.
  const reasons = usePolicy
    ? policyMethodsGiving(method)
        // A beta-only configuration (hardware OATH, preview) is judged only where the policy read lists it.
        .filter((id) => !betaOnlyMethodIds.includes(id) || methodConfigurationOf(methodsPolicy, id) !== undefined)
        .map((id) => {
          const configuration = methodConfigurationOf(methodsPolicy, id);
          const gives = configuration === undefined || methodPurposes(id, configuration).sspr.includes(method);
          const reach: Reach = gives
            ? reachOf(configuration, input.userGroupIds, input.groupName)
            : { reaches: false, why: conditionWords[method] ?? "does not give it" };
          return { reaches: reach.reaches, why: `${id}: ${reach.why}` };
        })
    : [];
  const legacyOn = useLegacy && portal[legacy.enabled] === true;
  const why = [
    ...(useLegacy ? [`legacy SSPR policy: ${portal[legacy.enabled] === true ? "on" : "off"}`] : []),
    ...(usePolicy ? [reasons.map((reason) => reason.why).join("; ")] : []),
  ];
  return { method, offered: legacyOn || reasons.some((reason) => reason.reaches), why: why.join("; ") };
}

/** Before the migration, with one method required, the app counts only through its code (Learn). */
export function appCodeOnly(methodsPolicy: JsonObject, required: number): boolean {
  return required === 1 && legacySwitchesDecide(methodsPolicy);
}
