/**
 * Day-2 stack config: autoscaler choice, the four add-ons with their own key (Karpenter, EFS,
 * Container Insights, metrics-server) and workload namespaces. Every problem is
 * reported in the project's format (stacks/errors.ts) before any resource exists.
 */
import { z } from "zod";
import { AUTOSCALERS, type Autoscaler, DEFAULT_AUTOSCALER } from "../components/addons/registry";
import { addonsConfigProblems, TopLevelAddon, TOP_LEVEL_ADDONS } from "./addons-config";
import { configError, ConfigValidationError, zodProblems } from "./errors";

/** A top-level add-on key: a map of settings (the registry checks what is in it). */
const addonKey = z.record(z.string(), z.unknown(), {
  error: "not a map of settings; give the add-on's settings as a map",
});

export const DAY2_KEYS = {
  autoscaler: "eks-blueprint:autoscaler",
  karpenter: "eks-blueprint:karpenter",
  efs: "eks-blueprint:efs",
  containerInsights: "eks-blueprint:containerInsights",
  metricsServer: "eks-blueprint:metricsServer",
  workloadNamespaces: "eks-blueprint:workloadNamespaces",
} as const;

export const day2Schemas = {
  autoscaler: z
    .enum(Object.keys(AUTOSCALERS) as [Autoscaler, ...Autoscaler[]], {
      error: "unknown autoscaler; use cluster-autoscaler or karpenter",
    })
    .default(DEFAULT_AUTOSCALER),
  // The four add-ons with their own key: zod checks only that each is a map; the registry
  // (addonsConfigProblems) checks the settings, so library and stack users get the same errors.
  karpenter: addonKey.optional(),
  efs: addonKey.optional(),
  containerInsights: addonKey.optional(),
  metricsServer: addonKey
    .optional()
    .describe("Defaults to on with 2 replicas (metricsServer is on by default in the registry)."),
  // Names and duplicates are EksBlueprint's check (namespaceListProblems).
  workloadNamespaces: z.array(z.string()).default([]),
} as const;

type Day2Key = keyof typeof day2Schemas;
export type Day2Config = { [K in Day2Key]: z.infer<(typeof day2Schemas)[K]> };

/** What the cross-checks need from the rest of the stack config. */
/**
 * The Kubernetes version is not checked here: the stack schema accepts only the minors the
 * catalog pins (its table is typed by them), and CoreAddons refuses any other for library users.
 */
export interface Day2Context {
  /** The raw `eks-blueprint:addons` value, checked with the top-level add-on keys. @default {} */
  addons?: unknown;
}

/** Validates the day-2 keys and their cross-checks; returns config or every problem found. */
export function parseDay2Config(
  get: (key: string) => string | undefined,
  ctx: Day2Context,
): { config: Day2Config; problems: [] } | { config?: undefined; problems: string[] } {
  const problems: string[] = [];
  const out: Partial<Record<Day2Key, unknown>> = {};
  for (const key of Object.keys(day2Schemas) as Day2Key[]) {
    const text = get(DAY2_KEYS[key]);
    let raw: unknown = text;
    if (text !== undefined && key !== "autoscaler") {
      try {
        raw = JSON.parse(text);
      } catch {
        problems.push(
          configError(
            DAY2_KEYS[key],
            "not valid JSON/YAML",
            text,
            "see the stack config table in README.md",
          ),
        );
        continue;
      }
    }
    const parsed = day2Schemas[key].safeParse(raw);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(...zodProblems(DAY2_KEYS[key], raw, parsed.error));
  }
  const c = out as Day2Config;
  if (c.autoscaler !== undefined) {
    const top = Object.fromEntries(TOP_LEVEL_ADDONS.map((k) => [k, out[k]])) as Partial<
      Record<TopLevelAddon, unknown>
    >;
    problems.push(...addonsConfigProblems(ctx.addons, top, c.autoscaler));
  }
  return problems.length > 0 ? { problems } : { config: c, problems: [] };
}

/** Same, throwing one ConfigValidationError before any resource is registered. */
export function loadDay2Config(
  get: (key: string) => string | undefined,
  ctx: Day2Context,
): Day2Config {
  const r = parseDay2Config(get, ctx);
  if (r.config === undefined) throw new ConfigValidationError(r.problems);
  return r.config;
}
