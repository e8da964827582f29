import * as pulumi from "@pulumi/pulumi";
import { AddonBundle, AddonSelection } from "./addons/bundle";
import { ContainerInsights } from "./addons/container-insights";
import type { AddonContext } from "./addons/context";
import { EfsCsiDriver } from "./addons/efs-csi";
import { MetricsServer } from "./addons/metrics-server";
import { NetworkPolicyBaseline } from "./addons/network-policies";
import { Karpenter, KarpenterSettings } from "./karpenter/karpenter";

/** The day-2 platform on top of the Helm bundle. Every field has a default. */
export interface PlatformOptions {
  /** Which autoscaler manages capacity. @default "cluster-autoscaler" */
  autoscaler?: "cluster-autoscaler" | "karpenter";
  /** Required when `autoscaler` is "karpenter". @default none */
  karpenter?: KarpenterSettings;
  /** metrics-server for the HPA and `kubectl top`. @default { enabled: true, replicas: 2 } */
  metricsServer?: {
    /** Install metrics-server. */
    enabled: boolean;
    /** Replicas, spread over zones. @default 2 */
    replicas?: number;
  };
  /** EFS CSI driver, a file system and an `efs` StorageClass. @default off */
  efs?: {
    /** Install the EFS CSI driver and file system. */
    enabled: boolean;
  };
  /** The amazon-cloudwatch-observability add-on. @default off */
  containerInsights?: {
    /** Install Container Insights. */
    enabled: boolean;
  };
  /**
   * Namespaces to create for workloads, each with the default-deny network policy baseline.
   * EksBlueprint creates them (`createNamespace`, before the pod security groups that go into
   * them) and hands them to Platform as `PlatformArgs.workloadNamespaces`. @default []
   */
  workloadNamespaces?: string[];
}

export interface PlatformArgs {
  /** The cluster the add-ons go on. */
  context: AddonContext;
  /** The Helm add-ons. @default none */
  addons?: AddonSelection;
  /** Day-2 add-ons and the autoscaler choice. @default cluster-autoscaler, metrics-server on */
  options?: PlatformOptions;
  /** Private subnets, one per AZ (EFS mount targets). */
  privateSubnetIds: pulumi.Output<string[]>;
  /** Number of availability zones (one EFS mount target each). */
  availabilityZones: number;
  /**
   * The security group EKS creates with the cluster (`Cluster.clusterSecurityGroupId`), which
   * managed nodes carry: allowed to reach the EFS mount targets.
   */
  clusterSecurityGroupId: pulumi.Input<string>;
  /** Workload namespaces already created, by name; each gets the network policy baseline. @default {} */
  workloadNamespaces?: Record<string, pulumi.Resource>;
  /** Resources network policies wait for (the vpc-cni add-on enforces them). */
  networkPolicyEngine: pulumi.Resource;
}

/** Everything that runs in the cluster: the Helm bundle and the day-2 add-ons. */
export class Platform extends pulumi.ComponentResource {
  readonly bundle: AddonBundle;
  readonly karpenter?: Karpenter;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:Platform", name, {}, opts);
    const { context } = args;
    const options = args.options ?? {};
    const addons = args.addons ?? {};
    this.bundle = new AddonBundle(
      `${name}-addons`,
      { context, selection: addons },
      { parent: this },
    );
    const metrics = options.metricsServer ?? { enabled: true, replicas: 2 };
    if (metrics.enabled) {
      new MetricsServer(
        `${name}-metrics-server`,
        { context, settings: { replicas: metrics.replicas } },
        { parent: this },
      );
    }
    if (options.efs?.enabled) {
      new EfsCsiDriver(
        `${name}-efs`,
        {
          context,
          clusterSecurityGroupId: args.clusterSecurityGroupId,
          subnetIds: [...Array(args.availabilityZones).keys()].map((i) =>
            args.privateSubnetIds.apply((ids) => ids[i]),
          ),
        },
        { parent: this },
      );
    }
    if (options.containerInsights?.enabled) {
      new ContainerInsights(
        `${name}-container-insights`,
        { context, fluentBitOn: addons.fluentBit !== undefined },
        { parent: this },
      );
    }
    const namespaces = args.workloadNamespaces ?? {};
    if (Object.keys(namespaces).length > 0) {
      new NetworkPolicyBaseline(
        `${name}-netpol`,
        {
          provider: context.provider,
          namespaces: Object.keys(namespaces),
          dependsOn: [...Object.values(namespaces), args.networkPolicyEngine],
        },
        { parent: this },
      );
    }
    if (options.autoscaler === "karpenter" && options.karpenter) {
      this.karpenter = new Karpenter(
        `${name}-karpenter`,
        { context, settings: options.karpenter },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
