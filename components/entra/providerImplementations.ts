/**
 * What `@entra-sspr/providers` exports: each resource type's provider implementation, as the forwarders in state
 * (`providerForwarder.ts`) ask for it. Loaded only inside Pulumi's dynamic-provider host.
 */
import type { ProviderType } from "./providerForwarder";
import { administratorPasswordResetProvider } from "./administratorPasswordReset";
import { authenticationMethodConfigurationProvider } from "./authenticationMethodConfiguration";
import { authenticationMethodsPolicyProvider } from "./authenticationMethodsPolicy";
import { passwordResetPolicyProvider } from "./passwordResetPolicy";
import { tenantOwnershipProvider } from "./tenantOwnership";
import { pilotGroupReleaseProvider } from "./pilotGroupRelease";

type Props = Record<string, unknown>;

interface Implementation {
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
}

/**
 * A changed `__provider` is a change: state written before the forwarders carries the whole provider code in its
 * outputs, and only an update replaces it (Pulumi keeps a resource's old outputs when its diff finds nothing). The
 * update reads the tenant and writes nothing it does not have to, so upgrading costs one read per resource.
 */
function upgradingOldState<T extends Implementation>(implementation: T): T {
  return {
    ...implementation,
    async diff(id: string, olds: Props, news: Props) {
      const result = await implementation.diff(id, olds, news);
      return olds.__provider === news.__provider ? result : { ...result, changes: true };
    },
  };
}

/** The provider objects themselves, by type (what the resource classes passed to Pulumi before the forwarders). */
export const providerObjects: Readonly<Record<ProviderType, Implementation>> = {
  PasswordResetPolicy: passwordResetPolicyProvider,
  AuthenticationMethodsPolicy: authenticationMethodsPolicyProvider,
  AuthenticationMethodConfiguration: authenticationMethodConfigurationProvider,
  AdministratorPasswordReset: administratorPasswordResetProvider,
  TenantOwnership: tenantOwnershipProvider,
  PilotGroupRelease: pilotGroupReleaseProvider,
};

/** What the forwarders call. */
export const implementations = Object.fromEntries(
  Object.entries(providerObjects).map(([type, provider]) => [type, upgradingOldState(provider)]),
) as Readonly<Record<ProviderType, Implementation>>;
