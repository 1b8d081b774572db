/**
 * Microsoft's dated configuration changes (`emulatorCalendar.ts`, kind `tenantConfiguration`) applied to a tenant as Entra
 * applies them: once per tenant, and recorded in `microsoftChangesApplied` (which the control routes show). Pure.
 *
 * When they apply is the server's business (`server.ts`): never on a plain start; at a start or seed that asks for
 * them (`microsoftChanges: "apply"`); and when the control route moves the date from before an entry's day to it
 * or after (see `docs/emulator.md`).
 */
import { microsoftCalendar, reached, calendarIds, type CalendarEntry } from "./emulatorCalendar";
import {
  deepClone,
  isPlainObject,
  sameId,
  type AppliedMicrosoftChange,
  type JsonObject,
  type TenantState,
} from "./types";

/** What a change did to the tenant, in words (empty: nothing in the tenant was in scope, nothing changed). */
type ConfigurationChange = (state: TenantState, now: Date) => { next: TenantState; changes: string[] };

const allUsers = "all_users";

interface Target {
  targetType: string;
  id: string;
}

function configuration(state: TenantState, id: string): JsonObject | undefined {
  return state.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
    (candidate) => typeof candidate.id === "string" && sameId(candidate.id, id),
  );
}

function targetsOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

const hasTarget = (targets: readonly JsonObject[], id: string): boolean =>
  targets.some((target) => typeof target.id === "string" && sameId(target.id, id));

/**
 * Who is enabled for SMS or voice: the include targets of `Sms` and `Voice` where the method is enabled (a disabled
 * method's targets are dormant and enable nobody). `all_users` alone when any of them is `all_users`.
 */
function smsAndVoiceTargets(state: TenantState): Target[] {
  const found: Target[] = [];
  for (const id of ["Sms", "Voice"]) {
    const method = configuration(state, id);
    if (method?.state !== "enabled") continue;
    for (const target of targetsOf(method.includeTargets))
      if (typeof target.id === "string" && !found.some((known) => sameId(known.id, String(target.id))))
        found.push({ targetType: typeof target.targetType === "string" ? target.targetType : "group", id: target.id });
  }
  return found.some((target) => target.id === allUsers) ? [{ targetType: "group", id: allUsers }] : found;
}

/**
 * A passkey profile of the Fido2 configuration that allows every type of passkey with no restriction, if the
 * configuration has passkey profiles (Graph beta `passkeyProfile`: `passkeyTypes` "deviceBound,synced",
 * `attestationEnforcement`, `keyRestrictions`).
 */
function unrestrictedProfileId(fido2: JsonObject): string | undefined {
  for (const profile of targetsOf(fido2.passkeyProfiles)) {
    const types = typeof profile.passkeyTypes === "string" ? profile.passkeyTypes.toLowerCase() : "";
    const restricted = isPlainObject(profile.keyRestrictions) && profile.keyRestrictions.isEnforced === true;
    const attested =
      typeof profile.attestationEnforcement === "string" && profile.attestationEnforcement !== "disabled";
    if (
      types.includes("devicebound") &&
      types.includes("synced") &&
      !restricted &&
      !attested &&
      profile.id !== undefined
    )
      return String(profile.id);
  }
  return undefined;
}

/**
 * 1 September 2026 (https://learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement):
 * "users enabled for SMS or Voice in the Entra Authentication Methods Policy (AMP) ... will be auto-enabled for
 * passkeys in AMP. These in scope users will be put into a passkey profile allowing all types of passkeys. Your
 * Registration Campaign settings will be set to Microsoft Managed state targeting passkeys, and will automatically
 * bring these users into scope." and "By default, users will have unlimited snoozes of the nudge prompt."
 *
 * In Graph terms:
 * - `Fido2` is switched on (`state: "enabled"`) for the SMS and Voice include targets, added to the targets it
 *   already has in force: never narrowing. assumed (Microsoft does not say how it writes the targets): when `Fido2`
 *   was disabled its targets were dormant (they enabled nobody) and switching it on would bring them all into force,
 *   beyond the users Microsoft names; so the dormant targets the SMS/voice users do not need are dropped and those
 *   they do are kept as they are. `excludeTargets` stay as they are (not said either). Added targets carry
 *   `isRegistrationRequired: false`, and `allowedPasskeyProfiles` naming a profile that allows every passkey type
 *   when the configuration has passkey profiles and one such profile (Microsoft does not say which profile, or what
 *   it does when there is none; then the target names none). Legacy MFA settings are not modelled.
 * - The registration campaign's `state` becomes `default`: the admin center's "Microsoft managed" (Learn,
 *   https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-registration-campaign: the admin center's
 *   states are Enabled, Microsoft managed and Disabled, Graph's `state` values `enabled`, `default` ("uses the
 *   Microsoft Entra ID default value") and `disabled`). Passkeys are `targetedAuthenticationMethod: "fido2"` (the
 *   same page; the Graph `authenticationMethodsRegistrationCampaignIncludeTarget` page writes it `Fido2`). In
 *   Microsoft managed state with passkeys the same page gives 1 day allowed to snooze and unlimited snoozes
 *   (`snoozeDurationInDays: 1`, `enforceRegistrationAfterAllowedSnoozes: false`). A campaign targets one method at
 *   a time (same page), so the existing include targets are pointed at `fido2`; the SMS and voice targets are added
 *   unless `all_users` is already included. assumed: exclude targets stay as they are.
 *
 * A tenant where nobody is enabled for SMS or voice is not in scope: nothing changes (the record says so).
 */
const passkeysForSmsAndVoice: ConfigurationChange = (state, now) => {
  const phoneTargets = smsAndVoiceTargets(state);
  if (phoneTargets.length === 0) return { next: state, changes: [] };
  const next = deepClone(state);
  const changes: string[] = [];
  const names = phoneTargets.map((target) => target.id).join(", ");

  const fido2 = configuration(next, "Fido2");
  if (fido2 !== undefined) {
    const wasEnabled = fido2.state === "enabled";
    const current = targetsOf(fido2.includeTargets);
    const inForce = wasEnabled
      ? current
      : current.filter((target) => phoneTargets.some((t) => sameId(t.id, String(target.id))));
    const profile = unrestrictedProfileId(fido2);
    const covered = (id: string): boolean => hasTarget(inForce, id) || hasTarget(inForce, allUsers);
    const added = phoneTargets
      .filter((target) => !covered(target.id))
      .map((target): JsonObject => ({
        targetType: target.targetType,
        id: target.id,
        isRegistrationRequired: false,
        ...(profile === undefined ? {} : { allowedPasskeyProfiles: [profile] }),
      }));
    fido2.state = "enabled";
    fido2.includeTargets = [...inForce, ...added];
    if (!wasEnabled) {
      changes.push(`Fido2 (passkeys) switched on for ${names} (the users enabled for SMS or voice)`);
      const dropped = current.filter((target) => !inForce.includes(target));
      if (dropped.length > 0)
        changes.push(
          `Fido2's dormant include targets ${dropped.map((target) => String(target.id)).join(", ")} dropped (the method was off)`,
        );
    } else if (added.length > 0)
      changes.push(`Fido2 (passkeys) include targets ${added.map((target) => String(target.id)).join(", ")} added`);
  }

  const policy = next.authenticationMethodsPolicy;
  const enforcement = isPlainObject(policy.registrationEnforcement) ? policy.registrationEnforcement : {};
  const campaign = isPlainObject(enforcement.authenticationMethodsRegistrationCampaign)
    ? enforcement.authenticationMethodsRegistrationCampaign
    : {};
  const included = targetsOf(campaign.includeTargets).map((target) => ({
    ...target,
    targetedAuthenticationMethod: "fido2",
  }));
  const addedToCampaign = hasTarget(included, allUsers)
    ? []
    : phoneTargets
        .filter((target) => !hasTarget(included, target.id))
        .map((target) => ({ id: target.id, targetType: target.targetType, targetedAuthenticationMethod: "fido2" }));
  policy.registrationEnforcement = {
    ...enforcement,
    authenticationMethodsRegistrationCampaign: {
      ...campaign,
      state: "default",
      snoozeDurationInDays: 1,
      enforceRegistrationAfterAllowedSnoozes: false,
      excludeTargets: targetsOf(campaign.excludeTargets),
      includeTargets: [...included, ...addedToCampaign],
    },
  };
  changes.push(
    'registration campaign set to Microsoft managed (state "default") targeting passkeys ("fido2"), 1 day to ' +
      "snooze, unlimited snoozes" +
      (addedToCampaign.length > 0 ? `; ${addedToCampaign.map((target) => target.id).join(", ")} included` : ""),
  );
  policy.lastModifiedDateTime = now.toISOString();
  return { next, changes };
};

const configurationChanges: Record<string, ConfigurationChange> = {
  [calendarIds.passkeysForSmsAndVoice]: passkeysForSmsAndVoice,
};

/** The configuration entries of the calendar, oldest first. */
export const configurationEntries: readonly CalendarEntry[] = microsoftCalendar.filter(
  (entry) => entry.kind === "tenantConfiguration",
);

export function appliedRecord(state: TenantState, id: string): AppliedMicrosoftChange | undefined {
  return state.microsoftChangesApplied.find((record) => record.id === id);
}

export interface DueChanges {
  /** The emulator's date: entries on or before it are due. */
  today: string;
  /** When the date moved from this day: only entries after it are due (crossed). Undefined: every entry up to today. */
  movedFrom?: string;
  trigger: NonNullable<AppliedMicrosoftChange["trigger"]>;
  /** The machine's time, for the record and the policy's `lastModifiedDateTime`. */
  now: Date;
}

/** Applies every due configuration change the tenant has not had, oldest first; returns the tenant and the records. */
export function applyDueChanges(
  state: TenantState,
  due: DueChanges,
): { next: TenantState; applied: AppliedMicrosoftChange[] } {
  let next = state;
  const applied: AppliedMicrosoftChange[] = [];
  for (const entry of configurationEntries) {
    if (!reached(entry, due.today)) continue;
    if (due.movedFrom !== undefined && reached(entry, due.movedFrom)) continue;
    if (appliedRecord(next, entry.id) !== undefined) continue;
    const { next: changed, changes } = configurationChanges[entry.id](next, due.now);
    const record: AppliedMicrosoftChange = {
      id: entry.id,
      date: entry.date,
      appliedOn: due.today,
      appliedAt: due.now.toISOString(),
      trigger: due.trigger,
      changes,
    };
    next = { ...changed, microsoftChangesApplied: [...changed.microsoftChangesApplied, record] };
    applied.push(record);
  }
  return { next, applied };
}

/** One calendar entry as `GET /_emulator/calendar` shows it for the tenant on the emulator's date. */
export interface CalendarEntryView extends CalendarEntry {
  /** The emulator's date is the entry's day or later. */
  reached: boolean;
  /**
   * The change is in effect for this tenant: a configuration change once applied; the end of Microsoft's SMS and
   * voice once reached, unless the tenant has its own telephony provider; any other service change once reached.
   */
  inEffect: boolean;
  /** Configuration changes: the record of its application, or null while the tenant has not had it. */
  applied?: AppliedMicrosoftChange | null;
}

export function calendarView(state: TenantState, today: string): CalendarEntryView[] {
  return microsoftCalendar.map((entry): CalendarEntryView => {
    const isReached = reached(entry, today);
    if (entry.kind === "tenantConfiguration") {
      const applied = appliedRecord(state, entry.id) ?? null;
      return { ...entry, reached: isReached, inEffect: applied !== null, applied };
    }
    const inEffect =
      entry.id === calendarIds.microsoftTelephonyRetired ? isReached && !state.ownTelephonyProvider : isReached;
    return { ...entry, reached: isReached, inEffect };
  });
}
