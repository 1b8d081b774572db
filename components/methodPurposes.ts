/**
 * What each authentication method is for: password reset (SSPR), a second factor (MFA), sign-in with it alone; for
 * whom, and under which conditions. The one table every people line, warning, readiness and doctor verdict reads
 * (`docs/reference/method-purposes.md` has the facts with their sources). Pure, program side: the
 * emulator never imports it (it stays an independent oracle).
 *
 * Sources:
 * - Email: Graph reference `emailAuthenticationMethodConfiguration`: "The tenant's cloud-native users may use email
 *   OTP for self-service password reset. External users may use email OTP for authentication during invitation
 *   redemption and self-service sign up" (external users' OTP follows `allowExternalIdToUseEmailOtp`, not the
 *   include targets). No second factor for members.
 * - SMS: Graph reference `smsAuthenticationMethodTarget.isUsableForSignIn` (SMS sign-in only for such a target).
 * - Voice: Graph reference `voiceAuthenticationMethodConfiguration` (office phone only with `isOfficePhoneAllowed`);
 *   no sign-in with a call alone.
 * - Microsoft Authenticator: Graph reference `microsoftAuthenticatorAuthenticationMethodConfiguration` (codes only
 *   with `isSoftwareOathEnabled`) and `microsoftAuthenticatorAuthenticationMethodTarget.authenticationMode` (`any`
 *   or `deviceBasedPush`: passwordless phone sign-in; `push`: notifications only).
 * - SSPR's own list of methods (mobile app notification, mobile app code, email, mobile phone, office phone,
 *   security questions) and how the methods policy maps onto it: Microsoft Learn `how-to-authentication-methods-
 *   manage` (Mobile app code = Authenticator codes or software OATH tokens); administrators: Learn
 *   `concept-sspr-policy` (two methods, never security questions, independent of the methods policy).
 * - FIDO2, certificate-based authentication, Temporary Access Pass, QR code + PIN, hardware OATH: not offered by the
 *   SSPR blade. Not verified: whether hardware OATH tokens count for SSPR; they are left out of SSPR here.
 */

/** SSPR's methods, as the SSPR blade and the registration report name them. */
export const ssprMethods = [
  "appNotification",
  "appCode",
  "email",
  "mobilePhone",
  "officePhone",
  "securityQuestions",
] as const;
export type SsprMethod = (typeof ssprMethods)[number];

/** Facts of a method configuration that decide what it is for (as Graph returns them; strings "true" count). */
export interface MethodFacts {
  /** Voice: office phones too. */
  isOfficePhoneAllowed?: unknown;
  /** Microsoft Authenticator: its one-time codes. */
  isSoftwareOathEnabled?: unknown;
}

/** Facts of one include target that decide what it is for. */
export interface TargetFacts {
  /** SMS: a text message alone signs in. */
  isUsableForSignIn?: unknown;
  /** Microsoft Authenticator: `any` or `deviceBasedPush` allow passwordless phone sign-in; `push` does not. */
  authenticationMode?: unknown;
}

/** One row of the table: the method's purposes with their conditions. */
interface PurposeRow {
  /** Admin-center name; Voice's depends on the office phone. */
  name: (facts: MethodFacts) => string;
  /** The SSPR methods it gives (members and guests in scope alike; administrators have their own policy). */
  sspr: (facts: MethodFacts) => SsprMethod[];
  /** A second factor at sign-in (MFA), for members. */
  mfa: boolean;
  /** How a target signs in with it alone, or undefined when it cannot. */
  signIn: (target: TargetFacts) => string | undefined;
  /** What it is not, said so nobody reads more into a line. */
  notFor?: string;
}

/** Graph shows some booleans as strings in its samples (Voice `isOfficePhoneAllowed: "true"`). */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

const never = (): undefined => undefined;
const passwordless = (): string => "to sign in with it, without a password";

/** The table, keyed by methods-policy id in lower case. */
const purposeTable: Record<string, PurposeRow> = {
  email: {
    name: () => "Email",
    sspr: () => ["email"],
    mfa: false,
    // External users' one-time codes follow allowExternalIdToUseEmailOtp, not the include targets.
    signIn: never,
    notFor: "it is not a second factor for members",
  },
  sms: {
    name: () => "Mobile phone (text message)",
    sspr: () => ["mobilePhone"],
    mfa: true,
    signIn: (target) =>
      isTrue(target.isUsableForSignIn) ? "to sign in with a text message alone (SMS sign-in)" : undefined,
  },
  voice: {
    name: (facts) =>
      isTrue(facts.isOfficePhoneAllowed) ? "Phone call (mobile and office phone)" : "Phone call (mobile phone)",
    sspr: (facts) => (isTrue(facts.isOfficePhoneAllowed) ? ["mobilePhone", "officePhone"] : ["mobilePhone"]),
    mfa: true,
    signIn: never,
  },
  microsoftauthenticator: {
    name: () => "Microsoft Authenticator",
    sspr: (facts) => (isTrue(facts.isSoftwareOathEnabled) ? ["appNotification", "appCode"] : ["appNotification"]),
    mfa: true,
    signIn: (target) => {
      const mode = typeof target.authenticationMode === "string" ? target.authenticationMode.toLowerCase() : "any";
      return mode === "push" ? undefined : "for passwordless phone sign-in";
    },
  },
  softwareoath: {
    name: () => "Software OATH tokens",
    sspr: () => ["appCode"],
    mfa: true,
    signIn: never,
  },
  hardwareoath: {
    name: () => "Hardware OATH tokens",
    sspr: () => [],
    mfa: true,
    signIn: never,
    notFor: "it is not offered for password reset",
  },
  fido2: {
    name: () => "Passkeys (FIDO2)",
    sspr: () => [],
    mfa: true,
    signIn: passwordless,
    notFor: "it is not offered for password reset",
  },
  x509certificate: {
    name: () => "Certificate-based authentication",
    sspr: () => [],
    mfa: true,
    signIn: passwordless,
    notFor: "it is not offered for password reset",
  },
  temporaryaccesspass: {
    name: () => "Temporary Access Pass",
    sspr: () => [],
    mfa: false,
    signIn: () => "to sign in with a time-limited pass (and register other methods)",
    notFor: "it is not offered for password reset",
  },
  qrcodepin: {
    name: () => "QR code and PIN",
    sspr: () => [],
    mfa: false,
    signIn: passwordless,
    notFor: "it is not offered for password reset",
  },
};

/**
 * Each method's admin-center name by lower-cased id, when its facts are not at hand (Voice then reads as mobile
 * phone: its office phone needs `isOfficePhoneAllowed`).
 */
export const methodNames: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(purposeTable).map(([id, row]) => [id, row.name({})]),
);

/** What a method (of the methods policy, by id) is for, given its facts and one include target's. */
export interface MethodPurposes {
  /** Admin-center name showing only the kinds that apply ("Phone call (mobile phone)"). */
  name: string;
  /** SSPR methods it gives; empty when it is no SSPR method. */
  sspr: SsprMethod[];
  mfa: boolean;
  /** How to sign in with it alone, in words; undefined when it cannot. */
  signIn?: string;
  notFor?: string;
}

/** The purposes of a method the table does not know: named by its id, no purpose claimed. */
function unknownMethod(id: string): MethodPurposes {
  return { name: id, sspr: [], mfa: false, notFor: "what it is for is not known to this project" };
}

export function methodPurposes(id: string, facts: MethodFacts = {}, target: TargetFacts = {}): MethodPurposes {
  const row = purposeTable[id.toLowerCase()];
  if (row === undefined) return unknownMethod(id);
  const signIn = row.signIn(target);
  return {
    name: row.name(facts),
    sspr: row.sspr(facts),
    mfa: row.mfa,
    ...(signIn === undefined ? {} : { signIn }),
    ...(row.notFor === undefined ? {} : { notFor: row.notFor }),
  };
}

/** The methods-policy ids that can give an SSPR method (for readiness: which configurations to look at). */
export function policyMethodsGiving(method: SsprMethod): string[] {
  const all: MethodFacts = { isOfficePhoneAllowed: true, isSoftwareOathEnabled: true };
  const names: Record<string, string> = {
    email: "Email",
    sms: "Sms",
    voice: "Voice",
    microsoftauthenticator: "MicrosoftAuthenticator",
    softwareoath: "SoftwareOath",
  };
  return Object.entries(names)
    .filter(([key]) => purposeTable[key].sspr(all).includes(method))
    .map(([, id]) => id);
}

/**
 * Security questions live only in the SSPR (portal) policy: an SSPR method for users, never for administrators
 * (Learn `concept-sspr-policy`: the administrator policy "prohibits security questions"); no second factor, no
 * sign-in; retiring March 2027 (docs/reference/microsoft-calendar.md#2027-03-security-questions-end).
 */
export const securityQuestionsPurposes = {
  forUsers: true,
  forAdministrators: false,
  whyNotForAdministrators: "never for administrators (administrator policy)",
} as const;

/** Whether an administrator may reset with an SSPR method (the administrator policy ignores the methods policy). */
export function ssprMethodForAdministrators(method: SsprMethod): boolean {
  return method === "securityQuestions" ? securityQuestionsPurposes.forAdministrators : true;
}

/** The words for what a method gives SSPR ("to reset their password with a notification (SSPR)"). */
function ssprWords(purposes: MethodPurposes): string {
  const has = (method: SsprMethod): boolean => purposes.sspr.includes(method);
  if (has("appNotification") && has("appCode")) return "to reset their password with a notification or a code (SSPR)";
  if (has("appNotification"))
    return "to reset their password with a notification (SSPR; its codes are off: isSoftwareOathEnabled false)";
  if (has("appCode") && purposes.sspr.length === 1) return "to reset their password with a code (SSPR)";
  return "to reset their password (SSPR)";
}

/** Whether the audience may reset (SSPR reaches them), and how to say it when it may not. */
export type ResetReach = { reaches: true } | { reaches: false; why: string };

/**
 * The purposes in words, as the tail of "... can now use it": " to reset their password (SSPR) and as a second
 * factor (MFA)"; `or` for what is lost. The SSPR purpose names the condition when SSPR does not reach the audience;
 * what the method is not for follows after a semicolon.
 */
export function purposeWords(purposes: MethodPurposes, reset: ResetReach, joiner: "and" | "or"): string {
  const uses: string[] = [];
  if (purposes.sspr.length > 0) uses.push(reset.reaches ? ssprWords(purposes) : `${ssprWords(purposes)} ${reset.why}`);
  if (purposes.mfa) uses.push("as a second factor (MFA)");
  if (purposes.signIn !== undefined) uses.push(purposes.signIn);
  const said =
    uses.length <= 1 ? (uses[0] ?? "") : `${uses.slice(0, -1).join(", ")} ${joiner} ${uses[uses.length - 1]}`;
  return `${said === "" ? "" : ` ${said}`}${purposes.notFor === undefined ? "" : `; ${purposes.notFor}`}`;
}

/** Whether it serves anything beyond password reset (a second factor or sign-in) for the people it reaches. */
export function servesBeyondReset(purposes: MethodPurposes): boolean {
  return purposes.mfa || purposes.signIn !== undefined;
}
