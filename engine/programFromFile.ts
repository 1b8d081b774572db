/**
 * A Pulumi program file loaded the way `pulumi up` loads it (transpiled as ts-node would), as a function the mock run
 * (`engine/mockRun.ts`) can call once per run.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The program as a function that evaluates `index.ts` afresh on every call: it reads config when it loads, so each
 * run needs a new evaluation, and neither Node's nor jest's module cache can be cleared portably. The file is
 * transpiled with TypeScript (what `pulumi up` does through ts-node) and its relative imports resolve from its own
 * folder through this module's `require`, so the components (and `@pulumi/pulumi`, whose runtime state the rehearsal engine
 * set up) are shared, not reloaded.
 */
export function programFromFile(file: string): () => unknown {
  return () => {
    const ts = require("typescript") as typeof import("typescript");
    const source = fs.readFileSync(file, "utf8");
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const directory = path.dirname(file);
    const localRequire = (id: string): unknown => require(id.startsWith(".") ? path.resolve(directory, id) : id);
    const module = { exports: {} as Record<string, unknown> };
    const evaluate = new Function("exports", "require", "module", "__filename", "__dirname", outputText) as (
      ...args: unknown[]
    ) => void;
    evaluate(module.exports, localRequire, module, file, directory);
    return module.exports;
  };
}
