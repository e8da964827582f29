import * as k8s from "@pulumi/kubernetes";
import { pinnedReleaseArgs, type ChartPin } from "../catalog";
import { namespacedKinds } from "../crds";
import { createNamespace } from "../../teams/namespace";
import { collectorService, OPEN_TELEMETRY } from "../opentelemetry";
import { oneOfProblems } from "../../problems";
import { stringMapProblems } from "../settings";
import { type AddonChart, type AddonSpec, type Prepared, present } from "../spec";
import { mergeValues, requests, ValueLayers, Values } from "../values";

export const ISTIO = {
  /** istiod and the CRDs. */
  namespace: "istio-system",
  /** The ingress gateway lives apart, so its PSA level and RBAC stay separate from istiod's. */
  gatewayNamespace: "istio-ingress",
  /** Helm release (and Deployment/Service) name of the ingress gateway. */
  gatewayName: "istio-ingressgateway",
} as const;

const ISTIO_VERSION = "1.30.3"; // base, istiod and gateway must match

/** A pin at ISTIO_VERSION; sources at the tag (Chart.yaml in git is a placeholder). */
const istioPin = (chart: string, dir: string): ChartPin => ({
  chart,
  version: ISTIO_VERSION,
  repo: "https://istio-release.storage.googleapis.com/charts",
  source: `https://github.com/istio/istio/blob/${ISTIO_VERSION}/manifests/charts/${dir}/Chart.yaml`,
});

/** The three charts, released together. */
const istioCharts = {
  istioBase: {
    pin: istioPin("base", "base"),
    // base/templates/crds.yaml renders files/crd-all.gen.yaml when `base.enableCRDTemplates`.
    crds: {
      checkedAt: "1.30.3",
      delivery: "templates",
      kinds: [
        ...namespacedKinds("extensions.istio.io", "TrafficExtension WasmPlugin"),
        ...namespacedKinds(
          "networking.istio.io",
          "DestinationRule EnvoyFilter Gateway ProxyConfig ServiceEntry Sidecar VirtualService",
          "WorkloadEntry WorkloadGroup",
        ),
        ...namespacedKinds(
          "security.istio.io",
          "AuthorizationPolicy PeerAuthentication RequestAuthentication",
        ),
        ...namespacedKinds("telemetry.istio.io", "Telemetry"),
      ],
      source:
        "https://github.com/istio/istio/blob/1.30.3/manifests/charts/base/templates/crds.yaml",
    },
  },
  istiod: { pin: istioPin("istiod", "istio-control/istio-discovery") },
  istioGateway: { pin: istioPin("gateway", "gateway") },
} satisfies Record<string, AddonChart & { pin: ChartPin }>;

export const LOAD_BALANCER_SCHEMES = ["internet-facing", "internal"] as const;
export type LoadBalancerScheme = (typeof LOAD_BALANCER_SCHEMES)[number];

export interface IstioSettings {
  /** `false` keeps the settings without installing Istio. @default true */
  enabled?: boolean;
  /** Scheme of the gateway's NLB. @default "internet-facing" */
  gatewayScheme?: LoadBalancerScheme;
  /** Extra gateway Service annotations (the NLB's win); not for shared hostnames. @default {} */
  gatewayServiceAnnotations?: Record<string, string>;
  /** Chart values merged over ours, per chart (keys we own still win). @default {} */
  values?: {
    [chart: string]: Values | undefined;
    /** Values for the `base` chart (CRDs). @default {} */
    base?: Values;
    /** Values for `istiod`. @default {} */
    istiod?: Values;
    /** Values for the ingress `gateway`. @default {} */
    gateway?: Values;
  };
}

/** istio/base: CRDs only, no pods. We never write `_internal_defaults_do_not_set` (Istio's). */
export function istioBaseValues(): ValueLayers {
  return {
    defaults: { defaultRevision: "default" },
    owned: {
      global: { istioNamespace: ISTIO.namespace },
      // As templates, `helm upgrade` moves the CRDs (base/values.yaml); no override turns it off.
      base: { enableCRDTemplates: true },
    },
  };
}

/**
 * istiod: mesh and cluster ids are the cluster name, never shared. `tracing` makes the collector a
 * mesh tracing provider, turned on by its add-on's Telemetry
 * (https://istio.io/latest/docs/tasks/observability/distributed-tracing/opentelemetry/).
 */
export function istiodValues(i: {
  clusterName: string;
  tracing?: boolean;
  cni?: boolean;
}): ValueLayers {
  return {
    defaults: {
      autoscaleMin: 2,
      resources: requests("500m", "2Gi"),
      pdb: { minAvailable: 1 },
      // Requests of every injected sidecar, so meshed workloads also declare what they use.
      global: { proxy: { resources: requests("100m", "128Mi", "1Gi") } },
    },
    owned: {
      global: {
        istioNamespace: ISTIO.namespace,
        meshID: i.clusterName,
        multiCluster: { clusterName: i.clusterName },
        // With the CNI agent every injected container can meet `restricted`, given this profile.
        ...(i.cni ? { proxy: { seccompProfile: { type: "RuntimeDefault" } } } : {}),
      },
      // No istio-init: the node agent redirects (istio-discovery values.yaml `cni.enabled`).
      ...(i.cni ? { cni: { enabled: true } } : {}),
      ...(i.tracing
        ? {
            meshConfig: {
              extensionProviders: [
                {
                  name: OPEN_TELEMETRY.meshProvider,
                  opentelemetry: { service: collectorService, port: OPEN_TELEMETRY.otlpGrpcPort },
                },
              ],
            },
          }
        : {}),
    },
  };
}

/**
 * An NLB the AWS Load Balancer Controller makes (`external`), targeting pod IPs. Health checks hit
 * the gateway's status port, so an `evaluateTargetHealth` record skips a cluster with no ready
 * gateway (kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/guide/service/annotations.md).
 */
export function nlbAnnotations(scheme: LoadBalancerScheme): Record<string, string> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": scheme,
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
  };
}

/**
 * The chart's Service is off ("None": gateway/values.yaml, templates/service.yaml at 1.30.3): the
 * records need its hostname, which Pulumi cannot read inside a release (`gatewayServiceArgs`).
 */
export function istioGatewayValues(): ValueLayers {
  return {
    defaults: {
      resources: requests("100m", "128Mi", "1Gi"),
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10 },
      podDisruptionBudget: { minAvailable: 1 },
    },
    owned: { service: { type: "None" } },
  };
}

/**
 * Pod labels of release `istio-ingressgateway` (gateway/templates/_helpers.tpl at 1.30.3,
 * `gateway.selectorLabels`): app is the release name, istio it without `istio-`.
 */
export const GATEWAY_SELECTOR = { app: ISTIO.gatewayName, istio: "ingressgateway" } as const;

/** The chart's default ports (gateway/values.yaml at 1.30.3, `service.ports`). */
export const GATEWAY_PORTS = [
  { name: "status-port", port: 15021, protocol: "TCP", targetPort: 15021 },
  { name: "http2", port: 80, protocol: "TCP", targetPort: 80 },
  { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
] as const;

/** The gateway's LoadBalancer Service, as the chart would have made it, with our annotations. */
export function gatewayServiceArgs(i: {
  scheme: LoadBalancerScheme;
  annotations?: Record<string, string>;
}) {
  return {
    metadata: {
      name: ISTIO.gatewayName,
      namespace: ISTIO.gatewayNamespace,
      labels: { ...GATEWAY_SELECTOR },
      annotations: { ...i.annotations, ...nlbAnnotations(i.scheme) },
    },
    spec: {
      type: "LoadBalancer",
      selector: { ...GATEWAY_SELECTOR },
      ports: GATEWAY_PORTS.map((p) => ({ ...p })),
    },
  };
}

export function istioProblems(s: IstioSettings, at: string): string[] {
  return [
    ...oneOfProblems(s.gatewayScheme, LOAD_BALANCER_SCHEMES, `${at}.gatewayScheme`, "NLB scheme"),
    ...stringMapProblems(
      s.gatewayServiceAnnotations,
      `${at}.gatewayServiceAnnotations`,
      "annotations",
    ),
  ];
}

export const istio: AddonSpec<
  IstioSettings,
  Prepared,
  "gatewayScheme" | "gatewayServiceAnnotations"
> = {
  component: "Istio",
  summary: "Istio base, istiod and an ingress gateway behind an NLB.",
  namespace: {
    name: ISTIO.namespace,
    podSecurity: "baseline",
    why: "istiod and the gateway run as non-root without host access, but not every container sets the seccomp profile `restricted` demands",
  },
  defaults: { gatewayScheme: "internet-facing", gatewayServiceAnnotations: {} },
  problems: istioProblems,
  requires: { awsLoadBalancerController: "the ingress gateway's NLB is made by the controller" },
  // Only the gateway waits for these: they act on its Service (the NLB, the DNS records), and a
  // destroy must delete it while they still run to delete what they made.
  installAfter: {
    awsLoadBalancerController:
      "its LoadBalancer Service is an NLB the controller makes, and must delete on destroy",
    externalDns: "ExternalDNS publishes the gateway's records, and must delete them on destroy",
  },
  hookCharts: istioCharts,
  finish: ({ name, context: ctx, settings: s, after, installed, child, k8s: k8sOpts }, plumbed) => {
    const ns = present(plumbed.namespace, "istio's namespace");
    const overrides = s.values ?? {};
    const gatewayNs = createNamespace(
      `${name}-gateway-ns`,
      { ...ctx, name: ISTIO.gatewayNamespace, podSecurity: "baseline" },
      child,
    );
    const base = new k8s.helm.v3.Release(
      `${name}-base`,
      pinnedReleaseArgs(istioCharts.istioBase.pin, {
        name: "istio-base",
        namespace: ns.metadata.name,
        values: mergeValues(istioBaseValues(), overrides.base),
      }),
      { ...k8sOpts, dependsOn: [ns] },
    );
    const istiod = new k8s.helm.v3.Release(
      `${name}-istiod`,
      pinnedReleaseArgs(istioCharts.istiod.pin, {
        // Istio's docs install istiod under exactly this release name.
        name: "istiod",
        namespace: ns.metadata.name,
        values: mergeValues(
          istiodValues({
            ...ctx,
            tracing: installed.has("openTelemetry"),
            cni: installed.has("istioCni"),
          }),
          overrides.istiod,
        ),
      }),
      { ...k8sOpts, dependsOn: [base, ...ctx.computeReady] },
    );
    const gateway = new k8s.helm.v3.Release(
      `${name}-gateway`,
      pinnedReleaseArgs(istioCharts.istioGateway.pin, {
        name: ISTIO.gatewayName,
        namespace: gatewayNs.metadata.name,
        values: mergeValues(istioGatewayValues(), overrides.gateway),
      }),
      { ...k8sOpts, dependsOn: [istiod, ...after, gatewayNs] },
    );
    // Pulumi awaits ready endpoints and an address (@pulumi/kubernetes core/v1/service.d.ts,
    // conditions 3 and 4), so `hostname` is the NLB's; the ALB controller deletes it on destroy.
    const service = new k8s.core.v1.Service(
      `${name}-gateway-service`,
      gatewayServiceArgs({ scheme: s.gatewayScheme, annotations: s.gatewayServiceAnnotations }),
      { ...k8sOpts, dependsOn: [gateway, ...after, gatewayNs] },
    );
    return {
      ready: [gateway, service],
      gatewayService: {
        namespace: ISTIO.gatewayNamespace,
        name: ISTIO.gatewayName,
        hostname: service.status.loadBalancer.ingress[0].hostname,
      },
    };
  },
};
