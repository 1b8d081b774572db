/**
 * PasswordResetPolicy: the user-side SSPR settings of the admin center (Password reset blade), which live only in the
 * undocumented portal API `PasswordResetPolicies` (no public API exists). The portal takes the WHOLE object on PUT,
 * so every write sends back what was read with only the owned fields replaced: hidden and unknown fields, the
 * capability flags (`*OptionAllowed`) and `securityQuestions[]` pass through untouched.
 */
import type { EntraClient } from "../http/client";
import { legacyMethodInputs } from "../../components/methodCatalogue";
import {
  tenantOfImportId,
  type CheckFailure,
  type CheckedTarget,
  type OwnedSettings,
  type RemoteDocument,
  type SingletonSpec,
} from "./singletonSpec";
import { compact, isUnknown } from "./jsonValues";
import { checkBoolean, checkEnum, checkInteger, checkObject, failure, withoutRedundant } from "./inputChecks";
import { singletonProvider } from "./singletonProvider";
import {
  helpdeskMaxLength,
  isEmailAddress,
  isGuid,
  isHttpsUrl,
  isRecord,
  shownTextFailure,
  shownTextProblem,
} from "../../lib/predicates";
import { requireIntroducedGroups } from "../reader/groupExistence";
import type { PasswordResetPolicySettings } from "./objectSettings";
import { tenantObjectPaths } from "../../lib/endpoints";
import { directoryRoles } from "../reader/directoryRoles";
import { enablementOf, enablementTypes, groupIdOf, passwordResetPolicyImportable } from "../../lib/tenantCodecs";

export { passwordResetPolicyImportable };

export const passwordResetPolicyPath = tenantObjectPaths.passwordResetPolicy;
/** The directory role the portal API needs (it refuses app-only tokens). */
export const passwordResetPolicyPermission = directoryRoles.authenticationPolicyAdministrator.name;

export type PasswordResetPolicyInputs = CheckedTarget & PasswordResetPolicySettings;

const settingKeys = [
  "enablement",
  "groupId",
  "methodsRequired",
  "securityQuestions",
  "legacyMethods",
  "registration",
  "notifications",
  "helpdesk",
] as const;

/** Admin-center legacy method switch -> portal field (the method catalogue's). */
const legacyMethodFields = legacyMethodInputs;

// ---------------------------------------------------------------------------------------------------------------
// Validation (pure)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Every problem with the settings, at once. The legacy per-method flags are accepted as they are: they decide SSPR
 * methods only before the authentication-methods-policy migration (after it the Graph method configurations do, and
 * whether the portal then ignores or rejects changes to them is unverified). A provider's check cannot warn,
 * so this is documented here and in docs/portal-api.md instead.
 */
export function validatePasswordResetPolicy(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const { enablement, groupId } = inputs;
  failures.push(...checkEnum("enablement", enablement, ["none", "selected", "all"], true));
  if (!isUnknown(enablement) && !isUnknown(groupId)) {
    if (enablement === "selected" && !isGuid(groupId)) {
      failures.push(
        failure(
          "groupId",
          groupId,
          'the object id (a GUID) of the one group allowed to reset; required with enablement "selected"',
        ),
      );
    } else if (enablement !== "selected" && groupId !== undefined) {
      failures.push(
        failure(
          "groupId",
          groupId,
          `absent unless enablement is "selected" (enablement is ${JSON.stringify(enablement ?? null)})`,
        ),
      );
    }
  }
  failures.push(...checkEnum("methodsRequired", inputs.methodsRequired, [1, 2], true));

  if (inputs.securityQuestions !== undefined) {
    const questions = checkObject(
      "securityQuestions",
      inputs.securityQuestions,
      ["enabled", "register", "reset"],
      ["enabled"],
      failures,
    );
    if (questions) {
      failures.push(...checkBoolean("securityQuestions.enabled", questions.enabled));
      failures.push(
        ...checkInteger("securityQuestions.register", questions.register, 3, 5, true, "questions to register"),
      );
      failures.push(...checkInteger("securityQuestions.reset", questions.reset, 3, 5, true, "questions to reset"));
      const { register, reset } = questions;
      if (typeof register === "number" && typeof reset === "number" && register < reset) {
        failures.push(failure("securityQuestions.register", register, `at least securityQuestions.reset (${reset})`));
      }
    }
  }

  if (inputs.legacyMethods !== undefined) {
    const methods = checkObject("legacyMethods", inputs.legacyMethods, Object.keys(legacyMethodFields), [], failures);
    if (methods) {
      for (const key of Object.keys(legacyMethodFields)) {
        failures.push(...checkBoolean(`legacyMethods.${key}`, methods[key], true));
      }
    }
  }

  if (inputs.registration !== undefined) {
    const registration = checkObject(
      "registration",
      inputs.registration,
      ["requireOnSignIn", "reconfirmDays"],
      ["requireOnSignIn", "reconfirmDays"],
      failures,
    );
    if (registration) {
      failures.push(...checkBoolean("registration.requireOnSignIn", registration.requireOnSignIn));
      failures.push(
        ...checkInteger(
          "registration.reconfirmDays",
          registration.reconfirmDays,
          0,
          730,
          false,
          "days; 0 = never ask again",
        ),
      );
    }
  }

  if (inputs.notifications !== undefined) {
    const notifications = checkObject(
      "notifications",
      inputs.notifications,
      ["users", "admins"],
      ["users", "admins"],
      failures,
    );
    if (notifications) {
      failures.push(...checkBoolean("notifications.users", notifications.users));
      failures.push(...checkBoolean("notifications.admins", notifications.admins));
    }
  }

  if (inputs.helpdesk !== undefined) {
    const helpdesk = checkObject(
      "helpdesk",
      inputs.helpdesk,
      ["customize", "emailOrUrl"],
      ["customize", "emailOrUrl"],
      failures,
    );
    if (helpdesk) {
      failures.push(...checkBoolean("helpdesk.customize", helpdesk.customize));
      const { customize, emailOrUrl } = helpdesk;
      if (!isUnknown(emailOrUrl)) {
        if (typeof emailOrUrl !== "string") {
          failures.push(failure("helpdesk.emailOrUrl", emailOrUrl, "a string (an https URL or an email address)"));
        } else if (shownTextProblem(emailOrUrl, helpdeskMaxLength) !== undefined) {
          failures.push(shownTextFailure("helpdesk.emailOrUrl", emailOrUrl, helpdeskMaxLength));
        } else if (customize === true && !isHttpsUrl(emailOrUrl) && !isEmailAddress(emailOrUrl)) {
          failures.push(
            failure(
              "helpdesk.emailOrUrl",
              emailOrUrl,
              "an https URL or an email address when helpdesk.customize is true",
            ),
          );
        }
      }
    }
  }
  return withoutRedundant(failures);
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping between admin-center settings and portal fields (pure)
// ---------------------------------------------------------------------------------------------------------------

/** The portal fields the given settings own. The group fields are owned only with `enablement: "selected"`. */
export function passwordResetPolicyFields(inputs: PasswordResetPolicySettings): string[] {
  const fields: string[] = [];
  if (inputs.enablement !== undefined) fields.push("enablementType");
  // The group name is owned with the group id so that restore puts the original name back as well (the portal
  // stores what it is given and tools send "" with a new group).
  if (inputs.groupId !== undefined) fields.push("passwordResetEnabledGroupIds", "passwordResetEnabledGroupName");
  if (inputs.methodsRequired !== undefined) fields.push("numberOfAuthenticationMethodsRequired");
  if (inputs.securityQuestions !== undefined) {
    fields.push("securityQuestionsOptionEnabled");
    if (inputs.securityQuestions.register !== undefined) fields.push("numberOfQuestionsToRegister");
    if (inputs.securityQuestions.reset !== undefined) fields.push("numberOfQuestionsToReset");
  }
  for (const [key, field] of Object.entries(legacyMethodFields)) {
    if (inputs.legacyMethods?.[key as keyof typeof inputs.legacyMethods] !== undefined) fields.push(field);
  }
  if (inputs.registration !== undefined)
    fields.push("registrationRequiredOnSignIn", "registrationReconfirmIntevalInDays");
  if (inputs.notifications !== undefined) fields.push("notifyUsersOnPasswordReset", "notifyOnAdminPasswordReset");
  if (inputs.helpdesk !== undefined) fields.push("customizeHelpdeskLink", "customHelpdeskEmailOrUrl");
  return fields;
}

/**
 * Every portal field a stack's settings may own (each setting given): what the first claim keeps of this policy's
 * before in the tenant, read beside the mark, before the stack's settings are known to the plugin (tenantBefore.ts).
 */
export function passwordResetPolicyOwnableFields(): string[] {
  return passwordResetPolicyFields({
    enablement: "all",
    groupId: "",
    methodsRequired: 1,
    securityQuestions: { enabled: true, register: 3, reset: 3 },
    legacyMethods: Object.fromEntries(Object.keys(legacyMethodFields).map((key) => [key, true])),
    registration: { requireOnSignIn: true, reconfirmDays: 180 },
    notifications: { users: true, admins: true },
    helpdesk: { customize: false, emailOrUrl: "" },
  });
}

function field(remote: RemoteDocument, name: string): unknown {
  return remote[name] ?? null;
}

/** The owned settings as the portal object has them (normalised: group id lower-cased). */
export function passwordResetPolicyOwned(remote: RemoteDocument, inputs: PasswordResetPolicySettings): OwnedSettings {
  const owned: OwnedSettings = {};
  if (inputs.enablement !== undefined) owned.enablement = enablementOf(remote.enablementType);
  if (inputs.groupId !== undefined) owned.groupId = groupIdOf(remote.passwordResetEnabledGroupIds);
  if (inputs.methodsRequired !== undefined)
    owned.methodsRequired = field(remote, "numberOfAuthenticationMethodsRequired");
  if (inputs.securityQuestions !== undefined) {
    owned.securityQuestions = compact({
      enabled: field(remote, "securityQuestionsOptionEnabled"),
      register:
        inputs.securityQuestions.register !== undefined ? field(remote, "numberOfQuestionsToRegister") : undefined,
      reset: inputs.securityQuestions.reset !== undefined ? field(remote, "numberOfQuestionsToReset") : undefined,
    });
  }
  if (inputs.legacyMethods !== undefined) {
    const methods: Record<string, unknown> = {};
    for (const [key, name] of Object.entries(legacyMethodFields)) {
      if (inputs.legacyMethods[key as keyof typeof inputs.legacyMethods] !== undefined)
        methods[key] = field(remote, name);
    }
    owned.legacyMethods = methods;
  }
  if (inputs.registration !== undefined) {
    owned.registration = {
      requireOnSignIn: field(remote, "registrationRequiredOnSignIn"),
      reconfirmDays: field(remote, "registrationReconfirmIntevalInDays"),
    };
  }
  if (inputs.notifications !== undefined) {
    owned.notifications = {
      users: field(remote, "notifyUsersOnPasswordReset"),
      admins: field(remote, "notifyOnAdminPasswordReset"),
    };
  }
  if (inputs.helpdesk !== undefined) {
    owned.helpdesk = {
      customize: field(remote, "customizeHelpdeskLink"),
      emailOrUrl: field(remote, "customHelpdeskEmailOrUrl"),
    };
  }
  return owned;
}

/** The owned settings as the inputs want them, normalised like `passwordResetPolicyOwned`. */
export function passwordResetPolicyDesired(inputs: PasswordResetPolicySettings): OwnedSettings {
  const desired: OwnedSettings = {};
  if (inputs.enablement !== undefined) desired.enablement = inputs.enablement;
  if (inputs.groupId !== undefined) desired.groupId = inputs.groupId.toLowerCase();
  if (inputs.methodsRequired !== undefined) desired.methodsRequired = inputs.methodsRequired;
  if (inputs.securityQuestions !== undefined) desired.securityQuestions = compact({ ...inputs.securityQuestions });
  if (inputs.legacyMethods !== undefined) desired.legacyMethods = compact({ ...inputs.legacyMethods });
  if (inputs.registration !== undefined) desired.registration = { ...inputs.registration };
  if (inputs.notifications !== undefined) desired.notifications = { ...inputs.notifications };
  if (inputs.helpdesk !== undefined) desired.helpdesk = { ...inputs.helpdesk };
  return desired;
}

/** The portal fields that realise `next`; fields whose setting is unchanged keep the remote's value exactly. */
export function passwordResetPolicyToPortal(
  next: OwnedSettings,
  remote: RemoteDocument,
  inputs: PasswordResetPolicySettings,
): RemoteDocument {
  const raw: RemoteDocument = {};
  if (typeof next.enablement === "string" && next.enablement in enablementTypes) {
    raw.enablementType = enablementTypes[next.enablement];
  }
  if (typeof next.groupId === "string") {
    const sameGroup = groupIdOf(remote.passwordResetEnabledGroupIds) === next.groupId;
    raw.passwordResetEnabledGroupIds = sameGroup ? remote.passwordResetEnabledGroupIds : [next.groupId];
    // Tools send an empty name with a new group (the portal resolves it); an unchanged group keeps its name.
    raw.passwordResetEnabledGroupName = sameGroup ? (remote.passwordResetEnabledGroupName ?? null) : "";
  }
  if (next.methodsRequired !== undefined) raw.numberOfAuthenticationMethodsRequired = next.methodsRequired;
  if (isRecord(next.securityQuestions)) {
    raw.securityQuestionsOptionEnabled = next.securityQuestions.enabled;
    if (next.securityQuestions.register !== undefined)
      raw.numberOfQuestionsToRegister = next.securityQuestions.register;
    if (next.securityQuestions.reset !== undefined) raw.numberOfQuestionsToReset = next.securityQuestions.reset;
  }
  if (isRecord(next.legacyMethods)) {
    for (const [key, name] of Object.entries(legacyMethodFields)) {
      if (next.legacyMethods[key] !== undefined) raw[name] = next.legacyMethods[key];
    }
  }
  if (isRecord(next.registration)) {
    raw.registrationRequiredOnSignIn = next.registration.requireOnSignIn;
    raw.registrationReconfirmIntevalInDays = next.registration.reconfirmDays;
  }
  if (isRecord(next.notifications)) {
    raw.notifyUsersOnPasswordReset = next.notifications.users;
    raw.notifyOnAdminPasswordReset = next.notifications.admins;
  }
  if (isRecord(next.helpdesk)) {
    raw.customizeHelpdeskLink = next.helpdesk.customize;
    raw.customHelpdeskEmailOrUrl = next.helpdesk.emailOrUrl;
  }
  // Only fields the inputs own may be written.
  const owned = passwordResetPolicyFields(inputs);
  for (const key of Object.keys(raw)) if (!owned.includes(key)) delete raw[key];
  return raw;
}

/**
 * The whole portal object to PUT: the remote as read, owned fields replaced, everything else unchanged. A field set
 * to `undefined` is left out: on restore, a field the object did not have before adoption (the portal stores the
 * object it is given); a field set to `null` is sent as `null`, as it was.
 */
export function passwordResetPolicyPutBody(remote: RemoteDocument, changed: RemoteDocument): RemoteDocument {
  const body: RemoteDocument = { ...remote, ...changed };
  for (const [key, value] of Object.entries(changed)) if (value === undefined) delete body[key];
  return body;
}

/** The portal's password reset policy, as read (the whole object: a PUT sends it back whole). */
export async function readPasswordResetPolicy(client: EntraClient): Promise<RemoteDocument> {
  // unverified: `?getPasswordResetEnabledGroup=true` would also resolve the group's name; the plain GET is what
  // every tool reads before its PUT, so the name is passed through as read.
  const response = await client.send({
    api: "portal",
    method: "GET",
    path: passwordResetPolicyPath,
    permission: passwordResetPolicyPermission,
  });
  if (!isRecord(response.body)) {
    throw new Error("PasswordResetPolicy: the portal API returned no PasswordResetPolicies object");
  }
  return response.body;
}

export const passwordResetPolicySpec: SingletonSpec<PasswordResetPolicyInputs> = {
  kind: "PasswordResetPolicy",
  // Destroy removes this policy first (it depends on every other object): its read takes the methods policy along.
  readsOnDelete: { methodsPolicy: true, passwordResetPolicy: false },
  settingKeys,
  supportsReset: false,
  validate: validatePasswordResetPolicy,
  id: (inputs) => `${inputs.tenantId}/passwordResetPolicies/default`,
  get: (client) => readPasswordResetPolicy(client),
  rawFields: passwordResetPolicyFields,
  importId: (id) => tenantOfImportId(id, "passwordResetPolicies/default"),
  importable: passwordResetPolicyImportable,
  owned: passwordResetPolicyOwned,
  desired: (inputs) => passwordResetPolicyDesired(inputs),
  toRaw: passwordResetPolicyToPortal,
  async send(client, inputs, remote, changed) {
    await requireIntroducedGroups(client, "PasswordResetPolicy", { inputs, remote, changed });
    // unverified: the PUT's status and body; any 2xx is accepted and the lifecycle reads back and compares.
    await client.send({
      api: "portal",
      method: "PUT",
      path: passwordResetPolicyPath,
      body: passwordResetPolicyPutBody(remote, changed),
      permission: passwordResetPolicyPermission,
    });
  },
  // The portal may resolve the group's display name itself; the name is put back on restore but not verified.
  unverifiable: ["passwordResetEnabledGroupName"],
  restoreFollowers: { passwordResetEnabledGroupName: "passwordResetEnabledGroupIds" },
  // The whole object is PUT, so a field absent before adoption can be absent again and a null one null again.
  restorable: (changed) => changed,
};

export const passwordResetPolicyProvider = singletonProvider(passwordResetPolicySpec);
