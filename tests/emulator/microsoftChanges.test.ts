/**
 * Microsoft's 1 September 2026 change to the tenant's configuration, through the HTTP server: applied once when the
 * date moves across its day (or at a start or seed that asks for it), never narrowing Fido2's targets in force,
 * never on a plain start.
 */
import { createDefaultTenant } from "../../emulator/defaultTenant";
import { startEmulator, type TenantSeed, type TenantState } from "../../emulator/server";
import { useEmulator } from "../support/emulator";
import { allGraphPermissions, call, graphAppToken, type Json, type Reply } from "./helpers";

const token = graphAppToken(allGraphPermissions);
const policyPath = "/v1.0/policies/authenticationMethodsPolicy";
const fido2Path = `${policyPath}/authenticationMethodConfigurations/Fido2`;
const change = "passkeys-for-sms-and-voice-users";
const pilot = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
const finance = "cbcfbb00-5f66-5509-982c-18fa15d312b9";

/** The default methods policy with some method configurations changed (a seeded policy replaces the whole root). */
function policyWith(changes: Record<string, Json>, root: Json = {}): TenantSeed {
  const policy = createDefaultTenant().authenticationMethodsPolicy;
  return {
    authenticationMethodsPolicy: {
      ...policy,
      ...root,
      authenticationMethodConfigurations: policy.authenticationMethodConfigurations.map((configuration) => ({
        ...configuration,
        ...changes[String(configuration.id)],
      })),
    },
  };
}

const campaignOf = (policy: Json): Json =>
  (policy.registrationEnforcement as { authenticationMethodsRegistrationCampaign: Json })
    .authenticationMethodsRegistrationCampaign;
const methodIn = (policy: Json, id: string): Json =>
  (policy.authenticationMethodConfigurations as Json[]).find((configuration) => configuration.id === id) as Json;

describe("1 September 2026: passkeys for SMS and voice users, the campaign Microsoft managed", () => {
  const lab = useEmulator({ today: "2026-08-31" });
  const url = (): string => lab.emulator.url;
  const getPolicy = async (): Promise<Json> => (await call(url(), "GET", policyPath, { token })).body as Json;
  const moveTo = (today: string, microsoftChanges?: string): Promise<Reply> =>
    call(url(), "PUT", "/_emulator/today", {
      body: microsoftChanges === undefined ? { today } : { today, microsoftChanges },
    });

  it("moving the date across the day applies it once to the default tenant: Fido2 on, the campaign Microsoft managed", async () => {
    const before = await getPolicy();
    expect(methodIn(before, "Fido2").state).toBe("disabled");
    expect(campaignOf(before)).toMatchObject({ state: "default", includeTargets: [expect.anything()] });

    const moved = await moveTo("2026-09-01");
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({
      today: "2026-09-01",
      followsClock: false,
      applied: [
        {
          id: change,
          date: "2026-09-01",
          appliedOn: "2026-09-01",
          appliedAt: expect.any(String),
          trigger: "date moved",
          changes: [
            "Fido2 (passkeys) switched on for all_users (the users enabled for SMS or voice)",
            'registration campaign set to Microsoft managed (state "default") targeting passkeys ("fido2"), 1 day to snooze, unlimited snoozes',
          ],
        },
      ],
    });

    const after = await getPolicy();
    expect(methodIn(after, "Fido2")).toEqual({
      ...methodIn(before, "Fido2"),
      state: "enabled",
      includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
    });
    expect(campaignOf(after)).toEqual({
      snoozeDurationInDays: 1,
      state: "default",
      excludeTargets: [],
      includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "fido2" }],
      enforceRegistrationAfterAllowedSnoozes: false,
    });
    // SMS and voice themselves stay as they are: Microsoft has not said they change.
    for (const id of ["Sms", "Voice"]) expect(methodIn(after, id)).toEqual(methodIn(before, id));
    expect(after.lastModifiedDateTime).not.toBe(before.lastModifiedDateTime);

    const calendar = (await call(url(), "GET", "/_emulator/calendar")).body as { entries: Json[] };
    expect(calendar.entries[0]).toMatchObject({ id: change, inEffect: true, applied: { trigger: "date moved" } });
    expect(lab.emulator.state().microsoftChangesApplied).toEqual([(moved.body as { applied: Json[] }).applied[0]]);

    // Once: back before the day and across it again, or asking for what is due, applies nothing more.
    expect(((await moveTo("2026-08-01")).body as Json).applied).toEqual([]);
    expect(((await moveTo("2026-10-01")).body as Json).applied).toEqual([]);
    expect(((await moveTo("2026-10-01", "apply")).body as Json).applied).toEqual([]);
    expect(lab.emulator.state().microsoftChangesApplied).toHaveLength(1);
    expect(await getPolicy()).toEqual(after);
  });

  it("a client writes back what it read after the change (the campaign targeting fido2 is valid Graph)", async () => {
    await moveTo("2027-01-01");
    const campaign = campaignOf(await getPolicy());
    const patch = await call(url(), "PATCH", policyPath, {
      token,
      body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign } },
    });
    expect(patch.status).toBe(200);
    expect(campaignOf(patch.body as Json)).toEqual(campaign);
  });

  it("moving the date without crossing the day, or with hold, applies nothing", async () => {
    const before = lab.emulator.state();
    expect(((await moveTo("2026-08-15")).body as Json).applied).toEqual([]);
    expect(((await moveTo("2026-12-01", "hold")).body as Json).applied).toEqual([]);
    expect(lab.emulator.state()).toEqual(before);
    // From a date already past the day, only `apply` applies what is due.
    const asked = await moveTo("2026-12-02", "apply");
    expect((asked.body as { applied: Json[] }).applied).toEqual([
      expect.objectContaining({ id: change, trigger: "asked" }),
    ]);
  });

  it("never narrows Fido2's targets in force: the SMS and voice targets are added to them", async () => {
    const restricted = {
      targetType: "group",
      id: finance,
      isRegistrationRequired: true,
      allowedPasskeyProfiles: ["00000000-0000-0000-0000-000000000001"],
    };
    lab.reseed(
      policyWith({
        Fido2: { state: "enabled", includeTargets: [restricted], excludeTargets: [{ targetType: "group", id: pilot }] },
        Sms: { state: "enabled", includeTargets: [{ targetType: "group", id: pilot, isUsableForSignIn: false }] },
        Voice: { state: "enabled", includeTargets: [{ targetType: "group", id: finance }] },
      }),
    );
    const moved = await moveTo("2026-09-02");
    expect((moved.body as { applied: Json[] }).applied[0].changes).toEqual([
      `Fido2 (passkeys) include targets ${pilot} added`,
      'registration campaign set to Microsoft managed (state "default") targeting passkeys ("fido2"), 1 day to snooze, unlimited snoozes',
    ]);
    const fido2 = (await call(url(), "GET", fido2Path, { token })).body as Json;
    expect(fido2).toMatchObject({
      state: "enabled",
      includeTargets: [restricted, { targetType: "group", id: pilot, isRegistrationRequired: false }],
      excludeTargets: [{ targetType: "group", id: pilot }],
    });
    // The campaign's existing target moves to passkeys (one method at a time); the SMS and voice groups join it.
    expect(campaignOf(await getPolicy()).includeTargets).toEqual([
      { id: "all_users", targetType: "group", targetedAuthenticationMethod: "fido2" },
    ]);
  });

  it("a campaign for some groups gains the SMS and voice groups; a disabled Fido2's dormant targets give way", async () => {
    lab.reseed(
      policyWith(
        {
          Fido2: {
            state: "disabled",
            includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
          },
          Sms: { state: "enabled", includeTargets: [{ targetType: "group", id: pilot, isUsableForSignIn: true }] },
        },
        {
          registrationEnforcement: {
            authenticationMethodsRegistrationCampaign: {
              snoozeDurationInDays: 5,
              state: "enabled",
              excludeTargets: [{ id: finance, targetType: "group" }],
              includeTargets: [
                { id: finance, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
              ],
            },
          },
        },
      ),
    );
    await moveTo("2026-09-01");
    const policy = await getPolicy();
    // assumed (see emulator/microsoftChanges.ts): switching Fido2 on must not bring its dormant all_users target into
    // force: only the users enabled for SMS or voice are enabled for passkeys.
    expect(methodIn(policy, "Fido2")).toMatchObject({
      state: "enabled",
      includeTargets: [{ targetType: "group", id: pilot, isRegistrationRequired: false }],
    });
    expect(campaignOf(policy)).toEqual({
      snoozeDurationInDays: 1,
      state: "default",
      excludeTargets: [{ id: finance, targetType: "group" }],
      includeTargets: [
        { id: finance, targetType: "group", targetedAuthenticationMethod: "fido2" },
        { id: pilot, targetType: "group", targetedAuthenticationMethod: "fido2" },
      ],
      enforceRegistrationAfterAllowedSnoozes: false,
    });
  });

  it("added targets name a passkey profile that allows every passkey type, when the configuration has one", async () => {
    const profiles = [
      { id: "p-bound", name: "Admins", passkeyTypes: "deviceBound", attestationEnforcement: "registrationOnly" },
      {
        id: "00000000-0000-0000-0000-000000000001",
        name: "Default passkey profile",
        passkeyTypes: "deviceBound,synced",
        attestationEnforcement: "disabled",
        keyRestrictions: { isEnforced: false, enforcementType: "allow", aaGuids: [] },
      },
    ];
    lab.reseed(
      policyWith({
        Fido2: { passkeyProfiles: profiles },
        Sms: { state: "enabled", includeTargets: [{ targetType: "group", id: pilot }] },
      }),
    );
    await moveTo("2026-09-01");
    expect(methodIn(await getPolicy(), "Fido2").includeTargets).toEqual([
      {
        targetType: "group",
        id: pilot,
        isRegistrationRequired: false,
        allowedPasskeyProfiles: ["00000000-0000-0000-0000-000000000001"],
      },
    ]);
  });

  it("a tenant where nobody is enabled for SMS or voice is not in scope: recorded, nothing changed", async () => {
    lab.reseed(policyWith({ Sms: { state: "disabled" }, Voice: { state: "disabled" } }));
    const before = lab.emulator.state();
    const moved = await moveTo("2026-09-01");
    expect((moved.body as { applied: Json[] }).applied).toEqual([expect.objectContaining({ id: change, changes: [] })]);
    const after = lab.emulator.state();
    expect(after.authenticationMethodsPolicy).toEqual(before.authenticationMethodsPolicy);
  });

  it("a seed that says the tenant already had it (a copy of a real tenant) is not changed again", async () => {
    lab.reseed({ microsoftChangesApplied: [{ id: change }] });
    const before = lab.emulator.state();
    expect(((await moveTo("2026-09-01")).body as Json).applied).toEqual([]);
    expect(lab.emulator.state()).toEqual(before);
    const bad = await call(url(), "PUT", "/_emulator/state", {
      body: { microsoftChangesApplied: [{ id: "sms-gone" }] },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: Json }).error.message).toContain(
      `seed.microsoftChangesApplied[0].id is "sms-gone"; allowed: "${change}"`,
    );
  });

  it("reset returns to the start: the date and the tenant before the change", async () => {
    await moveTo("2026-09-01");
    lab.emulator.reset();
    expect(lab.emulator.today()).toEqual({ today: "2026-08-31", followsClock: false });
    expect(lab.emulator.state().microsoftChangesApplied).toEqual([]);
  });
});

describe("applying Microsoft's changes at start or seed is explicit", () => {
  async function started(options: Parameters<typeof startEmulator>[0]): Promise<TenantState> {
    const emulator = await startEmulator({ port: 0, ...options });
    try {
      return emulator.state();
    } finally {
      await emulator.stop();
    }
  }

  it("a start on a date past the day holds by default (the tenant as given), and applies with microsoftChanges apply", async () => {
    const held = await started({ today: "2026-10-01" });
    expect(held).toEqual(createDefaultTenant());

    const emulator = await startEmulator({ port: 0, today: "2026-10-01", microsoftChanges: "apply" });
    try {
      const applied = emulator.state();
      expect(applied.microsoftChangesApplied).toEqual([
        expect.objectContaining({ id: change, appliedOn: "2026-10-01", trigger: "start" }),
      ]);
      const policy = (await call(emulator.url, "GET", policyPath, { token })).body as Json;
      expect(methodIn(policy, "Fido2").state).toBe("enabled");
      expect(campaignOf(policy).state).toBe("default");
      // The start-up tenant includes it: reset keeps it.
      emulator.reset();
      expect(emulator.state()).toEqual(applied);
    } finally {
      await emulator.stop();
    }
  });

  it("a start before the day has nothing due, whatever the mode", async () => {
    expect(await started({ today: "2026-08-31", microsoftChanges: "apply" })).toEqual(createDefaultTenant());
  });

  it("a seed (file or PUT /_emulator/state) can ask for them too", async () => {
    const fromFile = await started({ seed: { today: "2027-01-15", microsoftChanges: "apply" } });
    expect(fromFile.microsoftChangesApplied).toEqual([expect.objectContaining({ id: change, trigger: "start" })]);

    const emulator = await startEmulator({ port: 0, today: "2026-12-01" });
    try {
      const seeded = await call(emulator.url, "PUT", "/_emulator/state", { body: { microsoftChanges: "apply" } });
      expect(seeded.status).toBe(200);
      expect((seeded.body as TenantState).microsoftChangesApplied).toEqual([
        expect.objectContaining({ id: change, appliedOn: "2026-12-01", trigger: "seed" }),
      ]);
      const bad = await call(emulator.url, "PUT", "/_emulator/state", { body: { microsoftChanges: "yes" } });
      expect(bad.status).toBe(400);
      expect((bad.body as { error: Json }).error.message).toContain(
        'seed.microsoftChanges is "yes"; allowed: "apply", "hold"',
      );
    } finally {
      await emulator.stop();
    }
  });
});
