/**
 * The pack's config, per stack: the JSON file given to `pulumi preview --policy-pack policy --policy-pack-config
 * <file>` (Pulumi's format: a policy name, or `all`, mapped to an enforcement level or `{ enforcementLevel }`).
 * Every rule is advisory unless a stack's file says otherwise; `npm run compliance` reads the same file
 * (`policy/config/<stack>.json` when it exists). Validated like the stack config: every problem at once, naming the
 * key, the value and what is allowed.
 */
import { isRecord } from "../lib/predicates";

export const enforcementLevels = ["advisory", "mandatory", "disabled"] as const;
export type EnforcementLevel = (typeof enforcementLevels)[number];

/** The pack's default: baselines advise; a stack opts into failing previews rule by rule. */
export const defaultEnforcementLevel: EnforcementLevel = "advisory";

export type PackConfigResult =
  { ok: true; levels: Record<string, EnforcementLevel> } | { ok: false; problems: string[] };

const levelText = `expected "advisory", "mandatory" or "disabled"`;

/** The enforcement level of each rule named in `ruleNames` under `config` (a parsed JSON document). */
export function enforcementLevelsFrom(config: unknown, ruleNames: readonly string[], source: string): PackConfigResult {
  const problems: string[] = [];
  const levels: Record<string, EnforcementLevel> = Object.fromEntries(
    ruleNames.map((name) => [name, defaultEnforcementLevel]),
  );
  if (config === undefined || config === null) return { ok: true, levels };
  if (!isRecord(config)) {
    return { ok: false, problems: [`${source}: ${JSON.stringify(config)} is not allowed; expected a JSON object`] };
  }
  const levelOf = (key: string, value: unknown): EnforcementLevel | undefined => {
    const level = isRecord(value) ? value.enforcementLevel : value;
    if (typeof level === "string" && (enforcementLevels as readonly string[]).includes(level)) {
      return level as EnforcementLevel;
    }
    if (isRecord(value) && level === undefined) return undefined;
    problems.push(`${source}: ${key}: ${JSON.stringify(level)} is not allowed; ${levelText}`);
    return undefined;
  };
  // `all` first, so a rule's own entry wins whatever the key order.
  if ("all" in config) {
    const level = levelOf("all", config.all);
    if (level !== undefined) for (const name of ruleNames) levels[name] = level;
  }
  for (const [key, value] of Object.entries(config)) {
    if (key === "all") continue;
    if (!ruleNames.includes(key)) {
      problems.push(`${source}: ${key}: unknown rule; expected "all" or one of ${ruleNames.join(", ")}`);
      continue;
    }
    const level = levelOf(key, value);
    if (level !== undefined) levels[key] = level;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, levels };
}
