/**
 * The emulator answers only this machine (emulator/localOnly.ts): a web page of another site cannot drive its control
 * routes (415 for a cross-site `text/plain` POST, 403 for a foreign `Origin` or a `Host` that is not loopback, as DNS
 * rebinding sends), and it binds to loopback unless asked otherwise.
 */
import * as http from "node:http";
import { startEmulator } from "../../emulator/server";
import { allGraphPermissions, call, graphAppToken, graphError } from "./helpers";
import { useEmulator } from "../support/emulator";

const lab = useEmulator();
const fault = JSON.stringify({ path: "/v1.0/policies/authorizationPolicy", status: 503 });

/** A raw request with headers fetch would not let a test choose (`Host`). */
function rawRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, { method, headers }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe("control routes take JSON only", () => {
  it.each([
    ["text/plain", "/_emulator/faults", fault],
    ["text/plain;charset=UTF-8", "/_emulator/reset", ""],
    ["application/x-www-form-urlencoded", "/_emulator/faults", fault],
    ["multipart/form-data; boundary=x", "/_emulator/reset", ""],
  ])("a cross-site simple POST (%s) to %s is 415 and changes nothing", async (contentType, path, body) => {
    const before = lab.emulator.state();
    const reply = await rawRequest(lab.emulator.url, "POST", path, { "Content-Type": contentType }, body);
    expect(reply.status).toBe(415);
    expect(JSON.parse(reply.body)).toMatchObject({
      error: { code: "UnsupportedMediaType", message: expect.stringContaining("Control routes take JSON only") },
    });
    expect(lab.emulator.state()).toEqual(before);
    expect((await call(lab.emulator.url, "GET", "/_emulator/faults")).body).toEqual([]);
  });

  it("the same requests as JSON (and a body-less reset) still work", async () => {
    expect((await call(lab.emulator.url, "POST", "/_emulator/faults", { rawBody: fault })).status).toBe(201);
    expect((await call(lab.emulator.url, "POST", "/_emulator/reset")).status).toBe(204);
    expect((await call(lab.emulator.url, "GET", "/_emulator/state")).status).toBe(200);
  });
});

describe("Host and Origin must be loopback", () => {
  it.each([
    ["a rebinding name in Host", { Host: "attacker.example:8640" }],
    ["a LAN address in Host", { Host: "192.168.1.20:8640" }],
    ["a page of another site (Origin)", { Origin: "https://attacker.example", "Content-Type": "application/json" }],
    ["a sandboxed page (Origin null)", { Origin: "null", "Content-Type": "application/json" }],
  ])("%s: 403 on control and API routes, nothing changes", async (_title, headers) => {
    const before = lab.emulator.state();
    const reset = await rawRequest(lab.emulator.url, "POST", "/_emulator/faults", headers, fault);
    expect(reset.status).toBe(403);
    expect((JSON.parse(reset.body) as { error: { code: string } }).error.code).toBe("Forbidden");
    const api = await rawRequest(lab.emulator.url, "GET", "/v1.0/policies/authorizationPolicy", {
      ...headers,
      Authorization: `Bearer ${graphAppToken(allGraphPermissions)}`,
    });
    expect(api.status).toBe(403);
    expect((await call(lab.emulator.url, "GET", "/_emulator/faults")).body).toEqual([]);
    expect(lab.emulator.state()).toEqual(before);
    expect(lab.emulator.requests()).toEqual([]);
  });

  it("loopback Host names and a loopback Origin are answered", async () => {
    const { port } = lab.emulator;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, "127.0.0.2"]) {
      const reply = await rawRequest(lab.emulator.url, "GET", "/_emulator/faults", {
        Host: host,
        Origin: `http://localhost:${port}`,
      });
      expect(reply.status).toBe(200);
    }
  });
});

describe("binding", () => {
  it.each(["0.0.0.0", "::", "192.0.2.10"])("host %s without allowRemote is refused before listening", async (host) => {
    await expect(startEmulator({ host, port: 0 })).rejects.toThrow(
      `Invalid emulator options: host is "${host}"; allowed: a loopback address (127.0.0.1, ::1, localhost).`,
    );
  });

  it("allowRemote binds any address and answers any Host", async () => {
    const remote = await startEmulator({ host: "0.0.0.0", port: 0, allowRemote: true });
    try {
      const reply = await rawRequest(`http://127.0.0.1:${remote.port}`, "GET", "/_emulator/faults", {
        Host: "lab-machine.example",
      });
      expect(reply.status).toBe(200);
    } finally {
      await remote.stop();
    }
  });

  it("a 403 uses Graph's error body", async () => {
    const reply = await call(lab.emulator.url, "GET", "/_emulator/state", { headers: { Origin: "https://x.example" } });
    expect(reply.status).toBe(403);
    expect(graphError(reply)).toMatchObject({ code: "Forbidden", innerError: expect.any(Object) });
  });
});
