/**
 * Issue 27: security questions and administrators get people lines, by the general rule (scope, who registered what,
 * the administrator policy, Microsoft's calendar), not one tenant's example. Pure.
 */
import { calendarWith, dayBefore, entryOf } from "../../components/calendar";
import {
  plannedPortalPeopleEffects,
  portalPeopleEffects,
  type TenantPeople,
} from "../../components/portalPeopleEffects";
import type { PersonRecord, TenantSnapshot } from "../../components/readiness/readinessTypes";
import type { OnDay } from "../../components/methodCatalogue";

const pilotId = "6f1c2a40-0000-4000-8000-000000000001";
const groups = { [pilotId]: { displayName: "Finance", memberCount: 2, members: ["a@x.org", "b@x.org"] } };
const people: TenantPeople = {
  users: [
    {
      userPrincipalName: "a@x.org",
      registered: ["securityQuestion", "email"],
      groupIds: [pilotId],
      isAdministrator: false,
    },
    { userPrincipalName: "b@x.org", registered: ["email"], groupIds: [pilotId], isAdministrator: false },
    { userPrincipalName: "c@x.org", registered: ["securityQuestion"], groupIds: [], isAdministrator: false },
    { userPrincipalName: "boss@x.org", registered: ["securityQuestion"], groupIds: [pilotId], isAdministrator: true },
  ],
  rolesKnown: true,
  administratorMethods: 1,
  administratorsCanReset: 0,
};
const questions = (on: boolean) => ({ securityQuestionsOptionEnabled: on, securityQuestionsOptionAllowed: true });
const day = (date: string, calendar = calendarWith({})): OnDay => ({ date: new Date(`${date}T00:00:00Z`), calendar });
const end = entryOf("security-questions-end");

describe("security questions", () => {
  it("switched on for a Selected group: only its members are counted, never an administrator; until the calendar's last day", () => {
    const on = day("2026-06-01");
    const effects = portalPeopleEffects(
      { portal: questions(false), scope: { kind: "group", id: pilotId } },
      { portal: questions(true), scope: { kind: "group", id: pilotId } },
      groups,
      people,
      on,
    );
    expect(effects.lines[0]).toBe(
      "Security questions: group 'Finance' (2 members: a@x.org and b@x.org) can now use them to reset their password " +
        `(SSPR) until ${dayBefore(end.date)} (${end.sources[0].url}); only for password reset: never a second factor, ` +
        "never to sign in, never for administrators. 1 user SSPR reaches has registered them (a@x.org); 1 more user " +
        "outside the scope has too.",
    );
    expect(effects.warnings).toEqual([]);
  });

  it("the calendar's date moved: the retirement follows the calendar, not a date written in the code", () => {
    const moved = calendarWith({ "security-questions-end": "2026-05-01" });
    const effects = portalPeopleEffects(
      { portal: questions(true), scope: { kind: "all" } },
      { portal: questions(false), scope: { kind: "all" } },
      {},
      people,
      day("2026-06-01", moved),
    );
    expect(effects.lines[0]).toBe(
      `Security questions: switched off; they no longer serve password reset since 1 May 2026: ${end.title} ` +
        `(${end.sources[0].url}), so nobody loses a way to reset.`,
    );
    expect(effects.warnings).toEqual([]);
  });

  it("switched off while they serve: the users who registered them are named and warned about", () => {
    const effects = portalPeopleEffects(
      { portal: questions(true), scope: { kind: "all" } },
      { portal: questions(false), scope: { kind: "all" } },
      {},
      people,
      day("2026-06-01"),
    );
    expect(effects.warnings).toEqual([
      "Security questions: all users can no longer use them to reset their password (SSPR). 2 users SSPR reaches " +
        "have registered them (a@x.org and c@x.org): they need another method offered to them.",
    ]);
  });
});

describe("administrators", () => {
  it("a tenant on the one-method administrator policy, allowed before and after: said with its count", () => {
    const auth = { allowedToUseSSPR: true };
    const effects = portalPeopleEffects(
      { authorizationPolicy: auth, portal: questions(false), scope: { kind: "none" } },
      { authorizationPolicy: auth, portal: questions(false), scope: { kind: "none" } },
      {},
      people,
    );
    expect(effects.lines).toContain(
      "Administrators: unchanged: 1 administrator (boss@x.org) reset their own password under the administrator " +
        "policy: 1 method of their own, never security questions, whatever the SSPR scope and the methods the stack " +
        "offers (allowedToUseSSPR true); 0 of 1 can reset now.",
    );
  });

  it("roles not readable: the line says who they are is not known, and no count is claimed", () => {
    const effects = portalPeopleEffects(
      { authorizationPolicy: { allowedToUseSSPR: true }, scope: { kind: "all" } },
      { authorizationPolicy: { allowedToUseSSPR: false }, scope: { kind: "all" } },
      {},
      { ...people, rolesKnown: false },
    );
    expect(effects.warnings).toEqual([
      "Administrators: administrators (who they are is not known: directory roles could not be read) can no longer " +
        "reset their own password (allowedToUseSSPR false); another administrator must reset it for them.",
    ]);
  });
});

describe("the SSPR scope", () => {
  it("All to a Selected group: who leaves it is counted and warned about, administrators are judged apart", () => {
    const effects = portalPeopleEffects(
      { scope: { kind: "all" } },
      { scope: { kind: "group", id: pilotId } },
      groups,
      people,
    );
    expect(effects.lines[0]).toBe(
      "Password reset (SSPR scope): all users could reset before; after, only group 'Finance' (2 members: " +
        "a@x.org and b@x.org) can; administrators are judged apart (administrator policy).",
    );
    expect(effects.warnings).toEqual([
      "Password reset (SSPR scope): 1 user leaves it and can no longer reset (c@x.org).",
    ]);
  });
});

describe("the preview: the stack's settings planned on the tenant as read", () => {
  const person = (upn: string, extra: Partial<PersonRecord> = {}): PersonRecord => ({
    id: upn,
    userPrincipalName: upn,
    displayName: upn,
    accountEnabled: true,
    mail: null,
    onPremisesSyncEnabled: false,
    userType: "Member",
    groupIds: [],
    roles: [],
    registered: [],
    ...extra,
  });
  const snapshot: TenantSnapshot = {
    tenantId: "x.org",
    portal: { enablementType: 2, securityQuestionsOptionEnabled: true, securityQuestionsOptionAllowed: true },
    authorizationPolicy: { allowedToUseSSPR: true },
    organization: { verifiedDomains: [{ name: "x.org" }] },
    groupNames: {},
    missingGroupIds: [],
    membershipsKnown: true,
    rolesKnown: true,
    administrators: [],
    users: [
      person("q@x.org", { registered: ["securityQuestion", "email"] }),
      person("boss@x.org", { roles: [{ id: "r", displayName: "Global Administrator" }], registered: ["email"] }),
    ],
    registrationSource: "report",
    batchRequests: 0,
    problems: [],
  };

  it("questions turned off and administrators refused by the stack: both said, counted, and warned about", () => {
    const effects = plannedPortalPeopleEffects(
      snapshot,
      { scope: "all", methods: { securityQuestions: false }, administrators: { allowed: false } },
      day("2026-06-01"),
    );
    expect(effects.warnings).toEqual([
      "Security questions: all users can no longer use them to reset their password (SSPR). 1 user SSPR reaches has " +
        "registered them (q@x.org): they need another method offered to them.",
      "Administrators: 1 administrator (boss@x.org) can no longer reset their own password (allowedToUseSSPR false); " +
        "another administrator must reset it for them.",
    ]);
  });

  it("settings the stack leaves alone stay as read: no change is claimed", () => {
    const effects = plannedPortalPeopleEffects(snapshot, { scope: "all" }, day("2026-06-01"));
    expect(effects.warnings).toEqual([]);
    expect(effects.lines[0]).toMatch(/^Security questions: unchanged, on for all users/);
    expect(effects.lines[1]).toMatch(/^Administrators: unchanged: 1 administrator \(boss@x\.org\) reset .*2 methods/);
  });
});

describe("security questions nobody registered", () => {
  it("switched off: nobody is told they need another method, and no warning is raised for nobody", () => {
    const nobody: TenantPeople = { ...people, users: people.users.map((user) => ({ ...user, registered: [] })) };
    const effects = portalPeopleEffects(
      { portal: questions(true), scope: { kind: "all" } },
      { portal: questions(false), scope: { kind: "all" } },
      {},
      nobody,
      day("2026-06-01"),
    );
    expect(effects.lines[0]).toBe(
      "Security questions: all users can no longer use them to reset their password (SSPR). No user SSPR reaches " +
        "has registered them.",
    );
    expect(effects.warnings).toEqual([]);
  });
});
