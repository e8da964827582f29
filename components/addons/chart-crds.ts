/**
 * Which of our charts install which CustomResourceDefinitions, and how they reach the cluster on
 * install and on upgrade. Each entry was read in the chart at the version the catalog pins
 * (`checkedAt`); test/chart-crds.test.ts fails when a pin moves without the entry being re-read.
 *
 * Why it matters: Helm applies a chart's `crds/` directory on install only, and never upgrades
 * or deletes it ("There is no support at this time for upgrading or deleting CRDs using Helm",
 * https://helm.sh/docs/chart_best_practices/custom_resource_definitions/). A chart bump then runs
 * a new controller on old CRDs unless each such chart has another upgrade path.
 */
import { charts, ChartPin, OciChartPin } from "./catalog";

/** One CRD a chart (or EKS) installs: what `apiVersion`/`kind` objects of it carry, and its scope. */
export interface CrdKind {
  /** API group, for example `karpenter.sh`. */
  group: string;
  kind: string;
  /** Namespaced kinds live in a namespace; Cluster kinds never do. */
  scope: "Namespaced" | "Cluster";
}

/**
 * How a chart delivers its CRDs: `templates` (ordinary manifests, upgraded with every release),
 * `crds-dir` (Helm's `crds/` directory: installed once, never upgraded), or `none`.
 */
export type CrdDelivery = "templates" | "crds-dir" | "none";

/** How a `crds-dir` chart's CRDs are kept at the chart's version, which Helm itself never does. */
export type CrdUpgradePath =
  /** A chart value runs an upgrade job (a pre-upgrade hook); the value must be `true`. */
  | { via: "values"; key: string }
  /**
   * The release sets `skipCrds` and we apply a vendored copy of the chart's `crds/` as
   * `CustomResourceDefinitionPatch` resources annotated with {@link CRD_SOURCE_ANNOTATION}.
   */
  | { via: "vendored"; file: string }
  /** The release sets `skipCrds`; a separate chart (same version) ships them as templates. */
  | { via: "crd-chart"; chart: string }
  /** The release sets `skipCrds`: nothing we run uses these kinds. */
  | { via: "skipped"; why: string };

export interface ChartCrdFacts {
  /** The pin the facts were read for: `chart` (and `repo`) identify our releases of it. */
  pin: ChartPin | OciChartPin;
  /** The chart version these facts were read at; must equal `pin.version`. */
  checkedAt: string;
  delivery: CrdDelivery;
  /** The CRDs the chart installs. @default [] when `delivery` is `none` */
  kinds: CrdKind[];
  /** The chart file or directory the kinds were read in. */
  source: string;
  /** Required when `delivery` is `crds-dir`. */
  upgrade?: CrdUpgradePath;
}

/** On our vendored CRDs: `<chart>@<version>` of the chart whose `crds/` they copy. */
export const CRD_SOURCE_ANNOTATION = "eks-blueprint.dev/crds-from-chart";

const ns = (group: string, ...kinds: string[]): CrdKind[] =>
  kinds.map((kind) => ({ group, kind, scope: "Namespaced" as const }));
const cluster = (group: string, ...kinds: string[]): CrdKind[] =>
  kinds.map((kind) => ({ group, kind, scope: "Cluster" as const }));

const none = (pin: ChartPin | OciChartPin): ChartCrdFacts => ({
  pin,
  checkedAt: pin.version,
  delivery: "none",
  kinds: [],
  source: pin.source.replace(/Chart\.yaml$/, ""),
});

const ALB_TAG = `v${charts.awsLoadBalancerController.version}`;
const KARPENTER_TAG = `v${charts.karpenter.version}`;

export const chartCrds = {
  // base/templates/crds.yaml renders files/crd-all.gen.yaml when `base.enableCRDTemplates`
  // (default true, and owned by istioBaseValues): the CRDs move with every upgrade.
  istioBase: {
    pin: charts.istioBase,
    checkedAt: "1.30.3",
    delivery: "templates",
    kinds: [
      ...ns("extensions.istio.io", "TrafficExtension", "WasmPlugin"),
      ...ns(
        "networking.istio.io",
        "DestinationRule",
        "EnvoyFilter",
        "Gateway",
        "ProxyConfig",
        "ServiceEntry",
        "Sidecar",
        "VirtualService",
        "WorkloadEntry",
        "WorkloadGroup",
      ),
      ...ns(
        "security.istio.io",
        "AuthorizationPolicy",
        "PeerAuthentication",
        "RequestAuthentication",
      ),
      ...ns("telemetry.istio.io", "Telemetry"),
    ],
    source: "https://github.com/istio/istio/blob/1.30.3/manifests/charts/base/templates/crds.yaml",
  },
  istiod: none(charts.istiod),
  istioGateway: none(charts.istioGateway),
  // crds/crds.yaml and crds/gateway-crds.yaml; upstream's own upgrade note is
  // `kubectl apply -k .../crds` before `helm upgrade` (chart README, "Upgrade").
  awsLoadBalancerController: {
    pin: charts.awsLoadBalancerController,
    checkedAt: "3.5.0",
    delivery: "crds-dir",
    kinds: [
      ...ns("aga.k8s.aws", "GlobalAccelerator"),
      ...ns("elbv2.k8s.aws", "ALBTargetControlConfig", "TargetGroupBinding"),
      ...cluster("elbv2.k8s.aws", "IngressClassParams"),
      ...ns(
        "gateway.k8s.aws",
        "ListenerRuleConfiguration",
        "LoadBalancerConfiguration",
        "TargetGroupConfiguration",
      ),
    ],
    source: `https://github.com/kubernetes-sigs/aws-load-balancer-controller/tree/${ALB_TAG}/helm/aws-load-balancer-controller/crds`,
    upgrade: { via: "vendored", file: "crds/aws-load-balancer-controller-3.5.0.json" },
  },
  clusterAutoscaler: none(charts.clusterAutoscaler),
  awsForFluentBit: none(charts.awsForFluentBit),
  // The `crds` subchart's crds/ directory; its templates/upgrade/job.yaml is a
  // pre-install/pre-upgrade hook running `kubectl apply --server-side --force-conflicts`.
  kubePrometheusStack: {
    pin: charts.kubePrometheusStack,
    checkedAt: "88.5.3",
    delivery: "crds-dir",
    kinds: [
      ...ns(
        "monitoring.coreos.com",
        "Alertmanager",
        "AlertmanagerConfig",
        "PodMonitor",
        "Probe",
        "Prometheus",
        "PrometheusAgent",
        "PrometheusRule",
        "ScrapeConfig",
        "ServiceMonitor",
        "ThanosRuler",
      ),
    ],
    source:
      "https://github.com/prometheus-community/helm-charts/tree/kube-prometheus-stack-88.5.3/charts/kube-prometheus-stack/charts/crds",
    upgrade: { via: "values", key: "crds.upgradeJob.enabled" },
  },
  // crds/dnsendpoints.externaldns.k8s.io.yaml: read only by the `crd` source, which we do not use.
  externalDns: {
    pin: charts.externalDns,
    checkedAt: "1.21.1",
    delivery: "crds-dir",
    kinds: ns("externaldns.k8s.io", "DNSEndpoint"),
    source:
      "https://github.com/kubernetes-sigs/external-dns/tree/external-dns-helm-chart-1.21.1/charts/external-dns/crds",
    upgrade: {
      via: "skipped",
      why: "DNSEndpoint is read only by the `crd` source; our sources are service and ingress",
    },
  },
  reloader: none(charts.reloader),
  metricsServer: none(charts.metricsServer),
  awsEfsCsiDriver: none(charts.awsEfsCsiDriver),
  // The CRDs as templates, so `helm upgrade` moves them (Karpenter upgrade guide).
  karpenterCrd: {
    pin: charts.karpenterCrd,
    checkedAt: "1.14.1",
    delivery: "templates",
    kinds: [
      ...ns("autoscaling.x-k8s.io", "CapacityBuffer"),
      ...cluster("karpenter.k8s.aws", "EC2NodeClass"),
      ...cluster("karpenter.sh", "NodeClaim", "NodeOverlay", "NodePool"),
    ],
    source: `https://github.com/aws/karpenter-provider-aws/tree/${KARPENTER_TAG}/charts/karpenter-crd/templates`,
  },
  // The same CRDs in crds/; the release skips them and karpenter-crd owns them.
  karpenter: {
    pin: charts.karpenter,
    checkedAt: "1.14.1",
    delivery: "crds-dir",
    kinds: [
      ...ns("autoscaling.x-k8s.io", "CapacityBuffer"),
      ...cluster("karpenter.k8s.aws", "EC2NodeClass"),
      ...cluster("karpenter.sh", "NodeClaim", "NodeOverlay", "NodePool"),
    ],
    source: `https://github.com/aws/karpenter-provider-aws/tree/${KARPENTER_TAG}/charts/karpenter/crds`,
    upgrade: { via: "crd-chart", chart: charts.karpenterCrd.chart },
  },
} as const satisfies Record<string, ChartCrdFacts>;

/**
 * CRDs that EKS itself installs, so objects of these kinds need no release of ours. `installedBy`
 * names what must exist first: the control plane (the cluster) or the vpc-cni add-on.
 */
export const eksCrds: (CrdKind & { installedBy: "control-plane" | "vpc-cni"; source: string })[] = [
  // The VPC resource controller runs on the EKS control plane (aws/containers-roadmap#1124)
  // and installs these CRDs; "EKS platform version updates also check securitygrouppolicies
  // and cninodes installation" (maintainer, aws/amazon-vpc-resource-controller-k8s#358).
  {
    ...ns("vpcresources.k8s.aws", "SecurityGroupPolicy")[0],
    installedBy: "control-plane",
    source:
      "https://github.com/aws/amazon-vpc-resource-controller-k8s/blob/master/config/crd/bases/vpcresources.k8s.aws_securitygrouppolicies.yaml",
  },
  {
    ...cluster("vpcresources.k8s.aws", "CNINode")[0],
    installedBy: "control-plane",
    source:
      "https://github.com/aws/amazon-vpc-resource-controller-k8s/blob/master/config/crd/bases/vpcresources.k8s.aws_cninodes.yaml",
  },
  // ENIConfig ships in the VPC CNI's manifest, i.e. with the vpc-cni add-on (same thread).
  {
    ...cluster("crd.k8s.amazonaws.com", "ENIConfig")[0],
    installedBy: "vpc-cni",
    source: "https://github.com/aws/amazon-vpc-cni-k8s/blob/master/config/master/aws-k8s-cni.yaml",
  },
];

/** The facts for a release's `chart` (and repo, for classic charts), or undefined for a chart we do not know. */
export function chartCrdFactsFor(chart: string, repo?: string): ChartCrdFacts | undefined {
  return Object.values(chartCrds as Record<string, ChartCrdFacts>).find(
    (f) =>
      f.pin.chart === chart && (!("repo" in f.pin) || repo === undefined || f.pin.repo === repo),
  );
}

/** A CustomResourceDefinition as a chart's `crds/` file holds it. */
export interface CrdManifest {
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

/**
 * Args for one `CustomResourceDefinitionPatch` per vendored CRD. A Patch, not a
 * CustomResourceDefinition: since pulumi-kubernetes 4.29 creating an object that exists fails
 * with AlreadyExists (unless the provider sets upsertExistingObjects), and on a running cluster
 * Helm created these on install; a Patch is always a server-side apply (create-or-update,
 * provider/pkg/await/await.go in pulumi/pulumi-kubernetes), and deleting it only relinquishes
 * our fields, so removing the add-on never deletes the CRD and with it every TargetGroupBinding.
 * `pulumi.com/patchForce` takes the fields over from the `helm` field manager.
 */
export function vendoredCrdPatches(
  manifests: readonly CrdManifest[],
  from: { chart: string; version: string },
): { name: string; metadata: CrdManifest["metadata"]; spec: Record<string, unknown> }[] {
  return manifests.map((m) => ({
    name: m.metadata.name,
    metadata: {
      ...m.metadata,
      annotations: {
        ...m.metadata.annotations,
        [CRD_SOURCE_ANNOTATION]: `${from.chart}@${from.version}`,
        "pulumi.com/patchForce": "true",
      },
    },
    spec: m.spec,
  }));
}
