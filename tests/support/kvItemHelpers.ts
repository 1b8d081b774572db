/**
 * Plain helpers of the throwaway `KvItem` provider. They live in their own local module on purpose: the provider
 * imports them at the top of its file and calls them from its methods, which is the only way the project's own
 * code reaches the provider host (captured by value when the provider is serialized; a `require("./...")` inside a
 * method fails there). Keep them free of imports.
 */

/** URL of one item on the key-value server. */
export function itemUrl(serverUrl: string, key: string): string {
  return `${serverUrl.replace(/\/+$/, "")}/items/${encodeURIComponent(key)}`;
}

/** The names in `keys` whose values differ between `olds` and `news`. */
export function changedKeys(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  keys: readonly string[],
): string[] {
  return keys.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
}
