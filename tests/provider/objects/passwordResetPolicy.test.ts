import {
  passwordResetPolicyDesired,
  passwordResetPolicyFields,
  passwordResetPolicyOwned,
  passwordResetPolicyProvider,
  passwordResetPolicyPutBody,
  passwordResetPolicyToPortal,
  validatePasswordResetPolicy,
} from "../../../provider/objects/passwordResetPolicy";
import { unknownValue } from "../../../provider/objects/jsonValues";
import type { PasswordResetPolicySettings } from "../../../provider/objects/objectSettings";
import { useEmulator } from "../../support/emulator";
import { loadFixture } from "../../support/fixtures";

const portalFixture = loadFixture("portal-password-reset-policies.get.json");

const group = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";

describe("validatePasswordResetPolicy", () => {
  it("accepts a complete, valid policy", () => {
    expect(
      validatePasswordResetPolicy({
        enablement: "selected",
        groupId: group,
        methodsRequired: 2,
        securityQuestions: { enabled: true, register: 5, reset: 3 },
        legacyMethods: { email: true, mobilePhone: false },
        registration: { requireOnSignIn: true, reconfirmDays: 0 },
        notifications: { users: true, admins: true },
        helpdesk: { customize: true, emailOrUrl: "https://help.contoso.example/sspr" },
      }),
    ).toEqual([]);
    expect(
      validatePasswordResetPolicy({ helpdesk: { customize: true, emailOrUrl: "helpdesk@contoso.example" } }),
    ).toEqual([]);
    expect(validatePasswordResetPolicy({ helpdesk: { customize: false, emailOrUrl: "" } })).toEqual([]);
  });

  it("lists every failure at once, each naming the property, the value and what is allowed", () => {
    const failures = validatePasswordResetPolicy({
      enablement: "some",
      methodsRequired: 3,
      securityQuestions: { enabled: "yes", register: 3, reset: 4 },
      legacyMethods: { email: 1, fax: true },
      registration: { requireOnSignIn: true, reconfirmDays: 731 },
      notifications: { users: true },
      helpdesk: { customize: true, emailOrUrl: "http://help.example" },
    });
    expect(failures).toEqual([
      { property: "enablement", reason: 'enablement is "some"; allowed: "none", "selected", "all"' },
      { property: "methodsRequired", reason: "methodsRequired is 3; allowed: 1, 2" },
      { property: "securityQuestions.enabled", reason: 'securityQuestions.enabled is "yes"; allowed: true or false' },
      {
        property: "securityQuestions.register",
        reason: "securityQuestions.register is 3; allowed: at least securityQuestions.reset (4)",
      },
      {
        property: "legacyMethods.fax",
        reason:
          "legacyMethods.fax is not known; allowed: mobileAppNotification, mobileAppCode, email, mobilePhone, officePhone",
      },
      { property: "legacyMethods.email", reason: "legacyMethods.email is 1; allowed: true, false or absent" },
      {
        property: "registration.reconfirmDays",
        reason: "registration.reconfirmDays is 731; allowed: an integer from 0 to 730 (days; 0 = never ask again)",
      },
      { property: "notifications.admins", reason: "notifications.admins is missing; it is required" },
      {
        property: "helpdesk.emailOrUrl",
        reason:
          'helpdesk.emailOrUrl is "http://help.example"; allowed: an https URL or an email address when helpdesk.customize is true',
      },
    ]);
  });

  it("requires a group object id with selected and refuses one otherwise", () => {
    expect(validatePasswordResetPolicy({ enablement: "selected" })).toEqual([
      {
        property: "groupId",
        reason:
          'groupId is (absent); allowed: the object id (a GUID) of the one group allowed to reset; required with enablement "selected"',
      },
    ]);
    expect(validatePasswordResetPolicy({ enablement: "selected", groupId: "GROUP" })).toHaveLength(1);
    expect(validatePasswordResetPolicy({ enablement: "all", groupId: group })).toEqual([
      {
        property: "groupId",
        reason: `groupId is "${group}"; allowed: absent unless enablement is "selected" (enablement is "all")`,
      },
    ]);
  });

  it("leaves values that are unknown during preview (a group created in the same program) to the apply", () => {
    expect(validatePasswordResetPolicy({ enablement: "selected", groupId: unknownValue })).toEqual([]);
    expect(validatePasswordResetPolicy({ registration: unknownValue })).toEqual([]);
  });
});

describe("mapping between settings and portal fields", () => {
  const settings: PasswordResetPolicySettings = {
    enablement: "selected",
    groupId: group.toUpperCase(),
    methodsRequired: 2,
    securityQuestions: { enabled: false },
    legacyMethods: { officePhone: true },
    registration: { requireOnSignIn: true, reconfirmDays: 90 },
    notifications: { users: true, admins: true },
    helpdesk: { customize: true, emailOrUrl: "https://help.example" },
  };

  it("owns exactly the portal fields of the given settings, never securityQuestions[] or capability flags", () => {
    expect(passwordResetPolicyFields(settings)).toEqual([
      "enablementType",
      "passwordResetEnabledGroupIds",
      "passwordResetEnabledGroupName",
      "numberOfAuthenticationMethodsRequired",
      "securityQuestionsOptionEnabled",
      "officePhoneOptionEnabled",
      "registrationRequiredOnSignIn",
      "registrationReconfirmIntevalInDays",
      "notifyUsersOnPasswordReset",
      "notifyOnAdminPasswordReset",
      "customizeHelpdeskLink",
      "customHelpdeskEmailOrUrl",
    ]);
    expect(passwordResetPolicyFields({ enablement: "all" })).toEqual(["enablementType"]);
    expect(passwordResetPolicyFields({ securityQuestions: { enabled: true, register: 4, reset: 3 } })).toEqual([
      "securityQuestionsOptionEnabled",
      "numberOfQuestionsToRegister",
      "numberOfQuestionsToReset",
    ]);
  });

  it("reads the owned settings from the real portal payload", () => {
    expect(passwordResetPolicyOwned(portalFixture, settings)).toEqual({
      enablement: "selected",
      groupId: "group",
      methodsRequired: 1,
      securityQuestions: { enabled: false },
      legacyMethods: { officePhone: false },
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: false },
      helpdesk: { customize: false, emailOrUrl: "" },
    });
    expect(
      passwordResetPolicyOwned({ ...portalFixture, enablementType: 7, passwordResetEnabledGroupIds: [] }, settings),
    ).toMatchObject({
      enablement: "enablementType 7",
      groupId: [],
    });
  });

  it("maps settings to portal fields and back without loss", () => {
    const desired = passwordResetPolicyDesired(settings);
    expect(desired.groupId).toBe(group);
    const raw = passwordResetPolicyToPortal(desired, portalFixture, settings);
    expect(raw).toEqual({
      enablementType: 1,
      passwordResetEnabledGroupIds: [group],
      passwordResetEnabledGroupName: "",
      numberOfAuthenticationMethodsRequired: 2,
      securityQuestionsOptionEnabled: false,
      officePhoneOptionEnabled: true,
      registrationRequiredOnSignIn: true,
      registrationReconfirmIntevalInDays: 90,
      notifyUsersOnPasswordReset: true,
      notifyOnAdminPasswordReset: true,
      customizeHelpdeskLink: true,
      customHelpdeskEmailOrUrl: "https://help.example",
    });
    expect(passwordResetPolicyOwned({ ...portalFixture, ...raw }, settings)).toEqual(desired);
  });

  it("keeps the group's ids and name as they are when the group does not change", () => {
    const tenant = {
      ...portalFixture,
      passwordResetEnabledGroupIds: [group.toUpperCase()],
      passwordResetEnabledGroupName: "Pilot",
    };
    const raw = passwordResetPolicyToPortal(passwordResetPolicyDesired(settings), tenant, settings);
    expect(raw.passwordResetEnabledGroupIds).toEqual([group.toUpperCase()]);
    expect(raw.passwordResetEnabledGroupName).toBe("Pilot");
  });

  it("PUTs the whole object: unknown and hidden fields unchanged, owned ones replaced, missing ones left out", () => {
    const tenant: Record<string, unknown> = { ...portalFixture, futureSetting: { nested: [1] } };
    const body = passwordResetPolicyPutBody(tenant, {
      enablementType: 2,
      customHelpdeskEmailOrUrl: undefined,
      passwordResetEnabledGroupName: null,
    });
    const rest = { ...tenant };
    delete rest.customHelpdeskEmailOrUrl;
    expect(body).toEqual({ ...rest, enablementType: 2, passwordResetEnabledGroupName: null });
    expect(body).not.toHaveProperty("customHelpdeskEmailOrUrl");
  });
});

describe("the PasswordResetPolicy provider against the emulator", () => {
  const hidden = { futureSetting: { nested: [1, { a: "b" }] }, securityQuestions: [{ unknownShape: true }] };
  const lab = useEmulator({ seed: { passwordResetPolicies: { ...portalFixture, ...hidden } } });

  const inputs = (settings: PasswordResetPolicySettings, onDelete = "restore") => ({
    ...lab.target,
    onDelete,
    ...settings,
  });

  it("passes unknown fields and security questions through, and restores the exact seed", async () => {
    const settings: PasswordResetPolicySettings = {
      securityQuestions: { enabled: true, register: 4, reset: 4 },
      helpdesk: { customize: true, emailOrUrl: "helpdesk@contoso.example" },
    };
    const { outs } = await passwordResetPolicyProvider.create(inputs(settings));
    const stored = lab.emulator.state().passwordResetPolicies;
    expect(stored).toEqual({
      ...portalFixture,
      ...hidden,
      securityQuestionsOptionEnabled: true,
      numberOfQuestionsToRegister: 4,
      numberOfQuestionsToReset: 4,
      customizeHelpdeskLink: true,
      customHelpdeskEmailOrUrl: "helpdesk@contoso.example",
    });
    await passwordResetPolicyProvider.delete("id", outs);
    expect(lab.emulator.state()).toStrictEqual(lab.seeded);
  });

  it("puts a field that was null back as null, and one that was missing back as missing", async () => {
    const { customizeHelpdeskLink: _missing, ...withoutLink } = portalFixture;
    lab.reseed({ passwordResetPolicies: { ...withoutLink, ...hidden, customHelpdeskEmailOrUrl: null } });
    const seeded = lab.seeded;
    expect(seeded.passwordResetPolicies).not.toHaveProperty("customizeHelpdeskLink");
    const { outs } = await passwordResetPolicyProvider.create(
      inputs({ helpdesk: { customize: true, emailOrUrl: "https://help.contoso.example" } }),
    );
    expect(lab.emulator.state().passwordResetPolicies.customHelpdeskEmailOrUrl).toBe("https://help.contoso.example");
    await passwordResetPolicyProvider.delete("id", outs);
    expect(lab.emulator.state()).toStrictEqual(seeded);
  });

  it("retain leaves the tenant as the stack made it", async () => {
    const { outs } = await passwordResetPolicyProvider.create(inputs({ methodsRequired: 2 }, "retain"));
    lab.emulator.clearRequests();
    await passwordResetPolicyProvider.delete("id", outs);
    expect(lab.emulator.requests()).toEqual([]);
    expect(lab.emulator.state().passwordResetPolicies.numberOfAuthenticationMethodsRequired).toBe(2);
  });

  it("fails when the portal answers 2xx but does not take the change, naming each setting", async () => {
    lab.emulator.addFault({ method: "PUT", path: "/api/PasswordReset/PasswordResetPolicies", status: 200, body: {} });
    await expect(
      passwordResetPolicyProvider.create(inputs({ methodsRequired: 2, notifications: { users: false, admins: true } })),
    ).rejects.toThrow(
      "PasswordResetPolicy: the tenant did not take the change (read back after writing): methodsRequired: wanted 2, " +
        'tenant has 1; notifications: wanted {"users":false,"admins":true}, tenant has {"users":true,"admins":false}',
    );
  });

  it("surfaces a portal error instead of treating the object as absent", async () => {
    lab.emulator.addFault({ method: "GET", path: "/api/PasswordReset/PasswordResetPolicies", status: 403 });
    await expect(
      passwordResetPolicyProvider.read("id", { ...inputs({ methodsRequired: 2 }), snapshot: {}, current: {} }),
    ).rejects.toThrow(/403/);
  });
});
