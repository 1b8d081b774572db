/**
 * An Entra client that answers every request from a script and records what was sent: for tests of a reader's own
 * rules (paths, paging, what it refuses) without an emulator.
 */
import type { EntraClient, EntraRequest, EntraResponse } from "../../provider/http/client";

export function scripted(answer: (request: EntraRequest) => unknown): { client: EntraClient; sent: EntraRequest[] } {
  const sent: EntraRequest[] = [];
  return {
    sent,
    client: {
      send: async (request): Promise<EntraResponse> => {
        sent.push(request);
        return { status: 200, body: answer(request) };
      },
    },
  };
}
