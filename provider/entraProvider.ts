/**
 * The entra-sspr provider: one Pulumi provider (`@pulumi/pulumi/provider`'s interface) serving every tenant object
 * under the `entra-sspr:index:` type tokens (and the functions the program invokes at preview: `functions.ts`), by
 * dispatching each call to that object's lifecycle (the same lifecycles the dynamic resources ran: adopt on create,
 * own only what the config says, the effect rule, restore on delete, the ownership check before every write).
 *
 * Nothing here comes from state: the engine sends properties, never code. State written by the dynamic resources
 * carries a `__provider` string; it is read as data (its presence marks old state) and never run.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import type { SelfServicePasswordResetArgs } from "../components/ssprArgs";
import { administratorPasswordResetProvider } from "./objects/administratorPasswordReset";
import { authenticationMethodConfigurationProvider } from "./objects/authenticationMethodConfiguration";
import { authenticationMethodsPolicyProvider } from "./objects/authenticationMethodsPolicy";
import { passwordResetPolicyProvider } from "./objects/passwordResetPolicy";
import { pilotGroupReleaseProvider } from "./ownership/pilotGroupRelease";
import { tenantOwnershipProvider } from "./ownership/tenantOwnership";
import type { SingletonProvider } from "./objects/singletonProvider";
import { translateComponentArgs } from "./componentArgs";
import { packageName, resourceTypes, typeToken, type ResourceTypeName } from "../lib/resourceTypes";
import { version as packageVersion } from "./package.json";
import { entraSchema } from "./schema";
import { functionSchemas, invokeFunction } from "./functions";
import { revealSecrets, secretWhereInputWas } from "./secretValues";
import { expectStep, stepArrived, trackCall } from "./http/runReads";

type Props = Record<string, unknown>;

/** The properties with every secret unwrapped: the lifecycles work on plain values. */
const plainProps = (props: Props): Props => revealSecrets(props) as Props;

/**
 * What every object's lifecycle offers: the singletons' (`singletonProvider.ts`); the ownership claim and the group
 * release have the same methods, and only the singletons can be imported.
 */
type Lifecycle = Omit<SingletonProvider, "importById"> & Partial<Pick<SingletonProvider, "importById">>;

const lifecycles: Readonly<Record<ResourceTypeName, Lifecycle>> = {
  PasswordResetPolicy: passwordResetPolicyProvider,
  AuthenticationMethodsPolicy: authenticationMethodsPolicyProvider,
  AuthenticationMethodConfiguration: authenticationMethodConfigurationProvider,
  AdministratorPasswordReset: administratorPasswordResetProvider,
  TenantOwnership: tenantOwnershipProvider,
  PilotGroupRelease: pilotGroupReleaseProvider,
};

/** The hidden key the dynamic resources kept their code under: only its presence is looked at. */
const dynamicProviderKey = "__provider";

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` -> the resource's own type token. */
export function typeOfUrn(urn: string): string {
  const qualifiedType = urn.split("::")[2] ?? "";
  return qualifiedType.split("$").pop() ?? "";
}

function lifecycleOf(urn: string): Lifecycle {
  const token = typeOfUrn(urn);
  const [pkg, module, name] = token.split(":");
  if (pkg === packageName && module === "index" && (resourceTypes as readonly string[]).includes(name)) {
    return lifecycles[name as ResourceTypeName];
  }
  throw new Error(`entra-sspr provider: unknown resource type ${JSON.stringify(token)} (in ${urn})`);
}

/** Keys whose value another resource computes (an Output): the component's checks need every value known. */
function computedKeys(value: unknown, at: string): string[] {
  if (pulumi.Output.isInstance(value)) return [at];
  if (Array.isArray(value)) return value.flatMap((inner, index) => computedKeys(inner, `${at}[${index}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([key, inner]) => computedKeys(inner, at === "" ? key : `${at}.${key}`));
  return [];
}

/**
 * The component for every language: the args are translated from the schema's shape and checked by the same
 * rules as the stack config, all problems at once, before anything is registered.
 */
async function constructSelfServicePasswordReset(
  name: string,
  inputs: pulumi.Inputs,
  options: pulumi.ComponentResourceOptions,
): Promise<provider.ConstructResult> {
  const computed = computedKeys(inputs, "").map(
    (key) => `${key}: computed from another resource; expected a value known before the deployment starts`,
  );
  // Loaded on first Construct only: the component brings the azuread and azure-native SDKs, which the tenant
  // objects' lifecycles never need (a plugin serving only them starts in a fraction of the time).
  const { componentArgsProblems } = await import("../components/config");
  const { SelfServicePasswordReset } = await import("../components/selfServicePasswordReset");
  const { args, problems } = translateComponentArgs(inputs as Record<string, unknown>);
  const all = [...computed, ...problems, ...(computed.length > 0 ? [] : componentArgsProblems(args))];
  if (all.length > 0) {
    throw new pulumi.RunError(
      `SelfServicePasswordReset "${name}": ${all.length} invalid argument${all.length === 1 ? "" : "s"}; ` +
        `nothing was registered:\n  ${all.join("\n  ")}`,
    );
  }
  const component = new SelfServicePasswordReset(name, args as unknown as SelfServicePasswordResetArgs, options);
  return {
    urn: component.urn,
    state: {
      resetUrl: component.resetUrl,
      registrationUrl: component.registrationUrl,
      groupId: component.groupId,
      settings: component.settings,
    },
  };
}

/** The ids `pulumi import` takes, by type (what `create` gives each object). */
const importIdForms: Partial<Record<ResourceTypeName, string>> = {
  PasswordResetPolicy: "<tenant>/passwordResetPolicies/default",
  AuthenticationMethodConfiguration: "<tenant>/authenticationMethodConfigurations/<method id, e.g. Email>",
  AuthenticationMethodsPolicy: "<tenant>/authenticationMethodsPolicy",
  AdministratorPasswordReset: "<tenant>/authorizationPolicy/allowedToUseSSPR",
};

async function importObject(lifecycle: Lifecycle, id: string, urn: string): Promise<provider.ReadResult> {
  const imported = await lifecycle.importById?.(id);
  if (imported !== undefined) return imported;
  const type = typeOfUrn(urn);
  const form = importIdForms[type.split(":")[2] as ResourceTypeName];
  throw new Error(
    form === undefined
      ? `entra-sspr provider: ${type} cannot be imported (it is created by the component, never found in a tenant)`
      : `entra-sspr provider: ${JSON.stringify(id)} is not an import id of ${type}; expected ${form} ` +
          "(the tenant a GUID or verified domain; a lab tenant adds @<emulator URL>, loopback only)",
  );
}

const lifecycleCalls: provider.Provider = {
  version: packageVersion,

  async getSchema() {
    // The functions the program invokes at preview are described beside the resources (functions.ts).
    return JSON.stringify({ ...entraSchema, functions: functionSchemas });
  },

  async check(urn, olds, news) {
    const result = await lifecycleOf(urn).check(plainProps(olds), plainProps(news));
    // A create or a diff follows a check that passed: the writes of this moment wait for it (runReads.ts).
    if (result.failures.length === 0) expectStep(urn);
    return { inputs: secretWhereInputWas(result.inputs, news), failures: result.failures };
  },

  async diff(id, urn, olds, news) {
    const result = await lifecycleOf(urn).diff(id, plainProps(olds), plainProps(news));
    // State the dynamic resources wrote still holds their code string: an update (which writes nothing to the tenant
    // unless a setting differs) rewrites the outputs without it. Never a replace.
    const fromDynamicState = dynamicProviderKey in olds;
    const changes = result.changes || fromDynamicState;
    if (changes) expectStep(urn);
    else stepArrived(urn);
    return { ...result, changes, replaces: [] };
  },

  async create(urn, inputs) {
    const result = await lifecycleOf(urn).create(plainProps(inputs));
    return { id: result.id, outs: secretWhereInputWas(result.outs, inputs) };
  },

  async read(id, urn, props) {
    const lifecycle = lifecycleOf(urn);
    // `pulumi import` (or the `import` option) reads with the id alone: the object is adopted as the tenant has it.
    if (props === undefined || props.tenantId === undefined) return importObject(lifecycle, id, urn);
    const result = await lifecycle.read(id, plainProps(props));
    return {
      id: result.id,
      props: secretWhereInputWas(result.props, props ?? {}),
      inputs: result.inputs === undefined ? undefined : secretWhereInputWas(result.inputs, props ?? {}),
    };
  },

  async update(id, urn, olds, news) {
    const result = await lifecycleOf(urn).update(id, plainProps(olds), plainProps(news));
    return { outs: secretWhereInputWas(result.outs, news) };
  },

  async delete(id, urn, props) {
    await lifecycleOf(urn).delete(id, plainProps(props));
  },

  async construct(name, type, inputs, options) {
    if (type !== typeToken("SelfServicePasswordReset")) {
      throw new Error(`entra-sspr provider: unknown component type ${JSON.stringify(type)}`);
    }
    return constructSelfServicePasswordReset(name, inputs, options);
  },

  async invoke(token, inputs) {
    return invokeFunction(token, plainProps(inputs as Props));
  },
};

/** The calls that reach the tenant, each counted so that the reads of calls in flight go together (runReads.ts). */
const trackedCalls = ["check", "diff", "create", "read", "update", "delete", "invoke"] as const;
/** The steps a check or a diff announces (`expectStep`), and the argument that holds their URN. */
const announcedSteps: Partial<Record<(typeof trackedCalls)[number], number>> = {
  create: 0,
  update: 1,
  read: 1,
  delete: 1,
};

export const entraProvider: provider.Provider = {
  ...lifecycleCalls,
  ...Object.fromEntries(
    trackedCalls.map((name) => {
      const call = lifecycleCalls[name] as (...args: unknown[]) => Promise<unknown>;
      const urnAt = announcedSteps[name];
      return [
        name,
        (...args: unknown[]) => {
          if (urnAt !== undefined) stepArrived(String(args[urnAt]));
          return trackCall(() => call(...args));
        },
      ];
    }),
  ),
};
