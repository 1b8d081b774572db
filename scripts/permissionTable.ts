/**
 * `node -r sucrase/register scripts/permissionTable.ts`: prints the README's permission table from the one
 * permission list (`components/entra/grants.ts`); tests/components/entra/permissionList.test.ts fails when the
 * README's copy differs.
 */
import { permissionTable } from "../components/entra/grants";

if (require.main === module) process.stdout.write(`${permissionTable()}\n`);
