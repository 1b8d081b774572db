/**
 * The people of the default tenant: MOS (munyakazi.org, 23 staff, cloud only), their groups, directory roles,
 * registered authentication methods, the tenant's subscription and its organization object. Names, numbers and
 * who registered what are assumed (a plausible small organisation); the shapes name their sources:
 *
 * - [GD-User]   Graph docs v1.0 `user` resource (default `GET /users` properties; `accountEnabled`, `mail`,
 *               `onPremisesSyncEnabled` ("null if this object has never been synced"), `userType`).
 * - [GD-Email]  Graph docs v1.0 `emailAuthenticationMethod` (fixed id `3ddfcfc8-9383-446f-83cc-3ab9be4be18f`).
 * - [GD-Phone]  Graph docs v1.0 `phoneAuthenticationMethod` (ids per phoneType: mobile `3179e48a-...`,
 *               alternateMobile `b6332ec1-...`, office `e37fc753-...`; `smsSignInState`).
 * - [GD-MSAuth] Graph docs v1.0 `microsoftAuthenticatorAuthenticationMethod` (displayName, deviceTag, phoneAppVersion).
 * - [GD-Role]   Graph docs v1.0 `directoryRole` (id, displayName, description, roleTemplateId); template ids from
 *               Learn "Microsoft Entra built-in roles".
 * - [GD-Sku]    Graph docs v1.0 `subscribedSku-list` sample shape; SKU and service-plan ids from Learn "Product
 *               names and service plan identifiers for licensing" (SPB = Microsoft 365 Business Premium, which
 *               includes AAD_PREMIUM = Entra ID P1).
 * - [GD-Org]    Graph docs v1.0 `organization` resource (verifiedDomains, onPremisesSyncEnabled).
 */
import type { DirectoryGroup, DirectoryUser, JsonObject } from "../types";

export const adminUserId = "0b6d7f1e-2c4a-4d8b-9e3f-7a1b2c3d4e5f";
export const vogelUserId = "3c9e5a21-7f4b-4c1d-8a6e-9b2f0d1c3e47";
export const okaforUserId = "8f2a4c6e-1b3d-4f5a-9c7e-2d4f6a8b0c13";
export const pilotGroupId = "5a8c1e3f-6b2d-4e7a-9f1c-3d5b7a9e2c04";
export const financeGroupId = "cbcfbb00-5f66-5509-982c-18fa15d312b9";

/** Fixed method ids ([GD-Email], [GD-Phone]; the password method's from Graph docs `passwordAuthenticationMethod`). */
export const methodIds = {
  email: "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
  mobile: "3179e48a-750b-4051-897c-87b9720928f7",
  alternateMobile: "b6332ec1-7057-4abe-9331-3d72feddfe41",
  office: "e37fc753-ff3b-4958-9484-eaa9425c82bc",
  password: "28c10230-6103-485e-b985-444c60001490",
};

/** Directory role template ids ([GD-Role]). */
export const roleTemplates = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
};

/** SKU and service plans ([GD-Sku]). */
export const skus = {
  businessPremium: { skuId: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", skuPartNumber: "SPB" },
  entraIdP1Plan: { servicePlanId: "41781fb2-bc02-4b7c-bd55-b576c07bb09d", servicePlanName: "AAD_PREMIUM" },
  entraIdP2Plan: { servicePlanId: "eec0eb4f-6444-4f95-aba0-50c24d67f998", servicePlanName: "AAD_PREMIUM_P2" },
};

type Registered = "email" | "mobile" | "alternateMobile" | "office" | "authenticator" | "softwareOath";

interface Person {
  id: string;
  alias: string;
  givenName: string;
  surname: string;
  jobTitle: string;
  /** `undefined`: a mailbox at the UPN; `null`: no mailbox (no `mail`). */
  mail?: null;
  registered: Registered[];
  displayName?: string;
}

const domain = "munyakazi.org";

/**
 * 23 accounts. Who registered what gives, once the runbook (scope All, 2 methods, email and mobile phone) is
 * applied: 19 can reset; l.okafor never registered, t.nkurunziza registered only a mobile phone, k.schneider an
 * email and an office phone (not offered), r.hoffmann only the Authenticator app (not offered).
 */
const people: Person[] = [
  // The existing ids and UPNs of the first three are kept (tests and the pilot example use them).
  {
    id: adminUserId,
    alias: "admin",
    givenName: "Tenant",
    surname: "Admin",
    jobTitle: "IT administration account",
    mail: null,
    registered: ["authenticator", "mobile"],
    displayName: "Tenant Admin",
  },
  {
    id: vogelUserId,
    alias: "c.vogel",
    givenName: "Clara",
    surname: "Vogel",
    jobTitle: "Programme Officer",
    registered: ["email", "mobile"],
  },
  { id: okaforUserId, alias: "l.okafor", givenName: "Lena", surname: "Okafor", jobTitle: "Accountant", registered: [] },
  {
    id: "b881d5b0-0715-5743-801b-01d405ff43f0",
    alias: "j.mukamana",
    givenName: "Jeanne",
    surname: "Mukamana",
    jobTitle: "Operations Manager",
    registered: ["email", "mobile", "authenticator"],
  },
  {
    id: "02d7b7af-32f8-5da0-a76f-0d60a8505d1c",
    alias: "e.habimana",
    givenName: "Eric",
    surname: "Habimana",
    jobTitle: "IT Support",
    registered: ["email", "mobile"],
  },
  {
    id: "730d5b70-ea81-56b5-8895-cdaab4e80518",
    alias: "a.uwase",
    givenName: "Aline",
    surname: "Uwase",
    jobTitle: "Finance Lead",
    registered: ["email", "mobile"],
  },
  {
    id: "7f902769-53ec-5a59-9859-18dcbc296ebc",
    alias: "p.niyonzima",
    givenName: "Patrick",
    surname: "Niyonzima",
    jobTitle: "Finance Assistant",
    registered: ["email", "mobile"],
  },
  {
    id: "9cab3972-389d-5d23-b533-7f08d2679be9",
    alias: "s.keller",
    givenName: "Sophie",
    surname: "Keller",
    jobTitle: "Executive Director",
    registered: ["email", "mobile"],
  },
  {
    id: "aca8f6fd-97a4-5583-a191-d9600ecb191b",
    alias: "m.brandt",
    givenName: "Markus",
    surname: "Brandt",
    jobTitle: "Programme Manager",
    registered: ["email", "mobile"],
  },
  {
    id: "52df77b4-ba6f-5080-930a-63b40ab4d013",
    alias: "d.ingabire",
    givenName: "Diane",
    surname: "Ingabire",
    jobTitle: "Field Coordinator",
    registered: ["email", "mobile"],
  },
  {
    id: "2f950fc1-0a88-5f3b-ac9e-7cebde24eee3",
    alias: "t.nkurunziza",
    givenName: "Thierry",
    surname: "Nkurunziza",
    jobTitle: "Driver",
    registered: ["mobile"],
  },
  {
    id: "ee19347d-e2bc-5218-9771-82e4eb10f4c5",
    alias: "g.mutesi",
    givenName: "Grace",
    surname: "Mutesi",
    jobTitle: "Communications Officer",
    registered: ["email", "mobile"],
  },
  {
    id: "376f6f3f-aaa5-54ae-a099-203c8c2fafad",
    alias: "k.schneider",
    givenName: "Katrin",
    surname: "Schneider",
    jobTitle: "Grants Officer",
    registered: ["email", "office"],
  },
  {
    id: "79212cbf-94b4-5819-9c52-0d82107f0f95",
    alias: "o.bizimana",
    givenName: "Olivier",
    surname: "Bizimana",
    jobTitle: "Logistics Officer",
    registered: ["email", "mobile"],
  },
  {
    id: "f82d0efa-49bd-578c-8d2a-29d1baa75756",
    alias: "f.umutoni",
    givenName: "Francoise",
    surname: "Umutoni",
    jobTitle: "HR Officer",
    registered: ["email", "mobile"],
  },
  {
    id: "dce84184-ed41-5817-b1af-9be8ce17b519",
    alias: "r.hoffmann",
    givenName: "Ralf",
    surname: "Hoffmann",
    jobTitle: "Monitoring and Evaluation",
    registered: ["authenticator"],
  },
  {
    id: "e7ee10ec-dac4-52fa-b19a-30a7a63343f8",
    alias: "n.uwimana",
    givenName: "Noella",
    surname: "Uwimana",
    jobTitle: "Receptionist",
    registered: ["email", "mobile"],
  },
  {
    id: "6268dcdf-9200-59c2-922b-000e224708e7",
    alias: "b.weber",
    givenName: "Benjamin",
    surname: "Weber",
    jobTitle: "Data Analyst",
    registered: ["email", "mobile", "softwareOath"],
  },
  {
    id: "95fa7e49-92bf-5add-a846-0d1831077030",
    alias: "c.iradukunda",
    givenName: "Claude",
    surname: "Iradukunda",
    jobTitle: "Community Liaison",
    registered: ["email", "mobile"],
  },
  {
    id: "ac962f46-02a6-5ca9-93a4-806682b4f717",
    alias: "h.mugisha",
    givenName: "Hope",
    surname: "Mugisha",
    jobTitle: "Project Assistant",
    registered: ["email", "mobile"],
  },
  {
    id: "4a869ef1-ddf6-586b-b1a9-47486cdc88a5",
    alias: "y.fischer",
    givenName: "Yvonne",
    surname: "Fischer",
    jobTitle: "Board Secretary",
    registered: ["email", "mobile"],
  },
  {
    id: "b1596888-47d5-5f4a-9bb0-f3465f70aeb9",
    alias: "i.kamanzi",
    givenName: "Innocent",
    surname: "Kamanzi",
    jobTitle: "Procurement Officer",
    registered: ["email", "mobile"],
  },
  {
    id: "5775fe59-1a44-5b08-8ab2-2a38fdcf81f8",
    alias: "v.ndayisaba",
    givenName: "Valentin",
    surname: "Ndayisaba",
    jobTitle: "Auditor",
    registered: ["email", "mobile"],
  },
];

const upn = (person: Person): string => `${person.alias}@${domain}`;

export function defaultUsers(): DirectoryUser[] {
  return people.map((person) => ({
    // [GD-User]: the default `GET /users` properties, then those readiness needs to $select.
    id: person.id,
    businessPhones: [],
    displayName: person.displayName ?? `${person.givenName} ${person.surname}`,
    givenName: person.givenName,
    jobTitle: person.jobTitle,
    mail: person.mail === null ? null : upn(person),
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: person.surname,
    userPrincipalName: upn(person),
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    userType: "Member",
  }));
}

export function defaultGroups(): DirectoryGroup[] {
  const group = (id: string, displayName: string, description: string, mailNickname: string): DirectoryGroup => ({
    id,
    createdDateTime: "2025-01-15T09:00:00Z",
    description,
    displayName,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname,
    securityEnabled: true,
  });
  return [
    group(
      pilotGroupId,
      "Password reset pilot",
      "Users who try self-service password reset first",
      "password-reset-pilot",
    ),
    group(financeGroupId, "Finance", "The finance team", "finance"),
  ];
}

/** The pilot holds c.vogel and, nested, the Finance group (so its transitive members are four people). */
export function defaultGroupMembers(): Record<string, string[]> {
  return {
    [pilotGroupId]: [vogelUserId, financeGroupId],
    [financeGroupId]: ["730d5b70-ea81-56b5-8895-cdaab4e80518", "7f902769-53ec-5a59-9859-18dcbc296ebc", okaforUserId],
  };
}

/** A deterministic phone number per person (Rwandan mobile format), so shapes are realistic and stable. */
function phoneNumber(index: number, office: boolean): string {
  return office ? `+250 252 500 ${String(100 + index)}` : `+250 788 ${String(100000 + index * 7919).slice(-6)}`;
}

export function defaultAuthenticationMethods(): Record<string, JsonObject[]> {
  const methods: Record<string, JsonObject[]> = {};
  people.forEach((person, index) => {
    methods[person.id] = person.registered.map((kind): JsonObject => {
      switch (kind) {
        case "email":
          // assumed: a private address, as users register for reset (not their own mailbox).
          return {
            "@odata.type": "#microsoft.graph.emailAuthenticationMethod",
            id: methodIds.email,
            emailAddress: `${person.givenName.toLowerCase()}.${person.surname.toLowerCase()}@example.net`,
          };
        case "mobile":
        case "alternateMobile":
        case "office":
          return {
            "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
            id: methodIds[kind],
            phoneNumber: phoneNumber(index, kind === "office"),
            phoneType: kind,
            smsSignInState: "notAllowedByPolicy",
          };
        case "authenticator":
          return {
            "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
            id: `a0000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
            displayName: index % 2 === 0 ? "iPhone 15" : "Galaxy A54",
            deviceTag: "SoftwareTokenActivated",
            phoneAppVersion: "6.8.16",
            createdDateTime: "2025-02-03T08:30:00Z",
          };
        case "softwareOath":
          return {
            "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod",
            id: `b0000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
            secretKey: null,
          };
      }
    });
  });
  return methods;
}

const roleIds = {
  globalAdministrator: "383f95bb-55c6-52b2-b391-d41a1e747588",
  userAdministrator: "84388011-bf18-51c0-9818-22fb8f1ef414",
  helpdeskAdministrator: "b80e4ece-2fb7-53fc-83a0-f00d2ac96d89",
  globalReader: "b55547c7-b868-554e-851b-ea17093c538d",
};

export function defaultDirectoryRoles(): JsonObject[] {
  const role = (key: keyof typeof roleIds, displayName: string, description: string): JsonObject => ({
    id: roleIds[key],
    deletedDateTime: null,
    description,
    displayName,
    roleTemplateId: roleTemplates[key],
  });
  return [
    role(
      "globalAdministrator",
      "Global Administrator",
      "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
    ),
    role(
      "userAdministrator",
      "User Administrator",
      "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
    ),
    role(
      "helpdeskAdministrator",
      "Helpdesk Administrator",
      "Can reset passwords for non-administrators and Helpdesk Administrators.",
    ),
    role(
      "globalReader",
      "Global Reader",
      "Can read everything that a Global Administrator can, but not update anything.",
    ),
  ];
}

/** The account `admin@` has no mailbox: the administrator "without a mail address" of the runbook's table. */
export function defaultDirectoryRoleMembers(): Record<string, string[]> {
  return {
    [roleIds.globalAdministrator]: [adminUserId],
    [roleIds.userAdministrator]: ["b881d5b0-0715-5743-801b-01d405ff43f0"],
    [roleIds.helpdeskAdministrator]: ["02d7b7af-32f8-5da0-a76f-0d60a8505d1c"],
    [roleIds.globalReader]: ["5775fe59-1a44-5b08-8ab2-2a38fdcf81f8"],
  };
}

export function defaultSubscribedSkus(tenantId: string): JsonObject[] {
  return [
    {
      // [GD-Sku] shape; 25 seats bought, 23 used (assumed).
      accountId: tenantId,
      accountName: "Munyakazi Organisational Services",
      appliesTo: "User",
      capabilityStatus: "Enabled",
      consumedUnits: 23,
      id: `${tenantId}_${skus.businessPremium.skuId}`,
      prepaidUnits: { enabled: 25, lockedOut: 0, suspended: 0, warning: 0 },
      servicePlans: [
        { ...skus.entraIdP1Plan, provisioningStatus: "Success", appliesTo: "User" },
        {
          servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
          servicePlanName: "EXCHANGE_S_STANDARD",
          provisioningStatus: "Success",
          appliesTo: "User",
        },
      ],
      skuId: skus.businessPremium.skuId,
      skuPartNumber: skus.businessPremium.skuPartNumber,
      subscriptionIds: ["5d1f3a2b-8c7e-4f6a-9b0d-1e2f3a4b5c6d"],
    },
  ];
}

export function defaultOrganization(tenantId: string): JsonObject {
  return {
    // [GD-Org] shape; a cloud-only tenant with its custom domain verified.
    id: tenantId,
    displayName: "Munyakazi Organisational Services",
    countryLetterCode: "RW",
    onPremisesSyncEnabled: null,
    onPremisesLastSyncDateTime: null,
    tenantType: "AAD",
    verifiedDomains: [
      {
        capabilities: "Email, OfficeCommunicationsOnline",
        isDefault: true,
        isInitial: false,
        name: domain,
        type: "Managed",
      },
      {
        capabilities: "Email, OfficeCommunicationsOnline",
        isDefault: false,
        isInitial: true,
        name: "munyakazi.onmicrosoft.com",
        type: "Managed",
      },
    ],
  };
}
