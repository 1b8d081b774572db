import {
  administratorResetQuery,
  kqlString,
  settingsChangedQuery,
  ssprAlerts,
} from "../../components/monitoringQueries";

describe("the SSPR alert queries", () => {
  it("watch the documented categories and activities of the AuditLogs table", () => {
    const byKey = Object.fromEntries(ssprAlerts().map((alert) => [alert.key, alert]));
    expect(Object.keys(byKey)).toEqual(["settings-changed", "reset-burst", "blocked-burst", "suspicious-activity"]);
    expect(byKey["settings-changed"].query).toBe(
      [
        "AuditLogs",
        '| where (Category == "ApplicationManagement" and OperationName in ("Authentication Methods Policy Update", ' +
          '"Authentication Methods Policy Reset"))',
        '    or (Category == "AuthorizationPolicy" and OperationName == "Update authorization policy")',
        "| extend Initiator = coalesce(tostring(InitiatedBy.user.userPrincipalName), tostring(InitiatedBy.user.id), " +
          "tostring(InitiatedBy.app.servicePrincipalId), tostring(InitiatedBy.app.displayName))",
        "| project TimeGenerated, OperationName, Initiator, Result, TargetResources",
      ].join("\n"),
    );
    expect(byKey["reset-burst"].query).toContain(
      '| where Category == "UserManagement" and OperationName == "Reset password (self-service)"',
    );
    expect(byKey["blocked-burst"].query).toContain(
      '| where Category == "UserManagement" and OperationName == "Blocked from self-service password reset"',
    );
    expect(byKey["suspicious-activity"].query).toContain(
      'OperationName in ("Suspicious activity reported", "Fraud reported - user is blocked for MFA", ' +
        '"Fraud reported - no action taken")',
    );
    for (const alert of Object.values(byKey)) expect(alert.query.startsWith("AuditLogs\n")).toBe(true);
  });

  it("take the burst thresholds from the config, with defaults", () => {
    const thresholds = (options: Parameters<typeof ssprAlerts>[0]) =>
      Object.fromEntries(ssprAlerts(options).map((alert) => [alert.key, alert.threshold]));
    expect(thresholds({})).toMatchObject({ "reset-burst": 10, "blocked-burst": 3, "settings-changed": 1 });
    expect(thresholds({ resetBurstPerHour: 25, blockedBurstPerHour: 5 })).toMatchObject({
      "reset-burst": 25,
      "blocked-burst": 5,
    });
  });

  it("leave the stack's own deployers out of the drift alert", () => {
    const query = settingsChangedQuery(["ci@munyakazi.org", "7c1f9a4e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"]);
    expect(query).toContain(
      '| where Initiator !in~ ("ci@munyakazi.org", "7c1f9a4e-2b3d-4e5f-8a9b-0c1d2e3f4a5b") and ' +
        'tostring(InitiatedBy.user.id) !in~ ("ci@munyakazi.org", "7c1f9a4e-2b3d-4e5f-8a9b-0c1d2e3f4a5b")',
    );
    expect(settingsChangedQuery()).not.toContain("!in~");
  });

  it("watch named administrators' own resets only when administrators are named", () => {
    expect(ssprAlerts({ administrators: [] }).map((alert) => alert.key)).not.toContain("administrator-reset");
    const alert = ssprAlerts({ administrators: ["admin@munyakazi.org"] }).find(
      (candidate) => candidate.key === "administrator-reset",
    );
    expect(alert?.query).toBe(administratorResetQuery(["admin@munyakazi.org"]));
    expect(alert?.query).toContain('| where Target in~ ("admin@munyakazi.org")');
    expect(alert?.severity).toBe(1);
  });

  it("quote values so a name cannot break out of the string", () => {
    expect(kqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});
