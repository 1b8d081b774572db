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
 * - Terraform-style (the azuread provider's pattern): hashicorp/terraform-provider-azuread
 *   `internal/sdk/wrapper_resource.go` (Create and Update are each followed by the resource's Read) and
 *   `internal/services/policies/group_role_management_policy_resource.go` (a tenant singleton: Create first LISTS
 *   the policy assignments to find the policy, `assignmentClient.List`, then GETs the policy and PATCHes it; Update
 *   GETs and PATCHes; Read is one GET at commit 08b6a3d; Delete is `MarkAsGone`: no request, the tenant keeps what
 *   the stack wrote). The list has no counterpart among the SSPR objects: it is sent as one more GET of the object.
 * - msgraph: microsoft/terraform-provider-msgraph `internal/services/msgraph_update_resource.go` (commit 173ac9d):
 *   `CreateUpdate` PATCHes the configured body (no read first) and then GETs the object; Read is one GET; Delete is
 *   empty: no request, the tenant keeps what the stack wrote.
 *   Both Terraform providers run under Terraform's graph walk: it refreshes every resource in state (one Read each)
 *   before a plan, and runs up to 10 resources at once (`-parallelism`, default 10); they update only resources
 *   whose refreshed state differs from the configuration.
 * - Always-PATCH: no tool; the naive script that sets every object on every run and never reads.
 *
 * The portal's password reset policy: NONE of these tools has it (there is no Graph API for it), so each peer's
 * handling of it is invented here, as that tool would treat one more object (the bench's output says so).
 *
 * Destroy: Microsoft365DSC has no destroy and always-PATCH none either; each is GRANTED the pre-adoption export
 * (taken outside the measured requests) so that it puts the tenant back as ours does: Microsoft365DSC re-applies it
 * (Test, then Set where it differs), always-PATCH writes it back unread. The two Terraform providers are run as they
 * are: their destroy refreshes and then forgets, so the tenant is NOT put back (`restores: false`; the bench says
 * so beside their figures instead of calling it a failure).
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
  /** Whether its destroy puts the tenant back as it was before the first `up` (as ours does). */
  restores: boolean;
  /** Resources it works on at once (Terraform: 10 by default; Microsoft365DSC one after another). */
  concurrency: number;
  /**
   * Whether it is a tool's pattern, read from the tool's source (a peer). always-PATCH is no tool: the writes-only
   * floor (nothing read, so no drift seen, no write checked, nothing kept to put back but the export it is granted).
   */
  tool: boolean;
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

/** Runs `work` for each item, at most `limit` at once (Terraform's `-parallelism`). */
export async function eachAtOnce<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  const workers = Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  });
  await Promise.all(workers);
}

/** Terraform's default `-parallelism`. */
const terraformParallelism = 10;

/** Terraform's refresh: one Read (a GET) of each resource in its state, `-parallelism` at once. */
function terraformRefresh(created: ReadonlySet<string>) {
  return async (client: PeerClient, objects: readonly TenantObject[]): Promise<Map<string, ObjectSettings>> => {
    const refreshed = new Map<string, ObjectSettings>();
    await eachAtOnce(
      objects.filter((one) => created.has(one.name)),
      terraformParallelism,
      async (object) => void refreshed.set(object.name, await client.get(object)),
    );
    return refreshed;
  };
}

export const microsoft365Dsc: Peer = {
  name: "Microsoft365DSC",
  restores: true,
  concurrency: 1,
  tool: true,
  up: dscApply,
  // Test-DscConfiguration: every resource's Test, no Set.
  async refresh(client, objects) {
    for (const object of objects) await dscGet(client, object);
  },
  destroy: dscApply,
};

/**
 * A Terraform provider's lifecycle under Terraform's graph walk: it keeps state (which objects it has created), every
 * `up` refreshes what is in state first, then applies `createOrUpdate` to each resource that is new or drifted, 10 at
 * once; refresh is the refresh alone; destroy refreshes, then Delete sends nothing, so the tenant keeps what the stack
 * wrote (both providers below: the azuread provider's `MarkAsGone`, msgraph's empty function).
 */
function terraformProvider(
  name: string,
  createOrUpdate: (
    client: PeerClient,
    object: TenantObject,
    wanted: ObjectSettings,
    known: ObjectSettings | undefined,
  ) => Promise<void>,
): Peer {
  const created = new Set<string>();
  const refreshAll = terraformRefresh(created);
  return {
    name,
    restores: false,
    concurrency: terraformParallelism,
    tool: true,
    async up(client, objects, wanted) {
      const refreshed = await refreshAll(client, objects);
      await eachAtOnce(objects, terraformParallelism, async (object) => {
        const known = refreshed.get(object.name);
        if (known !== undefined && !hasDrift(wanted[object.name], known)) return;
        await createOrUpdate(client, object, wanted[object.name], known);
        created.add(object.name);
      });
    },
    async refresh(client, objects) {
      await refreshAll(client, objects);
    },
    async destroy(client, objects) {
      await refreshAll(client, objects);
      created.clear();
    },
  };
}

/**
 * The azuread provider's pattern (see the top of this file). Graph takes a PATCH of the changed fields only; the
 * portal only the whole object.
 */
export function terraformStyle(): Peer {
  const changedFields = (object: TenantObject, wanted: ObjectSettings, current: ObjectSettings): ObjectSettings =>
    object.write === "PUT" ? wanted : { "@odata.type": wanted["@odata.type"], ...drift(wanted, current) };
  return terraformProvider("Terraform-style", async (client, object, settings, known) => {
    // Create lists the policy assignments first (one more GET here); Create and Update then GET the existing
    // singleton and PATCH it, and the wrapper's Read follows.
    if (known === undefined) await client.get(object);
    const existing = await client.get(object);
    await client.write(object, known === undefined ? settings : changedFields(object, settings, existing));
    await client.get(object);
  });
}

/**
 * Microsoft's msgraph provider, `msgraph_update_resource` (see the top of this file): Create and Update PATCH the
 * configured body unread, then GET; Read one GET; Delete nothing.
 */
export function msgraphUpdateResource(): Peer {
  return terraformProvider("msgraph", async (client, object, settings) => {
    await client.write(object, settings);
    await client.get(object);
  });
}

export const alwaysPatch: Peer = {
  name: "always-PATCH",
  restores: true,
  concurrency: 1,
  tool: false,
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

/** The four peers, fresh (the Terraform ones keep state per lifecycle). */
export function peers(): Peer[] {
  return [microsoft365Dsc, terraformStyle(), msgraphUpdateResource(), alwaysPatch];
}
