/**
 * Shared reads of the Graph authentication methods policy: one `GET /v1.0/policies/authenticationMethodsPolicy`
 * carries every method configuration, so the methods policy root and the method configuration resources of one run
 * read the tenant once between them instead of once each.
 *
 * Where the cache lives: in the provider plugin's process (`provider/`), which serves every resource of a
 * deployment, on the process's global object under one property (so that every copy of this module a process may
 * load shares it; proved through the real plugin in tests/components/entra/sharedReads.test.ts).
 *
 * How staleness is prevented: nothing is kept. A read is shared only while it is pending: the first reader waits
 * `sharedReadGatherMs` and sends the GET; a reader that asks meanwhile, or while that GET is under way, takes its
 * answer; once the answer is in, the entry is gone and the next reader sends its own GET. So no answer is older than the request it came from, a change made between two
 * runs (or between two reads) is never hidden, and a host that serves many runs (the test harness, the benchmark)
 * behaves as the CLI's one-process-per-deployment host does. A write through any of these resources in the same
 * process also drops the tenant's in-flight entry before it is sent, so a read-back after a write is always a GET
 * sent after the write. The reads of one refresh (and the creates of independent resources in one `up`) run
 * concurrently in Pulumi's engine, which is what makes them meet here; `engine/engine.ts` refreshes the same way.
 */
import type { EntraClient, EntraRequest } from "./client";
import type { RemoteDocument } from "./singletonSpec";
import { isRecord } from "./predicates";

/** How long the first reader of an object waits for others before sending the GET. */
export const sharedReadGatherMs = 50;

interface Entry {
  document: Promise<RemoteDocument>;
}

// A string, not a symbol: Pulumi's closure serializer cannot carry a symbol captured by value (seen through the host).
const storeKey = "__entraSsprSharedReadsV1";

/** The host process's one cache (see the top of this file for why not a module variable). */
function store(): Map<string, Entry> {
  const holder = globalThis as unknown as Record<string, Map<string, Entry> | undefined>;
  let cache = holder[storeKey];
  if (cache === undefined) {
    cache = new Map();
    holder[storeKey] = cache;
  }
  return cache;
}

/** One tenant at one Graph endpoint; the key holds no credential. */
export interface SharedReadTarget {
  tenantId: string;
  graph: string;
}

/** The shared-read target of a resource's checked inputs. */
export function sharedTarget(inputs: { tenantId: string; endpoints: { graph: string } }): SharedReadTarget {
  return { tenantId: inputs.tenantId, graph: inputs.endpoints.graph };
}

const tenantKey = (target: SharedReadTarget): string =>
  `${target.graph.replace(/\/+$/, "").toLowerCase()}|${target.tenantId.toLowerCase()}`;

/**
 * The response body of `request` (a GET), shared with the readers of the same tenant and path whose GET is in
 * flight at the same time (see the top of this file). Each caller gets its own copy.
 */
export async function sharedGet(
  client: EntraClient,
  target: SharedReadTarget,
  request: EntraRequest,
): Promise<RemoteDocument> {
  const cache = store();
  const key = `${tenantKey(target)}|${request.path}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    // The first reader waits a moment before sending, so that the other readers of the same run (whose calls reach
    // the host a few milliseconds apart) join this GET instead of sending their own.
    const document = new Promise((resolve) => setTimeout(resolve, sharedReadGatherMs))
      .then(() => client.send(request))
      .then((response) => {
        if (!isRecord(response.body)) throw new Error(`Graph returned no document for GET ${request.path}`);
        return response.body;
      });
    const fresh: Entry = { document };
    entry = fresh;
    cache.set(key, fresh);
    // Kept only while in flight, whatever the outcome.
    const settle = (): void => {
      if (cache.get(key) === fresh) cache.delete(key);
    };
    document.then(settle, settle);
  }
  return structuredClone(await entry.document);
}

/** Drops every shared read of the tenant: call before writing to it. */
export function forgetSharedReads(target: SharedReadTarget): void {
  const prefix = `${tenantKey(target)}|`;
  const cache = store();
  for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
}
