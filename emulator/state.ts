/**
 * Seeding: checking a `TenantSeed` and laying it over a baseline tenant. Pure functions.
 */
import {
  deepClone,
  describeValue,
  isPlainObject,
  sameId,
  type JsonObject,
  type TenantSeed,
  type TenantState,
} from "./types";
import { parseCalendarDate } from "./emulatorCalendar";
import { configurationEntries } from "./microsoftChanges";
import { arrayOf, isBoolean, isNonEmptyString, objectWith, oneOf, type Check } from "./validation";

/** An object whose listed members must be non-empty strings; other members are free. */
function objectWithIds(...names: string[]): Check {
  return (value, name, problems) => {
    if (!isPlainObject(value)) {
      problems.push(`${name} is ${describeValue(value)}; allowed: an object`);
      return;
    }
    for (const member of names)
      if (value[member] === undefined) problems.push(`${name}.${member} is missing; it is required`);
      else isNonEmptyString(value[member], `${name}.${member}`, problems);
  };
}

const anyObjectSection: Check = (value, name, problems) => {
  if (!isPlainObject(value)) problems.push(`${name} is ${describeValue(value)}; allowed: an object`);
};

const sectionChecks: Record<keyof TenantState, Check> = {
  tenantId: isNonEmptyString,
  authenticationMethodsPolicy: (value, name, problems) => {
    anyObjectSection(value, name, problems);
    if (isPlainObject(value) && value.authenticationMethodConfigurations !== undefined)
      arrayOf(objectWithIds("id", "@odata.type"))(
        value.authenticationMethodConfigurations,
        `${name}.authenticationMethodConfigurations`,
        problems,
      );
  },
  authorizationPolicy: anyObjectSection,
  passwordResetPolicies: anyObjectSection,
  onPremisesPasswordResetPolicies: anyObjectSection,
  groups: arrayOf(objectWithIds("id", "displayName")),
  groupMembers: (value, name, problems) => {
    if (!isPlainObject(value)) problems.push(`${name} is ${describeValue(value)}; allowed: { groupId: [userId, ...] }`);
    else
      for (const [groupId, members] of Object.entries(value))
        arrayOf(isNonEmptyString)(members, `${name}.${groupId}`, problems);
  },
  users: arrayOf(objectWithIds("id", "userPrincipalName", "displayName")),
  userRegistrationDetails: arrayOf(objectWithIds("id")),
  authenticationMethods: idMap(arrayOf(objectWithIds("@odata.type"))),
  securityQuestionsRegistered: idMap((value, name, problems) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      problems.push(`${name} is ${describeValue(value)}; allowed: a whole number of questions, 0 or more`);
  }),
  directoryRoles: arrayOf(objectWithIds("id", "displayName")),
  directoryRoleMembers: idMap(arrayOf(isNonEmptyString)),
  subscribedSkus: arrayOf(objectWithIds("skuPartNumber")),
  organization: anyObjectSection,
  organizationExtensions: arrayOf(objectWithIds("extensionName")),
  applications: arrayOf(objectWithIds("id", "uniqueName", "displayName")),
  ownTelephonyProvider: isBoolean,
  microsoftChangesApplied: arrayOf((value, name, problems) => {
    objectWithIds("id")(value, name, problems);
    const known = configurationEntries.map((entry) => entry.id);
    if (isPlainObject(value) && typeof value.id === "string" && !known.includes(value.id))
      problems.push(
        `${name}.id is ${describeValue(value.id)}; allowed: ${known.map((id) => JSON.stringify(id)).join(", ")} ` +
          "(Microsoft's dated configuration changes the emulator knows)",
      );
  }),
};

/** Members of a seed that are not tenant sections: how the emulator takes the seed (`TenantSeed`). */
const seedDirectives: Record<string, Check> = {
  today: (value, name, problems) => {
    const parsed = parseCalendarDate(value, name);
    if ("problem" in parsed) problems.push(parsed.problem);
  },
  microsoftChanges: oneOf("apply", "hold"),
};

/** `{ id: value }` with each value checked. */
function idMap(check: Check): Check {
  return (value, name, problems) => {
    if (!isPlainObject(value)) problems.push(`${name} is ${describeValue(value)}; allowed: { id: ... }`);
    else for (const [id, inner] of Object.entries(value)) check(inner, `${name}.${id}`, problems);
  };
}

/** Checks a seed's sections; unknown sections are problems (a typo would otherwise be ignored silently). */
export function checkSeed(seed: unknown): string[] {
  const problems: string[] = [];
  objectWith({ ...sectionChecks, ...seedDirectives })(
    isPlainObject(seed) ? withoutComment(seed, problems) : seed,
    "seed",
    problems,
  );
  return problems;
}

/** `$comment` (the JSON Schema keyword for notes) is for people reading a seed file: strings, never a section. */
function withoutComment(seed: JsonObject, problems: string[]): JsonObject {
  const { $comment: comment, ...sections } = seed;
  const isText = (value: unknown): boolean => typeof value === "string";
  if (comment !== undefined && !isText(comment) && !(Array.isArray(comment) && comment.every(isText)))
    problems.push(`seed.$comment is ${describeValue(comment)}; allowed: a string or a list of strings`);
  return sections;
}

function withoutContext(value: JsonObject): JsonObject {
  const { "@odata.context": _context, ...rest } = value;
  return rest;
}

/**
 * The baseline with the seed's sections in place of its own. A seeded methods policy keeps the baseline's
 * configurations of methods it does not list (a real tenant always has every method; documented samples are
 * shortened). `@odata.context` annotations are dropped: the emulator adds the right one per version on GET.
 */
export function applySeed(baseline: TenantState, seed: TenantSeed): TenantState {
  const next = deepClone(baseline);
  const given = deepClone(seed);
  if (given.tenantId !== undefined) next.tenantId = given.tenantId;
  if (given.authenticationMethodsPolicy !== undefined) {
    const policy = withoutContext(given.authenticationMethodsPolicy);
    const seeded = Array.isArray(policy.authenticationMethodConfigurations)
      ? (policy.authenticationMethodConfigurations as JsonObject[])
      : [];
    const kept = baseline.authenticationMethodsPolicy.authenticationMethodConfigurations.filter(
      (configuration) => !seeded.some((candidate) => sameId(String(candidate.id), String(configuration.id))),
    );
    next.authenticationMethodsPolicy = {
      ...policy,
      authenticationMethodConfigurations: [...seeded, ...deepClone(kept)],
    };
  }
  if (given.authorizationPolicy !== undefined) next.authorizationPolicy = withoutContext(given.authorizationPolicy);
  if (given.passwordResetPolicies !== undefined) next.passwordResetPolicies = given.passwordResetPolicies;
  if (given.onPremisesPasswordResetPolicies !== undefined)
    next.onPremisesPasswordResetPolicies = given.onPremisesPasswordResetPolicies;
  if (given.users !== undefined) next.users = given.users;
  if (given.userRegistrationDetails !== undefined) next.userRegistrationDetails = given.userRegistrationDetails;
  for (const section of [
    "authenticationMethods",
    "securityQuestionsRegistered",
    "directoryRoles",
    "directoryRoleMembers",
    "subscribedSkus",
    "organization",
    "organizationExtensions",
    "applications",
    "ownTelephonyProvider",
    "microsoftChangesApplied",
  ] as const)
    if (given[section] !== undefined) (next as unknown as Record<string, unknown>)[section] = given[section];
  if (given.groups !== undefined) {
    next.groups = given.groups;
    // Memberships of groups that no longer exist go with them.
    next.groupMembers = Object.fromEntries(
      Object.entries(next.groupMembers).filter(([groupId]) => next.groups.some((group) => sameId(group.id, groupId))),
    );
  }
  if (given.groupMembers !== undefined) next.groupMembers = given.groupMembers;
  return next;
}
