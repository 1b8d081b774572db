/**
 * The typed form of the SSPR settings: what the `SelfServicePasswordReset` component takes, and what the stack config
 * parses to exactly (`config.ts`). Types only, so the checks beside the parser can use them without importing it.
 */
import type { EntraEndpoints } from "../lib/endpoints";
import type { MethodsPolicyRootSettings } from "./methodsPolicySettings";
import type { MonitoringSettings } from "./monitoringConfig";
import type { ConfigMethodKey } from "./methodCatalogue";

export type Scope = "none" | "selected" | "all";

/**
 * `"offer"` offers the method (its targets are only ever added to); `"leave"` leaves the tenant's setting alone;
 * `"disable"` turns the method off, which removes it for every purpose it serves (`methodPurposes.ts`), not only SSPR.
 * The same three words in a stack file, in TypeScript and in Pulumi YAML (the schema's `MethodChoice`).
 */
export type MethodChoice = "offer" | "leave" | "disable";

/**
 * What a stack file or a TypeScript program may write: the words, or the older spelling `true` (= `"offer"`) and
 * `false` (= `"leave"`), read exactly as the words. Parsed args always hold the words (`config.ts`).
 */
export type MethodChoiceInput = MethodChoice | boolean;

export interface SecurityQuestionCounts {
  /** Questions a user must register, 3-5. */
  register: number;
  /** Questions asked at reset, 3-5, at most `register`. */
  reset: number;
}

/**
 * Security questions in the schema's form (the same words in Pulumi YAML and every SDK): `{ enabled: false }`, or
 * `{ enabled: true, register, reset }`. Read as `false` / the counts (`withSchemaForms` in `config.ts`).
 */
export type SecurityQuestionsSwitch = { enabled: false } | ({ enabled: true } & SecurityQuestionCounts);

/**
 * The stack's methods: one choice per config key of the method catalogue (`methodCatalogue.ts`: email, mobilePhone,
 * officePhone, authenticatorApp, mobileAppCode, hardwareOathTokens), and security questions.
 */
export type SsprMethods = Partial<Record<ConfigMethodKey, MethodChoiceInput>> & {
  /**
   * Lives only in the SSPR policy (no MFA role), so `false` turns it off; absent leaves it as the tenant has it.
   * Retired by Microsoft's calendar (`calendar.ts`); administrators can never use it.
   */
  securityQuestions?: false | SecurityQuestionCounts | SecurityQuestionsSwitch;
};

/** Scope `selected` takes exactly one group: an existing one, or one the stack creates. */
export type PilotGroup = { id: string } | { displayName: string; members?: string[] };

export interface SsprSettings extends MethodsPolicyRootSettings {
  /**
   * Who may reset: `all`, one `selected` group, or `none` (SSPR off: the method settings are then not applied, since
   * they also govern second factors and sign-in; only the portal policy is written).
   */
  scope: Scope;
  group?: PilotGroup;
  methodsRequired?: 1 | 2;
  methods?: SsprMethods;
  registration?: { requireOnSignIn: boolean; reconfirmDays: number };
  notifications?: { users: boolean; admins: boolean };
  /**
   * Custom helpdesk link: an https URL or an email address; `false` = no custom link. Absent = leave the tenant's
   * link as it is (never written).
   */
  helpdesk?: string | false;
  /** SSPR for administrators (`authorizationPolicy.allowedToUseSSPR`). Absent = leave the tenant's setting. */
  administrators?: { allowed: boolean };
  /** Absent = leave the authentication methods policy's migration state alone. */
  methodsPolicy?: { migrationState: "migrationComplete" };
  /**
   * The tenant contracts its own telephony provider for SMS and voice: a fact about the tenant, never written. With
   * it, SMS and voice keep serving reset and MFA after Microsoft-provided calls end (`calendar.ts`).
   */
  ownTelephonyProvider?: boolean;
  /** What `pulumi destroy` does to the tenant settings: put back what was there (default) or leave them. */
  onDestroy?: "restore" | "retain";
}

export interface SelfServicePasswordResetArgs extends SsprSettings {
  /** Directory (tenant) id: a GUID or a verified domain name such as `munyakazi.org`. */
  tenantId: string;
  /** Both or neither; absent = Microsoft's endpoints. */
  endpoints?: EntraEndpoints;
  /** Optional SSPR monitoring in Azure (`entra-sspr:monitoring`); absent = none. */
  monitoring?: MonitoringSettings;
  /**
   * The fully qualified name (`organization/project/stack`) of the stack this one takes the tenant over from. One
   * stack owns a tenant's SSPR; without this, a tenant another stack owns is refused at preview and up.
   */
  takeOverFrom?: string;
}
