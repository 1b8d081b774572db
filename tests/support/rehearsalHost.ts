/**
 * One dynamic-provider host and one scratch folder for a test file (or a `describe` block): started before its
 * tests, stopped and removed after. For the tests that rehearse stack files through the real host.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startProviderHost, type ProviderHost } from "../../harness/providerHost";

export interface RehearsalHost {
  readonly host: ProviderHost;
  /** A folder of this fixture's own, for stack files, seeds and pack configs. */
  readonly tmp: string;
}

export function useRehearsalHost(name: string): RehearsalHost {
  let host: ProviderHost | undefined;
  let tmp: string | undefined;
  beforeAll(async () => {
    host = await startProviderHost();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `entra-sspr-${name}-`));
  });
  afterAll(async () => {
    await host?.stop();
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useRehearsalHost: the ${what} exists only inside tests`);
    return value;
  };
  return {
    get host() {
      return started(host, "provider host");
    },
    get tmp() {
      return started(tmp, "scratch folder");
    },
  };
}
