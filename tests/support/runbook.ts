/**
 * The runbook of `Pulumi.dev.yaml` (munyakazi.org: SSPR for All, two methods, email and mobile phone, register at
 * sign-in and re-confirm every 180 days, users and all admins notified), the one copy the tests share, in each shape
 * they take it: component settings, component args, stack config, stack-file lines. Written out here rather than
 * read from the stack file, so that tests/components/config.test.ts can check that the file parses to exactly this.
 */
import type { SelfServicePasswordResetArgs, SsprSettings } from "../../components/ssprArgs";

export const runbookTenantId = "munyakazi.org";

/** `sspr:settings` of `Pulumi.dev.yaml`, in its order. */
export const runbook: SsprSettings = {
  scope: "all",
  methodsRequired: 2,
  methods: {
    email: "offer",
    mobilePhone: "offer",
    officePhone: "leave",
    authenticatorApp: "leave",
    securityQuestions: false,
  },
  registration: { requireOnSignIn: true, reconfirmDays: 180 },
  notifications: { users: true, admins: true },
  onDestroy: "restore",
};

/** The runbook's pilot option (commented in `Pulumi.dev.yaml`): a group the stack creates, with one member. */
export const runbookPilotGroup = { displayName: "SSPR Pilot", members: ["c.vogel@munyakazi.org"] };

/** The component args `Pulumi.dev.yaml` parses to. */
export const runbookArgs: SelfServicePasswordResetArgs = { tenantId: runbookTenantId, ...runbook };

/** The runbook as stack config keys without the namespace; a fresh copy on each call, for tests that change it. */
export function runbookStackConfig(): Record<string, unknown> {
  return { tenantId: runbookTenantId, sspr: structuredClone(runbook) };
}

/** A value as YAML flow style, the way the tests' stack files write one setting a line. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{ ${Object.entries(value)
      .map(([key, inner]) => `${key}: ${flow(inner)}`)
      .join(", ")} }`;
  }
  return typeof value === "string" && /[:{}[\],#]/.test(value) ? JSON.stringify(value) : String(value);
}

/**
 * The `sspr:settings` block of a stack file (one setting a line, without indentation), for the runbook with
 * `changes` applied: a changed setting stays on its line, a new one is added at the end, `undefined` drops one.
 */
export function runbookLines(changes: Partial<Record<keyof SsprSettings, unknown>> = {}): string[] {
  return Object.entries({ ...runbook, ...changes })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${flow(value)}`);
}
