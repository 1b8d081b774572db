/**
 * The stacks the benchmark measures: the runbook (`Pulumi.dev.yaml`, endpoints pointed at the emulator as
 * `rehearse` does) and "full" (the runbook plus every Graph method, the methods policy root and the administrator
 * policy), each with the one setting the fourth operation changes (re-confirm every 90 days instead of 180).
 */
import { isRecord } from "../../lib/predicates";
import type { ConfigMap } from "../../engine/propertyValues";
import { settingsKey } from "../../components/configProblems";
import { repositoryRoot } from "../stack/repository";
import { openStack } from "../../components/openStack";

export interface BenchStack {
  name: "runbook" | "full";
  /** Pulumi stack name the program runs as (`dev`: its stack file is the only one naming the tenant). */
  stack: string;
  config: ConfigMap;
  changedConfig: ConfigMap;
}

const ssprKey = settingsKey;

function withSspr(config: ConfigMap, change: (sspr: Record<string, unknown>) => Record<string, unknown>): ConfigMap {
  const sspr = config[ssprKey];
  if (!isRecord(sspr)) throw new Error(`bench: ${ssprKey} is not a mapping in Pulumi.dev.yaml`);
  return { ...config, [ssprKey]: change(structuredClone(sspr)) };
}

const reconfirmEvery90Days = (sspr: Record<string, unknown>): Record<string, unknown> => ({
  ...sspr,
  registration: { ...(isRecord(sspr.registration) ? sspr.registration : {}), reconfirmDays: 90 },
});

/** The runbook as `Pulumi.dev.yaml` holds it. */
export function runbookConfig(): ConfigMap {
  const opened = openStack({ stack: "dev", stackDir: repositoryRoot });
  if (opened.problems.length > 0) throw new Error(`bench: ${opened.problems.join("; ")}`);
  return opened.config;
}

/** Every Graph method offered, the methods policy root (migration complete) and SSPR for administrators. */
export function fullConfig(): ConfigMap {
  return withSspr(runbookConfig(), (sspr) => ({
    ...sspr,
    methods: {
      email: "offer",
      mobilePhone: "offer",
      officePhone: "offer",
      authenticatorApp: "offer",
      securityQuestions: false,
    },
    methodsPolicy: { migrationState: "migrationComplete" },
    administrators: { allowed: true },
  }));
}

export function benchStacks(): BenchStack[] {
  const runbook = runbookConfig();
  const full = fullConfig();
  return [
    { name: "runbook", stack: "dev", config: runbook, changedConfig: withSspr(runbook, reconfirmEvery90Days) },
    { name: "full", stack: "dev", config: full, changedConfig: withSspr(full, reconfirmEvery90Days) },
  ];
}
