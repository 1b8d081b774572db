/**
 * A user's registered authentication methods: `GET /users/{id}/authentication/methods` and the method-specific
 * lists (`emailMethods`, `phoneMethods`, ...) of Graph docs v1.0 `authentication-list-methods` and the
 * `*authenticationmethod` resources. Read-only here: registering methods is the users' business.
 *
 * Documented: every user lists a `passwordAuthenticationMethod` (id `28c10230-...`, `password: null`); security
 * questions are not an authentication method Graph lists (so the emulator keeps them in their own section).
 * Hardware OATH tokens (`hardwareOathMethods`, `#microsoft.graph.hardwareOathAuthenticationMethod`) are Graph beta
 * only, a preview (https://learn.microsoft.com/graph/api/authentication-list-hardwareoathmethods?view=graph-rest-beta):
 * v1.0 answers their segment as any unknown one and leaves them out of `methods` (assumed: v1.0 has no such type).
 * The docs list no application permission for that list; the emulator does not model the difference (assumed).
 */
import { contextUrl, directoryObjectMissing, ok, type Operation, type Route } from "../graphRouting";
import { applySelect } from "../odata";
import { sameId, type JsonObject } from "../types";
import { methodIds } from "./defaultPeople";
import { findUser } from "./directory";

const readMethods: Pick<Operation, "permissions" | "deniedCode"> = {
  permissions: [
    "UserAuthenticationMethod.Read.All",
    "UserAuthenticationMethod.ReadWrite.All",
    "UserAuthenticationMethod.Read",
  ],
  deniedCode: "accessDenied",
};

const hardwareOathType = "#microsoft.graph.hardwareOathAuthenticationMethod";

/** The list segment of each method type (Graph docs `authentication` resource relationships). */
const lists: Record<string, string> = {
  emailmethods: "#microsoft.graph.emailAuthenticationMethod",
  phonemethods: "#microsoft.graph.phoneAuthenticationMethod",
  microsoftauthenticatormethods: "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
  softwareoathmethods: "#microsoft.graph.softwareOathAuthenticationMethod",
  passwordmethods: "#microsoft.graph.passwordAuthenticationMethod",
  fido2methods: "#microsoft.graph.fido2AuthenticationMethod",
  temporaryaccesspassmethods: "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
  windowshelloforbusinessmethods: "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
  hardwareoathmethods: hardwareOathType,
};

const passwordMethod: JsonObject = {
  "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
  id: methodIds.password,
  password: null,
  createdDateTime: "2025-01-15T09:00:00Z",
};

const methodsRoute: Route = {
  pattern: ["users", "{}", "authentication", "{}"],
  operations: {
    GET: {
      ...readMethods,
      handle: ({ state, params: [idOrName, list], query, version }) => {
        const kind = list.toLowerCase();
        const type = version === "v1.0" && kind === "hardwareoathmethods" ? undefined : lists[kind];
        if (kind !== "methods" && type === undefined)
          return {
            status: 400,
            error: { code: "BadRequest", message: `Resource not found for the segment '${list}'.` },
          };
        const user = findUser(state, idOrName);
        if (user === undefined) return directoryObjectMissing(idOrName);
        const stored = Object.entries(state.authenticationMethods).find(([id]) => sameId(id, user.id))?.[1] ?? [];
        const all = [passwordMethod, ...stored].filter(
          (method) => version === "beta" || method["@odata.type"] !== hardwareOathType,
        );
        const chosen = kind === "methods" ? all : all.filter((method) => method["@odata.type"] === type);
        // Method-specific lists leave out `@odata.type` on their items only when it equals the set's type; the
        // emulator always keeps it (clients must accept both; Graph keeps it in the mixed `methods` list).
        return ok({
          "@odata.context": contextUrl(version, `users('${user.id}')/authentication/${list}`),
          value: chosen.map((method) => applySelect(method, query.get("$select"))),
        });
      },
    },
  },
};

export const authenticationMethodRoutes: Route[] = [methodsRoute];
