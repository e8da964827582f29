import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { pinnedReleaseArgs, type ChartPin } from "../catalog";
import { namespacedKinds } from "../crds";
import { createNamespace } from "../../teams/namespace";
import { collectorService, OPEN_TELEMETRY } from "../opentelemetry";
import { isRecord, oneOfProblems } from "../../problems";
import { stringMapProblems } from "../settings";
import { type AddonChart, type AddonSpec, type Prepared, present } from "../spec";
import { mergeValues, requests, valueAt, ValueLayers, Values } from "../values";

export const ISTIO = {
  /** istiod and the CRDs. */
  namespace: "istio-system",
  /** The ingress gateway lives apart, so its PSA level and RBAC stay separate from istiod's. */
  gatewayNamespace: "istio-ingress",
  /** Helm release (and Deployment/Service) name of the ingress gateway. */
  gatewayName: "istio-ingressgateway",
} as const;

/** Every injected sidecar's requests and memory limit: team quotas make room for it. */
export const SIDECAR = { cpu: "100m", memory: "128Mi", memoryLimit: "1Gi" } as const;

/**
 * A namespace-wide PeerAuthentication (no selector) in STRICT mode: its sidecars accept only mutual
 * TLS. The gateway's proxy sends it (auto mTLS); kubelet probes reach the agent on 15020, which
 * Istio rewrites them to (`sidecar.istio.io/rewriteAppHTTPProbers`, on by default) and does not
 * intercept (https://istio.io/latest/docs/ops/configuration/mesh/app-health-check/).
 */
export const strictMtls = (namespace: string) => ({
  apiVersion: "security.istio.io/v1",
  kind: "PeerAuthentication",
  metadata: { name: "default", namespace },
  spec: { mtls: { mode: "STRICT" } },
});

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
  istioGateway: {
    pin: istioPin("gateway", "gateway"),
    carries: [
      {
        kind: "Service",
        apiVersion: "v1",
        // gateway/templates/_helpers.tpl, `gateway.name`: the `name` value, else the release's.
        id: (r) => `${r.namespace}/${typeof r.values.name === "string" ? r.values.name : r.name}`,
        carries: "the NLB serving every hostname (the ALB controller deletes it with the Service)",
        renderedWith: (v) => serviceOf(v).type === "LoadBalancer",
        // Type and scheme are fixed per load balancer: a change is a new NLB, with a new name
        // (aws-load-balancer-controller v3.5.0 pkg/deploy/elbv2/load_balancer_synthesizer.go).
        identity: (v) => {
          const { type, annotations } = serviceOf(v);
          const lb = "service.beta.kubernetes.io/aws-load-balancer-";
          return [type, annotations[`${lb}type`], annotations[`${lb}scheme`]];
        },
        source: `https://github.com/istio/istio/blob/${ISTIO_VERSION}/manifests/charts/gateway/templates/service.yaml (rendered unless service.type is None); https://kubernetes-sigs.github.io/aws-load-balancer-controller/v2.14/guide/service/annotations/ (scheme and type are set at creation)`,
      },
    ],
  },
} satisfies Record<string, AddonChart & { pin: ChartPin }>;

/** The gateway chart's Service type, LoadBalancer unless set (gateway/values.yaml), and annotations. */
const serviceOf = (v: Values) => {
  const [type, annotations] = [valueAt(v, "service", "type"), valueAt(v, "service", "annotations")];
  return {
    type: typeof type === "string" ? type : "LoadBalancer",
    annotations: isRecord(annotations) ? annotations : {},
  };
};

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
      global: { proxy: { resources: requests(SIDECAR.cpu, SIDECAR.memory, SIDECAR.memoryLimit) } },
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
 * The gateway's LoadBalancer Service stays the chart's (gateway/templates/service.yaml at 1.30.3):
 * the NLB serving all traffic belongs to this release, so it is never deleted or moved out of it.
 */
export function istioGatewayValues(i: {
  scheme: LoadBalancerScheme;
  annotations?: Record<string, string>;
}): ValueLayers {
  return {
    defaults: {
      resources: requests("100m", "128Mi", "1Gi"),
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10 },
      podDisruptionBudget: { minAvailable: 1 },
    },
    owned: {
      service: {
        type: "LoadBalancer",
        annotations: { ...i.annotations, ...nlbAnnotations(i.scheme) },
      },
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
        values: mergeValues(
          istioGatewayValues({
            scheme: s.gatewayScheme,
            annotations: s.gatewayServiceAnnotations,
          }),
          overrides.gateway,
        ),
      }),
      { ...k8sOpts, dependsOn: [istiod, ...after, gatewayNs] },
    );
    // Helm waits for the LoadBalancer's address (pkg/kube/ready.go, serviceReady), so the read
    // after the release sees the NLB's hostname; its id is unknown, so unread, until the release is.
    const service = k8s.core.v1.Service.get(
      `${name}-gateway-service`,
      pulumi.interpolate`${gateway.status.namespace}/${gateway.status.name}`,
      { ...k8sOpts, dependsOn: [gateway] },
    );
    return {
      ready: [gateway],
      gatewayService: {
        namespace: gatewayNs.metadata.name,
        name: ISTIO.gatewayName,
        hostname: service.status.loadBalancer.ingress[0].hostname,
      },
    };
  },
};
