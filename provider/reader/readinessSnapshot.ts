/**
 * The read-only reads behind readiness and doctor, through the project's HTTP layer (tokens, retries, errors).
 * Every read names the permission it needs; a 401/403 or the licence refusal becomes a `ReadProblem`, never a
 * verdict about people. Nothing here writes: the client is wrapped so that only GETs, and `$batch` posts made of
 * GETs, can leave.
 *
 * Registered methods come from the registration report (`AuditLog.Read.All`, needs Entra ID P1); in a tenant
 * without it Graph answers 403 `Authentication_RequestFromNonPremiumTenantOrB2CTenant` and each user's
 * `/authentication/methods` is read instead (`UserAuthenticationMethod.Read.All`), 20 users per `$batch` request
 * (Graph's limit per batch).
 */
import type { EntraClient } from "../http/client";
import { isEntraError } from "../http/errors";
import { isRecord } from "../../lib/predicates";
import {
  groupMembersPath,
  graphReadPermission,
  readCollection,
  readGraphObject,
  readPermission,
  readTenantObject,
  registrationDetailsPath,
  tenantObjects,
  type ReadOptions,
  type TenantObjectName,
} from "./tenantReader";
import { ssprScopeOf } from "../../lib/tenantCodecs";
import { policyGroupIds, registeredFromMethods } from "../../components/readiness/ssprMethods";
import { twoGateRolesOf } from "../../components/readiness/administratorPolicy";
import type {
  DirectoryRoleRef,
  PersonRecord,
  ReadProblem,
  TenantSnapshot,
} from "../../components/readiness/readinessTypes";

type JsonObject = Record<string, unknown>;

/** The read-only Graph permissions (and the portal role) these reads need, for the README and messages. */
export const readPermissions = {
  policies: readPermission("authenticationMethodsPolicy"),
  users: graphReadPermission("pilotMembersRead"),
  memberships: graphReadPermission("lockoutGroupsRead"),
  roles: "RoleManagement.Read.Directory",
  organization: "Organization.Read.All",
  report: graphReadPermission("lockoutAdministratorsRead"),
  methods: "UserAuthenticationMethod.Read.All",
  portal: readPermission("passwordResetPolicy"),
};

/** What a read of a tenant object needs, in the words of a problem. */
function objectNeeds(name: TenantObjectName): string {
  return tenantObjects[name].api === "portal" ? `the ${readPermission(name)} role (portal API)` : readPermission(name);
}

/** Graph's per-batch limit. */
export const batchSize = 20;

const userSelect = "id,userPrincipalName,displayName,accountEnabled,mail,onPremisesSyncEnabled,userType";

/** A client that refuses anything but reads: GET, and POST `/$batch` whose requests are all GETs. */
export function readOnly(client: EntraClient): EntraClient {
  return {
    send: (request) => {
      const batchOfGets =
        request.method === "POST" &&
        /^\/(v1\.0|beta)\/\$batch$/.test(request.path) &&
        isRecord(request.body) &&
        Array.isArray(request.body.requests) &&
        request.body.requests.every((entry) => isRecord(entry) && entry.method === "GET");
      if (request.method !== "GET" && !batchOfGets)
        return Promise.reject(new Error(`readiness never writes: refused ${request.method} ${request.path}`));
      return client.send(request);
    },
  };
}

function problemOf(what: string, needs: string, error: unknown): ReadProblem {
  if (isEntraError(error)) {
    const licence = error.code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant";
    const kind = licence
      ? "licence"
      : error.status === 401 || error.status === 403
        ? "permission"
        : error.kind === "auth"
          ? "sign-in"
          : "error";
    return {
      what,
      kind,
      needs: licence ? "Microsoft Entra ID P1 or P2" : needs,
      status: error.status,
      code: error.code,
      message: error.message,
    };
  }
  return { what, kind: "error", needs, message: error instanceof Error ? error.message : String(error) };
}

const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function personOf(user: JsonObject): PersonRecord {
  return {
    id: String(user.id),
    userPrincipalName: String(user.userPrincipalName),
    displayName: typeof user.displayName === "string" ? user.displayName : String(user.userPrincipalName),
    accountEnabled: user.accountEnabled !== false,
    mail: typeof user.mail === "string" && user.mail !== "" ? user.mail : null,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled === true,
    userType: typeof user.userType === "string" ? user.userType : "Member",
    groupIds: [],
    roles: [],
  };
}

export interface SnapshotOptions {
  /** Only this user (doctor); otherwise every user (readiness). */
  userPrincipalName?: string;
  /** Pause between `$batch` rounds when Graph throttles requests inside a batch (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
  /** More groups whose memberships matter besides the policies' (a snapshot adds the group the stack names). */
  groupIds?: readonly string[];
  /** The methods policy, when the caller has read it already (the preview): not read again. */
  methodsPolicy?: JsonObject;
}

/** Reads what readiness and doctor need from one tenant. Never throws for a refused read: see `problems`. */
export async function readTenantSnapshot(
  client: EntraClient,
  tenantId: string,
  options: SnapshotOptions = {},
): Promise<TenantSnapshot> {
  const graph = readOnly(client);
  const problems: ReadProblem[] = [];
  const attempt = async <T>(what: string, needs: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      problems.push(problemOf(what, needs, error));
      return undefined;
    }
  };
  const p = readPermissions;
  // The SSPR objects through the tenant reader, named as it names them.
  const readObject = (name: TenantObjectName, readOptions?: ReadOptions) =>
    attempt(tenantObjects[name].what, objectNeeds(name), () => readTenantObject(graph, name, readOptions));

  const [portal, methodsPolicy, authorizationPolicy, organizations, subscribedSkus, roles] = await Promise.all([
    readObject("passwordResetPolicy", { withGroupName: true }),
    options.methodsPolicy ?? readObject("authenticationMethodsPolicy"),
    readObject("authorizationPolicy"),
    attempt("the organization", p.organization, () => readCollection(graph, "/v1.0/organization", p.organization)),
    attempt("the tenant's subscriptions", p.organization, () =>
      readCollection(graph, "/v1.0/subscribedSkus", p.organization),
    ),
    attempt("directory roles", p.roles, () =>
      readCollection(graph, "/v1.0/directoryRoles?$select=id,displayName,roleTemplateId", p.roles),
    ),
  ]);

  // The people: one user (doctor) or all of them (readiness).
  let users: PersonRecord[] = [];
  if (options.userPrincipalName !== undefined) {
    const upn = options.userPrincipalName;
    try {
      users = [
        personOf(await readGraphObject(graph, `/v1.0/users/${encodeURIComponent(upn)}?$select=${userSelect}`, p.users)),
      ];
    } catch (error) {
      if (!(isEntraError(error) && error.status === 404)) problems.push(problemOf("the user", p.users, error));
    }
  } else {
    const all = await attempt("the user", p.users, () =>
      readCollection(graph, `/v1.0/users?$select=${userSelect}&$top=999`, p.users),
    );
    users = (all ?? []).map(personOf);
  }
  const byId = new Map(users.map((user) => [user.id.toLowerCase(), user]));

  // Administrators: members of every activated role (the two-gate ones are kept for the notification check).
  const administrators: TenantSnapshot["administrators"] = [];
  let rolesKnown = roles !== undefined;
  for (const role of roles ?? []) {
    const ref: DirectoryRoleRef = {
      id: String(role.id),
      displayName: String(role.displayName),
      roleTemplateId: typeof role.roleTemplateId === "string" ? role.roleTemplateId : undefined,
    };
    const members = await attempt("directory roles", p.roles, () =>
      readCollection(
        graph,
        `/v1.0/directoryRoles/${encodeURIComponent(ref.id)}/members?$select=id,userPrincipalName,mail`,
        p.roles,
      ),
    );
    if (members === undefined) {
      rolesKnown = false;
      continue;
    }
    for (const member of members) {
      if (member["@odata.type"] !== undefined && member["@odata.type"] !== "#microsoft.graph.user") continue;
      byId.get(String(member.id).toLowerCase())?.roles.push(ref);
      if (twoGateRolesOf({ roles: [ref] }).length === 0) continue;
      const known = administrators.find((admin) => admin.id.toLowerCase() === String(member.id).toLowerCase());
      if (known !== undefined) known.roles.push(ref.displayName);
      else
        administrators.push({
          id: String(member.id),
          userPrincipalName: String(member.userPrincipalName),
          mail: typeof member.mail === "string" && member.mail !== "" ? member.mail : null,
          roles: [ref.displayName],
        });
    }
  }

  // Group memberships that matter: the SSPR group and the groups the methods policy targets, nested included.
  const groupNames: Record<string, string> = {};
  const { groupIds: ssprGroupIds, groupName: ssprGroupName } = ssprScopeOf(portal);
  if (ssprGroupName !== undefined && ssprGroupIds[0] !== undefined)
    groupNames[ssprGroupIds[0].toLowerCase()] = ssprGroupName;
  const groupIds = [
    ...new Set(
      [
        ...ssprGroupIds,
        ...(methodsPolicy === undefined ? [] : policyGroupIds(methodsPolicy)),
        ...(options.groupIds ?? []),
      ].map((id) => id.toLowerCase()),
    ),
  ];
  let membershipsKnown = true;
  const missingGroupIds: string[] = [];
  const groupMemberIds: Record<string, string[]> = {};
  for (const groupId of groupIds) {
    let members: JsonObject[];
    try {
      members = await readCollection(graph, groupMembersPath(groupId, "id", { transitive: true }), p.memberships);
    } catch (error) {
      // A group that does not exist holds nobody: that is a finding about the policy, not a failed read.
      if (
        isEntraError(error) &&
        (error.status === 404 || (error.status === 400 && error.code === "Request_BadRequest"))
      )
        missingGroupIds.push(groupId);
      else {
        problems.push(problemOf("group memberships", p.memberships, error));
        membershipsKnown = false;
      }
      continue;
    }
    for (const member of members) byId.get(String(member.id).toLowerCase())?.groupIds.push(groupId);
    groupMemberIds[groupId] = members.flatMap((member) => {
      const user = byId.get(String(member.id).toLowerCase());
      return user === undefined ? [] : [user.id];
    });
  }

  // Registered methods.
  const { source, batchRequests } = await readRegistered(graph, users, problems, options);

  // Writeback policy: only needed when somebody's password is managed on-premises.
  let onPremises: JsonObject | undefined;
  const organization = organizations?.[0];
  if (users.some((user) => user.onPremisesSyncEnabled) || organization?.onPremisesSyncEnabled === true)
    onPremises = await readObject("onPremisesPasswordResetPolicy");

  return {
    tenantId,
    portal,
    onPremises,
    methodsPolicy,
    authorizationPolicy,
    organization,
    subscribedSkus,
    groupNames,
    missingGroupIds,
    groupMemberIds,
    membershipsKnown,
    rolesKnown,
    administrators,
    users,
    registrationSource: source,
    batchRequests,
    problems,
  };
}

/** Fills each user's `registered`: the report when the tenant has it, else every user's methods in batches. */
async function readRegistered(
  graph: EntraClient,
  users: PersonRecord[],
  problems: ReadProblem[],
  options: SnapshotOptions,
): Promise<{ source: TenantSnapshot["registrationSource"]; batchRequests: number }> {
  if (users.length === 0) return { source: "none", batchRequests: 0 };
  const p = readPermissions;
  let reportProblem: ReadProblem | undefined;
  try {
    const path = registrationDetailsPath(
      options.userPrincipalName === undefined
        ? undefined
        : `userPrincipalName eq ${odataString(users[0].userPrincipalName)}`,
    );
    const rows = await readCollection(graph, path, p.report);
    for (const row of rows) {
      const user = users.find((candidate) => candidate.id.toLowerCase() === String(row.id).toLowerCase());
      if (user !== undefined && Array.isArray(row.methodsRegistered))
        user.registered = row.methodsRegistered.map(String);
    }
    // The report has no row for a disabled user (Graph docs); their methods are read one by one below.
    const missing = users.filter((user) => user.registered === undefined);
    if (missing.length === 0) return { source: "report", batchRequests: 0 };
    const batches = await readMethodsInBatches(graph, missing, options);
    return { source: "report", batchRequests: batches };
  } catch (error) {
    reportProblem = problemOf("the registration report", p.report, error);
  }
  // Not an error of the tenant: note it, then fall back to each user's own methods.
  problems.push(reportProblem);
  const batches = await readMethodsInBatches(graph, users, options);
  const unread = users.find((user) => user.registeredProblem !== undefined)?.registeredProblem;
  if (unread !== undefined) problems.push(unread);
  return { source: users.some((user) => user.registered !== undefined) ? "methods" : "none", batchRequests: batches };
}

/** `GET /users/{id}/authentication/methods` for each user, 20 per `$batch`; throttled ones are retried. */
async function readMethodsInBatches(
  graph: EntraClient,
  users: PersonRecord[],
  options: SnapshotOptions,
): Promise<number> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const p = readPermissions;
  let pending = [...users];
  let requests = 0;
  for (let round = 0; round < 4 && pending.length > 0; round++) {
    const throttled: PersonRecord[] = [];
    let waitMs = 0;
    for (let start = 0; start < pending.length; start += batchSize) {
      const chunk = pending.slice(start, start + batchSize);
      requests++;
      let responses: JsonObject[];
      try {
        const answer = await graph.send({
          api: "graph",
          method: "POST",
          path: "/v1.0/$batch",
          body: {
            requests: chunk.map((user, index) => ({
              id: String(index),
              method: "GET",
              url: `/users/${encodeURIComponent(user.id)}/authentication/methods`,
            })),
          },
          permission: p.methods,
        });
        responses =
          isRecord(answer.body) && Array.isArray(answer.body.responses) ? answer.body.responses.filter(isRecord) : [];
      } catch (error) {
        const problem = problemOf("the user's registered methods", p.methods, error);
        for (const user of chunk) user.registeredProblem = problem;
        continue;
      }
      chunk.forEach((user, index) => {
        const response = responses.find((entry) => String(entry.id) === String(index));
        const status = Number(response?.status);
        const body = isRecord(response?.body) ? response.body : {};
        if (status >= 200 && status < 300 && Array.isArray(body.value)) {
          user.registered = registeredFromMethods(body.value);
          user.registeredProblem = undefined;
        } else if (status === 429 || status === 503) {
          throttled.push(user);
          const headers = isRecord(response?.headers) ? response.headers : {};
          const after = Number(headers["Retry-After"] ?? headers["retry-after"] ?? 1);
          waitMs = Math.max(waitMs, Math.min(Number.isFinite(after) ? after * 1000 : 1000, 30_000));
        } else {
          const error = isRecord(body.error) ? body.error : {};
          const code = typeof error.code === "string" ? error.code : undefined;
          user.registeredProblem = {
            what: "the user's registered methods",
            kind: status === 401 || status === 403 ? "permission" : "error",
            needs: p.methods,
            status,
            code,
            message: `${status}${code === undefined ? "" : ` ${code}`}: ${typeof error.message === "string" ? error.message : "no answer in the batch"}`,
          };
        }
      });
    }
    pending = throttled;
    if (pending.length > 0) {
      for (const user of pending)
        user.registeredProblem = {
          what: "the user's registered methods",
          kind: "error",
          needs: p.methods,
          status: 429,
          message: "Graph throttled the request inside the batch; retries exhausted",
        };
      await sleep(waitMs);
    }
  }
  return requests;
}
