import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { charts, pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { addonNamespace } from "./namespace";
import { mergeValues, requests, ValueLayers, Values } from "./values";

export const PROMETHEUS = {
  namespace: "monitoring",
  /** Kubernetes Secret holding Grafana's admin user and password (chart `grafana.admin.existingSecret`). */
  grafanaAdminSecret: "grafana-admin",
} as const;

export interface PrometheusSettings {
  /** How long Prometheus keeps samples (Prometheus duration). @default "15d" */
  retention?: string;
  /** Size of Prometheus's gp3 volume. @default "50Gi" */
  storageSize?: string;
  /**
   * Grafana admin password, a Pulumi secret. @default a generated 32-character RandomPassword
   * (read it with `kubectl -n monitoring get secret grafana-admin`)
   */
  grafanaAdminPassword?: pulumi.Input<string>;
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
}

export interface PrometheusValuesInput {
  clusterName: string;
  retention: string;
  storageSize: string;
  storageClassName: string;
}

/** kube-prometheus-stack values. Subchart keys (grafana, kube-state-metrics, node-exporter) are their charts'. */
export function prometheusValues(i: PrometheusValuesInput): ValueLayers {
  return {
    defaults: {
      prometheus: {
        prometheusSpec: {
          resources: requests("500m", "2Gi", "4Gi"),
          // With the claim deleted along with the StatefulSet, the gp3 volume (reclaim Delete)
          // goes on `pulumi destroy` instead of being orphaned.
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
        },
      },
      alertmanager: { alertmanagerSpec: { resources: requests("50m", "64Mi", "256Mi") } },
      prometheusOperator: { resources: requests("100m", "128Mi", "512Mi") },
      grafana: { resources: requests("100m", "256Mi", "512Mi") },
      "kube-state-metrics": { resources: requests("50m", "128Mi", "512Mi") },
      "prometheus-node-exporter": { resources: requests("20m", "32Mi", "128Mi") },
      // EKS runs these on the managed control plane (and kube-proxy's metrics on localhost):
      // there is nothing to scrape, and their rules would only raise TargetDown alerts.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
    },
    owned: {
      prometheus: {
        prometheusSpec: {
          // Series from prod and prod2 stay apart wherever they are federated or remote-written.
          externalLabels: { cluster: i.clusterName },
          retention: i.retention,
          storageSpec: {
            volumeClaimTemplate: {
              spec: {
                storageClassName: i.storageClassName,
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: i.storageSize } },
              },
            },
          },
          // Select every ServiceMonitor/PodMonitor/rule in the cluster, not only this
          // release's: the other add-ons ship their own ServiceMonitors.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
        },
      },
      crds: {
        // Helm applies the crds subchart's crds/ on install only; this pre-install/pre-upgrade
        // hook job applies the chart's CRDs server-side on every upgrade (values.yaml `crds.upgradeJob`,
        // charts/crds/templates/upgrade/job.yaml at kube-prometheus-stack-88.5.3). Its pod and
        // container security contexts (non-root, RuntimeDefault seccomp, no privilege escalation,
        // all capabilities dropped) meet `restricted`, so `monitoring` admits it at any level.
        upgradeJob: {
          enabled: true,
          // The chart default is busybox:latest; a pinned tag keeps upgrades repeatable.
          image: { busybox: { tag: "1.37.0" } },
        },
      },
      grafana: {
        // The password never enters Helm values (or the release's stored manifest).
        admin: {
          existingSecret: PROMETHEUS.grafanaAdminSecret,
          userKey: "admin-user",
          passwordKey: "admin-password",
        },
      },
    },
  };
}

export interface PrometheusArgs {
  /** The cluster the add-on goes on (names, region, OIDC provider, Kubernetes provider). */
  context: AddonContext;
  /** The add-on's settings; `{}` takes every default. */
  settings: PrometheusSettings;
  /** The StorageClass the Prometheus volume uses. */
  storageClassName: pulumi.Input<string>;
  /** What must exist before Prometheus can claim storage (the EBS CSI add-on and StorageClass). */
  storage: pulumi.Resource[];
}

/** kube-prometheus-stack: the operator and its CRDs, Prometheus on gp3, Alertmanager, Grafana. */
export class Prometheus extends pulumi.ComponentResource {
  /** Installs the monitoring.coreos.com CRDs: anything creating a ServiceMonitor depends on it. */
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: PrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:Prometheus", name, {}, opts);
    const ctx = args.context;
    const s = args.settings;
    // node-exporter needs hostNetwork, hostPID and hostPath: only `privileged` admits it.
    const ns = addonNamespace(
      `${name}-ns`,
      { ...ctx, namespace: PROMETHEUS.namespace, podSecurity: "privileged" },
      { parent: this },
    );
    const password =
      s.grafanaAdminPassword ??
      new random.RandomPassword(
        `${name}-grafana-admin`,
        { length: 32, special: false },
        { parent: this },
      ).result;
    const adminSecret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: PROMETHEUS.grafanaAdminSecret, namespace: ns.metadata.name },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": pulumi.secret(password) },
      },
      { parent: this, provider: ctx.provider },
    );
    const values = pulumi.output(args.storageClassName).apply((storageClassName) =>
      mergeValues(
        prometheusValues({
          clusterName: ctx.clusterName,
          retention: s.retention ?? "15d",
          storageSize: s.storageSize ?? "50Gi",
          storageClassName,
        }),
        s.values,
      ),
    );
    this.release = new k8s.helm.v3.Release(
      name,
      pinnedReleaseArgs(charts.kubePrometheusStack, {
        name: "kube-prometheus-stack",
        namespace: ns.metadata.name,
        values,
        timeoutSeconds: 900,
      }),
      {
        parent: this,
        provider: ctx.provider,
        dependsOn: [adminSecret, ...args.storage, ...ctx.computeReady],
      },
    );
    this.registerOutputs({ release: this.release.status });
  }
}
