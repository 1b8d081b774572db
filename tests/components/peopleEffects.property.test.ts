/**
 * Every people line is literally true per the purposes table (methodPurposes.ts), for any method and tenant shape:
 * random method configurations before and after, random flags, targets and scopes.
 */
import fc from "fast-check";
import {
  describePeopleEffects,
  methodEffects,
  methodViews,
  type GroupFacts,
  type SsprScope,
} from "../../components/peopleEffects";

const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const finance = "7c1d9e2f-4a6b-4c8d-9e0f-1a2b3c4d5e6f";
const groups: Record<string, GroupFacts> = {
  [pilot]: { displayName: "SSPR Pilot", memberCount: 1, members: ["c.vogel@munyakazi.org"] },
  [finance]: { displayName: "Finance", memberCount: 3 },
};
const methodIds = ["Email", "Sms", "Voice", "MicrosoftAuthenticator", "SoftwareOath", "Fido2", "TemporaryAccessPass"];

const target = fc.record({
  targetType: fc.constant("group"),
  id: fc.constantFrom("all_users", pilot, finance),
  isUsableForSignIn: fc.boolean(),
  authenticationMode: fc.constantFrom("any", "push", "deviceBasedPush"),
});
const configuration = (id: string) =>
  fc.record({
    id: fc.constant(id),
    state: fc.constantFrom("enabled", "disabled"),
    includeTargets: fc.uniqueArray(target, { selector: (one) => one.id, maxLength: 3 }),
    isOfficePhoneAllowed: fc.constantFrom(true, false, "true", "false"),
    isSoftwareOathEnabled: fc.boolean(),
  });
const scope: fc.Arbitrary<SsprScope> = fc.constantFrom(
  { kind: "all" as const },
  { kind: "group" as const, id: pilot },
  { kind: "none" as const },
);
type Configuration = { id: string; state: string; includeTargets: { isUsableForSignIn: boolean }[] } & Record<
  string,
  unknown
>;

describe("people lines are true for every method and tenant shape", () => {
  it("name only the purposes each method serves, for the people it reaches", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...methodIds).chain((id) => fc.tuple(configuration(id), configuration(id))),
        scope,
        ([before, after], ssprScope) => {
          const policy = (one: Configuration) => ({ authenticationMethodConfigurations: [one] });
          const effects = methodEffects(methodViews(policy(before)), methodViews(policy(after)));
          const { lines, warnings } = describePeopleEffects(effects, groups, ssprScope);
          const officeAllowed = (one: Configuration) => String(one.isOfficePhoneAllowed) === "true";
          for (const line of [...lines, ...warnings]) {
            expect(line).not.toMatch(/MFA sign-in|stay off until|[0-9a-f]{8}-[0-9a-f]{4}-/);
            expect(line.endsWith(".")).toBe(true);
            if (line.startsWith("Email")) expect(line).not.toMatch(/as a second factor|sign in/);
            if (/^(Passkeys|Temporary Access Pass)/.test(line)) expect(line).not.toMatch(/reset their password/);
            if (line.startsWith("Phone call (mobile and office phone)"))
              expect(officeAllowed(line.includes("no longer") ? before : after)).toBe(true);
            if (line.startsWith("Phone call") && !line.startsWith("Phone call (office phone)"))
              expect(line).not.toMatch(/sign in/);
            if (line.includes("SMS sign-in") && !line.includes("no longer"))
              expect(after.includeTargets.some((one) => one.isUsableForSignIn)).toBe(true);
            if (line.includes("with a notification or a code"))
              expect((line.includes("no longer") ? before : after).isSoftwareOathEnabled).toBe(true);
            if (line.includes("dormant"))
              expect(line).toMatch(/out of force; destroy puts the method back as it was, off\.$/);
            if (line.includes("reset their password (SSPR)") && ssprScope.kind === "none")
              expect(line).toContain("once SSPR is enabled for them");
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
