/**
 * The tenant as a whole: `GET /organization` (a one-element collection; Graph docs v1.0 `organization-list`) and
 * `GET /subscribedSkus` (Graph docs v1.0 `subscribedsku-list`).
 */
import { collection, type Route } from "../graphRouting";

const organizationRoute: Route = {
  pattern: ["organization"],
  operations: {
    GET: {
      permissions: ["Organization.Read.All", "Directory.Read.All", "User.Read"],
      deniedCode: "Authorization_RequestDenied",
      handle: ({ state, query, version }) => collection(version, "organization", [state.organization], query),
    },
  },
};

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

export const organizationRoutes: Route[] = [organizationRoute, subscribedSkusRoute];
