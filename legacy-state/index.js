/**
 * State written by entra-sspr 0.1 (its dynamic resources) stores, as each resource's `__provider`, a forwarder that
 * requires this package by name when Pulumi's dynamic-provider host runs a refresh or destroy of that state. Since the
 * provider plugin (`provider/`) serves the tenant objects, nothing of the implementation is reached this way: every
 * call is refused, before any request to a tenant, with the way forward. Keeping the package (rather than deleting it)
 * also means the name resolves here, in the project, and never to a package of that name in a parent folder.
 */
"use strict";

const types = [
  "PasswordResetPolicy",
  "AuthenticationMethodsPolicy",
  "AuthenticationMethodConfiguration",
  "AdministratorPasswordReset",
  "TenantOwnership",
];
const methods = ["check", "diff", "create", "read", "update", "delete"];

const { version: stateVersion } = require("./package.json");
const { version: pluginVersion } = require("../provider/package.json");

function refuse(type, method) {
  return async () => {
    throw new Error(
      `entra-sspr: this stack's state was written by entra-sspr's dynamic resources (providers ${stateVersion} or ` +
        `earlier); this checkout serves them with its provider plugin ${pluginVersion}. ${type}.${method} is not ` +
        "run from the state, and nothing was sent to the tenant. Run `pulumi up` once with this version: each " +
        "resource moves to the plugin's type in place (no replace, no settings written); refresh and destroy work after.",
    );
  };
}

module.exports = Object.fromEntries(
  types.map((type) => [type, Object.fromEntries(methods.map((method) => [method, refuse(type, method)]))]),
);
