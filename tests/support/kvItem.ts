/**
 * A throwaway dynamic resource for the rehearsal engine's own tests: one item on the loopback key-value server of
 * `kvServer.ts`. The Entra objects run in the provider plugin since 0.2; Pulumi's dynamic-provider host is still what
 * state written by 0.1 runs in before its upgrade (docs/reference/pulumi-engine.md#dynamic-providers-and-old-state),
 * so `engine/providerHost.ts` keeps driving it, and this resource exercises that host with:
 * - a local helper module imported at the top of this file and called from the methods (`kvItemHelpers`);
 * - a package `require()`d inside a method (`zod` in `check`);
 * - `pulumi.log.info` inside a method (`create`), never with the value or the note (the note may be a secret);
 * - a method that throws with the server's message when the server refuses.
 * Type token: `pulumi-nodejs:dynamic/kv-test:KvItem`.
 */
import * as pulumi from "@pulumi/pulumi";
import { changedKeys, itemUrl } from "./kvItemHelpers";

export interface KvItemInputs {
  serverUrl: string;
  key: string;
  value: string;
  note?: string;
}

export interface KvItemOutputs extends KvItemInputs {
  revision: number;
}

export const kvItemModule = "kv-test";
export const kvItemType = `pulumi-nodejs:dynamic/${kvItemModule}:KvItem`;

/** Sends one request to the key-value server; throws with the server's own message when it refuses. */
async function callServer(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok && response.status !== 404) {
    const error = typeof json === "object" && json !== null ? (json as { error?: unknown }).error : undefined;
    throw new Error(`kv server refused ${method} ${url}: ${response.status} ${String(error)}`);
  }
  return { status: response.status, json };
}

async function putItem(inputs: KvItemInputs): Promise<KvItemOutputs> {
  const body: Record<string, string> = { value: inputs.value };
  if (inputs.note !== undefined) {
    body.note = inputs.note;
  }
  const { json } = await callServer("PUT", itemUrl(inputs.serverUrl, inputs.key), body);
  return { ...inputs, revision: (json as { revision: number }).revision };
}

const kvItemProvider: pulumi.dynamic.ResourceProvider<KvItemInputs, KvItemOutputs> = {
  async check(_olds, news) {
    const { z } = require("zod") as typeof import("zod");
    const schema = z
      .object({
        serverUrl: z.string().url(),
        key: z.string().regex(/^[a-z0-9-]+$/, "key must be lower-case letters, digits and dashes"),
        value: z.string().min(1, "value must not be empty"),
        note: z.string().optional(),
      })
      .passthrough();
    const parsed = schema.safeParse(news);
    const failures = parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ property: issue.path.join("."), reason: issue.message }));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = changedKeys({ ...olds }, { ...news }, ["serverUrl", "key"]);
    const changes = changedKeys({ ...olds }, { ...news }, ["serverUrl", "key", "value", "note"]);
    return { changes: changes.length > 0, replaces, stables: ["serverUrl"], deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const outs = await putItem(inputs);
    await pulumi.log.info(`kv item ${inputs.key} created at revision ${outs.revision}`);
    return { id: inputs.key, outs };
  },

  async read(id, props) {
    const serverUrl = props?.serverUrl ?? "";
    const { status, json } = await callServer("GET", itemUrl(serverUrl, id));
    if (status === 404) {
      return { id: "", props: {} as KvItemOutputs };
    }
    const record = json as { value: string; note?: string; revision: number };
    const current: KvItemOutputs = { serverUrl, key: id, value: record.value, revision: record.revision };
    if (record.note !== undefined) {
      current.note = record.note;
    }
    return { id, props: current };
  },

  async update(_id, _olds, news) {
    return { outs: await putItem(news) };
  },

  async delete(id, props) {
    await callServer("DELETE", itemUrl(props.serverUrl, id));
  },
};

export interface KvItemArgs {
  serverUrl: pulumi.Input<string>;
  key: pulumi.Input<string>;
  value: pulumi.Input<string>;
  note?: pulumi.Input<string>;
}

export class KvItem extends pulumi.dynamic.Resource {
  // `declare`, not `!`: with target ES2022 (useDefineForClassFields) a plain field declaration is re-initialised to
  // undefined after super() returns, wiping the Output the SDK assigned to it.
  declare public readonly key: pulumi.Output<string>;
  declare public readonly value: pulumi.Output<string>;
  declare public readonly note: pulumi.Output<string | undefined>;
  declare public readonly revision: pulumi.Output<number>;

  constructor(name: string, args: KvItemArgs, opts?: pulumi.CustomResourceOptions) {
    super(kvItemProvider, name, { revision: undefined, ...args }, opts, kvItemModule, "KvItem");
  }
}
