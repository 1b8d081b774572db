/**
 * At preview: the program (index.ts under mocks) looks up `group.id` with azuread.getGroup, and a group that does not
 * exist or is not a security group fails the run naming the setting and the id, before any Entra resource is
 * registered. Without credentials for the lookup it warns and goes on (the providers check before writing).
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { runUnderMocks, type CallHandler, type MockRun } from "../../engine/mockRun";
import { programFromFile } from "../../engine/programFromFile";
import type { ConfigMap } from "../../engine/propertyValues";
import { repositoryRoot } from "../../scripts/stack/repository";
import { getGroupToken } from "../../components/existingGroup";

const pilot = "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d";
const staff = "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e";
const missing = "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a";

const groups: Record<string, Record<string, unknown>> = {
  [pilot]: { objectId: pilot, displayName: "SSPR Pilot", securityEnabled: true },
  [staff]: { objectId: staff, displayName: "All staff", securityEnabled: false },
};

/** azuread.getGroup as the provider answers (its not-found wording, unverified, is the Terraform provider's). */
const directory: CallHandler = async ({ token, inputs }) => {
  if (token !== getGroupToken) throw new Error(`unexpected invoke ${token}`);
  const group = groups[String(inputs.objectId)];
  if (group === undefined) throw new Error(`Group with object ID "${String(inputs.objectId)}" was not found`);
  return group;
};

function config(groupId: string): ConfigMap {
  return {
    "entra-sspr:tenantId": "munyakazi.org",
    "sspr:settings": {
      scope: "selected",
      group: { id: groupId },
      methodsRequired: 1,
      methods: { email: true },
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: true },
    },
  };
}

/** index.ts, evaluated afresh per run (it reads config at load time) over this file's own modules, as rehearse does. */
const program = programFromFile(path.join(repositoryRoot, "index.ts"));

function runProgram(groupId: string, call: CallHandler): Promise<MockRun> {
  return runUnderMocks(
    program,
    { newResource: (request) => ({ id: `${request.name}-id`, state: request.inputs }), call },
    { config: config(groupId), stack: "pilot" },
  );
}

/** The Entra resources that write SSPR settings (the ownership claim targets no group). */
const entraResources = (run: MockRun) =>
  run.registrations.filter(
    (r) => r.custom && r.type.startsWith("entra-sspr:index:") && !r.type.endsWith(":TenantOwnership"),
  );

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
});
afterEach(() => jest.restoreAllMocks());

describe("group.id is checked at preview", () => {
  it("an existing security group: every Entra resource is registered with it", async () => {
    const run = await runProgram(pilot, directory);
    expect(run.errors).toEqual([]);
    const policy = entraResources(run).find((r) => r.name === "sspr-password-reset-policy");
    expect(policy?.inputs).toMatchObject({ enablement: "selected", groupId: pilot });
  });

  it("a group that does not exist fails naming the setting and the id; nothing that targets it is registered", async () => {
    const run = await runProgram(missing, directory);
    expect(run.errors.map((error) => error.message)).toContainEqual(
      expect.stringContaining(
        `group.id (sspr:settings.group.id) is "${missing}": no group with this object id exists in the tenant`,
      ),
    );
    expect(entraResources(run)).toEqual([]);
  });

  it("a group that is not a security group fails the same way", async () => {
    const run = await runProgram(staff, directory);
    expect(run.errors.map((error) => error.message)).toContainEqual(
      expect.stringContaining(
        `is "${staff}": the group "All staff" is not a security group (securityEnabled is false)`,
      ),
    );
    expect(entraResources(run)).toEqual([]);
  });

  it("without credentials for the lookup: a warning, and the run goes on (the providers check before writing)", async () => {
    const run = await runProgram(missing, async () => {
      throw new Error("DefaultAzureCredential: no credential in the chain could sign in");
    });
    // The rehearsal engine records every failed invoke; the program itself went on and registered everything.
    expect(run.errors.map((error) => error.message)).toEqual([
      "DefaultAzureCredential: no credential in the chain could sign in",
    ]);
    expect(
      entraResources(run)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["sspr-method-email", "sspr-password-reset-policy"]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(`"${missing}" could not be checked at preview (DefaultAzureCredential: no credential`),
      expect.anything(),
    );
  });
});
