import * as k8s from "@pulumi/kubernetes";
import { pinnedReleaseArgs, type ChartPin } from "../catalog";
import { namespacedKinds } from "../crds";
import { addonNamespace } from "../namespace";
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
const ISTIO_REPO = "https://istio-release.storage.googleapis.com/charts";

/**
 * The three charts, released together. Istio publishes 1.30.3 from placeholder Chart.yaml files
 * (version 1.0.0 in git), so each source is the tag's.
 */
const istioCharts = {
  istioBase: {
    pin: {
      chart: "base",
      version: ISTIO_VERSION,
      repo: ISTIO_REPO,
      source: `https://github.com/istio/istio/blob/${ISTIO_VERSION}/manifests/charts/base/Chart.yaml`,
    },
    // base/templates/crds.yaml renders files/crd-all.gen.yaml when `base.enableCRDTemplates`
    // (default true, and owned by istioBaseValues): the CRDs move with every upgrade.
    crds: {
      checkedAt: "1.30.3",
      delivery: "templates",
      kinds: [
        ...namespacedKinds("extensions.istio.io", "TrafficExtension", "WasmPlugin"),
        ...namespacedKinds(
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
        ...namespacedKinds(
          "security.istio.io",
          "AuthorizationPolicy",
          "PeerAuthentication",
          "RequestAuthentication",
        ),
        ...namespacedKinds("telemetry.istio.io", "Telemetry"),
      ],
      source:
        "https://github.com/istio/istio/blob/1.30.3/manifests/charts/base/templates/crds.yaml",
    },
  },
  istiod: {
    pin: {
      chart: "istiod",
      version: ISTIO_VERSION,
      repo: ISTIO_REPO,
      source: `https://github.com/istio/istio/blob/${ISTIO_VERSION}/manifests/charts/istio-control/istio-discovery/Chart.yaml`,
    },
  },
  istioGateway: {
    pin: {
      chart: "gateway",
      version: ISTIO_VERSION,
      repo: ISTIO_REPO,
      source: `https://github.com/istio/istio/blob/${ISTIO_VERSION}/manifests/charts/gateway/Chart.yaml`,
    },
  },
} satisfies Record<string, AddonChart & { pin: ChartPin }>;

export const LOAD_BALANCER_SCHEMES = ["internet-facing", "internal"] as const;
export type LoadBalancerScheme = (typeof LOAD_BALANCER_SCHEMES)[number];

export interface IstioSettings {
  /** `false` keeps the settings without installing Istio. @default true */
  enabled?: boolean;
  /** Scheme of the gateway's NLB. @default "internet-facing" */
  gatewayScheme?: LoadBalancerScheme;
  /**
   * Extra annotations on the gateway Service (a Pulumi resource, `gatewayService`). The NLB
   * annotations still win. Shared hostnames are not published from here: each stack owns their
   * weighted records (components/traffic/traffic-records.ts). @default {}
   */
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

/**
 * istio/base: CRDs and cluster-wide resources only, so it has no pods and no resources to
 * request. Istio's defaults sit under `_internal_defaults_do_not_set`, which we never write.
 */
export function istioBaseValues(): ValueLayers {
  return {
    defaults: { defaultRevision: "default" },
    owned: {
      global: { istioNamespace: ISTIO.namespace },
      // CRDs as templates, so `helm upgrade` moves them with the chart (base/values.yaml:
      // "Helm (as of V3) does not support upgrading CRDs"); never let an override turn it off.
      base: { enableCRDTemplates: true },
    },
  };
}

/**
 * istiod: mesh and cluster ids come from the cluster name, so two clusters never share one. With
 * `tracing`, the OpenTelemetry collector is registered as the mesh's tracing provider (meshConfig
 * `extensionProviders`); its add-on's Telemetry resource turns it on
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
        // With the CNI agent (istio-cni.ts) every injected container can meet `restricted`, so
        // give them the seccomp profile it asks for.
        ...(i.cni ? { proxy: { seccompProfile: { type: "RuntimeDefault" } } } : {}),
      },
      // Injection without istio-init: the node agent redirects traffic (istio-discovery
      // values.yaml `cni.enabled`, which the injector reads as `pilot.cni`).
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
 * The gateway Service is an NLB made by the AWS Load Balancer Controller: `external` hands it to
 * the controller (not the in-tree provider), `ip` targets the pods directly. The target group
 * checks Istio's readiness endpoint, so a gateway pod that drains fails its check and a weighted
 * record with `evaluateTargetHealth` stops sending traffic to a cluster with none ready
 * (annotations: kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/guide/service/annotations.md,
 * healthcheck-protocol/-port/-path; 15021 /healthz/ready is the gateway's status port).
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
 * The chart's own Service is off ("None" disables it entirely: gateway/values.yaml and
 * templates/service.yaml at 1.30.3): Pulumi cannot see inside a Helm release, and the weighted
 * records need the load balancer's hostname, so the Service is a Pulumi resource
 * (`gatewayServiceArgs`).
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
 * The gateway chart's pod labels for release `istio-ingressgateway` (gateway/templates/_helpers.tpl
 * at 1.30.3, `gateway.selectorLabels`: app = the release name, istio = it without `istio-`).
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
    const gatewayNs = addonNamespace(
      `${name}-gateway-ns`,
      { ...ctx, namespace: ISTIO.gatewayNamespace, podSecurity: "baseline" },
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
    const gatewayValues = istioGatewayValues();
    const gateway = new k8s.helm.v3.Release(
      `${name}-gateway`,
      pinnedReleaseArgs(istioCharts.istioGateway.pin, {
        name: ISTIO.gatewayName,
        namespace: gatewayNs.metadata.name,
        values: mergeValues(gatewayValues, overrides.gateway),
      }),
      { ...k8sOpts, dependsOn: [istiod, ...after, gatewayNs] },
    );
    // Pulumi waits for a LoadBalancer Service until its endpoints are ready and it has an
    // external address (@pulumi/kubernetes core/v1/service.d.ts, conditions 3 and 4), so the
    // hostname below is the NLB's once `up` gets past it. After the gateway's pods (its
    // endpoints) and the ALB controller (`after`), which on destroy must outlive it to delete the
    // NLB: the teardown contract of test/addons-order.test.ts.
    const service = new k8s.core.v1.Service(
      `${name}-gateway-service`,
      gatewayServiceArgs({
        scheme: s.gatewayScheme,
        annotations: s.gatewayServiceAnnotations,
      }),
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
