/**
 * The client's auth policy: the bearer token, only to the hosts a token may go to. Core's bearer policy refuses
 * plain-http URLs (the emulator) and cannot refuse an app-only portal token before sending it, hence this one.
 */
import type { PipelinePolicy, PipelineRequest, SendRequest } from "@azure/core-rest-pipeline";
import type { TokenSource } from "../credentials";
import { createEntraError } from "../errors";
import type { EntraApi } from "../httpTypes";
import type { SendState } from "./sendState";

/** Sets the bearer token; a token failure (or an app-only portal token) ends the send before any request. */
export function authPolicy(
  tokens: TokenSource,
  api: EntraApi,
  state: SendState,
  described: { method: string; url: string },
  refusal: (url: string) => Promise<string | undefined>,
): PipelinePolicy {
  return {
    name: "entraSsprAuth",
    sendRequest: async (request: PipelineRequest, next: SendRequest) => {
      // The URL actually about to leave, checked again here: the target may have been changed since the client was
      // built, and no pipeline policy of ours follows redirects, so this is the last hop a token can take.
      const destination = await refusal(request.url);
      if (destination !== undefined) {
        throw createEntraError(`No token is sent to ${described.url}: ${destination}`, {
          kind: "config",
          method: described.method,
          url: described.url,
          attempts: 0,
        });
      }
      const token = await tokens.getToken(api, described);
      if (!state.tokensSent.includes(token)) state.tokensSent.push(token);
      request.headers.set("Authorization", `Bearer ${token}`);
      return next(request);
    },
  };
}
