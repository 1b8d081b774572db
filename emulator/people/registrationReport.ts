/**
 * `reports/authenticationMethods/userRegistrationDetails`, derived from the directory the way the service
 * describes its fields (Graph docs v1.0 `userRegistrationDetails` resource), with seeded rows laid over it.
 *
 * Documented: the row shape and the meaning of each flag; "This method doesn't work for disabled users" (the
 * list's docs page), so disabled users have no row; methodsRegistered values such as `mobilePhone`, `email`,
 * `microsoftAuthenticatorPush`, `softwareOneTimePasscode`, `securityQuestion`.
 * assumed (the docs say what the flags mean, not how the service counts): an SSPR method is one of email, mobile
 * phone, office phone, the mobile app (push or code) and security questions; `isSsprRegistered` compares their
 * number with "Number of methods required" (administrators: 2, the two-gate policy); `isAdmin` means any
 * directory role; the service's refresh lag is not modelled (seed rows to model a stale report).
 *
 * Microsoft's dated changes (`../emulatorCalendar.ts`): from 1 February 2027 a phone serves MFA and SSPR only in a tenant
 * with its own telephony provider, and from March 2027 security questions no longer serve SSPR. The docs are silent
 * on how the report shows this. The emulator keeps the registration facts as they are (`methodsRegistered` still
 * lists the phone and the questions, which stay registered; `isSsprRegistered` and `isMfaRegistered` still count
 * them) and stops counting what no longer serves in `isSsprCapable` and `isMfaCapable`, whose definitions are about
 * being able to use the methods ("registered the required number ... and allowed to perform self-service password
 * reset by policy"; "must be allowed by the authentication methods policy"). assumed, all of it.
 */
import { phonesServe, securityQuestionsServe, utcDate } from "../emulatorCalendar";
import { sameId, type JsonObject, type TenantState } from "../types";
import { rolesOf, transitiveGroupIds } from "./directory";

/** Graph's `methodsRegistered` value for each registered method type. */
const registeredNames: Record<string, string> = {
  "#microsoft.graph.emailAuthenticationMethod": "email",
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod": "microsoftAuthenticatorPush",
  "#microsoft.graph.softwareOathAuthenticationMethod": "softwareOneTimePasscode",
  // Graph beta only (a preview); the name is Graph's `hardwareOneTimePasscode` (the authentication methods
  // activity report's method names, e.g. `userRegistrationMethodSummary`).
  "#microsoft.graph.hardwareOathAuthenticationMethod": "hardwareOneTimePasscode",
  "#microsoft.graph.fido2AuthenticationMethod": "fido2SecurityKey",
  "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod": "windowsHelloForBusiness",
  "#microsoft.graph.temporaryAccessPassAuthenticationMethod": "temporaryAccessPass",
};
const phoneNames: Record<string, string> = {
  mobile: "mobilePhone",
  alternatemobile: "alternateMobilePhone",
  office: "officePhone",
};

export function methodsRegistered(state: TenantState, userId: string): string[] {
  const names: string[] = [];
  const stored = Object.entries(state.authenticationMethods).find(([id]) => sameId(id, userId))?.[1] ?? [];
  for (const method of stored) {
    const type = String(method["@odata.type"]);
    const name =
      type === "#microsoft.graph.phoneAuthenticationMethod"
        ? phoneNames[String(method.phoneType).toLowerCase()]
        : registeredNames[type];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  const questions = Object.entries(state.securityQuestionsRegistered).find(([id]) => sameId(id, userId))?.[1] ?? 0;
  // assumed: the questions count once the user answered as many as the policy asks to register.
  const toRegister = Number(state.passwordResetPolicies.numberOfQuestionsToRegister);
  if (questions > 0 && questions >= (Number.isInteger(toRegister) ? toRegister : 1)) names.push("securityQuestion");
  return names;
}

const mfaMethods = [
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
  "microsoftAuthenticatorPush",
  "softwareOneTimePasscode",
  "hardwareOneTimePasscode",
  "fido2SecurityKey",
  "windowsHelloForBusiness",
];

/**
 * The SSPR methods among the registered ones (the mobile app counts once; security questions never for admins).
 * Hardware OATH tokens serve SSPR (Learn, https://learn.microsoft.com/entra/identity/authentication/concept-authentication-methods:
 * "Hardware OATH tokens (preview) ... MFA and SSPR"); assumed: a token's code counts with the app's (the SSPR
 * blade's one "mobile app code" method), never as a second method beside it.
 */
function ssprMethodCount(registered: string[], isAdmin: boolean): number {
  const gates = new Set<string>();
  for (const name of registered) {
    if (
      name === "microsoftAuthenticatorPush" ||
      name === "softwareOneTimePasscode" ||
      name === "hardwareOneTimePasscode"
    )
      gates.add("mobileApp");
    else if (name === "email" || name === "mobilePhone" || name === "officePhone") gates.add(name);
    else if (name === "securityQuestion" && !isAdmin) gates.add(name);
  }
  return gates.size;
}

function ssprEnabledFor(state: TenantState, userId: string, isAdmin: boolean): boolean {
  if (isAdmin) return state.authorizationPolicy.allowedToUseSSPR !== false;
  const portal = state.passwordResetPolicies;
  if (portal.enablementType === 2) return true;
  if (portal.enablementType !== 1) return false;
  const groupIds = Array.isArray(portal.passwordResetEnabledGroupIds) ? portal.passwordResetEnabledGroupIds : [];
  const groups = transitiveGroupIds(state, userId);
  return groupIds.some((groupId) => typeof groupId === "string" && groups.some((id) => sameId(id, groupId)));
}

const phoneMethods = ["mobilePhone", "alternateMobilePhone", "officePhone"];

/** The registered methods that still serve on `today` (`../emulatorCalendar.ts`). */
function servingOn(state: TenantState, registered: string[], today: string): string[] {
  const phones = phonesServe(state, today);
  const questions = securityQuestionsServe(today);
  return registered.filter(
    (name) => (phones || !phoneMethods.includes(name)) && (questions || name !== "securityQuestion"),
  );
}

/**
 * One row per enabled user, in directory order, with any seeded row for the same id laid over it. `today` is the
 * emulator's date (default: the machine's, UTC).
 */
export function registrationRows(state: TenantState, today: string = utcDate(new Date())): JsonObject[] {
  const required = state.passwordResetPolicies.numberOfAuthenticationMethodsRequired === 2 ? 2 : 1;
  const derived = state.users
    .filter((user) => user.accountEnabled !== false)
    .map((user): JsonObject => {
      const isAdmin = rolesOf(state, user.id).length > 0;
      const registered = methodsRegistered(state, user.id);
      const serving = servingOn(state, registered, today);
      const isSsprEnabled = ssprEnabledFor(state, user.id, isAdmin);
      const isSsprRegistered = ssprMethodCount(registered, isAdmin) >= (isAdmin ? 2 : required);
      const isSsprUsable = ssprMethodCount(serving, isAdmin) >= (isAdmin ? 2 : required);
      const isMfaRegistered = registered.some((name) => mfaMethods.includes(name));
      return {
        id: user.id,
        userPrincipalName: user.userPrincipalName,
        userDisplayName: user.displayName,
        userType: String(user.userType ?? "Member").toLowerCase() === "guest" ? "guest" : "member",
        isAdmin,
        isSsprRegistered,
        isSsprEnabled,
        isSsprCapable: isSsprEnabled && isSsprUsable,
        isMfaRegistered,
        isMfaCapable: serving.some((name) => mfaMethods.includes(name)),
        isPasswordlessCapable: registered.some(
          (name) => name === "fido2SecurityKey" || name === "windowsHelloForBusiness",
        ),
        isSystemPreferredAuthenticationMethodEnabled: true,
        lastUpdatedDateTime: "2025-01-15T09:00:00Z",
        methodsRegistered: registered,
        systemPreferredAuthenticationMethods: registered.includes("microsoftAuthenticatorPush")
          ? ["push"]
          : registered.includes("mobilePhone")
            ? ["sms"]
            : [],
        userPreferredMethodForSecondaryAuthentication: registered.includes("microsoftAuthenticatorPush")
          ? "push"
          : registered.includes("mobilePhone")
            ? "sms"
            : "none",
      };
    });
  const rows = derived.map((row) => {
    const seeded = state.userRegistrationDetails.find((candidate) => sameId(String(candidate.id), String(row.id)));
    return seeded === undefined ? row : { ...row, ...seeded };
  });
  for (const seeded of state.userRegistrationDetails)
    if (!rows.some((row) => sameId(String(row.id), String(seeded.id)))) rows.push(seeded);
  return rows;
}
