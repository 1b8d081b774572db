/**
 * Graph routes of the organization and its open extensions, where entra-sspr keeps the tenant's ownership mark.
 *
 * Sources:
 * - [GD-ORG]  Graph docs v1.0 `organization-list` (a collection of the one organization; its `id` is the tenant id).
 * - [GD-OTE]  Graph docs v1.0 `opentypeextension-get`, `-post-opentypeextension`, `-update`, `-delete`: GET 200 with
 *             the extension, POST 201 with it, PATCH 200 with it (custom data left out of the body is deleted),
 *             DELETE 204 (assumed: the delete page shows no organization example); permissions for the organization:
 *             read `User.Read` (delegated) / `Organization.Read.All` (application), write `Organization.ReadWrite.All`.
 * The docs do not show the error for a missing extension or for creating one that exists: the emulator answers
 * 404 `Request_ResourceNotFound` and 409 `Conflict` (assumed, in the shape of Graph's other directory errors).
 */
import type { Route } from "./graphRouting";
import { isPlainObject, sameId, type ApiResponse, type JsonObject, type TenantState } from "./types";

const readOrganization = {
  permissions: ["User.Read", "Organization.Read.All", "Organization.ReadWrite.All"],
  deniedCode: "Authorization_RequestDenied",
} as const;
const writeOrganization = {
  permissions: ["Organization.ReadWrite.All"],
  deniedCode: "Authorization_RequestDenied",
} as const;

/** An extension's id is its fully qualified name ([GD-OTE] "Response 2"). */
const extensionType = "microsoft.graph.openTypeExtension";
const qualifiedId = (name: string): string => `${extensionType}.${name}`;

const ok = (body: unknown): ApiResponse => ({ status: 200, body });
const notFound = (what: string): ApiResponse => ({
  status: 404,
  error: {
    code: "Request_ResourceNotFound",
    message: `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
  },
});
const badRequest = (message: string): ApiResponse => ({ status: 400, error: { code: "BadRequest", message } });

/**
 * The one organization of the tenant ([GD-ORG]): the `organization` section (emulator/people/defaultPeople.ts:
 * verified domains, `onPremisesSyncEnabled`, ...), its id always the tenant's.
 */
function organizationOf(state: TenantState): JsonObject {
  return { displayName: "Munyakazi Organisational Services", ...state.organization, id: state.tenantId };
}

function findExtension(state: TenantState, id: string): JsonObject | undefined {
  return state.organizationExtensions.find(
    (extension) =>
      typeof extension.extensionName === "string" &&
      (sameId(extension.extensionName, id) || sameId(qualifiedId(extension.extensionName), id)),
  );
}

/** Custom data: primitives or arrays of primitives ([GD-OTE] "Request body"). */
function extensionProblems(body: unknown, creating: boolean): string[] {
  if (!isPlainObject(body)) return ["The request body must be a JSON object."];
  const problems: string[] = [];
  if (creating && (typeof body.extensionName !== "string" || body.extensionName === ""))
    problems.push("extensionName is required.");
  for (const [key, value] of Object.entries(body)) {
    if (key === "@odata.type" || key === "extensionName" || key === "id") continue;
    const primitive = (item: unknown) => item === null || ["string", "number", "boolean"].includes(typeof item);
    if (!(primitive(value) || (Array.isArray(value) && value.every(primitive))))
      problems.push(`Property '${key}' must be a primitive value or an array of primitive values.`);
  }
  return problems;
}

function stored(body: JsonObject, name: string): JsonObject {
  const { "@odata.type": _type, id: _id, ...data } = body;
  return { ...data, "@odata.type": `#${extensionType}`, id: qualifiedId(name), extensionName: name };
}

export const organizationRoutes: Route[] = [
  {
    pattern: ["organization"],
    operations: {
      GET: {
        ...readOrganization,
        handle: ({ state, version }) =>
          ok({
            "@odata.context": `https://graph.microsoft.com/${version}/$metadata#organization`,
            value: [organizationOf(state)],
          }),
      },
    },
  },
  {
    pattern: ["organization", "{}", "extensions"],
    operations: {
      POST: {
        ...writeOrganization,
        hasBody: true,
        handle: ({ state, params: [organizationId], body }) => {
          if (!sameId(organizationId, state.tenantId)) return notFound(organizationId);
          const problems = extensionProblems(body, true);
          if (problems.length > 0) return badRequest(problems.join(" "));
          const name = String((body as JsonObject).extensionName);
          if (findExtension(state, name) !== undefined)
            return { status: 409, error: { code: "Conflict", message: `An extension named '${name}' exists.` } };
          const extension = stored(body as JsonObject, name);
          return {
            status: 201,
            body: extension,
            nextState: { ...state, organizationExtensions: [...state.organizationExtensions, extension] },
          };
        },
      },
    },
  },
  {
    pattern: ["organization", "{}", "extensions", "{}"],
    operations: {
      GET: {
        ...readOrganization,
        handle: ({ state, params: [organizationId, id] }) => {
          const extension = sameId(organizationId, state.tenantId) ? findExtension(state, id) : undefined;
          return extension === undefined ? notFound(id) : ok(extension);
        },
      },
      PATCH: {
        ...writeOrganization,
        hasBody: true,
        handle: ({ state, params: [organizationId, id], body }) => {
          const extension = sameId(organizationId, state.tenantId) ? findExtension(state, id) : undefined;
          if (extension === undefined) return notFound(id);
          const problems = extensionProblems(body, false);
          if (problems.length > 0) return badRequest(problems.join(" "));
          const name = String(extension.extensionName);
          // [GD-OTE] update: properties left out of the body are deleted; the answer is the updated extension.
          const updated = stored({ ...(body as JsonObject) }, name);
          return {
            status: 200,
            body: updated,
            nextState: {
              ...state,
              organizationExtensions: state.organizationExtensions.map((e) => (e === extension ? updated : e)),
            },
          };
        },
      },
      DELETE: {
        ...writeOrganization,
        handle: ({ state, params: [organizationId, id] }) => {
          const extension = sameId(organizationId, state.tenantId) ? findExtension(state, id) : undefined;
          if (extension === undefined) return notFound(id);
          return {
            status: 204,
            nextState: {
              ...state,
              organizationExtensions: state.organizationExtensions.filter((e) => e !== extension),
            },
          };
        },
      },
    },
  },
];
