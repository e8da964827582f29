import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonSelection } from "./addons/bundle";
import type { AddonContext } from "./addons/context";
import { Cluster, CLUSTER_DEFAULTS } from "./cluster";
import { CoreAddons } from "./core-addons";
import { FargateProfiles, FargateSelector } from "./fargate";
import { partitionOf } from "./irsa-policy";
import { blueprintProblems } from "./blueprint-problems";
import { createNamespace } from "./namespace";
import { Network, NETWORK_DEFAULTS } from "./network";
import { vpcResourceControllerPolicyArn } from "./nitro";
import { NodeGroupSpec } from "./node-group-settings";
import { NodeGroups } from "./node-groups";
import { throwProblems } from "./problems";
import { PodSgEnforcingMode, vpcCniPodEniConfiguration } from "./pod-security-group-rules";
import { blueprintAddonProblems, Platform, PlatformOptions } from "./platform";
import { PodSecurityGroupConfig, WorkloadAccess, WorkloadRoleSpec } from "./workload-access";

export type { PodSecurityGroupConfig, WorkloadRoleSpec } from "./workload-access";

export interface BlueprintArgs {
  /** EKS cluster name; every physical name derives from it, so two stacks never collide. */
  clusterName: string;
  /** Kubernetes minor version, for example "1.35". */
  kubernetesVersion: string;
  /** AWS region, for example "us-west-2". */
  region: string;
  /** The VPC: CIDR, availability zones and NAT gateways. */
  network: {
    /** VPC CIDR; must not overlap the other cluster's during a migration (they get peered). */
    cidrBlock: string;
    /** @default 3 */
    availabilityZones?: number;
    /** @default "OnePerAz" */
    natGateways?: "OnePerAz" | "Single";
  };
  /** @default [] (public endpoint off) */
  endpointPublicAccessCidrs?: string[];
  /** @default [] */
  adminRoleArns?: string[];
  /** Control-plane log retention in days. @default 30 */
  logRetentionDays?: number;
  /** Managed node groups by short name. */
  nodeGroups: Record<string, NodeGroupSpec>;
  /** Fargate profiles by short name. @default {} */
  fargateProfiles?: Record<string, { selectors: FargateSelector[] }>;
  /** Workload IRSA roles by short name. @default {} */
  irsaRoles?: Record<string, WorkloadRoleSpec>;
  /**
   * Security groups for pods, by short name. Any entry switches the cluster side on: the VPC CNI's
   * ENABLE_POD_ENI and AmazonEKSVPCResourceController on the cluster role. @default {}
   */
  podSecurityGroups?: Record<string, PodSecurityGroupConfig>;
  /** POD_SECURITY_GROUP_ENFORCING_MODE of the VPC CNI. @default "standard" */
  podSecurityGroupEnforcingMode?: PodSgEnforcingMode;
  /** Add-ons by registry key (components/addons/registry.ts). @default metrics-server and cluster-autoscaler */
  addons?: AddonSelection;
  /** The autoscaler choice and workload namespaces. @default cluster-autoscaler, none */
  platform?: PlatformOptions;
  /** Protect the cluster, its KMS key and the VPC from deletion. @default true */
  protect?: boolean;
  /** Tags for every AWS resource. @default {} */
  tags?: Record<string, string>;
}

export { blueprintNamespaceProblems, blueprintProblems } from "./blueprint-problems";

/**
 * A production EKS cluster from one typed args object: network, cluster, core add-ons, compute,
 * workload access and the platform add-ons, wired in the order AWS and Kubernetes need.
 */
export class EksBlueprint extends pulumi.ComponentResource {
  readonly network: Network;
  readonly cluster: Cluster;
  readonly coreAddons: CoreAddons;
  readonly nodeGroups: NodeGroups;
  readonly fargate?: FargateProfiles;
  /** Workload namespaces (`platform.workloadNamespaces`), by name. */
  readonly namespaces: Record<string, k8s.core.v1.Namespace> = {};
  readonly workloads: WorkloadAccess;
  readonly platform: Platform;

  constructor(name: string, args: BlueprintArgs, opts?: pulumi.ComponentResourceOptions) {
    // Every problem with the args at once, before anything is registered.
    throwProblems("EksBlueprint", name, [
      ...blueprintProblems(args),
      ...blueprintAddonProblems(args),
    ]);
    super("eks-blueprint:index:EksBlueprint", name, {}, opts);
    const partition = partitionOf(args.region);
    const protect = args.protect ?? CLUSTER_DEFAULTS.protect;
    const tags = { ...args.tags, "eks-blueprint:cluster": args.clusterName };
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const usesPodSecurityGroups = Object.keys(args.podSecurityGroups ?? {}).length > 0;
    const karpenterDiscovery = args.platform?.autoscaler === "karpenter";

    this.network = new Network(
      `${name}-network`,
      { clusterName: args.clusterName, ...args.network, tags, protect, karpenterDiscovery },
      { parent: this },
    );
    this.cluster = new Cluster(
      `${name}-cluster`,
      {
        clusterName: args.clusterName,
        kubernetesVersion: args.kubernetesVersion,
        vpcId: this.network.vpcId,
        privateSubnetIds: this.network.privateSubnetIds,
        publicSubnetIds: this.network.publicSubnetIds,
        endpointPublicAccessCidrs: args.endpointPublicAccessCidrs,
        adminRoleArns: args.adminRoleArns,
        logRetentionDays: args.logRetentionDays,
        extraClusterRolePolicyArns: usesPodSecurityGroups
          ? [vpcResourceControllerPolicyArn(partition)]
          : [],
        karpenterDiscovery,
        partition,
        protect,
        tags,
      },
      { parent: this },
    );
    // Node groups wait for vpc-cni (nodes are NotReady without it) and coredns waits for nodes.
    let computeBuilt: (groups: pulumi.Resource[]) => void = () => undefined;
    const computeReady = new Promise<pulumi.Resource[]>((resolve) => (computeBuilt = resolve));
    const context = (compute: pulumi.Resource[]): AddonContext => ({
      clusterName: args.clusterName,
      cluster: this.cluster.clusterNameOutput,
      kubernetesVersion: args.kubernetesVersion,
      region: args.region,
      accountId,
      partition,
      vpcId: this.network.vpcId,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuer: this.cluster.oidcIssuer,
      provider: this.cluster.provider,
      computeReady: compute,
      tags,
    });
    this.coreAddons = new CoreAddons(
      `${name}-core`,
      {
        context: context([]),
        vpcCniPodEni: usesPodSecurityGroups
          ? vpcCniPodEniConfiguration(args.podSecurityGroupEnforcingMode)
          : undefined,
        corednsAfter: computeReady,
      },
      { parent: this },
    );
    this.nodeGroups = new NodeGroups(
      `${name}-nodes`,
      {
        cluster: this.cluster.eksCluster,
        clusterName: args.clusterName,
        kubernetesVersion: args.kubernetesVersion,
        subnetIds: this.network.privateSubnetIds,
        groups: args.nodeGroups,
        dependsOn: [this.coreAddons.addons.vpcCni],
        partition,
        tags,
      },
      { parent: this },
    );
    const compute = Object.values(this.nodeGroups.groups);
    computeBuilt(compute);
    if (Object.keys(args.fargateProfiles ?? {}).length > 0) {
      this.fargate = new FargateProfiles(
        `${name}-fargate`,
        {
          clusterName: args.clusterName,
          cluster: this.cluster.clusterNameOutput,
          subnetIds: this.network.privateSubnetIds,
          profiles: args.fargateProfiles ?? {},
          region: args.region,
          accountId,
          partition,
          tags,
        },
        { parent: this },
      );
    }
    // Before workload access: the SecurityGroupPolicies go into these namespaces. They used to be
    // the Platform's children (`<name>-platform-ns-<namespace>`); the alias keeps each one in
    // place, where a rename would create it anew and then delete it, and everything in it
    // (pulumi/pulumi-kubernetes#2948).
    const platformUrn = pulumi.createUrn(`${name}-platform`, "eks-blueprint:index:Platform", this);
    for (const namespace of args.platform?.workloadNamespaces ?? []) {
      this.namespaces[namespace] = createNamespace(
        `${name}-ns`,
        {
          name: namespace,
          podSecurity: "restricted",
          kubernetesVersion: args.kubernetesVersion,
          provider: this.cluster.provider,
        },
        {
          parent: this,
          aliases: [{ name: `${name}-platform-ns-${namespace}`, parent: platformUrn }],
        },
      );
    }
    this.workloads = new WorkloadAccess(
      `${name}-workloads`,
      {
        clusterName: args.clusterName,
        oidcProviderArn: this.cluster.oidcProviderArn,
        oidcIssuer: this.cluster.oidcIssuer,
        vpcId: this.network.vpcId,
        clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
        provider: this.cluster.provider,
        irsaRoles: args.irsaRoles,
        podSecurityGroups: args.podSecurityGroups,
        namespaces: this.namespaces,
        dependsOn: compute,
        tags,
      },
      { parent: this },
    );
    this.platform = new Platform(
      `${name}-platform`,
      {
        context: context(compute),
        addons: args.addons,
        options: args.platform,
        privateSubnetIds: this.network.privateSubnetIds,
        availabilityZones: args.network.availabilityZones ?? NETWORK_DEFAULTS.availabilityZones,
        clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
        workloadNamespaces: this.namespaces,
        networkPolicyEngine: this.coreAddons.addons.vpcCni,
      },
      { parent: this },
    );
    this.registerOutputs({
      clusterName: args.clusterName,
      kubeconfig: this.cluster.kubeconfig,
      oidcProviderArn: this.cluster.oidcProviderArn,
      nodeGroupNames: this.nodeGroups.names,
    });
  }
}
