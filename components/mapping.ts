/**
 * Admin-center settings (the component's args) to the settings of the Entra objects that realise them.
 * Pure functions, each tested alone; the component only composes their results into child resources.
 *
 * Where each setting lives: the project reference `docs/reference/endpoints-and-permissions.md#the-two-control-planes` (Microsoft Learn
 * `how-to-authentication-methods-manage` for the method mapping). After the authentication-methods-policy
 * migration the Graph method configurations decide which methods SSPR offers, so the legacy per-method switches of
 * the portal policy are never set here (since 30 September 2025 methods can no longer be managed there).
 */
import { offeredMethodNames, securityQuestionCounts } from "./config";
import type { MethodChoiceInput, Scope, SecurityQuestionCounts, SsprMethods, SsprSettings } from "./ssprArgs";
import type {
  AdministratorPasswordResetSettings,
  AuthenticationMethodConfigurationSettings,
  AuthenticationMethodId,
  AuthenticationMethodsPolicySettings,
  MethodTarget,
  OnDelete,
  PasswordResetPolicySettings,
} from "../provider/objects/objectSettings";
import { methodsPolicyAdminCenterRows } from "./methodsPolicySettings";
import {
  configMethodCatalogue,
  configMethodKeys,
  methodChoiceOf,
  methodPurposes,
  purposeWords,
  type ConfigMethodKey,
  type MethodPurposes,
} from "./methodCatalogue";
import { labelOf } from "./adminCenterLabels";

/** Where users reset their password. */
export const resetUrl = "https://aka.ms/sspr";
/** Where users register their security info (combined registration). */
export const registrationUrl = "https://aka.ms/mysecurityinfo";

/** The Graph target meaning every user. */
export const allUsersTargetId = "all_users";
/** Graph's "no exclusion" sentinel in Authenticator feature settings. */
export const noExclusionTargetId = "00000000-0000-0000-0000-000000000000";

// ---------------------------------------------------------------------------------------------------------------
// Portal API: PasswordResetPolicies
// ---------------------------------------------------------------------------------------------------------------

/** Security questions: `false` turns them off; counts turn them on. Absent: not owned. */
export function securityQuestionsSettings(
  questions: false | SecurityQuestionCounts | undefined,
): PasswordResetPolicySettings["securityQuestions"] {
  if (questions === undefined) return undefined;
  if (questions === false) return { enabled: false };
  return { enabled: true, register: questions.register, reset: questions.reset };
}

/** The custom helpdesk link: `false` turns it off, a link turns it on. Absent: not owned (the tenant's stays). */
export function helpdeskSettings(helpdesk: string | false | undefined): PasswordResetPolicySettings["helpdesk"] {
  if (helpdesk === undefined) return undefined;
  return helpdesk === false ? { customize: false, emailOrUrl: "" } : { customize: true, emailOrUrl: helpdesk };
}

/**
 * The portal policy's settings. `groupId` is generic so the component can pass the id of a group it creates (an
 * Output) while tests pass a string; it is used only with scope `selected`.
 */
export function passwordResetPolicySettings<GroupId = string>(
  settings: SsprSettings,
  groupId?: GroupId,
): Omit<PasswordResetPolicySettings, "groupId"> & { groupId?: GroupId } {
  const policy: Omit<PasswordResetPolicySettings, "groupId"> & { groupId?: GroupId } = { enablement: settings.scope };
  if (settings.scope === "selected") {
    if (groupId === undefined) throw new Error("scope selected needs the pilot group's id");
    policy.groupId = groupId;
  }
  if (settings.methodsRequired !== undefined) policy.methodsRequired = settings.methodsRequired;
  const questions = securityQuestionsSettings(securityQuestionCounts(settings.methods?.securityQuestions));
  if (questions !== undefined) policy.securityQuestions = questions;
  if (settings.registration !== undefined) policy.registration = { ...settings.registration };
  if (settings.notifications !== undefined) policy.notifications = { ...settings.notifications };
  const helpdesk = helpdeskSettings(settings.helpdesk);
  if (helpdesk !== undefined) policy.helpdesk = helpdesk;
  return policy;
}

// ---------------------------------------------------------------------------------------------------------------
// Graph: authentication method configurations
// ---------------------------------------------------------------------------------------------------------------

/** Who the offered methods are added for: everyone, or the pilot group. */
export function methodTargetId(scope: Exclude<Scope, "none">, groupId: string): string {
  return scope === "all" ? allUsersTargetId : groupId;
}

/** One method configuration child, before the scope's target id is known. */
export interface MethodChild {
  /** The child's name is `${componentName}-method-${suffix}`. */
  suffix: string;
  /** Everything but the include targets. */
  settings: Omit<AuthenticationMethodConfigurationSettings, "includeTargets">;
  /** The include target added for the scope, without its id; absent when nothing is added (a method turned off). */
  includeTarget?: Omit<MethodTarget, "id">;
}

/** App name and location shown in Authenticator notifications, for everyone (EIDSCA AM03-AM06, CISA MS.AAD.3.3). */
export const authenticatorFeatureSettings = {
  displayAppInformationRequiredState: {
    state: "enabled",
    includeTarget: { targetType: "group", id: allUsersTargetId },
    excludeTarget: { targetType: "group", id: noExclusionTargetId },
  },
  displayLocationInformationRequiredState: {
    state: "enabled",
    includeTarget: { targetType: "group", id: allUsersTargetId },
    excludeTarget: { targetType: "group", id: noExclusionTargetId },
  },
} as const;

// Every method child adds to the tenant's targets, never replaces them: the methods policy also governs second factors
// and sign-in (methodPurposes.ts).
const add = { includeTargetsMode: "add" } as const;
// assumed: `isRegistrationRequired` has no effect on SSPR (registration is the portal's `registrationRequiredOnSignIn`);
// false is what the admin center writes for a new target.
const plainTarget = { targetType: "group", isRegistrationRequired: false } as const;

function enabledOrDisabled(choice: MethodChoiceInput | undefined): "enabled" | "disabled" | undefined {
  const word = methodChoiceOf(choice);
  if (word === "offer") return "enabled";
  if (word === "disable") return "disabled";
  return undefined;
}

/**
 * The method configuration children the methods ask for. `"leave"` (or absent) manages nothing: the tenant keeps
 * what it has. `"offer"` enables the method and adds the scope's target. `"disable"` turns the method off, which removes it
 * for every other purpose it serves (methodPurposes.ts). Mobile phone is Sms + Voice; office phone is Voice with `isOfficePhoneAllowed`; the two
 * share one Voice child.
 */
export function methodChildren(methods: SsprMethods): MethodChild[] {
  const children: MethodChild[] = [];
  const ownChild = (key: ConfigMethodKey): void => {
    const own = configMethodCatalogue[key].own;
    const state = enabledOrDisabled(methods[key]);
    if (own === undefined || state === undefined) return;
    children.push({
      suffix: own.suffix,
      settings: {
        methodId: own.methodId as AuthenticationMethodId,
        state,
        ...add,
        ...(state === "enabled" ? (ownProperties[key] ?? {}) : {}),
      },
      ...(state === "enabled" ? { includeTarget: { ...plainTarget, ...(own.targetExtras ?? {}) } } : {}),
    });
  };

  ownChild("email");
  const mobile = enabledOrDisabled(methods.mobilePhone);
  if (mobile !== undefined) {
    children.push({
      suffix: "sms",
      settings: { methodId: "Sms", state: mobile, ...add },
      // SSPR does not need SMS sign-in (EIDSCA AS04): a target this stack adds gets it off; existing targets keep theirs.
      ...(mobile === "enabled" ? { includeTarget: { ...plainTarget, isUsableForSignIn: false } } : {}),
    });
  }
  const voice = voiceChild(methods.mobilePhone, methods.officePhone);
  if (voice !== undefined) children.push(voice);
  for (const key of configMethodKeys) if (!["email", "mobilePhone", "officePhone"].includes(key)) ownChild(key);
  return children;
}

/** Method properties the stack sets when it turns a method on. */
const ownProperties: Partial<Record<ConfigMethodKey, Pick<AuthenticationMethodConfigurationSettings, "properties">>> = {
  // unverified: whether SSPR accepts the app's code without `isSoftwareOathEnabled` ("Allow use of Microsoft
  // Authenticator OTP"); it is left as the tenant has it (EIDSCA AM02 recommends it off). Mobile app code is
  // offered through software OATH tokens (`methods.mobileAppCode`) instead.
  authenticatorApp: { properties: { featureSettings: authenticatorFeatureSettings } },
};

/** Voice serves both mobile and office phone calls: one child, merged. */
function voiceChild(
  mobilePhone: MethodChoiceInput | undefined,
  officePhone: MethodChoiceInput | undefined,
): MethodChild | undefined {
  const mobile = enabledOrDisabled(mobilePhone);
  const office = enabledOrDisabled(officePhone);
  if (mobile === undefined && office === undefined) return undefined;
  // Voice is on when either phone asks for it; off only when mobile phone says "disable" and office phone does not
  // ask for it. Office phone alone saying "disable" only clears `isOfficePhoneAllowed`.
  let state: "enabled" | "disabled" | undefined;
  if (mobile === "enabled" || office === "enabled") state = "enabled";
  else if (mobile === "disabled") state = "disabled";
  const properties = office === undefined ? undefined : { isOfficePhoneAllowed: office === "enabled" };
  return {
    suffix: "voice",
    settings: {
      methodId: "Voice",
      ...(state === undefined ? {} : { state }),
      ...add,
      ...(properties === undefined ? {} : { properties }),
    },
    ...(state === "enabled" ? { includeTarget: { ...plainTarget } } : {}),
  };
}

/** A child's include targets once the scope's target id is known; undefined when it adds none. */
export function includeTargets(child: MethodChild, targetId: string): MethodTarget[] | undefined {
  return child.includeTarget === undefined ? undefined : [{ ...child.includeTarget, id: targetId }];
}

/** The full settings of a method configuration child for a known target id. */
export function methodConfigurationSettings(
  child: MethodChild,
  targetId: string,
): AuthenticationMethodConfigurationSettings {
  const targets = includeTargets(child, targetId);
  return targets === undefined ? { ...child.settings } : { ...child.settings, includeTargets: targets };
}

// ---------------------------------------------------------------------------------------------------------------
// The other singletons and the destroy behaviour
// ---------------------------------------------------------------------------------------------------------------

/** Absent: the administrator policy is not managed. */
export function administratorSettings(
  administrators: SsprSettings["administrators"],
): AdministratorPasswordResetSettings | undefined {
  return administrators === undefined ? undefined : { allowedToUseSSPR: administrators.allowed };
}

/** Absent: the methods policy's migration state is not managed. */
export function methodsPolicySettings(
  methodsPolicy: SsprSettings["methodsPolicy"],
): AuthenticationMethodsPolicySettings | undefined {
  return methodsPolicy === undefined ? undefined : { migrationState: methodsPolicy.migrationState };
}

export function onDeleteFor(onDestroy: SsprSettings["onDestroy"]): Extract<OnDelete, "restore" | "retain"> {
  return onDestroy ?? "restore";
}

// ---------------------------------------------------------------------------------------------------------------
// Pilot group members
// ---------------------------------------------------------------------------------------------------------------

export interface DirectoryUser {
  userPrincipalName: string;
  objectId: string;
}

/** Members that the directory did not return (user principal names compare case-insensitively). */
export function missingMembers(userPrincipalNames: readonly string[], found: readonly DirectoryUser[]): string[] {
  const known = new Set(found.map((user) => user.userPrincipalName.toLowerCase()));
  return userPrincipalNames.filter((name) => !known.has(name.toLowerCase()));
}

/** Object ids of the members, in the order given; throws naming every member that does not exist. */
export function memberObjectIds(
  userPrincipalNames: readonly string[],
  found: readonly DirectoryUser[],
  tenantId: string,
): string[] {
  const missing = missingMembers(userPrincipalNames, found);
  if (missing.length > 0) {
    throw new Error(
      `sspr:settings.group.members: users must exist before the pilot: ${missing.join(", ")} ` +
        `not found in tenant ${tenantId}. Create ${missing.length === 1 ? "the user" : "the users"} first, ` +
        "or correct the user principal names.",
    );
  }
  const idByName = new Map(found.map((user) => [user.userPrincipalName.toLowerCase(), user.objectId]));
  return userPrincipalNames.map((name) => idByName.get(name.toLowerCase()) ?? "");
}

// ---------------------------------------------------------------------------------------------------------------
// Words for people: the effective settings as the admin center shows them, and warnings
// ---------------------------------------------------------------------------------------------------------------

export type AdminCenterSettings = Record<string, string | number | string[]>;

const yesNo = (value: boolean): string => (value ? "Yes" : "No");
const scopeWords: Record<Scope, string> = { none: "None", selected: "Selected", all: "All" };

/** The settings this stack manages, labelled as in Entra admin center > Password reset (`adminCenterLabels.ts`). */
export function adminCenterSettings(settings: SsprSettings, existingGroupName?: string): AdminCenterSettings {
  const rows: AdminCenterSettings = { [labelOf("enablement")]: scopeWords[settings.scope] };
  const group = settings.group;
  if (settings.scope === "selected" && group !== undefined) {
    // A group given by id reads by its name where the preview's lookup found it (`existingGroupName`).
    rows[labelOf("selectedGroup")] =
      "id" in group
        ? existingGroupName === undefined
          ? group.id
          : `${existingGroupName} (group ${group.id})`
        : group.displayName;
  }
  if (settings.methodsRequired !== undefined) rows[labelOf("methodsRequired")] = settings.methodsRequired;
  if (settings.scope !== "none" && settings.methods !== undefined) {
    rows[labelOf("methodsAvailable")] = offeredMethodNames(settings.methods);
  }
  const questions = securityQuestionCounts(settings.methods?.securityQuestions);
  if (questions !== undefined && questions !== false) {
    rows[labelOf("questionsToRegister")] = questions.register;
    rows[labelOf("questionsToReset")] = questions.reset;
  }
  if (settings.registration !== undefined) {
    rows[labelOf("requireOnSignIn")] = yesNo(settings.registration.requireOnSignIn);
    rows[labelOf("reconfirmDays")] = settings.registration.reconfirmDays;
  }
  if (settings.notifications !== undefined) {
    rows[labelOf("notifyUsers")] = yesNo(settings.notifications.users);
    rows[labelOf("notifyAdmins")] = yesNo(settings.notifications.admins);
  }
  const helpdesk = helpdeskSettings(settings.helpdesk);
  if (helpdesk !== undefined) {
    rows[labelOf("customizeHelpdesk")] = yesNo(helpdesk.customize);
    if (helpdesk.customize) rows[labelOf("helpdeskEmailOrUrl")] = helpdesk.emailOrUrl;
  }
  if (settings.administrators !== undefined) {
    rows[labelOf("administrators")] = yesNo(settings.administrators.allowed);
  }
  if (settings.methodsPolicy !== undefined) rows[labelOf("migration")] = "Migration Complete";
  Object.assign(rows, methodsPolicyAdminCenterRows(settings));
  return rows;
}

/** Each config method's words, and the purposes of the configurations it turns off ("disable"), from the catalogue. */
const methodWords = Object.fromEntries(
  configMethodKeys.map((key) => {
    const row = configMethodCatalogue[key];
    const first = row.graph[0];
    return [key, [row.disableWords, methodPurposes(first.id, first.facts)]];
  }),
) as Record<ConfigMethodKey, [string, MethodPurposes]>;

/**
 * The Graph configurations a method's "disable" turns off, and those it leaves on because another choice keeps them
 * (office phone keeps Voice on). A configuration with facts (office phone: `isOfficePhoneAllowed`) is off when its
 * child turns the fact off, even while the configuration itself stays on. Pure.
 */
export function disabledConfigurations(
  key: ConfigMethodKey,
  children: MethodChild[],
): { off: string[]; kept: string[] } {
  const off: string[] = [];
  const kept: string[] = [];
  for (const entry of configMethodCatalogue[key].graph) {
    const child = children.find((candidate) => candidate.settings.methodId === entry.id);
    const properties = (child?.settings.properties ?? {}) as Record<string, unknown>;
    const factOff =
      entry.facts !== undefined &&
      Object.entries(entry.facts).some(([fact, value]) => fact in properties && properties[fact] !== value);
    if (child?.settings.state === "disabled" || factOff) off.push(entry.id);
    else kept.push(entry.id);
  }
  return { off, kept };
}

/** What the user should know before applying: choices with effects beyond SSPR. */
export function settingsWarnings(settings: SsprSettings): string[] {
  const warnings: string[] = [];
  const methods = settings.methods ?? {};
  const applied = settings.scope !== "none";
  if (applied) {
    const children = methodChildren(methods);
    for (const [key, [words, purposes]] of Object.entries(methodWords) as [
      keyof typeof methodWords,
      [string, MethodPurposes],
    ][]) {
      if (methodChoiceOf(methods[key]) !== "disable") continue;
      // What "disable" really turns off, given the other choices: a configuration another method keeps on (Voice,
      // for office phone) stays on. One warning per method, saying both, so two warnings never contradict.
      const { off, kept } = disabledConfigurations(key, children);
      if (kept.length === 0) {
        // Said with the purposes it really serves (methodPurposes.ts): Email is no second factor for members.
        warnings.push(
          `${words} is turned off in the authentication methods policy: everyone it reached can no longer use it` +
            `${purposeWords({ ...purposes, notFor: undefined }, { reaches: true }, "or")}.`,
        );
        continue;
      }
      const keepers = (id: string) =>
        configMethodKeys
          .filter(
            (other) =>
              methodChoiceOf(methods[other]) === "offer" && configMethodCatalogue[other].graph.some((g) => g.id === id),
          )
          .map((other) => `${configMethodCatalogue[other].words} (methods.${other}: offer)`)
          .join(" and ");
      const stays = kept.map((id) => `${id} stays on for ${keepers(id)} and still reaches ${words}`).join("; ");
      if (off.length === 0) {
        warnings.push(`${words}: "disable" turns nothing off, because ${stays}.`);
      } else {
        const first = configMethodCatalogue[key].graph.find((entry) => entry.id === off[0]);
        const offPurposes = methodPurposes(off[0], first?.facts);
        warnings.push(
          `${words} is only partly turned off: ${off.join(" and ")} goes off in the authentication methods policy, ` +
            `and everyone it reached can no longer use it` +
            `${purposeWords({ ...offPurposes, notFor: undefined }, { reaches: true }, "or")}; ${stays}.`,
        );
      }
    }
  }
  return warnings;
}
