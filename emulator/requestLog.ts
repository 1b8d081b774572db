/**
 * The emulator's request log, bounded twice: it keeps the newest {@link defaultRequestLogLimit} entries, and of
 * those only as many as fit in {@link defaultRequestLogBytes}, and counts the ones it dropped, so an emulator left
 * running (`npm run emulator`, a long lab session, a throttling test that sends thousands of requests) does not grow
 * without limit.
 *
 * 10,000 entries: a full rehearsal (`--twice --destroy`) sends well under 100 requests and the whole test suite's
 * busiest emulator a few hundred, so no test or rehearsal loses an entry. 4 MiB: an ordinary entry is about 200
 * bytes (10,000 of them about 2 MB), but a path may be as long as Node's header limit (16 KiB), and 10,000 such
 * entries once reached 81 MB; the byte bound holds the log to 4 MiB of entries (as JSON text) whatever they hold.
 */
import type { RequestLogEntry } from "./types";

export const defaultRequestLogLimit = 10_000;
export const defaultRequestLogBytes = 4 * 1024 * 1024;

/** Response header of `GET /_emulator/requests`: entries dropped since the log was last cleared. */
export const droppedHeader = "X-Emulator-Requests-Dropped";

/**
 * An entry's weight against the byte bound: its JSON text, plus room for the status the server sets after logging
 * (up to three more digits) and the comma between entries, so the log as JSON stays within the bound.
 */
function entryBytes(entry: RequestLogEntry): number {
  return Buffer.byteLength(JSON.stringify(entry), "utf8") + 4;
}

export class RequestLog {
  private entries: { entry: RequestLogEntry; bytes: number }[] = [];
  private totalBytes = 0;
  private droppedCount = 0;

  constructor(
    private readonly limit: number = defaultRequestLogLimit,
    private readonly byteLimit: number = defaultRequestLogBytes,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`request log limit is ${limit}; allowed: an integer >= 1`);
    if (!Number.isInteger(byteLimit) || byteLimit < 1)
      throw new Error(`request log byte limit is ${byteLimit}; allowed: an integer >= 1`);
  }

  /** Adds an entry (the caller may still set its status); drops the oldest beyond either bound (never the newest). */
  push(entry: RequestLogEntry): void {
    const bytes = entryBytes(entry);
    this.entries.push({ entry, bytes });
    this.totalBytes += bytes;
    let excess = 0;
    while (
      this.entries.length - excess > 1 &&
      (this.entries.length - excess > this.limit || this.totalBytes > this.byteLimit)
    ) {
      this.totalBytes -= this.entries[excess].bytes;
      excess += 1;
    }
    if (excess > 0) {
      this.entries.splice(0, excess);
      this.droppedCount += excess;
    }
  }

  /** The kept entries, oldest first (the live objects: callers clone them). */
  list(): RequestLogEntry[] {
    return this.entries.map(({ entry }) => entry);
  }

  /** Bytes the kept entries weighed when they were logged. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Entries dropped since the last clear. */
  get dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.entries = [];
    this.totalBytes = 0;
    this.droppedCount = 0;
  }
}

/** Whether a logged request could change the tenant: anything but a GET, or a `$batch` holding only GETs. */
export function isWriteRequest(entry: Pick<RequestLogEntry, "method" | "batch">): boolean {
  if (entry.method === "GET") return false;
  return !(entry.batch !== undefined && entry.batch.length > 0 && entry.batch.every((method) => method === "GET"));
}
