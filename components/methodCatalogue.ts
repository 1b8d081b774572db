/**
 * The method catalogue: every authentication method the project knows, in one place. For each: the stack's config
 * key and the admin-center words, the Graph id, `@odata.type` and include-target extras, the portal's legacy
 * switches, the registration report's names, what it is for (SSPR, MFA, sign-in) and the calendar entries that end
 * a purpose (`calendar.ts`), the schema's words and the readiness gate it counts as. Every other table of methods
 * (the config schema, the provider schema, the component's args, the mapping, the lockout guards, readiness and
 * doctor, the preflight) is derived from it; adding a method is the recipe in CONTRIBUTING.md. Pure, program side:
 * the emulator never imports it (it stays an independent oracle).
 *
 * Sources (docs/reference/method-purposes.md has them with their URLs):
 * - Email: Graph reference `emailAuthenticationMethodConfiguration`: "The tenant's cloud-native users may use email
 *   OTP for self-service password reset" (external users' OTP follows `allowExternalIdToUseEmailOtp`, not the
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
 * - Hardware OATH tokens: Learn `concept-authentication-oath-tokens` and `overview-authentication` list them for MFA
 *   and SSPR in preview (Graph beta `hardwareOathAuthenticationMethodConfiguration`); assumed: SSPR counts a token in
 *   the Mobile app code slot, as the emulator models it (Learn does not say how the count treats it).
 * - Passkeys (FIDO2), certificate-based authentication, Temporary Access Pass and QR code + PIN do not serve SSPR;
 *   external authentication methods serve MFA only (Learn `overview-authentication`).
 */
import {
  activeCalendar,
  dayBefore,
  dayWords,
  endedBy,
  endsLater,
  type Calendar,
  type CalendarEntry,
  type Purpose,
  type TenantCalendarFacts,
} from "./calendar";
import type { MethodChoice } from "./ssprArgs";

// ---------------------------------------------------------------------------------------------------------------
// SSPR's methods: what the SSPR blade, the registration report and readiness count
// ---------------------------------------------------------------------------------------------------------------

/** SSPR's methods, as the SSPR blade and the registration report name them (hardware tokens: preview). */
export const ssprMethods = [
  "appNotification",
  "appCode",
  "email",
  "mobilePhone",
  "officePhone",
  "securityQuestions",
] as const;
export type SsprMethod = (typeof ssprMethods)[number];

/** What SSPR counts: the mobile app once, whichever of its two ways is used. */
export type Gate = "mobileApp" | "email" | "mobilePhone" | "officePhone" | "securityQuestions";

interface SsprMethodRow {
  /** Admin-center words. */
  words: string;
  gate: Gate;
  /**
   * The portal's legacy per-method switches: on, and available in the tenant; `input` is the key the
   * PasswordResetPolicy resource's `legacyMethods` names it by (security questions have their own input).
   */
  legacy?: { enabled: string; allowed: string; input?: string };
  /** The registration report's `methodsRegistered` names that give it. */
  registeredAs: string[];
  /** Methods-policy ids that can give it (their facts decide: `graphMethods`); none for security questions. */
  graph: string[];
  /** The administrator policy never allows it. */
  neverForAdministrators?: true;
}

export const ssprMethodCatalogue: Readonly<Record<SsprMethod, SsprMethodRow>> = {
  appNotification: {
    words: "Mobile app notification",
    gate: "mobileApp",
    legacy: {
      enabled: "mobileAppNotificationEnabled",
      allowed: "mobileAppNotificationOptionAllowed",
      input: "mobileAppNotification",
    },
    registeredAs: ["microsoftAuthenticatorPush", "microsoftAuthenticatorPasswordless"],
    graph: ["MicrosoftAuthenticator"],
  },
  appCode: {
    words: "Mobile app code",
    gate: "mobileApp",
    legacy: { enabled: "mobileAppCodeEnabled", allowed: "mobileAppCodeOptionAllowed", input: "mobileAppCode" },
    // assumed: a hardware OATH token (preview) counts in the same slot as the app's code, never as a second method.
    registeredAs: [
      "microsoftAuthenticatorPush",
      "microsoftAuthenticatorPasswordless",
      "softwareOneTimePasscode",
      "hardwareOneTimePasscode",
    ],
    graph: ["MicrosoftAuthenticator", "SoftwareOath", "HardwareOath"],
  },
  email: {
    words: "Email",
    gate: "email",
    legacy: { enabled: "emailOptionEnabled", allowed: "emailOptionAllowed", input: "email" },
    registeredAs: ["email"],
    graph: ["Email"],
  },
  mobilePhone: {
    words: "Mobile phone",
    gate: "mobilePhone",
    legacy: { enabled: "mobilePhoneOptionEnabled", allowed: "mobilePhoneOptionAllowed", input: "mobilePhone" },
    // assumed: SSPR's "Mobile phone" is the authentication phone (phoneType `mobile`), not `alternateMobilePhone`.
    registeredAs: ["mobilePhone"],
    graph: ["Sms", "Voice"],
  },
  officePhone: {
    words: "Office phone",
    gate: "officePhone",
    legacy: { enabled: "officePhoneOptionEnabled", allowed: "officePhoneOptionAllowed", input: "officePhone" },
    registeredAs: ["officePhone"],
    graph: ["Voice"],
  },
  securityQuestions: {
    words: "Security questions",
    gate: "securityQuestions",
    legacy: { enabled: "securityQuestionsOptionEnabled", allowed: "securityQuestionsOptionAllowed" },
    registeredAs: ["securityQuestion"],
    graph: [],
    neverForAdministrators: true,
  },
};

export const methodWords: Readonly<Record<SsprMethod, string>> = mapRows(ssprMethodCatalogue, (row) => row.words);

export const gateWords: Readonly<Record<Gate, string>> = {
  mobileApp: "Mobile app (Microsoft Authenticator)",
  email: "Email",
  mobilePhone: "Mobile phone",
  officePhone: "Office phone",
  securityQuestions: "Security questions",
};

/** The legacy switches of the portal policy, with their admin-center words (every per-method `...Enabled` field). */
export const legacySwitchWords: Readonly<Record<string, string>> = Object.fromEntries(
  ssprMethods.flatMap((method) => {
    const legacy = ssprMethodCatalogue[method].legacy;
    return legacy === undefined ? [] : [[legacy.enabled, methodWords[method]]];
  }),
);

/** Every legacy field of the portal policy the catalogue knows (switches and availabilities). */
export const legacyPortalFields: readonly string[] = ssprMethods.flatMap((method) => {
  const legacy = ssprMethodCatalogue[method].legacy;
  return legacy === undefined ? [] : [legacy.enabled, legacy.allowed];
});

/** The PasswordResetPolicy resource's `legacyMethods` keys and the portal field each switches. */
export const legacyMethodInputs: Readonly<Record<string, string>> = Object.fromEntries(
  ssprMethods.flatMap((method) => {
    const legacy = ssprMethodCatalogue[method].legacy;
    return legacy?.input === undefined ? [] : [[legacy.input, legacy.enabled]];
  }),
);

/** The SSPR methods a registration report name gives (`methodsRegistered`); none for names SSPR cannot use. */
export function ssprMethodsOfRegistered(name: string): SsprMethod[] {
  return ssprMethods.filter((method) => ssprMethodCatalogue[method].registeredAs.includes(name));
}

function mapRows<Key extends string, Row, Value>(
  rows: Readonly<Record<Key, Row>>,
  pick: (row: Row, key: Key) => Value,
): Record<Key, Value> {
  return Object.fromEntries(Object.entries(rows).map(([key, row]) => [key, pick(row as Row, key as Key)])) as Record<
    Key,
    Value
  >;
}

// ---------------------------------------------------------------------------------------------------------------
// The stack's methods: `sspr:settings.methods.<key>`
// ---------------------------------------------------------------------------------------------------------------

export const configMethodKeys = [
  "email",
  "mobilePhone",
  "officePhone",
  "authenticatorApp",
  "mobileAppCode",
  "hardwareOathTokens",
] as const;
export type ConfigMethodKey = (typeof configMethodKeys)[number];

/** How a config method becomes a method configuration of its own (the phones share Sms and Voice: `mapping.ts`). */
export interface OwnConfiguration {
  /** The child resource's name suffix. */
  suffix: string;
  methodId: string;
  /** Members the stack gives the include targets it adds. */
  targetExtras?: Record<string, unknown>;
}

interface ConfigMethodRow {
  /** Admin-center words, as the offered methods are listed ("Mobile app (Microsoft Authenticator)"). */
  words: string;
  /** The words when it is turned off: which configurations go ("Mobile phone (SMS and voice)"). */
  disableWords: string;
  /** The provider schema's description. */
  schemaWords: string;
  /** The methods-policy configurations it sets, by id (for the words of what "disable" takes away). */
  graph: { id: string; facts?: MethodFacts }[];
  /** The SSPR methods it offers. */
  sspr: SsprMethod[];
  own?: OwnConfiguration;
  preview?: true;
}

export const configMethodCatalogue: Readonly<Record<ConfigMethodKey, ConfigMethodRow>> = {
  email: {
    words: "Email",
    disableWords: "Email",
    schemaWords: "Email",
    graph: [{ id: "Email" }],
    sspr: ["email"],
    own: { suffix: "email", methodId: "Email" },
  },
  mobilePhone: {
    words: "Mobile phone",
    disableWords: "Mobile phone (SMS and voice)",
    schemaWords: "Mobile phone (SMS and voice calls; Microsoft's calendar ends Microsoft-provided calls)",
    graph: [{ id: "Sms" }, { id: "Voice" }],
    sspr: ["mobilePhone"],
  },
  officePhone: {
    words: "Office phone",
    disableWords: "Office phone",
    schemaWords: "Office phone (voice calls; Microsoft's calendar ends Microsoft-provided calls)",
    graph: [{ id: "Voice", facts: { isOfficePhoneAllowed: true } }],
    sspr: ["officePhone"],
  },
  authenticatorApp: {
    words: "Mobile app (Microsoft Authenticator)",
    disableWords: "Microsoft Authenticator",
    schemaWords: "Microsoft Authenticator (notification; its codes with isSoftwareOathEnabled)",
    graph: [{ id: "MicrosoftAuthenticator" }],
    sspr: ["appNotification", "appCode"],
    // Passwordless sign-in stays as the tenant's existing targets have it; the stack's own target says `any`.
    own: {
      suffix: "microsoft-authenticator",
      methodId: "MicrosoftAuthenticator",
      targetExtras: { authenticationMode: "any" },
    },
  },
  mobileAppCode: {
    words: "Mobile app code (software OATH tokens)",
    disableWords: "Software OATH tokens (Mobile app code)",
    schemaWords: "Mobile app code: software OATH tokens (Microsoft Authenticator's or another app's codes)",
    graph: [{ id: "SoftwareOath" }],
    sspr: ["appCode"],
    own: { suffix: "software-oath", methodId: "SoftwareOath" },
  },
  hardwareOathTokens: {
    words: "Hardware OATH tokens (preview)",
    disableWords: "Hardware OATH tokens (preview)",
    schemaWords: "Hardware OATH tokens (preview; Graph beta)",
    graph: [{ id: "HardwareOath" }],
    sspr: ["appCode"],
    own: { suffix: "hardware-oath", methodId: "HardwareOath" },
    preview: true,
  },
};

/** Which gate a method counts as. */
export function gateOf(method: SsprMethod): Gate {
  return ssprMethodCatalogue[method].gate;
}

/** The stack's config keys that offer a gate (for a fix: "methods.authenticatorApp: offer"); previews are not advised. */
export function configKeysOffering(gate: Gate): ConfigMethodKey[] {
  return configMethodKeys.filter(
    (key) =>
      configMethodCatalogue[key].preview !== true &&
      configMethodCatalogue[key].sspr.some((method) => gateOf(method) === gate),
  );
}

/**
 * A method's choice in words, whichever spelling the stack used: `true` is the older spelling of `"offer"` and
 * `false` of `"leave"` (`ssprArgs.ts`); anything else (a typo, absent) is no choice.
 */
export function methodChoiceOf(value: unknown): MethodChoice | undefined {
  if (value === true || value === "offer") return "offer";
  if (value === false || value === "leave") return "leave";
  if (value === "disable") return "disable";
  return undefined;
}

/** The choice of method `key` in `methods` (any shape), in words. */
export function methodChoiceAt(methods: unknown, key: ConfigMethodKey): MethodChoice | undefined {
  if (methods === null || typeof methods !== "object" || !Object.hasOwn(methods, key)) return undefined;
  return methodChoiceOf((methods as Record<string, unknown>)[key]);
}

/** The config keys a stack offers (`"offer"`, or the older `true`), in catalogue order. */
export function offeredConfigKeys(methods: unknown): ConfigMethodKey[] {
  return configMethodKeys.filter((key) => methodChoiceAt(methods, key) === "offer");
}

/** The gates the offered config keys give (each counted once: the app's notification and code are one). */
export function gatesOfConfigKeys(keys: readonly ConfigMethodKey[]): Gate[] {
  const gates = keys.flatMap((key) => configMethodCatalogue[key].sspr.map(gateOf));
  return [...new Set(gates)];
}

// ---------------------------------------------------------------------------------------------------------------
// The methods policy's methods: what each configuration is for
// ---------------------------------------------------------------------------------------------------------------

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

/** One method of the methods policy: its Graph identity and its purposes with their conditions. */
interface GraphMethodRow {
  /** Graph's id, in Graph's casing. */
  id: string;
  odataType: string;
  /** Only on Graph beta. */
  beta?: true;
  /** Include-target members the method adds to `{targetType, id, isRegistrationRequired}`. */
  targetExtras?: string[];
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
const notForReset = "it is not offered for password reset";
const odata = (name: string): string => `#microsoft.graph.${name}AuthenticationMethodConfiguration`;

/** The methods policy's methods, keyed by id in lower case. */
const graphMethods: Record<string, GraphMethodRow> = {
  email: {
    id: "Email",
    odataType: odata("email"),
    name: () => "Email",
    sspr: () => ["email"],
    mfa: false,
    // External users' one-time codes follow allowExternalIdToUseEmailOtp, not the include targets.
    signIn: never,
    notFor: "it is not a second factor for members",
  },
  sms: {
    id: "Sms",
    odataType: odata("sms"),
    targetExtras: ["isUsableForSignIn"],
    name: () => "Mobile phone (text message)",
    sspr: () => ["mobilePhone"],
    mfa: true,
    signIn: (target) =>
      isTrue(target.isUsableForSignIn) ? "to sign in with a text message alone (SMS sign-in)" : undefined,
  },
  voice: {
    id: "Voice",
    odataType: odata("voice"),
    name: (facts) =>
      isTrue(facts.isOfficePhoneAllowed) ? "Phone call (mobile and office phone)" : "Phone call (mobile phone)",
    sspr: (facts) => (isTrue(facts.isOfficePhoneAllowed) ? ["mobilePhone", "officePhone"] : ["mobilePhone"]),
    mfa: true,
    signIn: never,
  },
  microsoftauthenticator: {
    id: "MicrosoftAuthenticator",
    odataType: odata("microsoftAuthenticator"),
    targetExtras: ["authenticationMode"],
    name: () => "Microsoft Authenticator",
    sspr: (facts) => (isTrue(facts.isSoftwareOathEnabled) ? ["appNotification", "appCode"] : ["appNotification"]),
    mfa: true,
    signIn: (target) => {
      const mode = typeof target.authenticationMode === "string" ? target.authenticationMode.toLowerCase() : "any";
      return mode === "push" ? undefined : "for passwordless phone sign-in";
    },
  },
  softwareoath: {
    id: "SoftwareOath",
    odataType: odata("softwareOath"),
    name: () => "Software OATH tokens",
    sspr: () => ["appCode"],
    mfa: true,
    signIn: never,
  },
  temporaryaccesspass: {
    id: "TemporaryAccessPass",
    odataType: odata("temporaryAccessPass"),
    name: () => "Temporary Access Pass",
    sspr: () => [],
    mfa: false,
    signIn: () => "to sign in with a time-limited pass (and register other methods)",
    notFor: notForReset,
  },
  fido2: {
    id: "Fido2",
    odataType: odata("fido2"),
    name: () => "Passkeys (FIDO2)",
    sspr: () => [],
    mfa: true,
    signIn: passwordless,
    notFor: notForReset,
  },
  x509certificate: {
    id: "X509Certificate",
    odataType: odata("x509Certificate"),
    name: () => "Certificate-based authentication",
    sspr: () => [],
    mfa: true,
    signIn: passwordless,
    notFor: notForReset,
  },
  hardwareoath: {
    id: "HardwareOath",
    odataType: odata("hardwareOath"),
    beta: true,
    name: () => "Hardware OATH tokens (preview)",
    sspr: () => ["appCode"],
    mfa: true,
    signIn: never,
  },
  qrcodepin: {
    id: "QRCodePin",
    odataType: odata("qrCodePin"),
    beta: true,
    name: () => "QR code and PIN",
    sspr: () => [],
    mfa: false,
    signIn: passwordless,
    notFor: notForReset,
  },
};

/** Every methods-policy id the project knows, in Graph's casing. */
export const graphMethodIds: readonly string[] = Object.values(graphMethods).map((row) => row.id);

/** `@odata.type` per Graph id, for a PATCH when the GET did not carry one. */
export const methodODataTypes: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(graphMethods).map((row) => [row.id, row.odataType]),
);

/** The methods that exist only on Graph beta. */
export const betaOnlyMethodIds: readonly string[] = Object.values(graphMethods)
  .filter((row) => row.beta === true)
  .map((row) => row.id);

/** Include-target members each method adds, by Graph id. */
export const includeTargetExtras: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.values(graphMethods)
    .filter((row) => row.targetExtras !== undefined)
    .map((row) => [row.id, row.targetExtras ?? []]),
);

/**
 * Each method's admin-center name by lower-cased id, when its facts are not at hand (Voice then reads as mobile
 * phone: its office phone needs `isOfficePhoneAllowed`).
 */
export const methodNames: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(graphMethods).map(([id, row]) => [id, row.name({})]),
);

/** A purpose a dated change ended, or will end (the calendar entry says when and why). */
export interface PurposeEnd {
  purpose: Purpose;
  entry: CalendarEntry;
}

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
  /** Purposes a dated change has ended by the day judged (they are no longer in `sspr` / `mfa`). */
  ended?: PurposeEnd[];
  /** Purposes a dated change will end after the day judged (still in force that day). */
  ending?: PurposeEnd[];
}

/** The day a verdict is for, the tenant's own facts and the calendar in use. */
export interface OnDay {
  date: Date;
  tenant?: TenantCalendarFacts;
  calendar?: Calendar;
}

/**
 * A day for the stack's tenant (its own telephony provider, if its settings say so), by the calendar given or the
 * calendar of this process. Tolerant of settings not yet checked.
 */
export function todayFor(settings: unknown, now = new Date(), calendar: Calendar = activeCalendar()): OnDay {
  const own =
    typeof settings === "object" &&
    settings !== null &&
    (settings as { ownTelephonyProvider?: unknown }).ownTelephonyProvider === true;
  return { date: now, tenant: { ownTelephonyProvider: own }, calendar };
}

/** The purposes of a method the table does not know: named by its id, no purpose claimed. */
function unknownMethod(id: string): MethodPurposes {
  return { name: id, sspr: [], mfa: false, notFor: "what it is for is not known to this project" };
}

/**
 * What a method is for. Without a day: what it serves by its nature. With one: only the purposes still in force
 * that day by Microsoft's calendar (`ended` says which went, and when), and `ending` those that go later.
 */
export function methodPurposes(
  id: string,
  facts: MethodFacts = {},
  target: TargetFacts = {},
  on?: OnDay,
): MethodPurposes {
  const row = graphMethods[id.toLowerCase()];
  if (row === undefined) return unknownMethod(id);
  const signIn = row.signIn(target);
  const purposes: MethodPurposes = {
    name: row.name(facts),
    sspr: row.sspr(facts),
    mfa: row.mfa,
    ...(signIn === undefined ? {} : { signIn }),
    ...(row.notFor === undefined ? {} : { notFor: row.notFor }),
  };
  if (on === undefined) return purposes;
  const calendar = on.calendar ?? activeCalendar();
  const served: Purpose[] = [
    ...(purposes.sspr.length > 0 ? ["sspr" as const] : []),
    ...(row.mfa ? ["mfa" as const] : []),
  ];
  const ended: PurposeEnd[] = [];
  const ending: PurposeEnd[] = [];
  for (const purpose of served) {
    const gone = endedBy(row.id, purpose, on.date, on.tenant, calendar);
    if (gone !== undefined) ended.push({ purpose, entry: gone });
    const later = gone === undefined ? endsLater(row.id, purpose, on.date, on.tenant, calendar) : undefined;
    if (later !== undefined) ending.push({ purpose, entry: later });
  }
  const endedPurposes = ended.map((end) => end.purpose);
  return {
    ...purposes,
    sspr: endedPurposes.includes("sspr") ? [] : purposes.sspr,
    mfa: purposes.mfa && !endedPurposes.includes("mfa"),
    ...(ended.length === 0 ? {} : { ended }),
    ...(ending.length === 0 ? {} : { ending }),
  };
}

/** The methods-policy ids that can give an SSPR method (for readiness: which configurations to look at). */
export function policyMethodsGiving(method: SsprMethod): string[] {
  return ssprMethodCatalogue[method].graph;
}

/** The calendar entry that ends an SSPR method's reset: every configuration giving it ended, or the questions. */
function ssprMethodEnd(
  method: SsprMethod,
  on: OnDay,
  which: typeof endedBy | typeof endsLater,
): CalendarEntry | undefined {
  const calendar = on.calendar ?? activeCalendar();
  const ids = method === "securityQuestions" ? ["securityQuestions"] : ssprMethodCatalogue[method].graph;
  const ends = ids.map((id) => which(id, "sspr", on.date, on.tenant, calendar));
  return ends.length > 0 && ends.every((entry) => entry !== undefined) ? ends[0] : undefined;
}

/** The calendar entry by which an SSPR method no longer serves password reset on the day judged, if any. */
export function ssprMethodEndedBy(method: SsprMethod, on: OnDay): CalendarEntry | undefined {
  return ssprMethodEnd(method, on, endedBy);
}

/** The calendar entry that will end an SSPR method's reset after the day judged, if one is announced. */
export function ssprMethodEndsLater(method: SsprMethod, on: OnDay): CalendarEntry | undefined {
  return ssprMethodEnd(method, on, endsLater);
}

/** " until <its last day> (<source>)" for a method whose reset ends later; "" otherwise. */
export function untilWords(end: CalendarEntry | undefined): string {
  return end === undefined ? "" : ` until ${dayBefore(end.date)} (${end.sources[0]?.url ?? end.id})`;
}

/**
 * Security questions live only in the SSPR (portal) policy: an SSPR method for users, never for administrators
 * (Learn `concept-sspr-policy`: the administrator policy "prohibits security questions"); no second factor, no
 * sign-in; retired by the calendar's `security-questions-end` (docs/reference/method-purposes.md).
 */
export const securityQuestionsPurposes = {
  forUsers: true,
  forAdministrators: false,
  whyNotForAdministrators: "never for administrators (administrator policy)",
} as const;

/** Whether an administrator may reset with an SSPR method (the administrator policy ignores the methods policy). */
export function ssprMethodForAdministrators(method: SsprMethod): boolean {
  return ssprMethodCatalogue[method].neverForAdministrators !== true;
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
  // A purpose ending later is said with its last day: once after the list when one change ends them all.
  const ends = purposes.ending ?? [];
  const oneEnd = ends.length > 0 && ends.every((end) => end.entry.id === ends[0].entry.id) ? ends[0].entry : undefined;
  const until = (purpose: Purpose): string =>
    oneEnd === undefined ? untilWords(ends.find((end) => end.purpose === purpose)?.entry) : "";
  const uses: string[] = [];
  if (purposes.sspr.length > 0)
    uses.push(`${reset.reaches ? ssprWords(purposes) : `${ssprWords(purposes)} ${reset.why}`}${until("sspr")}`);
  if (purposes.mfa) uses.push(`as a second factor (MFA)${until("mfa")}`);
  if (purposes.signIn !== undefined) uses.push(purposes.signIn);
  const said =
    uses.length <= 1 ? (uses[0] ?? "") : `${uses.slice(0, -1).join(", ")} ${joiner} ${uses[uses.length - 1]}`;
  const ended = endedWords(purposes.ended);
  return (
    `${said === "" ? "" : ` ${said}`}${untilWords(oneEnd)}${ended === "" ? "" : `; ${ended}`}` +
    `${purposes.notFor === undefined ? "" : `; ${purposes.notFor}`}`
  );
}

/** "no longer for password reset (SSPR) or as a second factor (MFA) since <the day>: <why> (<source>)". */
export function endedWords(ended: readonly PurposeEnd[] | undefined): string {
  if (ended === undefined || ended.length === 0) return "";
  const names: Record<Purpose, string> = { sspr: "for password reset (SSPR)", mfa: "as a second factor (MFA)" };
  const entry = ended[0].entry;
  return (
    `no longer ${ended.map((end) => names[end.purpose]).join(" or ")} since ${dayWords(entry.date)}: ` +
    `${entry.title} (${entry.sources[0]?.url ?? entry.id})`
  );
}

/** Whether it serves anything beyond password reset (a second factor or sign-in) for the people it reaches. */
export function servesBeyondReset(purposes: MethodPurposes): boolean {
  return purposes.mfa || purposes.signIn !== undefined;
}
