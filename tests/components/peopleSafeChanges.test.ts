/**
 * People-safe changes, end to end: the program (index.ts) under mocks, the component, the providers in Pulumi's
 * dynamic-provider host over gRPC, the HTTP layer, the emulator. Each test starts from a tenant shape real tenants
 * have and asserts who can use which method afterwards, and what destroy gives back.
 */
import { beforeSmsVoiceEnd, phonesUntil } from "../support/calendarWords";
import * as fs from "node:fs";
import type { TenantState } from "../../emulator/server";
import { destroyState, EngineError, pluginCallHandler, refreshState } from "../../engine/engine";
import { echoResource, runUnderMocks } from "../../engine/mockRun";
import { startProviderPlugin } from "../../engine/providerHost";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { SelfServicePasswordReset } from "../../components/selfServicePasswordReset";
import { rehearse, type RehearseOptions, type RehearseResult } from "../../scripts/rehearse/rehearse";
import { withGroupLookup } from "../../scripts/rehearse/emulatorGroupLookup";
import { createEntraClient } from "../../provider/http/client";
import { useRehearsalHost } from "../support/rehearsalHost";
import { useEmulator } from "../support/emulator";
import { includeIds, method, rehearsedWithoutErrors } from "../support/tenantMethods";
import { runbookLines, runbookPilotGroup } from "../support/runbook";
import { writeStackFile } from "../support/stackFiles";
import { isWriteRequest } from "../../emulator/requestLog";

type Json = Record<string, unknown>;

const shared = useRehearsalHost("people");

const lab = useEmulator();

/** A stack file of its own folder (one stack per folder: stacks in one folder naming one tenant are refused). */
const stackFile = (name: string, sspr: string[]): string => writeStackFile(shared.tmp, name, sspr);

const applied = (options: RehearseOptions): Promise<RehearseResult> =>
  rehearsedWithoutErrors({ host: shared.host, emulatorUrl: lab.emulator.url, ...options });

/** The methods policy without the stamp Graph moves on every write. */
function methodsPolicy(state: TenantState): Json {
  const { lastModifiedDateTime: _stamp, ...rest } = state.authenticationMethodsPolicy;
  return rest;
}

describe("a method switched on from disabled reaches only the SSPR scope", () => {
  it("a one-group pilot: Voice's dormant all_users target stays out of force, and destroy puts it back", async () => {
    const before = lab.emulator.state();
    // The shape real tenants have: Voice disabled, still carrying an all_users target.
    expect(method(before, "Voice")).toMatchObject({ state: "disabled" });
    expect(includeIds(method(before, "Voice"))).toEqual(["all_users"]);

    const file = stackFile("pilot", runbookLines({ scope: "selected", group: runbookPilotGroup }));
    const result = await applied({ stackFile: file });
    const during = result.emulatorState as TenantState;
    const pilot = during.groups.find((group) => group.displayName === "SSPR Pilot");
    const groupId = String(pilot?.id).toLowerCase();
    expect(pilot).toBeDefined();

    // Voice: on for the pilot group only, for SSPR and as a second factor; everyone else still has no voice calls.
    expect(method(during, "Voice")).toMatchObject({ state: "enabled" });
    expect(includeIds(method(during, "Voice"))).toEqual([groupId]);
    // Sms was already in force for everyone: it keeps every target it had, and gains the pilot group.
    expect(includeIds(method(during, "Sms"))).toEqual(["all_users", groupId].sort());
    // Email was in force with no target: the pilot group only.
    expect(includeIds(method(during, "Email"))).toEqual([groupId]);
    // Said in people, as rehearse and lab print it: nobody beyond the pilot group gains anything.
    // Email serves members for reset only; Voice calls mobile phones only (the tenant does not allow office phones).
    const pilotGroup = "group 'SSPR Pilot' (1 member: c.vogel@munyakazi.org)";
    expect(result.people).toEqual({
      lines: [
        `Email: ${pilotGroup} can now use it to reset their password (SSPR); it is not a second factor for members.`,
        `Phone call (mobile phone): ${pilotGroup} can now use it to reset their password (SSPR) and as a second ` +
          `factor (MFA)${phonesUntil}.`,
        "Phone call (mobile phone): switched on for the SSPR scope only; its dormant target (all users) stays out " +
          "of force; destroy puts the method back as it was, off.",
      ],
      warnings: [],
    });

    // Destroy gives the whole methods policy back, dormant targets included.
    await destroyState(result.state, shared.host);
    expect(methodsPolicy(lab.emulator.state())).toEqual(methodsPolicy(before));
  });
});

describe("the people lines name each method's real purposes", () => {
  it("office phone allowed, Authenticator with its codes off: the lines say exactly that", async () => {
    const methods = { email: true, mobilePhone: true, officePhone: true, authenticatorApp: true };
    const result = await applied({ stackFile: stackFile("purposes", runbookLines({ methods })) });
    const voice = method(lab.emulator.state(), "Voice");
    expect(voice).toMatchObject({ state: "enabled", isOfficePhoneAllowed: true });
    expect(method(lab.emulator.state(), "MicrosoftAuthenticator")).toMatchObject({ isSoftwareOathEnabled: false });
    expect(result.people?.lines).toEqual([
      "Microsoft Authenticator: all users can now use it to reset their password with a notification (SSPR; its " +
        "codes are off: isSoftwareOathEnabled false), as a second factor (MFA) and for passwordless phone sign-in.",
      "Email: all users can now use it to reset their password (SSPR); it is not a second factor for members.",
      "Phone call (mobile and office phone): all users can now use it to reset their password (SSPR) and as a " +
        `second factor (MFA)${phonesUntil}.`,
    ]);
    expect(result.people?.warnings).toEqual([]);
  });
});

describe("preview says who would gain or lose a method", () => {
  it("reads the tenant at preview only, and names the group and its members", async () => {
    const before = lab.emulator.state();
    const group = before.groups[0];
    const args: SelfServicePasswordResetArgs = {
      tenantId: "munyakazi.org",
      endpoints: { graph: lab.emulator.url, portal: lab.emulator.url },
      scope: "selected",
      group: { id: group.id },
      methodsRequired: 1,
      methods: { mobilePhone: true },
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: true },
    };
    const program = () => ({ people: new SelfServicePasswordReset("sspr", args).peopleEffects });
    // azuread.getGroup (the preview's check of group.id) is answered from the emulator's directory, as in rehearse;
    // the package's functions (the people lines, the lockout facts) by the plugin, as the CLI routes them.
    const lookup = withGroupLookup(async ({ inputs }) => inputs, createEntraClient(lab.target));
    const call = pluginCallHandler(shared.host, lookup);
    const preview = await runUnderMocks(program, { newResource: echoResource, call }, { preview: true });
    expect(preview.errors).toEqual([]);
    // Nested groups count: c.vogel and the three members of Finance, nested in the pilot group.
    const members =
      `group '${group.displayName}' (4 members: c.vogel@munyakazi.org, a.uwase@munyakazi.org, ` +
      "p.niyonzima@munyakazi.org and l.okafor@munyakazi.org)";
    expect(preview.outputs?.people).toEqual({
      lines: [
        `Phone call (mobile phone): ${members} can now use it to reset their password (SSPR) and as a second factor (MFA)${phonesUntil}.`,
        "Phone call (mobile phone): switched on for the SSPR scope only; its dormant target (all users) stays out " +
          "of force; destroy puts the method back as it was, off.",
        // The scope, security questions and administrators get their own lines, counted from the tenant's people.
        `Password reset (SSPR scope): nobody (SSPR is off: None) could reset before; after, only group ${group.id} ` +
          "(4 members: c.vogel@munyakazi.org, a.uwase@munyakazi.org, p.niyonzima@munyakazi.org and " +
          "l.okafor@munyakazi.org) can; administrators are judged apart (administrator policy).",
        "Password reset (SSPR scope): 4 users join it (c.vogel@munyakazi.org, l.okafor@munyakazi.org, " +
          "a.uwase@munyakazi.org and p.niyonzima@munyakazi.org).",
        "Security questions: off, before and after: nobody resets with them.",
        expect.stringMatching(
          /^Administrators: unchanged: 3 administrators \(admin@munyakazi\.org, .*\) reset their own password under the administrator policy: 2 methods .*\(allowedToUseSSPR true\); \d of 3 can reset now\.$/,
        ),
      ],
      // Nobody gains beyond the scope; the tenant's own SMS target is usable for sign-in, which a lockout guard names.
      warnings: [
        expect.stringContaining("SMS is usable for sign-in for All users"),
        // The pilot's phones stop counting on 1 February 2027: counted in people (components/readiness/timeline.ts).
        ...(beforeSmsVoiceEnd
          ? [expect.stringMatching(/^Microsoft's calendar, counted .*\n.*3 users .* lose it/)]
          : []),
      ],
    });
    expect(lab.emulator.requests().every((request) => !isWriteRequest(request))).toBe(true);
    expect(lab.emulator.state()).toEqual(before);

    // At apply the tenant is not read for this (the providers do the work).
    lab.emulator.clearRequests();
    const up = await runUnderMocks(program, { newResource: echoResource }, { preview: false });
    expect(up.outputs?.people).toBeUndefined();
    expect(lab.emulator.requests()).toEqual([]);
  });
});

describe("preview runs the lockout guards that need the tenant", () => {
  it("warns when a method SSPR offers excludes a group inside the SSPR scope, naming the group", async () => {
    const state = lab.emulator.state();
    const finance = state.groups.find((group) => group.displayName === "Finance");
    expect(finance).toBeDefined();
    lab.reseed({
      authenticationMethodsPolicy: {
        ...state.authenticationMethodsPolicy,
        authenticationMethodConfigurations: state.authenticationMethodsPolicy.authenticationMethodConfigurations.map(
          (configuration) =>
            configuration.id === "Email"
              ? { ...configuration, excludeTargets: [{ targetType: "group", id: finance?.id }] }
              : configuration,
        ),
      },
    });
    const args: SelfServicePasswordResetArgs = {
      tenantId: "munyakazi.org",
      endpoints: { graph: lab.emulator.url, portal: lab.emulator.url },
      scope: "all",
      methodsRequired: 1,
      methods: { email: true },
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: true },
    };
    const program = () => ({ people: new SelfServicePasswordReset("sspr", args).peopleEffects });
    const call = pluginCallHandler(shared.host);
    const preview = await runUnderMocks(program, { newResource: echoResource, call }, { preview: true });
    expect(preview.errors).toEqual([]);
    const warnings = (preview.outputs?.people as { warnings: string[] }).warnings;
    expect(warnings).toEqual([
      expect.stringContaining('Email: the authentication methods policy excludes group "Finance"'),
      // Administrators keep two methods whatever the stack offers: those relying on a phone lose reset in February.
      ...(beforeSmsVoiceEnd ? [expect.stringMatching(/^Microsoft's calendar, counted .*\n.*2 administrators/)] : []),
    ]);
    expect(lab.emulator.requests().every((request) => !isWriteRequest(request))).toBe(true);
  });
});

describe("the config owns only what it says", () => {
  it("a tenant's custom helpdesk link survives a config without helpdesk", async () => {
    lab.reseed({
      passwordResetPolicies: {
        ...lab.emulator.state().passwordResetPolicies,
        customizeHelpdeskLink: true,
        customHelpdeskEmailOrUrl: "https://help.munyakazi.org",
      },
    });
    await applied({ stackFile: stackFile("runbook", runbookLines()) });
    const portal = lab.emulator.state().passwordResetPolicies;
    expect(portal).toMatchObject({
      customizeHelpdeskLink: true,
      customHelpdeskEmailOrUrl: "https://help.munyakazi.org",
    });
    const puts = lab.emulator.requests().filter((request) => request.method === "PUT");
    expect(puts).toHaveLength(1);
  });

  it("a setting removed from the config returns to what the tenant had before the stack owned it", async () => {
    lab.reseed({
      passwordResetPolicies: {
        ...lab.emulator.state().passwordResetPolicies,
        customizeHelpdeskLink: true,
        customHelpdeskEmailOrUrl: "https://help.munyakazi.org",
      },
    });
    const original = lab.emulator.state().passwordResetPolicies;
    const withLink = await applied({
      stackFile: stackFile("helpdesk", runbookLines({ helpdesk: "support@munyakazi.org" })),
    });
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({
      customizeHelpdeskLink: true,
      customHelpdeskEmailOrUrl: "support@munyakazi.org",
    });

    // The same stack, its next `up` without the helpdesk line: the link goes back, nothing else moves.
    const withoutLink = await applied({
      stackFile: stackFile("helpdesk", runbookLines()),
      stack: "helpdesk",
      priorState: withLink.state,
    });
    expect(withoutLink.steps.find((step) => step.name === "sspr-password-reset-policy")?.op).toBe("update");
    expect(lab.emulator.state().passwordResetPolicies).toEqual({
      ...withLink.emulatorState?.passwordResetPolicies,
      customizeHelpdeskLink: original.customizeHelpdeskLink,
      customHelpdeskEmailOrUrl: original.customHelpdeskEmailOrUrl,
    });
    // No longer owned: a third run writes nothing, and destroy restores only what the stack still owns.
    lab.emulator.clearRequests();
    const third = await applied({
      stackFile: stackFile("helpdesk", runbookLines()),
      stack: "helpdesk",
      priorState: withoutLink.state,
    });
    expect(third.steps.every((step) => step.op === "same")).toBe(true);
    expect(lab.emulator.requests().filter(isWriteRequest)).toEqual([]);
  });
});

describe("refresh right after up", () => {
  it("reports no drift when the tenant kept a target member of its own (SMS usable for sign-in)", async () => {
    const sms = method(lab.emulator.state(), "Sms");
    expect(sms.includeTargets).toEqual([expect.objectContaining({ id: "all_users", isUsableForSignIn: true })]);
    const result = await applied({ stackFile: stackFile("runbook", runbookLines()) });
    // The stack asks for an all_users SMS target not usable for sign-in, but never narrows one in force.
    expect(method(lab.emulator.state(), "Sms").includeTargets).toEqual(sms.includeTargets);
    lab.emulator.clearRequests();
    const { drift } = await refreshState(result.state, shared.host);
    expect(drift).toEqual([]);
    expect(lab.emulator.requests().every((request) => !isWriteRequest(request))).toBe(true);
  });
});

/** The ownership mark in the emulator's tenant: the notes of its mark application (`ownershipMark.ts`). */
function markIn(state: TenantState): Record<string, unknown> | undefined {
  const notes = state.applications.find((application) => application.uniqueName === "entra-sspr-ownership-mark")?.notes;
  return typeof notes === "string" && notes !== "" ? (JSON.parse(notes) as Record<string, unknown>) : undefined;
}

describe("one stack owns a tenant's SSPR", () => {
  const runbook = "organization/entra-sspr/runbook";
  const writesSince = (from: number): string[] =>
    lab.emulator
      .requests()
      .slice(from)
      .filter(isWriteRequest)
      .map((request) => `${request.method} ${request.path}`);

  it("a second stack on the tenant is refused before it writes anything, naming the owner", async () => {
    await applied({ stackFile: stackFile("runbook", runbookLines()) });
    const owned = lab.emulator.state();
    expect(markIn(owned)).toMatchObject({ stack: runbook });

    const from = lab.emulator.requests().length;
    const pilot = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile: stackFile("pilot", runbookLines({ scope: "selected", group: { id: owned.groups[0].id } })),
    });
    expect(pilot.ok).toBe(false);
    expect(pilot.errors.join("\n")).toContain(`owned by stack ${runbook} (claimed `);
    expect(pilot.errors.join("\n")).toContain(`set entra-sspr:takeOverFrom to "${runbook}"`);
    expect(writesSince(from)).toEqual([]);
    expect(lab.emulator.state()).toEqual(owned);
  });

  it("a stack whose mark earlier versions kept on the organization keeps owning the tenant; its next claim moves it", async () => {
    const file = stackFile("runbook", runbookLines());
    const first = await applied({ stackFile: file });
    // The tenant as an earlier version left it: the mark as an open extension of the organization, no application.
    const mark = markIn(lab.emulator.state());
    lab.reseed({
      applications: [],
      organizationExtensions: [
        { "@odata.type": "#microsoft.graph.openTypeExtension", extensionName: "entraSspr.ownership", ...mark },
      ],
    });
    const { drift } = await refreshState(first.state, shared.host);
    expect(drift.find((d) => d.name === "sspr-ownership")).toBeUndefined();
    // Another stack is still refused by it.
    const other = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile: stackFile(
        "pilot",
        runbookLines({ scope: "selected", group: { id: lab.emulator.state().groups[0].id } }),
      ),
    });
    expect(other.errors.join("\n")).toContain(`owned by stack ${runbook} (claimed `);
    // The owner's next claim (its needs changed: administrators) writes the mark to the application and removes
    // the organization's extension.
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace("  sspr:settings:\n", "  sspr:settings:\n    administrators: { allowed: true }\n"),
    );
    await applied({ stackFile: file, stack: "runbook", priorState: first.state });
    expect(markIn(lab.emulator.state())).toEqual(mark);
    expect(lab.emulator.state().organizationExtensions).toEqual([]);
  });

  it("an explicit takeover: the old stack then writes nothing, not even on destroy; the new one restores", async () => {
    const first = await applied({ stackFile: stackFile("runbook", runbookLines()) });
    const runbookTenant = lab.emulator.state();
    const pilotFile = stackFile(
      "pilot",
      runbookLines({ scope: "selected", group: { id: runbookTenant.groups[0].id } }),
    );
    fs.appendFileSync(pilotFile, `  entra-sspr:takeOverFrom: ${runbook}\n`);
    const pilot = await applied({ stackFile: pilotFile });
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({ enablementType: 1 });
    expect(markIn(lab.emulator.state())).toMatchObject({ stack: "organization/entra-sspr/pilot" });

    // The old stack's refresh shows the takeover (and the pilot's settings); its next up writes nothing and says why.
    const { drift } = await refreshState(first.state, shared.host);
    expect(drift.find((d) => d.name === "sspr-ownership")?.changed).toEqual(["owner"]);
    const from = lab.emulator.requests().length;
    const again = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile: stackFile("runbook", runbookLines({ notifications: { users: false, admins: true } })),
      stack: "runbook",
      priorState: first.state,
    });
    expect(again.ok).toBe(false);
    expect(again.errors.join("\n")).toContain("owned by stack organization/entra-sspr/pilot");
    // Its destroy: nothing is written either, so the pilot's settings stay.
    await destroyState(first.state, shared.host);
    expect(writesSince(from)).toEqual([]);

    // The pilot's destroy gives back what the tenant held before the first stack (the takeover inherits the
    // before-snapshot the tenant keeps), and releases the mark.
    await destroyState(pilot.state, shared.host);
    const after = lab.emulator.state();
    expect(markIn(after)).toBeUndefined();
    expect(after.passwordResetPolicies).toEqual(lab.seeded.passwordResetPolicies);
    expect(methodsPolicy(lab.emulator.state())).toEqual(methodsPolicy(lab.seeded));
  });
});

describe("destroy when the tenant held a value the service now refuses", () => {
  it("puts back everything else, names the refused setting and the way out, which then works", async () => {
    // An old tenant: a re-confirmation interval the portal would no longer take (0-730 days).
    lab.reseed({
      passwordResetPolicies: {
        ...lab.emulator.state().passwordResetPolicies,
        registrationRequiredOnSignIn: false,
        registrationReconfirmIntevalInDays: 1000,
      },
    });
    const original = lab.emulator.state().passwordResetPolicies;
    const file = stackFile("old", runbookLines());
    const applied1 = await applied({ stackFile: file });
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({ registrationRequiredOnSignIn: true });
    expect(lab.emulator.state().passwordResetPolicies).toMatchObject({ registrationReconfirmIntevalInDays: 180 });

    const failed = destroyState(applied1.state, shared.host);
    await expect(failed).rejects.toThrow(
      "PasswordResetPolicy: the service refuses the value the tenant held before adoption for " +
        "registrationReconfirmIntevalInDays (held 1000, now 180); every other setting is back as it was. To finish " +
        "the destroy leaving these as the tenant has them now, run it again with ENTRA_SSPR_KEEP_UNRESTORABLE=1.",
    );
    expect(lab.emulator.state().passwordResetPolicies).toEqual({
      ...original,
      registrationReconfirmIntevalInDays: 180,
    });

    // The way out the message names: the same destroy, once more, keeping what cannot be put back.
    const remaining = await failed.then(
      () => ({}),
      (error: EngineError) => error.state,
    );
    // The CLI hands its environment to the provider host, as this one is started with it.
    const keeping = await startProviderPlugin({ env: { ENTRA_SSPR_KEEP_UNRESTORABLE: "1" } });
    try {
      await destroyState(remaining, keeping);
    } finally {
      await keeping.stop();
    }
    expect(lab.emulator.state().passwordResetPolicies).toEqual({
      ...original,
      registrationReconfirmIntevalInDays: 180,
    });
    expect(markIn(lab.emulator.state())).toBeUndefined();
  });
});

describe("a bare pulumi up checks the grants before its first write", () => {
  it("the claim, the run's first write, is refused listing every missing grant; nothing is written", async () => {
    const before = lab.emulator.state();
    // The provider host gets the narrowed lab grants, as the CLI hands its environment to it; the rehearsal's own
    // preflight (in this process) sees every grant, so only the program's check can stop the run.
    const narrowed = await startProviderPlugin({ env: { ENTRA_SSPR_LAB_GRANTS: "Policy.Read.All" } });
    try {
      const result = await rehearse({
        host: narrowed,
        emulatorUrl: lab.emulator.url,
        stackFile: stackFile("bare", runbookLines()),
      });
      expect(result.ok).toBe(false);
      const message = result.errors.join("\n");
      expect(message).toContain("Permission preflight: nothing was written.");
      expect(message).toContain("Policy.ReadWrite.AuthenticationMethod");
      expect(message).toContain("Organization.ReadWrite.All");
      expect(message).toContain("Authentication Policy Administrator");
    } finally {
      await narrowed.stop();
    }
    expect(lab.emulator.requests().filter(isWriteRequest)).toEqual([]);
    expect(lab.emulator.state()).toEqual(before);
  });
});
