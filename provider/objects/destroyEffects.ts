/**
 * What a destroy would leave as others changed it since `up`, in people: the targets it keeps because someone else
 * added them, whether the method is still in force for them afterwards, and the settings it leaves as changed.
 *
 * Pure: the tenant singletons' state (outputs as the engine keeps them) and the tenant's documents now, in; the
 * restore rule of the providers (`entra/restoreRule.ts`, the same function `delete` runs) applied to each; sentences
 * out. Used by `rehearse --destroy`, which reads the documents just before it destroys.
 */
import { administratorPasswordResetSpec } from "./administratorPasswordReset";
import { authenticationMethodConfigurationSpec } from "./authenticationMethodConfiguration";
import { authenticationMethodsPolicySpec, betaPolicyFields } from "./authenticationMethodsPolicy";
import { passwordResetPolicySpec } from "./passwordResetPolicy";
import { isRecord } from "../../lib/predicates";
import { typeTokenPrefix } from "../../lib/resourceTypes";
import { restorePlan, writtenFromState } from "./restoreRule";
import type { RemoteDocument } from "./singletonSpec";
import { snapshotFromState } from "../ownership/beforeSnapshot";
import { isInForce } from "../../lib/tenantCodecs";
import { audience, methodWords, type GroupFacts } from "../../components/peopleEffects";

/** The part of a state entry this needs: its type token and outputs. */
export interface SingletonState {
  type: string;
  outputs: Record<string, unknown>;
}

/** The tenant's documents as the services return them (what `readTenantSettings` reads). */
export interface TenantDocuments {
  portal: RemoteDocument;
  /** The v1.0 methods policy, with its method configurations. */
  methodsPolicy: RemoteDocument;
  authorizationPolicy: RemoteDocument;
}

/** What destroy leaves of one object as others changed it. */
export interface DestroyKeep {
  type: string;
  /** The method id, for a method configuration. */
  method?: string;
  /** Include target ids others added since (lower-cased): destroy keeps them. */
  keptTargets: string[];
  /** Other targets others added since (exclusions, campaign targets): raw path and id. */
  keptOtherTargets: { path: string; id: string }[];
  /** Whether the method is in force after destroy (method configurations only). */
  inForceAfter?: boolean;
  /** Raw fields (dotted paths) someone changed since the stack wrote them: destroy leaves them as they are. */
  changedSince: string[];
}

const specs = {
  PasswordResetPolicy: passwordResetPolicySpec,
  AuthenticationMethodConfiguration: authenticationMethodConfigurationSpec,
  AuthenticationMethodsPolicy: authenticationMethodsPolicySpec,
  AdministratorPasswordReset: administratorPasswordResetSpec,
} as const;

/** The object's raw document now, and the fields of it this reading can judge. */
function documentOf(
  kind: keyof typeof specs,
  outputs: Record<string, unknown>,
  tenant: TenantDocuments,
): { now: RemoteDocument | undefined; skip: readonly string[] } {
  if (kind === "PasswordResetPolicy") return { now: tenant.portal, skip: [] };
  if (kind === "AdministratorPasswordReset") return { now: tenant.authorizationPolicy, skip: [] };
  // The beta-only root fields are not in the v1.0 document: they are not judged here (destroy reads them itself).
  if (kind === "AuthenticationMethodsPolicy") return { now: tenant.methodsPolicy, skip: betaPolicyFields };
  const configurations = tenant.methodsPolicy.authenticationMethodConfigurations;
  const found = (Array.isArray(configurations) ? configurations : []).find(
    (item) => isRecord(item) && String(item.id).toLowerCase() === String(outputs.methodId).toLowerCase(),
  );
  return { now: isRecord(found) ? found : undefined, skip: [] };
}

/** The id inside a target path's key (`includeTargets[group:<id>]` -> `<id>`). */
const targetIdOf = (target: unknown): string => (isRecord(target) ? String(target.id).toLowerCase() : "");

/**
 * Per restoring singleton, what its destroy would leave as others changed it (objects with nothing to say left
 * out). Entries that retain or reset are not restored, so nothing is judged for them; state from before the record
 * of the stack's writes restores whole (see `restoreRule.ts`) and has nothing to say either.
 */
export function destroyKeeps(entries: readonly SingletonState[], tenant: TenantDocuments): DestroyKeep[] {
  const keeps: DestroyKeep[] = [];
  for (const { type, outputs } of entries) {
    const kind = type.startsWith(typeTokenPrefix) ? type.slice(typeTokenPrefix.length) : "";
    if (!(kind in specs) || (outputs.onDelete ?? "restore") !== "restore") continue;
    const spec = specs[kind as keyof typeof specs];
    const { now, skip } = documentOf(kind as keyof typeof specs, outputs, tenant);
    if (now === undefined) continue;
    const taken = snapshotFromState(outputs);
    const fields = Object.keys(taken.snapshot).filter((field) => !skip.includes(field));
    const plan = restorePlan(taken, writtenFromState(outputs), now, { fields, followers: spec.restoreFollowers });
    const added = plan.notes.filter((note) => note.kind === "addedSince");
    const keep: DestroyKeep = {
      type,
      keptTargets: added.filter((note) => note.path.startsWith("includeTargets[")).map((n) => targetIdOf(n.target)),
      keptOtherTargets: added
        .filter((note) => !note.path.startsWith("includeTargets["))
        .map((note) => ({ path: note.path.replace(/\[[^\]]*\]$/, ""), id: targetIdOf(note.target) })),
      changedSince: plan.notes.filter((note) => note.kind === "changedSince").map((note) => note.path),
    };
    if (kind === "AuthenticationMethodConfiguration") {
      keep.method = String(outputs.methodId);
      keep.inForceAfter = isInForce("state" in plan.values ? plan.values.state : now.state);
    }
    if (keep.keptTargets.length + keep.keptOtherTargets.length + keep.changedSince.length > 0) keeps.push(keep);
  }
  return keeps;
}

/** Every group id the keeps name (for looking up their names and member counts). */
export function keptGroupIds(keeps: readonly DestroyKeep[]): string[] {
  const ids = keeps.flatMap((keep) => [...keep.keptTargets, ...keep.keptOtherTargets.map((target) => target.id)]);
  return [...new Set(ids)].filter((id) => id !== "all_users");
}

/**
 * The keeps in people: "Email: group 'Finance' (3 members) keeps it (added in the admin center after up)."
 * `objectWords` names an object that is not a method (the run report's words for its type).
 */
export function describeDestroyKeeps(
  keeps: readonly DestroyKeep[],
  groups: Readonly<Record<string, GroupFacts>>,
  objectWords: (type: string) => string,
): string[] {
  const lines: string[] = [];
  for (const keep of keeps) {
    const words =
      keep.method === undefined ? objectWords(keep.type) : (methodWords[keep.method.toLowerCase()] ?? keep.method);
    for (const id of keep.keptTargets) {
      const who = audience(id, groups);
      lines.push(
        keep.inForceAfter === false
          ? `${words}: ${who} stays in its targets (added in the admin center after up), but destroy turns the ` +
              "method back off as it was before the stack, so they lose it."
          : `${words}: ${who} keeps it (added in the admin center after up).`,
      );
    }
    for (const target of keep.keptOtherTargets) {
      lines.push(
        `${words}: ${audience(target.id, groups)} stays in ${target.path} (added in the admin center after up).`,
      );
    }
    if (keep.changedSince.length > 0) {
      lines.push(
        `${words}: ${keep.changedSince.join(", ")} changed after up; destroy leaves ` +
          `${keep.changedSince.length === 1 ? "it as it is" : "them as they are"} now.`,
      );
    }
  }
  return lines;
}
