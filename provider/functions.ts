/**
 * The package's functions (Pulumi invokes): what the program asks the plugin at preview instead of reading the tenant
 * itself, as Pulumi programs read a data source. Each reads the tenant read-only, through the one tenant reader and
 * the HTTP layer, and answers in the words the program logs; nothing here writes.
 *
 *   getPeoplePreview         who would gain or lose which method if the stack were applied (`peoplePreview.ts`)
 *   getLockoutFacts          what the tenant lockout guards need (`reader/lockoutFacts.ts`); the program judges
 *   getTakenOverPilotGroups  at a takeover, the old owner's pilot groups the tenant still names
 *   getReadinessSnapshot     what readiness reads (users, their registered methods, roles, the policies); the program
 *                            judges who can reset on Microsoft's dates ahead
 *
 * In the plugin the reads of one run are shared (`http/runReads.ts`): the methods policy the first two both need is
 * read once per preview.
 */
import type * as provider from "@pulumi/pulumi/provider";
import type { SelfServicePasswordResetArgs } from "../components/ssprArgs";
import { previewPeopleEffects } from "./reader/peoplePreview";
import { createEntraClient } from "./http/client";
import type { EntraEndpoints } from "../lib/endpoints";
import { takenOverPilotGroups } from "./ownership/pilotGroupRelease";
import { readLockoutFacts } from "./reader/lockoutFacts";
import { readTenantSnapshot } from "./reader/readinessSnapshot";
import { functionNames, functionToken, typeTokenPrefix, type FunctionName } from "../lib/resourceTypes";

/** What every function is asked with: the tenant and its endpoints (as the program normalized them). */
export interface FunctionTarget {
  tenantId: string;
  endpoints: EntraEndpoints;
}

/** getPeoplePreview and getLockoutFacts: the component's args, as the program checked them. */
export interface StackArgsInputs extends FunctionTarget {
  args: SelfServicePasswordResetArgs;
}

/** getReadinessSnapshot: more groups whose memberships matter (the pilot group given by id). */
export interface SnapshotInputs extends FunctionTarget {
  groupIds?: string[];
}

/** getTakenOverPilotGroups: the stack the tenant is taken over from. */
export interface TakeoverInputs extends FunctionTarget {
  takeOverFrom: string;
}

const target = (inputs: FunctionTarget) => ({ tenantId: inputs.tenantId, endpoints: inputs.endpoints });

const handlers: Readonly<Record<FunctionName, (inputs: Record<string, unknown>) => Promise<Record<string, unknown>>>> =
  {
    async getPeoplePreview(inputs) {
      const { args, ...rest } = inputs as unknown as StackArgsInputs;
      const effects = await previewPeopleEffects(createEntraClient(target(rest)), args);
      return { lines: effects.lines, warnings: effects.warnings };
    },
    async getLockoutFacts(inputs) {
      const { args, ...rest } = inputs as unknown as StackArgsInputs;
      return { ...(await readLockoutFacts(createEntraClient(target(rest)), args)) };
    },
    async getReadinessSnapshot(inputs) {
      const { groupIds, ...rest } = inputs as unknown as SnapshotInputs;
      const snapshot = await readTenantSnapshot(createEntraClient(target(rest)), rest.tenantId, {
        groupIds: groupIds ?? [],
      });
      // As JSON: the gRPC Struct carries no undefined.
      return JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>;
    },
    async getTakenOverPilotGroups(inputs) {
      const { takeOverFrom, ...rest } = inputs as unknown as TakeoverInputs;
      return { lines: await takenOverPilotGroups(createEntraClient(target(rest)), takeOverFrom) };
    },
  };

/** Answers an invoke of one of the package's functions; an unknown token is refused by name. */
export async function invokeFunction(token: string, inputs: Record<string, unknown>): Promise<provider.InvokeResult> {
  const name = functionNames.find((candidate) => functionToken(candidate) === token);
  if (name === undefined) throw new Error(`entra-sspr provider: unknown function ${JSON.stringify(token)}`);
  return { outputs: await handlers[name](inputs) };
}

const stringList = (description: string) => ({ type: "array", items: { type: "string" }, description });
const anyObject = (description: string) => ({ $ref: "pulumi.json#/Any", description });
const targetInputs = {
  tenantId: { type: "string", description: "Directory (tenant) id: a GUID or a verified domain name" },
  endpoints: { $ref: `#/types/${typeTokenPrefix}Endpoints` },
};

/** The functions as the package schema describes them (`functions`, beside `schema.ts`'s resources and types). */
export const functionSchemas: Record<string, Record<string, unknown>> = {
  [functionToken("getPeoplePreview")]: {
    description:
      "Who would gain or lose which method if the stack's settings were applied now, read from the tenant (read-only)",
    inputs: {
      properties: { ...targetInputs, args: anyObject("The component's args, checked by the program") },
      required: ["tenantId", "endpoints", "args"],
    },
    outputs: {
      properties: {
        lines: stringList("Who gains or loses which method, in people"),
        warnings: stringList("Changes that reach beyond the SSPR scope, or take a method away from anyone"),
      },
      required: ["lines", "warnings"],
    },
  },
  [functionToken("getLockoutFacts")]: {
    description: "What the tenant lockout guards look at, read from the tenant (read-only); the program judges",
    inputs: {
      properties: { ...targetInputs, args: anyObject("The component's args, checked by the program") },
      required: ["tenantId", "endpoints", "args"],
    },
    outputs: {
      properties: {
        migrationState: { type: "string", description: "policyMigrationState as Graph reports it" },
        methods: { type: "array", items: anyObject("A method configuration"), description: "As Graph reports them" },
        legacySwitches: anyObject("The portal policy's legacy per-method switches"),
        groups: anyObject("Group id -> display name and member object ids"),
        scopeGroupId: { type: "string", description: "The SSPR group with scope selected" },
        administrators: stringList("Object ids of users holding an administrator role, when read"),
        cannotTell: stringList("What could not be read and so cannot be told"),
      },
      required: ["methods", "legacySwitches", "groups"],
    },
  },
  [functionToken("getReadinessSnapshot")]: {
    description:
      "What readiness reads from the tenant (read-only): the users, their registered methods and roles, the policies",
    inputs: {
      properties: { ...targetInputs, groupIds: stringList("More groups whose memberships matter") },
      required: ["tenantId", "endpoints"],
    },
    outputs: {
      properties: {
        tenantId: { type: "string", description: "The tenant read" },
        users: {
          type: "array",
          items: anyObject("A user with their groups, roles and registered methods"),
          description: "Every user",
        },
        registrationSource: { type: "string", description: "report, methods or none" },
        problems: { type: "array", items: anyObject("What could not be read, and why"), description: "Unread parts" },
      },
      required: ["tenantId", "users", "registrationSource", "problems"],
    },
  },
  [functionToken("getTakenOverPilotGroups")]: {
    description: "At a takeover: the old owner's pilot groups the tenant's policies still name, in words (read-only)",
    inputs: {
      properties: { ...targetInputs, takeOverFrom: { type: "string", description: "The stack taken over from" } },
      required: ["tenantId", "endpoints", "takeOverFrom"],
    },
    outputs: { properties: { lines: stringList("One line per such group") }, required: ["lines"] },
  },
};
