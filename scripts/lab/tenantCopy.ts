/**
 * A copy of a tenant's SSPR objects as an emulator seed (`TenantSeed`), for `rehearse --seed` and
 * `readiness --seed`: what `npm run snapshot` writes.
 *
 * Reading reuses readiness's reader (`readiness/tenantSnapshot.ts`: GETs only, through a read-only client) and adds
 * one GET per group the policies or the stack name, for the group object. Reducing (`seedFromSnapshot`, pure) keeps
 * what rehearse and readiness need and nothing else: policies as read; users by id, user principal name, display
 * name, enabled, synced, member or guest and whether they have a mailbox; registered method types without any
 * phone number, address, device or key; groups by id, name and the users they hold (nesting flattened); directory
 * roles; licences by SKU and service plan; the organization's id, name, sync and domain names.
 */
import type { EntraClient } from "../../provider/http/client";
import { isEntraError } from "../../provider/http/errors";
import { isRecord } from "../../lib/predicates";
import { groupPath, readGraphObject, tenantObjects } from "../../provider/reader/tenantReader";
import { ssprScopeOf } from "../../lib/tenantCodecs";
import type { DirectoryGroup, DirectoryUser, JsonObject, TenantSeed } from "../../emulator/types";
import { readOnly, readPermissions, readTenantSnapshot } from "../../provider/reader/readinessSnapshot";
import { policyGroupIds, registeredFromMethods } from "../../components/readiness/ssprMethods";
import type { PersonRecord, TenantSnapshot } from "../../components/readiness/readinessTypes";

/**
 * Graph's fixed ids of the email and phone methods (Graph docs, emailAuthenticationMethod and
 * phoneAuthenticationMethod), as the emulator also states them: written here so that a snapshot of a real tenant
 * loads no emulator code.
 */
const methodIds = {
  email: "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
  mobile: "3179e48a-750b-4051-897c-87b9720928f7",
  alternateMobile: "b6332ec1-7057-4abe-9331-3d72feddfe41",
  office: "e37fc753-ff3b-4958-9484-eaa9425c82bc",
};

/** What a copy keeps, in words (the file's `$comment` and the command's output say the same). */
export const keptInWords = [
  "Kept: the portal's password reset policies, the authentication methods policy and the authorization policy as read.",
  "Kept of each user: id, user principal name, display name, enabled, synced from on-premises, member or guest, " +
    "whether they have a mailbox (the address itself is replaced by the user principal name), directory roles, " +
    "and which method types they registered.",
  "Kept of each group the policies or the stack name: id, display name, type flags and the users in it (nested " +
    "groups flattened into their users).",
  "Kept of the tenant: its id, name, on-premises sync and domain names; licences by SKU and service plan.",
  "Not kept: phone numbers, email addresses or devices of registered methods, security question answers, keys, " +
    "tokens, secrets, and anything else of a user.",
];

/** Permissions the copy needs: readiness's reads, and the group objects. */
export const copyPermissions = { ...readPermissions, groups: "GroupMember.Read.All" };

/** A method type a registration name stands for, without anything personal (phone types carry no number). */
const methodOfRegisteredName: Record<string, JsonObject> = {
  email: { "@odata.type": "#microsoft.graph.emailAuthenticationMethod", id: methodIds.email },
  mobilePhone: {
    "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
    id: methodIds.mobile,
    phoneType: "mobile",
  },
  alternateMobilePhone: {
    "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
    id: methodIds.alternateMobile,
    phoneType: "alternateMobile",
  },
  officePhone: {
    "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
    id: methodIds.office,
    phoneType: "office",
  },
  microsoftAuthenticatorPush: { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod" },
  softwareOneTimePasscode: { "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod" },
  fido2SecurityKey: { "@odata.type": "#microsoft.graph.fido2AuthenticationMethod" },
  windowsHelloForBusiness: { "@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod" },
  temporaryAccessPass: { "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod" },
};

/** The no-exclusion sentinel of the Authenticator's feature settings: not a group. */
const noGroup = "00000000-0000-0000-0000-000000000000";

/** Every group a methods policy names: targets of each method, of feature settings and of the registration campaign. */
export function methodsPolicyGroupIds(policy: unknown): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) {
      if (value.targetType === "group" && typeof value.id === "string") ids.add(value.id.toLowerCase());
      Object.values(value).forEach(visit);
    }
  };
  visit(policy);
  ids.delete("all_users");
  ids.delete(noGroup);
  return [...ids];
}

/** The group object, or undefined when the directory has no such group (a policy may name a deleted one). */
async function readGroup(client: EntraClient, id: string): Promise<DirectoryGroup | undefined> {
  // What docs/snapshot.md says it keeps: id, display name and the type flags. Its description and mail nickname are
  // neither read nor kept: nothing in a rehearsal needs them, and they may say things about people.
  const select = "id,displayName,groupTypes,mailEnabled,securityEnabled";
  try {
    const group = await readGraphObject(client, groupPath(id, select), copyPermissions.groups);
    const kept = Object.fromEntries(select.split(",").flatMap((key) => (key in group ? [[key, group[key]]] : [])));
    return { ...kept, id: String(group.id), displayName: String(group.displayName) };
  } catch (error) {
    if (isEntraError(error) && (error.status === 404 || error.status === 400)) return undefined;
    throw error;
  }
}

export interface TenantCopy {
  seed: TenantSeed;
  /** What was not read (a permission or licence missing, or not needed) and what the copy holds instead, in words. */
  gaps: string[];
}

/**
 * Reads a tenant (GETs only) and reduces it to a seed. `stackGroupIds`: groups the stack names (an existing pilot
 * group), copied with the policies' own. Throws when one of the three SSPR policies cannot be read: a copy without
 * them would rehearse on the sample's instead.
 */
export async function readTenantCopy(
  client: EntraClient,
  tenantId: string,
  stackGroupIds: readonly string[] = [],
): Promise<TenantCopy> {
  const graph = readOnly(client); // refuses anything but a read, whatever a change here might send
  const stackIds = stackGroupIds.map((id) => id.toLowerCase());
  let snapshot = await readTenantSnapshot(graph, tenantId, { groupIds: stackIds });
  const policyProblems = snapshot.problems.filter((problem) => policyReads.includes(problem.what));
  if (policyProblems.length > 0)
    throw new Error(
      "nothing was written: " +
        policyProblems
          .map((problem) => `${problem.what} could not be read (needs ${problem.needs}): ${problem.message}`)
          .join("; "),
    );
  const methodsPolicy = snapshot.methodsPolicy ?? {};
  const groupIds = [
    ...new Set([...ssprGroupIds(snapshot.portal), ...methodsPolicyGroupIds(methodsPolicy), ...stackIds]),
  ];
  // Groups only the Authenticator's feature settings or the registration campaign name: readiness's reader leaves
  // their members out, so it reads once more with them (rare: most tenants name no group there).
  const readMembers = new Set([...ssprGroupIds(snapshot.portal), ...policyGroupIds(methodsPolicy), ...stackIds]);
  const more = groupIds.filter((id) => !readMembers.has(id));
  if (more.length > 0) snapshot = await readTenantSnapshot(graph, tenantId, { groupIds: [...stackIds, ...more] });
  const groups: DirectoryGroup[] = [];
  for (const id of groupIds) {
    if (snapshot.missingGroupIds.includes(id)) continue;
    const group = await readGroup(graph, id);
    if (group !== undefined) groups.push(group);
  }
  return { seed: seedFromSnapshot(snapshot, groups), gaps: gapsOf(snapshot) };
}

/** The reads without which a copy would show the sample's policies instead of the tenant's. */
const policyReads: string[] = (
  ["passwordResetPolicy", "authenticationMethodsPolicy", "authorizationPolicy"] as const
).map((name) => tenantObjects[name].what);

function ssprGroupIds(portal: JsonObject | undefined): string[] {
  return ssprScopeOf(portal).groupIds.map((id) => id.toLowerCase());
}

/** What the copy could not read, and what it holds instead. */
function gapsOf(snapshot: TenantSnapshot): string[] {
  const writeback = "the on-premises integration policy";
  const gaps = snapshot.problems
    .filter((problem) => problem.what !== "the registration report" || snapshot.registrationSource === "none")
    .map(
      (problem) =>
        `${problem.what} (needs ${problem.needs ?? "?"}): ` +
        (problem.what === writeback ? "the copy has password writeback off" : "the copy holds none"),
    );
  const unregistered = snapshot.users.filter((user) => user.registered === undefined).length;
  if (unregistered > 0 && snapshot.registrationSource !== "none")
    gaps.push(`the registered methods of ${unregistered} users: the copy shows them with none`);
  if (snapshot.onPremises === undefined && !snapshot.problems.some((problem) => problem.what === writeback))
    gaps.push("password writeback (nobody is synced, so it does not apply): the copy has it off");
  return [...new Set(gaps)];
}

const organizationKeys = [
  "id",
  "displayName",
  "tenantType",
  "countryLetterCode",
  "onPremisesSyncEnabled",
  "onPremisesLastSyncDateTime",
];
const skuKeys = ["id", "skuId", "skuPartNumber", "appliesTo", "capabilityStatus", "consumedUnits", "prepaidUnits"];

function pick(value: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(keys.flatMap((key) => (key in value ? [[key, value[key]]] : [])));
}

function withoutContext(value: JsonObject): JsonObject {
  const { "@odata.context": _context, ...rest } = value;
  return rest;
}

function userOf(person: PersonRecord): DirectoryUser {
  return {
    id: person.id,
    userPrincipalName: person.userPrincipalName,
    displayName: person.displayName,
    accountEnabled: person.accountEnabled,
    // Readiness asks only whether an administrator has a mailbox (notifications reach it).
    mail: person.mail === null ? null : person.userPrincipalName,
    onPremisesSyncEnabled: person.onPremisesSyncEnabled ? true : null,
    userType: person.userType,
  };
}

/**
 * A tenant read by readiness's reader as a seed: every section the copy knows is given, so nothing of the sample
 * tenant shows through (sections not read are given empty). Pure.
 */
export function seedFromSnapshot(snapshot: TenantSnapshot, groups: readonly DirectoryGroup[]): TenantSeed {
  const authenticationMethods: Record<string, JsonObject[]> = {};
  const securityQuestionsRegistered: Record<string, number> = {};
  const userRegistrationDetails: JsonObject[] = [];
  const questionsToRegister = Number(snapshot.portal?.numberOfQuestionsToRegister);
  for (const person of snapshot.users) {
    if (person.registered === undefined) continue;
    const methods = person.registered.flatMap((name) => {
      const method = methodOfRegisteredName[name];
      return method === undefined ? [] : [structuredClone(method)];
    });
    if (methods.length > 0) authenticationMethods[person.id] = methods;
    if (person.registered.includes("securityQuestion"))
      securityQuestionsRegistered[person.id] = Number.isInteger(questionsToRegister) ? questionsToRegister : 1;
    // A registration the method types cannot say (e.g. a passkey) is kept as the report row said it.
    const rebuilt = [
      ...registeredFromMethods(methods),
      ...(securityQuestionsRegistered[person.id] ? ["securityQuestion"] : []),
    ];
    if (rebuilt.join() !== person.registered.join())
      userRegistrationDetails.push({ id: person.id, methodsRegistered: [...person.registered] });
  }
  const groupMembers: Record<string, string[]> = {};
  for (const group of groups) groupMembers[group.id] = [...(snapshot.groupMemberIds?.[group.id.toLowerCase()] ?? [])];
  const roles = new Map<string, JsonObject>();
  const roleMembers: Record<string, string[]> = {};
  for (const person of snapshot.users)
    for (const role of person.roles) {
      roles.set(role.id, { id: role.id, displayName: role.displayName, roleTemplateId: role.roleTemplateId });
      (roleMembers[role.id] ??= []).push(person.id);
    }
  const organization = snapshot.organization;
  return {
    tenantId: typeof organization?.id === "string" ? organization.id : snapshot.tenantId,
    passwordResetPolicies: withoutContext(snapshot.portal ?? {}),
    ...(snapshot.onPremises === undefined ? {} : { onPremisesPasswordResetPolicies: snapshot.onPremises }),
    authenticationMethodsPolicy: {
      authenticationMethodConfigurations: [],
      ...withoutContext(snapshot.methodsPolicy ?? {}),
    },
    authorizationPolicy: withoutContext(snapshot.authorizationPolicy ?? {}),
    organization: {
      ...pick(organization ?? { id: snapshot.tenantId }, organizationKeys),
      verifiedDomains: (Array.isArray(organization?.verifiedDomains) ? organization.verifiedDomains : [])
        .filter(isRecord)
        .map((domain) => pick(domain, ["name", "isDefault", "isInitial", "type", "capabilities"])),
    },
    subscribedSkus: (snapshot.subscribedSkus ?? []).map((sku) => ({
      ...pick(sku, skuKeys),
      servicePlans: (Array.isArray(sku.servicePlans) ? sku.servicePlans : [])
        .filter(isRecord)
        .map((plan) => pick(plan, ["servicePlanId", "servicePlanName", "provisioningStatus", "appliesTo"])),
    })),
    users: snapshot.users.map(userOf),
    groups: [...groups],
    groupMembers,
    directoryRoles: [...roles.values()],
    directoryRoleMembers: roleMembers,
    authenticationMethods,
    securityQuestionsRegistered,
    userRegistrationDetails,
    // The ownership mark is not copied: a rehearsal runs without state (a first `pulumi up`), so with the mark copied
    // the very stack that owns the tenant would rehearse as a takeover.
    organizationExtensions: [],
    applications: [],
  };
}
