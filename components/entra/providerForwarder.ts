/**
 * The `__provider` each entra-sspr resource stores in state: a forwarder that reaches the implementation by package
 * name (`@entra-sspr/providers`, the `providers/` folder) when Pulumi's dynamic-provider host calls it.
 *
 * Why: Pulumi's closure serializer captures local modules by value, so a provider object built from
 * `components/entra` carried its whole module graph into state (about 150 KB per resource, stored in inputs and
 * outputs: 96% of a stack's state). A `require` inside the method body is only resolved when the method runs, so the
 * forwarder serializes to a few KB. The code that runs is what the checkout holds (as with any provider plugin); the
 * string changes only when the providers' version does.
 *
 * What the forwarder refuses, before it runs anything of the package (every method, every call):
 * - a package from anywhere but the program's own folder: the host's working directory, where the Pulumi CLI starts
 *   it (the project root); `<root>/node_modules/@entra-sspr/providers` must exist and resolve inside the root, so a
 *   package of that name in a parent folder's `node_modules` is never used;
 * - a package of another version than the one the state was written with (recorded here at program time), read from
 *   its package.json before any of its code is loaded;
 * - a package without every provider and method the forwarder forwards to, checked before the first method runs, so
 *   a destroy is refused whole instead of failing halfway.
 * The project root is not recorded in state: an absolute path would differ between a laptop and the CI runner and
 * turn every preview into an update of every resource.
 *
 * What it cannot refuse: the host runs whatever `__provider` text the state holds. A state edited to carry another
 * `__provider` runs that code on the next refresh or destroy, with the deployment's environment; no check in this
 * forwarder can stop it, because the edited text need not contain this forwarder at all. Only a real provider plugin
 * (no code in state, the issue "A real provider package") removes that; until then, whoever can write the state can
 * run code where the stack is deployed, so the state backend must be guarded like the deploy identity itself.
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

const providerTypes: readonly ProviderType[] = [
  "PasswordResetPolicy",
  "AuthenticationMethodsPolicy",
  "AuthenticationMethodConfiguration",
  "AdministratorPasswordReset",
  "TenantOwnership",
];
const lifecycleMethods: readonly LifecycleMethod[] = ["check", "diff", "create", "read", "update", "delete"];

/** The providers' version when the program ran: what the state is written with, and all the host will run. */
export const providersVersion: string = (require("../../providers/package.json") as { version: string }).version;

/**
 * The project's own `@entra-sspr/providers`, once its place, version and shape are what the state was written with;
 * otherwise an Error naming both versions. Serialized into state with each forwarder, so self-contained: everything it
 * needs is passed in or required inside (comments stay out of its body, which is stored). The host's `require`
 * resolves from its working directory first, so the package it loads is the one checked (and its path is compared).
 */
function trustedProviders(writtenWith: string, types: readonly string[], methods: readonly string[]): Implementations {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const root = fs.realpathSync(process.cwd());
  const expected = path.join(root, "node_modules", "@entra-sspr", "providers");
  const refuse = (found: string, why: string): Error =>
    new Error(
      `entra-sspr will not run its providers: this state was written with @entra-sspr/providers ${writtenWith}, ` +
        `but the project at ${root} has ${found}${why}. Nothing was run and nothing was sent to the tenant. Check out ` +
        `the entra-sspr version that wrote the state (providers ${writtenWith}) and run \`npm ci\` in its folder, or ` +
        "run `pulumi up` (without --refresh) with this checkout first: it rewrites each resource's provider.",
    );
  let folder: string;
  let manifest: { name?: unknown; version?: unknown };
  try {
    folder = fs.realpathSync(expected);
    manifest = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8")) as typeof manifest;
  } catch {
    throw refuse("none", ` in ${expected} (a package of that name in a parent folder is not used; run \`npm ci\`)`);
  }
  const inside = (file: string): boolean => file.startsWith(root + path.sep);
  const found = `${String(manifest.name)} ${String(manifest.version)}`;
  if (!inside(folder)) throw refuse(found, ` at ${folder}, outside the project`);
  if (manifest.name !== "@entra-sspr/providers" || manifest.version !== writtenWith) throw refuse(found, "");
  const entry = fs.realpathSync(require.resolve("@entra-sspr/providers"));
  if (!inside(entry) || !entry.startsWith(folder + path.sep)) throw refuse(found, ` resolving to ${entry}`);
  const implementations = require("@entra-sspr/providers") as Partial<Record<string, Partial<Record<string, unknown>>>>;
  const missing = types.flatMap((type) =>
    methods.filter((method) => typeof implementations[type]?.[method] !== "function").map((m) => `${type}.${m}`),
  );
  if (missing.length > 0) throw refuse(found, ` without ${missing.join(", ")}`);
  return implementations as Implementations;
}

function forwarderOf(type: ProviderType): pulumi.dynamic.ResourceProvider {
  const forward =
    (method: LifecycleMethod): Forwarded =>
    (...args) =>
      trustedProviders(providersVersion, providerTypes, lifecycleMethods)[type][method](...args);
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
