/**
 * Properties of the whole path (program -> component -> provider in Pulumi's host -> HTTP -> emulator), over
 * generated stack configs and tenant seeds (the default tenant and the real-world fixtures). Few runs each: every
 * case is a real apply through the host.
 */
import fc from "fast-check";
import { parseStackConfig, namespaceConfig } from "../../components/config";
import { startEmulator, type RunningEmulator, type TenantSeed } from "../../emulator/server";
import { measureLifecycle, restoredSeed } from "../../scripts/bench/lifecycle";
import { runbookConfig } from "../../scripts/bench/stacks";
import { emulatorStack } from "../../scripts/stack/emulatorStack";
import { destroyState, EngineError, refreshState } from "../../engine/engine";
import { startProviderPlugin, type ProviderHost } from "../../engine/providerHost";
import type { ConfigMap } from "../../engine/propertyValues";
import { describeErrors } from "../../scripts/rehearse/runReport";
import { repositoryRoot } from "../../scripts/stack/repository";
import { loadFixture } from "../support/fixtures";

const ssprKey = "sspr:settings";
const secretMarker = "MARKER-client-secret-7f3a";

let host: ProviderHost;
let savedSecret: string | undefined;

// This file's own host (not the worker's shared one): its environment carries a client secret the providers could
// read, which must never come out anywhere.
beforeAll(async () => {
  savedSecret = process.env.AZURE_CLIENT_SECRET;
  process.env.AZURE_CLIENT_SECRET = secretMarker;
  host = await startProviderPlugin({ cwd: repositoryRoot });
});

afterAll(async () => {
  await host?.stop();
  if (savedSecret === undefined) delete process.env.AZURE_CLIENT_SECRET;
  else process.env.AZURE_CLIENT_SECRET = savedSecret;
});

const seeds: Record<string, () => TenantSeed | undefined> = {
  default: () => undefined,
  fixtures: () =>
    ({
      passwordResetPolicies: loadFixture("portal-password-reset-policies.get.json"),
      authenticationMethodsPolicy: loadFixture("graph-authentication-methods-policy.get.json"),
    }) as TenantSeed,
};

/** A valid `sspr:settings` for scope all (no pilot group: its lifecycle is tested in pilotGroupRelease.test.ts). */
const validSspr = fc
  .record({
    scope: fc.constant("all"),
    methodsRequired: fc.constantFrom(1, 2),
    methods: fc.record({
      email: fc.boolean(),
      mobilePhone: fc.boolean(),
      officePhone: fc.boolean(),
      authenticatorApp: fc.boolean(),
      securityQuestions: fc.constant(false),
    }),
    registration: fc.record({ requireOnSignIn: fc.boolean(), reconfirmDays: fc.integer({ min: 0, max: 730 }) }),
    notifications: fc.record({ users: fc.boolean(), admins: fc.boolean() }),
    helpdesk: fc.option(fc.constantFrom("https://support.munyakazi.org", "helpdesk@munyakazi.org", false), {
      nil: undefined,
    }),
    administrators: fc.option(fc.record({ allowed: fc.boolean() }), { nil: undefined }),
    onDestroy: fc.constant("restore"),
  })
  .map((sspr) => JSON.parse(JSON.stringify(sspr)) as Record<string, unknown>);

const configWith = (sspr: Record<string, unknown>): ConfigMap => ({ ...runbookConfig(), [ssprKey]: sspr });

const isValid = (config: ConfigMap): boolean =>
  parseStackConfig(
    namespaceConfig(
      Object.fromEntries(
        Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
      ),
    ),
  ).ok;

async function withEmulator<T>(seed: TenantSeed | undefined, body: (emulator: RunningEmulator) => Promise<T>) {
  const emulator = await startEmulator({ port: 0, seed });
  try {
    return await body(emulator);
  } finally {
    await emulator.stop();
  }
}

describe("any valid config on a seeded tenant", () => {
  it("applied twice writes nothing the second time, refresh shows no drift, destroy restores the seed exactly", async () => {
    await fc.assert(
      fc.asyncProperty(validSspr, fc.constantFrom(...Object.keys(seeds)), async (sspr, seedName) => {
        const config = configWith(sspr);
        fc.pre(isValid(config));
        // The real-world payload's Authenticator has no `featureSettings` (an older schema); adopting writes them and a
        // PATCH cannot remove a property, so destroy writes Graph's defaults, which is what absent means: equivalent,
        // not byte-identical (authenticationMethodConfiguration.test.ts shows it). Left out of "exactly the seed".
        fc.pre(!(seedName === "fixtures" && (sspr.methods as Record<string, unknown>).authenticatorApp === true));
        // The bench's lifecycle (first up, no-op up, refresh, destroy), the same code measuring it.
        const lifecycle = await measureLifecycle({ host, config, seed: seeds[seedName]() });
        expect(lifecycle.noOpSteps.filter((step) => step.op !== "same")).toEqual([]);
        expect(lifecycle.measured["no-op up"]?.writes).toBe(0);
        expect(lifecycle.drift).toEqual([]);
        expect(restoredSeed(lifecycle)).toBe(true);
      }),
      { numRuns: 8, seed: 20261127 },
    );
  });
});

/** Ways to break a valid config, each with the key its error must name. */
const breakages: { key: string; apply: (sspr: Record<string, unknown>) => void }[] = [
  { key: "sspr:settings.methodsRequired", apply: (sspr) => (sspr.methodsRequired = 3) },
  { key: "sspr:settings.scope", apply: (sspr) => (sspr.scope = "everyone") },
  {
    key: "sspr:settings.registration.reconfirmDays",
    apply: (sspr) => (sspr.registration = { requireOnSignIn: true, reconfirmDays: 731 }),
  },
  {
    key: "sspr:settings.methods.email",
    apply: (sspr) => (sspr.methods = { ...(sspr.methods as object), email: "yes" }),
  },
  {
    key: "sspr:settings.notifications.users",
    apply: (sspr) => (sspr.notifications = { users: "true", admins: true }),
  },
  { key: "sspr:settings.onDestroy", apply: (sspr) => (sspr.onDestroy = "delete") },
  { key: "sspr:settings.colour", apply: (sspr) => (sspr.colour = "blue") },
];

describe("any invalid config", () => {
  it("is rejected before any request, every broken key named at once", async () => {
    await withEmulator(undefined, async (emulator) => {
      const stack = emulatorStack({ host, emulatorUrl: emulator.url });
      await fc.assert(
        fc.asyncProperty(validSspr, fc.subarray(breakages, { minLength: 1 }), async (sspr, broken) => {
          for (const breakage of broken) breakage.apply(sspr);
          emulator.clearRequests();
          const error = await stack.up(configWith(sspr)).then(
            () => undefined,
            (reason: unknown) => reason,
          );
          expect(error).toBeInstanceOf(EngineError);
          const message = describeErrors([error]).join("\n");
          for (const breakage of broken) expect(message).toContain(breakage.key);
          expect(emulator.requests()).toEqual([]);
        }),
        { numRuns: 20, seed: 20261127 },
      );
    });
  });
});

describe("no secret leaks", () => {
  const bearer = /eyJ[A-Za-z0-9_-]{4,}\.|Bearer\s+[A-Za-z0-9]/;

  it("the client secret and the tokens appear nowhere in state, outputs, host logs or errors, even when calls fail", async () => {
    const paths = [
      "/api/PasswordReset/PasswordResetPolicies",
      "/v1.0/policies/authenticationMethodsPolicy",
      "/v1.0/policies/authorizationPolicy",
    ];
    await fc.assert(
      fc.asyncProperty(
        validSspr,
        fc.option(
          fc.record({
            path: fc.constantFrom(...paths),
            method: fc.constantFrom("GET", "PATCH", "PUT"),
            status: fc.constantFrom(400, 403, 500),
          }),
          { nil: undefined },
        ),
        async (sspr, fault) => {
          const config = configWith(sspr);
          fc.pre(isValid(config));
          await withEmulator(undefined, async (emulator) => {
            if (fault !== undefined) emulator.addFault({ ...fault, count: 10 });
            const stack = emulatorStack({ host, emulatorUrl: emulator.url });
            const seen: string[] = [];
            try {
              const applied = await stack.up(config);
              seen.push(JSON.stringify(applied.state), JSON.stringify(applied.outputs));
              const refreshed = await refreshState(applied.state, host);
              seen.push(JSON.stringify(refreshed.state));
              await destroyState(refreshed.state, host);
            } catch (error) {
              seen.push(describeErrors([error]).join("\n"), String(error));
              if (error instanceof EngineError) seen.push(JSON.stringify(error.state));
            }
            seen.push(
              host
                .logs()
                .map((line) => line.text)
                .join("\n"),
            );
            const everything = seen.join("\n");
            expect(everything).not.toContain(secretMarker);
            expect(everything).not.toMatch(bearer);
          });
        },
      ),
      { numRuns: 5, seed: 20261127 },
    );
  });
});
