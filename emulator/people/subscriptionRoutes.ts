/**
 * The tenant's subscriptions: `GET /subscribedSkus` (Graph docs v1.0 `subscribedsku-list`). (`GET /organization`
 * is served by `emulator/organization.ts` from the same tenant's `organization` section.)
 */
import { collection, type Route } from "../graphRouting";

const subscribedSkusRoute: Route = {
  pattern: ["subscribedskus"],
  operations: {
    GET: {
      permissions: ["Organization.Read.All", "Directory.Read.All", "LicenseAssignment.Read.All"],
      deniedCode: "Authorization_RequestDenied",
      handle: ({ state, query, version }) => collection(version, "subscribedSkus", state.subscribedSkus, query),
    },
  },
};

export const subscriptionRoutes: Route[] = [subscribedSkusRoute];
