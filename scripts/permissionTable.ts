/**
 * `node -r sucrase/register scripts/permissionTable.ts`: prints the README's permission table from the one
 * permission list (`provider/grants/grants.ts`); tests/provider/grants/permissionList.test.ts fails when the
 * README's copy differs.
 */
import { permissionTable } from "../provider/grants/grants";

if (require.main === module) process.stdout.write(`${permissionTable()}\n`);
