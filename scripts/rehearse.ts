/**
 * `npm run rehearse -- --stack <name> [--seed tenant.json] [--port N] [--twice] [--destroy] [--json]`
 *
 * A dress rehearsal of `pulumi up` for any stack's config, without the Pulumi CLI: the program (`index.ts`) runs
 * under mocks, its Entra resources run in Pulumi's own dynamic-provider host (the harness the lifecycle tests use,
 * `harness/engine.ts`), against a fresh local emulator. The stack's endpoints are always replaced by the emulator's,
 * so a rehearsal never reaches a real tenant. It prints the tenant's SSPR settings before, the steps, the settings
 * after and what changed, and exits non-zero with every error listed.
 *
 * What the rehearsal stands in for besides the dynamic resources: the pilot group (`azuread.Group`) is created in the
 * emulator through Graph (`POST /groups`, then `POST /groups/{id}/members/$ref`), and the `azuread.getUsers` /
 * `getUser` invokes are answered from the emulator's directory. Any other azuread resource or invoke is refused.
 * Not modelled: a preview before the apply (the steps are printed as they were applied), stack secrets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sameTenantProblems } from "../components/stackFiles";
import type { PeopleEffects } from "../components/peopleEffects";
import { formatPeopleEffects, peopleChanges } from "./peopleReport";
import { parseStackCommandLine } from "./stackCommandLine";
import { namespaceConfig, parseStackConfig, type SelfServicePasswordResetArgs } from "../components/config";
import { createEntraClient, type EntraClient, type EntraTarget } from "../components/entra/client";
import { assertGrantsBeforeWrites } from "../components/entra/permissionPreflight";
import { isRecord } from "../components/entra/predicates";
import { redactSecrets } from "../components/entra/errors";
import { startEmulator, type RunningEmulator, type TenantSeed, type TenantState } from "../emulator/server";
import {
  changedProperties,
  CheckFailedError,
  destroyState,
  EngineError,
  runProgram,
  type EngineState,
  type Step,
} from "../harness/engine";
import { type CallHandler, echoResource, type ResourceHandler } from "../harness/mockRun";
import { type ConfigMap, type PropertyMap, projectName } from "../harness/propertyValues";
import { type ProviderHost, ProviderHostError, startProviderHost } from "../harness/providerHost";
import { withGroupLookup } from "./emulatorGroupLookup";
import { readStackFile } from "./stackFile";
import {
  diffSsprSettings,
  formatSettingChanges,
  formatSsprSettings,
  readSsprSettings,
  readTenantSettings,
  describeTenantSettings,
  type SettingChange,
  type SsprSettingsReport,
} from "./tenantReport";
import { withAzureStandIns } from "./azureStandIns";

export const repositoryRoot = path.resolve(__dirname, "..");
export const groupType = "azuread:index/group:Group";
export const getUsersToken = "azuread:index/getUsers:getUsers";
export const getUserToken = "azuread:index/getUser:getUser";
const endpointsKey = `${projectName}:endpoints`;

// ---------------------------------------------------------------------------------------------------------------
// Stack config (pure)
// ---------------------------------------------------------------------------------------------------------------

/** Config key paths (`entra-sspr:sspr.helpdesk`) holding a Pulumi secret (`secure: v1:...`). */
export function secureValuePaths(value: unknown, keyPath: string): string[] {
  if (isRecord(value)) {
    if (Object.keys(value).length === 1 && "secure" in value) return [keyPath];
    return Object.entries(value).flatMap(([key, inner]) => secureValuePaths(inner, `${keyPath}.${key}`));
  }
  if (Array.isArray(value)) return value.flatMap((inner, index) => secureValuePaths(inner, `${keyPath}[${index}]`));
  return [];
}

/**
 * The `config:` map of a parsed `Pulumi.<stack>.yaml`, keys namespaced as Pulumi does (a bare key belongs to the
 * project), with every problem: not a mapping, or secrets (rehearsal cannot decrypt them without the CLI).
 */
export function stackConfigFromDocument(document: unknown, file: string): { config: ConfigMap; problems: string[] } {
  if (document === undefined || document === null) return { config: {}, problems: [] };
  if (!isRecord(document)) {
    return {
      config: {},
      problems: [`${file}: expected a YAML mapping with a "config:" key, found ${typeof document}`],
    };
  }
  const raw = document.config;
  if (raw === undefined || raw === null) return { config: {}, problems: [] };
  if (!isRecord(raw)) return { config: {}, problems: [`${file}: "config:" must be a mapping of keys to values`] };
  const config: ConfigMap = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${projectName}:${key}`;
    for (const secret of secureValuePaths(value, fullKey)) {
      problems.push(
        `${secret}: a secret ("secure:") cannot be rehearsed: decrypting it needs the Pulumi CLI and the stack's ` +
          "secrets provider. Rehearse a copy of the stack file with a plain placeholder value, or use `pulumi preview`.",
      );
    }
    if (value === null || value === undefined) continue;
    config[fullKey] = value as ConfigMap[string];
  }
  return { config, problems };
}

/** Pulumi's flat config map: strings as they are, everything else as JSON (what `pulumi.runtime.allConfig()` gives). */
function flatConfig(config: ConfigMap): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

/** The endpoints every rehearsal uses: the emulator for both APIs (the portal API lives under `/api`). */
export function emulatorEndpoints(emulatorUrl: string): { graph: string; portal: string } {
  const base = emulatorUrl.replace(/\/+$/, "");
  return { graph: base, portal: `${base}/api` };
}

/** The config with `entra-sspr:endpoints` pointed at the emulator, whatever the stack said. */
export function withEmulatorEndpoints(config: ConfigMap, emulatorUrl: string): ConfigMap {
  return { ...config, [endpointsKey]: emulatorEndpoints(emulatorUrl) };
}

function describeEndpoints(value: unknown): string {
  if (isRecord(value)) return `graph ${String(value.graph)}, portal ${String(value.portal)}`;
  return "not set, so Microsoft's: https://graph.microsoft.com and https://main.iam.ad.ext.azure.com/api";
}

// ---------------------------------------------------------------------------------------------------------------
// Steps and errors in words (pure)
// ---------------------------------------------------------------------------------------------------------------

const resourceWords: Record<string, string> = {
  "entra-sspr:index:SelfServicePasswordReset": "Self-service password reset (component)",
  "pulumi-nodejs:dynamic/entra-sspr:PasswordResetPolicy": "Password reset policy (admin center, portal API)",
  "pulumi-nodejs:dynamic/entra-sspr:AuthenticationMethodsPolicy": "Authentication methods policy",
  "pulumi-nodejs:dynamic/entra-sspr:AdministratorPasswordReset": "Administrator password reset policy",
  [groupType]: "Group",
};

/** What a resource is, in admin-center words: `Authentication method Email`, `Group "SSPR Pilot"`. */
export function describeResource(type: string, inputs: PropertyMap = {}): string {
  if (type === "pulumi-nodejs:dynamic/entra-sspr:AuthenticationMethodConfiguration") {
    return `Authentication method ${typeof inputs.methodId === "string" ? inputs.methodId : "(unknown)"}`;
  }
  if (type === groupType && typeof inputs.displayName === "string") return `Group "${inputs.displayName}"`;
  return resourceWords[type] ?? type;
}

const opSymbols: Record<Step["op"], string> = { create: "+", update: "~", same: " ", replace: "+-", delete: "-" };

/** One line per step: symbol, operation, what it is, its name, and the inputs that changed. */
export function formatSteps(steps: Step[], state: EngineState, indent = "  "): string {
  if (steps.length === 0) return `${indent}(no resources)`;
  const rows = steps.map((step) => ({
    head: `${opSymbols[step.op].padEnd(2)} ${step.op}`,
    what: describeResource(step.type, state[step.urn]?.inputs),
    name: step.name,
    diffs: step.diffs !== undefined && step.diffs.length > 0 ? `  changed: ${step.diffs.join(", ")}` : "",
  }));
  const headWidth = Math.max(...rows.map((row) => row.head.length));
  const whatWidth = Math.max(...rows.map((row) => row.what.length));
  return rows
    .map((row) => `${indent}${row.head.padEnd(headWidth)}  ${row.what.padEnd(whatWidth)}  ${row.name}${row.diffs}`)
    .join("\n");
}

/** `urn:pulumi:dev::entra-sspr::A$B::name` -> `name`. */
function nameFromUrn(urn: string): string {
  return urn.split("::").pop() || urn;
}

/** Every error as lines a person can act on; each engine error becomes one line per provider failure. */
export function describeErrors(errors: readonly unknown[]): string[] {
  const lines = errors.flatMap((error): string[] => {
    if (error instanceof CheckFailedError) {
      return error.failures.map((failure) => `${nameFromUrn(error.urn)}: ${failure.property}: ${failure.reason}`);
    }
    if (error instanceof ProviderHostError) return [`${nameFromUrn(error.urn)} (${error.method}): ${error.details}`];
    if (error instanceof EngineError) return describeErrors(error.errors);
    if (error instanceof AggregateError) return describeErrors(error.errors);
    // The SDK wraps a failed input as `error serializing property "<name>": <the failure>`: keep the failure.
    const message = error instanceof Error ? error.message : String(error);
    return [message.replace(/^(error serializing property "[^"]*": )+/, "")];
  });
  // The SDK repeats a failure in every resource that waited for it ("error serializing property ...: <the
  // failure>"): keep each failure once, in its own words.
  const unique = [...new Set(lines)];
  return unique.filter(
    (line) => line !== "" && !unique.some((other) => other !== line && other !== "" && line.includes(other)),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Standing in for azuread against the emulator
// ---------------------------------------------------------------------------------------------------------------

function graphItems(body: unknown): Record<string, unknown>[] {
  return isRecord(body) && Array.isArray(body.value) ? body.value.filter(isRecord) : [];
}

const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

async function findUserByPrincipalName(graph: EntraClient, name: string): Promise<Record<string, unknown> | undefined> {
  const filter = encodeURIComponent(`userPrincipalName eq ${odataString(name)}`);
  const response = await graph.send({
    api: "graph",
    method: "GET",
    path: `/v1.0/users?$filter=${filter}`,
    permission: "User.Read.All",
  });
  return graphItems(response.body)[0];
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** A Graph user in the shape of azuread's `GetUsersUser` / `getUser` result. */
export function azureadUser(user: Record<string, unknown>): Record<string, unknown> {
  const userPrincipalName = text(user.userPrincipalName);
  return {
    accountEnabled: user.accountEnabled !== false,
    displayName: text(user.displayName),
    employeeId: text(user.employeeId),
    mail: text(user.mail),
    // assumed: the emulator has no mailNickname on users; the local part of the UPN is what Entra derives.
    mailNickname: text(user.mailNickname) || userPrincipalName.split("@")[0],
    objectId: text(user.id),
    onpremisesImmutableId: "",
    onpremisesSamAccountName: "",
    onpremisesUserPrincipalName: "",
    usageLocation: text(user.usageLocation),
    userPrincipalName,
  };
}

/** Answers azuread's user invokes from the emulator's directory; refuses every other invoke by name. */
export function emulatorCallHandler(graph: EntraClient): CallHandler {
  return async ({ token, inputs }) => {
    if (token === getUsersToken) {
      const unsupported = ["objectIds", "mails", "mailNicknames", "employeeIds", "returnAll"].filter(
        (key) =>
          inputs[key] !== undefined &&
          inputs[key] !== false &&
          !(Array.isArray(inputs[key]) && inputs[key].length === 0),
      );
      if (unsupported.length > 0) {
        throw new Error(
          `rehearsal: azuread.getUsers by ${unsupported.join(", ")} is not emulated; only userPrincipalNames`,
        );
      }
      const names = Array.isArray(inputs.userPrincipalNames) ? inputs.userPrincipalNames.map(String) : [];
      const found: Record<string, unknown>[] = [];
      const missing: string[] = [];
      for (const name of names) {
        const user = await findUserByPrincipalName(graph, name);
        if (user === undefined) missing.push(name);
        else found.push(azureadUser(user));
      }
      // Per the azuread docs: without ignoreMissing any missing user fails the lookup; with it, the lookup "will
      // still fail if no users are found". The provider's exact wording is not reproduced.
      if (missing.length > 0 && (inputs.ignoreMissing !== true || found.length === 0)) {
        throw new Error(
          `azuread.getUsers: no user with user principal name ${missing.join(", ")} in the tenant ` +
            "(the emulator's directory). Users must exist before they can be added to the pilot group.",
        );
      }
      const column = (key: string): string[] => found.map((user) => text(user[key]));
      return {
        id: `users#${column("objectId").join(",")}`,
        ignoreMissing: inputs.ignoreMissing === true,
        returnAll: false,
        employeeIds: column("employeeId"),
        mailNicknames: column("mailNickname"),
        mails: column("mail"),
        objectIds: column("objectId"),
        userPrincipalNames: column("userPrincipalName"),
        users: found,
      };
    }
    if (token === getUserToken) {
      const key = [inputs.userPrincipalName, inputs.objectId].find(
        (value) => typeof value === "string" && value !== "",
      );
      if (typeof key !== "string") {
        throw new Error("rehearsal: azuread.getUser is emulated by userPrincipalName or objectId only");
      }
      const user =
        typeof inputs.userPrincipalName === "string" && inputs.userPrincipalName !== ""
          ? await findUserByPrincipalName(graph, inputs.userPrincipalName)
          : await graph
              .send({
                api: "graph",
                method: "GET",
                path: `/v1.0/users/${encodeURIComponent(key)}`,
                permission: "User.Read.All",
              })
              .then((response) => (isRecord(response.body) ? response.body : undefined))
              .catch(() => undefined);
      if (user === undefined)
        throw new Error(`azuread.getUser: no user ${key} in the tenant (the emulator's directory)`);
      return { ...azureadUser(user), id: text(user.id) };
    }
    throw new Error(`rehearsal: the invoke ${token} is not emulated; only azuread.getUsers and azuread.getUser are`);
  };
}

async function addMembers(graph: EntraClient, groupId: string, members: string[]): Promise<void> {
  for (const member of members) {
    await graph.send({
      api: "graph",
      method: "POST",
      path: `/v1.0/groups/${encodeURIComponent(groupId)}/members/$ref`,
      body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${member}` },
      permission: "GroupMember.ReadWrite.All",
    });
  }
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/**
 * Creates `azuread.Group`s in the emulator (and keeps them on later runs), echoes components and provider
 * references, and refuses any other resource: the rehearsal only knows what this project's program registers.
 */
export function emulatorResourceHandler(graph: EntraClient, priorState: EngineState = {}): ResourceHandler {
  return async (request) => {
    if (!request.custom || request.type.startsWith("pulumi:providers:")) return echoResource(request);
    if (request.type !== groupType || request.kind !== "register") {
      throw new Error(
        `rehearsal: ${request.type} "${request.name}" is not emulated; only the pilot group (azuread.Group) and ` +
          "the entra-sspr resources are",
      );
    }
    const inputs = request.inputs;
    const displayName = text(inputs.displayName);
    const members = stringList(inputs.members);
    const prior = priorState[request.urn];
    if (prior?.id !== undefined) {
      // A later run: the group exists; only new members can be applied (the emulator has no group PATCH/DELETE).
      const changed = changedProperties(prior.inputs, inputs);
      const added = members.filter((member) => !stringList(prior.inputs.members).includes(member));
      const unsupported = changed.filter((name) => name !== "members");
      const removed = stringList(prior.inputs.members).filter((member) => !members.includes(member));
      if (unsupported.length > 0 || removed.length > 0) {
        throw new Error(
          `rehearsal: changing the pilot group's ${[...unsupported, ...(removed.length > 0 ? ["members (removal)"] : [])].join(", ")} ` +
            "is not emulated; rehearse against a fresh emulator instead",
        );
      }
      await addMembers(graph, prior.id, added);
      return { id: prior.id, state: { ...prior.outputs, ...inputs, objectId: prior.id } };
    }
    if (inputs.preventDuplicateNames === true) {
      const filter = encodeURIComponent(`displayName eq ${odataString(displayName)}`);
      const existing = await graph.send({
        api: "graph",
        method: "GET",
        path: `/v1.0/groups?$filter=${filter}`,
        permission: "Group.Read.All",
      });
      const duplicates = graphItems(existing.body);
      if (duplicates.length > 0) {
        throw new Error(
          `azuread.Group "${request.name}": a group named "${displayName}" already exists in the tenant ` +
            `(id ${text(duplicates[0].id)}) and preventDuplicateNames is set. Use the existing group ` +
            `(entra-sspr:sspr.group: { id: ${text(duplicates[0].id)} }) or choose another displayName.`,
        );
      }
    }
    const created = await graph.send({
      api: "graph",
      method: "POST",
      path: "/v1.0/groups",
      body: {
        displayName,
        description: typeof inputs.description === "string" ? inputs.description : null,
        // assumed: azuread generates a random mail nickname when none is given; Graph requires one.
        mailNickname: text(inputs.mailNickname) || `sspr-${Math.random().toString(16).slice(2, 10)}`,
        mailEnabled: inputs.mailEnabled === true,
        securityEnabled: inputs.securityEnabled !== false,
        groupTypes: stringList(inputs.types),
      },
      permission: "Group.ReadWrite.All",
    });
    const group = isRecord(created.body) ? created.body : {};
    const id = text(group.id);
    if (id === "") throw new Error(`rehearsal: the emulator created group "${displayName}" without an id`);
    await addMembers(graph, id, members);
    return { id, state: { ...inputs, objectId: id, mailNickname: text(group.mailNickname) } };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The program
// ---------------------------------------------------------------------------------------------------------------

/**
 * The program as a function that evaluates `index.ts` afresh on every call: it reads config when it loads, so each
 * run needs a new evaluation, and neither Node's nor jest's module cache can be cleared portably. The file is
 * transpiled with TypeScript (what `pulumi up` does through ts-node) and its relative imports resolve from its own
 * folder through this module's `require`, so the components (and `@pulumi/pulumi`, whose runtime state the harness
 * set up) are shared, not reloaded.
 */
export function programFromFile(file: string): () => unknown {
  return () => {
    const ts = require("typescript") as typeof import("typescript");
    const source = fs.readFileSync(file, "utf8");
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const directory = path.dirname(file);
    const localRequire = (id: string): unknown => require(id.startsWith(".") ? path.resolve(directory, id) : id);
    const module = { exports: {} as Record<string, unknown> };
    const evaluate = new Function("exports", "require", "module", "__filename", "__dirname", outputText) as (
      ...args: unknown[]
    ) => void;
    evaluate(module.exports, localRequire, module, file, directory);
    return module.exports;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// rehearse()
// ---------------------------------------------------------------------------------------------------------------

export interface RehearseOptions {
  /** Stack name: reads `Pulumi.<stack>.yaml` from `stackDir` (default: the repository root). */
  stack?: string;
  /** A stack file to read instead; `Pulumi.<name>.yaml` names the stack `<name>`. */
  stackFile?: string;
  stackDir?: string;
  /** Tenant seed (sections replace the default tenant's), or the path of a JSON file holding one. */
  seed?: TenantSeed | string;
  /** Port of the emulator this run starts (default: a free one). Not used with `emulatorUrl`. */
  port?: number;
  /**
   * An emulator that is already running: used as it is (seeded only when `seed` is given) and left running.
   * With `priorState` from an earlier rehearsal against it, the run is a second `pulumi up`.
   */
  emulatorUrl?: string;
  priorState?: EngineState;
  /** Run a second time with the first run's state; any step other than `same` is an error. */
  twice?: boolean;
  /** After applying, destroy (the tenant singletons restore what they adopted) and compare with the before state. */
  destroy?: boolean;
  /** A running dynamic-provider host to use (default: one is started and stopped). */
  host?: ProviderHost;
  /** The program file (default: the repository's `index.ts`). */
  programFile?: string;
  /** Progress, one block of text at a time, as the run goes (default: silent). */
  log?: (text: string) => void;
}

export interface RehearseResult {
  ok: boolean;
  /** Every error, one line each, redacted. */
  errors: string[];
  stack: string;
  emulatorUrl?: string;
  before?: SsprSettingsReport;
  after?: SsprSettingsReport;
  changes: SettingChange[];
  /** Who gained or lost which method (SSPR and MFA sign-in), in admin-center words. */
  people?: PeopleEffects;
  steps: Step[];
  /** The program's stack outputs (index.ts exports), as `pulumi stack output` would show them. */
  outputs?: PropertyMap;
  state: EngineState;
  secondRun?: { steps: Step[] };
  destroyed?: { steps: Step[]; after: SsprSettingsReport; differencesFromBefore: SettingChange[] };
  /** The emulator's whole tenant at the end (`GET /_emulator/state`). */
  emulatorState?: TenantState;
}

function loadSeed(seed: TenantSeed | string | undefined): { seed?: TenantSeed; problems: string[] } {
  if (seed === undefined || typeof seed !== "string") return { seed, problems: [] };
  let textContent: string;
  try {
    textContent = fs.readFileSync(seed, "utf8");
  } catch (error) {
    return {
      problems: [`--seed ${seed}: cannot read the file (${error instanceof Error ? error.message : String(error)})`],
    };
  }
  try {
    const parsed: unknown = JSON.parse(textContent);
    if (!isRecord(parsed)) return { problems: [`--seed ${seed}: expected a JSON object of tenant sections`] };
    return { seed: parsed as TenantSeed, problems: [] };
  } catch (error) {
    return { problems: [`--seed ${seed}: not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
}

function loadStack(options: RehearseOptions): {
  stack: string;
  file: string;
  config: ConfigMap;
  problems: string[];
  unreadable?: boolean;
} {
  const file =
    options.stackFile !== undefined
      ? path.resolve(options.stackFile)
      : path.join(options.stackDir ?? repositoryRoot, `Pulumi.${options.stack ?? ""}.yaml`);
  const fromName = /^Pulumi\.(.+)\.ya?ml$/i.exec(path.basename(file));
  const stack = options.stack ?? fromName?.[1] ?? "rehearsal";
  if (options.stack === undefined && options.stackFile === undefined) {
    return { stack, file, config: {}, problems: ["--stack <name> is required (reads Pulumi.<name>.yaml)"] };
  }
  const reading = readStackFile(file);
  if ("problem" in reading) return { stack, file, config: {}, problems: [reading.problem], unreadable: true };
  return { stack, file, ...stackConfigFromDocument(reading.document, path.basename(file)) };
}

async function controlRequest(
  emulatorUrl: string,
  method: "GET" | "PUT",
  route: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${emulatorUrl.replace(/\/+$/, "")}/_emulator/${route}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = isRecord(payload) && isRecord(payload.error) ? String(payload.error.message) : response.statusText;
    throw new Error(`the emulator refused ${method} /_emulator/${route}: ${message}`);
  }
  return payload;
}

/** Rehearses one stack against an emulator; never throws for the stack's or the providers' errors (see `errors`). */
export async function rehearse(options: RehearseOptions): Promise<RehearseResult> {
  const log = options.log ?? (() => undefined);
  const say = (textContent: string): void => log(redactSecrets(textContent));
  const loaded = loadStack(options);
  const result: RehearseResult = { ok: false, errors: [], stack: loaded.stack, changes: [], steps: [], state: {} };
  const fail = (errors: readonly unknown[]): void => {
    result.errors.push(...describeErrors(errors).map((line) => redactSecrets(line)));
  };
  try {
    await rehearseInto(result, loaded, options, say, fail);
  } catch (error) {
    fail([error]);
  }
  result.ok = result.errors.length === 0;
  if (!result.ok) {
    const count = result.errors.length;
    say(`\nErrors (${count}):\n${result.errors.map((line) => `  ${line}`).join("\n")}`);
  }
  return result;
}

async function rehearseInto(
  result: RehearseResult,
  loaded: ReturnType<typeof loadStack>,
  options: RehearseOptions,
  say: (textContent: string) => void,
  fail: (errors: readonly unknown[]) => void,
): Promise<void> {
  // Everything that can be known without the tenant is checked first: a bad stack sends no request at all.
  const seed = loadSeed(options.seed);
  const checked: ReturnType<typeof checkConfig> =
    loaded.unreadable === true ? { problems: [] } : checkConfig(loaded.config);
  if (checked.args) checked.problems.push(...sameTenantProblems(path.dirname(loaded.file), loaded.stack, checked.args));
  // A secret's key path is already reported: drop what the config rules say about the same (encrypted) value.
  const secretKeys = loaded.problems.flatMap((problem) => /^(\S+): a secret/.exec(problem)?.[1] ?? []);
  const configProblems = checked.problems.filter(
    (problem) => !secretKeys.some((key) => problem.startsWith(`${key}:`) || problem.startsWith(`${key}.`)),
  );
  const problems = [...loaded.problems, ...seed.problems, ...configProblems];
  if (problems.length > 0) {
    say(`Stack ${loaded.stack}: nothing was rehearsed and no request was sent.`);
    fail(problems);
    return;
  }

  let emulator: RunningEmulator | undefined;
  let host: ProviderHost | undefined;
  try {
    let emulatorUrl: string;
    if (options.emulatorUrl !== undefined) {
      emulatorUrl = options.emulatorUrl.replace(/\/+$/, "");
      if (seed.seed !== undefined) await controlRequest(emulatorUrl, "PUT", "state", seed.seed);
    } else {
      try {
        emulator = await startEmulator({ port: options.port ?? 0, seed: seed.seed });
      } catch (error) {
        if (isRecord(error) && error.code === "EADDRINUSE") {
          fail([
            `port ${options.port} is already in use on 127.0.0.1: stop what listens there, or pick another --port`,
          ]);
          return;
        }
        throw error;
      }
      emulatorUrl = emulator.url;
    }
    result.emulatorUrl = emulatorUrl;

    const config = withEmulatorEndpoints(loaded.config, emulatorUrl);
    const tenantId = String(loaded.config[`${projectName}:tenantId`]);
    const target: EntraTarget = { tenantId, endpoints: emulatorEndpoints(emulatorUrl) };
    const client = createEntraClient(target);

    say(
      `Rehearsing stack ${loaded.stack} (${path.relative(process.cwd(), loaded.file) || loaded.file}) without the ` +
        `Pulumi CLI, against the local Entra emulator at ${emulatorUrl}.\n` +
        `Endpoints: the stack's ${endpointsKey} (${describeEndpoints(loaded.config[endpointsKey])}) are overridden ` +
        "with the emulator's: a rehearsal never touches a real tenant.",
    );
    await assertGrantsBeforeWrites(target, checked.args); // every missing grant, before any request

    const tenantBefore = await readTenantSettings(target, { client });
    result.before = describeTenantSettings(tenantBefore);
    say(`\nBefore (tenant ${tenantId}, as the Entra admin center shows it):\n${formatSsprSettings(result.before)}`);

    host = options.host ?? (await startProviderHost({ cwd: repositoryRoot }));
    const runningHost = host;
    const program = programFromFile(options.programFile ?? path.join(repositoryRoot, "index.ts"));
    const handleCall = withGroupLookup(emulatorCallHandler(client), client);
    const up = (priorState: EngineState | undefined) =>
      runProgram(program, {
        host: runningHost,
        config,
        stack: loaded.stack,
        priorState,
        handleResource: withAzureStandIns(emulatorResourceHandler(client, priorState)),
        handleCall,
      });

    try {
      const first = await up(options.priorState);
      result.steps = first.steps;
      result.state = first.state;
      result.outputs = first.outputs;
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      result.steps = error.steps;
      result.state = error.state;
      fail(error.errors);
    }
    say(
      `\nSteps (pulumi up; "create" of a tenant setting adopts what the tenant has):\n` +
        formatSteps(result.steps, result.state),
    );

    const plainOutputs = Object.entries(result.outputs ?? {}).filter(([, value]) => typeof value === "string");
    if (plainOutputs.length > 0) {
      const width = Math.max(...plainOutputs.map(([name]) => name.length));
      say(`\nOutputs:\n${plainOutputs.map(([name, value]) => `  ${name.padEnd(width)}  ${String(value)}`).join("\n")}`);
    }

    const tenantAfter = await readTenantSettings(target, { client });
    result.after = describeTenantSettings(tenantAfter);
    result.changes = diffSsprSettings(result.before, result.after);
    say(`\nAfter:\n${formatSsprSettings(result.after)}`);
    say(`\nWhat changed:\n${formatSettingChanges(result.changes)}`);
    if (checked.args) {
      result.people = await peopleChanges(
        client,
        tenantBefore.methodsPolicy,
        tenantAfter.methodsPolicy,
        checked.args,
        tenantAfter.portal,
      );
      say(`\nWho gains or loses a method (for SSPR and MFA sign-in):\n${formatPeopleEffects(result.people)}`);
    }

    if (options.twice === true && result.errors.length === 0) {
      try {
        const second = await up(result.state);
        result.secondRun = { steps: second.steps };
        result.state = second.state;
        const changed = second.steps.filter((step) => step.op !== "same");
        say(
          `\nSecond run with the same config and state:\n${formatSteps(second.steps, second.state)}` +
            (changed.length === 0 ? "\n  Nothing changed, as expected." : ""),
        );
        fail(changed.map((step) => `second run: expected no change, but ${step.name} would ${step.op}`));
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        fail(error.errors);
      }
    }

    if (options.destroy === true && result.errors.length === 0) {
      try {
        const groups = Object.values(result.state).filter((entry) => entry.type === groupType);
        const applied = result.state;
        const destroyed = await destroyState(applied, host);
        const afterDestroy = await readSsprSettings(target, { client });
        const differences = diffSsprSettings(result.before, afterDestroy);
        result.state = destroyed.state;
        result.destroyed = { steps: destroyed.steps, after: afterDestroy, differencesFromBefore: differences };
        say(
          `\nDestroy (pulumi destroy):\n${formatSteps(destroyed.steps, applied)}\n` +
            (differences.length === 0
              ? "  The tenant's SSPR settings are back to their before state."
              : `  Still different from before:\n${formatSettingChanges(differences, "    ")}`) +
            (groups.length > 0 ? "\n  The pilot group stays in the emulator (the emulator cannot delete groups)." : ""),
        );
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        fail(error.errors);
      }
    }

    result.emulatorState = (await controlRequest(emulatorUrl, "GET", "state")) as TenantState;
  } finally {
    if (options.host === undefined) await host?.stop();
    await emulator?.stop();
  }
}

/** The stack config's problems as the program would report them (before anything runs), or its component args. */
function checkConfig(config: ConfigMap): { args?: SelfServicePasswordResetArgs; problems: string[] } {
  const parsed = parseStackConfig(namespaceConfig(flatConfig(config)));
  return parsed.ok ? { args: parsed.args, problems: [] } : { problems: parsed.problems };
}

// ---------------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------------

export const rehearseUsage =
  "usage: npm run rehearse -- --stack <name> [--seed tenant.json] [--port N] [--twice] [--destroy] [--json]\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack)";

/** The CLI's options, or the problems with them. Pure. */
export function parseRehearseArgs(
  argv: string[],
): { options: RehearseOptions; json: boolean } | { problems: string[] } {
  const { values, stack, stackFile, json, problems } = parseStackCommandLine(argv, {
    seed: { type: "string" },
    port: { type: "string" },
    twice: { type: "boolean" },
    destroy: { type: "boolean" },
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      problems.push(`--port is ${JSON.stringify(values.port)}; allowed: an integer 0-65535 (0 picks a free port)`);
    }
  }
  if (problems.length > 0) return { problems };
  return {
    options: {
      stack,
      stackFile,
      seed: values.seed as string | undefined,
      port,
      twice: values.twice === true,
      destroy: values.destroy === true,
    },
    json,
  };
}

/** The `--json` document: reports, steps and errors; no state (it holds the serialized providers). */
export function rehearsalJson(result: RehearseResult): string {
  const { state: _state, emulatorState: _emulatorState, ...rest } = result;
  return redactSecrets(JSON.stringify(rest, null, 2));
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseRehearseArgs(argv);
  if ("problems" in parsed) {
    process.stderr.write(`${parsed.problems.join("\n")}\n${rehearseUsage}\n`);
    return 2;
  }
  const result = await rehearse({
    ...parsed.options,
    log: parsed.json ? undefined : (textContent) => process.stdout.write(`${textContent}\n`),
  });
  if (parsed.json) process.stdout.write(`${rehearsalJson(result)}\n`);
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `rehearse failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}\n`,
      );
      process.exitCode = 1;
    },
  );
}
