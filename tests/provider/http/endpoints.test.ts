import {
  endpointProblem,
  isLoopbackHost,
  isLoopbackUrl,
  knownGraphHosts,
  shownEndpoint,
  tokenDestinationProblem,
} from "../../../lib/endpoints";

describe("isLoopbackHost / isLoopbackUrl", () => {
  it.each([
    ["http://127.0.0.1:4010", true],
    ["http://127.255.3.9/api", true],
    ["http://localhost:1", true],
    ["http://LOCALHOST:1", true],
    ["http://api.localhost", true],
    ["http://[::1]:8080/v1.0", true],
    ["http://127.1", true],
    ["https://graph.microsoft.com", false],
    ["http://127.0.0.1.example.com", false],
    ["http://128.0.0.1", false],
    ["http://10.0.0.1", false],
    ["http://localhost.example.com", false],
    ["not a url", false],
  ])("%s -> %s", (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });

  it("judges bare host names the same way", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "[::1]"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["128.0.0.1", "127.0.0.256", "127.0.0.1.example.org", "10.0.0.1"]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe("endpointProblem", () => {
  it("accepts https anywhere and plain http on loopback only", () => {
    expect(endpointProblem("https://graph.microsoft.com", "graph")).toBeUndefined();
    expect(endpointProblem("https://main.iam.ad.ext.azure.com/api", "portal")).toBeUndefined();
    expect(endpointProblem("http://localhost:8640", "portal")).toBeUndefined();
    expect(endpointProblem("http://[::1]:8640", "graph")).toBeUndefined();
    expect(endpointProblem("http://graph.example.com", "graph")).toMatch(/^expected https; plain http is allowed only/);
  });

  it("names what is wrong with each refused base URL", () => {
    expect(endpointProblem(42, "graph")).toBe("expected an http(s) URL such as https://graph.microsoft.com");
    expect(endpointProblem("ftp://x", "portal")).toBe(
      "expected an http(s) URL such as https://main.iam.ad.ext.azure.com/api",
    );
    expect(endpointProblem("https://graph.microsoft.com?x=1", "graph")).toBe(
      "expected a URL without query or fragment",
    );
    expect(endpointProblem("https://u:p@graph.microsoft.com", "graph")).toBe(
      "expected a URL without user name or password",
    );
    expect(endpointProblem("http://127.0.0.1:8640/beta/", "graph")).toBe(
      "expected the Graph root without version, such as https://graph.microsoft.com",
    );
    // The version rule is Graph's: a portal base may end in anything.
    expect(endpointProblem("http://127.0.0.1:8640/beta", "portal")).toBeUndefined();
  });
});

describe("known hosts: a token goes only to Microsoft's hosts of that API, or to loopback", () => {
  it("accepts the Graph roots of the public and national clouds and the portal API's host", () => {
    for (const host of [
      "graph.microsoft.com",
      "graph.microsoft.us",
      "dod-graph.microsoft.us",
      "microsoftgraph.chinacloudapi.cn",
    ]) {
      expect(endpointProblem(`https://${host}`, "graph")).toBeUndefined();
      expect(endpointProblem(`https://${host.toUpperCase()}/`, "graph")).toBeUndefined();
    }
    expect(knownGraphHosts).toHaveLength(4);
    expect(endpointProblem("https://main.iam.ad.ext.azure.com/api", "portal")).toBeUndefined();
    expect(endpointProblem("https://localhost:8443/api", "portal")).toBeUndefined();
  });

  it.each([
    ["an unknown https host", "https://graph.attacker.example", "graph"],
    ["a look-alike suffix", "https://graph.microsoft.com.attacker.example", "graph"],
    ["a look-alike prefix", "https://evilgraph.microsoft.com", "graph"],
    ["a known host on another port", "https://graph.microsoft.com:8443", "graph"],
    ["the portal host given as Graph", "https://main.iam.ad.ext.azure.com", "graph"],
    ["the Graph host given as portal", "https://graph.microsoft.com/api", "portal"],
    ["an unknown portal host", "https://portal.attacker.example/api", "portal"],
    ["a private address", "https://10.0.0.5/api", "portal"],
  ] as const)("refuses %s, listing the allowed hosts", (_title, url, api) => {
    const problem = endpointProblem(url, api);
    expect(problem).toMatch(/^expected https on a known (Microsoft Graph|portal API) host \(/);
    expect(problem).toContain(
      api === "graph" ? "graph.microsoft.com, graph.microsoft.us" : "main.iam.ad.ext.azure.com",
    );
    expect(problem).toContain("or a loopback host (127.0.0.1, localhost, [::1]) for the lab emulator");
    expect(tokenDestinationProblem(url, api)).toBe(problem);
  });

  it("judges full request URLs the same way (the HTTP layer checks the URL about to leave)", () => {
    expect(
      tokenDestinationProblem("https://graph.microsoft.com/v1.0/policies/authorizationPolicy?$select=id", "graph"),
    ).toBeUndefined();
    expect(
      tokenDestinationProblem("http://127.0.0.1:8640/api/PasswordReset/PasswordResetPolicies", "portal"),
    ).toBeUndefined();
    expect(tokenDestinationProblem("http://graph.microsoft.com/v1.0", "graph")).toBeDefined();
    expect(tokenDestinationProblem("not a url", "graph")).toBeDefined();
  });
});

describe("shownEndpoint", () => {
  it("never shows a URL that carries user info, and leaves everything else alone", () => {
    expect(shownEndpoint("https://user:hunter2@example.com")).toBe("(a URL with user info, not shown)");
    expect(shownEndpoint("https://graph.microsoft.com")).toBe("https://graph.microsoft.com");
    expect(shownEndpoint(7)).toBe(7);
    expect(shownEndpoint("not a url")).toBe("not a url");
  });
});
