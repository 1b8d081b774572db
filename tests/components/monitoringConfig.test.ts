import { componentArgsProblems, parseStackConfig } from "../../components/config";

const subscriptionId = "0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a1b";

function stack(monitoring: unknown): Record<string, unknown> {
  return {
    tenantId: "munyakazi.org",
    sspr: {
      scope: "all",
      methodsRequired: 1,
      methods: { email: true },
      registration: { requireOnSignIn: true, reconfirmDays: 180 },
      notifications: { users: true, admins: true },
    },
    ...(monitoring === undefined ? {} : { monitoring }),
  };
}

const valid = {
  subscriptionId,
  resourceGroup: "rg-sspr-monitoring",
  location: "westeurope",
  workspace: { name: "law-sspr-munyakazi" },
  notify: ["it@munyakazi.org"],
};

describe("entra-sspr:monitoring", () => {
  it("is optional, and reaches the component args as given", () => {
    const without = parseStackConfig(stack(undefined));
    expect(without.ok && without.args.monitoring).toBe(undefined);
    const withIt = parseStackConfig(
      stack({ ...valid, administrators: ["admin@munyakazi.org"], resetBurstPerHour: 20 }),
    );
    expect(withIt).toEqual({
      ok: true,
      args: expect.objectContaining({
        monitoring: { ...valid, administrators: ["admin@munyakazi.org"], resetBurstPerHour: 20 },
      }),
    });
  });

  it("reports every problem at once, naming the key, the value and what is allowed", () => {
    const result = parseStackConfig(
      stack({
        subscriptionId: "prod",
        resourceGroup: "rg/bad",
        location: "West Europe",
        workspace: { name: "x" },
        notify: [],
        administrators: ["not-an-upn"],
        resetBurstPerHour: 0,
        alertEmail: "it@munyakazi.org",
      }),
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'entra-sspr:monitoring.subscriptionId: "prod" is not allowed; expected the subscription id (a GUID)',
        'entra-sspr:monitoring.resourceGroup: "rg/bad" is not allowed; expected an Azure resource group name ' +
          "(1-90 letters, digits, ._-() characters)",
        'entra-sspr:monitoring.location: "West Europe" is not allowed; expected an Azure region name such as westeurope',
        "entra-sspr:monitoring.notify: [] is not allowed; expected at least one email address",
        'entra-sspr:monitoring.administrators[0]: "not-an-upn" is not allowed; expected a user principal name such ' +
          "as admin@munyakazi.org",
        "entra-sspr:monitoring.resetBurstPerHour: 0 is not allowed; expected an integer from 1 to 1000",
        expect.stringMatching(/^entra-sspr:monitoring\.alertEmail: unknown key; .*expected one of subscriptionId/),
        'entra-sspr:monitoring.workspace.name: "x" is not allowed; expected a workspace name of 4-63 letters, digits ' +
          "and hyphens",
      ]),
    );
  });

  it("refuses an existing workspace from another subscription", () => {
    const elsewhere =
      "/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-logs/providers/" +
      "Microsoft.OperationalInsights/workspaces/law-corp";
    const result = parseStackConfig(stack({ ...valid, workspace: { id: elsewhere } }));
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^entra-sspr:monitoring\.workspace\.id: "\/subscriptions\/11111111-2222-4333-8444-/);
    expect(problems[0]).toContain(
      `is not allowed; expected a workspace in subscription ${subscriptionId} (the alert rules query it from there)`,
    );
  });

  it("is checked for library use too", () => {
    const problems = componentArgsProblems({
      ...(stack(undefined).sspr as object),
      tenantId: "munyakazi.org",
      monitoring: { ...valid, notify: ["nobody"] },
    });
    expect(problems).toEqual(['args.monitoring.notify[0]: "nobody" is not allowed; expected an email address']);
  });
});
