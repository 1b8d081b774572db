/**
 * The README is the newcomer's path: short enough to finish, and every relative link in it, in `docs/` (the reference
 * pages of `docs/reference/` included) and in the top-level CONTRIBUTING and CHANGELOG leads to a file of this
 * repository (and, for `#anchors` into Markdown, to a heading that exists there). Code comments cite the reference
 * pages as `docs/reference/<page>.md#<anchor>`: each such citation leads to a page and a heading that exist.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const repositoryRoot = path.resolve(__dirname, "..");
const readmeLineLimit = 250;

/** The Markdown pages of one folder of the repository. */
function pagesOf(folder: string): string[] {
  return readdirSync(path.join(repositoryRoot, folder))
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join(folder, name));
}

/** The pages the README must link: every page directly under docs/. */
const docsPages = pagesOf("docs");

/** The reference pages (docs/reference/), which their index links. */
const referencePages = pagesOf(path.join("docs", "reference"));

/** The Markdown files whose links are checked: the README, CONTRIBUTING and CHANGELOG, and every page under docs/. */
function markdownFiles(): string[] {
  const topLevel = ["CONTRIBUTING.md", "CHANGELOG.md"].filter((file) => existsSync(path.join(repositoryRoot, file)));
  return ["README.md", ...topLevel, ...docsPages, ...referencePages];
}

/** Source files whose comments may cite the reference pages: the repository's own code, not its dependencies. */
function sourceFiles(folder = ""): string[] {
  const skipped = new Set(["node_modules", ".git", ".pulumi", "coverage", "bin"]);
  return readdirSync(path.join(repositoryRoot, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : sourceFiles(relative);
    return /\.(ts|js|ya?ml)$/.test(entry.name) ? [relative] : [];
  });
}

/** What is wrong with each `docs/reference/<page>.md#<anchor>` citation in one source file, in words. */
export function brokenCitations(file: string, text: string, root = repositoryRoot): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(/docs\/reference\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
    const [citation, page, anchor] = match;
    const resolved = path.join(root, "docs", "reference", page);
    if (!existsSync(resolved)) problems.push(`${file}: ${citation} names a page that does not exist`);
    else if (anchor && !headingAnchors(readFileSync(resolved, "utf8")).has(anchor)) {
      problems.push(`${file}: ${citation} names #${anchor}, which is no heading of docs/reference/${page}`);
    }
  }
  return problems;
}

/** Without fenced code blocks, whose lines may look like links or headings (`# a shell comment`). */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** Prose only: inline code spans hold no links either. */
function proseOf(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, "");
}

/** Inline links and images, `[text](target)` and `![alt](target "title")`: their targets. */
function linkTargets(markdown: string): string[] {
  return [...proseOf(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]
      .replace(/`/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** What is wrong with each relative link of one Markdown file (a path relative to the repository), in words. */
export function brokenLinks(file: string, markdown: string, root = repositoryRoot): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like: not ours to check here
    const [linkPath, anchor] = target.split("#", 2);
    const resolved = linkPath === "" ? path.join(root, file) : path.resolve(root, path.dirname(file), linkPath);
    const inside = path.relative(root, resolved);
    if (inside.startsWith("..") || path.isAbsolute(inside)) {
      problems.push(`${file}: ${target} points outside the repository`);
    } else if (!existsSync(resolved)) {
      problems.push(`${file}: ${target} names ${inside}, which does not exist`);
    } else if (anchor && resolved.endsWith(".md") && !headingAnchors(readFileSync(resolved, "utf8")).has(anchor)) {
      problems.push(`${file}: ${target} names #${anchor}, which is no heading of ${inside || file}`);
    }
  }
  return problems;
}

describe("the README a newcomer finishes", () => {
  const readme = readFileSync(path.join(repositoryRoot, "README.md"), "utf8");

  it(`is under ${readmeLineLimit} lines`, () => {
    expect(readme.trimEnd().split("\n").length).toBeLessThan(readmeLineLimit);
  });

  it.each(markdownFiles())("%s: every relative link resolves inside the repository", (file) => {
    expect(brokenLinks(file, readFileSync(path.join(repositoryRoot, file), "utf8"))).toEqual([]);
  });

  it("links every page of docs/", () => {
    const linked = new Set(linkTargets(readme).map((target) => target.split("#")[0]));
    expect(docsPages.filter((page) => !linked.has(page))).toEqual([]);
  });

  it("links the reference index, which links every reference page", () => {
    expect(linkTargets(readme).map((target) => target.split("#")[0])).toContain("docs/reference/README.md");
    const index = readFileSync(path.join(repositoryRoot, "docs", "reference", "README.md"), "utf8");
    const linked = new Set(linkTargets(index).map((target) => path.join("docs", "reference", target.split("#")[0])));
    expect(referencePages.filter((page) => !page.endsWith("README.md") && !linked.has(page))).toEqual([]);
  });

  it("no code or page cites the shared reference folder, which lives outside the repository", () => {
    const outside = ["shared", "reference"].join("/"); // spelled in parts, so this file does not cite it either
    const citing = [...sourceFiles(), ...markdownFiles()].filter((file) =>
      readFileSync(path.join(repositoryRoot, file), "utf8").includes(outside),
    );
    expect(citing).toEqual([]);
  });

  it("every docs/reference citation in the code leads to a page and a heading that exist", () => {
    const problems = sourceFiles().flatMap((file) =>
      brokenCitations(file, readFileSync(path.join(repositoryRoot, file), "utf8")),
    );
    expect(problems).toEqual([]);
  });

  it("the checker names a missing file, a missing heading and a path out of the repository", () => {
    const page = [
      "[gone](no-such-page.md)",
      "[no heading](../README.md#no-such-heading)",
      "[outside](../../etc/passwd)",
      "[fine](../README.md#the-two-commands) [web](https://example.org) `[code](nowhere.md)`",
    ].join("\n");
    expect(brokenLinks("docs/example.md", page)).toEqual([
      "docs/example.md: no-such-page.md names docs/no-such-page.md, which does not exist",
      "docs/example.md: ../README.md#no-such-heading names #no-such-heading, which is no heading of README.md",
      "docs/example.md: ../../etc/passwd points outside the repository",
    ]);
    expect(brokenLinks("README.md", "[a](#no-such-heading) [b](docs/architecture.md#the-rooms)")).toEqual([
      "README.md: #no-such-heading names #no-such-heading, which is no heading of README.md",
      "README.md: docs/architecture.md#the-rooms names #the-rooms, which is no heading of docs/architecture.md",
    ]);
  });

  it("the citation checker names a missing page and a missing heading", () => {
    const cited = (rest: string) => ["docs", "reference", rest].join("/"); // so this file cites nothing itself
    const comment = [
      `// ${cited("no-such-page.md#anything")}`,
      `// ${cited("portal-api.md#no-such-heading")}`,
      `// ${cited("portal-api.md#field-facts")} ${cited("portal-api.md")}`,
    ].join("\n");
    expect(brokenCitations("x.ts", comment)).toEqual([
      `x.ts: ${cited("no-such-page.md#anything")} names a page that does not exist`,
      `x.ts: ${cited("portal-api.md#no-such-heading")} names #no-such-heading, which is no heading of ${cited("portal-api.md")}`,
    ]);
  });
});

describe("the README's newcomer path (issue 27)", () => {
  const readme = readFileSync(path.join(repositoryRoot, "README.md"), "utf8");
  const section = (heading: string): string => {
    const start = readme.indexOf(`\n## ${heading}\n`);
    if (start < 0) return "";
    const next = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, next < 0 ? undefined : next);
  };

  it("keeps the two commands near the top, and they are this repository's scripts", () => {
    const top = readme.split("\n").slice(0, 60).join("\n");
    expect(top).toContain("npm ci && npm run lab");
    expect(top).toMatch(/^npm test\b/m);
    const scripts = (
      JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(["lab", "test"]));
  });

  it.each([
    ["your own Graph sign-in", /Microsoft Graph\s+Command Line Tools/, /consent/],
    ["the portal's person, and device code blocked by Conditional Access", /device-code/, /Conditional Access/],
    ["the read-only preview token", /PULUMI_PREVIEW_TOKEN/, /read-only SAS/],
    ["the drift job's gap", /registration report/, /not checked without a person/],
  ])("'Before you start' names a blocker and its way through: %s", (_, blocker, way) => {
    const before = section("Before you start");
    expect(before).toMatch(blocker);
    expect(before).toMatch(way);
    expect(readme.indexOf("## Before you start")).toBeLessThan(readme.indexOf("## Real tenants, step by step"));
  });

  it("no longer claims a nightly refresh catches all drift", () => {
    expect(readme).not.toMatch(/A nightly refresh catches drift/);
  });

  it("lists only commands that answer --help or need none (package.json scripts)", () => {
    const scripts = Object.keys(
      (
        JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
          scripts: Record<string, string>;
        }
      ).scripts,
    );
    const offered = [...readme.matchAll(/`npm run ([\w:-]+)/g)].map((match) => match[1]);
    expect(offered.filter((name) => !scripts.includes(name))).toEqual([]);
  });
});
