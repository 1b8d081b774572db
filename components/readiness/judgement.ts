/**
 * Who can reset, and why not: the pure judgement of one user behind `npm run doctor` (one check per row of the
 * runbook's "Common Errors & Fixes" table and the checks those rows imply), which `readinessReport.ts` applies to
 * every user for `npm run readiness`.
 *
 * Judged from what the tenant has, as Microsoft Learn `concept-sspr-howitworks` lists SSPR's own checks: the
 * account is valid; SSPR is enabled for the user (All, or the Selected group, nested groups honoured); the user
 * has registered at least "Number of methods required" of the methods enabled for them; administrators get the
 * two-gate policy instead (`concept-sspr-policy`: two methods, never security questions, independent of the
 * methods policy, switched by `allowedToUseSSPR`); a password managed on-premises needs writeback. Anything that
 * could not be read is `unknown`, never a failure of the person.
 */
import { twoGatePolicyApplies, twoGateRolesOf } from "./administratorPolicy";
import { entraIdPremium, ssprLicence } from "./licences";
import {
  configKeysOffering,
  ssprMethodEndedBy,
  ssprMethodForAdministrators,
  type OnDay,
  type SsprMethod,
} from "../methodCatalogue";
import { dayWords, type CalendarEntry } from "../calendar";
import { gateOf } from "../methodCatalogue";
import {
  appCodeOnly,
  gatesOf,
  gateWords,
  methodWords,
  offeredMethods,
  registeredSsprMethods,
  type Gate,
  type OfferedMethod,
} from "./ssprMethods";
import { ssprScopeOf } from "../../lib/tenantCodecs";
import { bladeAndLabel, labelOf } from "../adminCenterLabels";
import type { Check, CheckId, Diagnosis, PersonRecord, ReadProblem, TenantSnapshot } from "./readinessTypes";

type JsonObject = Record<string, unknown>;

/** The runbook's words for each fix ("Common Errors & Fixes"). */
export const runbookFixes = {
  register: "the user must complete registration first; prompted at next sign-in",
  addMethods: "Entra ID → Users → the user → Authentication methods → add methods manually",
  /** For SSPR None: what to set, naming what it is. */
  enable:
    "Properties: Self service password reset enabled is None: set it to All, or Selected with a group that holds the user",
  notifications: "Notifications → Notify all admins must be Yes, and the admin's email valid",
  writeback: "needs Entra ID P1 and Entra Connect; not in scope for a cloud-only tenant",
};

/**
 * How many of the methods required one has: "1 of the 2 required", and never "4 of the 2 required" when there are
 * more than enough ("4 offered, 2 required"). Pure.
 */
export function requiredWords(have: number, required: number, what: "offered" | "usable" = "offered"): string {
  if (have > required) return `${have} ${what}, ${required} required`;
  return what === "offered" ? `${have} of the ${required} required` : `${have} of ${required} required`;
}

/** The fix's lead for SSPR Selected: it names the scope as it is, never "not None". */
const selectedFix = "Properties: Self service password reset enabled is Selected";

// ---------------------------------------------------------------------------------------------------------------
// One user
// ---------------------------------------------------------------------------------------------------------------

const blockingChecks: CheckId[] = [
  "user-exists",
  "sspr-enabled",
  "user-in-scope",
  "methods-offered",
  "user-registered",
  "methods-sufficient",
  "writeback",
];

function withBecause(because: string | undefined, failed: Check): Check {
  return because === undefined ? failed : { ...failed, because };
}

function check(id: CheckId, status: Check["status"], found: string, fix = ""): Check {
  return {
    id,
    ok: status === "pass",
    status,
    blocking: blockingChecks.includes(id),
    found,
    fix: status === "pass" ? "" : fix,
  };
}

function problemText(problem: ReadProblem | undefined, what: string): string {
  if (problem === undefined) return `${what} could not be read`;
  const needs = problem.needs === undefined ? "" : ` (needs ${problem.needs})`;
  return `${problem.what} could not be read: ${problemKind(problem)}${needs}: ${problem.message}`;
}

/** "permission missing", "licence missing", "no sign-in" or "error". */
export function problemKind(problem: ReadProblem): string {
  const kinds: Record<ReadProblem["kind"], string> = {
    licence: "licence missing",
    permission: "permission missing",
    "sign-in": "no sign-in",
    error: "error",
  };
  return kinds[problem.kind];
}

function findProblem(snapshot: TenantSnapshot, what: string): ReadProblem | undefined {
  return snapshot.problems.find((problem) => problem.what === what);
}

/** "since <the day>: ... (source)" for a method the day's rules no longer count. */
function ssprMethodEndedWords(method: SsprMethod, on: OnDay | undefined): string {
  const entry = on === undefined ? undefined : ssprMethodEndedBy(method, on);
  return entry === undefined
    ? ""
    : `since ${dayWords(entry.date)}: ${entry.title} (${entry.sources[0]?.url ?? entry.id})`;
}

/** "Mobile phone stopped counting on <the day>: <what changed>": the calendar's reason behind a failing check. */
function stoppedCounting(methods: readonly SsprMethod[], entry: CalendarEntry | undefined): string | undefined {
  if (entry === undefined) return undefined;
  const gates = [...new Set(methods.map((method) => gateWords[gateOf(method)]))];
  return `${gates.join(" and ")} stopped counting on ${dayWords(entry.date)}: ${entry.title}`;
}

/** The stack config that offers a gate (`methods.authenticatorApp: offer`), from the method catalogue. */
function stackSetting(gate: Gate): string {
  const keys = configKeysOffering(gate);
  return keys.length === 0 ? `methods.${gate}` : keys.map((key) => `methods.${key}: offer`).join(" or ");
}

const list = (items: readonly string[]): string => (items.length === 0 ? "none" : items.join(", "));

export function groupNameOf(snapshot: TenantSnapshot, id: string): string {
  const name = snapshot.groupNames[id.toLowerCase()];
  return name === undefined ? `group ${id}` : `group "${name}"`;
}

function requiredMethods(portal: JsonObject | undefined): number {
  return portal?.numberOfAuthenticationMethodsRequired === 2 ? 2 : 1;
}

/** What SSPR asks of this person: who judges them, how many methods, which are offered. */
export interface PersonPolicy {
  isAdministrator: boolean;
  adminRoles: string[];
  required: number;
  codeOnly: boolean;
  offered?: OfferedMethod[];
}

export function policyFor(snapshot: TenantSnapshot, person: PersonRecord, on?: OnDay): PersonPolicy {
  const adminRoles = twoGateRolesOf(person);
  const isAdministrator = adminRoles.length > 0;
  const required = isAdministrator
    ? twoGatePolicyApplies(snapshot.organization)
      ? 2
      : 1
    : requiredMethods(snapshot.portal);
  const methodsPolicy = snapshot.methodsPolicy;
  const codeOnly = methodsPolicy !== undefined && !isAdministrator && appCodeOnly(methodsPolicy, required);
  const canTell =
    isAdministrator || (snapshot.portal !== undefined && methodsPolicy !== undefined && snapshot.membershipsKnown);
  const offered = canTell
    ? offeredMethods({
        portal: snapshot.portal ?? {},
        methodsPolicy: methodsPolicy ?? {},
        userGroupIds: person.groupIds,
        groupName: (id) => groupNameOf(snapshot, id),
        admin: isAdministrator,
        paidTenant: (snapshot.subscribedSkus ?? [{}]).length > 0,
        on,
      })
    : undefined;
  return { isAdministrator, adminRoles, required, codeOnly, offered };
}

/**
 * The doctor's verdict for one user principal name. `on`: the day judged, by the rules of Microsoft's calendar in
 * force that day (absent: the methods as the tenant has them, whatever the date).
 */
export function diagnose(snapshot: TenantSnapshot, userPrincipalName: string, on?: OnDay): Diagnosis {
  const person = snapshot.users.find(
    (user) => user.userPrincipalName.toLowerCase() === userPrincipalName.toLowerCase(),
  );
  const checks: Check[] = [];
  const portal = snapshot.portal;
  const scope = ssprScopeOf(portal);
  const portalUnknown = problemText(findProblem(snapshot, "the password reset policy"), "the password reset policy");

  // user-exists
  const usersProblem = findProblem(snapshot, "the user");
  if (person === undefined)
    checks.push(
      usersProblem !== undefined
        ? check("user-exists", "unknown", problemText(usersProblem, "the user"))
        : check(
            "user-exists",
            "fail",
            `no user ${userPrincipalName} in tenant ${snapshot.tenantId}`,
            "Entra ID → Users: check the user principal name, or create the user",
          ),
    );
  else if (!person.accountEnabled)
    checks.push(
      check(
        "user-exists",
        "fail",
        `${person.userPrincipalName} exists but the account is disabled (accountEnabled false)`,
        "Entra ID → Users → the user → Properties: set Account enabled to Yes",
      ),
    );
  else
    checks.push(check("user-exists", "pass", `${person.displayName} (${person.userPrincipalName}), account enabled`));

  const policy = person === undefined ? undefined : policyFor(snapshot, person, on);
  const noUser = "no user to check";

  // sspr-enabled
  if (policy?.isAdministrator === true) {
    const allowed = snapshot.authorizationPolicy?.allowedToUseSSPR;
    const roles = `holds ${policy.adminRoles.join(", ")}, so the administrator policy applies (${policy.required} methods, never security questions)`;
    checks.push(
      snapshot.authorizationPolicy === undefined
        ? check(
            "sspr-enabled",
            "unknown",
            problemText(findProblem(snapshot, "the authorization policy"), "the authorization policy"),
          )
        : allowed === false
          ? check(
              "sspr-enabled",
              "fail",
              `the user ${roles}; SSPR for administrators is off (allowedToUseSSPR false)`,
              "Administrator policy: allow administrators to reset (allowedToUseSSPR true; stack: administrators: { allowed: true })",
            )
          : check("sspr-enabled", "pass", `the user ${roles}; SSPR for administrators is on (allowedToUseSSPR true)`),
    );
  } else if (portal === undefined) checks.push(check("sspr-enabled", "unknown", portalUnknown));
  else if (scope.enablement === "all" || scope.enablement === "selected")
    checks.push(
      check(
        "sspr-enabled",
        "pass",
        `${bladeAndLabel("enablement")} is ${scope.enablement === "all" ? "All" : "Selected"}`,
      ),
    );
  else
    checks.push(
      check(
        "sspr-enabled",
        "fail",
        `${bladeAndLabel("enablement")} is None (enablementType ${JSON.stringify(portal.enablementType)})`,
        runbookFixes.enable,
      ),
    );

  // user-in-scope
  if (person === undefined || policy === undefined) checks.push(check("user-in-scope", "unknown", noUser));
  else if (policy.isAdministrator)
    checks.push(
      check("user-in-scope", "pass", "administrators are not scoped by Properties: the administrator policy applies"),
    );
  else if (portal === undefined) checks.push(check("user-in-scope", "unknown", portalUnknown));
  else if (scope.enablement === "all") checks.push(check("user-in-scope", "pass", "SSPR is enabled for All users"));
  else if (scope.enablement === "selected") {
    const groupId = scope.groupIds[0];
    const name = groupId === undefined ? "no group" : groupNameOf(snapshot, groupId);
    if (groupId === undefined)
      checks.push(
        check(
          "user-in-scope",
          "fail",
          "SSPR is Selected, but no group is chosen",
          `${selectedFix}: choose a group that holds the user (stack: group.id or group.displayName), or set scope: all`,
        ),
      );
    else if (snapshot.missingGroupIds.includes(groupId.toLowerCase()))
      checks.push(
        check(
          "user-in-scope",
          "fail",
          `SSPR is Selected: ${name}, but that group does not exist in the directory, so nobody is in scope`,
          `${selectedFix} (${name}, which does not exist): choose an existing group (stack: group.id or group.displayName), or set scope: all`,
        ),
      );
    else if (!snapshot.membershipsKnown)
      checks.push(
        check("user-in-scope", "unknown", problemText(findProblem(snapshot, "group memberships"), "group memberships")),
      );
    else if (person.groupIds.some((id) => id.toLowerCase() === groupId.toLowerCase()))
      checks.push(
        check(
          "user-in-scope",
          "pass",
          `SSPR is Selected: ${name}; the user is a member (directly or through a nested group)`,
        ),
      );
    else
      checks.push(
        check(
          "user-in-scope",
          "fail",
          `SSPR is Selected: ${name}; the user is not a member, directly or through a nested group`,
          `${selectedFix} (${name}): add the user to ${name} (or to a group nested in it), or set scope: all`,
        ),
      );
  } else checks.push(check("user-in-scope", "fail", "SSPR is None: nobody is in scope", runbookFixes.enable));

  // methods-offered
  const offered = policy?.offered;
  const offeredList = (offered ?? []).filter((entry) => entry.offered).map((entry) => entry.method);
  const offeredGates = policy === undefined ? [] : gatesOf(offeredList, policy.codeOnly);
  if (person === undefined || policy === undefined) checks.push(check("methods-offered", "unknown", noUser));
  else if (offered === undefined)
    checks.push(
      check(
        "methods-offered",
        "unknown",
        portal === undefined
          ? portalUnknown
          : snapshot.methodsPolicy === undefined
            ? problemText(
                findProblem(snapshot, "the authentication methods policy"),
                "the authentication methods policy",
              )
            : problemText(findProblem(snapshot, "group memberships"), "group memberships"),
      ),
    );
  else {
    const describe = (entry: OfferedMethod): string => `${methodWords[entry.method]} (${entry.why})`;
    const found =
      `offered to the user: ${list(offered.filter((e) => e.offered).map(describe))}; ` +
      `not offered: ${list(offered.filter((e) => !e.offered).map(describe))}; ` +
      requiredWords(offeredGates.length, policy.required);
    // Methods the policies offer but Microsoft's calendar has ended by the day judged: the reason, with its date.
    const ended = offered.filter((entry) => entry.endedBy !== undefined);
    const endedBy = ended[0]?.endedBy;
    const because = stoppedCounting(
      ended.map((entry) => entry.method),
      endedBy,
    );
    const survivors = (["mobileApp", "email"] as const).filter((gate) => !offeredGates.includes(gate));
    checks.push(
      offeredGates.length >= policy.required
        ? check("methods-offered", "pass", found)
        : withBecause(
            because,
            check(
              "methods-offered",
              "fail",
              found,
              because === undefined
                ? `Authentication methods: offer at least ${policy.required} methods to this user: enable them for all users ` +
                    "(or a group the user is in) and remove any exclusion that covers the user (stack: sspr:settings.methods.<method>: offer)"
                : `${because} (${endedBy?.sources[0]?.url ?? ""}). Offer a method that still counts, such as ` +
                    `${survivors.map((gate) => `${gateWords[gate]} (stack: ${stackSetting(gate)})`).join(" or ")}, ` +
                    "and have people register it (https://aka.ms/mysecurityinfo); or require fewer methods",
            ),
          ),
    );
  }

  // user-registered and methods-sufficient
  const registeredMethods = person?.registered === undefined ? undefined : registeredSsprMethods(person.registered, on);
  // Registered methods that no longer count on the day judged, said with the dated change that ended them.
  const endedRegistered =
    on === undefined || person?.registered === undefined
      ? []
      : registeredSsprMethods(person.registered).filter((method) => !registeredMethods?.includes(method));
  // The purposes table: security questions never count for an administrator.
  const counted = (registeredMethods ?? []).filter(
    (method) => policy?.isAdministrator !== true || ssprMethodForAdministrators(method),
  );
  if (person === undefined) {
    checks.push(check("user-registered", "unknown", noUser));
    checks.push(check("methods-sufficient", "unknown", noUser));
  } else if (registeredMethods === undefined) {
    const text = problemText(person.registeredProblem, "the user's registered methods");
    checks.push(check("user-registered", "unknown", text));
    checks.push(check("methods-sufficient", "unknown", text));
  } else {
    const words = counted.map((method) => methodWords[method]);
    const endedNote =
      endedRegistered.length === 0
        ? ""
        : `; no longer counted on ${on === undefined ? "" : dayWords(on.date)}: ` +
          endedRegistered.map((method) => `${methodWords[method]} (${ssprMethodEndedWords(method, on)})`).join(", ");
    checks.push(
      counted.length === 0
        ? check(
            "user-registered",
            "fail",
            `no method SSPR can use is registered (registered: ${list(person.registered ?? [])})${endedNote}`,
            `${runbookFixes.register} (https://aka.ms/mysecurityinfo); or ${runbookFixes.addMethods}`,
          )
        : check("user-registered", "pass", `registered: ${list(words)}${endedNote}`),
    );
    if (policy === undefined || offered === undefined)
      checks.push(
        check("methods-sufficient", "unknown", "the methods offered to the user are not known (see methods-offered)"),
      );
    else {
      const usable = counted.filter((method) => offeredList.includes(method));
      const usableGates = gatesOf(usable, policy.codeOnly);
      const registeredGates = gatesOf(counted, false);
      const notOffered = registeredGates.filter((gate) => !offeredGates.includes(gate));
      const missing = offeredGates.filter((gate) => !usableGates.includes(gate));
      const gateList = (gates: Gate[]): string => list(gates.map((gate) => gateWords[gate]));
      const found =
        `usable for reset: ${gateList(usableGates)} (${requiredWords(usableGates.length, policy.required, "usable")})` +
        (notOffered.length > 0 ? `; registered but not offered to the user: ${gateList(notOffered)}` : "") +
        endedNote;
      const short = policy.required - usableGates.length;
      const because = stoppedCounting(
        endedRegistered,
        endedRegistered.length === 0 || on === undefined ? undefined : ssprMethodEndedBy(endedRegistered[0], on),
      );
      checks.push(
        short <= 0
          ? check("methods-sufficient", "pass", found)
          : withBecause(
              because,
              check(
                "methods-sufficient",
                "fail",
                found,
                (missing.length > 0
                  ? `register ${short} more of the methods offered to the user (${gateList(missing)}): ` +
                    `${runbookFixes.register} (https://aka.ms/mysecurityinfo); or ${runbookFixes.addMethods}`
                  : `no further method is offered to the user; offer one in Authentication methods`) +
                  (notOffered.length > 0 && !policy.isAdministrator
                    ? `; or offer ${gateList(notOffered)} in Authentication methods (stack: ${notOffered.map(stackSetting).join(", ")})`
                    : ""),
              ),
            ),
      );
    }
  }

  // admin-notifications
  if (portal === undefined) checks.push(check("admin-notifications", "unknown", portalUnknown));
  else if (!snapshot.rolesKnown)
    checks.push(
      check("admin-notifications", "unknown", problemText(findProblem(snapshot, "directory roles"), "directory roles")),
    );
  else {
    const notify = portal.notifyOnAdminPasswordReset === true;
    const withoutMail = snapshot.administrators.filter((admin) => admin.mail === null || admin.mail.trim() === "");
    const found =
      `${labelOf("notifyAdmins")}: ${notify ? "Yes" : "No"}; ` +
      `${snapshot.administrators.length} administrators, ${withoutMail.length} without a mail address` +
      (withoutMail.length > 0 ? `: ${withoutMail.map((admin) => admin.userPrincipalName).join(", ")}` : "");
    const fix =
      runbookFixes.notifications +
      (withoutMail.length > 0
        ? `: give ${withoutMail.map((admin) => admin.userPrincipalName).join(", ")} a mail address ` +
          "(Entra ID → Users → the user → Properties → Email, or a mailbox)"
        : "");
    checks.push(check("admin-notifications", notify && withoutMail.length === 0 ? "pass" : "fail", found, fix));
  }

  // writeback
  const orgSync = snapshot.organization?.onPremisesSyncEnabled === true;
  if (person === undefined) checks.push(check("writeback", "unknown", noUser));
  else if (!person.onPremisesSyncEnabled)
    checks.push(
      check(
        "writeback",
        "pass",
        `cloud-only account: its password lives in Entra ID, no writeback needed (tenant sync: ${orgSync ? "on" : "off"})`,
      ),
    );
  else if (snapshot.onPremises === undefined)
    checks.push(
      check(
        "writeback",
        "unknown",
        problemText(findProblem(snapshot, "the on-premises integration policy"), "the on-premises integration policy"),
      ),
    );
  else {
    // assumed: `enablementForTenant` is the writeback switch of the undocumented portal object (AzRanger's model
    // names the fields; the emulator's default is a cloud-only tenant with it off).
    const writeback = snapshot.onPremises.enablementForTenant === true;
    const premium =
      snapshot.subscribedSkus === undefined ? undefined : entraIdPremium(snapshot.subscribedSkus) !== undefined;
    const found =
      `synced from on-premises (onPremisesSyncEnabled true): its password is managed on-premises; ` +
      `password writeback ${writeback ? "on" : "off"}; Entra ID P1: ${premium === undefined ? "unknown" : premium ? "yes" : "no"}`;
    checks.push(
      writeback && premium !== false
        ? check("writeback", "pass", found)
        : check(
            "writeback",
            "fail",
            found,
            `Writeback to on-premises AD ${runbookFixes.writeback}; until then this user's password can only be reset on-premises`,
          ),
    );
  }

  // licence
  if (snapshot.subscribedSkus === undefined)
    checks.push(
      check(
        "licence",
        "unknown",
        problemText(findProblem(snapshot, "the tenant's subscriptions"), "the tenant's subscriptions"),
      ),
    );
  else {
    const licence = ssprLicence(snapshot.subscribedSkus);
    checks.push(
      licence !== undefined
        ? check(
            "licence",
            "pass",
            `${String(licence.skuPartNumber)} includes self-service password reset for cloud users`,
          )
        : check(
            "licence",
            "fail",
            `no subscription that includes SSPR (subscriptions: ${list(snapshot.subscribedSkus.map((sku) => String(sku.skuPartNumber)))}); ` +
              "some unlicensed users may still be able to reset (Learn), so this does not block",
            "needs Microsoft 365 Business Standard or higher, or Entra ID P1/P2, for every user meant to reset",
          ),
    );
  }

  const blocking = checks.filter((entry) => entry.blocking);
  const canReset = blocking.every((entry) => entry.status === "pass");
  return {
    user: person?.userPrincipalName ?? userPrincipalName,
    displayName: person?.displayName,
    canReset,
    undetermined: !canReset && !blocking.some((entry) => entry.status === "fail"),
    isAdministrator: policy?.isAdministrator ?? false,
    checks,
  };
}
