/**
 * `SelfServicePasswordReset`: the admin-center SSPR blade as one Pulumi component. It only composes children; what
 * each setting becomes is decided by the pure functions in `mapping.ts`.
 *
 * Children (names derive from the component's):
 *   `${name}-ownership`                        TenantOwnership: this stack's claim on the tenant, made first
 *   `${name}-pilot-group`                      azuread.Group, only for scope `selected` with `group.displayName`
 *   `${name}-pilot-group-release`              PilotGroupRelease: deletes that group on destroy, only while the
 *                                              stack owns the tenant and nothing there names the group
 *   `${name}-method-{email,sms,voice,...}`     AuthenticationMethodConfiguration, one per method the args manage
 *   `${name}-methods-policy`                   AuthenticationMethodsPolicy, only with `methodsPolicy`
 *   `${name}-password-reset-policy`            PasswordResetPolicy (portal API), always
 *   `${name}-administrators`                   AdministratorPasswordReset, only with `administrators`
 *   `${name}-monitoring`                       SsprMonitoring (components/monitoring.ts), only with `monitoring`
 *
 * The methods policy also governs MFA sign-in, so method children only ever add targets (`includeTargetsMode: "add"`);
 * taking a method away needs the explicit `"disable"`. The pilot group is created with the `azuread` provider, which
 * reads its own tenant from `azuread:tenantId` / `ARM_TENANT_ID`: it must be the tenant named by `tenantId`
 * (pass `providers: { azuread }` in the component options to be explicit). The lab emulator does not serve azuread.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { normalizeEndpoints, parseComponentArgs } from "./config";
import type { SelfServicePasswordResetArgs } from "./ssprArgs";
import { grantNeeds } from "../provider/grants/grants";
import { existingSecurityGroup } from "./existingGroup";
import type { PeopleEffects } from "./peopleEffects";
import { functionToken } from "../lib/resourceTypes";
import { calendarPeopleWarnings } from "./readiness/timeline";
import type { TenantSnapshot } from "./readiness/readinessTypes";
import { activeCalendar } from "./calendar";
import { todayFor } from "./methodCatalogue";
import { plannedPortalPeopleEffects } from "./portalPeopleEffects";
import {
  AdministratorPasswordReset,
  AuthenticationMethodConfiguration,
  AuthenticationMethodsPolicy,
  PasswordResetPolicy,
  PilotGroupRelease,
  TenantOwnership,
} from "./resources";
import { pilotGroupDescription } from "../lib/resourceTypes";
import {
  adminCenterSettings,
  administratorSettings,
  includeTargets,
  memberObjectIds,
  methodChildren,
  methodsPolicySettings,
  methodTargetId,
  onDeleteFor,
  passwordResetPolicySettings,
  registrationUrl,
  resetUrl,
  settingsWarnings,
  type AdminCenterSettings,
} from "./mapping";
import { configLockoutWarnings, tenantLockoutWarnings, type LockoutFacts } from "./lockoutGuards";
import { methodsPolicyRootInputs } from "./methodsPolicySettings";
import { SsprMonitoring } from "./monitoring";

export const selfServicePasswordResetType = "entra-sspr:index:SelfServicePasswordReset";

export class SelfServicePasswordReset extends pulumi.ComponentResource {
  /** The settings this stack manages, in admin-center words. */
  public readonly settings: pulumi.Output<AdminCenterSettings>;
  /** Where users reset their password (https://aka.ms/sspr). */
  public readonly resetUrl: pulumi.Output<string>;
  /** Where users register their methods (https://aka.ms/mysecurityinfo). */
  public readonly registrationUrl: pulumi.Output<string>;
  /** At preview: who would gain or lose which method, and for what (`methodPurposes.ts`; undefined at apply). */
  public readonly peopleEffects: pulumi.Output<PeopleEffects | undefined>;
  /** The group allowed to reset with scope `selected`; undefined for `none` and `all`. */
  public readonly groupId: pulumi.Output<string | undefined>;

  public readonly ownership: TenantOwnership;
  public readonly passwordResetPolicy: PasswordResetPolicy;
  public readonly methodConfigurations: AuthenticationMethodConfiguration[];
  public readonly methodsPolicy?: AuthenticationMethodsPolicy;
  public readonly administratorPasswordReset?: AdministratorPasswordReset;
  public readonly pilotGroup?: azuread.Group;
  /** Deletes the pilot group on destroy when the stack still owns the tenant and nothing names the group. */
  public readonly pilotGroupRelease?: PilotGroupRelease;
  /** Audit logs to Log Analytics and SSPR alerts, only with `monitoring`. */
  public readonly monitoring?: SsprMonitoring;

  constructor(name: string, given: SelfServicePasswordResetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Library users skip index.ts: the same rules run here, before anything is registered, and what follows reads
    // only the checked copy (never what the caller's object inherits).
    const parsed = parseComponentArgs(given);
    const problems = parsed.ok ? [] : parsed.problems;
    if (!parsed.ok) {
      throw new pulumi.RunError(
        `SelfServicePasswordReset "${name}": ${problems.length} invalid argument${problems.length === 1 ? "" : "s"}; ` +
          `nothing was registered:\n  ${problems.join("\n  ")}`,
      );
    }
    super(selfServicePasswordResetType, name, {}, opts);
    const args = parsed.args;

    // What must hold before anything is written (the pilot's members exist, an existing group is a security group)
    // is looked up first.
    const pilot =
      args.scope === "selected" && args.group !== undefined && !("id" in args.group) ? args.group : undefined;
    const members = pilot === undefined ? undefined : this.lookUpMembers(pilot.members, args.tenantId);
    const existing =
      args.scope === "selected" && args.group !== undefined && "id" in args.group
        ? existingSecurityGroup(args.group.id, this)
        : undefined;
    const existingGroup = existing?.apply((group) => group.id);

    // One stack owns a tenant's SSPR: the claim comes first (once the lookups hold), and every child carries it.
    const endpoints = normalizeEndpoints(args.endpoints);
    this.ownership = new TenantOwnership(
      `${name}-ownership`,
      {
        tenantId: args.tenantId,
        endpoints,
        stack: pulumi.all([members ?? [], existingGroup ?? ""]).apply(() => fullyQualifiedStackName()),
        needs: grantNeeds(args, "write"),
        ...(args.takeOverFrom === undefined ? {} : { takeOverFrom: args.takeOverFrom }),
      },
      { parent: this },
    );

    // Component-only args (onDestroy, group, members, endpoints as given) stop here; children get mapped settings.
    const target = {
      tenantId: args.tenantId,
      endpoints,
      onDelete: onDeleteFor(args.onDestroy),
      ownership: pulumi
        .all([this.ownership.organizationId, this.ownership.claim, this.ownership.stack])
        .apply(([organizationId, claim, stack]) => ({ organizationId, claim, stack })),
    };

    let groupId: pulumi.Output<string> | undefined;
    if (args.scope === "selected" && args.group !== undefined) {
      if (existingGroup !== undefined) {
        groupId = existingGroup;
      } else if (!("id" in args.group)) {
        this.pilotGroup = this.createPilotGroup(name, args.group.displayName, members);
        // The settings take the group's id from its release, so their destroy (which may stop naming the group)
        // runs before the release decides whether the group can go.
        this.pilotGroupRelease = new PilotGroupRelease(
          `${name}-pilot-group-release`,
          { ...target, groupId: this.pilotGroup.objectId, displayName: args.group.displayName },
          { parent: this },
        );
        groupId = this.pilotGroupRelease.groupId;
      }
    }

    this.methodConfigurations = [];
    if (args.scope !== "none" && args.methods !== undefined) {
      const scope = args.scope;
      const targetId = pulumi.output(groupId ?? "").apply((id) => methodTargetId(scope, id));
      for (const child of methodChildren(args.methods)) {
        const targets =
          child.includeTarget === undefined ? undefined : targetId.apply((id) => includeTargets(child, id));
        this.methodConfigurations.push(
          new AuthenticationMethodConfiguration(
            `${name}-method-${child.suffix}`,
            { ...target, ...child.settings, ...(targets === undefined ? {} : { includeTargets: targets }) },
            { parent: this },
          ),
        );
      }
    }

    // Methods first, then the migration (so nobody loses a method when the legacy lists stop counting), then the
    // policy that requires them; destroy runs in reverse.
    const methodsPolicy = { ...methodsPolicySettings(args.methodsPolicy), ...methodsPolicyRootInputs(args) };
    if (Object.keys(methodsPolicy).length > 0) {
      this.methodsPolicy = new AuthenticationMethodsPolicy(
        `${name}-methods-policy`,
        { ...target, ...methodsPolicy },
        { parent: this, dependsOn: this.methodConfigurations },
      );
    }

    this.passwordResetPolicy = new PasswordResetPolicy(
      `${name}-password-reset-policy`,
      { ...target, ...passwordResetPolicySettings(args, groupId) },
      {
        parent: this,
        dependsOn: [...this.methodConfigurations, ...(this.methodsPolicy === undefined ? [] : [this.methodsPolicy])],
      },
    );

    const administrators = administratorSettings(args.administrators);
    if (administrators !== undefined) {
      this.administratorPasswordReset = new AdministratorPasswordReset(
        `${name}-administrators`,
        { ...target, ...administrators },
        { parent: this },
      );
    }

    if (args.monitoring !== undefined) {
      this.monitoring = new SsprMonitoring(`${name}-monitoring`, args.monitoring, { parent: this });
    }

    for (const warning of [...settingsWarnings(args), ...configLockoutWarnings(args, new Date())]) {
      void pulumi.log.warn(warning, this);
    }
    // At preview, say in people who gains or loses which method (a registered output, so the run waits for it).
    this.peopleEffects = pulumi.runtime.isDryRun()
      ? pulumi.output(this.previewTakeover(args, endpoints).then(() => this.previewPeople(args, endpoints)))
      : pulumi.output<PeopleEffects | undefined>(undefined);

    // An existing group reads by its name where the lookup found it, not only by its id.
    this.settings =
      existing === undefined
        ? pulumi.output(adminCenterSettings(args))
        : existing.apply((group) => adminCenterSettings(args, group.displayName));
    this.resetUrl = pulumi.output(resetUrl);
    this.registrationUrl = pulumi.output(registrationUrl);
    this.groupId = groupId ?? pulumi.output<string | undefined>(undefined);
    this.registerOutputs({
      peopleEffects: this.peopleEffects,
      settings: this.settings,
      resetUrl: this.resetUrl,
      registrationUrl: this.registrationUrl,
      groupId: this.groupId,
    });
  }

  /**
   * Logs who would gain or lose which method, read from the tenant by the provider plugin (the package's functions
   * `getPeoplePreview` and `getLockoutFacts`, invoked as a data source is read: one GET of the methods policy, shared
   * by both in the plugin's run, and the groups named). Without a token (a preview that signs in to nothing) it says
   * so and the plan goes on: apply follows the same rules either way.
   */
  private async previewPeople(
    args: SelfServicePasswordResetArgs,
    endpoints: ReturnType<typeof normalizeEndpoints>,
  ): Promise<PeopleEffects | undefined> {
    const asked = { tenantId: args.tenantId, endpoints, args };
    try {
      const effects = (await pulumi.runtime.invoke(functionToken("getPeoplePreview"), asked, {
        parent: this,
      })) as PeopleEffects;
      // The lockout guards that need the tenant (a method the SSPR scope is excluded from, SMS usable for sign-in,
      // the migration, administrators in scope with their SSPR off) run here too, before any write.
      const facts = (await pulumi.runtime.invoke(functionToken("getLockoutFacts"), asked, {
        parent: this,
      })) as LockoutFacts;
      const calendar = await this.previewCalendar(args, endpoints);
      const lockouts = [...tenantLockoutWarnings(args, facts), ...(facts.cannotTell ?? []), ...calendar.warnings];
      // Security questions, administrators and the scope: their own people lines (issue 27).
      const lines = [...effects.lines, ...calendar.portal.lines];
      for (const line of lines) await pulumi.log.info(`Who gains or loses a method: ${line}`, this);
      const warnings = [...effects.warnings, ...calendar.portal.warnings, ...lockouts];
      for (const warning of warnings) await pulumi.log.warn(warning, this);
      return { lines, warnings };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await pulumi.log.warn(
        `Could not read the tenant to say who gains or loses a method, or to run the lockout checks that need it ` +
          `(run npm run lockout-check before up): ${reason}`,
        this,
      );
      return undefined;
    }
  }

  /**
   * Microsoft's calendar counted in people: the tenant's registrations read as readiness reads them, judged under the
   * planned settings on each dated change ahead. What cannot be read (the report's licence or permission) is said.
   */
  private async previewCalendar(
    args: SelfServicePasswordResetArgs,
    endpoints: ReturnType<typeof normalizeEndpoints>,
  ): Promise<{ warnings: string[]; portal: PeopleEffects }> {
    const groupIds = args.group !== undefined && "id" in args.group ? [args.group.id] : [];
    const snapshot = (await pulumi.runtime.invoke(
      functionToken("getReadinessSnapshot"),
      { tenantId: args.tenantId, endpoints, groupIds },
      { parent: this },
    )) as TenantSnapshot;
    const portal = plannedPortalPeopleEffects(snapshot, args, todayFor(args));
    if (args.scope === "none") return { warnings: [], portal };
    if (snapshot.registrationSource === "none" || snapshot.users.length === 0)
      return {
        warnings: [
          "Cannot count who loses password reset on Microsoft's dates ahead: the users' registered methods could not " +
            `be read (${snapshot.problems.map((problem) => `${problem.what}: ${problem.message}`).join("; ") || "no users"}). ` +
            "Run npm run readiness -- --stack <stack> --on <date> with an identity that can read them.",
        ],
        portal,
      };
    return { warnings: calendarPeopleWarnings(snapshot, args, new Date(), activeCalendar()), portal };
  }

  /**
   * At the preview of a takeover, says what becomes of the pilot groups the old owner created and the tenant still
   * names (they follow the tenant's ownership). A preview that cannot read the tenant says so and goes on.
   */
  private async previewTakeover(
    args: SelfServicePasswordResetArgs,
    endpoints: ReturnType<typeof normalizeEndpoints>,
  ): Promise<void> {
    if (args.takeOverFrom === undefined) return;
    try {
      const { lines } = (await pulumi.runtime.invoke(
        functionToken("getTakenOverPilotGroups"),
        { tenantId: args.tenantId, endpoints, takeOverFrom: args.takeOverFrom },
        { parent: this },
      )) as { lines: string[] };
      for (const line of lines) await pulumi.log.info(line, this);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await pulumi.log.warn(`Could not read which pilot groups this takeover brings: ${reason}`, this);
    }
  }

  /**
   * The pilot's members by user principal name; one that does not exist fails the preview with every missing name
   * (the runbook's prerequisite: users exist before the pilot), before anything is written.
   */
  private lookUpMembers(
    userPrincipalNames: string[] | undefined,
    tenantId: string,
  ): pulumi.Output<string[]> | undefined {
    if (userPrincipalNames === undefined) return undefined;
    if (userPrincipalNames.length === 0) return pulumi.output([]);
    return azuread.getUsersOutput({ userPrincipalNames, ignoreMissing: true }, { parent: this }).apply((found) => {
      try {
        return memberObjectIds(userPrincipalNames, found.users, tenantId);
      } catch (error) {
        throw new pulumi.ResourceError(error instanceof Error ? error.message : String(error), this);
      }
    });
  }

  /**
   * A security group for the pilot, made once the stack holds the tenant. Pulumi never deletes it by itself
   * (`retainOnDelete`): the group follows the tenant's ownership, and `PilotGroupRelease` deletes it on destroy only
   * while this stack owns the tenant and nothing there names the group (with onDestroy retain, never).
   */
  private createPilotGroup(
    name: string,
    displayName: string,
    members: pulumi.Output<string[]> | undefined,
  ): azuread.Group {
    return new azuread.Group(
      `${name}-pilot-group`,
      {
        displayName,
        description: pilotGroupDescription,
        securityEnabled: true,
        mailEnabled: false,
        preventDuplicateNames: true,
        ...(members === undefined ? {} : { members }),
      },
      { parent: this, retainOnDelete: true, dependsOn: [this.ownership] },
    );
  }
}

/**
 * `organization/project/stack` of the running stack. Backends without organizations (file, azblob) and test mocks
 * that set none report Pulumi's own default, `organization`.
 */
export function fullyQualifiedStackName(): string {
  let organization = "organization";
  try {
    organization = pulumi.getOrganization() || organization;
  } catch {
    // Older mocks (setMocks without an organization) throw here; the default stands.
  }
  return `${organization}/${pulumi.getProject()}/${pulumi.getStack()}`;
}
