/**
 * A tenant's self-service password reset settings in the words of the Entra admin center (Password reset blade),
 * read through the project's HTTP layer. Used by `rehearse` and `lab` to show the tenant before and after a run.
 *
 * `readTenantSettings` makes three GETs (portal PasswordResetPolicies, Graph authenticationMethodsPolicy, Graph
 * authorizationPolicy); everything else here is pure: `describeSsprSettings` turns those three documents into
 * labelled lines, `formatSsprSettings` renders them, `diffSsprSettings` lists what changed.
 *
 * Which methods SSPR offers depends on the methods-policy migration (Microsoft Learn
 * `how-to-authentication-methods-manage`): once it is complete (or the tenant reports `null`, which new tenants do)
 * the Graph authentication methods policy decides; before that, the portal's legacy per-method switches do.
 */
import { createEntraClient, type EntraClient } from "../../components/entra/client";
import type { EntraTarget } from "../../components/entra/types";
import { isRecord } from "../../components/entra/predicates";

type JsonObject = Record<string, unknown>;

export const reportSections = [
  "Properties",
  "Authentication methods",
  "Registration",
  "Notifications",
  "Customization",
  "Administrator policy",
] as const;
export type ReportSection = (typeof reportSections)[number];

/** One setting as the admin center labels it. */
export interface ReportLine {
  section: ReportSection;
  setting: string;
  value: string;
}

export interface SsprSettingsReport {
  /** Which policy decided the list of methods: the Graph methods policy, or the portal's legacy switches. */
  methodsSource: "authenticationMethodsPolicy" | "legacySsprPolicy";
  lines: ReportLine[];
}

/** The three documents the report is made from, as the services returned them. */
export interface TenantSettings {
  portal: JsonObject;
  methodsPolicy: JsonObject;
  authorizationPolicy: JsonObject;
}

export interface SettingChange {
  section: ReportSection;
  setting: string;
  /** Undefined when the line is absent on that side (e.g. the methods source changed). */
  before: string | undefined;
  after: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the tenant
// ---------------------------------------------------------------------------------------------------------------

const portalRole = "Authentication Policy Administrator";
const graphReadPermission = "Policy.Read.All";

function asObject(value: unknown, what: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${what} did not return a JSON object`);
  }
  return value as JsonObject;
}

/**
 * Reads the three documents the report needs (3 GET requests, in parallel). The portal GET asks for the group's
 * name too (`getPasswordResetEnabledGroup=true`), so a Selected scope reads as a name, not only an id.
 */
export async function readTenantSettings(
  target: EntraTarget,
  options: { client?: EntraClient } = {},
): Promise<TenantSettings> {
  const client = options.client ?? createEntraClient(target);
  const [portal, methodsPolicy, authorizationPolicy] = await Promise.all([
    client.send({
      api: "portal",
      method: "GET",
      path: "/PasswordReset/PasswordResetPolicies?getPasswordResetEnabledGroup=true",
      permission: portalRole,
    }),
    client.send({
      api: "graph",
      method: "GET",
      path: "/v1.0/policies/authenticationMethodsPolicy",
      permission: graphReadPermission,
    }),
    client.send({
      api: "graph",
      method: "GET",
      path: "/v1.0/policies/authorizationPolicy",
      permission: graphReadPermission,
    }),
  ]);
  return {
    portal: asObject(portal.body, "The portal API (PasswordResetPolicies)"),
    methodsPolicy: asObject(methodsPolicy.body, "Graph (authenticationMethodsPolicy)"),
    authorizationPolicy: asObject(authorizationPolicy.body, "Graph (authorizationPolicy)"),
  };
}

/** Describes the three documents read by `readTenantSettings`. */
export function describeTenantSettings(settings: TenantSettings): SsprSettingsReport {
  return describeSsprSettings(settings.portal, settings.methodsPolicy, settings.authorizationPolicy);
}

/** Reads the tenant and describes it. */
export async function readSsprSettings(
  target: EntraTarget,
  options: { client?: EntraClient } = {},
): Promise<SsprSettingsReport> {
  return describeTenantSettings(await readTenantSettings(target, options));
}

// ---------------------------------------------------------------------------------------------------------------
// Describing (pure)
// ---------------------------------------------------------------------------------------------------------------

const show = (value: unknown): string => (value === undefined ? "missing" : JSON.stringify(value));

function yesNo(value: unknown): string {
  if (value === true) return "Yes";
  if (value === false) return "No";
  return `Unknown (${show(value)})`;
}

/** Graph shows some booleans as strings in its samples (Voice `isOfficePhoneAllowed: "true"`). */
function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

function targetIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((target) => (typeof target.id === "string" ? [target.id] : []));
}

/** Group id (lower case) -> display name, where the name is known. */
export type GroupNames = Readonly<Record<string, string>>;

/**
 * "all users", "groups a, b", "all users except group c"; a group whose name is known reads by its name
 * ("group 'SSPR Pilot'").
 */
export function describeTargets(configuration: JsonObject, names: GroupNames = {}): string {
  const include = targetIds(configuration.includeTargets);
  const exclude = targetIds(configuration.excludeTargets);
  const named = (id: string): string => {
    const name = names[id.toLowerCase()];
    return name === undefined ? id : `'${name}'`;
  };
  const groups = (ids: string[]): string => `${ids.length === 1 ? "group" : "groups"} ${ids.map(named).join(", ")}`;
  const everyone = include.some((id) => id.toLowerCase() === "all_users");
  const others = include.filter((id) => id.toLowerCase() !== "all_users");
  let text = everyone ? "all users" : groups(others);
  if (everyone && others.length > 0) text += ` (and ${groups(others)})`;
  if (exclude.length > 0) text += ` except ${groups(exclude)}`;
  return text;
}

function methodConfiguration(methodsPolicy: JsonObject, id: string): JsonObject | undefined {
  const configurations = methodsPolicy.authenticationMethodConfigurations;
  if (!Array.isArray(configurations)) return undefined;
  return configurations
    .filter(isRecord)
    .find(
      (configuration) => typeof configuration.id === "string" && configuration.id.toLowerCase() === id.toLowerCase(),
    );
}

/** A method configuration that is enabled and targets somebody. */
interface Offered {
  /** `undefined`: off; `""`: enabled but nobody targeted; otherwise who it is for. */
  who: string | undefined;
}

function offered(configuration: JsonObject | undefined, names: GroupNames): Offered {
  if (configuration === undefined || String(configuration.state).toLowerCase() !== "enabled") return { who: undefined };
  return { who: targetIds(configuration.includeTargets).length === 0 ? "" : describeTargets(configuration, names) };
}

function offeredText({ who }: Offered): string {
  if (who === undefined) return "Off";
  return who === "" ? "Enabled, but no users are targeted" : `On for ${who}`;
}

const isAvailable = ({ who }: Offered): boolean => who !== undefined && who !== "";

/** The policy migration state, `null`/absent counted as complete (ScubaGear, Maester and CIPP all do). */
export function migrationState(methodsPolicy: JsonObject): string {
  const state = methodsPolicy.policyMigrationState;
  return typeof state === "string" && state !== "" ? state : "migrationComplete";
}

function methodsSourceText(methodsPolicy: JsonObject): string {
  const raw = methodsPolicy.policyMigrationState;
  switch (migrationState(methodsPolicy)) {
    case "preMigration":
      return "Legacy SSPR policy (methods policy migration: pre-migration)";
    case "migrationInProgress":
      // Microsoft Learn: in progress, the methods policy applies to SSPR as well and legacy settings are still
      // respected; the report shows the legacy list, which is what the SSPR blade still shows then.
      return "Legacy SSPR policy (methods policy migration in progress; the methods policy applies too)";
    case "migrationComplete":
      return raw === null || raw === undefined
        ? "Authentication methods policy (Microsoft reports no migration state, as for new tenants: the legacy SSPR " +
            "method settings no longer apply)"
        : "Authentication methods policy (migration complete)";
    default:
      return `Authentication methods policy (unknown migration state ${show(raw)})`;
  }
}

interface MethodLine {
  name: string;
  value: string;
  available: boolean;
}

/** After the migration: the Graph method configurations decide (Learn's mapping of the old SSPR methods). */
function methodsFromPolicy(methodsPolicy: JsonObject, names: GroupNames): MethodLine[] {
  const authenticator = methodConfiguration(methodsPolicy, "MicrosoftAuthenticator");
  const softwareOath = methodConfiguration(methodsPolicy, "SoftwareOath");
  const email = methodConfiguration(methodsPolicy, "Email");
  const sms = methodConfiguration(methodsPolicy, "Sms");
  const voice = methodConfiguration(methodsPolicy, "Voice");

  const notification = offered(authenticator, names);
  // Mobile app code: Authenticator with OTP codes (isSoftwareOathEnabled), or the SoftwareOath method.
  const appCodeSources = [
    ...(authenticator !== undefined && isTrue(authenticator.isSoftwareOathEnabled)
      ? [offered(authenticator, names)]
      : []),
    offered(softwareOath, names),
  ].filter(isAvailable);
  const appCode: MethodLine = {
    name: "Mobile app code",
    value: appCodeSources.length === 0 ? "Off" : `On for ${[...new Set(appCodeSources.map((s) => s.who))].join("; ")}`,
    available: appCodeSources.length > 0,
  };

  // Mobile phone: text (Sms) and voice calls (Voice) to a mobile number.
  const text = offered(sms, names);
  const call = offered(voice, names);
  let mobilePhone: string;
  if (isAvailable(text) && isAvailable(call)) {
    mobilePhone =
      text.who === call.who
        ? `On for ${text.who}: text and voice call`
        : `Text on for ${text.who}; voice call on for ${call.who}`;
  } else if (isAvailable(text)) {
    mobilePhone = `Text only, for ${text.who} (voice calls: ${offeredText(call).toLowerCase()})`;
  } else if (isAvailable(call)) {
    mobilePhone = `Voice call only, for ${call.who} (text: ${offeredText(text).toLowerCase()})`;
  } else {
    mobilePhone = text.who === "" || call.who === "" ? "Enabled, but no users are targeted" : "Off";
  }

  // Office phone: Voice with isOfficePhoneAllowed.
  const officeAllowed = voice !== undefined && isTrue(voice.isOfficePhoneAllowed);
  const officePhone: MethodLine = {
    name: "Office phone",
    value: officeAllowed ? offeredText(call) : "Off",
    available: officeAllowed && isAvailable(call),
  };

  return [
    { name: "Mobile app notification", value: offeredText(notification), available: isAvailable(notification) },
    appCode,
    { name: "Email", value: offeredText(offered(email, names)), available: isAvailable(offered(email, names)) },
    { name: "Mobile phone", value: mobilePhone, available: isAvailable(text) || isAvailable(call) },
    officePhone,
  ];
}

/** Before the migration: the portal's legacy switches decide, for everyone SSPR is enabled for. */
function methodsFromLegacy(portal: JsonObject): MethodLine[] {
  const legacy = (name: string, enabled: string, allowed: string): MethodLine => {
    if (portal[allowed] === false) return { name, value: "Not available in this tenant", available: false };
    if (portal[enabled] === true) return { name, value: "On (for everyone SSPR is enabled for)", available: true };
    if (portal[enabled] === false) return { name, value: "Off", available: false };
    return { name, value: `Unknown (${enabled} ${show(portal[enabled])})`, available: false };
  };
  return [
    legacy("Mobile app notification", "mobileAppNotificationEnabled", "mobileAppNotificationOptionAllowed"),
    legacy("Mobile app code", "mobileAppCodeEnabled", "mobileAppCodeOptionAllowed"),
    legacy("Email", "emailOptionEnabled", "emailOptionAllowed"),
    legacy("Mobile phone", "mobilePhoneOptionEnabled", "mobilePhoneOptionAllowed"),
    legacy("Office phone", "officePhoneOptionEnabled", "officePhoneOptionAllowed"),
  ];
}

/** Security questions live only in the portal policy, whatever the migration state. */
function securityQuestions(portal: JsonObject): MethodLine {
  const enabled = portal.securityQuestionsOptionEnabled;
  if (enabled === true) {
    return {
      name: "Security questions",
      value: `On: ${show(portal.numberOfQuestionsToRegister)} to register, ${show(portal.numberOfQuestionsToReset)} to reset`,
      available: true,
    };
  }
  return {
    name: "Security questions",
    value: enabled === false ? "Off" : `Unknown (${show(enabled)})`,
    available: false,
  };
}

/** The SSPR group's name, which the portal's GET returns beside its id: no further read. */
function scopeGroupNames(portal: JsonObject): GroupNames {
  const ids = Array.isArray(portal.passwordResetEnabledGroupIds) ? portal.passwordResetEnabledGroupIds : [];
  const name = portal.passwordResetEnabledGroupName;
  return typeof ids[0] === "string" && typeof name === "string" && name !== "" ? { [ids[0].toLowerCase()]: name } : {};
}

function enablement(portal: JsonObject): string {
  switch (portal.enablementType) {
    case 0:
      return "None";
    case 2:
      return "All";
    case 1: {
      const ids = Array.isArray(portal.passwordResetEnabledGroupIds) ? portal.passwordResetEnabledGroupIds : [];
      const id = typeof ids[0] === "string" ? ids[0] : undefined;
      const name = typeof portal.passwordResetEnabledGroupName === "string" ? portal.passwordResetEnabledGroupName : "";
      if (id === undefined) return "Selected, but no group is chosen";
      return name === "" ? `Selected: group ${id}` : `Selected: ${name} (group ${id})`;
    }
    default:
      return `Unknown (enablementType ${show(portal.enablementType)})`;
  }
}

function reconfirmDays(value: unknown): string {
  if (value === 0) return "0 (never)";
  return typeof value === "number" ? String(value) : `Unknown (${show(value)})`;
}

/**
 * The tenant's SSPR settings in admin-center words, blade by blade: Properties, Authentication methods (which
 * methods, for whom, and which policy decided), Registration, Notifications, Customization, Administrator policy.
 * Pure; tolerant of missing or unexpected values (shown as "Unknown (...)").
 */
export function describeSsprSettings(
  portal: JsonObject,
  methodsPolicy: JsonObject,
  authorizationPolicy: JsonObject,
): SsprSettingsReport {
  const state = migrationState(methodsPolicy);
  const legacy = state === "preMigration" || state === "migrationInProgress";
  const methods = [
    ...(legacy ? methodsFromLegacy(portal) : methodsFromPolicy(methodsPolicy, scopeGroupNames(portal))),
    securityQuestions(portal),
  ];
  const available = methods.filter((method) => method.available).map((method) => method.name);
  const required = portal.numberOfAuthenticationMethodsRequired;

  const lines: ReportLine[] = [
    { section: "Properties", setting: "Self service password reset enabled", value: enablement(portal) },
    {
      section: "Authentication methods",
      setting: "Number of methods required to reset",
      value: typeof required === "number" ? String(required) : `Unknown (${show(required)})`,
    },
    {
      section: "Authentication methods",
      setting: "Methods available to users",
      value: available.length === 0 ? "None" : available.join(", "),
    },
    { section: "Authentication methods", setting: "Methods decided by", value: methodsSourceText(methodsPolicy) },
    ...methods.map((method): ReportLine => ({
      section: "Authentication methods",
      setting: method.name,
      value: method.value,
    })),
    {
      section: "Registration",
      setting: "Require users to register when signing in",
      value: yesNo(portal.registrationRequiredOnSignIn),
    },
    {
      section: "Registration",
      setting: "Number of days before users are asked to re-confirm their authentication information",
      value: reconfirmDays(portal.registrationReconfirmIntevalInDays),
    },
    {
      section: "Notifications",
      setting: "Notify users on password resets",
      value: yesNo(portal.notifyUsersOnPasswordReset),
    },
    {
      section: "Notifications",
      setting: "Notify all admins when other admins reset their password",
      value: yesNo(portal.notifyOnAdminPasswordReset),
    },
    { section: "Customization", setting: "Customize helpdesk link", value: yesNo(portal.customizeHelpdeskLink) },
    {
      section: "Customization",
      setting: "Custom helpdesk email or URL",
      value:
        typeof portal.customHelpdeskEmailOrUrl === "string" && portal.customHelpdeskEmailOrUrl !== ""
          ? portal.customHelpdeskEmailOrUrl
          : "(none)",
    },
    {
      section: "Administrator policy",
      setting: "Administrators can reset their own password",
      value: yesNo(authorizationPolicy.allowedToUseSSPR),
    },
  ];
  return { methodsSource: legacy ? "legacySsprPolicy" : "authenticationMethodsPolicy", lines };
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering and comparing (pure)
// ---------------------------------------------------------------------------------------------------------------

/** An aligned text block: each section's title, then its settings with the values aligned within the section. */
export function formatSsprSettings(report: SsprSettingsReport, indent = "  "): string {
  const out: string[] = [];
  for (const section of reportSections) {
    const lines = report.lines.filter((line) => line.section === section);
    if (lines.length === 0) continue;
    const width = Math.max(...lines.map((line) => line.setting.length));
    out.push(`${indent}${section}`);
    for (const line of lines) out.push(`${indent}  ${line.setting.padEnd(width)}  ${line.value}`);
  }
  return out.join("\n");
}

const lineKey = (line: { section: string; setting: string }): string => `${line.section}\u0000${line.setting}`;

/** The settings whose value differs, in the order of `after` (then settings only `before` had). */
export function diffSsprSettings(before: SsprSettingsReport, after: SsprSettingsReport): SettingChange[] {
  const old = new Map(before.lines.map((line) => [lineKey(line), line.value]));
  const seen = new Set<string>();
  const changes: SettingChange[] = [];
  for (const line of after.lines) {
    const key = lineKey(line);
    seen.add(key);
    if (old.get(key) !== line.value) {
      changes.push({ section: line.section, setting: line.setting, before: old.get(key), after: line.value });
    }
  }
  for (const line of before.lines) {
    if (!seen.has(lineKey(line))) {
      changes.push({ section: line.section, setting: line.setting, before: line.value, after: undefined });
    }
  }
  return changes;
}

/** One line per change: `Registration > Require users ...: No -> Yes`; "No changes" when there are none. */
export function formatSettingChanges(changes: SettingChange[], indent = "  "): string {
  if (changes.length === 0) return `${indent}No changes`;
  return changes
    .map(
      (change) =>
        `${indent}${change.section} > ${change.setting}: ${change.before ?? "(not shown)"} -> ${change.after ?? "(not shown)"}`,
    )
    .join("\n");
}
