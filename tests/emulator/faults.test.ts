import { checkThrottle, FaultTable, faultMatches, parseFault, parseThrottle, Throttle } from "../../emulator/faults";

describe("parseFault", () => {
  it("accepts the documented shape", () => {
    const fault = { method: "PATCH", path: "/v1.0/policies/*", status: 503, retryAfter: 2, count: 2, body: { x: 1 } };
    expect(parseFault(fault)).toEqual({ fault });
  });

  it("reports every problem at once", () => {
    expect(parseFault({ path: "v1.0", status: 700, delayMs: -1, count: 0, colour: "red" })).toEqual({
      problems: [
        'path is "v1.0"; allowed: a path starting with "/" (a trailing * matches a prefix)',
        "status is 700; allowed: an integer 100-599",
        "delayMs is -1; allowed: an integer 0-3600000",
        "count is 0; allowed: an integer 1-9007199254740991",
        expect.stringContaining("colour is not a fault property"),
      ],
    });
  });

  it("rejects faults that do nothing or contradict themselves", () => {
    expect(parseFault({ path: "/api/x" })).toEqual({
      problems: ["the fault does nothing; give status, drop: true or delayMs"],
    });
    expect(parseFault({ path: "/x", drop: true, status: 500 })).toEqual({
      problems: ["drop and status exclude each other: a dropped request gets no answer"],
    });
    expect(parseFault({ path: "/x", delayMs: 5, retryAfter: 1 })).toEqual({
      problems: ["retryAfter is only sent with a status; give status too"],
    });
  });
});

describe("faultMatches", () => {
  it("matches method and path case-insensitively, with * as a prefix wildcard", () => {
    expect(faultMatches({ path: "/v1.0/Users" }, "GET", "/v1.0/users")).toBe(true);
    expect(faultMatches({ path: "/v1.0/users", method: "patch" }, "GET", "/v1.0/users")).toBe(false);
    expect(faultMatches({ path: "/v1.0/policies/*" }, "PATCH", "/v1.0/policies/authorizationPolicy")).toBe(true);
    expect(faultMatches({ path: "/v1.0/policies" }, "GET", "/v1.0/policies/authorizationPolicy")).toBe(false);
  });
});

describe("FaultTable", () => {
  it("applies a fault to count matching requests, first added first", () => {
    const table = new FaultTable();
    table.add({ path: "/a", status: 500, count: 2 });
    table.add({ path: "/a", status: 503 });
    expect(table.take("GET", "/b")).toBeUndefined();
    expect([1, 2, 3, 4].map(() => table.take("GET", "/a")?.status)).toEqual([500, 500, 503, undefined]);
  });

  it("lets `after` matching requests through first, each fault counting every matching request", () => {
    const table = new FaultTable();
    table.add({ path: "/a", method: "GET", status: 500, after: 1, count: 2 });
    table.add({ path: "/a", status: 503, after: 3 });
    expect(table.take("PUT", "/a")?.status).toBeUndefined(); // the first fault is GET only; the second counts it
    expect([1, 2, 3, 4].map(() => table.take("GET", "/a")?.status)).toEqual([undefined, 500, 500, 503]);
    expect(table.take("GET", "/a")).toBeUndefined();
    expect(parseFault({ path: "/a", status: 500, after: -1 })).toEqual({
      problems: ["after is -1; allowed: an integer 0-9007199254740991"],
    });
  });
});

describe("Throttle", () => {
  it("refuses the request after N within S seconds and says when to retry", () => {
    const throttle = new Throttle({ requests: 2, perSeconds: 10 });
    expect(throttle.admit(0)).toEqual({ admitted: true });
    expect(throttle.admit(1000)).toEqual({ admitted: true });
    expect(throttle.admit(2000)).toEqual({ admitted: false, retryAfterSeconds: 8 });
    expect(throttle.admit(10_000)).toEqual({ admitted: true });
  });
});

describe("parseThrottle and checkThrottle", () => {
  it("parses N/S", () => {
    expect(parseThrottle("20/1")).toEqual({ requests: 20, perSeconds: 1 });
    expect(parseThrottle("5 / 0.5")).toEqual({ requests: 5, perSeconds: 0.5 });
    expect(parseThrottle("0/1")).toHaveProperty("problem");
    expect(parseThrottle("twenty")).toHaveProperty("problem");
  });

  it("checks the in-process option", () => {
    expect(checkThrottle({ requests: 1, perSeconds: 1 })).toEqual([]);
    expect(checkThrottle({ requests: 1.5, perSeconds: 0 })).toHaveLength(2);
  });
});
