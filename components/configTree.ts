/**
 * The config boundary: what stack config (or a library caller) hands over is copied into prototype-free data before
 * anything reads it, so no key can reach `Object.prototype` or be answered by it.
 *
 * - Objects become `Object.create(null)` maps and arrays new arrays; nothing else is kept but JSON scalars.
 * - The prototype names `__proto__`, `constructor` and `prototype` are never config: at every level they are dropped
 *   from the copy and reported as unknown keys, so nothing under them is ever read (zod would report `__proto__` as
 *   an own key of a strict object, but a plain object's `obj.endpoints` may still be answered by its prototype, and
 *   `"constructor" in shape` is true for every object: hence a copy without them, and own-key lookups after it).
 * - Nesting deeper than {@link maxConfigDepth} is cut and reported once per top-level key: the schema's deepest
 *   setting is four levels down, and recursive readers (JSON.stringify in messages, YAML dumps) would otherwise
 *   overflow the stack with a RangeError instead of a problem.
 * The walk uses an explicit stack (depth-first, in the input's order), so the input's depth never reaches the call
 * stack.
 */

/** Key names that are JavaScript machinery, never settings. */
export const prototypeKeyNames: readonly string[] = ["__proto__", "constructor", "prototype"];

/** Far above the schema's four levels, far below what recursive readers survive. */
export const maxConfigDepth = 32;

export type TreePath = (string | number)[];

export type TreeProblem = { kind: "prototype-key"; path: TreePath } | { kind: "too-deep"; path: TreePath };

export interface TreeReading {
  /** The prototype-free copy (prototype keys dropped, cut below the depth limit). */
  value: unknown;
  problems: TreeProblem[];
}

type PathLink = { parent: PathLink; segment: string | number } | undefined;

export function isPrototypeKey(key: string): boolean {
  return prototypeKeyNames.includes(key);
}

/** An own property, never an inherited one. */
export function ownValue(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== "object") return undefined;
  return Object.prototype.hasOwnProperty.call(value, key)
    ? (value as Record<string | number, unknown>)[key]
    : undefined;
}

/**
 * The prototype-free copy of `input` and what had to be left out. `lossless` leaves nothing out (prototype names
 * become plain own keys of the null-prototype maps, harmless there; no depth cut), for a caller whose result is
 * read through this function again, which then reports them.
 */
export function readConfigTree(
  input: unknown,
  basePath: TreePath = [],
  options: { lossless?: boolean } = {},
): TreeReading {
  const problems: TreeProblem[] = [];
  const deepReported = new Set<string>();
  const root: { value: unknown } = { value: undefined };
  // Each entry: a source value, where its copy goes, its path (linked to the parent's, so that a deep input costs
  // linear time; spelled out only for a problem) and depth.
  const work: { source: unknown; assign: (copy: unknown) => void; at: PathLink; depth: number }[] = [
    { source: input, assign: (copy) => (root.value = copy), at: undefined, depth: 0 },
  ];
  const pathOf = (link: PathLink, limit = Infinity): TreePath => {
    const segments: TreePath = [];
    for (let node = link; node !== undefined; node = node.parent) segments.push(node.segment);
    segments.reverse();
    return [...basePath, ...segments.slice(0, limit)];
  };
  while (work.length > 0) {
    const { source, assign, at, depth } = work.pop()!;
    if (source === null || typeof source !== "object") {
      assign(source);
      continue;
    }
    if (depth > maxConfigDepth && options.lossless !== true) {
      const topKey = JSON.stringify(pathOf(at, 1));
      if (!deepReported.has(topKey)) {
        deepReported.add(topKey);
        problems.push({ kind: "too-deep", path: pathOf(at, 4) });
      }
      assign(undefined);
      continue;
    }
    if (Array.isArray(source)) {
      const copy: unknown[] = new Array<unknown>(source.length).fill(undefined);
      assign(copy);
      for (let index = source.length - 1; index >= 0; index--) {
        work.push({
          source: source[index],
          assign: (c) => (copy[index] = c),
          at: { parent: at, segment: index },
          depth: depth + 1,
        });
      }
      continue;
    }
    const copy = Object.create(null) as Record<string, unknown>;
    assign(copy);
    const children: typeof work = [];
    for (const key of Object.keys(source)) {
      if (isPrototypeKey(key) && options.lossless !== true) {
        problems.push({ kind: "prototype-key", path: pathOf({ parent: at, segment: key }) });
        continue;
      }
      // Own enumerable data only: a getter is never run by this copy's readers.
      const descriptor = Object.getOwnPropertyDescriptor(source, key);
      const element = descriptor !== undefined && "value" in descriptor ? descriptor.value : undefined;
      children.push({
        source: element,
        assign: (c) =>
          Object.defineProperty(copy, key, { value: c, enumerable: true, writable: true, configurable: true }),
        at: { parent: at, segment: key },
        depth: depth + 1,
      });
    }
    // Pushed last-first so that they are visited, and problems reported, in the input's order.
    work.push(...children.reverse());
  }
  return { value: root.value, problems };
}
