/**
 * `entra-sspr:monitoring`: optional, off when absent. Where SSPR's audit trail goes (a Log Analytics workspace in
 * an Azure subscription) and who is mailed when the alerts fire. Shapes are checked by the zod schema below (used
 * by `config.ts` in the one-pass validation of the whole stack config), cross-field rules by
 * {@link monitoringProblems}; both report every problem at once with the key, the value and what is allowed.
 */
import { z } from "zod";
import type { ConfigPath, ConfigProblem } from "./configProblems";
import { isEmailAddress, isGuid, isRecord, isUserPrincipalName } from "../lib/predicates";

export interface MonitoringSettings {
  /** The Azure subscription (GUID) holding the workspace, the action group and the alert rules. */
  subscriptionId: string;
  /** An existing resource group in that subscription. */
  resourceGroup: string;
  /** Azure region of the new workspace and of the alert rules, e.g. `westeurope`. */
  location: string;
  /** A new workspace the stack creates, or an existing one by its Azure resource id. */
  workspace: { name: string; retentionDays?: number } | { id: string };
  /** Who gets the alerts (email addresses). */
  notify: string[];
  /** Administrators (user principal names) whose own password resets raise an alert; absent: no such alert. */
  administrators?: string[];
  /** Identities whose changes are the stack's own (user principal names or object ids): not alerted as drift. */
  deployers?: string[];
  /** Self-service resets in one hour that count as a burst (default 10). */
  resetBurstPerHour?: number;
  /** Blocked reset attempts in one hour that count as a burst (default 3). */
  blockedBurstPerHour?: number;
}

const expecting = (message: string) => ({ errorMap: () => ({ message }) });
const section = <Shape extends z.ZodRawShape>(shape: Shape, what: string) =>
  z.object(shape, expecting(`expected a mapping (${what})`)).strict();

const resourceGroupText = "expected an Azure resource group name (1-90 letters, digits, ._-() characters)";
const locationText = "expected an Azure region name such as westeurope";
const workspaceIdText =
  "expected the workspace's Azure resource id (/subscriptions/<id>/resourceGroups/<group>/providers/" +
  "Microsoft.OperationalInsights/workspaces/<name>)";
const workspaceNameText = "expected a workspace name of 4-63 letters, digits and hyphens";
const emailText = "expected an email address";
const upnText = "expected a user principal name such as admin@munyakazi.org";

export const workspaceIdPattern =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i;

const emails = (text: string, check: (value: string) => boolean) =>
  z.array(z.string(expecting(text)).refine(check, { message: text }), expecting(`a list: ${text}`));

export const monitoringSchema = section(
  {
    subscriptionId: z.string(expecting("expected the subscription id (a GUID)")).refine(isGuid, {
      message: "expected the subscription id (a GUID)",
    }),
    resourceGroup: z
      .string(expecting(resourceGroupText))
      .regex(/^[-\w.()]{1,90}$/, { message: resourceGroupText })
      .refine((value) => !value.endsWith("."), { message: resourceGroupText }),
    location: z.string(expecting(locationText)).regex(/^[a-z][a-z0-9]{1,39}$/, { message: locationText }),
    workspace: z.union(
      [
        section(
          {
            name: z
              .string(expecting(workspaceNameText))
              .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/, { message: workspaceNameText }),
            retentionDays: z
              .number(expecting("expected an integer from 30 to 730 (days the workspace keeps logs)"))
              .int()
              .min(30)
              .max(730)
              .optional(),
          },
          "name, retentionDays",
        ),
        section(
          { id: z.string(expecting(workspaceIdText)).regex(workspaceIdPattern, { message: workspaceIdText }) },
          "id",
        ),
      ],
      expecting(
        "expected { name: <new workspace>, retentionDays: 30-730 } or { id: <existing workspace's resource id> }",
      ),
    ),
    notify: emails(emailText, isEmailAddress).min(1, { message: "expected at least one email address" }),
    administrators: emails(upnText, isUserPrincipalName).optional(),
    deployers: emails(
      "expected a user principal name or an object id (GUID)",
      (value) => isGuid(value) || isUserPrincipalName(value),
    ).optional(),
    resetBurstPerHour: z.number(expecting("expected an integer from 1 to 1000")).int().min(1).max(1000).optional(),
    blockedBurstPerHour: z.number(expecting("expected an integer from 1 to 1000")).int().min(1).max(1000).optional(),
  },
  "subscriptionId, resourceGroup, location, workspace, notify, administrators, deployers, resetBurstPerHour, " +
    "blockedBurstPerHour",
);

/**
 * Cross-field rules for the monitoring settings at `at`, tolerant of any shape (they run even when the schema found
 * problems): an existing workspace must live in the subscription the alerts are created in.
 */
export function monitoringProblems(monitoring: unknown, at: ConfigPath): ConfigProblem[] {
  if (!isRecord(monitoring) || !isRecord(monitoring.workspace)) return [];
  const id = monitoring.workspace.id;
  const subscription = monitoring.subscriptionId;
  if (typeof id !== "string" || typeof subscription !== "string" || !workspaceIdPattern.test(id)) return [];
  const workspaceSubscription = id.split("/")[2];
  if (workspaceSubscription.toLowerCase() === subscription.toLowerCase()) return [];
  return [
    {
      path: [...at, "workspace", "id"],
      value: id,
      expected:
        `expected a workspace in subscription ${subscription} (the alert rules query it from there); ` +
        "set subscriptionId to the workspace's subscription or use a workspace in it",
      kind: "invalid",
    },
  ];
}
