/**
 * `node -r sucrase/register scripts/permissionTable.ts [--write]`: prints the permission table of
 * `docs/permissions.md` from the one permission list (`provider/grants/grants.ts`); `--write` puts it between that
 * page's markers. tests/provider/grants/permissionList.test.ts fails when the page's copy differs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { permissionTable } from "../provider/grants/grants";

/** The page that holds the table, and its markers. */
export const permissionPage = path.resolve(__dirname, "..", "docs", "permissions.md");
export const tableMarkers = /(<!-- permission-table:start -->\n)[\s\S]*?(\n<!-- permission-table:end -->)/;

/** The page's text with the table between its markers replaced by the list's; throws when a marker is missing. */
export function withTable(page: string, table: string = permissionTable()): string {
  if (!tableMarkers.test(page))
    throw new Error("docs/permissions.md has no <!-- permission-table:start/end --> markers");
  return page.replace(tableMarkers, (_, start: string, end: string) => `${start}\n${table}\n${end}`);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(
      "usage: node -r sucrase/register scripts/permissionTable.ts [--write]\n" +
        "  Prints the permission table from permissionList (provider/grants/grants.ts).\n" +
        "  --write   puts it into docs/permissions.md between its markers instead (then run prettier --write on it)\n",
    );
  } else if (argv.includes("--write")) {
    fs.writeFileSync(permissionPage, withTable(fs.readFileSync(permissionPage, "utf8")));
  } else process.stdout.write(`${permissionTable()}\n`);
}
