/**
 * The application that holds entra-sspr's ownership mark, addressed by its alternate key:
 * `GET` and `PATCH /applications(uniqueName='entra-sspr-ownership-mark')`.
 *
 * Sources:
 * - [GD-APP-GET]    Graph docs v1.0 `application-get`: `GET /applications(uniqueName='{uniqueName}')`, 200 with the
 *                   application; application permission Application.Read.All (least), Application.ReadWrite.OwnedBy,
 *                   Application.ReadWrite.All.
 * - [GD-APP-UPSERT] Graph docs v1.0 `application-upsert`: `PATCH /applications(uniqueName='{uniqueName}')`; with
 *                   `Prefer: create-if-missing` a missing application is created (201 with it, `displayName`
 *                   required), an existing one updated (204); without the header a missing one is 404. Application
 *                   permission Application.ReadWrite.OwnedBy (least), Application.ReadWrite.All.
 * - Graph permissions reference, Application.ReadWrite.OwnedBy: the app may "create other applications, and fully
 *   manage those applications ... It cannot update any apps that it is not an owner of".
 *
 * assumed: the emulator serves only the one alternate key entra-sspr addresses, and does not keep owners (any token
 * with a write permission may update the application, as if it had created it); a wrong owner's 403 is not modelled.
 * The 404 wording follows Graph's other directory objects.
 */
import { randomUUID } from "node:crypto";
import { contextUrl, directoryNotFound, problemsResponse, type Route } from "../graphRouting";
import { deepClone, isPlainObject, sameId, type JsonObject, type TenantState } from "../types";

export const markApplicationUniqueName = "entra-sspr-ownership-mark";

/** Properties of an application the emulator stores as given ([GD-APP-UPSERT] "Request body": writable ones). */
const writable = ["displayName", "description", "notes"];

const find = (state: TenantState): JsonObject | undefined =>
  state.applications.find((application) => sameId(String(application.uniqueName), markApplicationUniqueName));

function bodyProblems(body: unknown, creating: boolean): string[] {
  if (!isPlainObject(body)) return ["The request body must be a JSON object."];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!writable.includes(key))
      problems.push(`Property '${key}' is not served by the emulator (allowed: ${writable.join(", ")}).`);
    else if (value !== null && typeof value !== "string") problems.push(`Property '${key}' must be a string or null.`);
  }
  if (creating && (typeof body.displayName !== "string" || body.displayName.trim() === ""))
    problems.push("displayName is required to create an application.");
  if (typeof body.notes === "string" && body.notes.length > 1024)
    problems.push("notes is longer than 1024 characters.");
  return problems;
}

export const applicationRoutes: Route[] = [
  {
    pattern: [`applications(uniquename='${markApplicationUniqueName}')`],
    operations: {
      GET: {
        permissions: [
          "Application.Read.All",
          "Application.ReadWrite.OwnedBy",
          "Application.ReadWrite.All",
          "Directory.Read.All",
        ],
        deniedCode: "Authorization_RequestDenied",
        handle: ({ state, version }) => {
          const application = find(state);
          if (application === undefined) return directoryNotFound(markApplicationUniqueName);
          return {
            status: 200,
            body: { "@odata.context": contextUrl(version, "applications/$entity"), ...application },
          };
        },
      },
      PATCH: {
        permissions: ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"],
        deniedCode: "Authorization_RequestDenied",
        hasBody: true,
        handle: ({ state, body, headers, now, version }) => {
          const existing = find(state);
          const createIfMissing = /\bcreate-if-missing\b/i.test(headers?.prefer ?? "");
          if (existing === undefined && !createIfMissing) return directoryNotFound(markApplicationUniqueName);
          const problems = bodyProblems(body, existing === undefined);
          if (problems.length > 0) return problemsResponse(problems);
          const next = deepClone(state);
          const given = body as JsonObject;
          if (existing === undefined) {
            const created: JsonObject = {
              id: randomUUID(),
              appId: randomUUID(),
              uniqueName: markApplicationUniqueName,
              createdDateTime: now.toISOString(),
              signInAudience: "AzureADMyOrg",
              description: null,
              notes: null,
              ...given,
            };
            next.applications.push(created);
            return {
              status: 201,
              body: { "@odata.context": contextUrl(version, "applications/$entity"), ...created },
              nextState: next,
            };
          }
          next.applications = next.applications.map((application) =>
            application.id === existing.id ? { ...application, ...given } : application,
          );
          return { status: 204, nextState: next };
        },
      },
    },
  },
];
