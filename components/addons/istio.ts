import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts, pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { addonNamespace } from "./namespace";
import { mergeValues, requests, ValueLayers, Values } from "./values";

export const ISTIO = {
  /** istiod and the CRDs. */
  namespace: "istio-system",
  /** The ingress gateway lives apart, so its PSA level and RBAC stay separate from istiod's. */
  gatewayNamespace: "istio-ingress",
  /** Helm release (and Deployment/Service) name of the ingress gateway. */
  gatewayName: "istio-ingressgateway",
} as const;

export type LoadBalancerScheme = "internet-facing" | "internal";

export interface IstioSettings {
  /** Scheme of the gateway's NLB. @default "internet-facing" */
  gatewayScheme?: LoadBalancerScheme;
  /**
   * Extra annotations on the gateway Service, e.g. ExternalDNS's hostname, set-identifier and
   * aws-weight for the Route 53 weighted record. The NLB annotations still win. @default {}
   */
  gatewayServiceAnnotations?: Record<string, string>;
  /** Chart values merged over ours, per chart (keys we own still win). @default {} */
  values?: {
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

export interface IstioArgs {
  /** The cluster the add-on goes on (names, region, OIDC provider, Kubernetes provider). */
  context: AddonContext;
  /** The add-on's settings; `{}` takes every default. */
  settings: IstioSettings;
  /**
   * Controllers that make AWS resources for the gateway's Service: the ALB controller (its NLB)
   * and ExternalDNS (its records). The gateway waits for them, so a destroy deletes it while
   * they still run to delete what they made.
   */
  gatewayControllers: pulumi.Resource[];
}

/** Istio: base (CRDs), then istiod, then an ingress gateway in its own namespace. */
export class Istio extends pulumi.ComponentResource {
  readonly base: k8s.helm.v3.Release;
  readonly istiod: k8s.helm.v3.Release;
  readonly gateway: k8s.helm.v3.Release;

  constructor(name: string, args: IstioArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:Istio", name, {}, opts);
    const ctx = args.context;
    const overrides = args.settings.values ?? {};
    const k8sOpts = { parent: this, provider: ctx.provider };
    // istiod and the gateway run as non-root without host access, but neither sets a seccomp
    // profile on every container, which `restricted` demands: baseline is the strictest fit.
    const ns = addonNamespace(
      `${name}-ns`,
      { ...ctx, namespace: ISTIO.namespace, podSecurity: "baseline" },
      { parent: this },
    );
    const gatewayNs = addonNamespace(
      `${name}-gateway-ns`,
      { ...ctx, namespace: ISTIO.gatewayNamespace, podSecurity: "baseline" },
      { parent: this },
    );
    this.base = new k8s.helm.v3.Release(
      `${name}-base`,
      pinnedReleaseArgs(charts.istioBase, {
        name: "istio-base",
        namespace: ns.metadata.name,
        values: mergeValues(istioBaseValues(), overrides.base),
      }),
      { ...k8sOpts, dependsOn: [ns] },
    );
    this.istiod = new k8s.helm.v3.Release(
      `${name}-istiod`,
      pinnedReleaseArgs(charts.istiod, {
        // Istio's docs install istiod under exactly this release name.
        name: "istiod",
        namespace: ns.metadata.name,
        values: mergeValues(istiodValues(ctx), overrides.istiod),
      }),
      { ...k8sOpts, dependsOn: [this.base, ...ctx.computeReady] },
    );
    const gatewayValues = istioGatewayValues({
      scheme: args.settings.gatewayScheme ?? "internet-facing",
      serviceAnnotations: args.settings.gatewayServiceAnnotations,
    });
    this.gateway = new k8s.helm.v3.Release(
      `${name}-gateway`,
      pinnedReleaseArgs(charts.istioGateway, {
        name: ISTIO.gatewayName,
        namespace: gatewayNs.metadata.name,
        values: mergeValues(gatewayValues, overrides.gateway),
      }),
      { ...k8sOpts, dependsOn: [this.istiod, ...args.gatewayControllers, gatewayNs] },
    );
    this.registerOutputs({ gateway: this.gateway.status });
  }
}
