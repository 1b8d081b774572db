/**
 * The ownership mark: which stack owns a tenant's SSPR, kept IN the tenant so that stacks in other repositories,
 * backends and machines see it too.
 *
 * Where: the `notes` of one application object with the well-known alternate key `uniqueName`
 * {@link ownershipApplicationUniqueName}, which every stack addresses as `/applications(uniqueName='...')`. Why there:
 * it is the narrowest documented place a deployment identity may write. Graph has no SSPR-scoped place a tool may keep
 * its own data; the organization's open extension (where versions before kept the mark) takes
 * `Organization.ReadWrite.All`, which also rewrites the organization's own settings. An application the identity
 * creates is written with `Application.ReadWrite.OwnedBy`: "create other applications, and fully manage those
 * applications ... It cannot update any apps that it is not an owner of" (Graph permissions reference), and the upsert
 * that creates it is least privileged under it (Graph docs `application-upsert`: `PATCH
 * /applications(uniqueName='{uniqueName}')` with `Prefer: create-if-missing`, 201 when created, 204 when updated, 404
 * without the header when missing). Reading it takes `Application.Read.All` (Graph docs `application-get`): the
 * preview identity and another stack's identity read it; only its owners write it. A takeover by a stack whose
 * identity does not own it therefore needs an administrator to add that identity as an owner first (the error says
 * how): a deliberate step, since the takeover silences the other stack.
 *
 * Stacks made before: a mark found on the organization (old place) is still honoured when the application does not
 * exist, and the next write moves it (the application is created, the old extension deleted when the identity may).
 * Once the application exists it alone counts, so an old extension left behind is shadowed; releasing the mark
 * (destroy) empties the application's notes rather than deleting it, so such an extension never counts again.
 *
 * The mark holds the fully qualified stack name (`organization/project/stack`) and a claim: a random id the owning
 * stack also keeps in its state. Names alone cannot tell two copies of one stack apart (another repository, a lost
 * state); the claim can. Every tenant singleton checks the claim before it writes, and before destroy puts anything
 * back: after another stack took over, the old stack writes nothing.
 *
 * Who may write it: a mark is trusted only when the application's owners are all this project's identities (the
 * identity calling, plus the object ids listed in ENTRA_SSPR_TRUSTED_OWNERS for a team with several deploy
 * identities). Graph lets only an application's owners write it under Application.ReadWrite.OwnedBy, but
 * administrators (Application Administrator, Cloud Application Administrator) and apps holding
 * Application.ReadWrite.All write any application, and an owner can add owners; so the owners list, read with
 * Application.Read.All (Graph docs `application-list-owners`), is what tells a mark the project wrote from a squatted
 * or forged one. A read-only identity (the preview's) without that list cannot tell, and judges nothing: it writes
 * nothing, and the deploy identity judges the mark before its first write.
 *
 * The first claim is atomic: it creates the application with `POST /applications` carrying the `uniqueName`, which
 * Graph keeps unique (an alternate key, application resource). Of two claims at the same moment exactly one is made;
 * the other is refused 400 "Another object with the same value for property uniqueName already exists." and writes
 * nothing (inferred: Graph's wording for every unique-property conflict, reported for uniqueName in
 * microsoftgraph/msgraph-bicep-types#137; Graph does not document it on `application-post-applications`). The upsert
 * (`PATCH` with `Prefer: create-if-missing`) is not used to create: documented 201 vs 204 tells the loser it did not
 * create, but only after its write has replaced the winner's notes. A released mark (the application kept, its notes
 * empty) is claimed with a plain `PATCH`: Graph documents no conditional write (If-Match) for applications, so two
 * claims of the same identity on a released mark are not told apart; under Application.ReadWrite.OwnedBy only its
 * owners may race there, and each later write checks the claim again.
 *
 * Plain functions over the HTTP layer.
 */
import type { EntraClient } from "../http/client";
import { isEntraError } from "../http/errors";
import { parked, runAfter } from "../http/runReads";
import { isGuid, isRecord } from "../../lib/predicates";

/** The application's alternate key (`uniqueName`): the same in every tenant, so every stack finds the mark. */
export const ownershipApplicationUniqueName = "entra-sspr-ownership-mark";
/** Reading the mark: `Application.Read.All` (application or delegated), any stack's identity and the preview's. */
export const ownershipReadPermissions = ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"];
export const ownershipReadPermission = ownershipReadPermissions[0];
/** Writing it: `Application.ReadWrite.OwnedBy` for an app (only the applications it owns); a person's delegated token needs `Application.ReadWrite.All`. */
export const ownershipWritePermissions = ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"];
export const ownershipWritePermission = ownershipWritePermissions[0];
/**
 * The organization's id, and the mark's old place (an open extension of the organization, Graph docs
 * `opentypeextension-get`): `Organization.Read.All` for an app, `User.Read` for a person.
 */
export const organizationReadPermissions = ["Organization.Read.All", "Organization.ReadWrite.All", "User.Read"];
/** The old place's extension name (open extension names are free text; reverse-DNS is only a recommendation). */
export const ownershipExtensionName = "entraSspr.ownership";
/** Deleting the old place's extension, when the identity still may. */
const organizationWritePermission = "Organization.ReadWrite.All";

/** What the mark says. */
export interface OwnershipMark {
  /** Fully qualified name of the owning stack: `organization/project/stack`. */
  stack: string;
  /** The owning stack's claim (a random id in its state). */
  claim: string;
  /** When it was claimed (ISO 8601). */
  claimedAt: string;
  /** Set when the mark was read from its old place (the organization): the next write moves it. */
  storedOnOrganization?: true;
  /**
   * The stack's before-snapshot, kept in the tenant beside the claim (`tenantBefore.ts`): encoded, opaque here. A
   * takeover carries it over, so the new owner's destroy gives back what the tenant held before the first stack.
   */
  before?: string;
  /**
   * Set when the application's notes are not a mark entra-sspr writes (garbled, or missing its stack or claim): such
   * a mark never counts as a stack's, so nothing is written under it, and a destroy fails saying how to reclaim it.
   */
  problem?: string;
  /** The application's owners, kept on a mark with a `problem` so that messages name them. */
  owners?: MarkOwner[];
}

/** One owner of the mark's application, as Graph lists it (`application-list-owners`). */
export interface MarkOwner {
  id: string;
  displayName: string | null;
  /** `user`, `servicePrincipal`, ... (the owner's `@odata.type` without its namespace). */
  type: string;
}

/** The environment variable listing further trusted owners: object ids, separated by commas or spaces. */
export const trustedOwnersVariable = "ENTRA_SSPR_TRUSTED_OWNERS";

const guidText = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The object ids ENTRA_SSPR_TRUSTED_OWNERS lists; a value that is not a GUID is an error naming it. */
export function configuredTrustedOwners(text: string | undefined = process.env[trustedOwnersVariable]): string[] {
  const ids = (text ?? "").split(/[\s,]+/).filter((id) => id !== "");
  const bad = ids.filter((id) => !guidText.test(id));
  if (bad.length > 0)
    throw new Error(
      `${trustedOwnersVariable} is "${text}": ${bad.map((id) => `"${id}"`).join(", ")} ${bad.length === 1 ? "is" : "are"} ` +
        "not an object id; allowed: the object ids (GUIDs) of this project's deployment identities, separated by commas.",
    );
  return ids.map((id) => id.toLowerCase());
}

/** "name (type, id)" for each owner, for messages. */
export function describeOwners(owners: readonly MarkOwner[]): string {
  if (owners.length === 0) return "no owner at all";
  return owners.map((owner) => `${owner.displayName ?? "(no name)"} (${owner.type}, ${owner.id})`).join(", ");
}

const stackNamePattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
/** A claim id: entra-sspr writes a random UUID; any such token (letters, digits, dashes) is read as one. */
const claimPattern = /^[A-Za-z0-9-]{8,64}$/;

/** Why `notes` are not a mark this project writes, or undefined when they are one. */
function markProblem(parsed: unknown): string | undefined {
  if (!isRecord(parsed)) return "its notes are not the JSON object entra-sspr writes";
  if (typeof parsed.stack !== "string" || !stackNamePattern.test(parsed.stack))
    return "its notes name no stack (organization/project/stack)";
  if (typeof parsed.claim !== "string" || !claimPattern.test(parsed.claim)) return "its notes hold no claim id";
  return undefined;
}

/** What an administrator does to give a tenant whose mark is not a project's mark back to a stack. */
export function reclaimSteps(owners?: readonly MarkOwner[]): string {
  return (
    `To reclaim it: an Application Administrator opens Entra admin center > App registrations > All applications > ` +
    `"entra-sspr ownership mark" (uniqueName ${ownershipApplicationUniqueName}) > Owners, removes every owner that is ` +
    `not one of this project's deployment identities (bootstrap/)` +
    (owners === undefined ? "" : ` (owners now: ${describeOwners(owners)})`) +
    `, adds the stack's deployment identity as an owner if it is not one, and clears its Notes; then run again. ` +
    `(Deleting the application instead keeps its uniqueName taken for 30 days, while it sits in deleted items.)`
  );
}

/** What a singleton carries to prove its stack still owns the tenant (outputs of `TenantOwnership`). */
export interface OwnershipProof {
  organizationId: string;
  claim: string;
  stack: string;
}

/** The organization's id (the tenant id as a GUID, whatever name the stack gives the tenant). */
export async function organizationId(client: EntraClient): Promise<string> {
  const response = await client.send({
    api: "graph",
    method: "GET",
    path: "/v1.0/organization?$select=id",
    permission: organizationReadPermissions[0],
  });
  const first = isRecord(response.body) && Array.isArray(response.body.value) ? response.body.value[0] : undefined;
  if (!isRecord(first) || !isGuid(first.id)) throw new Error("TenantOwnership: Graph returned no organization id");
  return first.id.toLowerCase();
}

const organizationMarkPath = (organization: string): string =>
  `/v1.0/organization/${organization}/extensions/${ownershipExtensionName}`;
const markApplicationPath = `/v1.0/applications(uniqueName='${ownershipApplicationUniqueName}')`;

// The owners come with the mark in one request (`$expand`, Graph "Use query parameters"); were they ever missing from
// the answer, they are read on their own (`readOwners`), never assumed.
const markReadRequest = {
  api: "graph",
  method: "GET",
  path: `${markApplicationPath}?$select=id,notes&$expand=owners`,
  permission: ownershipReadPermission,
} as const;

const notFound = (error: unknown): boolean => isEntraError(error) && error.status === 404;

/** The mark's application as read: its id (absent when this run only remembers what it wrote) and notes. */
interface MarkApplication {
  id?: string;
  notes: unknown;
  /** The owners, when the answer carried them. */
  owners?: MarkOwner[];
}

function ownersFrom(value: unknown): MarkOwner[] {
  return (Array.isArray(value) ? value : []).filter(isRecord).map((owner) => ({
    id: String(owner.id ?? ""),
    displayName: typeof owner.displayName === "string" ? owner.displayName : null,
    type: String(owner["@odata.type"] ?? "#microsoft.graph.directoryObject").replace(/^#microsoft\.graph\./, ""),
  }));
}

/** The mark's application, or undefined when there is none. */
async function readMarkApplication(client: EntraClient): Promise<MarkApplication | undefined> {
  let response;
  try {
    response = await client.send(markReadRequest);
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
  const body = isRecord(response.body) ? response.body : {};
  return {
    ...(typeof body.id === "string" ? { id: body.id } : {}),
    notes: body.notes,
    ...(Array.isArray(body.owners) ? { owners: ownersFrom(body.owners) } : {}),
  };
}

/** The application's owners (Graph docs `application-list-owners`, Application.Read.All). */
export async function readOwners(client: EntraClient, applicationId: string): Promise<MarkOwner[]> {
  const response = await client.send({
    api: "graph",
    method: "GET",
    path: `/v1.0/applications/${encodeURIComponent(applicationId)}/owners?$select=id,displayName`,
    permission: ownershipReadPermission,
  });
  return ownersFrom(isRecord(response.body) ? response.body.value : undefined);
}

/**
 * The owners that are not this project's identities (the caller, and ENTRA_SSPR_TRUSTED_OWNERS), or an empty list
 * when the application has no owner at all (only an administrator writes such an application). Undefined when the
 * mark may be trusted: every owner is the project's, or the caller cannot judge (a read-only identity without the
 * list: it writes nothing; see the header).
 */
async function untrustedOwners(client: EntraClient, owners: readonly MarkOwner[]): Promise<MarkOwner[] | undefined> {
  const configured = configuredTrustedOwners();
  const caller = await client.caller?.();
  if (configured.length === 0 && caller?.writesApplications !== true) return undefined;
  const trusted = new Set([...configured, ...(caller?.objectId === undefined ? [] : [caller.objectId])]);
  const others = owners.filter((owner) => !trusted.has(owner.id.toLowerCase()));
  // An application without owners is written only by administrators: nobody of the project's wrote it.
  return owners.length === 0 ? [] : others.length > 0 ? others : undefined;
}

/** A mark nobody may trust, with the owners found. */
const distrusted = (problem: string, owners?: MarkOwner[]): OwnershipMark => ({
  stack: "",
  claim: "",
  claimedAt: "",
  problem,
  ...(owners === undefined ? {} : { owners }),
});

/** The mark in the application's notes; null when the application holds none (released), undefined without one. */
async function readApplicationMark(client: EntraClient): Promise<OwnershipMark | null | undefined> {
  const application = await readMarkApplication(client);
  if (application === undefined) return undefined;
  // What this run itself wrote is remembered without the id: its owner is the caller (it just wrote it).
  const owners =
    application.owners ?? (application.id === undefined ? undefined : await readOwners(client, application.id));
  const others = owners === undefined ? undefined : await untrustedOwners(client, owners);
  const { notes } = application;
  const empty = typeof notes !== "string" || notes.trim() === "";
  if (others !== undefined && owners !== undefined) {
    const who =
      others.length === 0
        ? "it has no owner, so only an administrator can have written it"
        : `it is owned by ${describeOwners(others)}, which ${others.length === 1 ? "is" : "are"} not this project's ` +
          `deployment identities (the identity running, and ${trustedOwnersVariable})`;
    return distrusted(
      empty
        ? `squatted: an application under entra-sspr's uniqueName exists that entra-sspr did not register: ${who}`
        : `forged or squatted: its notes may have been written by someone else: ${who}`,
      owners,
    );
  }
  if (typeof notes !== "string" || empty) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(notes);
  } catch {
    parsed = undefined;
  }
  // Notes someone else wrote are not a mark of this project's: refused by name, never "owned by stack ;".
  const problem = markProblem(parsed);
  const body = isRecord(parsed) ? parsed : {};
  if (problem !== undefined) return distrusted(problem, owners);
  return {
    stack: String(body.stack ?? ""),
    claim: String(body.claim ?? ""),
    claimedAt: String(body.claimedAt ?? ""),
    ...(typeof body.before === "string" && body.before !== "" ? { before: body.before } : {}),
  };
}

/** The mark as the application's notes: what a stack writes, its before-snapshot included when it has one. */
export function markNotes(mark: OwnershipMark): string {
  const { stack, claim, claimedAt, before } = mark;
  return JSON.stringify({ stack, claim, claimedAt, ...(before === undefined ? {} : { before }) });
}

/** The mark on the organization (old place), or undefined. */
async function readOrganizationMark(client: EntraClient, organization: string): Promise<OwnershipMark | undefined> {
  try {
    const response = await client.send({
      api: "graph",
      method: "GET",
      path: organizationMarkPath(organization),
      permission: organizationReadPermissions[0],
    });
    const body = isRecord(response.body) ? response.body : {};
    return {
      stack: String(body.stack ?? ""),
      claim: String(body.claim ?? ""),
      claimedAt: String(body.claimedAt ?? ""),
      ...(typeof body.before === "string" && body.before !== "" ? { before: body.before } : {}),
      storedOnOrganization: true,
    };
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

/** The mark, or undefined when the tenant has none. Any other failure is an error, never "no owner". */
export async function readMark(
  client: EntraClient,
  organization: string | Promise<string>,
  options: { oldPlaceAtOnce?: boolean } = {},
): Promise<OwnershipMark | undefined> {
  // The organization's id, when it has to be read, leaves with the mark's read (one `$batch` in the plugin).
  // `oldPlaceAtOnce` (a first claim, where the application is usually missing): the old place is read in the same
  // round trip rather than after the application's 404; its answer counts only when the application is missing.
  const oldPlace = options.oldPlaceAtOnce
    ? Promise.resolve(organization).then((id) => readOrganizationMark(client, id))
    : undefined;
  oldPlace?.catch(() => undefined);
  const [stored, organizationId] = await Promise.all([readApplicationMark(client), organization]);
  if (stored !== undefined) return stored ?? undefined;
  return oldPlace ?? readOrganizationMark(client, organizationId);
}

/**
 * What the mark's application answers 403 to a stack whose identity does not own it (a takeover): who owns it now is
 * read and named first, since adding this identity beside an owner that is not the project's would leave the mark
 * writable by someone else.
 */
async function notAnOwnerMessage(client: EntraClient, error: unknown): Promise<string> {
  const reason = error instanceof Error ? error.message : String(error);
  let owners: string;
  try {
    const application = await readMarkApplication(client);
    owners =
      application?.id === undefined
        ? "unknown (the application could not be read)"
        : describeOwners(await readOwners(client, application.id));
  } catch (readError) {
    owners = `unknown (${readError instanceof Error ? readError.message : String(readError)})`;
  }
  const caller = await client.caller?.().catch(() => undefined);
  const self = caller?.objectId === undefined ? "" : ` (object id ${caller.objectId})`;
  return (
    `TenantOwnership: nothing was written: this stack's identity${self} may not write the tenant's ownership mark, ` +
    `the notes of the application with uniqueName ${ownershipApplicationUniqueName} ("entra-sspr ownership mark"). ` +
    `Its owners now: ${owners}. Application.ReadWrite.OwnedBy writes only applications the identity owns. First make ` +
    `sure every owner listed is one of this project's deployment identities: any other owner can rewrite the mark ` +
    `(remove it). Then an Application Administrator adds this stack's deployment identity as an owner (Entra admin ` +
    `center > App registrations > All applications > entra-sspr ownership mark > Owners > Add owners, or az ad app ` +
    `owner add), and run again. (${reason})`
  );
}

/** What the loser of two first claims at the same moment is told. */
const lostFirstClaim = (reason: string): string =>
  `TenantOwnership: nothing was written: another claim created the tenant's ownership mark (the application with ` +
  `uniqueName ${ownershipApplicationUniqueName}) at the same moment, and Graph keeps that name unique, so this claim ` +
  `was refused. Run again: the next run reads which stack owns the tenant now. (${reason})`;

/**
 * Writes the mark: the application is created when missing (one creation wins, its creator its owner) or its notes
 * replaced (a takeover, a renamed stack, a released mark). A mark still on the organization is deleted there once the
 * application holds it. A `firstClaim` (the tenant had no mark when this run decided to claim it) never replaces notes
 * that are there now: another claim wrote them in between, and it is refused as the loser of a creation is.
 */
export async function writeMark(
  client: EntraClient,
  organization: string,
  mark: OwnershipMark,
  exists: boolean,
  firstClaim = false,
): Promise<void> {
  const application = await readMarkApplication(client);
  if (firstClaim && application !== undefined && typeof application.notes === "string" && application.notes !== "") {
    throw new Error(lostFirstClaim("the mark's application holds another claim's notes since this run read it"));
  }
  try {
    if (application === undefined) await createMarkApplication(client, markNotes(mark));
    else await writeApplicationNotes(client, markNotes(mark), application);
  } catch (error) {
    if (isEntraError(error) && error.status === 403) throw new Error(await notAnOwnerMessage(client, error));
    if (application === undefined && isEntraError(error) && error.status === 400 && /uniqueName/i.test(error.message))
      throw new Error(lostFirstClaim(error.message));
    throw error;
  }
  // Created now, so a mark that existed was read from the organization (old place): move it.
  if (application === undefined && exists) await deleteOrganizationMark(client, organization);
}

/**
 * First claims decided in this process (the tenant had no mark, `claimTenant` refused nothing) and not yet written,
 * by `organization|claim`. Issue 28: the claim rides in the write of the first object's before-snapshot
 * (`tenantBefore.ts`), which its setting writes follow in one `$batch`, instead of a round trip of its own. Whatever
 * checks the claim before that write writes it first, alone (`holdsClaim`), so nothing is ever written under a claim
 * the tenant does not hold. A run that dies before any write leaves no mark: the next run's refresh (the deploy
 * workflow runs `up` with refresh) finds it missing and claims again.
 */
const deferredClaims = new Map<string, { organization: string; mark: OwnershipMark; writing?: Promise<void> }>();
const claimKey = (organization: string, claim: string): string => `${organization.toLowerCase()}|${claim}`;

/** Keeps a first claim to be written with the first before-snapshot (see {@link deferredClaims}). */
export function deferFirstClaim(organization: string, mark: OwnershipMark): void {
  deferredClaims.set(claimKey(organization, mark.claim), { organization, mark });
}

/** The first claim still to be written for this proof, if any (not yet sent). */
export function deferredClaimOf(proof: OwnershipProof): OwnershipMark | undefined {
  const deferred = deferredClaims.get(claimKey(proof.organizationId, proof.claim));
  return deferred === undefined || deferred.writing !== undefined ? undefined : deferred.mark;
}

/** Writes the deferred first claim of this proof (with `mark`'s before, when given); resolves once it is written. */
export function writeDeferredClaim(client: EntraClient, proof: OwnershipProof, mark?: OwnershipMark): Promise<void> {
  const key = claimKey(proof.organizationId, proof.claim);
  const deferred = deferredClaims.get(key);
  if (deferred === undefined) return Promise.resolve();
  deferred.writing ??= writeMark(client, deferred.organization, mark ?? deferred.mark, false, true).then(
    () => void deferredClaims.delete(key),
    (error: unknown) => {
      deferred.writing = undefined;
      throw error;
    },
  );
  // Parked: the caller waits on a write another call may be sending (runReads.ts holds nothing back for it).
  return parked(deferred.writing);
}

/**
 * Rewrites the notes of the mark's application, which exists (the stack claimed it): the before-snapshot's writes.
 */
export async function rewriteMark(client: EntraClient, mark: OwnershipMark): Promise<void> {
  try {
    const application = await readMarkApplication(client);
    await writeApplicationNotes(client, markNotes(mark), application);
  } catch (error) {
    if (isEntraError(error) && error.status === 403) throw new Error(await notAnOwnerMessage(client, error));
    throw error;
  }
}

/** Deletes the old place's extension; "refused" without Organization.ReadWrite.All (then it stays). */
async function deleteOrganizationMark(client: EntraClient, organization: string): Promise<"deleted" | "refused"> {
  try {
    await client.send({
      api: "graph",
      method: "DELETE",
      path: organizationMarkPath(organization),
      permission: organizationWritePermission,
    });
  } catch (error) {
    if (notFound(error)) return "deleted";
    if (isEntraError(error) && error.status === 403) return "refused";
    throw error;
  }
  return "deleted";
}

/**
 * Creates the mark's application with `POST /applications` and its `uniqueName` (Graph docs
 * `application-post-applications`, Application.ReadWrite.OwnedBy): the creator becomes its owner, and a second
 * creation under the same name is refused (see the header). What it wrote is this run's read of the mark from then on.
 */
async function createMarkApplication(client: EntraClient, notes: string | null): Promise<void> {
  const response = await client.send({
    api: "graph",
    method: "POST",
    path: "/v1.0/applications",
    body: {
      displayName: "entra-sspr ownership mark",
      uniqueName: ownershipApplicationUniqueName,
      description: "Which entra-sspr stack owns this tenant's self-service password reset. Do not delete.",
      notes,
    },
    permission: ownershipWritePermission,
  });
  const id = isRecord(response.body) && typeof response.body.id === "string" ? response.body.id : undefined;
  // Its creator, the identity running, is its one owner.
  const caller = await client.caller?.();
  const owners = caller?.objectId === undefined ? undefined : [{ "@odata.type": "", id: caller.objectId }];
  client.remember?.(markReadRequest, {
    status: 200,
    body: { ...(id === undefined ? {} : { id }), notes, ...(owners === undefined ? {} : { owners }) },
  });
}

/**
 * Replaces the notes of the existing application (`null`: released). What it wrote is this run's read of the mark
 * from then on (`runReads.ts`): the resources that check the claim after it do not read it again.
 */
async function writeApplicationNotes(client: EntraClient, notes: string | null, application?: MarkApplication) {
  const response = await client.send({
    api: "graph",
    method: "PATCH",
    path: markApplicationPath,
    body: { notes },
    permission: ownershipWritePermission,
  });
  // The owners did not change: what was read before is kept with the notes written.
  const { id, owners } = application ?? {};
  client.remember?.(markReadRequest, {
    status: 200,
    body: {
      ...(id === undefined ? {} : { id }),
      notes,
      ...(owners === undefined
        ? {}
        : { owners: owners.map((owner) => ({ ...owner, "@odata.type": `#microsoft.graph.${owner.type}` })) }),
    },
  });
  return response;
}

/**
 * Releases the mark: the application's notes are emptied (the application stays, so an old extension on the
 * organization never counts again). A mark only on the organization (never moved) is deleted there, or, when the
 * identity may not (no Organization.ReadWrite.All), shadowed by an empty application.
 */
export async function deleteMark(client: EntraClient, organization: string): Promise<void> {
  try {
    await writeApplicationNotes(client, null, await readMarkApplication(client));
  } catch (error) {
    if (!notFound(error)) throw error;
    if ((await deleteOrganizationMark(client, organization)) === "refused") {
      await createMarkApplication(client, null);
    }
  }
}

/**
 * Releases the mark as {@link deleteMark} does (its notes emptied), behind `restores` (destroy's last restore writes'
 * read-backs, `earlyRelease.ts`): in their `$batch` with `dependsOn` in the plugin, so Graph empties the notes only
 * when every one of them succeeded (424 otherwise, Graph docs "json-batching"); otherwise once they have. The mark's
 * application is this run's read of it (the destroy's first round trip); what is written is remembered, so
 * TenantOwnership's delete after it reads a released mark and sends nothing.
 */
export async function releaseMarkBehind(
  client: EntraClient,
  proof: OwnershipProof,
  restores: readonly Promise<unknown>[],
): Promise<void> {
  const application = await readMarkApplication(client);
  if (application === undefined) throw new Error("TenantOwnership: the mark's application is gone; nothing to release");
  await runAfter(restores, () => writeApplicationNotes(client, null, application));
  releasedBehindRestores.add(claimKey(proof.organizationId, proof.claim));
}

/**
 * Claims this process released behind their restores ({@link releaseMarkBehind}): a delete of the stack that comes
 * after finds the mark missing because the stack itself released it, not because someone deleted it.
 */
const releasedBehindRestores = new Set<string>();

/** "stack X (claimed ...)" for messages. */
export function describeOwner(mark: OwnershipMark): string {
  if (mark.problem !== undefined)
    return (
      `a mark entra-sspr did not write (${mark.problem})` +
      (mark.owners === undefined ? "" : `; the application's owners: ${describeOwners(mark.owners)}`)
    );
  return `stack ${mark.stack}${mark.claimedAt ? ` (claimed ${mark.claimedAt})` : ""}`;
}

/** How to take a tenant over, in one sentence. */
export function takeOverAdvice(mark: OwnershipMark): string {
  return (
    `One stack owns a tenant's SSPR. If this stack is to own it from now on, set entra-sspr:takeOverFrom to ` +
    `"${mark.stack}" and run again: ${mark.stack} will then write nothing to the tenant, not even on destroy.`
  );
}

/** Whether the tenant's mark still holds this stack's claim. */
export async function holdsClaim(
  client: EntraClient,
  proof: OwnershipProof,
): Promise<{ held: boolean; mark?: OwnershipMark }> {
  // A first claim this process decided but has not written yet goes now, alone (see deferFirstClaim).
  await writeDeferredClaim(client, proof);
  const mark = await readMark(client, proof.organizationId);
  return { held: mark !== undefined && mark.claim === proof.claim, mark };
}

/**
 * Who owns the tenant when a destroy runs, from the mark:
 *   held     the mark holds this stack's claim (or the resource carries no proof: made before ownership existed);
 *   missing  the tenant has no mark (deleted out of band) and so no other stack claims it;
 *   other    the mark holds another claim: another stack, or another copy of this one, took the tenant over.
 */
export type OwnershipAtDestroy = { kind: "held" } | { kind: "missing" } | { kind: "other"; mark: OwnershipMark };

export async function ownershipAtDestroy(
  client: EntraClient,
  proof: OwnershipProof | undefined,
): Promise<OwnershipAtDestroy> {
  if (proof === undefined) return { kind: "held" };
  const { held, mark } = await holdsClaim(client, proof);
  if (held) return { kind: "held" };
  // Released by this stack's own destroy, behind its restores (earlyRelease.ts): still this stack's to finish.
  if (mark === undefined && releasedBehindRestores.has(claimKey(proof.organizationId, proof.claim))) {
    return { kind: "held" };
  }
  return mark === undefined ? { kind: "missing" } : { kind: "other", mark };
}

/**
 * The decision a destroy takes from the mark, for people: the stack that owns the tenant is the one to put it back.
 *   held     put back what this stack changed;
 *   other    write nothing: the owner's destroy puts back what the tenant held when it took over (said in the log);
 *   missing  nobody else claims the tenant, so this stack is still the one that changed it: put back what it
 *            changed (only what it still holds), and warn, so the people who could reset before keep that.
 * Returns whether to put back; the why is logged as a warning (a provider's log reaches the CLI's output).
 */
export async function restoresOnDestroy(
  client: EntraClient,
  proof: OwnershipProof | undefined,
  kind: string,
): Promise<boolean> {
  const ownership = await ownershipAtDestroy(client, proof);
  if (ownership.kind === "held" || proof === undefined) return true;
  // A mark no stack wrote (garbled, forged): nobody owns the tenant's restore, and a destroy that restores nothing
  // is a failure, not "ok" beside a warning.
  if (ownership.kind === "other" && ownership.mark.problem !== undefined) {
    throw new Error(
      `${kind}: destroy restored nothing: the tenant's ownership mark is not one entra-sspr wrote ` +
        `(${ownership.mark.problem}), so stack ${proof.stack} cannot tell whether another stack owns the tenant; ` +
        `the tenant is untouched. ${reclaimSteps(ownership.mark.owners)}`,
    );
  }
  await warnFromProvider(
    ownership.kind === "other"
      ? `${kind}: destroy wrote nothing: ${describeOwner(ownership.mark)} owns this tenant's SSPR now, not stack ` +
          `${proof.stack}; its own destroy puts back what the tenant held when it took over.`
      : `${kind}: the tenant's ownership mark is missing (deleted outside Pulumi) and no other stack claims the ` +
          `tenant, so destroy puts back what stack ${proof.stack} changed.`,
  );
  return ownership.kind === "missing";
}

/** A warning from a provider method: the provider plugin prints it (stderr outside Construct) for the CLI. */
export async function warnFromProvider(message: string): Promise<void> {
  const { log } = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  await log.warn(message);
}

/** Throws, naming the owner, when the stack no longer owns the tenant: nothing may be written then. */
export async function assertOwnership(client: EntraClient, proof: OwnershipProof, kind: string): Promise<void> {
  const { held, mark } = await holdsClaim(client, proof);
  if (held) return;
  throw new Error(
    `${kind}: nothing was written: stack ${proof.stack} no longer owns this tenant's SSPR; ` +
      (mark === undefined
        ? "the tenant's ownership mark is gone (run pulumi up to claim it again)."
        : mark.problem !== undefined
          ? `the tenant's ownership mark is ${describeOwner(mark)}. ${reclaimSteps(mark.owners)}`
          : `${describeOwner(mark)} does. ${takeOverAdvice(mark)}`),
  );
}

/** The ownership proof of a singleton's inputs, when it carries one (stacks made before ownership carry none). */
export function ownershipProofOf(value: unknown): OwnershipProof | undefined {
  if (!isRecord(value)) return undefined;
  const { organizationId: organization, claim, stack } = value;
  if (typeof organization !== "string" || typeof claim !== "string" || typeof stack !== "string") return undefined;
  return { organizationId: organization, claim, stack };
}
