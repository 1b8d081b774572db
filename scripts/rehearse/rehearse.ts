/**
 * `npm run rehearse -- --stack <name> [--seed tenant.json] [--port N] [--twice] [--destroy] [--json]`
 *
 * A dress rehearsal of `pulumi up` for any stack's config, without the Pulumi CLI: the program (`index.ts`) runs
 * under mocks, its Entra resources run in the project's provider plugin (the rehearsal engine the lifecycle tests use,
 * `engine/engine.ts`), against a fresh local emulator. The stack's endpoints are always replaced by the emulator's,
 * so a rehearsal never reaches a real tenant. It prints the tenant's SSPR settings before, its existing risks, the
 * steps, the settings after, what changed and who gains or loses what (methods, security questions, administrators,
 * the scope); with `--destroy`, the same in people for the destroy, what it keeps on purpose and who can reset after
 * it. It exits non-zero with every error listed.
 *
 * What the rehearsal stands in for besides the dynamic resources: the pilot group (`azuread.Group`) is created in the
 * emulator through Graph, and the `azuread.getUsers` / `getUser` invokes are answered from the emulator's directory
 * (`azureadStandIns.ts`); the monitoring resources are planned with Azure-shaped ids (`azureNativeStandIns.ts`). Any
 * other resource or invoke is refused.
 * Not modelled: a preview before the apply (the steps are printed as they were applied), stack secrets.
 */
import { emulatorToday } from "../stack/emulatorToday";
import * as fs from "node:fs";
import * as path from "node:path";
import { sameTenantProblems } from "../../components/stackFiles";
import type { GroupFacts, PeopleEffects } from "../../components/peopleEffects";
import {
  destroyPeopleChanges,
  formatPeopleEffects,
  mergePeople,
  missingPeopleGrants,
  peopleChanges,
  portalPeopleChanges,
  readTenantPeople,
  scopeOfPortal,
} from "./peopleReport";
import { parseStackCommandLine } from "../stack/stackCommandLine";
import { createEntraClient } from "../../provider/http/client";
import type { EntraTarget } from "../../provider/http/httpTypes";
import { assertGrantsBeforeWrites } from "../../provider/grants/permissionPreflight";
import { isRecord } from "../../lib/predicates";
import { redactSecrets } from "../../provider/http/errors";
import { startEmulator, type RunningEmulator, type TenantSeed, type TenantState } from "../../emulator/server";
import { destroyState, EngineError, runProgram, type EngineState, type Step } from "../../engine/engine";
import { programFromFile } from "../../engine/programFromFile";
import { type PropertyMap, projectName } from "../../engine/propertyValues";
import { type ProviderHost, startProviderPlugin } from "../../engine/providerHost";
import { withGroupLookup } from "./emulatorGroupLookup";
import { openStack, type OpenedStack } from "../../components/openStack";
import {
  diffSsprSettings,
  formatSettingChanges,
  formatSsprSettings,
  readTenantSettings,
  describeTenantSettings,
  type SettingChange,
  type SsprSettingsReport,
} from "./tenantReport";
import { emulatorCallHandler, emulatorResourceDeleter, emulatorResourceHandler } from "../stack/azureadStandIns";
import { withAzureNativeStandIns } from "../stack/azureNativeStandIns";
import { describeErrors, formatSteps } from "./runReport";
import { destroyKeepLines, keptOnPurposeLines } from "./destroyReport";
import { destroyKeeps } from "../../provider/objects/destroyEffects";
import { readGroupFacts } from "../../provider/reader/peoplePreview";
import { todayFor, type OnDay } from "../../components/methodCatalogue";
import { activeCalendar } from "../../components/calendar";
import { assessReadiness } from "../../components/readiness/readinessReport";
import { readinessTimeline, timelineLines } from "../../components/readiness/timeline";
import { readinessSummaryLine } from "../readiness/words";
import { formatTenantRisks, readTenantRisks } from "./tenantRisks";
import { describeEndpoints, emulatorEndpoints, endpointsKey, withEmulatorEndpoints } from "../stack/stackConfig";
import { repositoryRoot } from "../stack/repository";

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
  /** A running provider plugin to use (default: one is started and stopped). */
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
  /** Who gained or lost which method, and for what (`methodPurposes.ts`), in admin-center words. */
  people?: PeopleEffects;
  /** Security questions and administrators in people (the methods policy cannot show them), counted from the tenant's people. */
  portalPeople?: PeopleEffects;
  steps: Step[];
  /** The program's stack outputs (index.ts exports), as `pulumi stack output` would show them. */
  outputs?: PropertyMap;
  state: EngineState;
  secondRun?: { steps: Step[] };
  destroyed?: {
    steps: Step[];
    after: SsprSettingsReport;
    differencesFromBefore: SettingChange[];
    /** What destroy left as others changed it after up, in people (read just before it ran). */
    kept: string[];
    /** What the destroy gave back and took, in people: methods, security questions, administrators. */
    people: PeopleEffects;
    /** What the destroy keeps on purpose (onDestroy retain, targets the tenant had, the released pilot group). */
    keptOnPurpose: string[];
    /** Who can reset after the destroy: Microsoft's coming dates, then today (readiness). */
    readiness: string[];
  };
  /** The tenant's lockout-check warnings before the plan (`npm run lockout-check`'s tenant guards). */
  tenantRisks?: string[];
  /** The emulator's whole tenant at the end (`GET /_emulator/state`). */
  emulatorState?: TenantState;
}

/** Which tenant the emulator holds, in words: the seed file (its sections), or the sample tenant. Pure. */
export function seedWords(given: TenantSeed | string | undefined, loaded: TenantSeed | undefined): string {
  if (loaded === undefined) return "holding its sample tenant (no seed)";
  const names = Object.keys(loaded).filter((name) => !name.startsWith("$"));
  const sections = names.length <= 4 ? names.join(", ") || "no sections" : `${names.length} sections`;
  return typeof given === "string"
    ? `seeded from ${given} (${sections}; the sample tenant's other sections)`
    : `seeded by the caller (${sections})`;
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

/** Two sets of people lines said as one: lines first, then warnings. */
function joinEffects(first: PeopleEffects, second: PeopleEffects | undefined): PeopleEffects {
  return second === undefined
    ? first
    : { lines: [...first.lines, ...second.lines], warnings: [...first.warnings, ...second.warnings] };
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
  const loaded = openStack(options);
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
  loaded: OpenedStack,
  options: RehearseOptions,
  say: (textContent: string) => void,
  fail: (errors: readonly unknown[]) => void,
): Promise<void> {
  // Everything that can be known without the tenant is checked first: a bad stack sends no request at all.
  const seed = loadSeed(options.seed);
  const problems = [...loaded.problems, ...seed.problems];
  if (loaded.args) problems.push(...sameTenantProblems(path.dirname(loaded.file), loaded.stack, loaded.args));
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
        emulator = await startEmulator({ port: options.port ?? 0, seed: seed.seed, ...emulatorToday() });
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
        `Pulumi CLI, against the local Entra emulator at ${emulatorUrl}, ${seedWords(options.seed, seed.seed)}.\n` +
        `Endpoints: the stack's ${endpointsKey} (${describeEndpoints(loaded.config[endpointsKey])}) are overridden ` +
        "with the emulator's: a rehearsal never touches a real tenant.",
    );
    for (const note of loaded.spellingNotes) say(`Note: ${note}`);
    await assertGrantsBeforeWrites(target, loaded.args); // every missing grant, before any request

    // The tenant's people (who registered what, who is an administrator), read only with the grants to read them.
    const lacking = await missingPeopleGrants(target);
    const notCounted = `People not counted: the identity lacks the read-only ${lacking.join(", ")} (docs/permissions.md).`;
    const readPeople = (day: OnDay, groupIds: string[]) =>
      lacking.length > 0 ? Promise.resolve(undefined) : readTenantPeople(client, tenantId, day, groupIds);

    const tenantBefore = await readTenantSettings(target, { client });
    result.before = describeTenantSettings(tenantBefore);
    say(`\nBefore (tenant ${tenantId}, as the Entra admin center shows it):\n${formatSsprSettings(result.before)}`);
    // The tenant's existing risks, as npm run lockout-check finds them, before the plan (issue 27).
    result.tenantRisks = await readTenantRisks(client, loaded.args);
    say(`\n${formatTenantRisks(result.tenantRisks)}`);

    host = options.host ?? (await startProviderPlugin({ cwd: repositoryRoot }));
    const runningHost = host;
    const program = programFromFile(options.programFile ?? path.join(repositoryRoot, "index.ts"));
    const handleCall = withGroupLookup(emulatorCallHandler(client), client);
    const up = (priorState: EngineState | undefined) =>
      runProgram(program, {
        host: runningHost,
        config,
        stack: loaded.stack,
        priorState,
        handleResource: withAzureNativeStandIns(emulatorResourceHandler(client, priorState)),
        handleCall,
        deleteResource: emulatorResourceDeleter(client),
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
    if (loaded.args) {
      result.people = await peopleChanges(
        client,
        tenantBefore.methodsPolicy,
        tenantAfter.methodsPolicy,
        loaded.args,
        tenantAfter.portal,
      );
      const day = todayFor(loaded.args);
      const scopeBefore = scopeOfPortal(tenantBefore.portal);
      const people = await readPeople(day, scopeBefore.kind === "group" ? [scopeBefore.id] : []);
      result.portalPeople = await portalPeopleChanges(client, tenantBefore, tenantAfter, people?.people, day);
      if (people === undefined) result.portalPeople.lines.push(notCounted);
      say(
        `\nWho gains or loses a method, and for what:\n${formatPeopleEffects(joinEffects(result.people, result.portalPeople))}`,
      );
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
        const applied = result.state;
        const beforeDestroy = await readTenantSettings(target, { client });
        const kept = await destroyKeepLines(client, target, applied, beforeDestroy);
        const keeps = destroyKeeps(Object.values(applied), beforeDestroy);
        const day = todayFor(loaded.args);
        const scopeBefore = scopeOfPortal(beforeDestroy.portal);
        const peopleBefore = await readPeople(day, scopeBefore.kind === "group" ? [scopeBefore.id] : []);
        const groupsBefore: Record<string, GroupFacts> = {};
        if (scopeBefore.kind === "group") groupsBefore[scopeBefore.id] = await readGroupFacts(client, scopeBefore.id);
        const destroyed = await destroyState(applied, host, { deleteResource: emulatorResourceDeleter(client) });
        const tenantAfterDestroy = await readTenantSettings(target, { client });
        const afterDestroy = describeTenantSettings(tenantAfterDestroy);
        const differences = diffSsprSettings(result.before, afterDestroy);
        result.state = destroyed.state;
        const peopleAfter = await readPeople(day, []);
        const people = await destroyPeopleChanges(
          client,
          beforeDestroy,
          tenantAfterDestroy,
          peopleBefore && peopleAfter && mergePeople(peopleBefore.people, peopleAfter.people),
          day,
          groupsBefore,
        );
        if (peopleAfter === undefined) people.lines.push(notCounted);
        const keptOnPurpose = keptOnPurposeLines(applied, beforeDestroy, tenantAfterDestroy, groupsBefore, keeps);
        const readiness = !loaded.args
          ? []
          : peopleAfter === undefined
            ? [notCounted]
            : [
                ...timelineLines(
                  readinessTimeline(peopleAfter.snapshot, day, loaded.args.methods),
                  day.calendar ?? activeCalendar(),
                ),
                readinessSummaryLine(assessReadiness(peopleAfter.snapshot, day)),
              ];
        result.destroyed = {
          steps: destroyed.steps,
          after: afterDestroy,
          differencesFromBefore: differences,
          kept,
          people,
          keptOnPurpose,
          readiness,
        };
        const block = (title: string, lines: readonly string[]): string =>
          lines.length === 0 ? "" : `\n  ${title}\n${lines.map((line) => `    ${line}`).join("\n")}`;
        say(
          `\nDestroy (pulumi destroy):\n${formatSteps(destroyed.steps, applied)}\n` +
            (kept.length === 0
              ? ""
              : `  Left as others changed it after up (destroy takes back only what the stack did):\n` +
                `${kept.map((line) => `    ${line}`).join("\n")}\n`) +
            (differences.length === 0
              ? "  The tenant's SSPR settings are back to their before state."
              : `  Still different from before:\n${formatSettingChanges(differences, "    ")}`) +
            block("What the destroy gives back and takes, in people:", [
              ...people.lines,
              ...people.warnings.map((warning) => `Warning: ${warning}`),
            ]) +
            block("Kept on purpose:", keptOnPurpose) +
            block("Who can reset after the destroy (today and on Microsoft's coming dates):", readiness),
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

// ---------------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------------

export const rehearseUsage =
  "usage: npm run rehearse -- --stack <name> [--seed tenant.json] [--port N] [--twice] [--destroy] [--json]\n" +
  "       (or --stack-file path/to/Pulumi.<name>.yaml instead of --stack)\n" +
  "  Applies the stack to a fresh local emulator through the provider plugin (no tenant, no Pulumi CLI).\n" +
  "  --stack NAME         the stack of Pulumi.<name>.yaml: its tenant and settings\n" +
  "  --stack-file PATH    a stack file elsewhere, instead of --stack\n" +
  "  --seed FILE          start the emulator from this tenant (a copy from npm run snapshot) instead of the sample one\n" +
  "  --port N             the emulator's port (default: a free one)\n" +
  "  --twice              apply a second time with the first run's state: any change then is an error (idempotence)\n" +
  "  --destroy            then destroy, and say in people what it gives back and what it keeps\n" +
  "  --json               print the report as JSON\n" +
  "  --help, -h           this text";

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

/** The `--json` document: reports, steps and errors; no state. */
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
