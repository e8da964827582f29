import * as pulumi from "@pulumi/pulumi";
import { AlbControllerSettings, AwsLoadBalancerController } from "./aws-load-balancer-controller";
import { ClusterAutoscaler, ClusterAutoscalerSettings } from "./cluster-autoscaler";
import type { AddonContext } from "./context";
import { EbsCsiDriver } from "./ebs-csi";
import { ExternalDns, ExternalDnsSettings } from "./external-dns";
import { FluentBit, FluentBitSettings } from "./fluent-bit";
import { ISTIO, Istio, IstioSettings } from "./istio";
import { Prometheus, PrometheusSettings } from "./prometheus";
import { Reloader, ReloaderSettings } from "./reloader";

/** Which add-ons a stack installs (a key present means on; every one is off by default). */
export interface AddonSelection {
  /** Istio base, istiod and an ingress gateway behind an NLB. Needs `awsLoadBalancerController`. @default off */
  istio?: IstioSettings;
  /** AWS Load Balancer Controller: NLBs for LoadBalancer Services, ALBs for Ingresses. @default off */
  awsLoadBalancerController?: AlbControllerSettings;
  /** cluster-autoscaler for this cluster's managed node groups. @default off */
  clusterAutoscaler?: ClusterAutoscalerSettings;
  /** aws-for-fluent-bit: container logs to CloudWatch Logs. @default off */
  fluentBit?: FluentBitSettings;
  /** kube-prometheus-stack; turns on `ebsCsiDriver` for its storage. @default off */
  prometheus?: PrometheusSettings;
  /** ExternalDNS for Route 53. @default off */
  externalDns?: ExternalDnsSettings;
  /** Stakater Reloader. @default off */
  reloader?: ReloaderSettings;
  /** The aws-ebs-csi-driver EKS add-on and gp3 StorageClass. @default on when `prometheus` is */
  ebsCsiDriver?: {
    /** KMS key for volume encryption. @default the account's aws/ebs key */
    kmsKeyId?: string;
  };
}

/** Every unit the bundle installs, in a valid install order. */
export const ADDONS = [
  "ebsCsiDriver",
  "prometheus",
  "awsLoadBalancerController",
  "clusterAutoscaler",
  "externalDns",
  "fluentBit",
  "reloader",
  "istioBase",
  "istiod",
  "istioGateway",
] as const;
export type AddonName = (typeof ADDONS)[number];

/** The units a selection installs, in install order. */
export function installedAddons(s: AddonSelection): AddonName[] {
  const on: Record<AddonName, boolean> = {
    ebsCsiDriver: s.ebsCsiDriver !== undefined || s.prometheus !== undefined,
    prometheus: s.prometheus !== undefined,
    awsLoadBalancerController: s.awsLoadBalancerController !== undefined,
    clusterAutoscaler: s.clusterAutoscaler !== undefined,
    externalDns: s.externalDns !== undefined,
    fluentBit: s.fluentBit !== undefined,
    reloader: s.reloader !== undefined,
    istioBase: s.istio !== undefined,
    istiod: s.istio !== undefined,
    istioGateway: s.istio !== undefined,
  };
  return ADDONS.filter((a) => on[a]);
}

/** Why each unit waits for another; an edge applies only when both ends are installed. */
const EDGES: [AddonName, AddonName, string][] = [
  ["istiod", "istioBase", "base installs the Istio CRDs"],
  ["istioGateway", "istiod", "the gateway's proxy is injected and configured by istiod"],
  [
    "istioGateway",
    "externalDns",
    "ExternalDNS publishes the gateway's records, and must delete them on destroy",
  ],
  [
    "istioGateway",
    "awsLoadBalancerController",
    "its LoadBalancer Service is an NLB the controller makes, and must delete on destroy",
  ],
  ["prometheus", "ebsCsiDriver", "its volume is a gp3 claim the CSI driver provisions"],
  ["awsLoadBalancerController", "prometheus", "its ServiceMonitor needs the operator's CRDs"],
  ["clusterAutoscaler", "prometheus", "its ServiceMonitor needs the operator's CRDs"],
  ["externalDns", "prometheus", "its ServiceMonitor needs the operator's CRDs"],
];

/**
 * The install order as data: for each installed unit, the units that must exist before it (and,
 * on `pulumi destroy`, must outlive it). The bundle wires exactly these into `dependsOn`, and
 * test/addons-bundle.test.ts checks them on the registered resources.
 */
export function addonOrder(s: AddonSelection): Partial<Record<AddonName, AddonName[]>> {
  const installed = new Set(installedAddons(s));
  if (installed.has("istioGateway") && !installed.has("awsLoadBalancerController")) {
    throw new Error(
      "addons.istio: the ingress gateway's NLB needs the AWS Load Balancer Controller (got istio without awsLoadBalancerController); turn awsLoadBalancerController on or Istio off",
    );
  }
  const order: Partial<Record<AddonName, AddonName[]>> = {};
  for (const a of installed) {
    order[a] = EDGES.filter(([from, to]) => from === a && installed.has(to)).map(([, to]) => to);
  }
  return order;
}

export interface AddonBundleArgs {
  /** The cluster the add-ons go on. */
  context: AddonContext;
  /** Which add-ons, with their settings and per-add-on value overrides. */
  selection: AddonSelection;
}

/** Installs the selected add-ons on one cluster, in dependency order. */
export class AddonBundle extends pulumi.ComponentResource {
  readonly ebsCsiDriver?: EbsCsiDriver;
  readonly prometheus?: Prometheus;
  readonly albController?: AwsLoadBalancerController;
  readonly clusterAutoscaler?: ClusterAutoscaler;
  readonly externalDns?: ExternalDns;
  readonly fluentBit?: FluentBit;
  readonly reloader?: Reloader;
  readonly istio?: Istio;
  /**
   * Put these in `dependsOn` of every Service of type LoadBalancer and every Ingress, so destroy
   * deletes them (and the controller their load balancers) before the controller goes.
   */
  readonly loadBalancerReady: pulumi.Resource[];
  /** Namespace and name of the ingress gateway Service, when Istio is on. */
  readonly gatewayService?: { namespace: string; name: string };

  constructor(name: string, args: AddonBundleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:AddonBundle", name, {}, opts);
    const { context, selection: s } = args;
    const order = addonOrder(s);
    const releases: Partial<Record<AddonName, pulumi.Resource>> = {};
    const after = (a: AddonName) => (order[a] ?? []).map((dep) => releases[dep]!);
    const serviceMonitor = order.prometheus !== undefined;
    const child = { parent: this };

    if (order.ebsCsiDriver) {
      this.ebsCsiDriver = new EbsCsiDriver(
        `${name}-ebs-csi`,
        { context, kmsKeyId: s.ebsCsiDriver?.kmsKeyId },
        child,
      );
      releases.ebsCsiDriver = this.ebsCsiDriver.storageClass;
    }
    if (s.prometheus && this.ebsCsiDriver) {
      this.prometheus = new Prometheus(
        `${name}-prometheus`,
        {
          context,
          settings: s.prometheus,
          storageClassName: this.ebsCsiDriver.storageClass.metadata.name,
          storage: [this.ebsCsiDriver.addon, ...after("prometheus")],
        },
        child,
      );
      releases.prometheus = this.prometheus.release;
    }
    if (s.awsLoadBalancerController) {
      this.albController = new AwsLoadBalancerController(
        `${name}-alb-controller`,
        {
          context,
          settings: s.awsLoadBalancerController,
          dependsOn: after("awsLoadBalancerController"),
          serviceMonitor,
        },
        child,
      );
      releases.awsLoadBalancerController = this.albController.release;
    }
    if (s.clusterAutoscaler) {
      this.clusterAutoscaler = new ClusterAutoscaler(
        `${name}-cluster-autoscaler`,
        {
          context,
          settings: s.clusterAutoscaler,
          dependsOn: after("clusterAutoscaler"),
          serviceMonitor,
        },
        child,
      );
    }
    if (s.externalDns) {
      this.externalDns = new ExternalDns(
        `${name}-external-dns`,
        { context, settings: s.externalDns, dependsOn: after("externalDns"), serviceMonitor },
        child,
      );
      releases.externalDns = this.externalDns.release;
    }
    if (s.fluentBit) {
      this.fluentBit = new FluentBit(
        `${name}-fluent-bit`,
        { context, settings: s.fluentBit },
        child,
      );
    }
    if (s.reloader) {
      this.reloader = new Reloader(`${name}-reloader`, { context, settings: s.reloader }, child);
    }
    if (s.istio && this.albController) {
      this.istio = new Istio(
        `${name}-istio`,
        {
          context,
          settings: s.istio,
          // istiod and base are Istio's own; the rest are controllers acting on the gateway.
          gatewayControllers: (order.istioGateway ?? []).flatMap((d) =>
            releases[d] ? [releases[d]] : [],
          ),
        },
        child,
      );
      this.gatewayService = { namespace: ISTIO.gatewayNamespace, name: ISTIO.gatewayName };
    }
    this.loadBalancerReady = this.albController ? [this.albController.release] : [];
    this.registerOutputs({
      installed: installedAddons(s),
      albControllerRoleArn: this.albController?.role.roleArn,
    });
  }
}
