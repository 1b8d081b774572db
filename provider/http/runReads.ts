/**
 * The requests of one run (a deployment: `pulumi preview`, `up`, `refresh` or `destroy`) in the provider plugin: each
 * tenant object is read once per run, Graph requests made at the same moment go in one `$batch`, and a read never
 * answers from before a write that ended before it was asked.
 *
 * Why here: the plugin serves every resource of a deployment from one process, and the engine runs independent
 * steps concurrently, so the same object is asked for by several resources (the methods policy's v1.0 GET carries
 * every method configuration; every resource checks the ownership mark before it writes or restores).
 *
 *   A run    starts when the engine configures the provider (the CLI does so once per deployment, in a plugin
 *            process of its own: `provider/serve.ts` calls {@link beginRun}) for the tenant and endpoints the
 *            stack's config names (every tenant without them); what the run read is forgotten then. A host that
 *            serves many runs (the rehearsal engine, the bench) is configured before each. A `$batch` holds one
 *            tenant's requests only: it goes with one token.
 *   Reuse    an answer is reused within the run while its object has not been written since it was read (an object:
 *            `policies/authenticationMethodsPolicy`, an application, a group, the portal's policies; see
 *            {@link objectKey}). A write marks its object changed when it leaves and again when it ends, so a
 *            read-back is a GET sent after the write; a 404 is an answer too (the mark before the first claim).
 *            What someone else changes during the run is seen by the next run: every step already decided on what
 *            it read, as with any provider between a plan's read and its apply.
 *   Batch    Graph requests wait while any call the plugin is serving is still running (not yet waiting on a
 *            request or on the network), then go together: one alone, several of a kind (reads, writes) in one
 *            `POST /{version}/$batch` (at most 20, Graph docs "json-batching"). Nothing waits on a timer: the calls
 *            in flight are what is pending. A GET of an object a write is changing waits for that write. Graph
 *            still counts each request inside a batch against its throttling limits: a batch saves round trips.
 *   Order    a request may follow another ({@link runAfter}: the before-snapshot's write, then the setting writes,
 *            then their read-back): it leaves in the same `$batch`, behind it with `dependsOn`, so Graph runs them
 *            in order and runs nothing after a failure (424 Failed Dependency); otherwise it waits for that
 *            request's answer, and fails with its error, unsent, when it failed.
 *   Errors   an answer that is an error (but a 404) is never kept; a batched request that Graph throttles or fails
 *            with a 5xx is sent again alone, with the client's own retries (a follower after what it follows).
 *
 * Outside the plugin (the program's previews, the commands) {@link enableRunReads} is never called and every request
 * goes straight to the service. Tested in tests/provider/http/runReads.test.ts, and through the plugin by the
 * per-operation counts of tests/scripts/bench.test.ts.
 */
import type { AsyncLocalStorage } from "node:async_hooks";
import type { EntraClient, EntraRequest, EntraResponse } from "./httpTypes";
import { httpFailureError, isEntraError } from "./errors";
import { isRecord } from "../../lib/predicates";

/** Graph's documented limit of requests per `$batch`. */
export const maxBatchRequests = 20;
/** Batched answers sent again alone (the client retries them): throttling and the service's own failures. */
const retriedAlone = (status: number): boolean => status === 429 || status >= 500;

/** A provider call in flight: parked while it waits on a read or on the network. */
interface Call {
  waits: number;
}

interface Queued {
  kind: "read" | "write";
  /**
   * What this request follows (`runAfter`), those not yet answered: it leaves only once they succeeded, or in their
   * `$batch` behind them.
   */
  after?: Promise<unknown>[];
  /** The requests it follows inside its `$batch` (`dependsOn`), set when they all leave together. */
  dependsOn?: Queued[];
  /** The followed promises already watched (`release`). */
  watched?: Set<Promise<unknown>>;
  run: number;
  object: ObjectState;
  /** For a read: the object's version when the GET left; it serves later readers only while that version holds. */
  version: number;
  sent: boolean;
  /** Graph requests of one kind with the same key (tenant, service base, version) may share a `$batch`. */
  batchKey: string;
  url: string;
  request: EntraRequest;
  client: EntraClient;
  answer: Promise<EntraResponse>;
  resolve(response: EntraResponse): void;
  reject(error: unknown): void;
}

/** What a run keeps of a read: the answer, or Graph's "not found" (an answer too: the mark may not exist yet). */
type Kept = { version: number } & ({ response: EntraResponse } | { notFound: unknown });

interface ObjectState {
  /** The tenant as its resources name it and the service's base URL, lower-cased: a run may begin for one tenant. */
  tenant: string;
  base: string;
  /** Which run of its tenant this is: reads of an earlier run serve nobody. */
  run: number;
  version: number;
  writing: number;
  kept: Map<string, Kept>;
  pending: Map<string, Queued>;
}

interface Store {
  enabled: boolean;
  objects: Map<string, ObjectState>;
  calls: Set<Call>;
  queue: Queued[];
  flushScheduled: boolean;
  valve?: NodeJS.Timeout;
  /** Which call a continuation belongs to. */
  callContext: AsyncLocalStorage<Call>;
  /** What the requests of a continuation follow, and the scope that records the last write it sent (`runAfter`). */
  orderContext: AsyncLocalStorage<OrderScope>;
  /**
   * The request a promise stands for: a send's answer, a `runAfter` work's last write, or a promise named the same
   * as another ({@link sameRequestAs}). Weak, so settled promises are forgotten.
   */
  requestOf: WeakMap<Promise<unknown>, Queued | OrderScope | Promise<unknown>>;
  /** Promises a request follows that have succeeded: what follows them need not wait nor depend on them. */
  succeeded: WeakSet<Promise<unknown>>;
  /** Each tenant's run (`tenant|graph base`, and every tenant's with `*`): see {@link runGeneration}. */
  generations: Map<string, number>;
  /** The request `enqueue` queued last, for `send` to name its answer by (read synchronously right after). */
  lastEnqueued?: Queued;
  /** When the last provider call started (`performance.now()`): writes wait for a quiet moment ({@link callsGathered}). */
  lastCallStarted?: number;
  /**
   * Steps the engine announced and has not sent yet: a resource checked (its create or diff comes next) or diffed
   * with changes (its update comes next), by URN, with when ({@link expectStep}). Writes wait for them too.
   */
  expected: Map<string, number>;
}

/**
 * Requests sent inside `runAfter(after, work)` follow `after`; `last` is the last write sent inside it. A read-back's
 * scope (`{ readBack: true }`: its work only reads) stands for its last read, `lastRead`, while it wrote nothing.
 */
interface OrderScope {
  after?: Promise<unknown>[];
  last?: Queued;
  readBack?: boolean;
  lastRead?: Queued;
}

/**
 * A fallback, never the way requests meet: should a call wait on something this file does not see (and so never
 * park), the queue is sent anyway after this long rather than hold the deployment.
 */
const valveMs = 1000;

const storeKey = "__entraSsprRunReadsV1";

/** One store per process, on its global object: every copy of this module the plugin may load shares it. */
function store(): Store {
  const holder = globalThis as unknown as Record<string, Store | undefined>;
  // Required here, not imported: the client is still closure-serialized in tests, and an instance cannot be.
  const { AsyncLocalStorage } = require("node:async_hooks") as typeof import("node:async_hooks");
  const current: Store = (holder[storeKey] ??= {
    enabled: false,
    objects: new Map(),
    calls: new Set(),
    queue: [],
    flushScheduled: false,
    callContext: new AsyncLocalStorage<Call>(),
    orderContext: new AsyncLocalStorage<OrderScope>(),
    requestOf: new WeakMap(),
    succeeded: new WeakSet(),
    generations: new Map(),
    expected: new Map(),
  });
  // A store made by an older copy of this module (the plugin reloads nothing, but a test may).
  current.orderContext ??= new AsyncLocalStorage<OrderScope>();
  current.expected ??= new Map();
  current.requestOf ??= new WeakMap();
  current.succeeded ??= new WeakSet();
  current.generations ??= new Map();
  return current;
}

/** Turns the run's reads on for this process (the provider plugin does, at start). */
export function enableRunReads(): void {
  store().enabled = true;
}

/**
 * A new run of one tenant at its endpoints (every tenant's when not known): nothing read before counts any more.
 * Objects keep their versions and writes in flight, and other tenants' runs go on (a host serving runs side by side,
 * as the bench's does, may be in the middle of another run).
 */
export function beginRun(target?: { tenantId: string; endpoints: { graph: string; portal: string } }): void {
  const bases = target === undefined ? [] : [target.endpoints.graph, target.endpoints.portal].map(trimmed);
  for (const object of store().objects.values()) {
    if (target !== undefined && (object.tenant !== target.tenantId.toLowerCase() || !bases.includes(object.base))) {
      continue;
    }
    object.run += 1;
    object.kept.clear();
  }
  // A preview's checks announce steps that never come.
  store().expected.clear();
  const generations = store().generations;
  const key = target === undefined ? "*" : generationKey(target.tenantId, target.endpoints.graph);
  generations.set(key, (generations.get(key) ?? 0) + 1);
}

const generationKey = (tenantId: string, graph: string): string => `${tenantId.toLowerCase()}|${trimmed(graph)}`;

/**
 * Which run of this tenant at this Graph endpoint is going on (a new one at each {@link beginRun} that names it, or
 * names no tenant); undefined outside the plugin, where there are no runs. What a caller keeps about "this run" is
 * kept under it.
 */
export function runGeneration(target: { tenantId: string; endpoints: { graph: string } }): string | undefined {
  const current = store();
  if (!current.enabled) return undefined;
  const key = generationKey(target.tenantId, target.endpoints.graph);
  return `${current.generations.get("*") ?? 0}.${current.generations.get(key) ?? 0}`;
}

/**
 * The engine announced a step of `urn` that it has not sent yet: its check passed (a create or a diff comes next), or
 * its diff found changes (an update comes next). The writes of this moment wait for it ({@link callsGathered}).
 */
export function expectStep(urn: string): void {
  const current = store();
  if (current.enabled) current.expected.set(urn, performance.now());
}

/** The announced step of `urn` arrived, or will not come (a diff without changes). */
export function stepArrived(urn: string): void {
  store().expected.delete(urn);
}

/** Runs one provider call, counted among the calls whose requests may go together. */
export function trackCall<T>(work: () => Promise<T>): Promise<T> {
  const current = store();
  if (!current.enabled) return work();
  const call: Call = { waits: 0 };
  current.lastCallStarted = performance.now();
  current.calls.add(call);
  return current.callContext.run(call, work).finally(() => {
    current.calls.delete(call);
    scheduleFlush();
  });
}

/**
 * Awaits `promise` with the current call counted as parked (it asks for nothing else meanwhile). Exported for a call
 * that waits on another call's work (the before-snapshot's one write for several objects: tenantBefore.ts), so the
 * other call's requests are not held back waiting for this one.
 */
export async function parked<T>(promise: Promise<T>): Promise<T> {
  const call = store().callContext.getStore();
  if (call === undefined) return promise;
  call.waits += 1;
  scheduleFlush();
  try {
    return await promise;
  } finally {
    call.waits -= 1;
  }
}

/**
 * How long no new provider call must have started before the writes of this moment are gathered into one write of
 * the before-snapshot and one `$batch` (issue 28). The engine starts concurrent steps one by one (the CLI: one gRPC
 * call each, as the program's registrations resolve), so the creates of the method configurations that wait on the
 * same claim reach the plugin a few milliseconds apart; without a pause the first one's writes leave alone and the
 * others follow a round trip later. A few milliseconds against a round trip of tens to hundreds of milliseconds to
 * Graph; capped by {@link gatherCapMs}, so a stream of calls never holds a write back for long.
 */
export const gatherQuietMs = 8;
const gatherCapMs = 50;
/**
 * How long a write waits for steps the engine announced ({@link expectStep}) and has not sent yet: on a busy machine
 * the create that follows a check may come tens of milliseconds after it, which no quiet moment can tell from the
 * end of the stream. The steps arrive, so this bound is only for one that never does (an engine that stopped).
 */
const expectedCapMs = 250;

/**
 * Resolves once every step the engine announced has arrived and no provider call has started for
 * {@link gatherQuietMs} (at most {@link gatherCapMs} from now, {@link expectedCapMs} while announced steps are
 * missing): the concurrent calls the engine started at this moment have arrived. At once outside the plugin.
 */
export async function callsGathered(): Promise<void> {
  const current = store();
  if (!current.enabled) return;
  const started = performance.now();
  for (;;) {
    const now = performance.now();
    const announced = [...current.expected.values()].some((at) => now - at < expectedCapMs);
    const deadline = started + (announced ? expectedCapMs : gatherCapMs);
    const quietSince = current.lastCallStarted ?? -Infinity;
    const wait = Math.min(announced ? now + 2 : quietSince + gatherQuietMs, deadline) - now;
    if (wait <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }
}

/**
 * Runs `work` so that every request it sends follows `after` (issue 28: the chain at its depth minimum). When `after`
 * stands for a Graph request still waiting to leave, they go in the same `$batch`, behind it with `dependsOn`: Graph
 * runs them in order and answers 424 Failed Dependency, executing nothing, when it failed (Graph docs
 * "json-batching"). Otherwise they wait until `after` settles; when it fails, they are not sent and fail with its
 * error. The returned promise stands for the last write `work` sent (with `readBack`, for a work that only reads: its
 * last read), so later work may follow it in turn. Such a read is never answered from what the run read before: it is
 * the read-back of a write it follows.
 * `after` may be several promises (destroy's release of the mark follows every last restore's read-back,
 * earlyRelease.ts): the requests leave behind all of them in their `$batch` (`dependsOn` lists them; Graph's format is
 * an array), or, when they do not all leave together, once each has succeeded; one that already succeeded is simply
 * done. Outside the plugin, `work` simply starts once every `after` succeeded.
 */
export function runAfter<T>(
  after: Promise<unknown> | readonly Promise<unknown>[] | undefined,
  work: () => Promise<T>,
  options: { readBack?: boolean } = {},
): Promise<T> {
  const current = store();
  const followed = after === undefined ? [] : Array.isArray(after) ? [...after] : [after as Promise<unknown>];
  if (!current.enabled) return followed.length === 0 ? work() : Promise.all(followed).then(work);
  for (const promise of followed) {
    promise.then(
      () => current.succeeded.add(promise),
      () => undefined,
    );
  }
  const scope: OrderScope = {
    after: followed.length === 0 ? undefined : followed,
    ...(options.readBack === true ? { readBack: true } : {}),
  };
  const result = current.orderContext.run(scope, work);
  current.requestOf.set(result, scope);
  return result;
}

/** Says that `alias` (a wrapper, e.g. a promise that resolves once a write is done) stands for `request`'s request. */
export function sameRequestAs<T>(alias: Promise<T>, request: Promise<unknown>): Promise<T> {
  store().requestOf.set(alias, request);
  return alias;
}

/** The queued request a promise stands for, following aliases; undefined when none (yet). */
function queuedOf(promise: Promise<unknown> | undefined, depth = 0): Queued | undefined {
  if (promise === undefined || depth > 20) return undefined;
  const known = store().requestOf.get(promise);
  if (known === undefined) return undefined;
  if (known instanceof Promise) return queuedOf(known, depth + 1);
  return "request" in known ? known : (known.last ?? (known.readBack === true ? known.lastRead : undefined));
}

const trimmed = (base: string): string => base.replace(/\/+$/, "").toLowerCase();

/** A request's object: the service's base, the tenant, and the first two path segments after the version. */
function objectKey(tenantId: string, base: string, request: EntraRequest): string {
  const segments = request.path.split("?")[0].split("/").filter(Boolean);
  const rest = request.api === "graph" ? segments.slice(1) : segments;
  return `${request.api}|${base.toLowerCase()}|${tenantId.toLowerCase()}|${rest.slice(0, 2).join("/").toLowerCase()}`;
}

function objectState(key: string, tenant: string, base: string): ObjectState {
  const objects = store().objects;
  let state = objects.get(key);
  if (state === undefined) {
    state = { tenant: tenant.toLowerCase(), base, run: 0, version: 0, writing: 0, kept: new Map(), pending: new Map() };
    objects.set(key, state);
  }
  return state;
}

const copyOf = (response: EntraResponse): EntraResponse => structuredClone(response);
const requestKeyOf = (request: EntraRequest): string => `${request.api}|${request.path}`;
const isNotFound = (error: unknown): boolean => isEntraError(error) && error.status === 404;

/**
 * The client a lifecycle uses: GETs through the run's reads, writes marking their object changed (and Graph writes
 * of the same moment in one `$batch`). Outside the plugin it sends everything straight through.
 */
export function runClient(
  client: EntraClient,
  target: { tenantId: string; endpoints: { graph: string; portal: string } },
): EntraClient {
  const baseOf = (request: EntraRequest): string => trimmed(target.endpoints[request.api]);
  const stateOf = (request: EntraRequest): ObjectState =>
    objectState(objectKey(target.tenantId, baseOf(request), request), target.tenantId, baseOf(request));

  const sendQueued = async (request: EntraRequest): Promise<EntraResponse> => {
    const current = store();
    if (!current.enabled) return client.send(request);
    const state = stateOf(request);
    const scope = current.orderContext.getStore();
    if (scope?.after !== undefined) {
      // Follows a write (or waits for one): its own request, never an answer from before that write.
      const queued = enqueue(request.method === "GET" ? "read" : "write", state, request, client, baseOf(request));
      queued.after = [...scope.after];
      if (queued.kind === "write") {
        scope.last = queued;
        state.writing += 1;
      } else {
        scope.lastRead = queued;
      }
      try {
        return copyOf(await parked(queued.answer));
      } finally {
        if (queued.kind === "write") {
          state.version += 1;
          state.writing -= 1;
          scheduleFlush();
        }
      }
    }
    if (request.method !== "GET") {
      // Changed when the write leaves (`flush`) and when it ends: a GET queued meanwhile waits for it, and an answer
      // that arrives meanwhile is not kept. Until it leaves, other calls may still use what the run read: their steps
      // are as independent of this one as Pulumi made them, so either order is one the engine could have run.
      state.writing += 1;
      const queued = enqueue("write", state, request, client, baseOf(request));
      if (scope !== undefined) scope.last = queued;
      try {
        return await parked(queued.answer);
      } finally {
        state.version += 1;
        state.writing -= 1;
        scheduleFlush();
      }
    }
    const key = requestKeyOf(request);
    const kept = state.kept.get(key);
    if (kept !== undefined && kept.version === state.version) {
      if ("notFound" in kept) throw kept.notFound;
      return copyOf(kept.response);
    }
    let pending = state.pending.get(key);
    if (pending === undefined || pending.run !== state.run || (pending.sent && pending.version !== state.version)) {
      pending = enqueue("read", state, request, client, baseOf(request));
      state.pending.set(key, pending);
      keepAnswer(state, key, pending);
    }
    return copyOf(await parked(pending.answer));
  };

  const send = (request: EntraRequest): Promise<EntraResponse> => {
    const current = store();
    current.lastEnqueued = undefined;
    const answer = sendQueued(request);
    if (current.lastEnqueued !== undefined) current.requestOf.set(answer, current.lastEnqueued);
    current.lastEnqueued = undefined;
    return answer;
  };

  const remember = (request: EntraRequest, response: EntraResponse): void => {
    if (!store().enabled) return;
    const state = stateOf(request);
    state.kept.set(requestKeyOf(request), { version: state.version, response: copyOf(response) });
  };

  return { send, remember, ...(client.caller === undefined ? {} : { caller: client.caller.bind(client) }) };
}

/** Keeps a read's answer for the run when nothing wrote its object since the GET left (a 404 counts as one). */
function keepAnswer(object: ObjectState, key: string, pending: Queued): void {
  const settle = (kept?: Omit<Kept, "version">): void => {
    if (object.pending.get(key) === pending) object.pending.delete(key);
    if (kept !== undefined && pending.version === object.version && pending.run === object.run) {
      object.kept.set(key, { version: object.version, ...kept } as Kept);
    }
  };
  pending.answer.then(
    (response) => settle({ response }),
    (error: unknown) => settle(isNotFound(error) ? { notFound: error } : undefined),
  );
}

function enqueue(
  kind: Queued["kind"],
  object: ObjectState,
  request: EntraRequest,
  client: EntraClient,
  base: string,
): Queued {
  const current = store();
  let resolve!: (response: EntraResponse) => void;
  let reject!: (error: unknown) => void;
  const answer = new Promise<EntraResponse>((onAnswer, onError) => {
    resolve = onAnswer;
    reject = onError;
  });
  const version = request.path.split("/")[1];
  const queued: Queued = {
    kind,
    run: object.run,
    object,
    version: object.version,
    sent: false,
    // One tenant's requests only: a batch is sent with one token, and Graph's host serves every tenant. A request
    // in a batch carries its own headers (an upsert's `Prefer`, Graph docs "json-batching": "headers").
    batchKey: request.api === "graph" ? `${kind}|${object.tenant}|${base}|${version}` : "",
    url: base + request.path,
    request,
    client,
    answer,
    resolve,
    reject,
  };
  current.queue.push(queued);
  current.lastEnqueued = queued;
  scheduleFlush();
  return queued;
}

/**
 * Once each promise a held request follows settles: when all succeeded it goes as any other (the flush drops what
 * succeeded from `after`: `runAfter` marked it); when one fails it fails with that error, never sent.
 */
function release(queued: Queued): void {
  const watched = (queued.watched ??= new Set());
  for (const promise of queued.after ?? []) {
    if (watched.has(promise)) continue;
    watched.add(promise);
    promise.then(
      () => scheduleFlush(),
      (error: unknown) => {
        if (!store().queue.includes(queued)) return;
        store().queue = store().queue.filter((one) => one !== queued);
        queued.reject(error);
      },
    );
  }
}

/** After the current turn of the event loop: sends what is queued once every call in flight is parked. */
function scheduleFlush(): void {
  const current = store();
  if (current.flushScheduled || current.queue.length === 0) return;
  current.flushScheduled = true;
  setImmediate(() => {
    current.flushScheduled = false;
    flush(false);
  });
}

function flush(forced: boolean): void {
  const current = store();
  const running = [...current.calls].some((call) => call.waits === 0);
  if (running && !forced) {
    // A call is still running and may send too; it parks or ends soon, which schedules this again.
    current.valve ??= setTimeout(() => {
      current.valve = undefined;
      flush(true);
    }, valveMs).unref();
    return;
  }
  if (current.valve !== undefined) clearTimeout(current.valve);
  current.valve = undefined;
  // What a request follows and has succeeded is no longer waited for.
  for (const queued of current.queue) {
    if (queued.after === undefined) continue;
    const rest = queued.after.filter((promise) => !current.succeeded.has(promise));
    queued.after = rest.length === 0 ? undefined : rest;
  }
  // A read of an object that a write is changing waits for the write; a request that follows others (runAfter)
  // leaves behind them in their `$batch`, or waits until they settled.
  const candidates = current.queue.filter(
    (queued) => queued.after !== undefined || queued.kind === "write" || queued.object.writing === 0,
  );
  const ready = candidates.filter((queued) => queued.after === undefined);
  const leaving = new Set(ready);
  for (let joined = true; joined;) {
    joined = false;
    for (const queued of candidates) {
      if (queued.after === undefined || leaving.has(queued)) continue;
      const followed = queued.after.map((promise) => queuedOf(promise));
      const together = followed.every((one) => one !== undefined && leaving.has(one) && sameService(one, queued));
      if (!together) continue;
      queued.dependsOn = followed as Queued[];
      leaving.add(queued);
      ready.push(queued);
      joined = true;
    }
  }
  for (const queued of candidates) if (!leaving.has(queued)) release(queued);
  if (ready.length === 0) return;
  current.queue = current.queue.filter((queued) => !leaving.has(queued));
  const groups = new Map<string, Queued[]>();
  const groupOf = new Map<Queued, string>();
  ready.forEach((queued, index) => {
    queued.sent = true;
    if (queued.kind === "write") {
      queued.object.version += 1;
      queued.object.kept.clear();
    }
    queued.version = queued.object.version;
    // Behind what it follows, in that one's `$batch`; alone (after them) when they leave in different ones.
    const followedGroups = new Set((queued.dependsOn ?? []).map((one) => groupOf.get(one)));
    const group =
      queued.dependsOn !== undefined
        ? followedGroups.size === 1
          ? ([...followedGroups][0] ?? `alone|${index}`)
          : `alone|${index}`
        : queued.batchKey === ""
          ? `alone|${index}`
          : queued.batchKey;
    groupOf.set(queued, group);
    groups.set(group, [...(groups.get(group) ?? []), queued]);
  });
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += maxBatchRequests) {
      void sendTogether(group.slice(start, start + maxBatchRequests));
    }
  }
}

/** Whether two requests may share a `$batch`: Graph, one tenant, one base and version (reads and writes alike). */
function sameService(one: Queued, other: Queued): boolean {
  const service = (queued: Queued): string => queued.batchKey.split("|").slice(1).join("|");
  return one.batchKey !== "" && other.batchKey !== "" && service(one) === service(other);
}

/** Sends a request alone once the requests it follows succeeded (it fails with the first one's error otherwise). */
async function sendAloneInOrder(queued: Queued): Promise<void> {
  if (queued.dependsOn !== undefined) {
    try {
      await Promise.all(queued.dependsOn.map((one) => one.answer));
    } catch (error) {
      queued.reject(error);
      return;
    }
  }
  return sendAlone(queued);
}

async function sendAlone(queued: Queued): Promise<void> {
  try {
    queued.resolve(await queued.client.send(queued.request));
  } catch (error) {
    queued.reject(error);
  }
}

/** One request alone, several in one `$batch`, each answered as if sent alone (Graph docs "json-batching"). */
async function sendTogether(chunk: Queued[]): Promise<void> {
  // A request whose followed ones are not all in this `$batch` (a group cut at 20) goes alone, after them.
  const group = [...chunk];
  for (let dropped = true; dropped;) {
    dropped = false;
    for (const queued of [...group]) {
      if ((queued.dependsOn ?? []).every((one) => group.includes(one))) continue;
      group.splice(group.indexOf(queued), 1);
      dropped = true;
    }
  }
  const apart = chunk.filter((queued) => !group.includes(queued));
  if (apart.length > 0) void Promise.all(apart.map(sendAloneInOrder));
  if (group.length === 0) return;
  if (group.length === 1) return sendAloneInOrder(group[0]);
  const idOf = (queued: Queued): string => String(group.indexOf(queued) + 1);
  const version = group[0].request.path.split("/")[1];
  let responses: unknown[];
  try {
    const batch = await group[0].client.send({
      api: "graph",
      method: "POST",
      path: `/${version}/$batch`,
      body: {
        requests: group.map(({ request, dependsOn }, index) => ({
          id: String(index + 1),
          method: request.method,
          url: request.path.slice(version.length + 1),
          // Behind the requests it follows: Graph runs it after them, and not at all when one failed (424).
          ...(dependsOn !== undefined ? { dependsOn: dependsOn.map(idOf) } : {}),
          ...(request.body === undefined && request.prefer === undefined
            ? {}
            : {
                ...(request.body === undefined ? {} : { body: request.body }),
                headers: {
                  ...(request.body === undefined ? {} : { "Content-Type": "application/json" }),
                  ...(request.prefer === undefined ? {} : { Prefer: request.prefer }),
                },
              }),
        })),
      },
      permission: [...new Set(group.map(({ request }) => request.permission))].join(" and "),
    });
    responses = isRecord(batch.body) && Array.isArray(batch.body.responses) ? batch.body.responses : [];
  } catch {
    // The batch itself failed (throttled, or refused on the way): each goes alone, with the client's retries, a
    // follower only once what it follows succeeded.
    await Promise.all(group.map(sendAloneInOrder));
    return;
  }
  await Promise.all(group.map((queued, index) => answerFromBatch(queued, responses, String(index + 1))));
}

async function answerFromBatch(queued: Queued, responses: unknown[], id: string): Promise<void> {
  const answer = responses.find((response) => isRecord(response) && String(response.id) === id);
  const status = isRecord(answer) && typeof answer.status === "number" ? answer.status : 0;
  // 424: what it follows failed in the batch, or was throttled and is sent again alone: it goes (or fails) after it.
  const followedFailed = status === 424 && (queued.dependsOn?.length ?? 0) > 0;
  if (!isRecord(answer) || status === 0 || retriedAlone(status) || followedFailed) return sendAloneInOrder(queued);
  const headers = isRecord(answer.headers) ? answer.headers : {};
  const requestId = typeof headers["request-id"] === "string" ? headers["request-id"] : undefined;
  if (status >= 200 && status < 300) {
    queued.resolve({ status, body: answer.body, ...(requestId === undefined ? {} : { requestId }) });
    return;
  }
  queued.reject(
    httpFailureError({
      api: "graph",
      method: queued.request.method,
      url: queued.url,
      status,
      bodyText: answer.body === undefined ? "" : JSON.stringify(answer.body),
      ...(requestId === undefined ? {} : { headerRequestId: requestId }),
      permission: queued.request.permission,
      attempts: 1,
    }),
  );
}
