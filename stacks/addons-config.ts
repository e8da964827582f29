/**
 * Stack config for add-ons. The schema is the registry's: zod only checks that each key holds a
 * map, and `addonSelectionProblems` (components/addons/selection.ts) — the same function
 * AddonBundle and EksBlueprint call — checks the rest, worded with the config key.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AddonKey, AddonSelection, Autoscaler } from "../components/addons/registry";
import { addonSelectionProblems } from "../components/addons/selection";
import { isPlainObject } from "../components/addons/values";
import { problem, type PathOf } from "../components/problems";

/** The stack config key this schema reads. */
export const ADDONS_KEY = "eks-blueprint:addons";

/**
 * Add-ons that have their own top-level key (`eks-blueprint:metricsServer`), where stacks set them
 * before they joined the registry; moving them under `eks-blueprint:addons` would churn every
 * stack file for no change in meaning. Either place works; both at once is an error.
 */
export const TOP_LEVEL_ADDONS = ["metricsServer", "efs", "containerInsights", "karpenter"] as const;
export type TopLevelAddon = (typeof TOP_LEVEL_ADDONS)[number];

/** `eks-blueprint:addons`: a map of add-on key to settings; the registry checks the rest. */
export const addonsConfigSchema = z.record(z.string(), z.unknown(), {
  error: "not a map of add-ons; give each add-on's settings under its key",
});

/**
 * Paths as a stack user typed them: a top-level add-on at its own key unless the stack set it
 * under `eks-blueprint:addons`, every other add-on under `eks-blueprint:addons`.
 */
export function stackAddonPaths(underAddons: ReadonlySet<string>): PathOf {
  return (field) => {
    if (field === "autoscaler") return "eks-blueprint:autoscaler";
    if (field === "") return ADDONS_KEY;
    const key = field.split(".")[0];
    const top = (TOP_LEVEL_ADDONS as readonly string[]).includes(key) && !underAddons.has(key);
    return top ? `eks-blueprint:${field}` : `${ADDONS_KEY}.${field}`;
  };
}

export interface AddonSecrets {
  /**
   * The Pulumi config secret `eks-blueprint:grafanaAdminPassword`. @default none: Prometheus
   * generates one (RandomPassword) and keeps it in a Kubernetes Secret
   */
  grafanaAdminPassword?: pulumi.Input<string>;
}

/** The raw selection: `eks-blueprint:addons` with the top-level add-on keys merged in. */
function merged(addons: unknown, top: Partial<Record<TopLevelAddon, unknown>>) {
  const out: Record<string, unknown> = isPlainObject(addons) ? { ...addons } : {};
  for (const k of TOP_LEVEL_ADDONS) if (top[k] !== undefined) out[k] = top[k];
  return { raw: out };
}

/** Every problem with the stack's add-on keys, worded with the config key. */
export function addonsConfigProblems(
  addons: unknown,
  top: Partial<Record<TopLevelAddon, unknown>>,
  autoscaler: unknown,
): string[] {
  if (addons !== undefined && !isPlainObject(addons)) return []; // the schema reports it
  const out: string[] = [];
  for (const k of TOP_LEVEL_ADDONS) {
    if (top[k] !== undefined && isPlainObject(addons) && addons[k] !== undefined) {
      out.push(
        problem(
          `${ADDONS_KEY}.${k}`,
          `set twice, here and as eks-blueprint:${k}`,
          addons[k],
          "keep one of them",
        ),
      );
    }
  }
  const prometheus = isPlainObject(addons) ? addons.prometheus : undefined;
  if (isPlainObject(prometheus) && prometheus.grafanaAdminPassword !== undefined) {
    out.push(
      problem(
        `${ADDONS_KEY}.prometheus.grafanaAdminPassword`,
        "a secret in plain config",
        "[secret]",
        "set it with `pulumi config set --secret eks-blueprint:grafanaAdminPassword`",
      ),
    );
  }
  const { raw } = merged(addons, top);
  const underAddons = new Set(isPlainObject(addons) ? Object.keys(addons) : []);
  return [...out, ...addonSelectionProblems(raw, autoscaler, stackAddonPaths(underAddons))];
}

/** The blueprint's selection from validated config, with the Grafana secret added. */
export function toAddonSelection(
  addons: unknown,
  top: Partial<Record<TopLevelAddon, unknown>> = {},
  secrets: AddonSecrets = {},
): AddonSelection {
  const selection = merged(addons, top).raw as AddonSelection;
  if (selection.prometheus && secrets.grafanaAdminPassword !== undefined) {
    selection.prometheus = {
      ...selection.prometheus,
      grafanaAdminPassword: secrets.grafanaAdminPassword,
    };
  }
  return selection;
}

export type { AddonKey, Autoscaler };
