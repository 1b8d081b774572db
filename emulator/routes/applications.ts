/**
 * The application that holds entra-sspr's ownership mark, addressed by its alternate key, its creation, and its owners:
 * `GET`/`PATCH /applications(uniqueName='entra-sspr-ownership-mark')`, `POST /applications`,
 * `GET /applications/{id}/owners`, `POST /applications/{id}/owners/$ref`.
 *
 * Sources:
 * - [GD-APP-GET]    Graph docs v1.0 `application-get`: `GET /applications(uniqueName='{uniqueName}')`, 200 with the
 *                   application; application permission Application.Read.All (least), Application.ReadWrite.OwnedBy,
 *                   Application.ReadWrite.All.
 * - [GD-APP-UPSERT] Graph docs v1.0 `application-upsert`: `PATCH /applications(uniqueName='{uniqueName}')`; with
 *                   `Prefer: create-if-missing` a missing application is created (201 with it, `displayName`
 *                   required), an existing one updated (204); without the header a missing one is 404. Application
 *                   permission Application.ReadWrite.OwnedBy (least), Application.ReadWrite.All.
 * - [GD-APP-POST]   Graph docs v1.0 `application-post-applications`: `POST /applications`, 201 with the application;
 *                   Application.ReadWrite.OwnedBy (least). `uniqueName` "can be assigned to an application and used as
 *                   an alternate key. Immutable" (application resource).
 * - [GD-OWNERS]     Graph docs v1.0 `application-list-owners`: `GET /applications/{id}/owners` (or `(appId='…')`),
 *                   200 with a collection of directoryObjects, each with its `@odata.type`; application permission
 *                   Application.Read.All (least), Application.ReadWrite.OwnedBy, Application.ReadWrite.All,
 *                   Directory.Read.All. `application-post-owners`: `POST /applications/{id}/owners/$ref` with
 *                   `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}`, 204;
 *                   Application.ReadWrite.OwnedBy (least), Application.ReadWrite.All.
 * - Graph permissions reference, Application.ReadWrite.OwnedBy: the app may "create other applications, and fully
 *   manage those applications ... It cannot update any apps that it is not an owner of". Graph's answer to such an
 *   update is `403 Authorization_RequestDenied`, "Insufficient privileges to complete the operation." (Graph's
 *   directory wording for every refused write, "Resolve Microsoft Graph authorization errors").
 *
 * Inferred, not documented, and modelled so: an app-only caller that creates an application becomes its owner (the
 * Entra admin center lists the creating service principal under Owners; Graph documents it for delegated callers, "the
 * principal ... is assigned ownership of the app they create", application-upsert); a second `POST /applications`
 * with a `uniqueName` already taken is refused `400 Request_BadRequest` "Another object with the same value for
 * property uniqueName already exists." (Graph's wording for every unique-property conflict, reported for uniqueName in
 * microsoftgraph/msgraph-bicep-types#137 and #202); adding an owner already listed is refused 400 with Graph's
 * "One or more added object references already exist for the following modified properties: 'owners'.".
 *
 * `$expand=owners` on the application's GET returns the owners inline (Graph's `$expand` of a relationship,
 * "Use query parameters", https://learn.microsoft.com/graph/query-parameters#expand-parameter).
 *
 * assumed: the emulator serves only the one alternate key entra-sspr addresses. The owners are kept on the stored
 * application (`owners`, never returned by `GET` of the application, as Graph returns relationships only with
 * `$expand`); a seed may list them. `/applications(appId='…')/owners` is not served: the project addresses owners by
 * id only. The 404 wording follows Graph's other directory objects.
 */
import { randomUUID } from "node:crypto";
import { hasPermission, type Identity } from "../auth";
import {
  badRequest,
  contextUrl,
  directoryNotFound,
  directoryObjectMissing,
  problemsResponse,
  type OperationContext,
  type Route,
} from "../graphRouting";
import { deepClone, isPlainObject, sameId, type ApiResponse, type JsonObject, type TenantState } from "../types";

export const markApplicationUniqueName = "entra-sspr-ownership-mark";

/** Properties of an application the emulator stores as given ([GD-APP-UPSERT] "Request body": writable ones). */
const writable = ["displayName", "description", "notes"];

const find = (state: TenantState): JsonObject | undefined =>
  state.applications.find((application) => sameId(String(application.uniqueName), markApplicationUniqueName));

const findById = (state: TenantState, id: string): JsonObject | undefined =>
  state.applications.find((application) => sameId(String(application.id), id));

function bodyProblems(body: unknown, creating: boolean, extra: readonly string[] = []): string[] {
  if (!isPlainObject(body)) return ["The request body must be a JSON object."];
  const problems: string[] = [];
  const allowed = [...writable, ...extra];
  for (const [key, value] of Object.entries(body)) {
    if (!allowed.includes(key))
      problems.push(`Property '${key}' is not served by the emulator (allowed: ${allowed.join(", ")}).`);
    else if (value !== null && typeof value !== "string") problems.push(`Property '${key}' must be a string or null.`);
  }
  if (creating && (typeof body.displayName !== "string" || body.displayName.trim() === ""))
    problems.push("displayName is required to create an application.");
  if (typeof body.notes === "string" && body.notes.length > 1024)
    problems.push("notes is longer than 1024 characters.");
  return problems;
}

/** One owner as the owners list shows it: its type, id and display name. */
export function ownerEntry(state: TenantState, id: string, callerName?: string): JsonObject {
  const user = state.users.find((candidate) => sameId(String(candidate.id), id));
  if (user !== undefined)
    return { "@odata.type": "#microsoft.graph.user", id: user.id, displayName: user.displayName ?? null };
  return { "@odata.type": "#microsoft.graph.servicePrincipal", id, displayName: callerName ?? null };
}

const ownersOf = (application: JsonObject): JsonObject[] =>
  Array.isArray(application.owners) ? (application.owners as JsonObject[]) : [];

/** The application without the relationships kept beside it. */
function withoutOwners(application: JsonObject): JsonObject {
  const { owners: _owners, ...rest } = application;
  return rest;
}

/**
 * Graph's 403 for a caller that holds only Application.ReadWrite.OwnedBy and does not own the application; undefined
 * when the caller may write it (it owns it, or holds Application.ReadWrite.All / Directory.ReadWrite.All).
 */
export function notOwnerRefusal(caller: Identity | undefined, application: JsonObject): ApiResponse | undefined {
  if (
    caller !== undefined &&
    hasPermission(caller.permissions, ["Application.ReadWrite.All", "Directory.ReadWrite.All"])
  )
    return undefined;
  const owned = ownersOf(application).some(
    (owner) => caller?.objectId !== undefined && sameId(String(owner.id), caller.objectId),
  );
  if (owned) return undefined;
  return {
    status: 403,
    error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." },
  };
}

/** The new application, its creator its owner. */
function created(context: OperationContext, given: JsonObject, uniqueName: string): JsonObject {
  const { caller, now, state } = context;
  return {
    id: randomUUID(),
    appId: randomUUID(),
    uniqueName,
    createdDateTime: now.toISOString(),
    signInAudience: "AzureADMyOrg",
    description: null,
    notes: null,
    ...given,
    owners: caller?.objectId === undefined ? [] : [ownerEntry(state, caller.objectId, caller.displayName)],
  };
}

const entityBody = (context: OperationContext, application: JsonObject): JsonObject => ({
  "@odata.context": contextUrl(context.version, "applications/$entity"),
  ...withoutOwners(application),
});

const readPermissions = [
  "Application.Read.All",
  "Application.ReadWrite.OwnedBy",
  "Application.ReadWrite.All",
  "Directory.Read.All",
];
const writePermissions = ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"];

const directoryObjectReference = /\/directoryObjects\/([0-9a-f-]{36})$/i;

export const applicationRoutes: Route[] = [
  {
    pattern: ["applications"],
    operations: {
      POST: {
        permissions: writePermissions,
        deniedCode: "Authorization_RequestDenied",
        hasBody: true,
        handle: (context) => {
          const { state, body } = context;
          const problems = bodyProblems(body, true, ["uniqueName"]);
          if (problems.length > 0) return problemsResponse(problems);
          const { uniqueName, ...given } = body as JsonObject;
          if (uniqueName !== markApplicationUniqueName)
            return problemsResponse([
              `The emulator creates only the application with uniqueName '${markApplicationUniqueName}'.`,
            ]);
          // Graph's unique alternate key: of two creations at the same moment, exactly one is made.
          if (find(state) !== undefined)
            return badRequest(
              "Another object with the same value for property uniqueName already exists.",
              "Request_BadRequest",
            );
          const next = deepClone(state);
          const application = created(context, given, markApplicationUniqueName);
          next.applications.push(application);
          return { status: 201, body: entityBody(context, application), nextState: next };
        },
      },
    },
  },
  {
    pattern: [`applications(uniquename='${markApplicationUniqueName}')`],
    operations: {
      GET: {
        permissions: readPermissions,
        deniedCode: "Authorization_RequestDenied",
        handle: (context) => {
          const application = find(context.state);
          if (application === undefined) return directoryNotFound(markApplicationUniqueName);
          // `$expand=owners`: the relationship inline, as Graph expands a directory object's relationships.
          const expand = (context.query.get("$expand") ?? "").split(",").map((part) => part.trim().toLowerCase());
          const body = entityBody(context, application);
          if (expand.some((part) => part === "owners" || part.startsWith("owners(")))
            body.owners = ownersOf(application);
          return { status: 200, body };
        },
      },
      PATCH: {
        permissions: writePermissions,
        deniedCode: "Authorization_RequestDenied",
        hasBody: true,
        handle: (context) => {
          const { state, body, headers } = context;
          const existing = find(state);
          const createIfMissing = /\bcreate-if-missing\b/i.test(headers?.prefer ?? "");
          if (existing === undefined && !createIfMissing) return directoryNotFound(markApplicationUniqueName);
          const problems = bodyProblems(body, existing === undefined);
          if (problems.length > 0) return problemsResponse(problems);
          const next = deepClone(state);
          const given = body as JsonObject;
          if (existing === undefined) {
            const application = created(context, given, markApplicationUniqueName);
            next.applications.push(application);
            return { status: 201, body: entityBody(context, application), nextState: next };
          }
          const refused = notOwnerRefusal(context.caller, existing);
          if (refused !== undefined) return refused;
          next.applications = next.applications.map((application) =>
            application.id === existing.id ? { ...application, ...given } : application,
          );
          return { status: 204, nextState: next };
        },
      },
    },
  },
  {
    pattern: ["applications", "{}", "owners"],
    operations: {
      GET: {
        permissions: readPermissions,
        deniedCode: "Authorization_RequestDenied",
        handle: ({ state, params, version }) => {
          const application = findById(state, params[0]);
          if (application === undefined) return directoryObjectMissing(params[0]);
          return {
            status: 200,
            body: { "@odata.context": contextUrl(version, "directoryObjects"), value: ownersOf(application) },
          };
        },
      },
    },
  },
  {
    pattern: ["applications", "{}", "owners", "$ref"],
    operations: {
      POST: {
        permissions: writePermissions,
        deniedCode: "Authorization_RequestDenied",
        hasBody: true,
        handle: (context) => {
          const { state, params, body } = context;
          const application = findById(state, params[0]);
          if (application === undefined) return directoryObjectMissing(params[0]);
          const reference = isPlainObject(body) ? body["@odata.id"] : undefined;
          const match = typeof reference === "string" ? directoryObjectReference.exec(reference) : null;
          if (match === null)
            return badRequest(
              'Invalid object identifier: the body needs "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}".',
              "Request_BadRequest",
            );
          const refused = notOwnerRefusal(context.caller, application);
          if (refused !== undefined) return refused;
          const ownerId = match[1].toLowerCase();
          if (ownersOf(application).some((owner) => sameId(String(owner.id), ownerId)))
            return badRequest(
              "One or more added object references already exist for the following modified properties: 'owners'.",
              "Request_BadRequest",
            );
          const next = deepClone(state);
          next.applications = next.applications.map((candidate) =>
            candidate.id === application.id
              ? { ...candidate, owners: [...ownersOf(candidate), ownerEntry(state, ownerId)] }
              : candidate,
          );
          return { status: 204, nextState: next };
        },
      },
    },
  },
];
