/**
 * TenantOwnership: one stack owns a tenant's SSPR. The resource claims the tenant's ownership mark
 * (`ownershipMark.ts`) before any other resource of the stack writes, and gives the claim to them as their
 * `ownership` input, so each checks it again right before it writes.
 *
 *   check   reads the mark (preview and up): a tenant another stack owns is refused, naming that stack, unless
 *           `takeOverFrom` names it; a tenant whose mark cannot be read (no token at preview) is left to create;
 *   create  claims the mark (POST), or takes it over (PATCH) when `takeOverFrom` names the owner;
 *   read    shows who the mark names now (refresh reports a takeover as drift);
 *   update  re-checks the claim, renames or re-claims a lost mark; refuses a foreign one as create does;
 *   delete  removes the mark when it still holds this stack's claim; after a takeover it writes nothing, nor when
 *           the restores' last `$batch` released it already (earlyRelease.ts: the run remembers the emptied notes).
 *
 * The client is created inside each method, as for the singletons.
 */
import { randomUUID } from "node:crypto";
import { createEntraClient } from "../http/client";
import type { EntraClient } from "../http/client";
import { isEntraError } from "../http/errors";
import {
  deferFirstClaim,
  deleteMark,
  describeOwner,
  organizationId,
  reclaimSteps,
  readMark,
  takeOverAdvice,
  writeMark,
  type OwnershipMark,
} from "./ownershipMark";
import {
  beforeKey,
  decodeBefore,
  encodeBefore,
  inheritedBefore,
  keepBesideFirstClaim,
  type KeptBefore,
} from "./tenantBefore";
import { takeSnapshot } from "./beforeSnapshot";
import {
  passwordResetPolicyOwnableFields,
  passwordResetPolicySpec,
  readPasswordResetPolicy,
} from "../objects/passwordResetPolicy";
import type { GrantNeed } from "../grants/grants";
import { assertNeedsGranted } from "../grants/permissionPreflight";
import { isGuid, isRecord } from "../../lib/predicates";
import type { CheckFailure } from "../objects/singletonSpec";
import { isUnknown } from "../objects/jsonValues";
import { failure, validateEndpoint } from "../objects/inputChecks";
import { defaultEndpoints, type EntraEndpoints } from "../../lib/endpoints";
import { documentsOfNeeds, readBeside } from "../objects/readsBeside";

type Props = Record<string, unknown>;

export interface TenantOwnershipInputs {
  tenantId: string;
  endpoints: EntraEndpoints;
  /** Fully qualified name of this stack: `organization/project/stack`. */
  stack: string;
  /** The fully qualified name of the stack this one takes the tenant over from, when it does. */
  takeOverFrom?: string;
  /** What the stack's writes need (`grantNeeds`): checked against the tokens before the claim, the first write. */
  needs?: GrantNeed[];
}

/** `organization/project/stack`, each part as Pulumi names allow. */
const stackNamePattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function validateTenantOwnership(inputs: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const { tenantId, endpoints, stack, takeOverFrom } = inputs;
  if (!isUnknown(tenantId) && (typeof tenantId !== "string" || !/^[A-Za-z0-9.-]+$/.test(tenantId))) {
    failures.push(failure("tenantId", tenantId, "the directory (tenant) id, a GUID, or its verified domain name"));
  }
  if (isRecord(endpoints)) {
    failures.push(...validateEndpoint("endpoints.graph", endpoints.graph));
    failures.push(...validateEndpoint("endpoints.portal", endpoints.portal));
  } else if (!isUnknown(endpoints)) {
    failures.push(failure("endpoints", endpoints, "an object { graph, portal } of base URLs"));
  }
  for (const [key, value, optional] of [
    ["stack", stack, false],
    ["takeOverFrom", takeOverFrom, true],
  ] as const) {
    if (isUnknown(value) || (optional && value === undefined)) continue;
    if (typeof value !== "string" || !stackNamePattern.test(value)) {
      failures.push(failure(key, value, "a fully qualified stack name: organization/project/stack"));
    }
  }
  for (const key of Object.keys(inputs)) {
    if (
      !["tenantId", "endpoints", "stack", "takeOverFrom", "needs", "claim", "organizationId", "owner"].includes(key)
    ) {
      failures.push({ property: key, reason: `${key} is not an input of TenantOwnership` });
    }
  }
  return failures;
}

/** Why this stack may not claim a tenant whose mark is `mark`, or undefined when it may. */
export function claimRefusal(
  mark: OwnershipMark | undefined,
  inputs: TenantOwnershipInputs,
  claim?: string,
): string | undefined {
  if (mark !== undefined && mark.problem !== undefined) {
    return (
      `Tenant ${inputs.tenantId}'s ownership mark is not one entra-sspr wrote (${mark.problem}): someone else wrote ` +
      `the application's notes, so no stack may trust it. ${reclaimSteps(mark.owners)}`
    );
  }
  if (mark === undefined || (claim !== undefined && mark.claim === claim)) return undefined;
  if (inputs.takeOverFrom !== undefined && inputs.takeOverFrom === mark.stack) return undefined;
  const tenant = `Tenant ${inputs.tenantId}`;
  // A claim of this stack's name under which nothing was written yet (its before-snapshot empty): a run that died
  // right after claiming. Claiming it again loses nothing; a copy of the stack that holds it writes nothing after.
  const kept = mark.stack === inputs.stack ? decodeBefore(mark.before) : undefined;
  if (claim === undefined && kept !== undefined && Object.keys(kept).length === 0) return undefined;
  if (mark.stack === inputs.stack) {
    return (
      `${tenant} is marked as owned by ${describeOwner(mark)}, this stack's name, but this stack's state does not ` +
      "hold that claim: its state was lost, or another copy of the stack (another repository or backend) owns the " +
      `tenant. ${takeOverAdvice(mark)}`
    );
  }
  return `${tenant}'s SSPR is owned by ${describeOwner(mark)}; this stack (${inputs.stack}) would undo its settings. ${takeOverAdvice(mark)}`;
}

function clientFor(inputs: TenantOwnershipInputs): EntraClient {
  return createEntraClient({ tenantId: inputs.tenantId, endpoints: inputs.endpoints });
}

function inputsOf(props: Props): TenantOwnershipInputs {
  return {
    tenantId: String(props.tenantId),
    endpoints: (isRecord(props.endpoints) ? props.endpoints : defaultEndpoints) as unknown as EntraEndpoints,
    stack: String(props.stack),
    ...(typeof props.takeOverFrom === "string" ? { takeOverFrom: props.takeOverFrom } : {}),
    ...(Array.isArray(props.needs) ? { needs: props.needs as GrantNeed[] } : {}),
  };
}

/**
 * The organization's id (the organization's id is the tenant id, Graph docs "organization resource type"): from state
 * when the resource has one, else the tenant id itself when the stack names the tenant by its GUID, else the Graph
 * token's `tid` (a GUID in every token Entra issues: `callerOf`, client.ts; the token is needed for the reads anyway,
 * so this costs no request), else read (`GET /organization`, which leaves with the mark's read).
 *
 * Awaited before the run's first reads are sent, so the mark's old place, whose path needs the id, leaves in the same
 * `$batch` as the mark (issue 28): while it waits on the token the call is not parked, so nothing leaves without it.
 */
async function organizationOf(
  client: EntraClient,
  inputs: TenantOwnershipInputs,
  known?: unknown,
): Promise<{ id: string | Promise<string> }> {
  if (typeof known === "string" && isGuid(known)) return { id: known.toLowerCase() };
  if (isGuid(inputs.tenantId)) return { id: inputs.tenantId.toLowerCase() };
  const fromToken = (await client.caller?.())?.tenantId;
  // Wrapped: an async function's promise would otherwise wait for the read, which must leave with the mark's.
  return { id: fromToken ?? organizationId(client) };
}

/**
 * The before of the objects the stack manages that the first claim's check read beside the mark (readsBeside.ts; the
 * run's reads answer from that read): kept with the claim, in its one write, before any setting is written
 * (tenantBefore.ts `keepBesideFirstClaim`). Only the portal's password reset policy: the stack's grants say whether
 * it manages it (a portal grant), and one object holds all its fields, of which every one its settings may own is
 * kept (the resource limits the entry to the fields it owns). Which method configurations the stack manages is not
 * in its grants, and keeping all of them would not fit the mark (tenantBefore.ts `markNotesLimit`): each method's
 * create keeps its own, in the same write when its create reaches the plugin at the same moment (`callsGathered`).
 */
async function beforesBeside(client: EntraClient, needs: readonly GrantNeed[] | undefined): Promise<KeptBefore> {
  if (!documentsOfNeeds(needs).passwordResetPolicy) return {};
  const remote = await readPasswordResetPolicy(client);
  return { [beforeKey(passwordResetPolicySpec.kind)]: takeSnapshot(remote, passwordResetPolicyOwnableFields()) };
}

/** Claims the mark (or takes it over) unless it is refused; returns the outputs. */
async function claimTenant(
  inputs: TenantOwnershipInputs,
  ownClaim?: string,
  knownOrganization?: unknown,
): Promise<Props> {
  // The claim is the run's first write: every grant the stack's writes need is checked before it, all at once.
  if (inputs.needs !== undefined) await assertNeedsGranted(inputs, inputs.needs);
  const client = clientFor(inputs);
  const organizationRead = (await organizationOf(client, inputs, knownOrganization)).id;
  const mark = await readMark(client, organizationRead, { oldPlaceAtOnce: ownClaim === undefined });
  const organization = await organizationRead;
  const refusal = claimRefusal(mark, inputs, ownClaim);
  if (refusal !== undefined) throw new Error(`TenantOwnership: nothing was written. ${refusal}`);
  // A stack keeps its claim for good (re-claiming a lost mark, or taking a tenant back): the other resources hold it.
  const claim = ownClaim ?? randomUUID();
  const next: OwnershipMark = {
    stack: inputs.stack,
    claim,
    claimedAt: mark !== undefined && mark.claim === claim ? mark.claimedAt : new Date().toISOString(),
    // The tenant's before-snapshot stays with the tenant: a rename, a re-claim and a takeover carry it over, so the
    // owner's destroy gives back what the tenant held before the first stack changed it (tenantBefore.ts).
    // A first claim says "nothing written yet" (an empty snapshot), which tells a dead run's claim from a stack's.
    // Another claim's entries are inherited as its objects' own (`inheritedBefore`).
    before:
      mark?.before === undefined ? encodeBefore({}) : mark.claim === claim ? mark.before : inheritedBefore(mark.before),
  };
  // A first claim (no mark at all) is written with the first object's before-snapshot, in the `$batch` its setting
  // writes follow (issue 28; `deferFirstClaim`). A mark still in its old place (the organization) is written again,
  // which moves it (`ownershipMark.ts`); a takeover or a rename is written now.
  if (mark === undefined) {
    deferFirstClaim(organization, next);
    keepBesideFirstClaim({ organizationId: organization, claim }, beforesBeside(client, inputs.needs));
  } else if (mark.stack !== next.stack || mark.claim !== next.claim || mark.storedOnOrganization) {
    await writeMark(client, organization, next, true);
  }
  return { ...inputs, organizationId: organization, claim, claimedAt: next.claimedAt, owner: inputs.stack };
}

export const tenantOwnershipProvider = {
  async check(olds: Props, news: Props) {
    // Only a missing `endpoints` means Microsoft's: `null` is a value, refused below before any sign-in.
    const inputs: Props = {
      ...news,
      endpoints: news.endpoints === undefined ? { ...defaultEndpoints } : news.endpoints,
    };
    delete inputs.__provider;
    const failures = validateTenantOwnership(inputs);
    if (failures.length > 0 || Object.values(inputs).some(isUnknown)) return { inputs, failures };
    // Preview already refuses a tenant another stack owns. Without a usable token (a preview that signs in to
    // nothing, or a token that may not read the organization) the mark cannot be read here; create reads it again,
    // after checking every grant, before anything is written.
    try {
      const typed = inputsOf(inputs);
      const client = clientFor(typed);
      const known = olds.tenantId === typed.tenantId ? olds.organizationId : undefined;
      const organization = (await organizationOf(client, typed, known)).id;
      // A first claim: the documents the stack writes are read with the mark (readsBeside.ts), and the mark's old
      // place too; only the writes wait for the claim. (A read of the mark's owners joins here as well.)
      const firstClaim = olds.tenantId === undefined;
      if (firstClaim) readBeside(client, documentsOfNeeds(typed.needs));
      const mark = await readMark(client, organization, { oldPlaceAtOnce: firstClaim });
      // Kept with the inputs, so that the next run's check (which sees only the old inputs) need not read it.
      inputs.organizationId = await organization;
      // A stack that claimed before (it has old inputs) but whose tenant holds no mark: its first claim never got
      // written (the run stopped before any object wrote it: deferFirstClaim), or the mark was deleted. The update
      // claims it again, as after a refresh that found it gone.
      if (!firstClaim && mark === undefined) inputs.owner = null;
      const refusal = mark !== undefined && mark.stack === typed.stack ? undefined : claimRefusal(mark, typed);
      if (refusal !== undefined) failures.push({ property: "stack", reason: refusal });
    } catch (error) {
      // No token, or one that may not read the organization: create checks every grant before it writes anything.
      const unreadable = isEntraError(error) && (error.kind === "auth" || error.status === 401 || error.status === 403);
      if (!unreadable) throw error;
    }
    return { inputs, failures };
  },

  async diff(_id: string, olds: Props, news: Props) {
    const changed = ["tenantId", "endpoints", "stack", "takeOverFrom", "needs"].some(
      (key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    );
    // `owner` is who the mark named at the last refresh: another stack means it was taken over.
    // `news.owner` null: check found no mark at all (see check).
    const markMissing = news.owner === null;
    return { changes: changed || markMissing || olds.owner !== news.stack, replaces: [], deleteBeforeReplace: false };
  },

  async create(props: Props) {
    const inputs = inputsOf(props);
    return { id: `${inputs.tenantId}/ownership`, outs: await claimTenant(inputs, undefined, props.organizationId) };
  },

  async read(id: string, props: Props) {
    const inputs = inputsOf(props);
    const client = clientFor(inputs);
    const mark = await readMark(client, (await organizationOf(client, inputs, props.organizationId)).id);
    const owner = mark === undefined ? null : mark.claim === props.claim ? inputs.stack : mark.stack;
    const organizationId = typeof props.organizationId === "string" ? { organizationId: props.organizationId } : {};
    return { id, props: { ...props, owner }, inputs: { ...inputs, ...organizationId } };
  },

  async update(_id: string, olds: Props, news: Props) {
    const claim = typeof olds.claim === "string" ? olds.claim : undefined;
    // The organization in state is this tenant's only while the stack still names the same tenant.
    const organization = olds.tenantId === news.tenantId ? olds.organizationId : undefined;
    return { outs: await claimTenant(inputsOf(news), claim, organization) };
  },

  async delete(_id: string, props: Props) {
    const inputs = inputsOf(props);
    const organization = typeof props.organizationId === "string" ? props.organizationId : undefined;
    if (organization === undefined) return;
    const client = clientFor(inputs);
    const mark = await readMark(client, organization);
    // A mark nobody may trust (squatted, forged, garbled): nothing is written, and the destroy fails saying so.
    if (mark?.problem !== undefined) {
      throw new Error(
        `TenantOwnership: destroy wrote nothing: the tenant's ownership mark is ${describeOwner(mark)}; the mark ` +
          `was not released. ${reclaimSteps(mark.owners)}`,
      );
    }
    // Taken over (or already gone): the tenant is another stack's now; nothing is written.
    if (mark === undefined || mark.claim !== props.claim) return;
    await deleteMark(client, organization);
  },
};
