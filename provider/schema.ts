/**
 * The provider's Pulumi package schema (https://www.pulumi.com/docs/iac/extending-pulumi/schema/): what `GetSchema`
 * answers, from which `pulumi package add` generates an SDK in the consumer's language. Written by hand rather than
 * by the experimental analyzer, which cannot describe the args (unions) nor custom resources.
 *
 * Every setting is optional: an absent setting is not owned (left as the tenant has it, never written, never
 * restored). Validation is the provider's Check, the same for every language.
 */
import { packageName, typeToken, type ResourceTypeName } from "../lib/resourceTypes";
import { version as packageVersion } from "./package.json";
import { configMethodCatalogue, configMethodKeys } from "../components/methodCatalogue";
import { dayWords, entryOf } from "../components/calendar";

type Spec = Record<string, unknown>;

const ref = (name: string): Spec => ({ $ref: `#/types/${packageName}:index:${name}` });
const string = (description: string, extra: Spec = {}): Spec => ({ type: "string", description, ...extra });
const boolean = (description: string): Spec => ({ type: "boolean", description });
const integer = (description: string): Spec => ({ type: "integer", description });
const arrayOf = (items: Spec, description: string): Spec => ({ type: "array", items, description });
const object = (description: string, properties: Record<string, Spec>, required: string[] = []): Spec => ({
  type: "object",
  description,
  properties,
  ...(required.length > 0 ? { required } : {}),
});
/**
 * A closed set of strings: a named type of the schema's `types` (`ComplexTypeSpec` with `enum`, each value an
 * `EnumValueSpec`, in pulumi/pulumi's pkg/codegen/schema/schema.go), referenced by `$ref`. A property itself has no
 * `enum` field (`PropertySpec` in the same file): an inline one is dropped by every reader of the schema, so YAML and
 * the generated SDKs would see a bare string. Every closed set is declared once, in {@link enumTypes}.
 */
const enumOf = (description: string, values: readonly string[]): Spec => ({
  type: "string",
  description,
  enum: values.map((value) => ({ value })),
});

/** The closed sets of the package, by type name: each is `#/types/entra-sspr:index:<name>`. */
const enumTypes = {
  OnDelete: enumOf("What destroy does: restore what was there before adoption (default), retain, or reset.", [
    "restore",
    "retain",
    "reset",
  ]),
  Enablement: enumOf("Properties: who may reset: none, selected (one group) or all", ["none", "selected", "all"]),
  MethodState: enumOf("A method of the authentication methods policy: enabled or disabled", ["enabled", "disabled"]),
  IncludeTargetsMode: enumOf("add (default: only adds the stack's targets) or exact (replaces the tenant's)", [
    "add",
    "exact",
  ]),
  MigrationState: enumOf("The methods policy's migration, forward only", [
    "preMigration",
    "migrationInProgress",
    "migrationComplete",
  ]),
  FeatureState: enumOf("enabled, disabled, or microsoftManaged (Microsoft decides)", [
    "enabled",
    "disabled",
    "microsoftManaged",
  ]),
  MethodChoice: enumOf(
    "A method in the component: offer it, leave the tenant's setting, or disable it (also for MFA sign-in)",
    ["offer", "leave", "disable"],
  ),
  MigrationTarget: enumOf("The component moves the methods policy's migration forward only, to complete", [
    "migrationComplete",
  ]),
  OnDestroy: enumOf("What the component's destroy does: restore (default) or retain", ["restore", "retain"]),
} satisfies Record<string, Spec>;

export type EnumTypeName = keyof typeof enumTypes;

/** A property whose value is one of a named closed set (`$ref`, with the property's own description). */
const oneOf = (name: EnumTypeName, description?: string): Spec => ({
  ...ref(name),
  ...(description === undefined ? {} : { description }),
});

const types: Record<string, Spec> = {
  Endpoints: object(
    "Base URLs of the two control planes (absent: Microsoft's). The lab points both at the local emulator.",
    {
      graph: string("Microsoft Graph root without version, e.g. https://graph.microsoft.com"),
      portal: string("Admin-center portal API root, e.g. https://main.iam.ad.ext.azure.com/api"),
    },
    ["graph", "portal"],
  ),
  OwnershipProof: object(
    "What proves this stack still owns the tenant's SSPR (the outputs of TenantOwnership).",
    { organizationId: string("The tenant's organization object id"), claim: string("The stack's claim") },
    ["organizationId", "claim"],
  ),
  MethodTarget: object(
    "A methods-policy include target: a group object id or all_users, with the method's own members.",
    {
      targetType: string("Always group (user targeting is deprecated)"),
      id: string("A group object id, or all_users"),
      isRegistrationRequired: boolean("Whether registration is required"),
      isUsableForSignIn: boolean("SMS only: usable for one-factor sign-in"),
      authenticationMode: string("Microsoft Authenticator only: any, deviceBasedPush or push"),
    },
    ["targetType", "id"],
  ),
  ExcludeTarget: object("A methods-policy exclude target.", { targetType: string("group"), id: string("Group id") }, [
    "targetType",
    "id",
  ]),
};

const commonInputs: Record<string, Spec> = {
  tenantId: string("Directory (tenant) id: a GUID or a verified domain name"),
  endpoints: ref("Endpoints"),
  onDelete: ref("OnDelete"),
  ownership: ref("OwnershipProof"),
};

const singletonOutputs: Record<string, Spec> = {
  snapshot: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" }, description: "What was there" },
  snapshotAbsent: arrayOf({ type: "string" }, "Fields the tenant did not have before adoption"),
  current: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" }, description: "Owned settings now" },
};

const anyObject = (description: string): Spec => ({
  type: "object",
  additionalProperties: { $ref: "pulumi.json#/Any" },
  description,
});

const resourceInputs: Record<ResourceTypeName, { description: string; inputs: Record<string, Spec> }> = {
  PasswordResetPolicy: {
    description:
      "The user-side SSPR settings of the admin center's Password reset blade (portal API PasswordResetPolicies, " +
      "undocumented and unsupported by Microsoft). Adopted on create; destroy restores what the stack changed.",
    inputs: {
      enablement: oneOf("Enablement", "Properties: SSPR enabled"),
      groupId: string("The one group allowed to reset, with enablement selected"),
      methodsRequired: integer("Number of methods required to reset: 1 or 2"),
      securityQuestions: anyObject("{ enabled, register 3-5, reset 3-5 }"),
      legacyMethods: anyObject("The legacy per-method switches (decide nothing after the methods-policy migration)"),
      registration: anyObject("{ requireOnSignIn, reconfirmDays 0-730 }"),
      notifications: anyObject("{ users, admins }"),
      helpdesk: anyObject("{ customize, emailOrUrl }"),
    },
  },
  AuthenticationMethodConfiguration: {
    description:
      "One method of the Graph authentication methods policy (it governs SSPR and MFA sign-in): targets are only " +
      "added to a method in force; destroy takes back what the stack added.",
    inputs: {
      methodId: string("Email, Sms, Voice, MicrosoftAuthenticator, SoftwareOath, ..."),
      state: oneOf("MethodState", "enabled or disabled"),
      includeTargets: arrayOf(ref("MethodTarget"), "Targets the method is given"),
      includeTargetsMode: oneOf("IncludeTargetsMode", "add (default) or exact"),
      excludeTargets: arrayOf(ref("ExcludeTarget"), "Replaces the tenant's exclusions when present"),
      properties: anyObject("The method's own fields, as Graph names them"),
    },
  },
  AuthenticationMethodsPolicy: {
    description: "The root of the Graph authentication methods policy (registration campaign, settings, migration).",
    inputs: {
      registrationCampaign: anyObject("Registration campaign: { state, snoozeDurationInDays, includeTargets, ... }"),
      reportSuspiciousActivity: anyObject("Report suspicious activity (Graph beta)"),
      systemCredentialPreferences: anyObject("System-preferred MFA (Graph beta)"),
      migrationState: oneOf("MigrationState", "Forward only"),
    },
  },
  AdministratorPasswordReset: {
    description: "SSPR for administrators: Graph authorizationPolicy.allowedToUseSSPR (not the switch for users).",
    inputs: { allowedToUseSSPR: boolean("Whether administrators may use SSPR") },
  },
  PilotGroupRelease: {
    description:
      "Deletes the pilot group the stack created, on destroy, only while the stack still owns the tenant and " +
      "nothing in the tenant (the SSPR policy, any method target) names the group.",
    inputs: {
      groupId: string("The created group's object id"),
      displayName: string("The created group's name"),
    },
  },
  TenantOwnership: {
    description: "The ownership claim: which stack manages this tenant's SSPR (kept in the tenant).",
    inputs: {
      stack: string("Fully qualified name of this stack: organization/project/stack"),
      takeOverFrom: string("The stack this one takes the tenant over from"),
      needs: arrayOf(anyObject("A grant the stack's writes need"), "Checked before the claim"),
    },
  },
};

const ownershipOutputs: Record<string, Spec> = {
  organizationId: string("The tenant's organization object id"),
  claim: string("This stack's claim"),
  claimedAt: string("When it was claimed"),
  owner: string("Who the mark names at the last refresh"),
};

function resourceSpec(name: ResourceTypeName): Spec {
  const { description, inputs } = resourceInputs[name];
  const isOwnership = name === "TenantOwnership";
  // The ownership claim is removed on destroy whatever happens: it has no onDelete.
  const { onDelete, ...targetInputs } = commonInputs;
  const inputProperties = { ...(isOwnership ? targetInputs : { ...targetInputs, onDelete }), ...inputs };
  const required = isOwnership ? ["tenantId", "stack"] : ["tenantId"];
  return {
    description,
    inputProperties,
    requiredInputs:
      name === "AuthenticationMethodConfiguration"
        ? [...required, "methodId"]
        : name === "PilotGroupRelease"
          ? [...required, "groupId", "displayName"]
          : required,
    properties: {
      ...inputProperties,
      ...(isOwnership ? ownershipOutputs : name === "PilotGroupRelease" ? {} : singletonOutputs),
    },
    required: isOwnership ? [...required, "organizationId", "claim"] : required,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The component: the Password reset blade in admin-center words (translated by `componentArgs.ts`).
// ---------------------------------------------------------------------------------------------------------------

const featureState = oneOf("FeatureState");
const groupIds = (description: string): Spec => arrayOf({ type: "string" }, description);
const methodChoice = (description: string): Spec =>
  oneOf("MethodChoice", `${description}: offer it, leave the tenant's setting, or disable it (also for MFA sign-in)`);

const componentTypes: Record<string, Spec> = {
  PilotGroup: object("Scope selected takes one group: an existing one (id), or one the stack creates (displayName)", {
    id: string("An existing security group's object id"),
    displayName: string("The name of a security group the stack creates"),
    members: arrayOf({ type: "string" }, "The created group's members, by user principal name"),
  }),
  SecurityQuestions: object(
    `Security questions (retiring ${dayWords(entryOf("security-questions-end").date)}; never for administrators)`,
    {
      enabled: boolean("Whether users may reset with security questions"),
      register: integer("Questions to register, 3-5"),
      reset: integer("Questions asked at reset, 3-5, at most register"),
    },
    ["enabled"],
  ),
  Methods: object("Authentication methods: which the stack offers, leaves or disables", {
    ...Object.fromEntries(configMethodKeys.map((key) => [key, methodChoice(configMethodCatalogue[key].schemaWords)])),
    securityQuestions: ref("SecurityQuestions"),
  }),
  Registration: object(
    "Registration: require users to register at sign-in, and days before they re-confirm",
    { requireOnSignIn: boolean("Require at sign-in"), reconfirmDays: integer("0-730; 0 = never ask") },
    ["requireOnSignIn", "reconfirmDays"],
  ),
  Notifications: object(
    "Notifications",
    { users: boolean("Notify users on password resets"), admins: boolean("Notify all admins when admins reset") },
    ["users", "admins"],
  ),
  Administrators: object("SSPR for administrators", { allowed: boolean("Whether administrators may use SSPR") }, [
    "allowed",
  ]),
  MethodsPolicyMigration: object(
    "The authentication methods policy's migration",
    { migrationState: oneOf("MigrationTarget", "Forward only") },
    ["migrationState"],
  ),
  RegistrationCampaign: object(
    "Registration campaign (nudge users to register Microsoft Authenticator)",
    {
      state: featureState,
      snoozeDays: integer("Days a user may snooze, 0-14"),
      targets: groupIds('["all"] (All users) or group object ids'),
      excludeGroups: groupIds("Group object ids never nudged"),
    },
    ["state"],
  ),
  ReportSuspiciousActivity: object(
    "Report suspicious activity (Graph beta)",
    {
      state: featureState,
      target: string("all, or one group object id"),
      voiceReportingCode: integer("The digit a user presses to report a call, 0-9"),
    },
    ["state"],
  ),
  SystemPreferredMfa: object(
    "System-preferred MFA (Graph beta)",
    {
      state: featureState,
      includeGroups: groupIds('["all"] (All users) or group object ids'),
      excludeGroups: groupIds("Group object ids"),
    },
    ["state"],
  ),
  Workspace: object("A new Log Analytics workspace (name) or an existing one (id)", {
    name: string("4-63 letters, digits and hyphens"),
    retentionDays: integer("Days the workspace keeps logs, 30-730"),
    id: string("An existing workspace's Azure resource id"),
  }),
  Monitoring: object(
    "SSPR monitoring in Azure: audit logs to Log Analytics, and alerts",
    {
      subscriptionId: string("The Azure subscription (GUID)"),
      resourceGroup: string("An existing resource group"),
      location: string("Azure region, e.g. westeurope"),
      workspace: ref("Workspace"),
      notify: arrayOf({ type: "string" }, "Email addresses that get the alerts"),
      administrators: arrayOf({ type: "string" }, "Administrators whose own resets raise an alert"),
      deployers: arrayOf({ type: "string" }, "Identities whose changes are the stack's own"),
      resetBurstPerHour: integer("Self-service resets in one hour that count as a burst (default 10)"),
      blockedBurstPerHour: integer("Blocked reset attempts in one hour that count as a burst (default 3)"),
    },
    ["subscriptionId", "resourceGroup", "location", "workspace", "notify"],
  ),
};

const componentInputs: Record<string, Spec> = {
  tenantId: string("Directory (tenant) id: a GUID or a verified domain name"),
  endpoints: ref("Endpoints"),
  takeOverFrom: string("The stack (organization/project/stack) this one takes the tenant over from"),
  scope: oneOf("Enablement", "Properties: who may reset"),
  group: ref("PilotGroup"),
  methodsRequired: integer("Number of methods required to reset: 1 or 2"),
  methods: ref("Methods"),
  registration: ref("Registration"),
  notifications: ref("Notifications"),
  helpdesk: string('Customization: an https URL or an email address; "none" for no custom link; absent: left alone'),
  administrators: ref("Administrators"),
  methodsPolicy: ref("MethodsPolicyMigration"),
  registrationCampaign: ref("RegistrationCampaign"),
  reportSuspiciousActivity: ref("ReportSuspiciousActivity"),
  systemPreferredMfa: ref("SystemPreferredMfa"),
  monitoring: ref("Monitoring"),
  ownTelephonyProvider: boolean(
    "The tenant contracts its own telephony provider for SMS and voice (a fact, never written): phones keep counting " +
      "after Microsoft-provided calls end",
  ),
  onDestroy: oneOf("OnDestroy", "restore (default) or retain"),
};

const component: Spec = {
  isComponent: true,
  description:
    "Microsoft Entra ID self-service password reset: the whole Password reset blade and the administrator policy, " +
    "validated before anything is registered, judged by its effect on people, and restored on destroy.",
  inputProperties: componentInputs,
  requiredInputs: ["tenantId", "scope"],
  properties: {
    resetUrl: string("Where users reset their password (https://aka.ms/sspr)"),
    registrationUrl: string("Where users register their methods (https://aka.ms/mysecurityinfo)"),
    groupId: string("The group allowed to reset with scope selected"),
    settings: anyObject("The settings this stack manages, in admin-center words"),
  },
  required: ["resetUrl", "registrationUrl", "settings"],
};

/**
 * The provider's own configuration (`provider/providerConfig.ts`): `entra-sspr:tenantId` and `entra-sspr:endpoints`
 * in a stack file. `config.variables` is `ConfigSpec` and `provider` a `ResourceSpec` in pulumi/pulumi's
 * pkg/codegen/schema/schema.go. The SSPR settings are the program's (`sspr:settings`) and never listed here.
 */
const providerConfigInputs: Record<string, Spec> = {
  tenantId: string(
    "The tenant a deployment signs in to: its id (a GUID) or a verified domain name. Another tenant replaces every " +
      "object the provider serves.",
  ),
  endpoints: ref("Endpoints"),
};

export const entraSchema = {
  name: packageName,
  displayName: "Entra ID self-service password reset",
  version: packageVersion,
  description:
    "Microsoft Entra ID self-service password reset (SSPR) as code: the Password reset blade and its methods",
  license: "MIT",
  meta: { moduleFormat: "(.*)" },
  language: { nodejs: { dependencies: { "@pulumi/pulumi": "^3.0.0" } } },
  config: { variables: providerConfigInputs },
  provider: {
    description: "The entra-sspr provider: which tenant it signs in to, and where Microsoft's control planes are",
    inputProperties: providerConfigInputs,
  },
  types: Object.fromEntries(
    Object.entries({ ...enumTypes, ...types, ...componentTypes }).map(([name, spec]) => [
      `${packageName}:index:${name}`,
      spec,
    ]),
  ),
  resources: {
    ...Object.fromEntries(
      (Object.keys(resourceInputs) as ResourceTypeName[]).map((name) => [typeToken(name), resourceSpec(name)]),
    ),
    [typeToken("SelfServicePasswordReset")]: component,
  },
};
