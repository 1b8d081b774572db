/**
 * What a tenant singleton is made of: the spec each object file supplies (how to read the object, which fields it
 * owns, how to write them) and the documents, settings and inputs the lifecycle (`singletonProvider.ts`) passes
 * between its steps.
 */
import type { EntraClient } from "../http/client";
import type { OwnershipProof } from "../ownership/ownershipMark";
import type { OnDelete } from "./objectSettings";
import type { EntraEndpoints } from "../../lib/endpoints";
import type { StackDocuments } from "./readsBeside";

/** A JSON object as Graph or the portal API returns it. */
export type RemoteDocument = Record<string, unknown>;

/** Normalised owned settings, keyed by setting name (the admin-center words of the inputs). */
export type OwnedSettings = Record<string, unknown>;

/** Raw fields of the remote object as they were before adoption, keyed by the API's own field names. */
export type Snapshot = Record<string, unknown>;

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Inputs every singleton carries once `check` has filled the defaults. */
export interface CheckedTarget {
  tenantId: string;
  endpoints: EntraEndpoints;
  onDelete: OnDelete;
  /** The stack's claim on the tenant (TenantOwnership's outputs); checked before every write. */
  ownership?: OwnershipProof;
}

export interface SingletonSpec<Inputs extends CheckedTarget> {
  /** The class name; prefixes every error. */
  kind: string;
  /** Documents its delete reads beside its own (the first resource a destroy removes reads every restore target). */
  readsOnDelete?: StackDocuments;
  /** Input keys that are owned settings (diffed, written, restored). */
  settingKeys: readonly string[];
  /**
   * Drift a refresh found that Microsoft's calendar explains (a change Microsoft makes itself), in words; refresh
   * records them as the output `microsoftChanges`, so the drift is told apart from an administrator's edit.
   */
  microsoftChanges?(previous: OwnedSettings | undefined, current: OwnedSettings, now: Date): string[];
  /** Input keys naming which object this is (e.g. `methodId`): changing one means another object, refused. */
  identityKeys?: readonly string[];
  /** Other input keys that shape behaviour without being settings (e.g. `includeTargetsMode`). */
  optionKeys?: readonly string[];
  /** Whether `onDelete: "reset"` exists for this object. */
  supportsReset: boolean;
  /** Fills defaults and canonical spellings; runs before validation, on unvalidated inputs. */
  defaults?(inputs: Record<string, unknown>): Record<string, unknown>;
  /** Every problem with the object's own inputs (pure; unknown preview values are already skipped by the caller). */
  validate(inputs: Record<string, unknown>): CheckFailure[];
  /** A stable id for the state; singletons have no server-side id of their own. */
  id(inputs: Inputs): string;
  /**
   * One GET of the remote object. `fields` are the raw fields the caller needs (the owned ones, or a snapshot's on
   * restore): an object with beta-only fields reads them from `/beta`.
   */
  get(client: EntraClient, inputs: Inputs, fields: readonly string[]): Promise<RemoteDocument>;
  /** The remote's top-level fields that the given inputs own (what a snapshot keeps). */
  rawFields(inputs: Inputs): string[];
  /** The owned settings as the tenant has them, normalised; only settings present in the inputs. */
  owned(remote: RemoteDocument, inputs: Inputs): OwnedSettings;
  /** The owned settings as the inputs want them, normalised in the same way, given the tenant's current values. */
  desired(inputs: Inputs, current: OwnedSettings): OwnedSettings;
  /** Throws when the move from `current` to `desired` is not allowed (e.g. migration state backwards). */
  guard?(current: OwnedSettings, desired: OwnedSettings): void;
  /** Raw values of the owned top-level fields that realise `next`, built on `remote` (unchanged where already equal). */
  toRaw(next: OwnedSettings, remote: RemoteDocument, inputs: Inputs): RemoteDocument;
  /** Sends the changed raw fields (portal: whole object PUT; Graph: PATCH of just these). */
  send(client: EntraClient, inputs: Inputs, remote: RemoteDocument, changed: RemoteDocument): Promise<void>;
  /** Raw fields the service may rewrite on its own (display names): written back on restore, not verified. */
  unverifiable?: readonly string[];
  /** Raw fields the service rewrites on its own (a display name), each with the field it describes: destroy puts
   * one back exactly when it puts back the other (`restoreRule.ts`). */
  restoreFollowers?: Readonly<Record<string, string>>;
  /**
   * The snapshot fields restore writes, from those that differ from the tenant. A snapshot field that is `null` was
   * absent (or null) before adoption. Default: every differing field except nulls, since a Graph PATCH cannot remove
   * a property. Specs override it to map absence to the API's empty value, or to keep fields from moving (e.g. the
   * migration state, which only moves forward).
   */
  restorable?(changed: RemoteDocument, remote: RemoteDocument): RemoteDocument;
  /**
   * Owned settings expressed as inputs (for `read`): what the inputs would be if they described the tenant.
   * Default: the owned settings themselves, for objects whose settings already have the inputs' shape.
   */
  settings?(current: OwnedSettings, inputs: Inputs): Record<string, unknown>;
  /** `onDelete: "reset"`: back to the service's defaults. */
  reset?(client: EntraClient, inputs: Inputs): Promise<void>;
  /**
   * `pulumi import`: the identity (tenantId, and `methodId` for a method) an import id names, or undefined when the
   * id is not this object's.
   */
  importId?(id: string): Record<string, unknown> | undefined;
  /**
   * `pulumi import`: the settings, in input form, of a program that owns what this object offers (the settings a
   * stack config can set), as the tenant holds them.
   */
  importable?(remote: RemoteDocument, identity: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The identity an import id names when it has the object's form `<tenantId>/<path>` (the ids `create` gives):
 * `{ tenantId }`, or undefined for another form.
 */
export function tenantOfImportId(id: string, path: string): { tenantId: string } | undefined {
  const suffix = `/${path}`;
  const tenantId = id.endsWith(suffix) ? id.slice(0, -suffix.length) : "";
  return /^[A-Za-z0-9.-]+$/.test(tenantId) ? { tenantId } : undefined;
}

/** Input keys every singleton takes besides its own (the members of `CheckedTarget`). */
export const commonKeys = ["tenantId", "endpoints", "onDelete", "ownership"];

/** Keys the resource class itself declares as outputs; they arrive empty in the inputs and are dropped. */
export const outputKeys = ["snapshot", "snapshotAbsent", "current", "written", "microsoftChanges"];
