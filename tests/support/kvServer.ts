/**
 * A tiny key-value HTTP server on 127.0.0.1 for the harness tests: the throwaway dynamic provider in `kvItem.ts`
 * manages its items, so a test can see that a call through the real provider host changed something real.
 *
 * Routes: `PUT /items/<key>` (body `{ value, note? }`, creates or replaces, bumps the revision),
 * `GET /items/<key>`, `DELETE /items/<key>`. Missing items answer 404; `failNext` makes the next request fail.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface KvRecord {
  value: string;
  note?: string;
  revision: number;
}

export interface KvServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The live store, keyed by item key. Tests read and change it directly (e.g. to simulate drift). */
  items: Map<string, KvRecord>;
  /** `METHOD /path` of every request, in arrival order. */
  requests: string[];
  /** The next request answers `status` with `{ error: message }`. */
  failNext(status: number, message: string): void;
  stop(): Promise<void>;
}

const itemPath = /^\/items\/([^/]+)$/;

export async function startKvServer(): Promise<KvServer> {
  const items = new Map<string, KvRecord>();
  const requests: string[] = [];
  let revision = 0;
  let pendingFailure: { status: number; message: string } | undefined;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const method = req.method ?? "GET";
      const path = (req.url ?? "/").split("?")[0];
      requests.push(`${method} ${path}`);
      const reply = (status: number, body?: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (pendingFailure) {
        const failure = pendingFailure;
        pendingFailure = undefined;
        reply(failure.status, { error: failure.message });
        return;
      }
      const match = itemPath.exec(path);
      if (!match) {
        reply(404, { error: `no route ${method} ${path}` });
        return;
      }
      const key = decodeURIComponent(match[1]);
      const existing = items.get(key);
      if (method === "GET") {
        reply(existing ? 200 : 404, existing ? { key, ...existing } : { error: `no item ${key}` });
      } else if (method === "DELETE") {
        items.delete(key);
        reply(existing ? 204 : 404, existing ? undefined : { error: `no item ${key}` });
      } else if (method === "PUT") {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
        if (typeof fields.value !== "string") {
          reply(400, { error: "value must be a string" });
          return;
        }
        revision += 1;
        const record: KvRecord = { value: fields.value, revision };
        if (typeof fields.note === "string") {
          record.note = fields.note;
        }
        items.set(key, record);
        reply(existing ? 200 : 201, { key, ...record });
      } else {
        reply(405, { error: `method ${method} not allowed` });
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    items,
    requests,
    failNext(status, message) {
      pendingFailure = { status, message };
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
