/** What one `send` of the client learns along the way, shared by its pipeline policies (`retry.ts`, `bearerTokenToKnownHosts.ts`). */

/** What one `send` learns along the way; the policies write it, `send` turns it into the result or the error. */
export interface SendState {
  /** When the first attempt started (after the token was obtained). */
  startedAt: number;
  attempts: number;
  /** Tokens sent, to strip from any echoed body. */
  tokensSent: string[];
  /** The last per-attempt timeout in force. */
  timeoutMs: number;
  exhausted?: string;
  notRetried?: string;
  timedOut: boolean;
}
