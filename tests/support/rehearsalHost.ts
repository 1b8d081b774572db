/**
 * A dynamic-provider host for a test file (or a `describe` block), and with it, for the tests that rehearse stack
 * files, a scratch folder: started before its tests, stopped and removed after.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startProviderPlugin, type ProviderHost } from "../../harness/providerHost";

export interface RehearsalHost {
  readonly host: ProviderHost;
  /** A folder of this fixture's own, for stack files, seeds and pack configs. */
  readonly tmp: string;
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the ${what} exists only inside tests`);
  return value;
}

/** One entra-sspr provider plugin, started as the CLI starts it. */
export function useProviderHost(): { readonly host: ProviderHost } {
  let host: ProviderHost | undefined;
  beforeAll(async () => {
    host = await startProviderPlugin();
  });
  afterAll(async () => {
    await host?.stop();
  });
  return {
    get host() {
      return started(host, "provider host");
    },
  };
}

export function useRehearsalHost(name: string): RehearsalHost {
  const fixture = useProviderHost();
  let tmp: string | undefined;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `entra-sspr-${name}-`));
  });
  afterAll(() => {
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });
  return {
    get host() {
      return fixture.host;
    },
    get tmp() {
      return started(tmp, "scratch folder");
    },
  };
}
