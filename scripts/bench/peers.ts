/**
 * The peers the benchmark runs beside ours: real HTTP clients that send each tool's request pattern to the same
 * emulator, so their requests are counted from the emulator's request log like ours. Each peer manages the tenant
 * objects our stack manages, one resource per object (the ownership mark is ours alone), and wants exactly what our
 * stack leaves in them: its configuration is exported from the tenant our stack configured (as
 * `Export-M365DSCConfiguration` exports a configured tenant), field by field as the API returns it.
 *
 * Sources read for each pattern (public repositories, via the project's search tool):
 * - Microsoft365DSC: microsoft/Microsoft365DSC
 *   `Modules/Microsoft365DSC/DSCResources/MSFT_AADAuthenticationMethodPolicyEmail/MSFT_AADAuthenticationMethodPolicyEmail.psm1`
 *   (Get-TargetResource: one GET of the method configuration, plus `Get-MgGroup` per group target that is not
 *   all_users; Test-TargetResource: Get, then compare; Set-TargetResource: Get again, then one PATCH of every bound
 *   parameter, no read-back) and `MSFT_AADAuthorizationPolicy/MSFT_AADAuthorizationPolicy.psm1` (Set: Get, then one
 *   PATCH). The DSC engine runs Test per resource and Set only where Test found drift.
 * - Terraform-style: hashicorp/terraform-provider-azuread `internal/sdk/wrapper_resource.go` (Create and Update
 *   are each followed by the resource's Read) and `internal/services/policies/group_role_management_policy_resource.go`
 *   (a tenant singleton: Create and Update GET the existing policy and PATCH it; Read is one GET; Delete only
 *   forgets it, `MarkAsGone`). Terraform refreshes every resource in state (one Read each) before a plan, on apply,
 *   refresh and destroy; it updates only resources whose refreshed state differs from the configuration.
 * - Always-PATCH: no tool; the naive script that sets every object on every run and never reads.
 *
 * Destroy puts back what the tenant held before, for every peer, so that all do the same job as ours: none of these
 * tools restores a singleton by itself (DSC has no destroy; the Terraform singleton above only forgets), so each is
 * GRANTED the pre-adoption export (taken outside the measured requests): Microsoft365DSC re-applies it (Test, then
 * Set where it differs), the Terraform-style delete writes it back after destroy's refresh, always-PATCH writes it
 * back unread.
 */
import { randomUUID } from "node:crypto";
import { labToken } from "../../provider/http/credentials";
import { methodConfigurationPath } from "../../provider/objects/authenticationMethodConfiguration";
import { methodsPolicyPath } from "../../provider/objects/authenticationMethodsPolicy";
import { authorizationPolicyPath } from "../../provider/objects/administratorPasswordReset";
import { passwordResetPolicyPath } from "../../provider/objects/passwordResetPolicy";
import { isRecord } from "../../lib/predicates";
import type { EngineState } from "../../engine/engine";

/** One tenant object a configuration tool holds as one resource. */
export interface TenantObject {
  /** The resource's name in the tables: the method id, or our resource type for the tenant-wide policies. */
  name: string;
  api: "graph" | "portal";
  /** Path under the API's base URL. */
  path: string;
  /** The portal API takes the whole object on PUT; Graph takes a PATCH. */
  write: "PATCH" | "PUT";
  /** Fields the GET returns that no tool configures (service-kept or navigation properties). */
  readOnly: readonly string[];
}

/** Everything the object holds that a tool configures, as the API returned it. */
export type ObjectSettings = Record<string, unknown>;
/** A peer's configuration: the wanted settings of each object, by object name. */
export type Configuration = Record<string, ObjectSettings>;

const graphReadOnly = ["@odata.context", "id"];

/** The tenant objects behind our applied state's resources (TenantOwnership is ours alone: no peer has it). */
export function tenantObjects(state: EngineState): TenantObject[] {
  const objects: TenantObject[] = [];
  for (const entry of Object.values(state)) {
    const type = entry.type.match(/^entra-sspr:index:(\w+)$/)?.[1];
    if (type === "PasswordResetPolicy") {
      objects.push({ name: type, api: "portal", path: passwordResetPolicyPath, write: "PUT", readOnly: [] });
    } else if (type === "AuthenticationMethodConfiguration") {
      const methodId = String(entry.outputs.methodId ?? entry.inputs.methodId);
      const path = methodConfigurationPath(methodId);
      objects.push({ name: methodId, api: "graph", path, write: "PATCH", readOnly: graphReadOnly });
    } else if (type === "AuthenticationMethodsPolicy") {
      // The v1.0 root lists every method configuration (navigation, written through each method's own path).
      const readOnly = [...graphReadOnly, "authenticationMethodConfigurations", "lastModifiedDateTime"];
      objects.push({ name: type, api: "graph", path: methodsPolicyPath([]), write: "PATCH", readOnly });
    } else if (type === "AdministratorPasswordReset") {
      objects.push({
        name: type,
        api: "graph",
        path: authorizationPolicyPath,
        write: "PATCH",
        readOnly: graphReadOnly,
      });
    }
  }
  return objects.sort((a, b) => a.name.localeCompare(b.name));
}

/** A plain HTTP client of the emulator, as a peer would hold one (no retries, no shared reads). */
export interface PeerClient {
  get(object: TenantObject): Promise<ObjectSettings>;
  getGroup(id: string): Promise<void>;
  write(object: TenantObject, settings: ObjectSettings): Promise<void>;
}

/** `tenantId`: the tenant the peer manages, whose tokens it holds (the emulator refuses another tenant's). */
export function peerClient(emulatorUrl: string, tenantId: string): PeerClient {
  const base = { graph: emulatorUrl, portal: `${emulatorUrl}/api` };
  const send = async (api: "graph" | "portal", method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base[api]}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${labToken(api, { tid: tenantId })}`,
        "content-type": "application/json",
        // The portal API refuses a request without it.
        "x-ms-client-request-id": randomUUID(),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`peer: ${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return text === "" ? undefined : JSON.parse(text);
  };
  return {
    async get(object) {
      const body = await send(object.api, "GET", object.path);
      if (!isRecord(body)) throw new Error(`peer: GET ${object.path} returned no object`);
      return Object.fromEntries(Object.entries(body).filter(([key]) => !object.readOnly.includes(key)));
    },
    async getGroup(id) {
      await send("graph", "GET", `/v1.0/groups/${encodeURIComponent(id)}`);
    },
    async write(object, settings) {
      await send(object.api, object.write, object.path, settings);
    },
  };
}

/** Reads every object's configurable settings: the export a peer's configuration is made of. */
export async function exportConfiguration(
  client: PeerClient,
  objects: readonly TenantObject[],
): Promise<Configuration> {
  const configuration: Configuration = {};
  for (const object of objects) configuration[object.name] = await client.get(object);
  return configuration;
}

/** JSON with object keys sorted, so two settings compare equal whatever order the API wrote the keys in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isRecord(inner) && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** The wanted settings that the current object does not hold (an empty object when it holds them all). */
export function drift(wanted: ObjectSettings, current: ObjectSettings): ObjectSettings {
  return Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => canonical(value) !== canonical(current[key])),
  );
}

const hasDrift = (wanted: ObjectSettings, current: ObjectSettings): boolean =>
  Object.keys(drift(wanted, current)).length > 0;

/** Group targets (not all_users) of a method configuration, which Microsoft365DSC's Get resolves to names. */
function groupTargets(settings: ObjectSettings): string[] {
  const targets = [settings.includeTargets, settings.excludeTargets].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return targets
    .filter((target): target is Record<string, unknown> => isRecord(target))
    .filter((target) => target.targetType === "group" && typeof target.id === "string" && target.id !== "all_users")
    .map((target) => String(target.id));
}

/** One peer's operations; `up` and `destroy` run against the peer's own tenant with the given configuration. */
export interface Peer {
  name: string;
  /** Runs `up` with the wanted configuration (first, no-op and changed runs alike). */
  up(client: PeerClient, objects: readonly TenantObject[], wanted: Configuration): Promise<void>;
  refresh(client: PeerClient, objects: readonly TenantObject[]): Promise<void>;
  /** Puts back the pre-adoption export (granted, see the top of this file). */
  destroy(client: PeerClient, objects: readonly TenantObject[], before: Configuration): Promise<void>;
}

/** Microsoft365DSC's Get-TargetResource: the object, then each group target by id (to report its name). */
async function dscGet(client: PeerClient, object: TenantObject): Promise<ObjectSettings> {
  const current = await client.get(object);
  for (const id of groupTargets(current)) await client.getGroup(id);
  return current;
}

/** Start-DscConfiguration: per resource, one after another, Test; where it fails, Set (Get again, then write all). */
async function dscApply(client: PeerClient, objects: readonly TenantObject[], wanted: Configuration): Promise<void> {
  for (const object of objects) {
    if (!hasDrift(wanted[object.name], await dscGet(client, object))) continue;
    await dscGet(client, object);
    await client.write(object, wanted[object.name]);
  }
}

export const microsoft365Dsc: Peer = {
  name: "Microsoft365DSC",
  up: dscApply,
  // Test-DscConfiguration: every resource's Test, no Set.
  async refresh(client, objects) {
    for (const object of objects) await dscGet(client, object);
  },
  destroy: dscApply,
};

/**
 * A Terraform-style provider. It keeps state: which objects it has created (a first `up` creates them all; later
 * runs refresh and update). Graph takes a PATCH of the changed fields only; the portal only the whole object.
 */
export function terraformStyle(): Peer {
  const created = new Set<string>();
  const refreshAll = async (
    client: PeerClient,
    objects: readonly TenantObject[],
  ): Promise<Map<string, ObjectSettings>> => {
    const refreshed = new Map<string, ObjectSettings>();
    for (const object of objects.filter((one) => created.has(one.name))) {
      refreshed.set(object.name, await client.get(object));
    }
    return refreshed;
  };
  const changedFields = (object: TenantObject, wanted: ObjectSettings, current: ObjectSettings): ObjectSettings =>
    object.write === "PUT" ? wanted : { "@odata.type": wanted["@odata.type"], ...drift(wanted, current) };
  return {
    name: "Terraform-style",
    async up(client, objects, wanted) {
      const refreshed = await refreshAll(client, objects);
      for (const object of objects) {
        const settings = wanted[object.name];
        const known = refreshed.get(object.name);
        if (known !== undefined && !hasDrift(settings, known)) continue;
        // Create or Update: GET the existing singleton, PATCH it, then the wrapper's Read.
        const existing = await client.get(object);
        await client.write(object, known === undefined ? settings : changedFields(object, settings, existing));
        await client.get(object);
        created.add(object.name);
      }
    },
    async refresh(client, objects) {
      await refreshAll(client, objects);
    },
    async destroy(client, objects, before) {
      await refreshAll(client, objects);
      for (const object of objects.filter((one) => created.has(one.name))) {
        await client.write(object, before[object.name]);
        created.delete(object.name);
      }
    },
  };
}

export const alwaysPatch: Peer = {
  name: "always-PATCH",
  async up(client, objects, wanted) {
    for (const object of objects) await client.write(object, wanted[object.name]);
  },
  async refresh(client, objects) {
    for (const object of objects) await client.get(object);
  },
  async destroy(client, objects, before) {
    for (const object of objects) await client.write(object, before[object.name]);
  },
};

/** The three peers, fresh (the Terraform-style one keeps state per lifecycle). */
export function peers(): Peer[] {
  return [microsoft365Dsc, terraformStyle(), alwaysPatch];
}
