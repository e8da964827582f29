import * as k8s from "@pulumi/kubernetes";
import { pinnedReleaseArgs, type ChartPin } from "./catalog";
import { namespacedKinds } from "./crds";
import { addonNamespace } from "./namespace";
import { oneOfProblems, stringMapProblems } from "./settings";
import type { AddonChart, AddonSpec } from "./spec";
import { mergeValues, requests, ValueLayers, Values } from "./values";

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
   * Extra annotations on the gateway Service, e.g. ExternalDNS's hostname, set-identifier and
   * aws-weight for the Route 53 weighted record. The NLB annotations still win. @default {}
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

/** istiod: mesh and cluster ids come from the cluster name, so two clusters never share one. */
export function istiodValues(i: { clusterName: string }): ValueLayers {
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
      },
    },
  };
}

/**
 * The gateway Service is an NLB made by the AWS Load Balancer Controller: `external` hands it to
 * the controller (not the in-tree provider), `ip` targets the pods directly.
 */
export function nlbAnnotations(scheme: LoadBalancerScheme): Record<string, string> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": scheme,
  };
}

export function istioGatewayValues(i: {
  scheme: LoadBalancerScheme;
  serviceAnnotations?: Record<string, string>;
}): ValueLayers {
  return {
    defaults: {
      resources: requests("100m", "128Mi", "1Gi"),
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10 },
      podDisruptionBudget: { minAvailable: 1 },
    },
    owned: {
      service: {
        // The teardown contract (test/addons-bundle.test.ts) relies on this being the one
        // LoadBalancer Service the bundle creates.
        type: "LoadBalancer",
        annotations: { ...i.serviceAnnotations, ...nlbAnnotations(i.scheme) },
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

export const istio: AddonSpec<IstioSettings> = {
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
  finish: ({ name, context: ctx, settings: s, after, child, k8s: k8sOpts }, { namespace: ns }) => {
    const overrides = s.values ?? {};
    const gatewayNs = addonNamespace(
      `${name}-gateway-ns`,
      { ...ctx, namespace: ISTIO.gatewayNamespace, podSecurity: "baseline" },
      child(`${name}-gateway-ns`),
    );
    const base = new k8s.helm.v3.Release(
      `${name}-base`,
      pinnedReleaseArgs(istioCharts.istioBase.pin, {
        name: "istio-base",
        namespace: ns!.metadata.name,
        values: mergeValues(istioBaseValues(), overrides.base),
      }),
      { ...k8sOpts(`${name}-base`), dependsOn: [ns!] },
    );
    const istiod = new k8s.helm.v3.Release(
      `${name}-istiod`,
      pinnedReleaseArgs(istioCharts.istiod.pin, {
        // Istio's docs install istiod under exactly this release name.
        name: "istiod",
        namespace: ns!.metadata.name,
        values: mergeValues(istiodValues(ctx), overrides.istiod),
      }),
      { ...k8sOpts(`${name}-istiod`), dependsOn: [base, ...ctx.computeReady] },
    );
    const gatewayValues = istioGatewayValues({
      scheme: s.gatewayScheme!,
      serviceAnnotations: s.gatewayServiceAnnotations,
    });
    const gateway = new k8s.helm.v3.Release(
      `${name}-gateway`,
      pinnedReleaseArgs(istioCharts.istioGateway.pin, {
        name: ISTIO.gatewayName,
        namespace: gatewayNs.metadata.name,
        values: mergeValues(gatewayValues, overrides.gateway),
      }),
      { ...k8sOpts(`${name}-gateway`), dependsOn: [istiod, ...after, gatewayNs] },
    );
    return {
      ready: [gateway],
      gatewayService: { namespace: ISTIO.gatewayNamespace, name: ISTIO.gatewayName },
    };
  },
};
