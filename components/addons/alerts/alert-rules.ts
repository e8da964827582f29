/** Our alerts beside kube-prometheus-stack's: per add-on, on metrics it exports (with docs). */

/** One Prometheus alerting rule (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/). */
export interface AlertRule {
  /** Alert name, unique in the blueprint. */
  alert: string;
  /** PromQL; alerts while it returns series. */
  expr: string;
  /** How long it must hold before it fires. */
  for: string;
  /** `severity` routes it (alerts.ts sends warning and critical to the receiver). */
  labels: { severity: "warning" | "critical" };
  annotations: { summary: string; description: string };
}

/** The rules for one add-on, and the metrics they use with their sources. */
export interface AddonAlerts {
  /** Every metric the rules read, each with the page or file that documents it. */
  metrics: Record<string, string>;
  rules: AlertRule[];
}

const CLUSTER_AUTOSCALER_METRICS =
  "https://github.com/kubernetes/autoscaler/blob/cluster-autoscaler-chart-9.59.0/cluster-autoscaler/metrics/metrics.go";
// controller-runtime registers these for every controller built on it (both are).
const CONTROLLER_RUNTIME_METRICS = "https://book.kubebuilder.io/reference/metrics-reference";
const FLUENT_BIT_METRICS =
  "https://docs.fluentbit.io/manual/administration/monitoring#for-v1-metrics";
const EXTERNAL_DNS_METRICS =
  "https://github.com/kubernetes-sigs/external-dns/blob/external-dns-helm-chart-1.21.1/docs/monitoring/metrics.md";
const VELERO_METRICS = "https://github.com/vmware-tanzu/velero/blob/v1.18.1/pkg/metrics/metrics.go";
const KARPENTER_METRICS = "https://karpenter.sh/docs/reference/metrics/";
const COLLECTOR_METRICS = "https://opentelemetry.io/docs/collector/internal-telemetry/";

const rule = (
  alert: string,
  expr: string,
  forDuration: string,
  severity: AlertRule["labels"]["severity"],
  summary: string,
  description: string,
): AlertRule => ({
  alert,
  expr,
  for: forDuration,
  labels: { severity },
  annotations: { summary, description },
});

/** Reconcile errors of one controller-runtime controller, told apart by its pods' names. */
const reconcileErrors = (alert: string, deployment: string, what: string): AlertRule =>
  rule(
    alert,
    `sum by (controller) (rate(controller_runtime_reconcile_errors_total{pod=~"${deployment}-.*"}[10m])) > 0`,
    "15m",
    "warning",
    `${what} keeps failing to reconcile`,
    `Controller {{ $labels.controller }} of ${what} has returned reconcile errors for 15 minutes; read its logs.`,
  );

/** Rule groups by registry key. Velero is another add-on's; its key is matched as a string. */
export const ADDON_ALERTS: Record<string, AddonAlerts> = {
  clusterAutoscaler: {
    metrics: {
      cluster_autoscaler_errors_total: CLUSTER_AUTOSCALER_METRICS,
      cluster_autoscaler_failed_scale_ups_total: CLUSTER_AUTOSCALER_METRICS,
    },
    rules: [
      rule(
        "ClusterAutoscalerErrors",
        "sum by (type) (increase(cluster_autoscaler_errors_total[15m])) > 0",
        "15m",
        "warning",
        "cluster-autoscaler reports errors",
        "cluster-autoscaler has counted {{ $labels.type }} errors for 15 minutes; pods may wait for capacity.",
      ),
      rule(
        "ClusterAutoscalerScaleUpFailed",
        "sum by (reason) (increase(cluster_autoscaler_failed_scale_ups_total[30m])) > 0",
        "5m",
        "critical",
        "cluster-autoscaler could not add nodes",
        "Scale-ups failed ({{ $labels.reason }}): check the node groups' limits, quotas and Spot capacity.",
      ),
    ],
  },
  awsLoadBalancerController: {
    metrics: { controller_runtime_reconcile_errors_total: CONTROLLER_RUNTIME_METRICS },
    rules: [
      reconcileErrors(
        "AwsLoadBalancerControllerReconcileErrors",
        "aws-load-balancer-controller",
        "the AWS Load Balancer Controller",
      ),
    ],
  },
  karpenter: {
    metrics: {
      controller_runtime_reconcile_errors_total: CONTROLLER_RUNTIME_METRICS,
      karpenter_cloudprovider_errors_total: KARPENTER_METRICS,
    },
    rules: [
      reconcileErrors("KarpenterReconcileErrors", "karpenter", "Karpenter"),
      rule(
        "KarpenterCloudProviderErrors",
        "sum by (controller, method, error) (increase(karpenter_cloudprovider_errors_total[15m])) > 0",
        "15m",
        "warning",
        "Karpenter's EC2 calls fail",
        "Karpenter's {{ $labels.method }} calls return {{ $labels.error }}; nodes may not launch.",
      ),
    ],
  },
  fluentBit: {
    metrics: {
      fluentbit_output_errors_total: FLUENT_BIT_METRICS,
      fluentbit_output_retries_failed_total: FLUENT_BIT_METRICS,
    },
    rules: [
      rule(
        "FluentBitOutputErrors",
        "sum by (pod, name) (rate(fluentbit_output_errors_total[5m])) > 0",
        "15m",
        "warning",
        "Fluent Bit cannot deliver logs",
        "Output {{ $labels.name }} on {{ $labels.pod }} has failed for 15 minutes; logs are being retried.",
      ),
      rule(
        "FluentBitLogsDropped",
        "sum by (pod, name) (increase(fluentbit_output_retries_failed_total[10m])) > 0",
        "0m",
        "critical",
        "Fluent Bit dropped logs",
        "Output {{ $labels.name }} on {{ $labels.pod }} gave up on chunks after its retries: those logs are lost.",
      ),
    ],
  },
  externalDns: {
    metrics: {
      external_dns_source_errors_total: EXTERNAL_DNS_METRICS,
      external_dns_registry_errors_total: EXTERNAL_DNS_METRICS,
    },
    rules: [
      rule(
        "ExternalDnsErrors",
        "sum(increase(external_dns_source_errors_total[15m])) + sum(increase(external_dns_registry_errors_total[15m])) > 0",
        "15m",
        "warning",
        "ExternalDNS cannot read sources or update Route 53",
        "ExternalDNS has counted source or registry errors for 15 minutes; DNS records may be stale.",
      ),
    ],
  },
  velero: {
    metrics: {
      velero_backup_failure_total: VELERO_METRICS,
      velero_backup_partial_failure_total: VELERO_METRICS,
      velero_backup_last_successful_timestamp: VELERO_METRICS,
    },
    rules: [
      rule(
        "VeleroBackupFailed",
        "sum by (schedule) (increase(velero_backup_failure_total[1h])) + sum by (schedule) (increase(velero_backup_partial_failure_total[1h])) > 0",
        "0m",
        "critical",
        "A Velero backup failed",
        "A backup of schedule {{ $labels.schedule }} failed or partly failed in the last hour.",
      ),
      rule(
        "VeleroNoRecentBackup",
        'time() - max by (schedule) (velero_backup_last_successful_timestamp{schedule!=""}) > 90000',
        "15m",
        "warning",
        "No successful Velero backup for 25 hours",
        "Schedule {{ $labels.schedule }} has had no successful backup for more than a day.",
      ),
    ],
  },
  openTelemetry: {
    metrics: { otelcol_exporter_send_failed_spans_total: COLLECTOR_METRICS },
    rules: [
      rule(
        "OpenTelemetryCollectorExportFailures",
        "sum by (exporter) (rate(otelcol_exporter_send_failed_spans_total[5m])) > 0",
        "15m",
        "warning",
        "The OpenTelemetry collector cannot export spans",
        "Exporter {{ $labels.exporter }} has failed to send spans for 15 minutes; traces are being lost.",
      ),
    ],
  },
};

/** The rule groups for the installed add-ons, by registry key, in key order. */
export function alertGroups(installed: ReadonlySet<string>): [string, AddonAlerts][] {
  return Object.entries(ADDON_ALERTS)
    .filter(([key]) => installed.has(key))
    .sort(([a], [b]) => a.localeCompare(b));
}
