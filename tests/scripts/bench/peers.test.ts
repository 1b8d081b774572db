/**
 * The bench's peers as HTTP clients of the emulator: each sends its tool's documented pattern (see the sources
 * named in scripts/bench/peers.ts), counted from the emulator's request log, and each ends where it was told to.
 */
import type { EngineState } from "../../../engine/engine";
import {
  alwaysPatch,
  drift,
  exportConfiguration,
  microsoft365Dsc,
  peerClient,
  tenantObjects,
  terraformStyle,
  eachAtOnce,
  msgraphUpdateResource,
  type Configuration,
  type Peer,
  type TenantObject,
} from "../../../scripts/bench/peers";
import { useEmulator } from "../../support/emulator";

const fixture = useEmulator();

const entry = (type: string, methodId?: string) => ({
  urn: `urn:${type}:${methodId ?? ""}`,
  id: "id",
  type: `entra-sspr:index:${type}`,
  name: type,
  custom: true,
  inputs: methodId === undefined ? {} : { methodId },
  outputs: methodId === undefined ? {} : { methodId },
  dependencies: [],
});

/** The portal policy and two method configurations, as our state would hold them (the mark is not a peer's). */
const state: EngineState = Object.fromEntries(
  [
    entry("TenantOwnership"),
    entry("PasswordResetPolicy"),
    entry("AuthenticationMethodConfiguration", "Email"),
    entry("AuthenticationMethodConfiguration", "Voice"),
  ].map((one) => [one.urn, one]),
);

function counted(): { gets: number; writes: number; paths: string[] } {
  const log = fixture.emulator.requests();
  fixture.emulator.clearRequests();
  return {
    gets: log.filter((one) => one.method === "GET").length,
    writes: log.filter((one) => one.method !== "GET").length,
    paths: log.map((one) => `${one.method} ${one.path}`),
  };
}

/** Wanted: Email and Voice switched to the other state; the portal policy as it is. */
async function setUp(): Promise<{ objects: TenantObject[]; before: Configuration; wanted: Configuration }> {
  const objects = tenantObjects(state);
  const before = await exportConfiguration(peerClient(fixture.emulator.url, fixture.seeded.tenantId), objects);
  const flip = (settings: Record<string, unknown>) => ({
    ...settings,
    state: settings.state === "enabled" ? "disabled" : "enabled",
  });
  const wanted = { ...before, Email: flip(before.Email), Voice: flip(before.Voice) };
  fixture.emulator.clearRequests();
  return { objects, before, wanted };
}

describe("tenantObjects", () => {
  it("holds one object per tenant setting our state manages, and not the ownership mark", () => {
    expect(tenantObjects(state).map((one) => [one.name, one.write, one.path])).toEqual([
      ["Email", "PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Email"],
      ["PasswordResetPolicy", "PUT", "/PasswordReset/PasswordResetPolicies"],
      ["Voice", "PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Voice"],
    ]);
  });
});

describe("drift", () => {
  it("is the wanted settings the object does not hold, whatever the key order", () => {
    expect(drift({ a: { x: 1, y: 2 }, b: 1 }, { b: 1, a: { y: 2, x: 1 } })).toEqual({});
    expect(drift({ a: 1, b: [1] }, { a: 1, b: [2] })).toEqual({ b: [1] });
  });
});

describe("each peer's lifecycle on three objects, two of them drifted", () => {
  const lifecycle = async (peer: Peer) => {
    const { objects, before, wanted } = await setUp();
    const client = peerClient(fixture.emulator.url, fixture.seeded.tenantId);
    const figures: Record<string, { gets: number; writes: number }> = {};
    const take = (name: string) => {
      const { gets, writes } = counted();
      figures[name] = { gets, writes };
    };
    await peer.up(client, objects, wanted);
    take("first up");
    expect(await exportConfiguration(client, objects)).toEqual(wanted);
    counted();
    await peer.up(client, objects, wanted);
    take("no-op up");
    await peer.refresh(client, objects);
    take("refresh");
    await peer.destroy(client, objects, before);
    take("destroy");
    // The Terraform providers' Delete sends nothing: the tenant keeps what their up wrote.
    expect(await exportConfiguration(client, objects)).toEqual(peer.restores ? before : wanted);
    return figures;
  };

  it("Microsoft365DSC: Test GETs each; Set (GET again, then one write) only where Test found drift", async () => {
    expect(await lifecycle(microsoft365Dsc)).toEqual({
      "first up": { gets: 3 + 2, writes: 2 },
      "no-op up": { gets: 3, writes: 0 },
      refresh: { gets: 3, writes: 0 },
      destroy: { gets: 3 + 2, writes: 2 },
    });
  });

  it("Terraform-style: create lists, GETs, writes and reads back each object; later runs refresh each; delete forgets", async () => {
    expect(await lifecycle(terraformStyle())).toEqual({
      "first up": { gets: 3 * 3, writes: 3 },
      "no-op up": { gets: 3, writes: 0 },
      refresh: { gets: 3, writes: 0 },
      destroy: { gets: 3, writes: 0 },
    });
  });

  it("msgraph: create PATCHes unread and reads back; later runs refresh each; delete sends nothing", async () => {
    expect(await lifecycle(msgraphUpdateResource())).toEqual({
      "first up": { gets: 3, writes: 3 },
      "no-op up": { gets: 3, writes: 0 },
      refresh: { gets: 3, writes: 0 },
      destroy: { gets: 3, writes: 0 },
    });
  });

  it("runs the Terraform providers' resources 10 at once, Microsoft365DSC's one at a time", async () => {
    let running = 0;
    let most = 0;
    await eachAtOnce([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], msgraphUpdateResource().concurrency, async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    });
    expect(most).toBe(10);
    expect(microsoft365Dsc.concurrency).toBe(1);
  });

  it("always-PATCH: writes every object on every up and destroy, reads only on refresh", async () => {
    expect(await lifecycle(alwaysPatch)).toEqual({
      "first up": { gets: 0, writes: 3 },
      "no-op up": { gets: 0, writes: 3 },
      refresh: { gets: 3, writes: 0 },
      destroy: { gets: 0, writes: 3 },
    });
  });

  it("Terraform-style: an update sends the changed fields only (and the type Graph needs), then reads back", async () => {
    const { objects, wanted } = await setUp();
    const client = peerClient(fixture.emulator.url, fixture.seeded.tenantId);
    const peer = terraformStyle();
    await peer.up(client, objects, wanted);
    counted();
    const changed = {
      ...wanted,
      Email: { ...wanted.Email, state: "enabled" === wanted.Email.state ? "disabled" : "enabled" },
    };
    await peer.up(client, objects, changed);
    // Sorted: the refresh's reads run at once, in any order.
    expect(counted().paths.sort()).toEqual([
      "GET /api/PasswordReset/PasswordResetPolicies",
      "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Email",
      "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Email",
      "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Email",
      "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Voice",
      "PATCH /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Email",
    ]);
  });
});
