/**
 * The `__provider` each entra-sspr resource stores in state: a forwarder that reaches the implementation by package
 * name (`@entra-sspr/providers`, the `providers/` folder) when Pulumi's dynamic-provider host calls it.
 *
 * Why: Pulumi's closure serializer captures local modules by value, so a provider object built from
 * `components/entra` carried its whole module graph into state (about 150 KB per resource, stored in inputs and
 * outputs: 96% of a stack's state). A `require` inside the method body is only resolved when the method runs, so the
 * forwarder serializes to well under 1 KB. The code that runs is what the checkout holds (as with any provider
 * plugin), and the string stays the same across versions, so state does not churn when the implementation changes.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The resource types the package implements (the last part of each type token). */
export type ProviderType =
  | "PasswordResetPolicy"
  | "AuthenticationMethodsPolicy"
  | "AuthenticationMethodConfiguration"
  | "AdministratorPasswordReset"
  | "TenantOwnership"
  | "PilotGroupRelease";

type LifecycleMethod = "check" | "diff" | "create" | "read" | "update" | "delete";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each method forwards whatever the host passes
type Forwarded = (...args: any[]) => Promise<any>;

type Implementations = Record<ProviderType, Record<LifecycleMethod, Forwarded>>;

/**
 * The package is required inside each method body, so it is resolved in the host at call time (from the program's
 * `node_modules`: a `file:` dependency on `providers/`) and never captured: its name is all the state holds.
 */
function forwarderOf(type: ProviderType): pulumi.dynamic.ResourceProvider {
  const forward =
    (method: LifecycleMethod): Forwarded =>
    (...args) =>
      (require("@entra-sspr/providers") as Implementations)[type][method](...args);
  return {
    check: forward("check"),
    diff: forward("diff"),
    create: forward("create"),
    read: forward("read"),
    update: forward("update"),
    delete: forward("delete"),
  };
}

/**
 * One forwarder per type, built once: the SDK caches a provider's serialization per object, so every resource of a
 * type shares one string, and the host one deserialized provider.
 */
export const forwardingProviders: Readonly<Record<ProviderType, pulumi.dynamic.ResourceProvider>> = {
  PasswordResetPolicy: forwarderOf("PasswordResetPolicy"),
  AuthenticationMethodsPolicy: forwarderOf("AuthenticationMethodsPolicy"),
  AuthenticationMethodConfiguration: forwarderOf("AuthenticationMethodConfiguration"),
  AdministratorPasswordReset: forwarderOf("AdministratorPasswordReset"),
  TenantOwnership: forwarderOf("TenantOwnership"),
  PilotGroupRelease: forwarderOf("PilotGroupRelease"),
};
