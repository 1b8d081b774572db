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
import { methodWords, ssprMethodCatalogue, ssprMethods } from "../../components/methodCatalogue";
import { createEntraClient, type EntraClient } from "../../provider/http/client";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { readSsprDocuments, type SsprDocuments } from "../../provider/reader/tenantReader";
import {
  legacySwitchesDecide,
  methodConfigurationOf,
  migrationStateOf,
  targetIdsOf,
  ssprScopeOf,
} from "../../lib/tenantCodecs";
import { adminCenterLabels, labelOf, type AdminCenterSetting } from "../../components/adminCenterLabels";

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
export type TenantSettings = SsprDocuments;

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

/**
 * Reads the three documents the report needs (3 GET requests, in parallel, through the tenant reader). The portal
 * GET asks for the group's name too, so a Selected scope reads as a name, not only an id.
 */
export async function readTenantSettings(
  target: EntraTarget,
  options: { client?: EntraClient } = {},
): Promise<TenantSettings> {
  return readSsprDocuments(options.client ?? createEntraClient(target));
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

/** Group id (lower case) -> display name, where the name is known. */
export type GroupNames = Readonly<Record<string, string>>;

/**
 * "all users", "groups a, b", "all users except group c"; a group whose name is known reads by its name
 * ("group 'SSPR Pilot'").
 */
export function describeTargets(configuration: JsonObject, names: GroupNames = {}): string {
  const include = targetIdsOf(configuration.includeTargets);
  const exclude = targetIdsOf(configuration.excludeTargets);
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

/** A method configuration that is enabled and targets somebody. */
interface Offered {
  /** `undefined`: off; `""`: enabled but nobody targeted; otherwise who it is for. */
  who: string | undefined;
}

function offered(configuration: JsonObject | undefined, names: GroupNames): Offered {
  if (configuration === undefined || String(configuration.state).toLowerCase() !== "enabled") return { who: undefined };
  return { who: targetIdsOf(configuration.includeTargets).length === 0 ? "" : describeTargets(configuration, names) };
}

function offeredText({ who }: Offered): string {
  if (who === undefined) return "Off";
  return who === "" ? "Enabled, but no users are targeted" : `On for ${who}`;
}

const isAvailable = ({ who }: Offered): boolean => who !== undefined && who !== "";

function methodsSourceText(methodsPolicy: JsonObject): string {
  const raw = methodsPolicy.policyMigrationState;
  switch (migrationStateOf(methodsPolicy)) {
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
  const authenticator = methodConfigurationOf(methodsPolicy, "MicrosoftAuthenticator");
  const softwareOath = methodConfigurationOf(methodsPolicy, "SoftwareOath");
  const email = methodConfigurationOf(methodsPolicy, "Email");
  const sms = methodConfigurationOf(methodsPolicy, "Sms");
  const voice = methodConfigurationOf(methodsPolicy, "Voice");

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
  // Every SSPR method with a legacy switch of its own (security questions are said apart), from the method catalogue.
  return ssprMethods.flatMap((method) => {
    const switches = ssprMethodCatalogue[method].legacy;
    return switches?.input === undefined ? [] : [legacy(methodWords[method], switches.enabled, switches.allowed)];
  });
}

/** Security questions live only in the portal policy, whatever the migration state. */
function securityQuestions(portal: JsonObject): MethodLine {
  const enabled = portal.securityQuestionsOptionEnabled;
  if (enabled === true) {
    return {
      name: labelOf("securityQuestions"),
      value: `On: ${show(portal.numberOfQuestionsToRegister)} to register, ${show(portal.numberOfQuestionsToReset)} to reset`,
      available: true,
    };
  }
  return {
    name: labelOf("securityQuestions"),
    value: enabled === false ? "Off" : `Unknown (${show(enabled)})`,
    available: false,
  };
}

/** The SSPR group's name, which the portal's GET returns beside its id: no further read. */
function scopeGroupNames(portal: JsonObject): GroupNames {
  const { groupIds, groupName } = ssprScopeOf(portal);
  return groupIds[0] !== undefined && groupName !== undefined ? { [groupIds[0].toLowerCase()]: groupName } : {};
}

function enablement(portal: JsonObject): string {
  const { enablement: scope, groupIds, groupName } = ssprScopeOf(portal);
  switch (scope) {
    case "none":
      return "None";
    case "all":
      return "All";
    case "selected": {
      const id = groupIds[0];
      if (id === undefined) return "Selected, but no group is chosen";
      return groupName === undefined ? `Selected: group ${id}` : `Selected: ${groupName} (group ${id})`;
    }
    default:
      return `Unknown (enablementType ${show(portal.enablementType)})`;
  }
}

function reconfirmDays(value: unknown): string {
  if (value === 0) return "0 (never)";
  return typeof value === "number" ? String(value) : `Unknown (${show(value)})`;
}

/** A report line of a setting the label table names: its blade is the section. */
function line(setting: AdminCenterSetting, value: string): ReportLine {
  const { blade, label } = adminCenterLabels[setting];
  return { section: blade as ReportSection, setting: label, value };
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
  const legacy = legacySwitchesDecide(methodsPolicy);
  const methods = [
    ...(legacy ? methodsFromLegacy(portal) : methodsFromPolicy(methodsPolicy, scopeGroupNames(portal))),
    securityQuestions(portal),
  ];
  const available = methods.filter((method) => method.available).map((method) => method.name);
  const required = portal.numberOfAuthenticationMethodsRequired;

  const lines: ReportLine[] = [
    line("enablement", enablement(portal)),
    line("methodsRequired", typeof required === "number" ? String(required) : `Unknown (${show(required)})`),
    line("methodsAvailable", available.length === 0 ? "None" : available.join(", ")),
    { section: "Authentication methods", setting: "Methods decided by", value: methodsSourceText(methodsPolicy) },
    ...methods.map((method): ReportLine => ({
      section: "Authentication methods",
      setting: method.name,
      value: method.value,
    })),
    line("requireOnSignIn", yesNo(portal.registrationRequiredOnSignIn)),
    line("reconfirmDays", reconfirmDays(portal.registrationReconfirmIntevalInDays)),
    line("notifyUsers", yesNo(portal.notifyUsersOnPasswordReset)),
    line("notifyAdmins", yesNo(portal.notifyOnAdminPasswordReset)),
    line("customizeHelpdesk", yesNo(portal.customizeHelpdeskLink)),
    line(
      "helpdeskEmailOrUrl",
      typeof portal.customHelpdeskEmailOrUrl === "string" && portal.customHelpdeskEmailOrUrl !== ""
        ? portal.customHelpdeskEmailOrUrl
        : "(none)",
    ),
    line("administrators", yesNo(authorizationPolicy.allowedToUseSSPR)),
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
