/** The one list of add-ons; selection type, schema, order, docs and README derive from it. */
import { karpenter } from "./karpenter/karpenter";
import { alerts } from "./alerts/alerts";
import { argocd } from "./argocd/argocd";
import { awsLoadBalancerController } from "./aws-load-balancer-controller/aws-load-balancer-controller";
import { clusterAutoscaler } from "./cluster-autoscaler";
import { containerInsights } from "./container-insights";
import { ebsCsiDriver } from "./ebs-csi";
import { efs } from "./efs-csi";
import { externalDns } from "./external-dns";
import { externalSecrets } from "./external-secrets";
import { fluentBit } from "./fluent-bit";
import { istio } from "./istio/istio";
import { istioCni } from "./istio/istio-cni";
import { metricsServer } from "./metrics-server";
import { nvidiaDevicePlugin } from "./nvidia-device-plugin";
import { openCost } from "./opencost";
import { openTelemetry } from "./opentelemetry";
import { prometheus } from "./prometheus";
import { reloader } from "./reloader";
import { snapshotController } from "./snapshot-controller";
import { velero } from "./velero/velero";
import type { ChartPin, OciChartPin } from "./catalog";
import type { AddonChart, AddonSpec, CommonSettings, Prepared } from "./spec";
import { keysOf, isOneOf } from "../problems";

export const addonRegistry = {
  alerts,
  argocd,
  awsLoadBalancerController,
  clusterAutoscaler,
  containerInsights,
  ebsCsiDriver,
  efs,
  externalDns,
  externalSecrets,
  fluentBit,
  istio,
  istioCni,
  karpenter,
  metricsServer,
  nvidiaDevicePlugin,
  openCost,
  openTelemetry,
  prometheus,
  reloader,
  snapshotController,
  velero,
} as const;

export type AddonKey = keyof typeof addonRegistry;

/** The settings type of one add-on, read off its registry entry. */
export type SettingsOf<K extends AddonKey> =
  (typeof addonRegistry)[K] extends AddonSpec<infer S, infer _P, infer _D> ? S : never;

/**
 * Which add-ons a cluster runs: a key present installs it (`{}`: defaults) unless `enabled: false`;
 * an absent key installs only an `onByDefault` add-on no selected one conflicts with.
 */
export type AddonSelection = { [K in AddonKey]?: SettingsOf<K> };

/** An add-on's logical name under the bundle is `<bundle>-<suffixOf(spec)>`. */
export const suffixOf = (spec: Pick<AddonSpec<CommonSettings>, "component" | "suffix">): string =>
  spec.suffix ?? spec.component.replace(/(?<!^)([A-Z])/g, "-$1").toLowerCase();

/** Every registry key, in the registry's (alphabetical) order. */
export const ADDON_KEYS: AddonKey[] = keysOf(addonRegistry);

/** The registry keys among a record's keys (an add-on's `installAfter`, `implies`, …). */
export const addonKeysIn = (record: object | undefined): AddonKey[] =>
  Object.keys(record ?? {}).filter((k): k is AddonKey => isOneOf(ADDON_KEYS, k));

/** A registry entry with its settings type erased, for code that walks every add-on. */
export const specOf = (key: AddonKey): AddonSpec<CommonSettings, Prepared> =>
  // The one erasure: hooks take each entry's own settings type, which no common type can name.
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions
  addonRegistry[key] as unknown as AddonSpec<CommonSettings, Prepared>;

/** Every chart by its `charts` key: each add-on's release under its own key, then `hookCharts`. */
export function addonCharts(keys: readonly AddonKey[] = ADDON_KEYS): [string, AddonChart][] {
  return keys.flatMap((k) => {
    const spec = specOf(k);
    const own: [string, AddonChart][] = spec.chart ? [[k, spec.chart]] : [];
    return [...own, ...Object.entries(spec.hookCharts ?? {})];
  });
}

/** The one chart map, from the add-ons' files, keyed like `addonCharts` (`charts.istiod`). */
export const charts: Readonly<Record<string, ChartPin | OciChartPin>> = Object.fromEntries(
  addonCharts().map(([key, c]) => [key, c.pin]),
);

/** Every add-on after those its `installAfter` names, ties in registry order; throws on a cycle. */
export function installOrder(keys: readonly AddonKey[] = ADDON_KEYS): AddonKey[] {
  const out: AddonKey[] = [];
  const visiting = new Set<AddonKey>();
  const visit = (k: AddonKey) => {
    if (out.includes(k)) return;
    if (visiting.has(k)) throw new Error(`addon registry: install-after cycle through ${k}`);
    visiting.add(k);
    for (const dep of addonKeysIn(specOf(k).installAfter)) {
      if (keys.includes(dep)) visit(dep);
    }
    visiting.delete(k);
    out.push(k);
  };
  for (const k of keys) visit(k);
  return out;
}

/** The install-after edges between installed add-ons: `[from, to, reason]`. */
export function installEdges(installed: readonly AddonKey[]): [AddonKey, AddonKey, string][] {
  return installed.flatMap((from) => {
    const after = specOf(from).installAfter ?? {};
    return addonKeysIn(after)
      .filter((to) => installed.includes(to))
      .map((to): [AddonKey, AddonKey, string] => [from, to, after[to]]);
  });
}
