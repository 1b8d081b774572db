/**
 * What the emulator refuses in any JSON it is sent (API bodies, seeds, faults) before a handler sees it, and the
 * own-key lookup its validators use, so that no body key is ever answered by `Object.prototype`.
 *
 * - `__proto__` as a key: JSON.parse keeps it as an own key, but any later spread, `Object.assign` or clone by
 *   assignment would turn it into a prototype; the emulator answered 500. Now a 400. Real Graph would see an unknown
 *   property of a typed entity (a 400 too); its exact text for this key is undocumented.
 * - Nesting deeper than {@link maxJsonDepth}: recursive validation and cloning overflowed the stack (a 500). OData
 *   readers have a nesting quota (`ODataMessageQuotas.MaxNestingDepth`), but the value Graph uses and its error
 *   text are undocumented; assumed: 64, far above the deepest real body here (about five levels).
 * The walk uses an explicit stack, so a deep body never reaches the call stack.
 */

/** assumed: see above. */
export const maxJsonDepth = 64;

/** The problem with a parsed JSON value, as a Graph-style sentence, or undefined when it may be handled. */
export function jsonShapeProblem(value: unknown): string | undefined {
  const work: { value: unknown; path: string; depth: number }[] = [{ value, path: "$", depth: 0 }];
  while (work.length > 0) {
    const { value: current, path, depth } = work.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= maxJsonDepth) {
      return `The JSON payload is nested more than ${maxJsonDepth} levels deep (at ${path.slice(0, 120)}...).`;
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) => work.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      if (key === "__proto__") return `The property '__proto__' (at ${path}) is not allowed in a JSON payload.`;
      work.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * `table[key]` for own keys only: `members["constructor"]` on a plain table is `Object`, `members["toString"]` a
 * function, which a validator would take for a check and accept (Graph rejects both as unknown properties).
 */
export function ownEntry<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
