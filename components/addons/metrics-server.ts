import { wholeNumberProblems } from "./settings";
import type { AddonSpec, CommonSettings, Prepared } from "./spec";
import { requests, ValueLayers, Values } from "./values";

export const METRICS_SERVER = {
  namespace: "kube-system",
  serviceAccount: "metrics-server",
} as const;

/** A zone spread; DoNotSchedule, as doubling up in one zone would void the PDB. */
export function zoneSpread(
  matchLabels: Record<string, string>,
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway" = "DoNotSchedule",
): Values[] {
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable,
      labelSelector: { matchLabels },
    },
  ];
}

export interface MetricsServerSettings extends CommonSettings {
  /** Replicas, spread over zones; 2 or more keep the HPA and `kubectl top` working through a drain. @default 2 */
  replicas?: number;
}

/** Chart defaults: 1 replica, no PDB or spread (README); ours keep metrics.k8s.io up in a drain. */
export function metricsServerValues(s: { replicas: number }): ValueLayers {
  return {
    defaults: {
      replicas: s.replicas,
      resources: requests("100m", "200Mi", "400Mi"),
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      topologySpreadConstraints: zoneSpread({
        "app.kubernetes.io/name": "metrics-server",
        "app.kubernetes.io/instance": "metrics-server",
      }),
    },
    owned: {
      // The spread's selector assumes these names.
      fullnameOverride: "metrics-server",
      serviceAccount: { create: true, name: METRICS_SERVER.serviceAccount },
      // The chart default, free on EC2 (own VPC IP); on Fargate 10250 is reserved: use 10251.
      containerPort: 10250,
    },
  };
}

export const metricsServer: AddonSpec<MetricsServerSettings, Prepared, "replicas"> = {
  component: "MetricsServer",
  summary: "metrics-server: the metrics.k8s.io API the HPA and `kubectl top` read.",
  namespace: { name: METRICS_SERVER.namespace },
  defaults: { replicas: 2 },
  problems: (s, at) => wholeNumberProblems(s.replicas, 1, 10, `${at}.replicas`, "a replica count"),
  onByDefault: "the HPA and `kubectl top` need the metrics API on every cluster",
  chart: {
    // app 0.8.1; the chart default is 1 replica without a PDB (we set 2 + PDB + zone spread).
    pin: {
      chart: "metrics-server",
      version: "3.13.1",
      repo: "https://kubernetes-sigs.github.io/metrics-server/",
      source:
        "https://github.com/kubernetes-sigs/metrics-server/blob/metrics-server-helm-chart-3.13.1/charts/metrics-server/Chart.yaml",
    },
    release: "metrics-server",
    values: ({ settings }) => metricsServerValues({ replicas: settings.replicas }),
  },
};
