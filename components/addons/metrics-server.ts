import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { day2Charts, pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { mergeValues, requests, ValueLayers, Values } from "./values";

export const METRICS_SERVER = {
  namespace: "kube-system",
  serviceAccount: "metrics-server",
} as const;

/**
 * One topology spread over zones for the pods matching `matchLabels`. DoNotSchedule for
 * controllers whose replicas must sit in different zones for the PDB to mean anything; a
 * replica then waits for a node in a free zone rather than doubling up in one.
 */
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

export interface MetricsServerSettings {
  /** Replicas; 2 or more keep the HPA and `kubectl top` working through a drain. @default 2 */
  replicas?: number;
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
}

/**
 * metrics-server values. The chart defaults to 1 replica, no PDB and no spread (reference
 * README, chart notes): we set all three so a node-group replacement never leaves the
 * metrics.k8s.io API without a backend (the HPA stops scaling while it is gone).
 */
export function metricsServerValues(s: MetricsServerSettings = {}): ValueLayers {
  return {
    defaults: {
      replicas: s.replicas ?? 2,
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
      // 10250 is the chart default and is free on EC2 nodes: the pod has its own VPC IP. Move it
      // (10251) only if metrics-server is ever scheduled on Fargate, where 10250 is reserved.
      containerPort: 10250,
    },
  };
}

export interface MetricsServerArgs {
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** Replicas and chart value overrides. @default 2 replicas, no overrides */
  settings?: MetricsServerSettings;
}

/** metrics-server: the metrics.k8s.io API the HPA and `kubectl top` read. No AWS access. */
export class MetricsServer extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:MetricsServer", name, {}, opts);
    const ctx = args.context;
    this.release = new k8s.helm.v3.Release(
      name,
      pinnedReleaseArgs(day2Charts.metricsServer, {
        name: "metrics-server",
        namespace: METRICS_SERVER.namespace,
        values: mergeValues(metricsServerValues(args.settings), args.settings?.values),
      }),
      { parent: this, provider: ctx.provider, dependsOn: [...ctx.computeReady] },
    );
    this.registerOutputs({ release: this.release.status });
  }
}
