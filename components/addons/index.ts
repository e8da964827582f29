/** The package's `addons` namespace; a new add-on: docs/adding-an-addon.md. */

// Add-ons are reached by key (`addonRegistry.reloader`); a new one adds its settings type (and the
// types they use) to the list at the end, which test/public-api.test.ts checks.
export {
  ADDON_KEYS,
  addonRegistry,
  charts,
  type AddonKey,
  type AddonSelection,
  type SettingsOf,
} from "./registry";
export { addonSelectionProblems, installedAddons } from "./selection";
export type { KarpenterNodePoolSpec } from "./karpenter/node-pools";

// The types of the registry's entries.
export type { AddonContext } from "./context";
export type { ChartPin, OciChartPin } from "./catalog";
export type { ChartCrds, CrdDelivery, CrdKind, CrdUpgradePath } from "./crds";
export type {
  AddonChart,
  AddonChartSpec,
  ChartCarrier,
  AddonIrsaSpec,
  AddonScope,
  AddonSpec,
  ChildOptions,
  CommonSettings,
  Finished,
  Plumbed,
  Prepared,
  Resolved,
  ValuesInput,
  WithDefaults,
} from "./spec";
export type { ValueLayers, Values } from "./values";

// Each add-on's settings, named as `SettingsOf<key>` computes them, and the types they use.
export type { AlertReceiver, AlertsSettings, ReceiverType } from "./alerts/alerts";
export type { ArgocdBootstrap, ArgocdSettings } from "./argocd/argocd";
export type { GitOpsClusterFacts } from "./argocd/argocd-cluster";
export type { AwsLoadBalancerControllerSettings } from "./aws-load-balancer-controller/aws-load-balancer-controller";
export type { ClusterAutoscalerSettings } from "./cluster-autoscaler";
export type { ContainerInsightsSettings } from "./container-insights";
export type { EbsCsiDriverSettings } from "./ebs-csi";
export type { EfsSettings } from "./efs-csi";
export type { ExternalDnsPolicy, ExternalDnsSettings } from "./external-dns";
export type { ExternalSecretsSettings } from "./external-secrets";
export type { FluentBitSettings } from "./fluent-bit";
export type { IstioSettings, LoadBalancerScheme } from "./istio/istio";
export type { IstioCniSettings } from "./istio/istio-cni";
export type { KarpenterSettings } from "./karpenter/karpenter";
export type { MetricsServerSettings } from "./metrics-server";
export type { NvidiaDevicePluginSettings } from "./nvidia-device-plugin";
export type { OpenCostSettings } from "./opencost";
export type { OpenTelemetrySettings, TraceExporter } from "./opentelemetry";
export type { PrometheusSettings } from "./prometheus";
export type { ReloaderSettings } from "./reloader";
export type { SnapshotControllerSettings } from "./snapshot-controller";
export type { VeleroSettings } from "./velero/velero";
