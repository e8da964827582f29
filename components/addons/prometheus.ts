import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { oneOfProblems, problemList } from "../problems";
import { createNamespace, POD_SECURITY_REASON_ANNOTATION } from "../teams/namespace";
import { RESTRICTION_STAGES, type RestrictionStage } from "../teams/team-settings";
import { namespacedKinds } from "./crds";
import { EBS_CSI } from "./ebs-csi";
import { present } from "./spec";
import type { AddonSpec, CommonSettings, Prepared, ValuesInput, WithDefaults } from "./spec";
import { NO_PRIVILEGES, requests, valueAt, ValueLayers, type Values } from "./values";

export const PROMETHEUS = {
  namespace: "monitoring",
  /** node-exporter `privileged` (hostNetwork, hostPID, hostPath): monitoring is `restricted`. */
  nodeExporterNamespace: "node-exporter",
  /** Kubernetes Secret holding Grafana's admin user and password (chart `grafana.admin.existingSecret`). */
  grafanaAdminSecret: "grafana-admin",
} as const;

export interface PrometheusSettings extends CommonSettings {
  /** How long Prometheus keeps samples (Prometheus duration). @default "15d" */
  retention?: string;
  /** Size of Prometheus's gp3 volume. @default "50Gi" */
  storageSize?: string;
  /**
   * Grafana admin password, a Pulumi secret. @default a generated 32-character RandomPassword
   * (read it with `kubectl -n monitoring get secret grafana-admin`)
   */
  grafanaAdminPassword?: pulumi.Input<string>;
  /**
   * How far the monitoring namespace's `restricted` has come on a cluster where it ran
   * `privileged` (node-exporter's pods): `observe` keeps enforcing `privileged` while warn and
   * audit report `restricted`, for the update that moves node-exporter out; `enforce` after
   * (docs/migration.md, "Restrictions on live namespaces"). @default "enforce"
   */
  podSecurityStage?: RestrictionStage;
}

/** `prometheus.prometheusSpec.storageSpec`: the volume claim, if any. */
const storageOf = (v: Values): unknown => valueAt(v, "prometheus", "prometheusSpec", "storageSpec");

/** kube-prometheus-stack values. Subchart keys (grafana, kube-state-metrics, node-exporter) are their charts'. */
export function prometheusValues({
  context: ctx,
  settings: s,
}: ValuesInput<WithDefaults<PrometheusSettings, "retention" | "storageSize">>): ValueLayers {
  return {
    defaults: {
      prometheus: {
        prometheusSpec: {
          resources: requests("500m", "2Gi", "4Gi"),
          // Deleting the claim with the StatefulSet lets destroy remove the gp3 volume too.
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
        },
      },
      alertmanager: { alertmanagerSpec: { resources: requests("50m", "64Mi", "256Mi") } },
      prometheusOperator: { resources: requests("100m", "128Mi", "512Mi") },
      grafana: { resources: requests("100m", "256Mi", "512Mi") },
      "kube-state-metrics": { resources: requests("50m", "128Mi", "512Mi") },
      "prometheus-node-exporter": { resources: requests("20m", "32Mi", "128Mi") },
      // EKS-managed (kube-proxy's metrics on localhost): no targets, so only TargetDown alerts.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
    },
    owned: {
      prometheus: {
        prometheusSpec: {
          // Series from prod and prod2 stay apart wherever they are federated or remote-written.
          externalLabels: { cluster: ctx.clusterName },
          retention: s.retention,
          storageSpec: {
            volumeClaimTemplate: {
              spec: {
                storageClassName: EBS_CSI.storageClassName,
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: s.storageSize } },
              },
            },
          },
          // Every ServiceMonitor/PodMonitor/rule in the cluster, not only this release's.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
        },
      },
      alertmanager: {
        alertmanagerSpec: {
          // An AlertmanagerConfig in `monitoring` routes all alerts; one elsewhere, only its
          // namespace's (CRD alertmanagerConfigMatcherStrategy, prometheus-operator v0.93.1).
          alertmanagerConfigMatcherStrategy: { type: "OnNamespaceExceptForAlertmanagerNamespace" },
        },
      },
      crds: {
        // A hook job applies the CRDs server-side on upgrade; it meets `restricted`
        // (charts/crds/templates/upgrade/job.yaml at kube-prometheus-stack-88.5.3).
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
        // `restricted`: Grafana as its image's user, 472, seccomp for every container. Its one root
        // container, init-chown-data, chowns a persistent volume; Grafana keeps none here (its
        // dashboards and data sources are ConfigMaps) and the chart renders it only with
        // `persistence.enabled` (charts/grafana/templates/_pod.tpl at grafana-12.11.1): off for
        // certain. So is the `helm test` pod, which no one runs.
        securityContext: { ...NON_ROOT_POD, runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
        containerSecurityContext: NO_PRIVILEGES_RUNTIME,
        initChownData: { enabled: false },
        testFramework: { enabled: false },
      },
      // Its own privileged namespace (templates/_helpers.tpl `prometheus-node-exporter.namespace`
      // at prometheus-node-exporter-4.56.1: the DaemonSet, Service, ServiceAccount and monitor).
      "prometheus-node-exporter": { namespaceOverride: PROMETHEUS.nodeExporterNamespace },
    },
  };
}

const NON_ROOT_POD = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
const NO_PRIVILEGES_RUNTIME = { ...NO_PRIVILEGES, seccompProfile: { type: "RuntimeDefault" } };

/** EBS volume sizes gp3 accepts, in GiB. */
const GP3_GIB = { min: 1, max: 16384 };

export function prometheusProblems(s: PrometheusSettings, at: string): string[] {
  const [out, add] = problemList(
    s.podSecurityStage === undefined
      ? []
      : oneOfProblems(s.podSecurityStage, RESTRICTION_STAGES, `${at}.podSecurityStage`, "stage"),
  );
  if (typeof s.retention !== "string" || !/^[1-9]\d*(ms|s|m|h|d|w|y)$/.test(s.retention)) {
    add(
      `${at}.retention`,
      "not a Prometheus retention",
      s.retention,
      "use a duration such as 15d or 720h",
    );
  }
  const size = typeof s.storageSize === "string" ? /^([1-9]\d*)Gi$/.exec(s.storageSize) : null;
  if (!size) {
    add(
      `${at}.storageSize`,
      "not a volume size",
      s.storageSize,
      "use whole gibibytes such as 50Gi",
    );
  } else if (Number(size[1]) > GP3_GIB.max) {
    add(
      `${at}.storageSize`,
      "volume too large",
      s.storageSize,
      `gp3 takes ${GP3_GIB.min}Gi to ${GP3_GIB.max}Gi`,
    );
  }
  return out;
}

export const prometheus: AddonSpec<PrometheusSettings, Prepared, "retention" | "storageSize"> = {
  component: "Prometheus",
  summary:
    "kube-prometheus-stack: the operator and its CRDs, Prometheus on gp3, Alertmanager, Grafana.",
  namespace: {
    name: PROMETHEUS.namespace,
    podSecurity: "restricted",
    why: "Prometheus, Alertmanager, Grafana, kube-state-metrics and the operator run non-root without capabilities; node-exporter has its own privileged namespace",
    enforced: (s) => (s.podSecurityStage === "observe" ? "privileged" : "restricted"),
  },
  defaults: {
    retention: "15d",
    storageSize: "50Gi",
    grafanaAdminPassword: undefined,
    podSecurityStage: undefined,
  },
  problems: prometheusProblems,
  implies: {
    ebsCsiDriver: "Prometheus keeps its samples on a gp3 volume the EBS CSI driver provisions",
  },
  installAfter: { ebsCsiDriver: "its volume is a gp3 claim the CSI driver provisions" },
  prepare: ({ name, context: ctx, settings: s, k8s: k8sOpts, child }, ns) => {
    // Not `<name>-ns`: an add-on's namespace named so keeps its former name `<name>-ns` as an
    // alias (components/renames.ts), which the monitoring namespace holds.
    const nodeExporter = createNamespace(
      `${name}-host`,
      {
        ...ctx,
        name: PROMETHEUS.nodeExporterNamespace,
        podSecurity: "privileged",
        annotations: {
          [POD_SECURITY_REASON_ANNOTATION]:
            "node-exporter reads the host: hostNetwork, hostPID, hostPath",
        },
      },
      child,
    );
    const password =
      s.grafanaAdminPassword ??
      new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, child)
        .result;
    const secret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: {
          name: PROMETHEUS.grafanaAdminSecret,
          namespace: present(ns, "prometheus's namespace").metadata.name,
        },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": pulumi.secret(password) },
      },
      k8sOpts,
    );
    return { dependsOn: [secret, nodeExporter] };
  },
  chart: {
    // app v0.93.1 (prometheus-operator); bundles grafana 12.11.1, kube-state-metrics 8.4.0,
    // prometheus-node-exporter 4.56.1 and the CRDs.
    pin: {
      chart: "kube-prometheus-stack",
      version: "88.5.3",
      repo: "https://prometheus-community.github.io/helm-charts",
      source:
        "https://github.com/prometheus-community/helm-charts/blob/kube-prometheus-stack-88.5.3/charts/kube-prometheus-stack/Chart.yaml",
    },
    // The `crds` subchart's crds/, upgraded by the hook job (`crds.upgradeJob`).
    crds: {
      checkedAt: "88.5.3",
      delivery: "crds-dir",
      kinds: namespacedKinds(
        "monitoring.coreos.com",
        "Alertmanager AlertmanagerConfig PodMonitor Probe Prometheus PrometheusAgent",
        "PrometheusRule ScrapeConfig ServiceMonitor ThanosRuler",
      ),
      source:
        "https://github.com/prometheus-community/helm-charts/tree/kube-prometheus-stack-88.5.3/charts/kube-prometheus-stack/charts/crds",
      upgrade: { via: "values", key: "crds.upgradeJob.enabled" },
    },
    carries: [
      {
        kind: "Prometheus",
        apiVersion: "monitoring.coreos.com/v1",
        // templates/prometheus/prometheus.yaml: `<fullname>-prometheus`, fullname the release's
        // name when it holds the chart's (_helpers.tpl, `kube-prometheus-stack.fullname`).
        id: (r) => `${r.namespace}/${r.name}-prometheus`,
        carries: "the TSDB volume claim of every Prometheus replica (its metrics history)",
        renderedWith: (v) => storageOf(v) !== undefined,
        // A StatefulSet's claim templates are immutable: another class is a new, empty volume.
        identity: (v) =>
          ["storageClassName", "accessModes"].map((k) =>
            valueAt(storageOf(v), "volumeClaimTemplate", "spec", k),
          ),
        source:
          "https://github.com/prometheus-community/helm-charts/blob/kube-prometheus-stack-88.5.3/charts/kube-prometheus-stack/templates/prometheus/prometheus.yaml (storage: prometheusSpec.storageSpec)",
      },
    ],
    release: "kube-prometheus-stack",
    timeoutSeconds: 900,
    values: prometheusValues,
  },
};
