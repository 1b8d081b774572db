import type { CheckedTarget, RemoteDocument, SingletonSpec } from "../../../provider/objects/singletonSpec";
import { unknownValue } from "../../../provider/objects/jsonValues";
import { singletonProvider } from "../../../provider/objects/singletonProvider";

// The generic lifecycle, with a spec over an in-memory object (the client is created but never used).

interface FakeInputs extends CheckedTarget {
  colour?: string;
  size?: number;
}

interface FakeTenant {
  object: RemoteDocument;
  calls: string[];
  /** What the tenant does with a write (default: merge it). */
  accept: (object: RemoteDocument, changed: RemoteDocument) => RemoteDocument;
  failGet?: Error;
}

function fakeSpec(tenant: FakeTenant, overrides: Partial<SingletonSpec<FakeInputs>> = {}): SingletonSpec<FakeInputs> {
  return {
    kind: "Fake",
    settingKeys: ["colour", "size"],
    identityKeys: ["name"],
    supportsReset: true,
    validate: (inputs) =>
      inputs.size === undefined || typeof inputs.size === "number"
        ? []
        : [{ property: "size", reason: "size must be a number" }],
    id: (inputs) => `${inputs.tenantId}/fake`,
    async get() {
      tenant.calls.push("GET");
      if (tenant.failGet) throw tenant.failGet;
      return structuredClone(tenant.object);
    },
    rawFields: (inputs) => [
      ...(inputs.colour !== undefined ? ["Colour"] : []),
      ...(inputs.size !== undefined ? ["Size"] : []),
    ],
    owned: (remote, inputs) => ({
      ...(inputs.colour !== undefined
        ? { colour: typeof remote.Colour === "string" ? remote.Colour.toLowerCase() : null }
        : {}),
      ...(inputs.size !== undefined ? { size: remote.Size ?? null } : {}),
    }),
    desired: (inputs) => ({
      ...(inputs.colour !== undefined ? { colour: inputs.colour.toLowerCase() } : {}),
      ...(inputs.size !== undefined ? { size: inputs.size } : {}),
    }),
    toRaw: (next) => ({
      ...(next.colour !== undefined ? { Colour: next.colour } : {}),
      ...(next.size !== undefined ? { Size: next.size } : {}),
    }),
    async send(_client, _inputs, _remote, changed) {
      tenant.calls.push(`WRITE ${JSON.stringify(changed)}`);
      tenant.object = tenant.accept(tenant.object, changed);
    },
    settings: (current) => ({ ...current }),
    async reset() {
      tenant.calls.push("RESET");
      tenant.object = { Colour: "white", Size: 0, Other: "x" };
    },
    ...overrides,
  };
}

const lab = {
  tenantId: "contoso.example",
  endpoints: { graph: "http://127.0.0.1:9", portal: "http://127.0.0.1:9/api" },
};

function newTenant(): FakeTenant {
  return {
    object: { Colour: "Red", Size: 1, Other: "keep" },
    calls: [],
    accept: (object, changed) => ({ ...object, ...changed }),
  };
}

describe("singletonProvider", () => {
  it("check fills defaults, reports every failure and drops keys that are not inputs", async () => {
    const provider = singletonProvider(fakeSpec(newTenant()));
    const { inputs, failures } = await provider.check(
      {},
      { tenantId: "t", size: "big", password: "p", __provider: "x" },
    );
    expect(inputs).toEqual({
      tenantId: "t",
      size: "big",
      onDelete: "restore",
      endpoints: { graph: "https://graph.microsoft.com", portal: "https://main.iam.ad.ext.azure.com/api" },
    });
    expect(failures.map((failure) => failure.property)).toEqual(["password", "size"]);
  });

  it("create adopts: one GET and nothing else when the tenant already matches", async () => {
    const tenant = newTenant();
    const provider = singletonProvider(fakeSpec(tenant));
    const { id, outs } = await provider.create({ ...lab, onDelete: "restore", colour: "red", __provider: "text" });
    expect(tenant.calls).toEqual(["GET"]);
    expect(id).toBe("contoso.example/fake");
    expect(outs).toEqual({
      ...lab,
      onDelete: "restore",
      colour: "red",
      snapshot: { Colour: "Red" },
      snapshotAbsent: [],
      current: { colour: "red" },
      // Nothing was written: the record of the stack's writes is the tenant as found.
      written: { Colour: "Red" },
    });
    expect(outs).not.toHaveProperty("__provider");
  });

  it("create writes only the owned fields that differ, then reads back", async () => {
    const tenant = newTenant();
    const provider = singletonProvider(fakeSpec(tenant));
    const { outs } = await provider.create({ ...lab, onDelete: "restore", colour: "red", size: 3 });
    expect(tenant.calls).toEqual(["GET", 'WRITE {"Size":3}', "GET"]);
    expect(outs.snapshot).toEqual({ Colour: "Red", Size: 1 });
    expect(outs.current).toEqual({ colour: "red", size: 3 });
    expect(tenant.object).toEqual({ Colour: "Red", Size: 3, Other: "keep" });
  });

  it("create fails naming the fields the tenant did not take, leaves the tenant as it was and adopts nothing", async () => {
    const tenant = newTenant();
    tenant.accept = (object) => object; // the tenant answers 2xx but keeps its values
    const provider = singletonProvider(fakeSpec(tenant));
    const error = await provider.create({ ...lab, onDelete: "restore", colour: "blue", size: 3 }).then(
      () => undefined,
      (reason: unknown) => reason as Error & { id?: string },
    );
    if (error === undefined) throw new Error("create should have failed");
    expect(error.message).toBe(
      'Fake: the tenant did not take the change (read back after writing): colour: wanted "blue", tenant has "red"; ' +
        "size: wanted 3, tenant has 1. The tenant is as it was before; nothing was adopted.",
    );
    // No id: the engine records nothing, and the next up adopts afresh.
    expect(error.id).toBeUndefined();
    // The rollback read the tenant once more and found nothing to put back.
    expect(tenant.calls).toEqual(["GET", 'WRITE {"Colour":"blue","Size":3}', "GET", "GET"]);
    expect(tenant.object).toEqual({ Colour: "Red", Size: 1, Other: "keep" });
  });

  it("create that took part of the change puts the rest back before failing", async () => {
    const tenant = newTenant();
    tenant.accept = (object, changed) => ({ ...object, ...changed, Colour: object.Colour }); // Colour is refused
    const provider = singletonProvider(fakeSpec(tenant));
    await expect(provider.create({ ...lab, onDelete: "restore", colour: "blue", size: 3 })).rejects.toThrow(
      "The tenant is as it was before; nothing was adopted.",
    );
    expect(tenant.calls).toEqual(["GET", 'WRITE {"Colour":"blue","Size":3}', "GET", "GET", 'WRITE {"Size":1}', "GET"]);
    expect(tenant.object).toEqual({ Colour: "Red", Size: 1, Other: "keep" });
  });

  it("create whose rollback fails too still records the snapshot, so a later run can converge and restore", async () => {
    const tenant = newTenant();
    tenant.accept = (object, changed) => {
      tenant.failGet = new Error("GET failed with 503 ServiceUnavailable"); // the service goes away after the write
      return { ...object, ...changed };
    };
    const provider = singletonProvider(fakeSpec(tenant));
    const error = await provider
      .create({ ...lab, onDelete: "restore", colour: "blue", size: 3, __provider: "x".repeat(100) })
      .then(
        () => undefined,
        (reason: unknown) => reason as Error & { id?: string; properties?: Record<string, unknown> },
      );
    if (error === undefined) throw new Error("create should have failed");
    expect(error.message).toBe(
      "GET failed with 503 ServiceUnavailable. Putting the tenant back failed too: GET failed with 503 ServiceUnavailable",
    );
    expect(error.id).toBe("contoso.example/fake");
    expect(error.properties).toMatchObject({
      snapshot: { Colour: "Red", Size: 1 },
      current: { colour: "red", size: 1 },
    });
    // Refresh and destroy run from these properties; a `__provider` the engine sent (old state) is not kept.
    expect(error.properties).not.toHaveProperty("__provider");
  });

  it("an API error is an error: never treated as absent", async () => {
    const tenant = newTenant();
    tenant.failGet = new Error("GET failed with 403 Forbidden");
    const provider = singletonProvider(fakeSpec(tenant));
    await expect(provider.read("id", { ...lab, onDelete: "restore", colour: "red" })).rejects.toThrow("403");
    await expect(provider.create({ ...lab, onDelete: "restore", colour: "red" })).rejects.toThrow("403");
  });

  it("read returns the tenant's values as outputs and as inputs, keeping the snapshot", async () => {
    const tenant = newTenant();
    const provider = singletonProvider(fakeSpec(tenant));
    const old = {
      ...lab,
      onDelete: "retain",
      colour: "blue",
      snapshot: { Colour: "Red" },
      current: { colour: "blue" },
    };
    const result = await provider.read("id", old);
    expect(tenant.calls).toEqual(["GET"]);
    expect(result).toEqual({
      id: "id",
      props: {
        ...lab,
        onDelete: "retain",
        colour: "red",
        snapshot: { Colour: "Red" },
        snapshotAbsent: [],
        current: { colour: "red" },
      },
      inputs: { ...lab, onDelete: "retain", colour: "red" },
    });
  });

  describe("diff", () => {
    const olds = {
      ...lab,
      onDelete: "restore",
      colour: "red",
      snapshot: { Colour: "Red" },
      current: { colour: "red" },
    };
    const provider = singletonProvider(fakeSpec(newTenant()));

    it("compares the normalised owned settings only and never replaces", async () => {
      expect(await provider.diff("id", olds, { ...lab, onDelete: "restore", colour: "RED" })).toEqual({
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      expect(await provider.diff("id", olds, { ...lab, onDelete: "restore", colour: "blue" })).toMatchObject({
        changes: true,
        replaces: [],
      });
    });

    it("reports onDelete, endpoint and ownership changes as updates (that write nothing)", async () => {
      expect((await provider.diff("id", olds, { ...lab, onDelete: "retain", colour: "red" })).changes).toBe(true);
      const moved = { ...lab.endpoints, graph: "http://127.0.0.1:10" };
      expect(
        (await provider.diff("id", olds, { ...lab, endpoints: moved, onDelete: "restore", colour: "red" })).changes,
      ).toBe(true);
      expect((await provider.diff("id", olds, { ...lab, onDelete: "restore" })).changes).toBe(true);
    });

    it("says changes when a value is still unknown", async () => {
      expect((await provider.diff("id", olds, { ...lab, onDelete: "restore", colour: unknownValue })).changes).toBe(
        true,
      );
    });

    it("fails the preview when the spec refuses the move", async () => {
      const guarded = singletonProvider(
        fakeSpec(newTenant(), {
          guard: () => {
            throw new Error("Fake: colour only moves forward");
          },
        }),
      );
      await expect(guarded.diff("id", olds, { ...lab, onDelete: "restore", colour: "blue" })).rejects.toThrow(
        "only moves forward",
      );
    });
  });

  describe("update", () => {
    it("writes only what differs and captures newly owned fields in the snapshot before writing", async () => {
      const tenant = newTenant();
      const provider = singletonProvider(fakeSpec(tenant));
      const olds = {
        ...lab,
        onDelete: "restore",
        colour: "blue",
        snapshot: { Colour: "Green" },
        current: { colour: "blue" },
      };
      const { outs } = await provider.update("id", olds, { ...lab, onDelete: "restore", colour: "blue", size: 7 });
      expect(tenant.calls).toEqual(["GET", 'WRITE {"Colour":"blue","Size":7}', "GET"]);
      expect(outs.snapshot).toEqual({ Colour: "Green", Size: 1 });
      // State from before the record: it starts from the tenant this update found, and takes this write.
      expect(outs.written).toEqual({ Colour: "blue", Size: 7 });
    });

    it("an onDelete change writes nothing", async () => {
      const tenant = newTenant();
      const provider = singletonProvider(fakeSpec(tenant));
      const olds = {
        ...lab,
        onDelete: "restore",
        colour: "red",
        snapshot: { Colour: "Red" },
        current: { colour: "red" },
      };
      const { outs } = await provider.update("id", olds, { ...lab, onDelete: "retain", colour: "red" });
      expect(tenant.calls).toEqual(["GET"]);
      expect(outs.onDelete).toBe("retain");
    });

    it("refuses to move to another tenant or object, whose snapshot it does not have", async () => {
      const provider = singletonProvider(fakeSpec(newTenant()));
      const olds = { ...lab, onDelete: "restore", colour: "red", snapshot: {}, current: {} };
      await expect(
        provider.update("id", olds, { ...lab, tenantId: "fabrikam.example", onDelete: "restore" }),
      ).rejects.toThrow('Fake: tenantId changed from "contoso.example" to "fabrikam.example"');
      await expect(
        provider.update("id", { ...olds, name: "a" }, { ...lab, name: "b", onDelete: "restore" }),
      ).rejects.toThrow("name changed");
      // The same tenant spelled in another case is the same tenant.
      await expect(
        provider.update("id", olds, { ...lab, tenantId: "CONTOSO.example", onDelete: "restore", colour: "red" }),
      ).resolves.toBeDefined();
    });
  });

  describe("delete", () => {
    const outputs = (onDelete: string) => ({
      ...lab,
      onDelete,
      colour: "blue",
      snapshot: { Colour: "Red", Size: null },
      current: { colour: "blue" },
    });

    it("retain sends nothing", async () => {
      const tenant = newTenant();
      await singletonProvider(fakeSpec(tenant)).delete("id", outputs("retain"));
      expect(tenant.calls).toEqual([]);
    });

    it("restore writes the snapshot back and verifies it; absent fields (null) are not written", async () => {
      const tenant = newTenant();
      tenant.object.Colour = "blue";
      await singletonProvider(fakeSpec(tenant)).delete("id", outputs("restore"));
      expect(tenant.calls).toEqual(["GET", 'WRITE {"Colour":"Red"}', "GET"]);
      expect(tenant.object).toEqual({ Colour: "Red", Size: 1, Other: "keep" });
    });

    it("restore puts back only what the tenant still holds as the stack wrote it; a value changed since stays", async () => {
      const tenant = newTenant();
      // The stack wrote Colour blue and Size 3; someone set Size to 9 since.
      tenant.object = { Colour: "blue", Size: 9, Other: "keep" };
      const props = {
        ...outputs("restore"),
        snapshot: { Colour: "Red", Size: 1 },
        written: { Colour: "blue", Size: 3 },
      };
      await singletonProvider(fakeSpec(tenant)).delete("id", props);
      expect(tenant.calls).toEqual(["GET", 'WRITE {"Colour":"Red"}', "GET"]);
      expect(tenant.object).toEqual({ Colour: "Red", Size: 9, Other: "keep" });
    });

    it("refresh keeps the record of what the stack wrote, so a destroy after it still knows", async () => {
      const tenant = newTenant();
      tenant.object = { Colour: "blue", Size: 9, Other: "keep" };
      const provider = singletonProvider(fakeSpec(tenant));
      const props = {
        ...outputs("restore"),
        snapshot: { Colour: "Red", Size: 1 },
        written: { Colour: "blue", Size: 3 },
      };
      const { props: refreshed } = await provider.read("id", { ...props, size: 3 });
      expect(refreshed).toMatchObject({ current: { colour: "blue", size: 9 }, written: props.written });
      await provider.delete("id", refreshed);
      expect(tenant.object).toEqual({ Colour: "Red", Size: 9, Other: "keep" });
    });

    it("restore of a tenant that is already as it was is one GET", async () => {
      const tenant = newTenant();
      await singletonProvider(fakeSpec(tenant)).delete("id", outputs("restore"));
      expect(tenant.calls).toEqual(["GET"]);
    });

    it("restore fails when the tenant does not take the snapshot", async () => {
      const tenant = newTenant();
      tenant.object.Colour = "blue";
      tenant.accept = (object) => object;
      await expect(singletonProvider(fakeSpec(tenant)).delete("id", outputs("restore"))).rejects.toThrow(
        'Fake: restoring the snapshot failed, the tenant did not take: Colour: wanted "Red", tenant has "blue"',
      );
    });

    it("reset hands over to the spec, and fails where there is none", async () => {
      const tenant = newTenant();
      await singletonProvider(fakeSpec(tenant)).delete("id", outputs("reset"));
      expect(tenant.calls).toEqual(["RESET"]);
      const noReset = singletonProvider(fakeSpec(newTenant(), { reset: undefined }));
      await expect(noReset.delete("id", outputs("reset"))).rejects.toThrow('onDelete "reset" is not supported');
    });
  });
});
