import { PROMETHEUS } from "./prometheus";
import type { AddonSpec, CommonSettings } from "./spec";
import { NO_PRIVILEGES, requests, ValueLayers } from "./values";

export const OPEN_COST = { namespace: "opencost" } as const;

/**
 * kube-prometheus-stack's Prometheus, `<release>-prometheus`:9090
 * (templates/prometheus/service.yaml, _helpers.tpl, values.yaml at kube-prometheus-stack-88.5.3).
 */
export const OUR_PROMETHEUS = {
  serviceName: "kube-prometheus-stack-prometheus",
  namespaceName: PROMETHEUS.namespace,
  port: 9090,
} as const;

/** The DNS domain of in-cluster Services (EKS does not change Kubernetes' default). */
export const CLUSTER_DOMAIN = "cluster.local";

/** OpenCost takes no settings of its own: it prices with AWS's public on-demand list. */
export type OpenCostSettings = CommonSettings;

/** The containers' context `restricted` needs; the chart's commented example runs them as 1000. */
const RESTRICTED_CONTAINER = { ...NO_PRIVILEGES, runAsNonRoot: true, runAsUser: 1000 };

/** opencost chart values (opencost-2.5.17, charts/opencost/values.yaml). */
export function openCostValues(i: { clusterName: string }): ValueLayers {
  return {
    defaults: {
      opencost: {
        exporter: { resources: requests("50m", "256Mi", "1Gi") },
        ui: { resources: requests("10m", "64Mi", "256Mi") },
        // The MCP server (an API for AI agents, on by default) is not a cost view.
        mcp: { enabled: false },
      },
    },
    owned: {
      // The chart's `clusterName` is the cluster's DNS domain, not its name: it builds
      // `<scheme>://<svc>.<ns>.svc.<clusterName>:<port>` (charts/opencost/templates/_helpers.tpl,
      // `opencost.prometheusServerEndpoint`, at opencost-2.5.17). The name goes in defaultClusterId.
      clusterName: CLUSTER_DOMAIN,
      podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
      opencost: {
        exporter: { defaultClusterId: i.clusterName, securityContext: RESTRICTED_CONTAINER },
        ui: { securityContext: RESTRICTED_CONTAINER },
        prometheus: {
          // Ours, not a second Prometheus: the chart queries an in-cluster Service by name.
          internal: { enabled: true, scheme: "http", ...OUR_PROMETHEUS },
          external: { enabled: false },
        },
        // OpenCost's allocation queries read the cost metrics its exporter emits, so Prometheus
        // must scrape it (https://opencost.io/docs/installation/prometheus).
        metrics: { serviceMonitor: { enabled: true } },
      },
    },
  };
}

export const openCost: AddonSpec<OpenCostSettings> = {
  component: "OpenCost",
  summary: "OpenCost: cost per namespace and workload, read from our Prometheus.",
  namespace: {
    name: OPEN_COST.namespace,
    podSecurity: "restricted",
    why: "our values run both containers non-root without capabilities, with RuntimeDefault seccomp",
  },
  defaults: {},
  requires: { prometheus: "it reads our Prometheus instead of bringing its own" },
  installAfter: {
    prometheus: "its ServiceMonitor needs the operator's CRDs, and it queries that Prometheus",
  },
  chart: {
    // app 1.120.1. Not Kubecost: Apache-2.0, CNCF, and it uses our Prometheus rather than its own.
    pin: {
      chart: "opencost",
      version: "2.5.17",
      repo: "https://opencost.github.io/opencost-helm-chart",
      source:
        "https://github.com/opencost/opencost-helm-chart/blob/opencost-2.5.17/charts/opencost/Chart.yaml",
    },
    release: "opencost",
    values: ({ context }) => openCostValues(context),
  },
};
