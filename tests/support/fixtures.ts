/**
 * The real-world payloads listed in docs/reference/README.md#real-payloads, copied byte for byte into `tests/fixtures` so that a clone of this
 * repository alone can run its tests; `tests/fixtures.test.ts` fails when a copy drifts from the shared original.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

export const fixturesDir = path.join(__dirname, "..", "fixtures");

export const fixtureNames = [
  "graph-authentication-methods-policy.get.json",
  "graph-authentication-methods-policy.patch-registration-campaign.json",
  "portal-password-reset-policies.get.json",
] as const;
export type FixtureName = (typeof fixtureNames)[number];

/** A fresh parse of the fixture: callers may mutate it. */
export function loadFixture(name: FixtureName): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(fixturesDir, name), "utf8")) as Record<string, unknown>;
}
