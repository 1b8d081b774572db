/**
 * Properties of the pure pieces: target merging (targetEffect.ts), deepMerge, and the mapping from the config's
 * methods to method configuration children (mapping.ts).
 */
import fc from "fast-check";
import { deepMerge } from "../../provider/objects/jsonValues";
import { canonicalTargets, targetKey } from "../../provider/objects/targetLists";
import { desiredIncludeTargets } from "../../provider/objects/targetEffect";
import { recordWrites, restorePlan } from "../../provider/objects/restoreRule";
import { methodChildren } from "../../components/mapping";
import type { MethodChoiceInput, SsprMethods } from "../../components/ssprArgs";
import { methodChoiceOf } from "../../components/methodCatalogue";

const groupIds = ["all_users", "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"];
const target = fc.record(
  {
    targetType: fc.constant("group"),
    // Spelling varies (case): identity is case-insensitive.
    id: fc.constantFrom(...groupIds, groupIds[1].toUpperCase()),
    isRegistrationRequired: fc.boolean(),
    // A member only the tenant's payloads carry (Authenticator's), present or not.
    outlookMobileAllowedState: fc.constant("default"),
  },
  { requiredKeys: ["targetType", "id", "isRegistrationRequired"] },
);
/** A target list without duplicate identities (the service refuses duplicates). */
const targets = fc.uniqueArray(target, { selector: (one) => targetKey(one), maxLength: 3 });
const state = fc.constantFrom("enabled", "disabled", undefined);
const keys = (list: unknown[]): string[] => list.map((one) => targetKey(one)).sort();

describe("desiredIncludeTargets", () => {
  it("add mode never drops a target from a method in force, always includes the given ones, and is idempotent", () => {
    fc.assert(
      fc.property(targets, targets, state, (given, tenant, wanted) => {
        const desired = desiredIncludeTargets(given, tenant, "add", "enabled", wanted);
        for (const one of [...tenant, ...given]) expect(keys(desired)).toContain(targetKey(one));
        // Applying again on top of the result changes nothing.
        expect(desiredIncludeTargets(given, desired, "add", "enabled", wanted)).toEqual(desired);
        // An existing target keeps its own members (e.g. isRegistrationRequired) in add mode.
        for (const one of tenant) {
          const kept = desired.find((other) => targetKey(other) === targetKey(one)) as Record<string, unknown>;
          expect(kept.isRegistrationRequired).toBe(one.isRegistrationRequired);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("switching a disabled method on brings none of its dormant targets into force: exactly the given ones", () => {
    fc.assert(
      fc.property(targets, targets, fc.constantFrom("disabled", null), (given, tenant, tenantState) => {
        const desired = desiredIncludeTargets(given, tenant, "add", tenantState, "enabled");
        expect(keys(desired)).toEqual(keys(given));
        // A given target the tenant already lists keeps the tenant's members the config does not name (the write
        // keeps them too), with the config's own members on top.
        for (const one of given) {
          const existing = tenant.find((other) => targetKey(other) === targetKey(one));
          const got = desired.find((other) => targetKey(other) === targetKey(one)) as Record<string, unknown>;
          expect(got.isRegistrationRequired).toBe(one.isRegistrationRequired);
          if (existing !== undefined)
            expect(Object.keys(got).sort()).toEqual(Object.keys({ ...existing, ...one }).sort());
        }
      }),
      { numRuns: 200 },
    );
  });

  it("exact mode yields exactly the given identities, in canonical form", () => {
    fc.assert(
      fc.property(targets, targets, state, state, (given, tenant, tenantState, wanted) => {
        const desired = desiredIncludeTargets(given, tenant, "exact", tenantState, wanted);
        expect(keys(desired)).toEqual(keys(given));
        expect(canonicalTargets(desired)).toEqual(desired);
      }),
      { numRuns: 200 },
    );
  });
});

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, false, 0, 7, "x", ""),
    fc.array(tie("leaf"), { maxLength: 2 }),
    tie("object"),
  ),
  leaf: fc.constantFrom(null, 1, "y"),
  object: fc.dictionary(fc.constantFrom("a", "b", "c", "d"), tie("value"), { maxKeys: 3 }),
}));

describe("deepMerge", () => {
  it("keeps every key of the base the patch does not name, takes the patch's leaves, and merging twice is merging once", () => {
    fc.assert(
      fc.property(json.object, json.object, (base, patch) => {
        const merged = deepMerge(base, patch) as Record<string, unknown>;
        for (const key of Object.keys(base)) if (!(key in patch)) expect(merged[key]).toEqual(base[key]);
        for (const [key, value] of Object.entries(patch)) {
          if (value === null || typeof value !== "object" || Array.isArray(value)) expect(merged[key]).toEqual(value);
        }
        expect(deepMerge(merged, patch)).toEqual(merged);
        expect(deepMerge(base, {})).toEqual(base);
      }),
      { numRuns: 300 },
    );
  });

  it("does not change its arguments", () => {
    fc.assert(
      fc.property(json.object, json.object, (base, patch) => {
        const before = JSON.stringify([base, patch]);
        deepMerge(base, patch);
        expect(JSON.stringify([base, patch])).toBe(before);
      }),
      { numRuns: 100 },
    );
  });
});

// The words and their older spellings (true = offer, false = leave), which must manage exactly the same.
const choice: fc.Arbitrary<MethodChoiceInput | undefined> = fc.constantFrom<MethodChoiceInput | undefined>(
  "offer",
  "leave",
  "disable",
  true,
  false,
  undefined,
);

describe("methodChildren (config methods to method configurations)", () => {
  it("manages exactly the methods a choice names, turns on what is offered, never gives a method turned off a target", () => {
    fc.assert(
      fc.property(choice, choice, choice, choice, (email, mobilePhone, officePhone, authenticatorApp) => {
        const methods: SsprMethods = { email, mobilePhone, officePhone, authenticatorApp };
        const children = methodChildren(methods);
        const ids = children.map((child) => child.settings.methodId);
        expect(new Set(ids).size).toBe(ids.length);
        const named = (value: MethodChoiceInput | undefined): boolean =>
          methodChoiceOf(value) === "offer" || methodChoiceOf(value) === "disable";
        expect(ids.includes("Email")).toBe(named(email));
        expect(ids.includes("Sms")).toBe(named(mobilePhone));
        expect(ids.includes("Voice")).toBe(named(mobilePhone) || named(officePhone));
        expect(ids.includes("MicrosoftAuthenticator")).toBe(named(authenticatorApp));
        for (const child of children) {
          expect(child.settings.includeTargetsMode).toBe("add");
          if (child.settings.state !== "enabled") expect(child.includeTarget).toBeUndefined();
          else expect(child.includeTarget).toBeDefined();
        }
        const voice = children.find((child) => child.settings.methodId === "Voice");
        const [mobile, office] = [methodChoiceOf(mobilePhone), methodChoiceOf(officePhone)];
        if (mobile === "offer" || office === "offer") expect(voice?.settings.state).toBe("enabled");
        if (mobile === "disable" && office !== "offer") expect(voice?.settings.state).toBe("disabled");
        if (office !== undefined && office !== "leave") {
          expect(voice?.settings.properties).toEqual({ isOfficePhoneAllowed: office === "offer" });
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("restorePlan (what destroy puts back, restoreRule.ts)", () => {
  const id = fc.constantFrom(
    "all_users",
    ...["1", "2", "3", "4", "5"].map((digit) => digit.repeat(8) + "-0000-0000-0000-000000000000"),
  );
  const member = fc.record({ targetType: fc.constant("group"), id, isRegistrationRequired: fc.boolean() });
  const list = fc.uniqueArray(member, { selector: (one) => targetKey(one), maxLength: 4 });
  /** The tenant after others edited what the stack wrote: some targets removed, some members changed, some added. */
  const edited = (written: Record<string, unknown>[]) =>
    fc
      .tuple(
        fc.array(fc.constantFrom("keep", "remove", "flip"), { minLength: written.length, maxLength: written.length }),
        list,
      )
      .map(([edits, extra]) => [
        ...written.flatMap((one, index) =>
          edits[index] === "remove"
            ? []
            : [edits[index] === "flip" ? { ...one, isRegistrationRequired: !one.isRegistrationRequired } : one],
        ),
        ...extra.filter((one) => !written.some((other) => targetKey(other) === targetKey(one))),
      ]);
  const scenario = fc
    .tuple(list, list)
    .chain(([snapshot, written]) => edited(written).map((now) => ({ snapshot, written, now })));
  const has = (values: unknown, one: unknown): boolean =>
    Array.isArray(values) && values.some((other) => targetKey(other) === targetKey(one));

  it("never removes a target the stack did not add, removes every target it added, brings back what it took out", () => {
    fc.assert(
      fc.property(scenario, ({ snapshot, written, now }) => {
        const record = recordWrites(undefined, { includeTargets: snapshot }, { includeTargets: written }, [
          "includeTargets",
        ]);
        const { values } = restorePlan({ snapshot: { includeTargets: snapshot }, absent: [] }, record, {
          includeTargets: now,
        });
        const result = values.includeTargets;
        for (const one of now) {
          const addedByStack = has(written, one) && !has(snapshot, one);
          if (!addedByStack && !has(snapshot, one)) expect(has(result, one)).toBe(true); // added by others
          if (addedByStack) expect(has(result, one)).toBe(false);
          if (has(snapshot, one)) expect(has(result, one)).toBe(true); // it was there before the stack
        }
        for (const one of snapshot) if (!has(written, one)) expect(has(result, one)).toBe(true); // taken out
        // Nothing changed since the stack wrote: the snapshot, exactly.
        const untouched = restorePlan({ snapshot: { includeTargets: snapshot }, absent: [] }, record, {
          includeTargets: written,
        });
        expect(untouched.values.includeTargets).toEqual(snapshot);
      }),
      { numRuns: 300 },
    );
  });
});
