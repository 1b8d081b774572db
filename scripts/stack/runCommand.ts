/**
 * How an `npm run <command>` script ends: with the exit code its `main` returns or, when `main` throws, with one
 * line `<command> failed: <message>` on stderr (secrets redacted) and the command's failure code.
 */
import { redactSecrets } from "../../provider/http/errors";

/** `--help` or `-h` anywhere on the command line. */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** With `usage`, `--help` prints it on stdout and exits 0 without running the command. */
export function runCommand(
  name: string,
  main: (argv: string[]) => Promise<number>,
  failureCode = 1,
  usage?: string,
): void {
  const argv = process.argv.slice(2);
  if (usage !== undefined && asksForHelp(argv)) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  main(argv).then(
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
