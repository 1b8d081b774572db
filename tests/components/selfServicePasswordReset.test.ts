import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { normalizeEndpoints } from "../../components/config";
import type { SelfServicePasswordResetArgs } from "../../components/ssprArgs";
import { grantNeeds } from "../../provider/grants/grants";
import { administratorPasswordResetProvider } from "../../provider/objects/administratorPasswordReset";
import { authenticationMethodConfigurationProvider } from "../../provider/objects/authenticationMethodConfiguration";
import { authenticationMethodsPolicyProvider } from "../../provider/objects/authenticationMethodsPolicy";
import { passwordResetPolicyProvider } from "../../provider/objects/passwordResetPolicy";
import type * as componentModule from "../../components/selfServicePasswordReset";
import { runUnderMocks } from "../../engine/mockRun";
import { captureUnhandledRejections } from "../../engine/processEvents";
import { runbookArgs, runbookPilotGroup } from "../support/runbook";

// ---------------------------------------------------------------------------------------------------------------
// Mocks: record every registration and every invoke; never reach a provider.
// ---------------------------------------------------------------------------------------------------------------

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Whether the registration carries provider code (`__provider`): never, since the provider plugin serves them. */
  carriesProviderCode: boolean;
}

const registrations: Registration[] = [];
const invokes: { token: string; inputs: Record<string, unknown> }[] = [];
const pilotGroupObjectId = "5d3c2b1a-0f9e-4d8c-b7a6-958473625140";
const existingGroupId = "0b6c1a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d";
const directory = [
  { userPrincipalName: "C.Vogel@munyakazi.org", objectId: "11111111-1111-4111-8111-111111111111" },
  { userPrincipalName: "a.okafor@munyakazi.org", objectId: "22222222-2222-4222-8222-222222222222" },
];

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const { __provider, ...inputs } = args.inputs as Record<string, unknown>;
    registrations.push({
      type: args.type,
      name: args.name,
      inputs,
      carriesProviderCode: __provider !== undefined,
    });
    return { id: `${args.name}-id`, state: stateFor(args.type, inputs) };
  },
  call(args) {
    const inputs = args.inputs as Record<string, unknown>;
    invokes.push({ token: args.token, inputs });
    return lookUpUsers(args.token, inputs);
  },
};

/** Outputs echo the inputs; a created group also gets its object id, as azuread reports it. */
function stateFor(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  return type === "azuread:index/group:Group" ? { ...inputs, objectId: pilotGroupObjectId } : inputs;
}

/** Like Graph with ignoreMissing: the users that exist, nothing for the others; and the existing group by id. */
function lookUpUsers(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (token === "azuread:index/getGroup:getGroup" && inputs.objectId === existingGroupId) {
    return { objectId: existingGroupId, displayName: "Existing pilot", securityEnabled: true };
  }
  if (token !== "azuread:index/getUsers:getUsers") throw new Error(`unexpected invoke ${token}`);
  const wanted = (inputs.userPrincipalNames as string[]).map((name) => name.toLowerCase());
  const users = directory.filter((user) => wanted.includes(user.userPrincipalName.toLowerCase()));
  return {
    users,
    objectIds: users.map((user) => user.objectId),
    userPrincipalNames: users.map((user) => user.userPrincipalName),
  };
}

let SelfServicePasswordReset: typeof componentModule.SelfServicePasswordReset;

beforeAll(async () => {
  await pulumi.runtime.setMocks(mocks, "entra-sspr", "test", false);
  // The component is imported only once the mocks are in place.
  ({ SelfServicePasswordReset } = await import("../../components/selfServicePasswordReset"));
});

let warn: jest.SpyInstance;

beforeEach(() => {
  registrations.length = 0;
  invokes.length = 0;
  warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
});

afterEach(() => jest.restoreAllMocks());

/** An Output's value, or its failure (`promise()` is the SDK's own, not in its typings). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

type Component = InstanceType<typeof SelfServicePasswordReset>;

function childrenOf(component: Component): pulumi.Resource[] {
  return [
    component.ownership,
    component.passwordResetPolicy,
    ...component.methodConfigurations,
    ...[component.methodsPolicy, component.administratorPasswordReset, component.pilotGroup].filter(
      (child): child is NonNullable<typeof child> => child !== undefined,
    ),
  ];
}

interface Built {
  component: Component;
  children: Registration[];
  urns: string[];
  outputs: { settings: unknown; resetUrl: string; registrationUrl: string; groupId: string | undefined };
}

/** Builds the component and waits until every child is registered. */
async function build(args: SelfServicePasswordResetArgs, name = "sspr"): Promise<Built> {
  const component = new SelfServicePasswordReset(name, args);
  const urns = await valueOf(pulumi.all(childrenOf(component).map((child) => child.urn)));
  const [settings, resetUrl, registrationUrl, groupId] = await valueOf(
    pulumi.all([component.settings, component.resetUrl, component.registrationUrl, component.groupId]),
  );
  const componentRegistrations = registrations.filter((r) => r.type === "entra-sspr:index:SelfServicePasswordReset");
  expect(componentRegistrations.map((r) => r.name)).toEqual([name]);
  return {
    component,
    children: withoutOwnership(
      registrations.filter((r) => r.type !== "entra-sspr:index:SelfServicePasswordReset"),
      args,
    ),
    urns,
    outputs: { settings, resetUrl, registrationUrl, groupId },
  };
}

/**
 * One stack owns a tenant: the component claims it first (TenantOwnership) and every Entra child carries the claim.
 * Asserted here for every build; the children are then returned without both, so each test states only its own.
 */
function withoutOwnership(children: Registration[], args: SelfServicePasswordResetArgs): Registration[] {
  const stack = "organization/entra-sspr/test";
  const [ownership, ...others] = children;
  expect(ownership).toMatchObject({ type: entraType("TenantOwnership"), carriesProviderCode: false });
  expect(ownership.inputs).toEqual({
    tenantId: args.tenantId,
    endpoints: normalizeEndpoints(args.endpoints),
    stack,
    ...(args.takeOverFrom === undefined ? {} : { takeOverFrom: args.takeOverFrom }),
    // What the stack's writes need, checked against the tokens before the claim (the run's first write).
    needs: grantNeeds(args, "write"),
  });
  return others.map((child) => {
    if (!child.type.startsWith(entraType(""))) return child;
    // Under mocks the claim's outputs echo its inputs: the stack is known, the claim itself comes from the tenant.
    expect(child.inputs.ownership).toEqual({ stack });
    const { ownership: _claim, ...inputs } = child.inputs;
    return { ...child, inputs };
  });
}

const entraType = (kind: string) => `entra-sspr:index:${kind}`;
const microsoft = {
  tenantId: "munyakazi.org",
  endpoints: { graph: "https://graph.microsoft.com", portal: "https://main.iam.ad.ext.azure.com/api" },
  onDelete: "restore",
};

/** The children as [type, name, inputs], sorted by name. */
function described(children: Registration[]): [string, string, Record<string, unknown>][] {
  return children
    .map((r): [string, string, Record<string, unknown>] => [r.type, r.name, r.inputs])
    .sort((a, b) => a[1].localeCompare(b[1]));
}

const runbookPolicy = {
  methodsRequired: 2,
  securityQuestions: { enabled: false },
  registration: { requireOnSignIn: true, reconfirmDays: 180 },
  notifications: { users: true, admins: true },
};

const target = (id: string, extra: Record<string, unknown> = {}) => [
  { targetType: "group", id, isRegistrationRequired: false, ...extra },
];

// ---------------------------------------------------------------------------------------------------------------

describe("SelfServicePasswordReset", () => {
  it("the runbook (scope all): Email, Sms and Voice added to all_users, the portal policy; nothing else", async () => {
    const { children, urns, outputs } = await build(runbookArgs);
    expect(described(children)).toEqual([
      [
        entraType("AuthenticationMethodConfiguration"),
        "sspr-method-email",
        {
          ...microsoft,
          methodId: "Email",
          state: "enabled",
          includeTargetsMode: "add",
          includeTargets: target("all_users"),
        },
      ],
      [
        entraType("AuthenticationMethodConfiguration"),
        "sspr-method-sms",
        {
          ...microsoft,
          methodId: "Sms",
          state: "enabled",
          includeTargetsMode: "add",
          includeTargets: target("all_users", { isUsableForSignIn: false }),
        },
      ],
      [
        entraType("AuthenticationMethodConfiguration"),
        "sspr-method-voice",
        {
          ...microsoft,
          methodId: "Voice",
          state: "enabled",
          includeTargetsMode: "add",
          includeTargets: target("all_users"),
        },
      ],
      [
        entraType("PasswordResetPolicy"),
        "sspr-password-reset-policy",
        { ...microsoft, enablement: "all", ...runbookPolicy },
      ],
    ]);
    expect(children.some((child) => child.carriesProviderCode)).toBe(false);
    // Every child is parented to the component (its type is in the child's URN).
    for (const urn of urns) expect(urn).toContain("::entra-sspr:index:SelfServicePasswordReset$entra-sspr:index:");
    expect(invokes).toEqual([]);
    expect(outputs).toEqual({
      settings: {
        "Self service password reset enabled": "All",
        "Number of methods required to reset": 2,
        "Methods available to users": ["Email", "Mobile phone"],
        "Require users to register when signing in": "Yes",
        "Number of days before users are asked to re-confirm their authentication information": 180,
        "Notify users on password resets": "Yes",
        "Notify all admins when other admins reset their password": "Yes",
      },
      resetUrl: "https://aka.ms/sspr",
      registrationUrl: "https://aka.ms/mysecurityinfo",
      groupId: undefined,
    });
  });

  it("child names follow the component's name", async () => {
    const { children } = await build({ ...runbookArgs, methods: { email: true }, methodsRequired: 1 }, "munyakazi");
    expect(children.map((child) => child.name).sort()).toEqual([
      "munyakazi-method-email",
      "munyakazi-password-reset-policy",
    ]);
  });

  it("scope none: only the portal policy, SSPR off; the methods are left alone", async () => {
    const { children, outputs } = await build({ ...runbookArgs, scope: "none" });
    expect(described(children)).toEqual([
      [
        entraType("PasswordResetPolicy"),
        "sspr-password-reset-policy",
        { ...microsoft, enablement: "none", ...runbookPolicy },
      ],
    ]);
    expect(outputs.groupId).toBeUndefined();
    expect(outputs.settings).toMatchObject({ "Self service password reset enabled": "None" });
    expect(outputs.settings).not.toHaveProperty("Methods available to users");
  });

  it("scope selected with an existing group: looked up as a security group, methods added for it, none created", async () => {
    const { children, outputs } = await build({ ...runbookArgs, scope: "selected", group: { id: existingGroupId } });
    expect(described(children)).toEqual([
      [
        entraType("AuthenticationMethodConfiguration"),
        "sspr-method-email",
        {
          ...microsoft,
          methodId: "Email",
          state: "enabled",
          includeTargetsMode: "add",
          includeTargets: target(existingGroupId),
        },
      ],
      [
        entraType("AuthenticationMethodConfiguration"),
        "sspr-method-sms",
        {
          ...microsoft,
          methodId: "Sms",
          state: "enabled",
          includeTargetsMode: "add",
          includeTargets: target(existingGroupId, { isUsableForSignIn: false }),
        },
      ],
      [
        entraType("AuthenticationMethodConfiguration"),
        "sspr-method-voice",
        {
          ...microsoft,
          methodId: "Voice",
          state: "enabled",
          includeTargetsMode: "add",
          includeTargets: target(existingGroupId),
        },
      ],
      [
        entraType("PasswordResetPolicy"),
        "sspr-password-reset-policy",
        { ...microsoft, enablement: "selected", groupId: existingGroupId, ...runbookPolicy },
      ],
    ]);
    expect(invokes).toEqual([{ token: "azuread:index/getGroup:getGroup", inputs: { objectId: existingGroupId } }]);
    expect(outputs.groupId).toBe(existingGroupId);
    expect(outputs.settings).toMatchObject({
      "Self service password reset enabled": "Selected",
      // The group by its name (the preview's lookup found it), with its id.
      "Selected group": `Existing pilot (group ${existingGroupId})`,
    });
  });

  it("scope selected with a created group: a security group whose members are resolved by user principal name", async () => {
    const { children, urns, outputs } = await build({
      ...runbookArgs,
      scope: "selected",
      group: { displayName: "SSPR Pilot", members: ["c.vogel@munyakazi.org", "a.okafor@munyakazi.org"] },
    });
    expect(invokes).toEqual([
      {
        token: "azuread:index/getUsers:getUsers",
        inputs: { userPrincipalNames: ["c.vogel@munyakazi.org", "a.okafor@munyakazi.org"], ignoreMissing: true },
      },
    ]);
    const group = children.find((child) => child.name === "sspr-pilot-group");
    expect(group).toEqual({
      type: "azuread:index/group:Group",
      name: "sspr-pilot-group",
      inputs: {
        displayName: "SSPR Pilot",
        description: "Users allowed to use self-service password reset (pilot); managed by Pulumi (entra-sspr)",
        securityEnabled: true,
        mailEnabled: false,
        preventDuplicateNames: true,
        members: ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"],
      },
      carriesProviderCode: false,
    });
    expect(urns.some((urn) => urn.endsWith("$azuread:index/group:Group::sspr-pilot-group"))).toBe(true);
    const byName = Object.fromEntries(children.map((child) => [child.name, child.inputs]));
    expect(byName["sspr-password-reset-policy"]).toMatchObject({ enablement: "selected", groupId: pilotGroupObjectId });
    expect(byName["sspr-method-email"].includeTargets).toEqual(target(pilotGroupObjectId));
    expect(byName["sspr-method-sms"].includeTargets).toEqual(target(pilotGroupObjectId, { isUsableForSignIn: false }));
    expect(byName["sspr-method-voice"].includeTargets).toEqual(target(pilotGroupObjectId));
    // The group's release: on destroy it deletes the group only while the stack owns the tenant and nothing names it.
    expect(byName["sspr-pilot-group-release"]).toMatchObject({
      groupId: pilotGroupObjectId,
      displayName: "SSPR Pilot",
      onDelete: "restore",
    });
    expect(children).toHaveLength(6);
    expect(outputs.groupId).toBe(pilotGroupObjectId);
    expect(outputs.settings).toMatchObject({ "Selected group": "SSPR Pilot" });
  });

  it("a created group without members: no lookup, membership not managed", async () => {
    const { children } = await build({ ...runbookArgs, scope: "selected", group: { displayName: "SSPR Pilot" } });
    expect(invokes).toEqual([]);
    const group = children.find((child) => child.type === "azuread:index/group:Group");
    expect(group?.inputs).not.toHaveProperty("members");
  });

  it("children are parented to the component; methods come before the migration, both before the policy", async () => {
    const run = await runUnderMocks(
      () =>
        new SelfServicePasswordReset("sspr", {
          ...runbookArgs,
          scope: "selected",
          group: runbookPilotGroup,
          methodsPolicy: { migrationState: "migrationComplete" },
          administrators: { allowed: true },
        }),
      {
        newResource: (request) => ({ id: `${request.name}-id`, state: stateFor(request.type, request.inputs) }),
        call: (request) => lookUpUsers(request.token, request.inputs),
      },
    );
    await pulumi.runtime.setMocks(mocks, "entra-sspr", "test", false);
    expect(run.errors).toEqual([]);
    const [component, ...children] = run.registrations;
    expect(component.type).toBe("entra-sspr:index:SelfServicePasswordReset");
    for (const child of children) expect(child.parent).toBe(component.urn);
    const urnOf = Object.fromEntries(children.map((child) => [child.name, child.urn]));
    const dependenciesOf = (name: string) => children.find((child) => child.name === name)?.dependencies.sort();
    const methods = ["sspr-method-email", "sspr-method-sms", "sspr-method-voice"].map((name) => urnOf[name]);
    // Every child waits for the stack's claim on the tenant; the claim waits for nothing but the member lookup.
    const claim = urnOf["sspr-ownership"];
    expect(dependenciesOf("sspr-ownership")).toEqual([]);
    expect(dependenciesOf("sspr-pilot-group")).toEqual([claim]);
    // Pulumi never deletes the group itself; its release does, after the settings that name it are put back (they
    // depend on the release) and before the claim goes (the release depends on it).
    expect(children.find((child) => child.name === "sspr-pilot-group")?.retainOnDelete).toBe(true);
    const release = urnOf["sspr-pilot-group-release"];
    expect(dependenciesOf("sspr-pilot-group-release")).toEqual([claim, urnOf["sspr-pilot-group"]].sort());
    expect(dependenciesOf("sspr-methods-policy")).toEqual([...methods, claim].sort());
    expect(dependenciesOf("sspr-password-reset-policy")).toEqual(
      [...methods, urnOf["sspr-methods-policy"], release, claim].sort(),
    );
    expect(dependenciesOf("sspr-method-email")).toEqual([claim, release].sort());
    expect(dependenciesOf("sspr-administrators")).toEqual([claim]);
  });

  const onlyMethod: [string, SelfServicePasswordResetArgs["methods"], [string, Record<string, unknown>][]][] = [
    [
      "email",
      { email: true },
      [["sspr-method-email", { methodId: "Email", state: "enabled", includeTargets: target("all_users") }]],
    ],
    [
      "mobile phone",
      { mobilePhone: true },
      [
        [
          "sspr-method-sms",
          { methodId: "Sms", state: "enabled", includeTargets: target("all_users", { isUsableForSignIn: false }) },
        ],
        ["sspr-method-voice", { methodId: "Voice", state: "enabled", includeTargets: target("all_users") }],
      ],
    ],
    [
      "office phone",
      { officePhone: true },
      [
        [
          "sspr-method-voice",
          {
            methodId: "Voice",
            state: "enabled",
            properties: { isOfficePhoneAllowed: true },
            includeTargets: target("all_users"),
          },
        ],
      ],
    ],
    [
      "Authenticator app",
      { authenticatorApp: true },
      [
        [
          "sspr-method-microsoft-authenticator",
          {
            methodId: "MicrosoftAuthenticator",
            state: "enabled",
            properties: {
              featureSettings: {
                displayAppInformationRequiredState: {
                  state: "enabled",
                  includeTarget: { targetType: "group", id: "all_users" },
                  excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" },
                },
                displayLocationInformationRequiredState: {
                  state: "enabled",
                  includeTarget: { targetType: "group", id: "all_users" },
                  excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" },
                },
              },
            },
            includeTargets: target("all_users", { authenticationMode: "any" }),
          },
        ],
      ],
    ],
    [
      "mobile and office phone (one Voice child)",
      { mobilePhone: true, officePhone: true },
      [
        [
          "sspr-method-sms",
          { methodId: "Sms", state: "enabled", includeTargets: target("all_users", { isUsableForSignIn: false }) },
        ],
        [
          "sspr-method-voice",
          {
            methodId: "Voice",
            state: "enabled",
            properties: { isOfficePhoneAllowed: true },
            includeTargets: target("all_users"),
          },
        ],
      ],
    ],
    [
      'email "disable" (turned off, no target added)',
      { email: "disable", mobilePhone: true },
      [
        ["sspr-method-email", { methodId: "Email", state: "disabled" }],
        [
          "sspr-method-sms",
          { methodId: "Sms", state: "enabled", includeTargets: target("all_users", { isUsableForSignIn: false }) },
        ],
        ["sspr-method-voice", { methodId: "Voice", state: "enabled", includeTargets: target("all_users") }],
      ],
    ],
  ];

  it.each(onlyMethod)("method: %s", async (_title, methods, expected) => {
    const { children } = await build({ ...runbookArgs, methodsRequired: 1, methods });
    const methodChildren = children.filter((child) => child.type === entraType("AuthenticationMethodConfiguration"));
    // Exact inputs: no component-only arg (onDestroy, group, members) leaks into a child.
    expect(methodChildren.map((child) => [child.name, child.inputs]).sort()).toEqual(
      expected.map(([name, inputs]) => [name, { ...microsoft, includeTargetsMode: "add", ...inputs }]),
    );
  });

  it("security questions: the portal policy turns them on with the counts, and the component warns", async () => {
    const { children, outputs } = await build({
      ...runbookArgs,
      methods: { email: true, mobilePhone: true, securityQuestions: { register: 5, reset: 3 } },
    });
    const policy = children.find((child) => child.name === "sspr-password-reset-policy");
    expect(policy?.inputs.securityQuestions).toEqual({ enabled: true, register: 5, reset: 3 });
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/Security questions retire in March 2027.*administrators can never use them/),
      expect.anything(),
    );
    expect(outputs.settings).toMatchObject({
      "Methods available to users": ["Email", "Mobile phone", "Security questions"],
      "Number of questions required to register": 5,
      "Number of questions required to reset": 3,
    });
  });

  it("the runbook warns only of 1 February 2027: Email alone is left of the two methods it requires", async () => {
    jest.useFakeTimers({
      now: new Date("2026-12-06T09:00:00Z"),
      doNotFake: ["nextTick", "setImmediate", "setTimeout"],
    });
    try {
      await build(runbookArgs);
    } finally {
      jest.useRealTimers();
    }
    const messages = warn.mock.calls.map((call) => String(call[0]));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^From 1 February 2027 Microsoft-provided SMS and voice calls end/);
    expect(messages[0]).toContain("Every user loses password reset on that day: the methods offered leave Email");
    expect(messages[0]).toContain("methods.authenticatorApp: offer");
    expect(messages[0]).toContain("ownTelephonyProvider: true");
  });

  it("a runbook whose tenant has its own telephony provider logs no warning", async () => {
    await build({ ...runbookArgs, ownTelephonyProvider: true });
    expect(warn).not.toHaveBeenCalled();
  });

  it("administrators present: the authorization policy child; helpdesk and methods policy as given", async () => {
    const { children, outputs } = await build({
      ...runbookArgs,
      administrators: { allowed: false },
      methodsPolicy: { migrationState: "migrationComplete" },
      helpdesk: "https://support.example.org",
    });
    const byName = Object.fromEntries(children.map((child) => [child.name, child]));
    expect(byName["sspr-administrators"]).toEqual({
      type: entraType("AdministratorPasswordReset"),
      name: "sspr-administrators",
      inputs: { ...microsoft, allowedToUseSSPR: false },
      carriesProviderCode: false,
    });
    expect(byName["sspr-methods-policy"]).toEqual({
      type: entraType("AuthenticationMethodsPolicy"),
      name: "sspr-methods-policy",
      inputs: { ...microsoft, migrationState: "migrationComplete" },
      carriesProviderCode: false,
    });
    expect(byName["sspr-password-reset-policy"].inputs.helpdesk).toEqual({
      customize: true,
      emailOrUrl: "https://support.example.org",
    });
    expect(outputs.settings).toMatchObject({
      "Administrators can reset their own password": "No",
      "Custom helpdesk email or URL": "https://support.example.org",
    });
  });

  it("administrators absent: the admin policy and the methods policy are left alone", async () => {
    const { children, outputs } = await build(runbookArgs);
    expect(children.map((child) => child.type)).not.toContain(entraType("AdministratorPasswordReset"));
    expect(children.map((child) => child.type)).not.toContain(entraType("AuthenticationMethodsPolicy"));
    expect(outputs.settings).not.toHaveProperty("Administrators can reset their own password");
  });

  it("onDestroy retain reaches every child as onDelete", async () => {
    const { children } = await build({ ...runbookArgs, onDestroy: "retain", administrators: { allowed: true } });
    expect(children).toHaveLength(5);
    for (const child of children) expect(child.inputs.onDelete).toBe("retain");
  });

  it.each([
    [
      "every setting and method",
      {
        scope: "selected",
        group: { id: existingGroupId },
        methods: {
          email: true,
          mobilePhone: true,
          officePhone: true,
          authenticatorApp: true,
          securityQuestions: { register: 5, reset: 3 },
        },
        helpdesk: "helpdesk@munyakazi.org",
        administrators: { allowed: false },
        methodsPolicy: { migrationState: "migrationComplete" },
        onDestroy: "retain",
      },
    ],
    [
      "every method turned off",
      {
        scope: "selected",
        group: { id: existingGroupId },
        methodsRequired: 1,
        methods: {
          email: "disable",
          mobilePhone: "disable",
          officePhone: "disable",
          authenticatorApp: "disable",
          securityQuestions: { register: 3, reset: 3 },
        },
        helpdesk: "https://support.example.org",
      },
    ],
    ["office phone turned off alone", { methods: { email: true, officePhone: "disable" }, methodsRequired: 1 }],
    ["scope none", { scope: "none" }],
  ] as [string, Partial<SelfServicePasswordResetArgs>][])(
    "the singletons' own check accepts every child's inputs: %s",
    async (_title, overrides) => {
      const { children } = await build({ ...runbookArgs, ...overrides });
      const providers: Record<string, pulumi.dynamic.ResourceProvider> = {
        [entraType("PasswordResetPolicy")]: passwordResetPolicyProvider,
        [entraType("AuthenticationMethodConfiguration")]: authenticationMethodConfigurationProvider,
        [entraType("AuthenticationMethodsPolicy")]: authenticationMethodsPolicyProvider,
        [entraType("AdministratorPasswordReset")]: administratorPasswordResetProvider,
      };
      for (const child of children) {
        const check = providers[child.type]?.check;
        if (check === undefined) continue;
        const result = await check({}, child.inputs);
        expect({ child: child.name, failures: result.failures ?? [] }).toEqual({ child: child.name, failures: [] });
      }
    },
  );

  it("invalid args are refused before anything is registered, every problem listed", () => {
    expect(
      () =>
        new SelfServicePasswordReset("sspr", {
          ...runbookArgs,
          methodsRequired: 2,
          methods: { email: true },
          registration: { requireOnSignIn: true, reconfirmDays: 1000 },
        }),
    ).toThrow(
      'SelfServicePasswordReset "sspr": 2 invalid arguments; nothing was registered:\n' +
        "  args.registration.reconfirmDays: 1000 is not allowed; expected an integer from 0 to 730 (0 = never ask)\n" +
        "  args.methodsRequired: 2 is not allowed; expected at most 1 because args.methods offers only 1 method " +
        "(Email); the methods it leaves as the tenant has them are not counted",
    );
    expect(registrations).toEqual([]);
  });

  it("lab endpoints reach every child normalised, and no request reaches any server", async () => {
    const requests: string[] = [];
    const server = http.createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { children } = await build({
        ...runbookArgs,
        administrators: { allowed: true },
        endpoints: { graph: `${root}/`, portal: root },
      });
      for (const child of children) {
        expect(child.inputs.endpoints).toEqual({ graph: root, portal: `${root}/api` });
      }
      expect(requests).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  // Last in the file: a failed input leaves the SDK's RPC counter raised for good under mocks, so nothing after it
  // may wait for RPCs to drain (the shared runUnderMocks does).
  it("a member who does not exist fails the run, naming every missing user; nothing else is registered", async () => {
    const failures: unknown[] = [];
    const restore = captureUnhandledRejections((reason) => failures.push(reason));
    try {
      new SelfServicePasswordReset("sspr", {
        ...runbookArgs,
        scope: "selected",
        group: {
          displayName: "SSPR Pilot",
          members: ["c.vogel@munyakazi.org", "x.ghost@munyakazi.org", "y.ghost@munyakazi.org"],
        },
      });
      // Waits for the failure however busy the machine (it comes within a second when it is quiet).
      for (let waited = 0; failures.length === 0 && waited < 120_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      restore();
    }
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(String(failure)).toContain(
        "sspr:settings.group.members: users must exist before the pilot: x.ghost@munyakazi.org, " +
          "y.ghost@munyakazi.org not found in tenant munyakazi.org",
      );
    }
    expect(invokes.map((invoke) => invoke.token)).toEqual(["azuread:index/getUsers:getUsers"]);
    expect(registrations.map((r) => r.type)).toEqual(["entra-sspr:index:SelfServicePasswordReset"]);
  });
});
