/**
 * AuthenticationMethodConfiguration: one method of the Graph authentication methods policy (Email, Sms, Voice,
 * MicrosoftAuthenticator, ...). Since the methods policy governs MFA sign-in as well as SSPR, include targets are
 * ADDED to the tenant's by default (`includeTargetsMode: "add"`): nobody loses a method they sign in with unless the
 * configuration says `exact`. Writes are PATCHes of the changed properties only, with the `@odata.type` Graph needs.
 */
import {
  betaOnlyMethodIds,
  includeTargetExtras,
  methodODataTypes as catalogueODataTypes,
} from "../../components/methodCatalogue";
import { authenticationMethodsPolicyPermission, methodsPolicyPath } from "./authenticationMethodsPolicy";
import type { CheckFailure, CheckedTarget, OwnedSettings, RemoteDocument, SingletonSpec } from "./singletonSpec";
import { compact, deepMerge, isUnknown, keptOrMerged, project, recordOf } from "./jsonValues";
import { canonicalTarget, canonicalTargets, targetKey, targetsToRaw, zeroGuid } from "./targetLists";
import { checkBoolean, checkEnum, checkInteger, checkObject, failure, withoutRedundant } from "./inputChecks";
import { singletonProvider } from "./singletonProvider";
import { isGuid, isRecord } from "../../lib/predicates";
import { desiredIncludeTargets } from "./targetEffect";
import { authenticationMethodIds } from "./objectSettings";
import { requireIntroducedGroups } from "../reader/groupExistence";
import { onGraphBeta, tenantObjectPaths } from "../../lib/endpoints";
import type { AuthenticationMethodConfigurationSettings, AuthenticationMethodId } from "./objectSettings";

/** A method configuration is part of the methods policy: the same permission reads and writes both. */
export const authenticationMethodPermission = authenticationMethodsPolicyPermission;

export type AuthenticationMethodConfigurationInputs = CheckedTarget &
  AuthenticationMethodConfigurationSettings & { includeTargetsMode: "add" | "exact" };

/** `@odata.type` per method id, for a PATCH when the GET did not carry one (from the method catalogue). */
export const methodODataTypes = catalogueODataTypes as Readonly<Record<AuthenticationMethodId, string>>;

/** The whole policy on v1.0: it lists every v1.0 method configuration. */
const methodsPolicyV1Path = methodsPolicyPath([]);

export function methodConfigurationPath(methodId: string): string {
  const path = `${tenantObjectPaths.authenticationMethodsPolicy}/authenticationMethodConfigurations/${methodId}`;
  return betaOnlyMethodIds.includes(methodId) ? onGraphBeta(path) : path;
}

/** Authenticator feature settings Graph lets a tenant change (number matching is enforced by Microsoft). */
const featureNames = [
  "displayAppInformationRequiredState",
  "displayLocationInformationRequiredState",
  "companionAppAllowedState",
];

/**
 * What Graph reports for a feature setting nobody has touched (assumed from the Graph docs' examples): Microsoft
 * managed, everyone included, nobody excluded (the zero-GUID sentinel).
 */
const defaultFeatureSetting = {
  state: "default",
  includeTarget: { targetType: "group", id: "all_users" },
  excludeTarget: { targetType: "group", id: zeroGuid },
};

// ---------------------------------------------------------------------------------------------------------------
// Validation (pure)
// ---------------------------------------------------------------------------------------------------------------

type PropertyCheck = (property: string, value: unknown, failures: CheckFailure[]) => void;

const booleanProperty: PropertyCheck = (property, value, failures) => failures.push(...checkBoolean(property, value));

function integerProperty(min: number, max: number, note: string): PropertyCheck {
  return (property, value, failures) => failures.push(...checkInteger(property, value, min, max, false, note));
}

function targetIdCheck(property: string, value: unknown, allowAllUsers: boolean): CheckFailure[] {
  if (isUnknown(value) || isGuid(value)) return [];
  if (allowAllUsers && typeof value === "string" && value.toLowerCase() === "all_users") return [];
  return [
    failure(property, value, allowAllUsers ? 'a group object id (GUID) or "all_users"' : "a group object id (GUID)"),
  ];
}

/** `{targetType: "group", id}` as Authenticator feature settings use it. */
function checkFeatureTarget(property: string, value: unknown, allowAllUsers: boolean, failures: CheckFailure[]): void {
  const target = checkObject(property, value, ["targetType", "id"], ["targetType", "id"], failures);
  if (!target) return;
  failures.push(...checkEnum(`${property}.targetType`, target.targetType, ["group"]));
  failures.push(...targetIdCheck(`${property}.id`, target.id, allowAllUsers));
}

const featureSettingsProperty: PropertyCheck = (property, value, failures) => {
  const settings = checkObject(property, value, [...featureNames, "numberMatchingRequiredState"], [], failures);
  if (!settings) return;
  if (settings.numberMatchingRequiredState !== undefined) {
    failures.push(
      failure(
        `${property}.numberMatchingRequiredState`,
        settings.numberMatchingRequiredState,
        "absent: number matching is enforced by Microsoft and can no longer be changed",
      ),
    );
  }
  for (const name of featureNames) {
    if (settings[name] === undefined) continue;
    const setting = checkObject(
      `${property}.${name}`,
      settings[name],
      ["state", "includeTarget", "excludeTarget"],
      [],
      failures,
    );
    if (!setting) continue;
    failures.push(...checkEnum(`${property}.${name}.state`, setting.state, ["default", "enabled", "disabled"], true));
    if (setting.includeTarget !== undefined)
      checkFeatureTarget(`${property}.${name}.includeTarget`, setting.includeTarget, true, failures);
    if (setting.excludeTarget !== undefined)
      checkFeatureTarget(`${property}.${name}.excludeTarget`, setting.excludeTarget, false, failures);
  }
};

const keyRestrictionsProperty: PropertyCheck = (property, value, failures) => {
  const restrictions = checkObject(property, value, ["isEnforced", "enforcementType", "aaGuids"], [], failures);
  if (!restrictions) return;
  failures.push(...checkBoolean(`${property}.isEnforced`, restrictions.isEnforced, true));
  failures.push(...checkEnum(`${property}.enforcementType`, restrictions.enforcementType, ["allow", "block"], true));
  const { aaGuids } = restrictions;
  if (aaGuids !== undefined && !isUnknown(aaGuids) && (!Array.isArray(aaGuids) || !aaGuids.every(isGuid))) {
    failures.push(failure(`${property}.aaGuids`, aaGuids, "a list of authenticator AAGUIDs (GUIDs)"));
  }
};

function shapeProperty(kind: "array" | "object"): PropertyCheck {
  return (property, value, failures) => {
    if (isUnknown(value) || (kind === "array" ? Array.isArray(value) : isRecord(value))) return;
    failures.push(failure(property, value, kind === "array" ? "a list" : "an object"));
  };
}

/** Each method's own properties as Graph names them, with their checks (docs/reference/endpoints-and-permissions.md#method-configurations and Graph resource pages). */
export const methodProperties: Record<AuthenticationMethodId, Record<string, PropertyCheck>> = {
  Email: {
    allowExternalIdToUseEmailOtp: (property, value, failures) =>
      failures.push(...checkEnum(property, value, ["default", "enabled", "disabled"])),
  },
  Sms: {},
  Voice: { isOfficePhoneAllowed: booleanProperty },
  MicrosoftAuthenticator: { isSoftwareOathEnabled: booleanProperty, featureSettings: featureSettingsProperty },
  SoftwareOath: {},
  TemporaryAccessPass: {
    defaultLength: integerProperty(8, 48, "characters"),
    defaultLifetimeInMinutes: integerProperty(10, 43200, "minutes"),
    minimumLifetimeInMinutes: integerProperty(10, 43200, "minutes"),
    maximumLifetimeInMinutes: integerProperty(10, 43200, "minutes"),
    isUsableOnce: booleanProperty,
  },
  Fido2: {
    isSelfServiceRegistrationAllowed: booleanProperty,
    isAttestationEnforced: booleanProperty,
    keyRestrictions: keyRestrictionsProperty,
  },
  // assumed: the binding and mode structures are passed to Graph after a shape check.
  X509Certificate: {
    certificateUserBindings: shapeProperty("array"),
    authenticationModeConfiguration: shapeProperty("object"),
  },
  // unverified: the beta-only methods' own properties; none are managed here.
  HardwareOath: {},
  QRCodePin: {},
};

/** The canonical spelling of a method id given in any casing (`sms` -> `Sms`); undefined when there is none. */
export function canonicalMethodId(value: unknown): AuthenticationMethodId | undefined {
  if (typeof value !== "string") return undefined;
  return authenticationMethodIds.find((id) => id.toLowerCase() === value.toLowerCase());
}

function validateTargets(
  property: string,
  value: unknown,
  allowed: string[],
  allowAllUsers: boolean,
  failures: CheckFailure[],
): void {
  if (value === undefined || isUnknown(value)) return;
  if (!Array.isArray(value)) {
    failures.push(failure(property, value, 'a list of targets { targetType: "group", id }'));
    return;
  }
  const seen: string[] = [];
  value.forEach((element, index) => {
    const name = `${property}[${index}]`;
    const target = checkObject(name, element, allowed, ["targetType", "id"], failures);
    if (!target) return;
    // User targeting is deprecated by Microsoft: groups only.
    failures.push(...checkEnum(`${name}.targetType`, target.targetType, ["group"]));
    failures.push(...targetIdCheck(`${name}.id`, target.id, allowAllUsers));
    failures.push(...checkBoolean(`${name}.isRegistrationRequired`, target.isRegistrationRequired, true));
    failures.push(...checkBoolean(`${name}.isUsableForSignIn`, target.isUsableForSignIn, true));
    failures.push(
      ...checkEnum(`${name}.authenticationMode`, target.authenticationMode, ["any", "deviceBasedPush", "push"], true),
    );
    const key = targetKey(target);
    if (seen.includes(key))
      failures.push(failure(`${name}.id`, target.id, `each target once (it is already in ${property})`));
    seen.push(key);
  });
}

/** Every problem with the inputs, at once. */
export function validateAuthenticationMethodConfiguration(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const rawMethodId = inputs.methodId;
  const methodId = canonicalMethodId(rawMethodId);
  if (!isUnknown(rawMethodId) && methodId === undefined) {
    failures.push(failure("methodId", rawMethodId, authenticationMethodIds.join(", ")));
  }
  failures.push(...checkEnum("state", inputs.state, ["enabled", "disabled"], true));
  failures.push(...checkEnum("includeTargetsMode", inputs.includeTargetsMode, ["add", "exact"], true));
  const includeAllowed = [
    "targetType",
    "id",
    "isRegistrationRequired",
    ...((methodId && includeTargetExtras[methodId]) ?? []),
  ];
  validateTargets("includeTargets", inputs.includeTargets, includeAllowed, true, failures);
  validateTargets("excludeTargets", inputs.excludeTargets, ["targetType", "id"], false, failures);

  const properties = inputs.properties;
  if (properties !== undefined && !isUnknown(properties)) {
    if (!isRecord(properties)) {
      failures.push(failure("properties", properties, "an object of the method's own Graph properties"));
    } else if (methodId !== undefined) {
      const checks = methodProperties[methodId];
      const allowed = Object.keys(checks);
      for (const [key, value] of Object.entries(properties)) {
        const property = `properties.${key}`;
        if (["id", "@odata.type", "state", "includeTargets", "excludeTargets"].includes(key)) {
          failures.push({
            property,
            reason: `${property} is not a method property; give ${key} as its own input (id and @odata.type are set for you)`,
          });
        } else if (checks[key] === undefined) {
          failures.push({
            property,
            reason: `${property} is not a property of ${methodId}; allowed: ${allowed.length > 0 ? allowed.join(", ") : "none (the method has no own properties)"}`,
          });
        } else {
          checks[key](property, value, failures);
        }
      }
      if (methodId === "TemporaryAccessPass") {
        const {
          minimumLifetimeInMinutes: min,
          defaultLifetimeInMinutes: def,
          maximumLifetimeInMinutes: max,
        } = properties;
        if (typeof min === "number" && typeof max === "number" && min > max) {
          failures.push(
            failure("properties.minimumLifetimeInMinutes", min, `at most properties.maximumLifetimeInMinutes (${max})`),
          );
        }
        if (
          typeof def === "number" &&
          ((typeof min === "number" && def < min) || (typeof max === "number" && def > max))
        ) {
          failures.push(
            failure("properties.defaultLifetimeInMinutes", def, "between the minimum and maximum lifetimes"),
          );
        }
      }
    }
  }
  return withoutRedundant(failures);
}

/** Defaults and canonical spellings: `methodId` in Graph's casing, `includeTargetsMode` "add". */
export function authenticationMethodConfigurationDefaults(inputs: Record<string, unknown>): Record<string, unknown> {
  const methodId = canonicalMethodId(inputs.methodId);
  return {
    ...inputs,
    ...(methodId ? { methodId } : {}),
    includeTargetsMode: inputs.includeTargetsMode ?? "add",
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Normalising and mapping (pure)
// ---------------------------------------------------------------------------------------------------------------

/** A feature setting with Graph's defaults filled in and target ids lower-cased (the zero GUID means "nobody"). */
function canonicalFeatureSetting(value: unknown): unknown {
  const merged = deepMerge(defaultFeatureSetting, recordOf(value));
  if (!isRecord(merged)) return merged;
  return {
    ...merged,
    includeTarget: canonicalTarget(merged.includeTarget),
    excludeTarget: canonicalTarget(merged.excludeTarget),
  };
}

/** A method property as the tenant has it, with Graph's defaults where the tenant omits one. */
function remotePropertyValue(key: string, value: unknown): unknown {
  if (key === "featureSettings") {
    const settings = recordOf(value);
    const filled: Record<string, unknown> = { ...settings };
    for (const name of featureNames) filled[name] = canonicalFeatureSetting(settings[name]);
    return filled;
  }
  // An Email configuration that never had the field behaves as `default`.
  if (key === "allowExternalIdToUseEmailOtp") return value ?? "default";
  return value;
}

/** A method property as given, normalised like the tenant's (target ids lower-cased). */
function givenPropertyValue(key: string, value: unknown): unknown {
  if (key !== "featureSettings" || !isRecord(value)) return value;
  const normalised: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(value)) {
    if (!isRecord(setting)) {
      normalised[name] = setting;
      continue;
    }
    normalised[name] = compact({
      ...setting,
      includeTarget: setting.includeTarget === undefined ? undefined : canonicalTarget(setting.includeTarget),
      excludeTarget: setting.excludeTarget === undefined ? undefined : canonicalTarget(setting.excludeTarget),
    });
  }
  return normalised;
}

/** The raw fields the inputs own. */
export function methodConfigurationFields(inputs: AuthenticationMethodConfigurationSettings): string[] {
  const fields: string[] = [];
  if (inputs.state !== undefined) fields.push("state");
  if (inputs.includeTargets !== undefined) fields.push("includeTargets");
  if (inputs.excludeTargets !== undefined) fields.push("excludeTargets");
  fields.push(...Object.keys(inputs.properties ?? {}));
  return fields;
}

/** The owned settings as the tenant has them: targets canonical, properties projected onto the given shape. */
export function methodConfigurationOwned(
  remote: RemoteDocument,
  inputs: AuthenticationMethodConfigurationSettings,
): OwnedSettings {
  const owned: OwnedSettings = {};
  if (inputs.state !== undefined) owned.state = remote.state ?? null;
  if (inputs.includeTargets !== undefined) owned.includeTargets = canonicalTargets(remote.includeTargets);
  if (inputs.excludeTargets !== undefined) owned.excludeTargets = canonicalTargets(remote.excludeTargets, true);
  if (inputs.properties !== undefined) {
    const properties: Record<string, unknown> = {};
    for (const [key, given] of Object.entries(inputs.properties)) {
      properties[key] = project(remotePropertyValue(key, remote[key]), given);
    }
    owned.properties = properties;
  }
  return owned;
}

/** The owned settings as the inputs want them, normalised like `methodConfigurationOwned`. */
export function methodConfigurationDesired(
  inputs: AuthenticationMethodConfigurationSettings,
  current: OwnedSettings,
): OwnedSettings {
  const desired: OwnedSettings = {};
  if (inputs.state !== undefined) desired.state = inputs.state;
  if (inputs.includeTargets !== undefined) {
    const tenant = Array.isArray(current.includeTargets) ? current.includeTargets : [];
    desired.includeTargets = desiredIncludeTargets(
      inputs.includeTargets,
      tenant,
      inputs.includeTargetsMode ?? "add",
      current.state,
      inputs.state,
    );
  }
  if (inputs.excludeTargets !== undefined) desired.excludeTargets = canonicalTargets(inputs.excludeTargets, true);
  if (inputs.properties !== undefined) {
    const properties: Record<string, unknown> = {};
    for (const [key, given] of Object.entries(inputs.properties)) properties[key] = givenPropertyValue(key, given);
    desired.properties = properties;
  }
  return desired;
}

/** The raw fields realising `next`; a field whose owned value is already right keeps the tenant's exact value. */
export function methodConfigurationToGraph(
  next: OwnedSettings,
  remote: RemoteDocument,
  inputs: AuthenticationMethodConfigurationSettings,
): RemoteDocument {
  const raw: RemoteDocument = {};
  if (next.state !== undefined) raw.state = next.state;
  if (Array.isArray(next.includeTargets)) raw.includeTargets = targetsToRaw(remote.includeTargets, next.includeTargets);
  if (Array.isArray(next.excludeTargets))
    raw.excludeTargets = targetsToRaw(remote.excludeTargets, next.excludeTargets, true);
  if (isRecord(next.properties) && inputs.properties !== undefined) {
    for (const [key, given] of Object.entries(inputs.properties)) {
      const current = project(remotePropertyValue(key, remote[key]), given);
      // Whole complex values are sent (tenant's value with the given members merged in): the result is the same
      // whether Graph merges or replaces complex properties on PATCH.
      raw[key] = keptOrMerged(current, next.properties[key], remote[key], given);
    }
  }
  return raw;
}

/** The owned settings in input form (for refresh). In `add` mode the include targets are the given ones the tenant
 * has (as the tenant has them): a missing one shows as drift, extra tenant targets do not. */
export function methodConfigurationSettingsOf(
  current: OwnedSettings,
  inputs: AuthenticationMethodConfigurationSettings,
): Record<string, unknown> {
  const settings: Record<string, unknown> = { ...current };
  if (
    inputs.includeTargets !== undefined &&
    (inputs.includeTargetsMode ?? "add") === "add" &&
    Array.isArray(current.includeTargets)
  ) {
    const given = inputs.includeTargets.map(targetKey);
    settings.includeTargets = current.includeTargets.filter((target) => given.includes(targetKey(target)));
  }
  return settings;
}

/**
 * `pulumi import`: the method as the tenant has it: its state, targets (added to, as every stack does), exclusions and
 * the method's own properties the project knows.
 */
export function methodConfigurationImportable(
  remote: RemoteDocument,
  identity: Record<string, unknown>,
): Record<string, unknown> {
  const settings: Record<string, unknown> = { includeTargetsMode: "add" };
  if (remote.state === "enabled" || remote.state === "disabled") settings.state = remote.state;
  if (Array.isArray(remote.includeTargets)) settings.includeTargets = remote.includeTargets;
  if (Array.isArray(remote.excludeTargets)) settings.excludeTargets = remote.excludeTargets;
  const known = Object.keys(methodProperties[identity.methodId as AuthenticationMethodId] ?? {});
  const properties = Object.fromEntries(
    known.filter((key) => remote[key] !== undefined).map((key) => [key, remote[key]]),
  );
  if (Object.keys(properties).length > 0) settings.properties = properties;
  return settings;
}

/**
 * Snapshot fields restore writes. A target list the configuration did not have becomes `[]` (the same to Graph);
 * `allowExternalIdToUseEmailOtp` absent becomes `default`, and absent `featureSettings` Graph's defaults; other absent
 * properties cannot be removed by a PATCH and stay as they are.
 */
export function methodConfigurationRestorable(changed: RemoteDocument): RemoteDocument {
  const restorable: RemoteDocument = {};
  for (const [key, value] of Object.entries(changed)) {
    if (value !== null && value !== undefined) restorable[key] = value;
    else if (key === "includeTargets" || key === "excludeTargets") restorable[key] = [];
    else if (key === "allowExternalIdToUseEmailOtp") restorable[key] = "default";
    // A configuration from before feature settings existed (the documented older Authenticator schema) behaves as
    // Graph's defaults; a PATCH cannot remove the property, so destroy writes those defaults back.
    else if (key === "featureSettings")
      restorable[key] = Object.fromEntries(featureNames.map((name) => [name, defaultFeatureSetting]));
  }
  return restorable;
}

export const authenticationMethodConfigurationSpec: SingletonSpec<AuthenticationMethodConfigurationInputs> = {
  kind: "AuthenticationMethodConfiguration",
  settingKeys: ["state", "includeTargets", "excludeTargets", "properties"],
  identityKeys: ["methodId"],
  optionKeys: ["includeTargetsMode"],
  supportsReset: true,
  defaults: authenticationMethodConfigurationDefaults,
  validate: validateAuthenticationMethodConfiguration,
  id: (inputs) => `${inputs.tenantId}/authenticationMethodConfigurations/${inputs.methodId}`,
  async get(client, inputs) {
    const path = methodConfigurationPath(inputs.methodId);
    if (path.startsWith("/v1.0/")) {
      // The policy's v1.0 GET carries every method configuration: one read of a run serves all (runReads.ts).
      const { body: policy } = await client.send({
        api: "graph",
        method: "GET",
        path: methodsPolicyV1Path,
        permission: authenticationMethodPermission,
      });
      const configurations =
        isRecord(policy) && Array.isArray(policy.authenticationMethodConfigurations)
          ? policy.authenticationMethodConfigurations.filter(isRecord)
          : [];
      const found = configurations.find(
        (configuration) => String(configuration.id).toLowerCase() === inputs.methodId.toLowerCase(),
      );
      if (found !== undefined) return found;
      // Not listed: ask for it alone, so Graph's own answer (e.g. 404) is what the user sees.
    }
    const response = await client.send({
      api: "graph",
      method: "GET",
      path,
      permission: authenticationMethodPermission,
    });
    if (!isRecord(response.body)) {
      throw new Error(`AuthenticationMethodConfiguration: Graph returned no configuration for ${inputs.methodId}`);
    }
    return response.body;
  },
  rawFields: methodConfigurationFields,
  importId(id) {
    const match = /^([A-Za-z0-9.-]+)\/authenticationMethodConfigurations\/([^/]+)$/.exec(id);
    const methodId = match === null ? undefined : canonicalMethodId(match[2]);
    return match === null || methodId === undefined ? undefined : { tenantId: match[1], methodId };
  },
  importable: methodConfigurationImportable,
  owned: methodConfigurationOwned,
  desired: methodConfigurationDesired,
  toRaw: methodConfigurationToGraph,
  async send(client, inputs, remote, changed) {
    await requireIntroducedGroups(client, "AuthenticationMethodConfiguration", { inputs, remote, changed });
    const odataType =
      typeof remote["@odata.type"] === "string" ? remote["@odata.type"] : methodODataTypes[inputs.methodId];
    await client.send({
      api: "graph",
      method: "PATCH",
      path: methodConfigurationPath(inputs.methodId),
      body: { "@odata.type": odataType, ...changed },
      permission: authenticationMethodPermission,
    });
  },
  restorable: methodConfigurationRestorable,
  settings: methodConfigurationSettingsOf,
  async reset(client, inputs) {
    // Graph DELETE reverts the method to its default configuration (204).
    await client.send({
      api: "graph",
      method: "DELETE",
      path: methodConfigurationPath(inputs.methodId),
      permission: authenticationMethodPermission,
    });
  },
};

export const authenticationMethodConfigurationProvider = singletonProvider(authenticationMethodConfigurationSpec);
