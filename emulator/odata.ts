/**
 * The small part of OData the emulated routes need: `$filter` with `eq` clauses joined by `and`, and `$select`.
 * Pure functions.
 */
import type { JsonObject } from "./types";

/**
 * Graph's answer to a URL whose `%` escapes do not decode, sent alone, inside `$batch` or as an `@odata.id`: a 400
 * with Graph's error body (the exact wording Graph uses is undocumented; assumed).
 */
export const malformedPathMessage = "The request path is not valid percent-encoding.";

/** Each path segment percent-decoded, or undefined when one holds a malformed escape (`%zz`, a lone `%`). */
export function decodedSegments(parts: readonly string[]): string[] | undefined {
  try {
    return parts.map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

export interface EqualityClause {
  property: string;
  value: string | number | boolean | null;
}

export type FilterParse = { clauses: EqualityClause[] } | { problem: string };

const clausePattern =
  /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+eq\s+('(?:[^']|'')*'|true|false|null|-?\d+(?:\.\d+)?|[0-9a-fA-F-]{36})\s*$/;

/** Splits on ` and ` outside quoted strings. */
function splitOnAnd(filter: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < filter.length; i++) {
    const char = filter[i];
    if (char === "'") quoted = !quoted;
    if (!quoted && /^\sand\s/i.test(filter.slice(i, i + 5))) {
      parts.push(current);
      current = "";
      i += 4;
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

function literal(text: string): EqualityClause["value"] {
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null") return null;
  if (/^-?\d/.test(text) && !text.includes("-", 1)) return Number(text);
  return text; // a bare GUID
}

export type FilterableProperties = Record<string, "string" | "boolean">;

/**
 * Parses `$filter` and checks each clause against the properties the resource supports and their types.
 * Messages follow Graph's wording for unsupported clauses.
 */
export function parseFilter(filter: string, supported: FilterableProperties, resource: string): FilterParse {
  const clauses: EqualityClause[] = [];
  for (const part of splitOnAnd(filter)) {
    const match = clausePattern.exec(part);
    if (match === null) return { problem: `Invalid filter clause: ${part.trim() || "(empty)"}` };
    const property = Object.keys(supported).find((name) => name.toLowerCase() === match[1].toLowerCase());
    if (property === undefined)
      return {
        problem: `Unsupported or invalid query filter clause specified for property '${match[1]}' of resource '${resource}'.`,
      };
    const value = literal(match[2]);
    if (value !== null && typeof value !== supported[property])
      return {
        problem: `Invalid filter clause: ${property} is a ${supported[property]} property; ${match[2]} does not compare with it.`,
      };
    clauses.push({ property, value });
  }
  return { clauses };
}

/** String comparison is case-insensitive, as directory string properties are (e.g. userPrincipalName). */
export function matchesAll(item: JsonObject, clauses: readonly EqualityClause[]): boolean {
  return clauses.every(({ property, value }) => {
    const actual = item[property];
    if (typeof actual === "string" && typeof value === "string") return actual.toLowerCase() === value.toLowerCase();
    return actual === value;
  });
}

/** `$select=a,b`: keeps only those properties (plus `@odata.type`); unknown names are skipped. */
export function applySelect(item: JsonObject, select: string | null): JsonObject {
  if (select === null || select.trim() === "") return item;
  const wanted = select.split(",").map((name) => name.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(item).filter(([key]) => key === "@odata.type" || wanted.includes(key.toLowerCase())),
  );
}
