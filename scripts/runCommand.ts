/**
 * How an `npm run <command>` script ends: with the exit code its `main` returns or, when `main` throws, with one
 * line `<command> failed: <message>` on stderr (secrets redacted) and the command's failure code.
 */
import { redactSecrets } from "../components/entra/errors";

export function runCommand(name: string, main: (argv: string[]) => Promise<number>, failureCode = 1): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name} failed: ${redactSecrets(message)}\n`);
      process.exitCode = failureCode;
    },
  );
}
