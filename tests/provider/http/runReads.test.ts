/**
 * The reads of one run (provider/http/runReads.ts) in this process, over a recording client: what is sent, when,
 * and in how many requests. The same rules through the real plugin and emulator are counted per operation in
 * tests/scripts/bench.test.ts.
 */
import type { EntraClient, EntraRequest, EntraResponse } from "../../../provider/http/client";
import { httpFailureError, isEntraError } from "../../../provider/http/errors";
import {
  beginRun,
  callsGathered,
  enableRunReads,
  expectStep,
  gatherQuietMs,
  runAfter,
  runClient,
  stepArrived,
  trackCall,
} from "../../../provider/http/runReads";

const target = {
  tenantId: "contoso.example",
  endpoints: { graph: "https://graph.test", portal: "https://portal.test" },
};
const policy = "/v1.0/policies/authenticationMethodsPolicy";
const email = `${policy}/authenticationMethodConfigurations/Email`;
const voice = `${policy}/authenticationMethodConfigurations/Voice`;
const mark = "/v1.0/applications(uniqueName='entra-sspr-ownership-mark')";

/**
 * A Graph stand-in answering each request (and each request inside a `$batch`, in order, a dependant of a failed one
 * with 424 as Graph does) by `answer`, recording what was sent in `sent`; wrapped by runClient for `tenant`.
 */
function scriptedGraph(
  answer: (method: string, path: string) => { status: number; body?: unknown },
  sent: string[],
  tenant: typeof target,
) {
  const client: EntraClient = {
    async send(request: EntraRequest): Promise<EntraResponse> {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (request.path === "/v1.0/$batch") {
        const inner = (
          request.body as { requests: { id: string; method: string; url: string; dependsOn?: string[] }[] }
        ).requests;
        sent.push(
          `POST $batch [${inner.map((one) => `${one.method} ${one.url}${one.dependsOn ? ` after ${one.dependsOn}` : ""}`).join(", ")}]`,
        );
        const responses: { id: string; status: number; body?: unknown }[] = [];
        for (const one of inner) {
          const failed = (one.dependsOn ?? []).some(
            (id) => (responses.find((response) => response.id === id)?.status ?? 0) >= 300,
          );
          responses.push({ id: one.id, ...(failed ? { status: 424 } : answer(one.method, `/v1.0${one.url}`)) });
        }
        return { status: 200, body: { responses } };
      }
      sent.push(`${request.method} ${request.path}`);
      const { status, body } = answer(request.method, request.path);
      if (status >= 300) {
        throw httpFailureError({
          api: "graph",
          method: request.method,
          url: request.path,
          status,
          bodyText: JSON.stringify(body),
          permission: request.permission,
          attempts: 1,
        });
      }
      return { status, body };
    },
  };
  return runClient(client, tenant);
}

/** A tenant of documents by path; records every request as `METHOD path` (a batch with its inner requests). */
function recordingClient(
  documents: Record<string, unknown>,
  statuses: Record<string, number> = {},
  tenant: typeof target = target,
) {
  const sent: string[] = [];
  let writes = 0;
  const answer = (method: string, path: string): { status: number; body: unknown } => {
    if (method !== "GET") {
      writes += 1;
      return { status: 204, body: undefined };
    }
    const status = statuses[path] ?? (path in documents ? 200 : 404);
    const body =
      status === 200 ? { ...(documents[path] as object), writesSeen: writes } : { error: { code: "NotFound" } };
    return { status, body };
  };
  return { client: scriptedGraph(answer, sent, tenant), sent };
}

const get = (client: EntraClient, path: string) =>
  client.send({ api: "graph", method: "GET", path, permission: "Policy.Read.All" });
const patch = (client: EntraClient, path: string) =>
  client.send({ api: "graph", method: "PATCH", path, body: { state: "enabled" }, permission: "Policy.ReadWrite" });

beforeAll(() => enableRunReads());
beforeEach(() => beginRun());

describe("the reads of one run", () => {
  it("sends one GET for readers of the same object at the same moment, and none again in the run", async () => {
    const { client, sent } = recordingClient({ [policy]: { id: "policy" } });
    const answers = await Promise.all([1, 2, 3].map(() => trackCall(() => get(client, policy))));
    expect(answers.map((one) => one.body)).toEqual([1, 2, 3].map(() => ({ id: "policy", writesSeen: 0 })));
    await trackCall(() => get(client, policy));
    expect(sent).toEqual([`GET ${policy}`]);
  });

  it("sends reads of different objects made at the same moment in one $batch", async () => {
    const { client, sent } = recordingClient({ [policy]: { id: "policy" }, [mark]: { notes: "" } });
    await Promise.all([trackCall(() => get(client, policy)), trackCall(() => get(client, mark))]);
    expect(sent).toEqual([`POST $batch [GET /policies/authenticationMethodsPolicy, GET ${mark.slice(5)}]`]);
  });

  it("sends writes made at the same moment in one $batch, and the read-back after both, once", async () => {
    const { client, sent } = recordingClient({ [policy]: { id: "policy" } });
    const writeAndReadBack = (path: string) =>
      trackCall(async () => {
        await patch(client, path);
        return (await get(client, policy)).body;
      });
    const [afterEmail, afterVoice] = await Promise.all([writeAndReadBack(email), writeAndReadBack(voice)]);
    expect(sent).toEqual([`POST $batch [PATCH ${email.slice(5)}, PATCH ${voice.slice(5)}]`, `GET ${policy}`]);
    expect(afterEmail).toEqual({ id: "policy", writesSeen: 2 });
    expect(afterVoice).toEqual(afterEmail);
  });

  it("never answers a read from before a write that ended before it was asked", async () => {
    const { client, sent } = recordingClient({ [policy]: { id: "policy" } });
    await trackCall(() => get(client, policy));
    await trackCall(() => patch(client, email));
    const after = await trackCall(() => get(client, policy));
    expect(after.body).toEqual({ id: "policy", writesSeen: 1 });
    expect(sent).toEqual([`GET ${policy}`, `PATCH ${email}`, `GET ${policy}`]);
  });

  it("keeps Graph's 404 as the run's answer (the ownership mark before the first claim)", async () => {
    const { client, sent } = recordingClient({ [policy]: { id: "policy" } });
    const failures = await Promise.all(
      [1, 2].map(() => trackCall(() => get(client, mark)).catch((error: unknown) => error)),
    );
    const again = await trackCall(() => get(client, mark)).catch((error: unknown) => error);
    for (const failure of [...failures, again]) expect(isEntraError(failure) && failure.status).toBe(404);
    expect(sent).toEqual([`GET ${mark}`]);
  });

  it("maps a batched 404 to the error the request alone would give, and sends a throttled one again alone", async () => {
    const { client, sent } = recordingClient({ [policy]: { id: "policy" } }, { [policy]: 429 });
    const [policyRead, markRead] = await Promise.allSettled([
      trackCall(() => get(client, policy)),
      trackCall(() => get(client, mark)),
    ]);
    expect(markRead.status === "rejected" && isEntraError(markRead.reason) && markRead.reason.status).toBe(404);
    expect(policyRead.status).toBe("rejected"); // the recording client has no retries: the lone resend fails too
    expect(sent).toEqual([
      `POST $batch [GET /policies/authenticationMethodsPolicy, GET ${mark.slice(5)}]`,
      `GET ${policy}`,
    ]);
  });

  it("forgets everything when a new run begins (the engine configures the provider)", async () => {
    const { client, sent } = recordingClient({ [policy]: { id: "policy" } });
    await trackCall(() => get(client, policy));
    beginRun();
    await trackCall(() => get(client, policy));
    expect(sent).toEqual([`GET ${policy}`, `GET ${policy}`]);
  });

  it("begins a run of one tenant at its endpoints, and leaves another tenant's run alone", async () => {
    const contoso = recordingClient({ [policy]: { id: "policy" } });
    const fabrikam = recordingClient({ [policy]: { id: "policy" } }, {}, { ...target, tenantId: "fabrikam.example" });
    await Promise.all([trackCall(() => get(contoso.client, policy)), trackCall(() => get(fabrikam.client, policy))]);
    beginRun({
      tenantId: "CONTOSO.example",
      endpoints: { graph: "https://graph.test/", portal: target.endpoints.portal },
    });
    await Promise.all([trackCall(() => get(contoso.client, policy)), trackCall(() => get(fabrikam.client, policy))]);
    // Never one batch for two tenants (a batch goes with one tenant's token): each sent its own GET both times.
    expect(contoso.sent).toEqual([`GET ${policy}`, `GET ${policy}`]);
    expect(fabrikam.sent).toEqual([`GET ${policy}`]);
    // The same tenant name at other endpoints (another emulator) is another tenant.
    beginRun({
      tenantId: "contoso.example",
      endpoints: { graph: "http://127.0.0.1:1", portal: "http://127.0.0.1:1/api" },
    });
    await trackCall(() => get(contoso.client, policy));
    expect(contoso.sent).toHaveLength(2);
  });

  it("holds a read while another call that may read too is still running, and sends them together", async () => {
    const { client, sent } = recordingClient({ [policy]: { id: "policy" }, [mark]: { notes: "" } });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = trackCall(async () => {
      await gate; // e.g. a token on its way: not a read, so the other call's read waits for this call
      return get(client, mark);
    });
    const fast = trackCall(() => get(client, policy));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toEqual([]);
    release();
    await Promise.all([slow, fast]);
    expect(sent).toEqual([`POST $batch [GET /policies/authenticationMethodsPolicy, GET ${mark.slice(5)}]`]);
  });
});

describe("the pause before a write is gathered (callsGathered: calls the engine starts a few ms apart)", () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("waits until no call has started for a few milliseconds, counting a call that starts meanwhile", async () => {
    await trackCall(async () => undefined);
    const started = performance.now();
    let lateCallAt = 0;
    const gathered = callsGathered().then(() => performance.now());
    await sleep(gatherQuietMs / 2);
    lateCallAt = performance.now();
    await trackCall(async () => undefined);
    const at = await gathered;
    expect(at - lateCallAt).toBeGreaterThanOrEqual(gatherQuietMs - 1);
    expect(at - started).toBeGreaterThanOrEqual(gatherQuietMs);
  });

  it("waits for a step the engine announced (a check passed) however late it comes, then for the quiet moment", async () => {
    expectStep("urn:voice");
    const gathered = callsGathered().then(() => performance.now());
    // Longer than any quiet moment: on a busy machine the create that follows a check may come this late.
    await sleep(gatherQuietMs * 5);
    stepArrived("urn:voice");
    const arrivedAt = performance.now();
    await trackCall(async () => undefined);
    const at = await gathered;
    expect(at - arrivedAt).toBeGreaterThanOrEqual(gatherQuietMs - 1);
  });

  it("stops waiting for an announced step that does not come (a diff without changes, a run begun again)", async () => {
    expectStep("urn:email");
    stepArrived("urn:email");
    expectStep("urn:sms");
    beginRun(target);
    const started = performance.now();
    await callsGathered();
    expect(performance.now() - started).toBeLessThan(gatherQuietMs * 5);
  });

  it("holds nothing back for long under a stream of calls", async () => {
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        await trackCall(async () => undefined);
        await sleep(2);
      }
    })();
    const started = performance.now();
    await callsGathered();
    const waited = performance.now() - started;
    streaming = false;
    await stream;
    expect(waited).toBeLessThan(200);
  });
});

/** A Graph that honours `dependsOn` in a `$batch` as documented: a request whose dependency failed answers 424. */
function orderingClient(failingWrites: string[] = []) {
  const sent: string[] = [];
  const applied: string[] = [];
  const answer = (method: string, path: string) => {
    if (method === "GET") return { status: 200, body: { applied: [...applied] } };
    if (failingWrites.includes(path)) return { status: 403, body: { error: { code: "Forbidden" } } };
    applied.push(path);
    return { status: 204, body: undefined };
  };
  return { client: scriptedGraph(answer, sent, target), sent, applied };
}

describe("requests that follow another (runAfter: the before-snapshot, then the settings, then the read-back)", () => {
  it("leave in one $batch, each behind the one it follows (dependsOn)", async () => {
    const { client, sent, applied } = orderingClient();
    const read = await trackCall(async () => {
      const before = patch(client, mark);
      const setting = runAfter(before, () => patch(client, email));
      return runAfter(setting, () => get(client, policy));
    });
    expect(sent).toEqual([
      `POST $batch [PATCH ${mark.slice(5)}, PATCH ${email.slice(5)} after 1, GET ${policy.slice(5)} after 2]`,
    ]);
    expect(applied).toEqual([mark, email]);
    // The read-back follows the write: it sees it, never an answer from before.
    expect(read.body).toEqual({ applied: [mark, email] });
  });

  it("writes no setting when the write it follows fails: the followers fail with that error", async () => {
    const { client, sent, applied } = orderingClient([mark]);
    const outcome = await trackCall(async () => {
      const before = patch(client, mark);
      const setting = runAfter(before, () => patch(client, email));
      const readBack = runAfter(setting, () => get(client, policy));
      return Promise.allSettled([before, setting, readBack]);
    });
    expect(outcome.map((one) => one.status)).toEqual(["rejected", "rejected", "rejected"]);
    const reasons = outcome.map((one) => (one.status === "rejected" ? one.reason : undefined));
    expect(reasons.every((reason) => isEntraError(reason) && reason.status === 403)).toBe(true);
    expect(applied).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it("waits for a follower's request that already left, then sends it", async () => {
    const { client, sent } = orderingClient();
    await trackCall(async () => {
      const before = patch(client, mark);
      await new Promise((resolve) => setTimeout(resolve, 1));
      // `before` has left by now: the setting goes once it is answered, alone.
      await runAfter(before, () => patch(client, email));
    });
    expect(sent).toEqual([`PATCH ${mark}`, `PATCH ${email}`]);
  });
});

describe("a request that follows several (destroy's release of the mark behind every restore's read-back)", () => {
  it("leaves in their $batch, behind all of them (dependsOn lists each read-back)", async () => {
    const { client, sent, applied } = orderingClient();
    await trackCall(async () => {
      const readBacks = [email, voice].map((path) =>
        runAfter(
          runAfter(undefined, () => patch(client, path)),
          () => get(client, policy),
          { readBack: true },
        ),
      );
      await runAfter(readBacks, () => patch(client, mark));
    });
    expect(sent).toEqual([
      `POST $batch [PATCH ${email.slice(5)}, PATCH ${voice.slice(5)}, GET ${policy.slice(5)} after 1, ` +
        `GET ${policy.slice(5)} after 2, PATCH ${mark.slice(5)} after 3,4]`,
    ]);
    expect(applied).toEqual([email, voice, mark]);
  });

  it("is not run when one of them fails: Graph answers it 424, and it fails with that error, never sent again", async () => {
    const { client, sent, applied } = orderingClient([voice]);
    const outcome = await trackCall(async () => {
      const readBacks = [email, voice].map((path) =>
        runAfter(
          runAfter(undefined, () => patch(client, path)),
          () => get(client, policy),
          { readBack: true },
        ),
      );
      return Promise.allSettled([...readBacks, runAfter(readBacks, () => patch(client, mark))]);
    });
    expect(outcome.map((one) => one.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    const released = outcome[2];
    expect(released.status === "rejected" && isEntraError(released.reason) && released.reason.status).toBe(403);
    expect(applied).toEqual([email]);
    expect(sent).toHaveLength(1);
  });

  it("needs no dependsOn on one already answered, and waits for one still in flight", async () => {
    const { client, sent } = orderingClient();
    await trackCall(async () => {
      const answered = runAfter(undefined, () => patch(client, email));
      await answered;
      const inFlight = runAfter(undefined, () => patch(client, voice));
      await new Promise((resolve) => setTimeout(resolve, 1));
      // `answered` is done and `inFlight` has left: the release goes once that one is answered, alone.
      await runAfter([answered, inFlight], () => patch(client, mark));
    });
    expect(sent).toEqual([`PATCH ${email}`, `PATCH ${voice}`, `PATCH ${mark}`]);
  });
});
