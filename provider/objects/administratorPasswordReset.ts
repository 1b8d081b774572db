/**
 * AdministratorPasswordReset: `authorizationPolicy.allowedToUseSSPR`, the switch for SSPR by ADMINISTRATORS (not the
 * user-side SSPR, which is PasswordResetPolicy). Admins have SSPR on by default with a two-method policy.
 *
 * Graph takes the PATCH (204) and returns the new value on the next GET at once, which is what the read-back
 * compares; the change itself can take up to 60 minutes to apply to sign-ins.
 */
import {
  tenantOfImportId,
  type CheckFailure,
  type CheckedTarget,
  type OwnedSettings,
  type RemoteDocument,
  type SingletonSpec,
} from "./singletonSpec";
import { checkBoolean } from "./inputChecks";
import { singletonProvider } from "./singletonProvider";
import type { AdministratorPasswordResetSettings } from "./objectSettings";
import { tenantObjectPaths } from "../../lib/endpoints";
import { authorizationPolicyOf } from "../../lib/tenantCodecs";

export { authorizationPolicyOf };

export const authorizationPolicyPath = tenantObjectPaths.authorizationPolicy;
export const authorizationPolicyPermission = "Policy.ReadWrite.Authorization";

export type AdministratorPasswordResetInputs = CheckedTarget & AdministratorPasswordResetSettings;

export function validateAdministratorPasswordReset(inputs: Record<string, unknown>): CheckFailure[] {
  return checkBoolean("allowedToUseSSPR", inputs.allowedToUseSSPR);
}

export function administratorPasswordResetOwned(remote: RemoteDocument): OwnedSettings {
  return { allowedToUseSSPR: remote.allowedToUseSSPR ?? null };
}

export const administratorPasswordResetSpec: SingletonSpec<AdministratorPasswordResetInputs> = {
  kind: "AdministratorPasswordReset",
  settingKeys: ["allowedToUseSSPR"],
  supportsReset: false,
  validate: validateAdministratorPasswordReset,
  id: (inputs) => `${inputs.tenantId}/authorizationPolicy/allowedToUseSSPR`,
  async get(client) {
    const response = await client.send({
      api: "graph",
      method: "GET",
      path: authorizationPolicyPath,
      permission: authorizationPolicyPermission,
    });
    return authorizationPolicyOf(response.body);
  },
  rawFields: () => ["allowedToUseSSPR"],
  importId: (id) => tenantOfImportId(id, "authorizationPolicy/allowedToUseSSPR"),
  importable: (remote) =>
    typeof remote.allowedToUseSSPR === "boolean" ? { allowedToUseSSPR: remote.allowedToUseSSPR } : {},
  owned: administratorPasswordResetOwned,
  desired: (inputs) => ({ allowedToUseSSPR: inputs.allowedToUseSSPR }),
  toRaw: (next) => ({ allowedToUseSSPR: next.allowedToUseSSPR }),
  async send(client, _inputs, _remote, changed) {
    await client.send({
      api: "graph",
      method: "PATCH",
      path: authorizationPolicyPath,
      body: changed,
      permission: authorizationPolicyPermission,
    });
  },
};

export const administratorPasswordResetProvider = singletonProvider(administratorPasswordResetSpec);
