/**
 * The entra-sspr provider: one Pulumi provider (`@pulumi/pulumi/provider`'s interface) serving every tenant object
 * under the `entra-sspr:index:` type tokens, by dispatching each call to that object's lifecycle (the same
 * lifecycles the dynamic resources ran: adopt on create, own only what the config says, the effect rule, restore on
 * delete, the ownership check before every write).
 *
 * Nothing here comes from state: the engine sends properties, never code. State written by the dynamic resources
 * carries a `__provider` string; it is read as data (its presence marks old state) and never run.
 */
import type * as provider from "@pulumi/pulumi/provider";
import { administratorPasswordResetProvider } from "../components/entra/administratorPasswordReset";
import { authenticationMethodConfigurationProvider } from "../components/entra/authenticationMethodConfiguration";
import { authenticationMethodsPolicyProvider } from "../components/entra/authenticationMethodsPolicy";
import { passwordResetPolicyProvider } from "../components/entra/passwordResetPolicy";
import { tenantOwnershipProvider } from "../components/entra/tenantOwnership";
import { packageName, packageVersion, resourceTypes, type ResourceTypeName } from "./types";
import { entraSchema } from "./schema";
import { plainValues, secretWhereInputWas } from "./secrets";

type Props = Record<string, unknown>;

/** What every object's lifecycle offers (the dynamic-provider shape, without the URN). */
interface Lifecycle {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

const lifecycles: Readonly<Record<ResourceTypeName, Lifecycle>> = {
  PasswordResetPolicy: passwordResetPolicyProvider,
  AuthenticationMethodsPolicy: authenticationMethodsPolicyProvider,
  AuthenticationMethodConfiguration: authenticationMethodConfigurationProvider,
  AdministratorPasswordReset: administratorPasswordResetProvider,
  TenantOwnership: tenantOwnershipProvider,
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

export const entraProvider: provider.Provider = {
  version: packageVersion,

  async getSchema() {
    return JSON.stringify(entraSchema);
  },

  async check(urn, olds, news) {
    const result = await lifecycleOf(urn).check(plainValues(olds), plainValues(news));
    return { inputs: secretWhereInputWas(result.inputs, news), failures: result.failures };
  },

  async diff(id, urn, olds, news) {
    const result = await lifecycleOf(urn).diff(id, plainValues(olds), plainValues(news));
    // State the dynamic resources wrote still holds their code string: an update (which writes nothing to the tenant
    // unless a setting differs) rewrites the outputs without it. Never a replace.
    const fromDynamicState = dynamicProviderKey in olds;
    return { ...result, changes: result.changes || fromDynamicState, replaces: [] };
  },

  async create(urn, inputs) {
    const result = await lifecycleOf(urn).create(plainValues(inputs));
    return { id: result.id, outs: secretWhereInputWas(result.outs, inputs) };
  },

  async read(id, urn, props) {
    const result = await lifecycleOf(urn).read(id, plainValues(props ?? {}));
    return {
      id: result.id,
      props: secretWhereInputWas(result.props, props ?? {}),
      inputs: result.inputs === undefined ? undefined : secretWhereInputWas(result.inputs, props ?? {}),
    };
  },

  async update(id, urn, olds, news) {
    const result = await lifecycleOf(urn).update(id, plainValues(olds), plainValues(news));
    return { outs: secretWhereInputWas(result.outs, news) };
  },

  async delete(id, urn, props) {
    await lifecycleOf(urn).delete(id, plainValues(props));
  },
};
