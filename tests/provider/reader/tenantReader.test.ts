/**
 * The tenant reader's own rules, against the emulator and a scripted client: each object is read at its path with
 * the permission the permission list names, answers are decoded in admin-center words, and paging follows Graph's
 * link only on the configured endpoint.
 */
import { createEntraClient } from "../../../provider/http/client";
import { permissionList } from "../../../provider/grants/grants";
import {
  nextLinkPath,
  readCollection,
  readPermission,
  readSsprDocuments,
  readTenantObject,
  tenantObjects,
} from "../../../provider/reader/tenantReader";
import { ssprScopeOf } from "../../../lib/tenantCodecs";
import { useEmulator } from "../../support/emulator";
import { scripted } from "../../support/scriptedClient";

const lab = useEmulator();

it("names the permission the permission list gives each object's read", () => {
  expect(readPermission("authenticationMethodsPolicy")).toBe(permissionList.methodsRead.permissions[0]);
  expect(readPermission("authorizationPolicy")).toBe(permissionList.administratorsRead.permissions[0]);
  expect(readPermission("passwordResetPolicy")).toBe("Authentication Policy Administrator");
});

it("reads the three SSPR documents with GETs only, one each, at the objects' paths", async () => {
  const documents = await readSsprDocuments(createEntraClient(lab.target));
  expect(documents.portal).toMatchObject({ enablementType: lab.seeded.passwordResetPolicies.enablementType });
  expect(documents.authorizationPolicy).toHaveProperty("allowedToUseSSPR");
  expect(Array.isArray(documents.methodsPolicy.authenticationMethodConfigurations)).toBe(true);
  const sent = lab.emulator
    .requests()
    .map((entry) => `${entry.method} ${entry.path}`)
    .sort();
  expect(sent).toEqual(
    [
      // The emulator logs the path without its query.
      `GET /api${tenantObjects.passwordResetPolicy.path}`,
      `GET ${tenantObjects.authenticationMethodsPolicy.path}`,
      `GET ${tenantObjects.authorizationPolicy.path}`,
    ].sort(),
  );
});

it("refuses an answer that is not a JSON object, naming the object", async () => {
  const { client } = scripted(() => "<html>");
  await expect(readTenantObject(client, "passwordResetPolicy")).rejects.toThrow(
    "GET /PasswordReset/PasswordResetPolicies (the password reset policy) did not return a JSON object",
  );
});

it("decodes the portal's scope once: enablementType, the group and its name", () => {
  const id = "5d3c2b1a-0f9e-4d8c-b7a6-958473625140";
  expect(
    ssprScopeOf({ enablementType: 1, passwordResetEnabledGroupIds: [id], passwordResetEnabledGroupName: "P" }),
  ).toEqual({ enablement: "selected", groupIds: [id], groupName: "P" });
  expect(ssprScopeOf({ enablementType: 2, passwordResetEnabledGroupName: "" })).toEqual({
    enablement: "all",
    groupIds: [],
  });
  expect(ssprScopeOf({ enablementType: 7 }).enablement).toBe("enablementType 7");
  expect(ssprScopeOf(undefined).enablement).toBeNull();
});

describe("paging", () => {
  it("keeps the path and query of Graph's link, so the token only goes to the configured endpoint", () => {
    expect(nextLinkPath("https://graph.microsoft.com/v1.0/users?$top=999&$skiptoken=X")).toBe(
      "/v1.0/users?$top=999&$skiptoken=X",
    );
    expect(() => nextLinkPath("https://elsewhere.example/steal?token=1")).toThrow("unexpected @odata.nextLink");
  });

  it("reads every page of a collection", async () => {
    const { client, sent } = scripted((request) =>
      request.path.includes("skiptoken")
        ? { value: [{ id: "b" }] }
        : { value: [{ id: "a" }], "@odata.nextLink": "https://graph.microsoft.com/v1.0/groups/g/members?$skiptoken=1" },
    );
    expect(await readCollection(client, "/v1.0/groups/g/members", "GroupMember.Read.All")).toEqual([
      { id: "a" },
      { id: "b" },
    ]);
    expect(sent.map((request) => request.path)).toEqual([
      "/v1.0/groups/g/members",
      "/v1.0/groups/g/members?$skiptoken=1",
    ]);
  });
});
