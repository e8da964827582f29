import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { withRenames } from "../renames";
import { withGitOpsFacts } from "../addons/argocd/argocd";
import type { AddonSelection } from "../addons/bundle";
import type { AddonContext } from "../addons/context";
import { Cluster, CLUSTER_DEFAULTS } from "../cluster/cluster";
import { CoreAddons } from "../cluster/core-addons";
import { FargateProfiles, FargateSelector } from "../compute/fargate";
import { FargateLogging } from "../compute/fargate-logging";
import { partitionOf } from "../access/irsa-policy";
import { blueprintProblems } from "./blueprint-problems";
import { createNamespace } from "../teams/namespace";
import { Teams, TeamSpec } from "../teams/teams";
import { Network, NETWORK_DEFAULTS } from "../network/network";
import { vpcResourceControllerPolicyArn } from "../compute/nitro";
import { NodeGroupSpec } from "../compute/node-group-settings";
import { NodeGroups } from "../compute/node-groups";
import { throwProblems } from "../problems";
import { PodSgEnforcingMode } from "../access/pod-security-group-rules";
import { vpcCniPodEniConfiguration } from "../access/security-group-policy";
import { Platform } from "../addons/platform";
import { addonSelectionProblems, installedAddons } from "../addons/selection";
import { usesPodIdentity, WorkloadRoleSpec } from "../access/workload-role";
import { PodSecurityGroupConfig } from "../access/pod-security-group-config";
import { WorkloadAccess } from "../access/workload-access";
import {
  AliasTarget,
  blueprintTrafficProblems,
  gatewayLoadBalancer,
  TrafficArgs,
  TrafficRecords,
} from "../traffic/traffic-records";

export type { PodSecurityGroupConfig, WorkloadRoleSpec };

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
  /**
   * Add-ons by registry key (components/addons/registry.ts); Karpenter in place of
   * cluster-autoscaler is `karpenter: {…}` here. @default metrics-server and cluster-autoscaler
   */
  addons?: AddonSelection;
  /**
   * Namespaces to create for workloads outside any team, each with the default-deny network
   * policy baseline. @default []
   */
  workloadNamespaces?: string[];
  /**
   * Teams by short name: their namespaces (Pod Security, default-deny network policies, quota,
   * limit range) and their IAM roles' namespace-scoped access (components/teams/teams.ts). @default {}
   */
  teams?: Record<string, TeamSpec>;
  /** Protect the cluster, its KMS key and the VPC from deletion. @default true */
  protect?: boolean;
  /** Tags for every AWS resource. @default {} */
  tags?: Record<string, string>;
  /**
   * Route 53 weighted records for hostnames shared with another cluster, aliased to the Istio
   * gateway's load balancer (needs `addons.istio`). @default none
   */
  traffic?: TrafficArgs;
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
  /** Workload namespaces (`workloadNamespaces` and the teams'), by name. */
  readonly namespaces: Record<string, k8s.core.v1.Namespace> = {};
  /** The teams' namespaces and access, when any team is declared. */
  readonly teams?: Teams;
  readonly workloads: WorkloadAccess;
  readonly platform: Platform;
  readonly traffic?: TrafficRecords;
  /** The Istio gateway's NLB as an alias target, when Istio is installed. */
  readonly gatewayLoadBalancer?: pulumi.Output<AliasTarget>;

  constructor(name: string, args: BlueprintArgs, opts?: pulumi.ComponentResourceOptions) {
    // Every problem with the args at once, before anything is registered.
    throwProblems("EksBlueprint", name, [
      ...blueprintProblems(args),
      ...addonSelectionProblems(args.addons ?? {}),
      ...blueprintTrafficProblems(args.traffic, args.addons?.istio),
    ]);
    super("eks-blueprint:index:EksBlueprint", name, {}, withRenames(opts, "EksBlueprint", name));
    const partition = partitionOf(args.region);
    const protect = args.protect ?? CLUSTER_DEFAULTS.protect;
    const tags = { ...args.tags, "eks-blueprint:cluster": args.clusterName };
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const usesPodSecurityGroups = Object.keys(args.podSecurityGroups ?? {}).length > 0;
    const karpenterDiscovery = installedAddons(args.addons ?? {}).includes("karpenter");

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
        // The agent only where a PodIdentityAssociation is: OR in any other user of it here.
        podIdentityAgent: usesPodIdentity(args.irsaRoles),
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
      // Fargate pods log only through the router this configures (fargate-logging.ts).
      new FargateLogging(
        `${name}-fargate-logs`,
        {
          clusterName: args.clusterName,
          kubernetesVersion: args.kubernetesVersion,
          region: args.region,
          accountId,
          partition,
          podExecutionRole: this.fargate.role.name,
          provider: this.cluster.provider,
          retentionDays: args.logRetentionDays ?? CLUSTER_DEFAULTS.logRetentionDays,
          tags,
        },
        { parent: this },
      );
    }
    // Before workload access: the SecurityGroupPolicies go into these namespaces.
    for (const namespace of args.workloadNamespaces ?? []) {
      this.namespaces[namespace] = createNamespace(
        `${name}-ns`,
        {
          name: namespace,
          podSecurity: "restricted",
          kubernetesVersion: args.kubernetesVersion,
          provider: this.cluster.provider,
        },
        { parent: this },
      );
    }
    if (Object.keys(args.teams ?? {}).length > 0) {
      this.teams = new Teams(
        `${name}-teams`,
        {
          teams: args.teams ?? {},
          cluster: this.cluster.clusterNameOutput,
          kubernetesVersion: args.kubernetesVersion,
          partition,
          provider: this.cluster.provider,
          networkPolicyEngine: this.coreAddons.addons.vpcCni,
          tags,
        },
        { parent: this },
      );
      // Team namespaces get the Platform's ingress baseline too, and hold SecurityGroupPolicies.
      Object.assign(this.namespaces, this.teams.namespaces);
    }
    this.workloads = new WorkloadAccess(
      `${name}-workloads`,
      {
        clusterName: args.clusterName,
        cluster: this.cluster.clusterNameOutput,
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
        // Argo CD's applications read the workload roles' ARNs from its cluster Secret.
        addons: withGitOpsFacts(args.addons, {
          roleArns: Object.fromEntries(
            [
              ...Object.entries(this.workloads.roles),
              ...Object.entries(this.workloads.podIdentityRoles),
            ].map(([role, r]) => [role, r.roleArn]),
          ),
        }),
        privateSubnetIds: this.network.privateSubnetIds,
        availabilityZones: args.network.availabilityZones ?? NETWORK_DEFAULTS.availabilityZones,
        clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
        workloadNamespaces: this.namespaces,
        networkPolicyEngine: this.coreAddons.addons.vpcCni,
      },
      { parent: this },
    );
    const gatewayHostname = this.platform.bundle.gatewayService?.hostname;
    if (gatewayHostname) {
      this.gatewayLoadBalancer = gatewayLoadBalancer(gatewayHostname, args.region, {
        parent: this,
      });
    }
    // blueprintTrafficProblems made sure Istio, and so the gateway, is installed.
    if (args.traffic && this.gatewayLoadBalancer) {
      this.traffic = new TrafficRecords(
        `${name}-traffic`,
        { ...args.traffic, target: this.gatewayLoadBalancer },
        { parent: this },
      );
    }
    this.registerOutputs({
      clusterName: args.clusterName,
      kubeconfig: this.cluster.kubeconfig,
      oidcProviderArn: this.cluster.oidcProviderArn,
      nodeGroupNames: this.nodeGroups.names,
    });
  }
}
