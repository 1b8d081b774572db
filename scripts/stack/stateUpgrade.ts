/**
 * `npm run upgrade-state`: state written by entra-sspr's old dynamic resources, rewritten for the provider plugin
 * WITHOUT running any code from it. Pulumi runs the serialized `__provider` function a dynamic resource keeps in
 * state whenever its dynamic-provider host reads, diffs or deletes it (refresh included); an edited state can hold
 * anything there, run with the deploy job's environment. So the upgrade never hands that state to the CLI's engine:
 *
 *   pulumi stack export --file old.json  ->  upgradeDeployment (pure JSON)  ->  pulumi stack import --file new.json
 *
 * The transform, on Pulumi's checkpoint format (`{ version: 3, deployment: { resources: [...] } }`, Pulumi's
 * `apitype.DeploymentV3` / `ResourceV3`, sdk/go/common/apitype/core.go):
 * - types `pulumi-nodejs:dynamic/entra-sspr:<Name>` become `entra-sspr:index:<Name>`, in every type, URN, parent,
 *   dependency and property dependency (what the classes' aliases did in place, components/resources/);
 * - every `__provider` (the serialized code) is dropped from inputs and outputs;
 * - the dynamic resources' default provider (`pulumi:providers:pulumi-nodejs`, which ran that code) becomes the
 *   package's default provider `pulumi:providers:entra-sspr` named `default` (Pulumi's name for a default provider
 *   requested without a version, `ProviderRequest.DefaultName` in pkg/resource/deploy/providers/provider.go; with a
 *   version the engine names it `default_<major>_<minor>_<patch>` and moves the resources from one default provider
 *   of the package to the other by diffing the two providers' config, not by replacing them), whose inputs are only
 *   the provider's own config ({@link providerInputs}); references to it move with it.
 * Nothing else changes: other providers (azuread) and their resources stay as they are.
 */
import { randomUUID } from "node:crypto";
import { defaultEndpoints } from "../../lib/endpoints";

/** The old dynamic resources' types: `pulumi-nodejs:dynamic/entra-sspr:<Name>`. */
const dynamicType = /^pulumi-nodejs:dynamic\/entra-sspr:(\w+)$/;
const dynamicTypeInText = /pulumi-nodejs:dynamic\/entra-sspr:(\w+)/g;
const oldProviderType = "pulumi:providers:pulumi-nodejs";
export const packageProviderType = "pulumi:providers:entra-sspr";

type Json = Record<string, unknown>;

/** One resource of an exported checkpoint (the fields this transform touches; the rest ride along). */
export interface ExportedResource extends Json {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  inputs?: Json;
  outputs?: Json;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface ExportedDeployment {
  version: number;
  deployment: Json & { resources?: ExportedResource[] };
}

/** Whether an exported state still holds the old dynamic resources (what `deploy.yml` also looks for). */
export function holdsDynamicResources(exported: ExportedDeployment): boolean {
  return (exported.deployment.resources ?? []).some(
    (resource) =>
      dynamicType.test(resource.type) ||
      resource.type === oldProviderType ||
      (resource.inputs !== undefined && "__provider" in resource.inputs) ||
      (resource.outputs !== undefined && "__provider" in resource.outputs),
  );
}

/**
 * The package's default provider's inputs: only the provider's own config, never the SSPR settings. Read from what
 * the old TenantOwnership resource was given (its tenant and endpoints), plus the package version the plugin is
 * found by. Kept in one small function: which keys the provider's config holds is the engine contract's to decide.
 */
export function providerInputs(resources: readonly ExportedResource[], version: string): Json {
  const ownership = resources.find((resource) => /:TenantOwnership$/.test(resource.type));
  const given = ownership?.inputs ?? {};
  const inputs: Json = {};
  if (typeof given.tenantId === "string") inputs.tenantId = given.tenantId;
  const endpoints = given.endpoints;
  if (endpoints !== undefined && JSON.stringify(endpoints) !== JSON.stringify(defaultEndpoints))
    inputs.endpoints = JSON.stringify(endpoints);
  inputs.version = version;
  return inputs;
}

const renameTypes = (text: string): string => text.replace(dynamicTypeInText, "entra-sspr:index:$1");

function withoutCode(properties: Json | undefined): Json | undefined {
  if (properties === undefined) return undefined;
  const { __provider: _code, ...rest } = properties;
  return rest;
}

/** `urn:pulumi:<stack>::<project>::...` -> the stack and project parts. */
function stackAndProject(urn: string): { stack: string; project: string } | undefined {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return match === null ? undefined : { stack: match[1], project: match[2] };
}

/**
 * The upgraded checkpoint; the input is not changed. Pure: it reads JSON and returns JSON, and never evaluates
 * anything from it. Throws naming the problem when the state is not one it can upgrade.
 */
export function upgradeDeployment(exported: ExportedDeployment, version: string): ExportedDeployment {
  if (typeof exported !== "object" || exported === null || typeof exported.deployment !== "object")
    throw new Error("the file is not a `pulumi stack export` checkpoint (no `deployment`)");
  const resources = exported.deployment.resources ?? [];
  const oldProviders = resources.filter((resource) => resource.type === oldProviderType);
  const oldReferences = new Set(oldProviders.map((provider) => `${provider.urn}::${provider.id ?? ""}`));
  const named = stackAndProject(resources[0]?.urn ?? "");
  const providerUrn = named && `urn:pulumi:${named.stack}::${named.project}::${packageProviderType}::default`;
  const providerId = randomUUID();
  const providerReference = `${providerUrn}::${providerId}`;
  const renamedUrn = (urn: string): string => renameTypes(urn);

  const upgraded: ExportedResource[] = [];
  let providerPlaced = false;
  const placeProvider = (): void => {
    if (providerPlaced || providerUrn === undefined) return;
    providerPlaced = true;
    const inputs = providerInputs(resources, version);
    upgraded.push({
      urn: providerUrn,
      custom: true,
      id: providerId,
      type: packageProviderType,
      inputs,
      outputs: inputs,
    });
  };
  for (const resource of resources) {
    if (resource.type === oldProviderType) {
      // The package's default provider takes its place (a provider precedes the resources that name it).
      placeProvider();
      continue;
    }
    const next: ExportedResource = { ...resource, urn: renamedUrn(resource.urn), type: renameTypes(resource.type) };
    const inputs = withoutCode(resource.inputs);
    const outputs = withoutCode(resource.outputs);
    if (inputs !== undefined) next.inputs = inputs;
    if (outputs !== undefined) next.outputs = outputs;
    if (resource.parent !== undefined) next.parent = renamedUrn(resource.parent);
    if (resource.dependencies !== undefined) next.dependencies = resource.dependencies.map(renamedUrn);
    if (resource.propertyDependencies !== undefined)
      next.propertyDependencies = Object.fromEntries(
        Object.entries(resource.propertyDependencies).map(([key, urns]) => [key, urns.map(renamedUrn)]),
      );
    if (resource.provider !== undefined && oldReferences.has(resource.provider)) {
      placeProvider();
      next.provider = providerReference;
    } else if (resource.provider === undefined && dynamicType.test(resource.type)) {
      // A dynamic resource whose provider the checkpoint does not name (a hand-made state): the package's default.
      placeProvider();
      next.provider = providerReference;
    }
    upgraded.push(next);
  }
  const result = { ...exported, deployment: { ...exported.deployment, resources: upgraded } };
  if (JSON.stringify(result).includes("__provider"))
    throw new Error("a `__provider` is left where this upgrade does not look for it; nothing was written");
  return result;
}

export const upgradeStateUsage = `usage: npm run upgrade-state -- (--stack <stack> | --in <old.json> --out <new.json>)

Rewrites state written by entra-sspr's old dynamic resources for the provider plugin without running any code from
it (docs/provider.md, "Upgrading state from the dynamic resources"). Run it once, before the first up or refresh of
this version; the next up then writes only the ownership mark's move.

  --stack <stack>    export the stack's state with the Pulumi CLI, upgrade it, import it back
  --in <old.json>    an exported state to upgrade (with --out; no Pulumi CLI needed)
  --out <new.json>   where the upgraded state is written (readable by you only)`;

/** What the command is asked to do. */
export type UpgradeRequest = { stack: string } | { input: string; output: string };

export function parseUpgradeArguments(argv: readonly string[]): UpgradeRequest | { problem: string } {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at === -1 ? undefined : argv[at + 1];
  };
  const known = ["--stack", "--in", "--out"];
  const unknown = argv.filter(
    (arg, index) => arg.startsWith("--") && !known.includes(arg) && !known.includes(argv[index - 1]),
  );
  if (unknown.length > 0) return { problem: `unknown option ${unknown.join(", ")}; allowed: ${known.join(", ")}` };
  const stack = value("--stack");
  const input = value("--in");
  const output = value("--out");
  if (stack !== undefined && stack !== "" && !stack.startsWith("--") && input === undefined && output === undefined)
    return { stack };
  if (
    stack === undefined &&
    input !== undefined &&
    output !== undefined &&
    !input.startsWith("--") &&
    !output.startsWith("--")
  )
    return { input, output };
  return { problem: "give either --stack <stack>, or both --in <file> and --out <file>" };
}
