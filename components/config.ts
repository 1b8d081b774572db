/**
 * The user's contract: stack config (namespace `entra-sspr`) and its validation, parsing to the typed
 * `SelfServicePasswordReset` args (`ssprArgs.ts`); each problem worded by `configProblems.ts`. Pure: no Pulumi
 * runtime, no I/O.
 *
 * Validation runs in two passes so that every problem is reported at once:
 * 1. a zod schema checks each value's shape and catches unknown keys (typos);
 * 2. cross-field "lockout" rules read the raw input tolerantly, so they report even when pass 1 found problems
 *    (zod skips object-level refinements once a field is invalid).
 * Each problem is one line: `sspr:settings.methodsRequired: 3 is not allowed; expected 1 or 2`.
 */
import { z } from "zod";
import { defaultEndpoints, type EntraEndpoints } from "../lib/endpoints";
import { endpointProblem } from "../lib/endpoints";
import {
  groupDisplayNameMaxLength,
  helpdeskMaxLength,
  isDomainName,
  isEmailAddress,
  isGuid,
  isHttpsUrl,
  isUserPrincipalName,
  shownTextProblem,
} from "../lib/predicates";
import { maxConfigDepth, ownValue, readConfigTree, type TreeProblem } from "./configTree";
import { configLockoutProblems } from "./lockoutGuards";
import {
  configMethodCatalogue,
  configMethodKeys,
  methodChoiceAt,
  methodChoiceOf,
  offeredConfigKeys,
  type ConfigMethodKey,
} from "./methodCatalogue";
import { methodsPolicyRootShape } from "./methodsPolicySettings";
import { monitoringProblems, monitoringSchema, type MonitoringSettings } from "./monitoringConfig";
import {
  closestKey,
  componentArgKey,
  configNamespace,
  formatProblem,
  legacySettingsKey,
  legacyStackConfigKey,
  legacySettingsWarning,
  settingsKey,
  showValue,
  stackConfigKey as newStackConfigKey,
  type ConfigPath,
  type ConfigProblem,
} from "./configProblems";
import type { MethodChoice, SecurityQuestionCounts, SelfServicePasswordResetArgs } from "./ssprArgs";

// ---------------------------------------------------------------------------------------------------------------
// Small predicates (exported: the mapping and the tests use them too)
// ---------------------------------------------------------------------------------------------------------------

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Fills in Microsoft's endpoints and tidies the given ones: trailing slashes go; a portal URL given as a host root
 * (`http://127.0.0.1:8640`) gets `/api`, where the portal API lives. Idempotent.
 */
export function normalizeEndpoints(endpoints?: Partial<EntraEndpoints>): EntraEndpoints {
  const tidy = (value: string): string => value.replace(/\/+$/, "");
  const graph = tidy(endpoints?.graph ?? defaultEndpoints.graph);
  let portal = tidy(endpoints?.portal ?? defaultEndpoints.portal);
  const portalUrl = parseUrl(portal);
  if (portalUrl !== undefined && (portalUrl.pathname === "/" || portalUrl.pathname === "")) portal = `${portal}/api`;
  return { graph, portal };
}

// ---------------------------------------------------------------------------------------------------------------
// Pass 1: shapes (zod). Every leaf carries its own "expected ..." text as its error message.
// ---------------------------------------------------------------------------------------------------------------

const expecting = (message: string) => ({ errorMap: () => ({ message }) });

const scopeText = 'expected "none", "selected" or "all"';
const methodChoiceText =
  'expected "offer" (offer it), "leave" (leave the tenant\'s setting) or "disable" (turn it off, for every purpose it ' +
  "serves); true and false are the older spellings of offer and leave";
const groupText = "expected { id: <group object id> } or { displayName: <name>, members: [<user principal name>] }";

const boolean = z.boolean(expecting("expected true or false"));
// One vocabulary (docs/configuration.md): the words, or the older true/false, parsed to the words (`methodChoiceOf`).
const methodChoice = z
  .union([z.enum(["offer", "leave", "disable"]), z.boolean()], expecting(methodChoiceText))
  .transform((value): MethodChoice => methodChoiceOf(value) ?? "leave");
const questionCount = z.number(expecting("expected an integer from 3 to 5")).int().min(3).max(5);

function section<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  return z.object(shape, expecting(`expected a mapping (${what})`)).strict();
}

/** The rule for text every user is shown (`predicates.ts`); true when it added an issue. */
function shownText(maxLength: number) {
  return (value: string, ctx: z.RefinementCtx): boolean => {
    const problem = shownTextProblem(value, maxLength);
    if (problem !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    return problem !== undefined;
  };
}

const groupObjectId = z
  .string(expecting("expected a group object id (GUID)"))
  .refine(isGuid, { message: "expected a group object id (GUID)" });
const userPrincipalName = z
  .string(expecting("expected a user principal name such as c.vogel@munyakazi.org"))
  .refine(isUserPrincipalName, { message: "expected a user principal name such as c.vogel@munyakazi.org" });

const groupSchema = section(
  {
    id: groupObjectId.optional(),
    displayName: z
      .string(expecting("expected a group name of 1 to 256 characters"))
      .trim()
      .min(1)
      // The length in characters (not UTF-16 units) and the hidden characters, as for every text users are shown.
      .superRefine(shownText(groupDisplayNameMaxLength))
      .optional(),
    members: z.array(userPrincipalName, expecting("expected a list of user principal names")).optional(),
  },
  "id, or displayName and members",
);

const methodsSchema = section(
  {
    ...(Object.fromEntries(configMethodKeys.map((key) => [key, methodChoice.optional()])) as Record<
      ConfigMethodKey,
      z.ZodOptional<typeof methodChoice>
    >),
    securityQuestions: z
      .union(
        [z.literal(false), section({ register: questionCount, reset: questionCount }, "register, reset")],
        expecting(
          "expected { enabled: false } or { enabled: true, register: 3-5, reset: 3-5 } (or the older false, or " +
            "{ register: 3-5, reset: 3-5 })",
        ),
      )
      .optional(),
  },
  [...configMethodKeys, "securityQuestions"].join(", "),
);

const helpdeskText = 'expected an https URL or an email address, or "none" (or the older false) for no custom link';
// A refinement's issue is not fatal, so the union reports it (too long, a hidden character) instead of its own text.
const helpdeskLink = z.string(expecting(helpdeskText)).superRefine((value, ctx) => {
  if (shownText(helpdeskMaxLength)(value, ctx)) return;
  if (!isHttpsUrl(value) && !isEmailAddress(value))
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: helpdeskText });
});

export const ssprSchema = section(
  {
    scope: z.enum(["none", "selected", "all"], expecting(scopeText)),
    group: groupSchema.optional(),
    methodsRequired: z.union([z.literal(1), z.literal(2)], expecting("expected 1 or 2")).optional(),
    methods: methodsSchema.optional(),
    registration: section(
      {
        requireOnSignIn: boolean,
        reconfirmDays: z.number(expecting("expected an integer from 0 to 730 (0 = never ask)")).int().min(0).max(730),
      },
      "requireOnSignIn, reconfirmDays",
    ).optional(),
    notifications: section({ users: boolean, admins: boolean }, "users, admins").optional(),
    helpdesk: z.union([z.literal(false), helpdeskLink], expecting(helpdeskText)).optional(),
    administrators: section({ allowed: boolean }, "allowed").optional(),
    methodsPolicy: section(
      { migrationState: z.literal("migrationComplete", expecting('expected "migrationComplete"')) },
      "migrationState",
    ).optional(),
    ...methodsPolicyRootShape,
    ownTelephonyProvider: z
      .boolean(expecting("expected true (the tenant contracts its own telephony provider for SMS and voice) or false"))
      .optional(),
    onDestroy: z.enum(["restore", "retain"], expecting('expected "restore" or "retain"')).optional(),
  },
  "scope, group, methodsRequired, methods, registration, notifications, helpdesk, administrators, methodsPolicy, " +
    "registrationCampaign, reportSuspiciousActivity, systemPreferredMfa, ownTelephonyProvider, onDestroy",
);

const tenantIdText = "expected the tenant id (a GUID) or a verified domain name such as munyakazi.org";
const tenantIdSchema = z
  .string(expecting(tenantIdText))
  .refine((value) => isGuid(value) || isDomainName(value), { message: tenantIdText });

function endpointSchema(which: keyof EntraEndpoints) {
  return z.string(expecting(`expected an http(s) URL such as ${defaultEndpoints[which]}`)).superRefine((value, ctx) => {
    const problem = endpointProblem(value, which);
    if (problem !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });
}

// Both or neither: a lab that sets only one would send the other half of its changes to a real tenant.
const endpointsSchema = section(
  { graph: endpointSchema("graph"), portal: endpointSchema("portal") },
  "graph and portal, both required when endpoints is set",
);

const takeOverText = "expected the fully qualified name of the owning stack: organization/project/stack";
const takeOverFromSchema = z
  .string(expecting(takeOverText))
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: takeOverText });

export const stackConfigSchema = section(
  {
    tenantId: tenantIdSchema,
    sspr: ssprSchema,
    endpoints: endpointsSchema.optional(),
    takeOverFrom: takeOverFromSchema.optional(),
    monitoring: monitoringSchema.optional(),
  },
  "entra-sspr:tenantId, sspr:settings, entra-sspr:endpoints, entra-sspr:takeOverFrom, entra-sspr:monitoring",
);

export const componentArgsSchema = ssprSchema.extend({
  tenantId: tenantIdSchema,
  endpoints: endpointsSchema.optional(),
  takeOverFrom: takeOverFromSchema.optional(),
  monitoring: monitoringSchema.optional(),
});

/** The keys an object accepts at `path` inside `schema` (for "unknown key" messages). */
export function knownKeysAt(schema: z.ZodTypeAny, path: ConfigPath): string[] {
  const objects = objectsIn(schema);
  if (path.length === 0) return objects.flatMap((object) => Object.keys(object.shape));
  const [head, ...rest] = path;
  const children: z.ZodTypeAny[] = [];
  for (const candidate of unwrap(schema)) {
    if (typeof head === "number" && candidate instanceof z.ZodArray) children.push(candidate.element);
    // Own keys only: `"constructor" in shape` is true for every object.
    if (typeof head === "string" && candidate instanceof z.ZodObject && Object.hasOwn(candidate.shape, head)) {
      children.push(candidate.shape[head] as z.ZodTypeAny);
    }
  }
  return [...new Set(children.flatMap((child) => knownKeysAt(child, rest)))];
}

function objectsIn(schema: z.ZodTypeAny): z.AnyZodObject[] {
  return unwrap(schema).filter((candidate): candidate is z.AnyZodObject => candidate instanceof z.ZodObject);
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return unwrap(schema.unwrap());
  if (schema instanceof z.ZodEffects) return unwrap(schema.innerType());
  if (schema instanceof z.ZodDefault) return unwrap(schema.removeDefault());
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodTypeAny[]).flatMap(unwrap);
  return [schema];
}

function valueAt(root: unknown, path: ConfigPath): unknown {
  let value = root;
  for (const segment of path) value = ownValue(value, segment);
  return value;
}

/**
 * Problems that are not about a branch cut for depth: a value nested thousands of levels deep is one problem (its
 * depth), not also "not an https URL" for the key that holds it.
 */
function outsideDeepBranches(problems: ConfigProblem[]): ConfigProblem[] {
  const deep = problems.filter((problem) => problem.kind === "too-deep").map((problem) => problem.path);
  const prefixOf = (a: ConfigPath, b: ConfigPath) => a.length <= b.length && a.every((segment, i) => segment === b[i]);
  return problems.filter(
    (problem) =>
      problem.kind === "too-deep" || !deep.some((path) => prefixOf(problem.path, path) || prefixOf(path, problem.path)),
  );
}

/** A stack file's top-level keys as the file spells them (`sspr:settings`, `entra-sspr:tenantId`); others as they are. */
function inStackWords(schema: z.ZodTypeAny, path: ConfigPath, names: string[]): string[] {
  return schema === stackConfigSchema && path.length === 0 ? names.map((name) => newStackConfigKey([name])) : names;
}

/**
 * What the config boundary left out (`configTree.ts`), as problems: a prototype name is an unknown key wherever it
 * is, a value nested too deep is one problem per top-level key.
 */
export function treeProblems(
  schema: z.ZodTypeAny,
  problems: TreeProblem[],
  basePath: ConfigPath = [],
): ConfigProblem[] {
  return problems.map((problem): ConfigProblem => {
    const path = [...basePath, ...problem.path];
    if (problem.kind === "too-deep") {
      return {
        path,
        value: undefined,
        expected: `expected at most ${maxConfigDepth} levels (the deepest setting is 4 levels down)`,
        kind: "too-deep",
      };
    }
    const known = inStackWords(schema, problem.path.slice(0, -1), knownKeysAt(schema, problem.path.slice(0, -1)));
    const key = String(problem.path[problem.path.length - 1]);
    return {
      path,
      value: undefined,
      expected:
        `"${key}" is a JavaScript prototype name, never a setting, and nothing under it is read; ` +
        (known.length > 0 ? `expected one of ${known.join(", ")}` : "remove it"),
      kind: "unknown-key",
    };
  });
}

/** Turns zod's issues into problems, one per unknown key. */
export function shapeProblems(schema: z.ZodTypeAny, input: unknown, basePath: ConfigPath = []): ConfigProblem[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      const known = inStackWords(schema, issue.path, knownKeysAt(schema, issue.path));
      for (const key of issue.keys) {
        const suggestion = closestKey(inStackWords(schema, issue.path, [key])[0], known);
        const hint = suggestion === undefined ? "" : `did you mean "${suggestion}"? `;
        problems.push({
          path: [...basePath, ...issue.path, key],
          value: undefined,
          expected: `${hint}expected one of ${known.join(", ")}`,
          kind: "unknown-key",
        });
      }
      continue;
    }
    const value = valueAt(input, issue.path);
    // Admin-center words ("All", "Selected") differ from the config's only in case: say which one was meant.
    const suggestion =
      issue.code === z.ZodIssueCode.invalid_enum_value && typeof value === "string"
        ? closestKey(value, issue.options.map(String))
        : undefined;
    const hint = suggestion === undefined ? "" : `did you mean "${suggestion}"? `;
    problems.push({
      path: [...basePath, ...issue.path],
      value,
      expected: `${hint}${issue.message}`,
      kind: value === undefined ? "missing" : "invalid",
    });
  }
  // A number can break several checks at once (not an integer, too big): one line per key and message.
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const id = JSON.stringify([problem.path, problem.expected]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Pass 2: cross-field rules that keep users from locking themselves out. Tolerant of any input shape.
// ---------------------------------------------------------------------------------------------------------------

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? ownValue(value, key) : undefined;
}

/**
 * Security questions as the stack file's older form: `false` (off), the counts (on), or undefined (left alone),
 * whichever form was written (`{ enabled, register, reset }` is the schema's).
 */
export function securityQuestionCounts(value: unknown): false | SecurityQuestionCounts | undefined {
  if (value === false) return false;
  if (value === null || typeof value !== "object") return undefined;
  const enabled = field(value, "enabled");
  if (enabled === false) return false;
  return { register: field(value, "register"), reset: field(value, "reset") } as SecurityQuestionCounts;
}

/** Methods this stack offers, in admin-center words; each counts as one towards `methodsRequired`. */
export function offeredMethodNames(methods: unknown): string[] {
  const names: string[] = offeredConfigKeys(methods).map((key) => configMethodCatalogue[key].words);
  const questions = securityQuestionCounts(field(methods, "securityQuestions"));
  if (questions !== undefined && questions !== false) names.push("Security questions");
  return names;
}

/**
 * Lockout rules over the SSPR settings found at `at` (`["sspr"]` in stack config, `[]` in component args);
 * `keyOf` names the other keys a message refers to.
 */
export function lockoutProblems(
  settings: unknown,
  at: ConfigPath,
  keyOf: (path: ConfigPath) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const key = (...path: ConfigPath): ConfigPath => [...at, ...path];
  const scope = field(settings, "scope");
  const scopeWords = `${keyOf(key("scope"))} is ${showValue(scope)}`;
  const active = scope === "selected" || scope === "all";

  // Settings a user-facing SSPR cannot do without.
  if (active) {
    const required: [string, string][] = [
      ["methodsRequired", "expected 1 or 2"],
      ["methods", "expected the methods users may reset with, such as { email: offer, mobilePhone: offer }"],
      ["registration", "expected { requireOnSignIn: true|false, reconfirmDays: 0-730 }"],
      ["notifications", "expected { users: true|false, admins: true|false }"],
    ];
    for (const [name, expected] of required) {
      if (field(settings, name) === undefined) {
        problems.push({
          path: key(name),
          value: undefined,
          expected: `${expected} (required when ${scopeWords})`,
          kind: "missing",
        });
      }
    }
  }

  // Fewer methods than required: nobody could ever reset.
  const methodsRequired = field(settings, "methodsRequired");
  const methods = field(settings, "methods");
  if (active && (methodsRequired === 1 || methodsRequired === 2) && methods !== undefined) {
    const offered = offeredMethodNames(methods);
    if (methodsRequired > offered.length) {
      const list = offered.length === 0 ? "none" : offered.join(", ");
      // "Never" only when the stack turns every other method off; a method left as the tenant has it (leave or
      // unset) may still be on there, so the words say it is not counted rather than that nobody could reset.
      const leftAlone = configMethodKeys
        .filter((name) => methodChoiceAt(methods, name) !== "offer" && methodChoiceAt(methods, name) !== "disable")
        .map(
          (name) =>
            `${configMethodCatalogue[name].words} (${name}: ${methodChoiceAt(methods, name) === "leave" ? "leave" : "unset"})`,
        );
      const consequence =
        leftAlone.length === 0
          ? "users could never reset"
          : `the methods it leaves as the tenant has them are not counted, since the stack does not own them: ${leftAlone.join(", ")}`;
      problems.push({
        path: key("methodsRequired"),
        value: methodsRequired,
        expected:
          `expected at most ${offered.length} because ${keyOf(key("methods"))} offers only ${offered.length} ` +
          `method${offered.length === 1 ? "" : "s"} (${list}); ${consequence}. ` +
          'Offer more methods ("offer": targets are only added to) or require fewer',
        kind: "invalid",
      });
    }
  }

  // The pilot group goes with scope selected, and only with it.
  const group = field(settings, "group");
  if (scope === "selected" && group === undefined) {
    problems.push({
      path: key("group"),
      value: undefined,
      expected: `${groupText} (required when ${scopeWords})`,
      kind: "missing",
    });
  }
  if ((scope === "all" || scope === "none") && group !== undefined) {
    problems.push({
      path: key("group"),
      value: group,
      expected: `expected no group when ${scopeWords}; remove it, or set scope to "selected" for a pilot`,
      kind: "invalid",
    });
  }
  if (group !== null && typeof group === "object" && !Array.isArray(group)) {
    const hasId = field(group, "id") !== undefined;
    const hasName = field(group, "displayName") !== undefined;
    if (hasId === hasName) {
      problems.push({
        path: key("group"),
        value: group,
        expected: `expected exactly one of id (an existing group) or displayName (a group the stack creates)`,
        kind: "invalid",
      });
    }
    const members = field(group, "members");
    if (members !== undefined && !hasName) {
      problems.push({
        path: key("group", "members"),
        value: members,
        expected:
          `expected members only with ${keyOf(key("group", "displayName"))} ` +
          "(an existing group's members are managed where the group lives)",
        kind: "invalid",
      });
    }
    if (Array.isArray(members)) {
      const seen = new Set<string>();
      members.forEach((member, index) => {
        if (typeof member !== "string") return;
        const normalized = member.toLowerCase();
        if (seen.has(normalized)) {
          problems.push({
            path: key("group", "members", index),
            value: member,
            expected: "expected each member once (user principal names are case-insensitive)",
            kind: "invalid",
          });
        }
        seen.add(normalized);
      });
    }
  }

  // Security questions: at least as many registered as asked.
  const questions = field(methods, "securityQuestions");
  const register = field(questions, "register");
  const reset = field(questions, "reset");
  if (typeof register === "number" && typeof reset === "number" && register < reset) {
    problems.push({
      path: key("methods", "securityQuestions"),
      value: questions,
      expected: `expected register >= reset (users cannot be asked ${reset} questions when they registered ${register})`,
      kind: "invalid",
    });
  }
  return problems;
}

/**
 * One line for each method written in the older spelling (`true` for "offer", `false` for "leave"): read exactly as
 * the words, and said only by the commands a person reads before a deploy (`preflight`, `rehearse`), never as a
 * config problem or a Pulumi warning, which existing stacks and their pipelines rely on (docs/configuration.md).
 */
export function olderSpellingNotes(
  settings: unknown,
  keyOf: (path: ConfigPath) => string = newStackConfigKey,
): string[] {
  const methods = field(settings, "methods");
  return configMethodKeys.flatMap((key) => {
    const value = field(methods, key);
    if (typeof value !== "boolean") return [];
    return [
      `${keyOf(["sspr", "methods", key])}: ${String(value)} is the older spelling of "${value ? "offer" : "leave"}" ` +
        `(${value ? 'false of "leave"' : 'true of "offer"'}); both mean the same`,
    ];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------------------------

/** `warnings`: lines worth saying that do not stop the run (the settings at their old place). */
export type ParseResult =
  | { ok: true; args: SelfServicePasswordResetArgs; warnings?: string[] }
  | { ok: false; problems: string[]; warnings?: string[] };

type ParsedSettings = z.infer<typeof ssprSchema>;

function toArgs(
  tenantId: string,
  settings: ParsedSettings,
  endpoints: EntraEndpoints | undefined,
  takeOverFrom: string | undefined,
  monitoring?: MonitoringSettings,
): SelfServicePasswordResetArgs {
  const { group, ...rest } = settings;
  const args: SelfServicePasswordResetArgs = { ...rest, tenantId };
  if (takeOverFrom !== undefined) args.takeOverFrom = takeOverFrom;
  if (group !== undefined) {
    args.group =
      group.id !== undefined
        ? { id: group.id }
        : { displayName: group.displayName ?? "", ...(group.members === undefined ? {} : { members: group.members }) };
  }
  if (endpoints !== undefined) args.endpoints = normalizeEndpoints(endpoints);
  if (monitoring !== undefined) args.monitoring = monitoring;
  return args;
}

/**
 * The schema's forms (`provider/componentArgs.ts`), read as the stack file's where a stack file or a TypeScript
 * program writes them, so that one runbook reads the same in a stack file, TypeScript and Pulumi YAML: security
 * questions `{ enabled: false }` / `{ enabled: true, register, reset }`, helpdesk `"none"`, and `["all"]` for the
 * registration campaign's targets and system-preferred MFA's groups. The older forms (`false`, `"all"`) stay as they
 * are. Only a value clearly in the schema's form is changed; anything else is left for the rules to name.
 */
export function withSchemaForms(settings: unknown): unknown {
  if (settings === null || typeof settings !== "object" || Array.isArray(settings)) return settings;
  const read: Record<string, unknown> = { ...(settings as Record<string, unknown>) };
  const methods = field(read, "methods");
  const questions = field(methods, "securityQuestions");
  if (questions !== null && typeof questions === "object" && typeof field(questions, "enabled") === "boolean") {
    const { enabled, ...counts } = questions as Record<string, unknown>;
    read.methods = { ...(methods as Record<string, unknown>), securityQuestions: enabled === true ? counts : false };
  }
  if (field(read, "helpdesk") === "none") read.helpdesk = false;
  const allAsList = (section: string, key: string): void => {
    const value = field(read, section);
    const targets = field(value, key);
    if (Array.isArray(targets) && targets.length === 1 && targets[0] === "all") {
      read[section] = { ...(value as Record<string, unknown>), [key]: "all" };
    }
  };
  allAsList("registrationCampaign", "targets");
  allAsList("systemPreferredMfa", "includeGroups");
  return read;
}

/**
 * Parses the stack config tree (`namespaceConfig`: `{ tenantId, sspr, endpoints, ... }`) into component args, or
 * returns every problem, one line each. Settings found at the old place (`entra-sspr:sspr`, kept by
 * `namespaceConfig` under its full name) are read as the settings, with one warning; at both places, a problem.
 * `stack` names the stack in the warning's migration command.
 */
export function parseStackConfig(
  raw: Record<string, unknown>,
  now: Date = new Date(),
  stack: string = "<stack>",
): ParseResult {
  // Everything below reads the prototype-free copy, never `raw`.
  const tree = readConfigTree(raw);
  const legacy = field(tree.value, legacySettingsKey);
  let stackConfigKey = newStackConfigKey;
  const warnings: string[] = [];
  if (legacy !== undefined) {
    const top = tree.value as Record<string, unknown>;
    if (field(top, "sspr") !== undefined) {
      return {
        ok: false,
        problems: [
          `${legacySettingsKey} and ${settingsKey}: the SSPR settings are given at both places; keep them at ` +
            `${settingsKey} only (${legacySettingsKey} is the old place) and remove ${legacySettingsKey}`,
        ],
      };
    }
    delete top[legacySettingsKey];
    top.sspr = legacy;
    stackConfigKey = legacyStackConfigKey;
    warnings.push(legacySettingsWarning(stack));
  }
  const sspr = field(tree.value, "sspr");
  if (sspr !== undefined) (tree.value as Record<string, unknown>).sspr = withSchemaForms(sspr);
  const problems = outsideDeepBranches([
    ...treeProblems(stackConfigSchema, tree.problems),
    ...shapeProblems(stackConfigSchema, tree.value),
    ...lockoutProblems(field(tree.value, "sspr"), ["sspr"], stackConfigKey),
    ...configLockoutProblems(field(tree.value, "sspr"), ["sspr"], now),
    ...monitoringProblems(field(tree.value, "monitoring"), ["monitoring"]),
  ]);
  if (problems.length > 0) {
    return { ok: false, problems: problems.map((p) => formatProblem(p, stackConfigKey)), ...said(warnings) };
  }
  const parsed = stackConfigSchema.parse(tree.value);
  return {
    ok: true,
    args: toArgs(parsed.tenantId, parsed.sspr, parsed.endpoints, parsed.takeOverFrom, parsed.monitoring),
    ...said(warnings),
  };
}

/** `{ warnings }` when there are any, nothing otherwise. */
const said = (warnings: string[]) => (warnings.length > 0 ? { warnings } : {});

/**
 * Args given straight to the component (library use), checked by the same rules and rebuilt from the
 * prototype-free copy, so that nothing the caller's object inherits is ever read.
 */
export function parseComponentArgs(args: unknown): ParseResult {
  const problems = componentArgsProblems(args);
  if (problems.length > 0) return { ok: false, problems };
  const parsed = componentArgsSchema.parse(withSchemaForms(readConfigTree(args).value));
  const { tenantId, endpoints, takeOverFrom, monitoring, ...settings } = parsed;
  return { ok: true, args: toArgs(tenantId, settings, endpoints, takeOverFrom, monitoring) };
}

/** The same rules for args given straight to the component (library use, without stack config). */
export function componentArgsProblems(args: unknown, now: Date = new Date()): string[] {
  const checked = readConfigTree(args);
  const tree = { ...checked, value: withSchemaForms(checked.value) };
  return outsideDeepBranches([
    ...treeProblems(componentArgsSchema, tree.problems),
    ...shapeProblems(componentArgsSchema, tree.value),
    ...lockoutProblems(tree.value, [], componentArgKey),
    ...configLockoutProblems(tree.value, [], now),
    ...monitoringProblems(field(tree.value, "monitoring"), ["monitoring"]),
  ]).map((p) => formatProblem(p, componentArgKey));
}

/** Stack config, keyed `<namespace>:<key>` (`"sspr:settings"`). Non-string values are stored as JSON. */
export type ConfigMap = Record<string, string | number | boolean | object>;

/** Pulumi's flat config map: strings as they are, everything else as JSON (what `pulumi.runtime.allConfig()` gives). */
export function flatConfig(config: ConfigMap): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

/**
 * Picks the stack's keys out of Pulumi's flat config map (`pulumi.runtime.allConfig()`) into one tree:
 * `entra-sspr:<key>` as `<key>`, `sspr:settings` as `sspr`; the old place of the settings (`entra-sspr:sspr`) and any
 * other `sspr:<key>` keep their full names, so that `parseStackConfig` reads the one and reports the other (a typo).
 * Structured values arrive as JSON text; plain strings (a tenant id) stay strings, so a wrong type still reaches
 * validation. The result is prototype-free all the way down (`configTree.ts`): `entra-sspr:__proto__` becomes an own
 * key, which `parseStackConfig` reports, instead of the map's prototype.
 */
export function namespaceConfig(all: Record<string, string>): Record<string, unknown> {
  const prefix = `${configNamespace}:`;
  const settingsPrefix = `${settingsKey.split(":")[0]}:`;
  const raw = Object.create(null) as Record<string, unknown>;
  for (const [fullKey, text] of Object.entries(all)) {
    let key: string;
    if (fullKey === settingsKey) key = "sspr";
    else if (fullKey === legacySettingsKey || fullKey.startsWith(settingsPrefix)) key = fullKey;
    else if (fullKey.startsWith(prefix)) key = fullKey.slice(prefix.length);
    else continue;
    const trimmed = text.trim();
    let value: unknown = text;
    if (trimmed.startsWith("{") || trimmed.startsWith("[") || /^(true|false|null|-?\d+(\.\d+)?)$/.test(trimmed)) {
      try {
        value = JSON.parse(trimmed);
      } catch {
        value = text;
      }
    }
    Object.defineProperty(raw, key, {
      value: readConfigTree(value, [], { lossless: true }).value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return raw;
}
