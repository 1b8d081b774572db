/**
 * Faults and throttling inside `$batch` (emulator/batch.ts with faults.ts's innerRequestFault): Graph throttles and
 * fails each request in a batch on its own and answers it in the batch body, with its own status and `Retry-After`
 * (https://learn.microsoft.com/graph/json-batching). A faulted inner write changes nothing; the others still run.
 */
import { allGraphPermissions, call, graphAppToken, type Json, type Reply } from "./helpers";
import { useEmulator } from "../support/emulator";

const admin = graphAppToken(allGraphPermissions);
const emailPath = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Email";
const emailType = "#microsoft.graph.emailAuthenticationMethodConfiguration";

describe("a fault aimed at a Graph write fires inside a $batch", () => {
  const lab = useEmulator();
  const batch = (requests: Json[]): Promise<Reply> =>
    call(lab.emulator.url, "POST", "/v1.0/$batch", { token: admin, body: { requests } });
  const responses = (reply: Reply): Json[] => (reply.body as { responses: Json[] }).responses;

  it("answers the inner write with the fault's status and Retry-After, and changes nothing", async () => {
    lab.emulator.addFault({ method: "PATCH", path: `/v1.0${emailPath}`, status: 429, retryAfter: 7 });
    const before = lab.emulator.state();
    const reply = await batch([
      { id: "1", method: "PATCH", url: emailPath, body: { "@odata.type": emailType, state: "disabled" } },
      { id: "2", method: "GET", url: "/policies/authorizationPolicy" },
    ]);
    expect(reply.status).toBe(200);
    const [write, read] = responses(reply);
    expect(write).toMatchObject({ id: "1", status: 429, headers: { "Retry-After": "7" } });
    expect(read).toMatchObject({ id: "2", status: 200 });
    expect(lab.emulator.state().authenticationMethodsPolicy).toEqual(before.authenticationMethodsPolicy);
    // Used up: the same write sent again lands.
    const again = await batch([
      { id: "1", method: "PATCH", url: emailPath, body: { "@odata.type": emailType, state: "disabled" } },
    ]);
    expect(responses(again)[0]).toMatchObject({ status: 204 });
  });

  it("logs a $batch as one request, with each inner request's method and URL in order", async () => {
    await batch([
      { id: "1", method: "GET", url: "/policies/authorizationPolicy?$select=id" },
      { id: "2", method: "PATCH", url: emailPath, body: { "@odata.type": emailType, state: "disabled" } },
    ]);
    expect(lab.emulator.requests()).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/v1.0/$batch",
        batch: ["GET", "PATCH"],
        batchUrls: ["/policies/authorizationPolicy?$select=id", emailPath],
      }),
    ]);
  });
});

describe("throttling counts each request inside a $batch", () => {
  const lab = useEmulator({ throttle: { requests: 2, perSeconds: 60 } });

  it("the batch is admitted, its second inner request is throttled with Retry-After in its own answer", async () => {
    const reply = await call(lab.emulator.url, "POST", "/v1.0/$batch", {
      token: admin,
      body: {
        requests: [
          { id: "1", method: "GET", url: "/policies/authorizationPolicy" },
          { id: "2", method: "GET", url: "/policies/authorizationPolicy" },
        ],
      },
    });
    expect(reply.status).toBe(200);
    const [first, second] = (reply.body as { responses: Json[] }).responses;
    expect(first).toMatchObject({ status: 200 });
    expect(second).toMatchObject({ status: 429 });
    expect(Number((second.headers as Json)["Retry-After"])).toBeGreaterThanOrEqual(1);
  });
});
