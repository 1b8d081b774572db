/**
 * `GET /reports/authenticationMethods/userRegistrationDetails` (list, with `$filter` and paging) and `.../{id}`.
 *
 * A tenant without Entra ID P1/P2 gets what Graph answers there: 403 `Authentication_RequestFromNonPremiumTenantOrB2CTenant`,
 * "Neither tenant is B2C or tenant doesn't have premium license" (reported for exactly this API in
 * microsoftgraph/microsoft-graph-docs-contrib#8777, and for its beta twin in #3808 with the 403 status; Learn:
 * "A Microsoft Entra ID P1 or P2 license is required to access usage and insights"). The permission is checked
 * first (an app without `AuditLog.Read.All` gets the usual 403); the docs do not say which check comes first.
 */
import {
  contextUrl,
  directoryNotFound,
  filtered,
  ok,
  pagedCollection,
  type Operation,
  type Route,
} from "../graphRouting";
import type { FilterableProperties } from "../odata";
import { sameId, type ApiResponse, type TenantState } from "../types";
import { hasEntraIdPremium } from "./directory";
import { registrationRows } from "./registrationReport";

const readReports: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: ["AuditLog.Read.All"],
  deniedCode: "accessDenied",
};

export const nonPremiumError = {
  code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
  message: "Neither tenant is B2C or tenant doesn't have premium license",
};

const licenceRefusal = (state: TenantState): ApiResponse | undefined =>
  hasEntraIdPremium(state) ? undefined : { status: 403, error: nonPremiumError };

/** The filterable properties of userRegistrationDetails (Graph resource page: "Supports $filter (eq)"). */
const registrationFilters: FilterableProperties = {
  id: "string",
  userPrincipalName: "string",
  userDisplayName: "string",
  userType: "string",
  isAdmin: "boolean",
  isSsprRegistered: "boolean",
  isSsprEnabled: "boolean",
  isSsprCapable: "boolean",
  isMfaRegistered: "boolean",
  isMfaCapable: "boolean",
  isPasswordlessCapable: "boolean",
  isSystemPreferredAuthenticationMethodEnabled: "boolean",
};

/** assumed: the page size is not documented; 100 by default, `$top` up to 999 as on directory collections. */
const reportPaging = { defaultPageSize: 100, maxPageSize: 999 };

const listRoute: Route = {
  pattern: ["reports", "authenticationmethods", "userregistrationdetails"],
  operations: {
    GET: {
      ...readReports,
      handle: (context) => {
        const refused = licenceRefusal(context.state);
        if (refused !== undefined) return refused;
        const rows = filtered(
          registrationRows(context.state, context.today),
          context.query,
          registrationFilters,
          "userRegistrationDetails",
        );
        if (!Array.isArray(rows)) return rows;
        const path = "reports/authenticationMethods/userRegistrationDetails";
        return pagedCollection(context, path, path, rows, reportPaging);
      },
    },
  },
};

const itemRoute: Route = {
  pattern: ["reports", "authenticationmethods", "userregistrationdetails", "{}"],
  operations: {
    GET: {
      ...readReports,
      handle: ({ state, params: [id], version, today }) => {
        const refused = licenceRefusal(state);
        if (refused !== undefined) return refused;
        const row = registrationRows(state, today).find((candidate) => sameId(String(candidate.id), id));
        if (row === undefined) return directoryNotFound(id);
        return ok({
          "@odata.context": contextUrl(version, "reports/authenticationMethods/userRegistrationDetails/$entity"),
          ...row,
        });
      },
    },
  },
};

export const reportRoutes: Route[] = [listRoute, itemRoute];
