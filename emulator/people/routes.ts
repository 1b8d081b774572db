/**
 * The emulator's people: every Graph route about users' memberships, registered methods, directory roles, the
 * tenant's licences, and the registration report. `graph.ts` matches them before the other areas' routes.
 */
import type { Route } from "../graphRouting";
import { authenticationMethodRoutes } from "./authenticationMethodRoutes";
import { directoryRoleRoutes } from "./directoryRoleRoutes";
import { membershipRoutes } from "./membershipRoutes";
import { subscriptionRoutes } from "./subscriptionRoutes";
import { reportRoutes } from "./reportRoutes";

export const peopleRoutes: Route[] = [
  ...membershipRoutes,
  ...authenticationMethodRoutes,
  ...directoryRoleRoutes,
  ...subscriptionRoutes,
  ...reportRoutes,
];
