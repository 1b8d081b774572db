/**
 * A config problem and its wording: the key path in stack-config or component words, the value as shown, what is
 * allowed, and the known key nearest a typo. Shared by the config parser (`config.ts`) and the checks beside it
 * (lockout guards, monitoring).
 */
import { maxConfigDepth } from "./configTree";
import { shownEndpoint } from "../lib/endpoints";
import { spellHidden } from "../lib/predicates";

/**
 * The provider's namespace, which is also the project's name: `entra-sspr:tenantId`, `entra-sspr:endpoints` (and
 * `takeOverFrom`, `monitoring`). The engine hands every key of a package's namespace to its default provider and
 * stores them as the provider's inputs, so the SSPR settings live apart from it, under `sspr:settings`.
 */
export const configNamespace = "entra-sspr";

/** Where a stack file keeps the SSPR settings (no package is named `sspr`, so no provider receives them). */
export const settingsKey = "sspr:settings";

/** Where the SSPR settings were kept before: read still, with one warning (`legacySettingsWarning`). */
export const legacySettingsKey = `${configNamespace}:sspr`;

/** The one line a stack that keeps its settings at the old place is told, by the program and by every command. */
export function legacySettingsWarning(stack: string): string {
  return (
    `${legacySettingsKey} is the old place of the SSPR settings: run npm run migrate-stack -- --stack ${stack} to ` +
    `move them to ${settingsKey} (the old place is also handed to the provider plugin, which drops it)`
  );
}

export type ConfigPath = (string | number)[];

export interface ConfigProblem {
  path: ConfigPath;
  /** The offending value (undefined when missing or for unknown keys' suggestions). */
  value: unknown;
  /** What is allowed, starting with "expected". */
  expected: string;
  kind: "invalid" | "missing" | "unknown-key" | "too-deep";
}

/** Key path in config words: `sspr:settings.group.members[1]`, `entra-sspr:tenantId` (a namespaced key as it is). */
export function stackConfigKey(path: ConfigPath): string {
  const [head, ...rest] = path;
  const name = String(head);
  const key = name === "sspr" ? settingsKey : name.includes(":") ? name : `${configNamespace}:${name}`;
  return `${key}${pathSuffix(rest)}`;
}

/** The same for a stack that keeps its settings at the old place: the problems name the key the file has. */
export function legacyStackConfigKey(path: ConfigPath): string {
  return path[0] === "sspr" ? `${legacySettingsKey}${pathSuffix(path.slice(1))}` : stackConfigKey(path);
}

/** Key path in component words: `args.methods.email`. */
export function componentArgKey(path: ConfigPath): string {
  return `args${pathSuffix(path)}`;
}

function pathSuffix(path: ConfigPath): string {
  return path.map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${segment}`)).join("");
}

/** The value as JSON, shortened so one line stays one line; a URL with user info (a password?) is never shown. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(shownEndpoint(value)) ?? String(value);
  } catch {
    text = String(value);
  }
  return spellHidden(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

export function formatProblem(problem: ConfigProblem, keyOf: (path: ConfigPath) => string): string {
  const key = keyOf(problem.path);
  switch (problem.kind) {
    case "missing":
      return `${key}: missing; ${problem.expected}`;
    case "unknown-key":
      return `${key}: unknown key; ${problem.expected}`;
    case "invalid":
      return `${key}: ${showValue(problem.value)} is not allowed; ${problem.expected}`;
    case "too-deep":
      return `${key}: nested more than ${maxConfigDepth} levels deep; ${problem.expected}`;
  }
}

/** The known key closest to a mistyped one, if any is close enough to be a likely typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((candidate) => candidate.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  const tolerance = Math.max(2, Math.floor(key.length / 3));
  return best !== undefined && best.distance <= tolerance ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
