/**
 * `pulumi package add <git URL>/provider@<ref>` clones the repository and installs the dependencies of the plugin's own
 * folder only (docs/provider.md), so `provider/package.json` must declare every package the plugin loads, and its
 * committed lockfile must pin what the repository's root lockfile pins (the plugin runs the same code either way).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "../..");
const readJson = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    packages: Record<string, { version?: string }>;
  };

/** The packages named by the plugin's own sources, as loaded when it starts (every file it requires). */
function packagesThePluginNames(): string[] {
  const probe = `
    require(${JSON.stringify(path.join(root, "provider/index.js"))});
    require(${JSON.stringify(path.join(root, "provider/serve.ts"))});
    const fs = require("node:fs");
    const names = new Set();
    for (const file of Object.keys(require.cache)) {
      if (file.includes("/node_modules/")) continue;
      const source = fs.readFileSync(file, "utf8");
      for (const match of source.matchAll(/(?:\\bfrom\\s+|\\brequire\\(|\\bimport\\()\\s*["']([^"'./][^"']*)["']/g)) {
        if (match[1].startsWith("node:")) continue;
        const parts = match[1].split("/");
        names.add(match[1].startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]);
      }
    }
    console.log(JSON.stringify([...names].sort()));
  `;
  return JSON.parse(execFileSync(process.execPath, ["-e", probe], { cwd: root, encoding: "utf8" })) as string[];
}

describe("the provider plugin's own package", () => {
  it("declares every package the plugin loads, each at the version the root lockfile pins", () => {
    const plugin = readJson("provider/package.json");
    const declared = { ...plugin.dependencies, ...plugin.optionalDependencies };
    const installed = new Set(
      Object.keys(readJson("package-lock.json").packages).map((key) => key.replace(/^node_modules\//, "")),
    );
    // Only names that are packages (a name in a comment or a string of the sources is not).
    const named = packagesThePluginNames().filter((name) => installed.has(name));
    expect(named).toContain("@pulumi/pulumi");
    expect(named.filter((name) => declared[name] === undefined)).toEqual([]);

    const rootLock = readJson("package-lock.json").packages;
    const pluginLock = readJson("provider/package-lock.json").packages;
    for (const name of Object.keys(declared)) {
      expect([name, pluginLock[`node_modules/${name}`]?.version]).toEqual([
        name,
        rootLock[`node_modules/${name}`]?.version,
      ]);
    }
  });
});
