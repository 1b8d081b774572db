/**
 * `npm run snapshot`: a copy of a tenant as an emulator seed. The copy of the emulator's sample tenant, loaded into a
 * fresh emulator, rehearses and reads as the sample itself; the copy is read with GETs only; nothing secret or
 * personal beyond what readiness needs is in the file.
 *
 * Compared outputs (printed text and JSON) differ legitimately only in the emulator's URL (each run starts its own
 * emulator on a free port) and in the request ids quoted by an error message (fresh per request); both are replaced
 * before comparing (`withoutRunIds`). Nothing else is excluded: no timestamp or other id differs.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createEntraClient } from "../../../provider/http/client";
import { financeGroupId, pilotGroupId, vogelUserId } from "../../../emulator/people/defaultPeople";
import { main as readiness } from "../../../scripts/readiness/readinessCommand";
import { rehearsalJson, rehearse, type RehearseOptions } from "../../../scripts/rehearse/rehearse";
import { main as snapshot, seedFileText, takeSnapshot } from "../../../scripts/lab/snapshotCommand";
import { readTenantCopy, seedFromSnapshot } from "../../../scripts/lab/tenantCopy";
import type { PersonRecord, TenantSnapshot } from "../../../components/readiness/readinessTypes";
import { useEmulator } from "../../support/emulator";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookLines } from "../../support/runbook";
import { isWriteRequest } from "../../../emulator/requestLog";

const shared = useRehearsalHost("snapshot");
const sample = useEmulator();

/** What differs between any two runs, copy or not: the emulator's port and the ids of requests in error messages. */
const withoutRunIds = (text: string): string =>
  text
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, "<emulator>")
    .replace(/(client-)?request-id [0-9a-f-]{36}/g, "$1request-id <id>");

async function printed(command: (say: (text: string) => void) => Promise<number>): Promise<string> {
  const lines: string[] = [];
  const code = await command((text) => lines.push(text));
  return `exit ${code}\n${withoutRunIds(lines.join("\n"))}`;
}

async function rehearsal(options: RehearseOptions): Promise<{ text: string; json: string }> {
  const lines: string[] = [];
  const result = await rehearse({ host: shared.host, ...options, log: (text) => lines.push(text) });
  return { text: withoutRunIds(lines.join("\n")), json: withoutRunIds(rehearsalJson(result)) };
}

/** Both outputs of readiness (text and JSON) for a stack, on the sample or on a seed. */
async function readinessOf(argv: string[]): Promise<string[]> {
  return [
    await printed((say) => readiness(argv, say, shared.host)),
    await printed((say) => readiness([...argv, "--json"], say, shared.host)),
  ];
}

describe("npm run snapshot of the sample tenant (lab stack)", () => {
  let file: string;
  let output: string;
  beforeAll(async () => {
    file = path.join(shared.tmp, "tenant.json");
    output = await printed((say) => snapshot(["--stack", "lab", "--out", file], say));
  });

  it("says what it read, what it kept and how to rehearse on it", () => {
    expect(output).toContain("exit 0\nCopied the emulator's sample tenant (<emulator>; nothing real is read) into");
    expect(output).toContain("23 users, 0 groups, 4 directory roles, 22 users with registered methods.");
    expect(output).toContain("Not kept: phone numbers, email addresses or devices of registered methods");
    expect(output).toContain(
      `Rehearse on it: npm run rehearse -- --stack lab --seed ${path.relative(process.cwd(), file)}`,
    );
  });

  it("gives the same rehearsal as the sample tenant itself", async () => {
    const fromSample = await rehearsal({ stack: "lab" });
    const fromCopy = await rehearsal({ stack: "lab", seed: file });
    // The same rehearsal, but for its opening line, which names the seed it started from (issue 27).
    const [copyHead, ...copyRest] = fromCopy.text.split("\n");
    const [sampleHead, ...sampleRest] = fromSample.text.split("\n");
    expect(copyRest).toEqual(sampleRest);
    expect(copyHead).toContain(`seeded from ${file} (`);
    expect(sampleHead).toContain("holding its sample tenant (no seed)");
    expect(fromCopy.json).toBe(fromSample.json);
    expect(fromSample.text).toContain("Before (tenant lab.munyakazi.org");
  });

  it("gives the same readiness as the sample tenant itself", async () => {
    const fromSample = await readinessOf(["--stack", "lab"]);
    const fromCopy = await readinessOf(["--stack", "lab", "--seed", file]);
    expect(fromCopy).toEqual(fromSample);
    expect(fromSample[0]).toContain("exit 0");
  });

  it("keeps no secret and no method's phone number or address", () => {
    const text = fs.readFileSync(file, "utf8");
    const { $comment: comment, ...sections } = JSON.parse(text) as Record<string, unknown>;
    const data = JSON.stringify(sections);
    // The comment names what is left out ("tokens, secrets"); the data must hold none of it.
    for (const forbidden of [/"authorization"\s*:/i, /bearer/i, /eyJ[\w-]{10,}/, /token/i, /secret/i, /"password"/i])
      expect(data).not.toMatch(forbidden);
    expect(text).not.toMatch(/bearer |eyJ[\w-]{10,}/i);
    // The sample's registered methods carry phone numbers (+250 ...) and private addresses (@example.net).
    for (const personal of ["+250", "@example.net", "phoneNumber", "emailAddress", "deviceTag", "jobTitle"])
      expect(text).not.toContain(personal);
    expect((comment as string[])[0]).toMatch(/^A copy of the emulator's sample tenant/);
    expect(Object.keys((sections.users as Record<string, unknown>[])[0]).sort()).toEqual(
      ["accountEnabled", "displayName", "id", "mail", "onPremisesSyncEnabled", "userPrincipalName", "userType"].sort(),
    );
  });
});

describe("snapshot --out", () => {
  it("refuses a symbolic link, naming it, before the tenant is read; the link's target is untouched", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sspr-snapshot-link-"));
    try {
      const target = path.join(folder, "important.txt");
      fs.writeFileSync(target, "keep me\n");
      const link = path.join(folder, "tenant.json");
      fs.symlinkSync(target, link);
      const result = await takeSnapshot({ stack: "no-such-stack", out: link });
      expect(result).toEqual({
        problems: [`--out is ${JSON.stringify(link)}, a symbolic link; allowed: a regular file path (or a new one)`],
      });
      expect(fs.readFileSync(target, "utf8")).toBe("keep me\n");
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("readTenantCopy", () => {
  it("sends GET requests only", async () => {
    await readTenantCopy(createEntraClient(sample.target), sample.target.tenantId);
    const requests = sample.emulator.requests();
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter(isWriteRequest)).toEqual([]);
  });

  it("copies the groups the policies and the stack name, with the users they hold (nesting flattened)", async () => {
    const state = sample.emulator.state();
    const policy = state.authenticationMethodsPolicy;
    const sms = policy.authenticationMethodConfigurations.find((method) => method.id === "Sms");
    if (sms === undefined) throw new Error("the sample has no Sms configuration");
    sms.excludeTargets = [{ targetType: "group", id: financeGroupId }];
    sample.reseed({ authenticationMethodsPolicy: policy });
    const copy = await readTenantCopy(createEntraClient(sample.target), sample.target.tenantId, [pilotGroupId]);
    expect(copy.seed.groups?.map((group) => [group.id, group.displayName])).toEqual([
      [financeGroupId, "Finance"],
      [pilotGroupId, "Password reset pilot"],
    ]);
    // Only what docs/snapshot.md says: id, display name, type flags; the tenant's groups have a description and a
    // mail nickname, which the copy does not keep.
    expect(state.groups.find((group) => group.id === pilotGroupId)).toHaveProperty("mailNickname");
    for (const group of copy.seed.groups ?? []) {
      expect(Object.keys(group).sort()).toEqual(["displayName", "groupTypes", "id", "mailEnabled", "securityEnabled"]);
    }
    expect(copy.seed.groupMembers?.[pilotGroupId]).toHaveLength(4);
    expect(copy.seed.groupMembers?.[pilotGroupId]).toContain(vogelUserId);
    expect(copy.seed.groupMembers?.[financeGroupId]).toHaveLength(3);
    expect(sample.emulator.requests().filter(isWriteRequest)).toEqual([]);
  });

  it("says what it could not read and what the copy holds instead", async () => {
    sample.emulator.addFault({ method: "GET", path: "/v1.0/users", status: 403 });
    const copy = await readTenantCopy(createEntraClient(sample.target), sample.target.tenantId);
    expect(copy.gaps).toEqual([
      "the user (needs User.Read.All): the copy holds none",
      "password writeback (nobody is synced, so it does not apply): the copy has it off",
    ]);
    expect(copy.seed.users).toEqual([]);
  });

  it("refuses to write a copy without the policies, naming what could not be read", async () => {
    sample.emulator.addFault({ method: "GET", path: "/api/PasswordReset/PasswordResetPolicies", status: 403 });
    await expect(readTenantCopy(createEntraClient(sample.target), sample.target.tenantId)).rejects.toThrow(
      /nothing was written: the password reset policy could not be read \(needs the Authentication Policy Administrator role/,
    );
  });
});

describe("a tenant without Entra ID P1 (no registration report), copied", () => {
  it("reads each user's methods instead, with GETs (in $batch) only, and reads as the tenant itself", async () => {
    const tenantFile = path.join(shared.tmp, "free.json");
    fs.writeFileSync(tenantFile, JSON.stringify({ subscribedSkus: [] }));
    sample.reseed({ subscribedSkus: [] });
    const copy = await readTenantCopy(createEntraClient(sample.target), sample.target.tenantId);
    // Graph's $batch is a POST whose requests are all GETs (the read-only client refuses any other).
    const posts = sample.emulator.requests().filter((request) => request.method !== "GET");
    expect(posts.map((request) => `${request.method} ${request.path} ${request.batch?.join(",")}`)).toEqual([
      expect.stringMatching(/^POST \/v1\.0\/\$batch GET(,GET)*$/),
      expect.stringMatching(/^POST \/v1\.0\/\$batch GET(,GET)*$/),
    ]);
    expect(posts.filter(isWriteRequest)).toEqual([]);
    expect(copy.seed.authenticationMethods?.[vogelUserId]).toHaveLength(2);
    const copyFile = path.join(shared.tmp, "free-copy.json");
    fs.writeFileSync(copyFile, seedFileText(copy, "the free tenant"));
    const fromTenant = await readinessOf(["--stack", "lab", "--seed", tenantFile]);
    const fromCopy = await readinessOf(["--stack", "lab", "--seed", copyFile]);
    expect(fromCopy).toEqual(fromTenant);
    expect(fromTenant[0]).toContain("Entra ID P1");
  });
});

describe("seedFromSnapshot", () => {
  const person = (changes: Partial<PersonRecord>): PersonRecord => ({
    id: "u1",
    userPrincipalName: "a@contoso.example",
    displayName: "A",
    accountEnabled: true,
    mail: "a.private@contoso.example",
    onPremisesSyncEnabled: false,
    userType: "Member",
    groupIds: [],
    roles: [],
    ...changes,
  });
  const snapshotOf = (users: PersonRecord[]): TenantSnapshot => ({
    tenantId: "contoso.example",
    portal: { numberOfQuestionsToRegister: 3 },
    groupNames: {},
    missingGroupIds: [],
    membershipsKnown: true,
    rolesKnown: true,
    administrators: [],
    users,
    registrationSource: "report",
    batchRequests: 0,
    problems: [],
  });

  it("keeps a registration the method types cannot say as the report said it, and counts security questions", () => {
    const seed = seedFromSnapshot(
      snapshotOf([
        person({ registered: ["passKeyDeviceBound", "mobilePhone", "securityQuestion"] }),
        person({ id: "u2", registered: ["email"], mail: null, onPremisesSyncEnabled: true }),
      ]),
      [],
    );
    expect(seed.userRegistrationDetails).toEqual([
      { id: "u1", methodsRegistered: ["passKeyDeviceBound", "mobilePhone", "securityQuestion"] },
    ]);
    expect(seed.securityQuestionsRegistered).toEqual({ u1: 3 });
    expect(seed.authenticationMethods?.u2).toEqual([
      { "@odata.type": "#microsoft.graph.emailAuthenticationMethod", id: "3ddfcfc8-9383-446f-83cc-3ab9be4be18f" },
    ]);
    // The mailbox is kept as a yes or no: the address becomes the user principal name.
    expect(seed.users?.map((user) => [user.mail, user.onPremisesSyncEnabled])).toEqual([
      ["a@contoso.example", null],
      [null, true],
    ]);
    // Nothing of the sample shows through: every section the emulator would otherwise fill is given.
    expect(seed.organizationExtensions).toEqual([]);
    expect(seed.applications).toEqual([]);
    expect(seed.directoryRoles).toEqual([]);
    expect(seed.subscribedSkus).toEqual([]);
  });
});

describe("a stack scoped to an existing group, rehearsed on its copy", () => {
  it("rehearses as on the tenant it was copied from", async () => {
    const stackFile = path.join(shared.tmp, "pilot", "Pulumi.pilot.yaml");
    fs.mkdirSync(path.dirname(stackFile), { recursive: true });
    fs.writeFileSync(
      stackFile,
      [
        "config:",
        "  entra-sspr:tenantId: lab.munyakazi.org",
        "  entra-sspr:endpoints: { graph: http://127.0.0.1:8640, portal: http://127.0.0.1:8640 }",
        "  sspr:settings:",
        ...runbookLines({ scope: "selected", group: { id: pilotGroupId } }).map((line) => `    ${line}`),
        "",
      ].join("\n"),
    );
    const file = path.join(shared.tmp, "pilot.json");
    expect(await printed((say) => snapshot(["--stack-file", stackFile, "--out", file], say))).toContain(
      "23 users, 1 groups,",
    );
    const fromSample = await rehearsal({ stackFile });
    const fromCopy = await rehearsal({ stackFile, seed: file });
    // The same rehearsal, but for its opening line, which names the seed it started from (issue 27).
    const [copyHead, ...copyRest] = fromCopy.text.split("\n");
    const [sampleHead, ...sampleRest] = fromSample.text.split("\n");
    expect(copyRest).toEqual(sampleRest);
    expect(copyHead).toContain(`seeded from ${file} (`);
    expect(sampleHead).toContain("holding its sample tenant (no seed)");
    expect(fromSample.text).toContain("Password reset pilot");
  });
});

describe("npm run snapshot's options", () => {
  it("exits 2 with the usage for a missing stack, and 1 naming the file for an unknown one", async () => {
    expect(await printed((say) => snapshot([], say))).toMatch(/^exit 2\n--stack <name> is required[\s\S]*usage:/);
    expect(await printed((say) => snapshot(["--stack", "nosuch"], say))).toMatch(
      /^exit 1\nNothing was read:\n.*Pulumi\.nosuch\.yaml: cannot read the stack file/,
    );
  });
});
