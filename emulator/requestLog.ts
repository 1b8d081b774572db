/**
 * The emulator's request log, bounded: it keeps the newest {@link defaultRequestLogLimit} entries and counts the ones
 * it dropped, so an emulator left running (`npm run emulator`, a long lab session, a throttling test that sends
 * thousands of requests) does not grow without limit.
 *
 * 10,000: a full rehearsal (`--twice --destroy`) sends well under 100 requests and the whole test suite's busiest
 * emulator a few hundred, so no test or rehearsal loses an entry; an entry is about 200 bytes, so the log stays
 * near 2 MB at most.
 */
import type { RequestLogEntry } from "./types";

export const defaultRequestLogLimit = 10_000;

/** Response header of `GET /_emulator/requests`: entries dropped since the log was last cleared. */
export const droppedHeader = "X-Emulator-Requests-Dropped";

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private droppedCount = 0;

  constructor(private readonly limit: number = defaultRequestLogLimit) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`request log limit is ${limit}; allowed: an integer >= 1`);
  }

  /** Adds an entry (the caller may still set its status); drops the oldest beyond the limit. */
  push(entry: RequestLogEntry): void {
    this.entries.push(entry);
    const excess = this.entries.length - this.limit;
    if (excess > 0) {
      this.entries.splice(0, excess);
      this.droppedCount += excess;
    }
  }

  /** The kept entries, oldest first (the live array: callers clone it). */
  list(): RequestLogEntry[] {
    return this.entries;
  }

  /** Entries dropped since the last clear. */
  get dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.entries = [];
    this.droppedCount = 0;
  }
}
