/**
 * Where the repository is on disk: the stack files (`Pulumi.<stack>.yaml`) and the program (`index.ts`) live at its
 * root. A module of its own so that a command that only needs the path loads nothing else (a real-tenant command
 * loads no emulator or engine code).
 */
import * as path from "node:path";

export const repositoryRoot = path.resolve(__dirname, "../..");
