import { checkObject, validateCommon, validateEndpoint } from "../../../provider/objects/inputChecks";
import { unknownValue } from "../../../provider/objects/jsonValues";
import type { CheckFailure } from "../../../provider/objects/singletonSpec";

describe("common input checks", () => {
  it("checkObject reports missing and unknown members", () => {
    const failures: CheckFailure[] = [];
    expect(checkObject("x", { a: 1, z: 2 }, ["a", "b"], ["a", "b"], failures)).toEqual({ a: 1, z: 2 });
    expect(failures).toEqual([
      { property: "x.b", reason: "x.b is missing; it is required" },
      { property: "x.z", reason: "x.z is not known; allowed: a, b" },
    ]);
  });

  it("accepts https endpoints and plain http only on loopback", () => {
    expect(validateEndpoint("endpoints.graph", "https://graph.microsoft.com")).toEqual([]);
    expect(validateEndpoint("endpoints.graph", "http://127.0.0.1:8080")).toEqual([]);
    expect(validateEndpoint("endpoints.graph", "http://graph.example.com")).toHaveLength(1);
    expect(validateEndpoint("endpoints.graph", "https://graph.microsoft.com/?x=1")).toHaveLength(1);
  });

  it("never echoes user info of an endpoint", () => {
    const [problem] = validateEndpoint("endpoints.portal", "https://user:hunter2@example.com");
    expect(problem.property).toBe("endpoints.portal");
    expect(problem.reason).not.toContain("hunter2");
  });

  it("lists every problem at once and refuses unknown inputs without echoing their values", () => {
    const failures = validateCommon(
      {
        tenantId: "",
        endpoints: { graph: "ftp://x", portal: "https://main.iam.ad.ext.azure.com/api", extra: 1 },
        onDelete: "reset",
        token: "eyJ",
      },
      ["allowedToUseSSPR"],
      false,
    );
    expect(failures.map((failure) => failure.property)).toEqual([
      "tenantId",
      "endpoints.graph",
      "endpoints.extra",
      "onDelete",
      "token",
    ]);
    expect(failures.find((failure) => failure.property === "onDelete")?.reason).toBe(
      'onDelete is "reset"; allowed: "restore", "retain"',
    );
    expect(JSON.stringify(failures)).not.toContain("eyJ");
  });

  it("skips values that are still unknown during preview", () => {
    expect(
      validateCommon({ tenantId: unknownValue, endpoints: unknownValue, onDelete: unknownValue }, [], true),
    ).toEqual([]);
  });
});
