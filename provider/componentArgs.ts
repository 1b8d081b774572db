/**
 * The component's args as every Pulumi language sees them (the schema in `schema.ts`), and their translation into
 * the TypeScript args (`components/ssprArgs.ts`), which are then checked by the very rules the stack config and the
 * TypeScript component use (`parseComponentArgs`).
 *
 * A method's choice is the same three words everywhere (`offer | leave | disable`, `components/ssprArgs.ts`); the
 * stack file's and TypeScript's older `true`/`false` are not in the schema. A schema cannot describe unions, so each
 * other TypeScript union becomes a string enum or one object:
 *   methods.securityQuestions false | { register, reset }      -> { enabled, register?, reset? }
 *   helpdesk                  <https URL or email> | false     -> <https URL or email> | "none"
 *   group                     { id } | { displayName, members } -> one object; exactly one of id or displayName
 *   <campaign>.targets,
 *   systemPreferredMfa.includeGroups  "all" | [group ids]      -> ["all"] | [group ids]
 *   monitoring.workspace      { name, retentionDays } | { id } -> one object; exactly one of name or id
 * Everything else has the same shape in both. A value of the wrong kind is left for the shared rules to name.
 */
import { configMethodKeys } from "../components/methodCatalogue";
import type { MethodChoice } from "../components/ssprArgs";
import { isRecord } from "../lib/predicates";

type Tree = Record<string, unknown>;

/** The schema's words for a method choice: the words of the stack file and TypeScript too. */
export const methodChoices: readonly MethodChoice[] = ["offer", "leave", "disable"];

const methodKeys = configMethodKeys;

export interface TranslatedArgs {
  /** The args in the TypeScript shape, for `parseComponentArgs`. */
  args: Tree;
  /** Problems with values only the schema's shape can have (named in the schema's words). */
  problems: string[];
}

function translateMethods(methods: Tree, problems: string[]): Tree {
  const translated: Tree = { ...methods };
  for (const key of methodKeys) {
    const value = methods[key];
    if (value === undefined) continue;
    if (!(methodChoices as readonly unknown[]).includes(value)) {
      problems.push(
        `methods.${key}: ${JSON.stringify(value)} is not allowed; expected "offer" (offer it), "leave" (leave the ` +
          `tenant's setting) or "disable" (turn it off, also for MFA sign-in)`,
      );
      delete translated[key];
    }
  }
  const questions = methods.securityQuestions;
  if (isRecord(questions) && typeof questions.enabled === "boolean") {
    const { enabled, ...counts } = questions;
    translated.securityQuestions = enabled ? counts : false;
  } else if (questions !== undefined) {
    problems.push(
      `methods.securityQuestions: ${JSON.stringify(questions)} is not allowed; expected { enabled: false } or ` +
        "{ enabled: true, register: 3-5, reset: 3-5 }",
    );
    delete translated.securityQuestions;
  }
  return translated;
}

/** `["all"]` is All users; a list of group ids stays a list. */
function translateTargets(section: unknown, key: string): unknown {
  if (!isRecord(section)) return section;
  const targets = section[key];
  const all = Array.isArray(targets) && targets.length === 1 && targets[0] === "all";
  return all ? { ...section, [key]: "all" } : section;
}

/** The schema's one-object forms, as the TypeScript unions: only the members given are kept. */
function withoutUndefined(value: unknown): unknown {
  return isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) : value;
}

export function translateComponentArgs(inputs: Tree): TranslatedArgs {
  const problems: string[] = [];
  const args: Tree = { ...inputs };
  if (isRecord(inputs.methods)) args.methods = translateMethods(inputs.methods, problems);
  if (inputs.helpdesk === "none") args.helpdesk = false;
  if (inputs.group !== undefined) args.group = withoutUndefined(inputs.group);
  if (inputs.registrationCampaign !== undefined)
    args.registrationCampaign = translateTargets(inputs.registrationCampaign, "targets");
  if (inputs.systemPreferredMfa !== undefined)
    args.systemPreferredMfa = translateTargets(inputs.systemPreferredMfa, "includeGroups");
  if (isRecord(inputs.monitoring) && inputs.monitoring.workspace !== undefined)
    args.monitoring = { ...inputs.monitoring, workspace: withoutUndefined(inputs.monitoring.workspace) };
  return { args, problems };
}
