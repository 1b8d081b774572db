import {
  componentArgsProblems,
  componentArgsSchema,
  knownKeysAt,
  namespaceConfig,
  parseComponentArgs,
  parseStackConfig,
} from "../../components/config";
import { maxConfigDepth, readConfigTree } from "../../components/configTree";

const attackerEndpoints = { graph: "https://graph.attacker.example", portal: "https://portal.attacker.example" };
const sspr = {
  scope: "all",
  methodsRequired: 1,
  methods: { email: "offer" },
  registration: { requireOnSignIn: true, reconfirmDays: 180 },
  notifications: { users: true, admins: true },
};

/** Pulumi's flat config map, values as JSON text like `allConfig()` gives them. */
function flat(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

/** Nested `{"a": {"a": ... 1}}` as JSON text, `depth` levels, built without recursion. */
function deepJson(depth: number): string {
  return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

function problems(config: Record<string, string>): string[] {
  const parsed = parseStackConfig(namespaceConfig(config));
  return parsed.ok ? [] : parsed.problems;
}

describe("readConfigTree", () => {
  it("copies into prototype-free maps, dropping prototype names at every level, arrays included", () => {
    const input = JSON.parse(
      '{"__proto__": {"x": 1}, "a": {"constructor": 2, "b": [{"prototype": 3, "c": 4}]}, "d": "e"}',
    ) as unknown;
    const read = readConfigTree(input, ["root"]);
    const value = read.value as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.getPrototypeOf(value.a)).toBeNull();
    expect(Object.keys(value)).toEqual(["a", "d"]);
    expect(Object.keys(value.a)).toEqual(["b"]);
    expect(JSON.parse(JSON.stringify(value))).toEqual({ a: { b: [{ c: 4 }] }, d: "e" });
    expect(read.problems).toEqual([
      { kind: "prototype-key", path: ["root", "__proto__"] },
      { kind: "prototype-key", path: ["root", "a", "constructor"] },
      { kind: "prototype-key", path: ["root", "a", "b", 0, "prototype"] },
    ]);
  });

  it("never reads an inherited value and never runs a getter", () => {
    const inherited = Object.create({ endpoints: attackerEndpoints }) as Record<string, unknown>;
    inherited.tenantId = "munyakazi.org";
    let ran = false;
    Object.defineProperty(inherited, "sspr", {
      enumerable: true,
      get: () => {
        ran = true;
        return sspr;
      },
    });
    const value = readConfigTree(inherited).value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["tenantId", "sspr"]);
    expect(value.endpoints).toBeUndefined();
    expect(value.sspr).toBeUndefined();
    expect(ran).toBe(false);
  });

  it("cuts nesting past the limit with one problem per top-level key, without a RangeError at 100,000 levels", () => {
    const input = { a: JSON.parse(deepJson(100_000)) as unknown, b: JSON.parse(deepJson(maxConfigDepth - 1)) };
    const read = readConfigTree(input);
    expect(read.problems).toEqual([{ kind: "too-deep", path: ["a", "a", "a", "a"] }]);
    expect(() => JSON.stringify(read.value)).not.toThrow();
  });

  it("lossless keeps everything (for a reader that checks again) and is still prototype-free", () => {
    const read = readConfigTree(JSON.parse('{"__proto__": {"endpoints": 1}}'), [], { lossless: true });
    const value = read.value as Record<string, unknown>;
    expect(read.problems).toEqual([]);
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(value.endpoints).toBeUndefined();
  });
});

describe("the stack config boundary", () => {
  it("namespaceConfig keeps entra-sspr:__proto__ as an own key of a prototype-free map, not as its prototype", () => {
    const raw = namespaceConfig(flat({ "entra-sspr:__proto__": { endpoints: attackerEndpoints } }));
    expect(Object.getPrototypeOf(raw)).toBeNull();
    expect(Object.keys(raw)).toEqual(["__proto__"]);
    expect(raw.endpoints).toBeUndefined();
  });

  it.each([
    ["entra-sspr:__proto__", "entra-sspr:__proto__"],
    ["entra-sspr:constructor", "entra-sspr:constructor"],
    ["entra-sspr:prototype", "entra-sspr:prototype"],
  ])("%s is an unknown key naming itself, and nothing under it is read", (key, shown) => {
    const found = problems(
      flat({
        "entra-sspr:tenantId": "munyakazi.org",
        "sspr:settings": sspr,
        [key]: { endpoints: attackerEndpoints },
      }),
    );
    expect(found).toEqual([
      `${shown}: unknown key; "${key.split(":")[1]}" is a JavaScript prototype name, never a setting, and nothing ` +
        "under it is read; expected one of entra-sspr:tenantId, sspr:settings, entra-sspr:endpoints, entra-sspr:takeOverFrom, entra-sspr:monitoring",
    ]);
    expect(found.join("\n")).not.toContain("attacker");
  });

  it("prototype names nested anywhere are reported with every other problem at once", () => {
    const found = problems(
      flat({
        "entra-sspr:tenantId": "MOS",
        "sspr:settings": JSON.stringify({
          ...sspr,
          methods: { email: "offer", constructor: true, toString: true },
          registration: { requireOnSignIn: true, reconfirmDays: 999, __proto__: { reconfirmDays: 180 } },
          group: undefined,
        }).replace('"registration":{', '"registration":{"__proto__":{"x":1},'),
        "entra-sspr:endpoints": { graph: "http://127.0.0.1:1", portal: "http://127.0.0.1:1", prototype: {} },
      }),
    );
    expect(found).toEqual([
      'sspr:settings.methods.constructor: unknown key; "constructor" is a JavaScript prototype name, never a ' +
        "setting, and nothing under it is read; expected one of email, mobilePhone, officePhone, authenticatorApp, " +
        "mobileAppCode, hardwareOathTokens, securityQuestions",
      'sspr:settings.registration.__proto__: unknown key; "__proto__" is a JavaScript prototype name, never a ' +
        "setting, and nothing under it is read; expected one of requireOnSignIn, reconfirmDays",
      'entra-sspr:endpoints.prototype: unknown key; "prototype" is a JavaScript prototype name, never a setting, ' +
        "and nothing under it is read; expected one of graph, portal",
      'entra-sspr:tenantId: "MOS" is not allowed; expected the tenant id (a GUID) or a verified domain name such as munyakazi.org',
      "sspr:settings.methods.toString: unknown key; expected one of email, " +
        "mobilePhone, officePhone, authenticatorApp, mobileAppCode, hardwareOathTokens, securityQuestions",
      "sspr:settings.registration.reconfirmDays: 999 is not allowed; expected an integer from 0 to 730 (0 = never ask)",
    ]);
  });

  it("an object whose prototype holds endpoints is read without them", () => {
    const raw = Object.create({ endpoints: attackerEndpoints }) as Record<string, unknown>;
    Object.assign(raw, { tenantId: "munyakazi.org", sspr });
    const parsed = parseStackConfig(raw);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.args.endpoints).toBeUndefined();
  });

  it("config nested thousands of levels deep is one problem naming the key and the limit", () => {
    for (const depth of [5_000, 100_000]) {
      const found = problems({
        "entra-sspr:tenantId": "munyakazi.org",
        "sspr:settings": JSON.stringify(sspr).replace(/}$/, `,"helpdesk":${deepJson(depth)}}`),
      });
      expect(found).toEqual([
        "sspr:settings.helpdesk.a.a: nested more than 32 levels deep; expected at most 32 levels (the deepest " +
          "setting is 4 levels down)",
      ]);
    }
  });

  it("nested arrays 100,000 deep under a known key (a RangeError before the boundary) are one problem", () => {
    const depth = 100_000;
    const found = problems({
      "entra-sspr:tenantId": "munyakazi.org",
      "sspr:settings": JSON.stringify(sspr).replace(/}$/, `,"helpdesk":${"[".repeat(depth)}${"]".repeat(depth)}}`),
    });
    expect(found).toEqual([
      "sspr:settings.helpdesk[0][0]: nested more than 32 levels deep; expected at most 32 levels (the deepest " +
        "setting is 4 levels down)",
    ]);
  });

  it("component args (library use) go through the same boundary", () => {
    const args = JSON.parse(
      JSON.stringify({ tenantId: "munyakazi.org", ...sspr }).replace(/}$/, ',"__proto__":{"endpoints":{}}}'),
    ) as unknown;
    // The list of known keys is the schema's own (it grows with the project).
    expect(componentArgsProblems(args)).toEqual([
      'args.__proto__: unknown key; "__proto__" is a JavaScript prototype name, never a setting, and nothing under ' +
        `it is read; expected one of ${knownKeysAt(componentArgsSchema, []).join(", ")}`,
    ]);
    expect(knownKeysAt(componentArgsSchema, [])).toEqual(expect.arrayContaining(["scope", "tenantId", "endpoints"]));
  });

  it("the component's args are rebuilt from the checked copy: what the caller's object inherits is never read", () => {
    const given = Object.create({ endpoints: attackerEndpoints, onDestroy: "retain" }) as Record<string, unknown>;
    Object.assign(given, { tenantId: "munyakazi.org", ...sspr });
    const parsed = parseComponentArgs(given);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.args).toEqual({ tenantId: "munyakazi.org", ...sspr });
    expect(Object.getPrototypeOf(parsed.ok && parsed.args)).toBe(Object.prototype);
  });
});
