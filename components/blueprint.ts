import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "./cluster";
import { FargateProfiles, FargateSelector } from "./fargate";
import { IrsaRole } from "./irsa";
import { partitionOf, StatementSpec, stableJson, statementsPolicy } from "./irsa-policy";
import { Network } from "./network";
import { NodeGroupSpec } from "./node-group-settings";
import { NodeGroups } from "./node-groups";
import { vpcResourceControllerPolicyArn } from "./nitro";
import { PodSecurityGroup, PodSecurityGroupSpec } from "./pod-security-group";
import {
  PodSgEgressRule,
  PodSgEnforcingMode,
  PodSgIngressRule,
  vpcCniPodEniConfiguration,
} from "./pod-security-group-rules";

/** An IRSA role for an application's service account, declared in stack config. */
export interface WorkloadRoleSpec {
  namespace: string;
  serviceAccount: string;
  /** @default [] */
  managedPolicyArns?: string[];
  /** @default [] */
  statements?: StatementSpec[];
}

/** A rule in config form: a sibling pod security group is named by `group`, not by id. */
type ByName<R> = R extends { securityGroupId: unknown }
  ? Omit<R, "securityGroupId"> & { securityGroupId?: string; group?: string }
  : R;

/** A pod security group as stack config declares it. */
export interface PodSecurityGroupConfig extends Omit<PodSecurityGroupSpec, "ingress" | "egress"> {
  /** @default none */
  ingress?: ByName<PodSgIngressRule>[];
  /** @default DNS to the cluster security group only */
  egress?: ByName<PodSgEgressRule>[];
}

export interface BlueprintArgs {
  /** EKS cluster name; every physical name derives from it, so two stacks never collide. */
  clusterName: string;
  /** Kubernetes minor version, for example "1.35". */
  kubernetesVersion: string;
  /** AWS region, for example "us-west-2". */
  region: string;
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
  /** Protect the cluster, its KMS key and the VPC from deletion. @default true */
  protect?: boolean;
  /** Tags for every AWS resource. @default {} */
  tags?: Record<string, string>;
}

/** A production EKS cluster from one typed args object: network, cluster, compute, IRSA. */
export class EksBlueprint extends pulumi.ComponentResource {
  readonly network: Network;
  readonly cluster: Cluster;
  readonly nodeGroups: NodeGroups;
  readonly fargate?: FargateProfiles;
  readonly workloadRoles: Record<string, IrsaRole> = {};
  readonly podSecurityGroups: Record<string, PodSecurityGroup> = {};

  constructor(name: string, args: BlueprintArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:EksBlueprint", name, {}, opts);
    const partition = partitionOf(args.region);
    const protect = args.protect ?? true;
    const tags = { ...args.tags, "eks-blueprint:cluster": args.clusterName };
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const usesPodSecurityGroups = Object.keys(args.podSecurityGroups ?? {}).length > 0;

    this.network = new Network(
      `${name}-network`,
      { clusterName: args.clusterName, ...args.network, tags, protect },
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
        vpcCniConfiguration: usesPodSecurityGroups
          ? vpcCniPodEniConfiguration(args.podSecurityGroupEnforcingMode ?? "standard")
          : undefined,
        partition,
        protect,
        tags,
      },
      { parent: this },
    );
    this.nodeGroups = new NodeGroups(
      `${name}-nodes`,
      {
        cluster: this.cluster.eksCluster,
        clusterName: args.clusterName,
        subnetIds: this.network.privateSubnetIds,
        groups: args.nodeGroups,
        partition,
        tags,
      },
      { parent: this },
    );
    if (Object.keys(args.fargateProfiles ?? {}).length > 0) {
      this.fargate = new FargateProfiles(
        `${name}-fargate`,
        {
          clusterName: args.clusterName,
          cluster: this.cluster.eksCluster,
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
    for (const [role, spec] of Object.entries(args.irsaRoles ?? {})) {
      const statements = spec.statements ?? [];
      this.workloadRoles[role] = new IrsaRole(
        `${name}-irsa-${role}`,
        {
          oidcProviderArn: this.cluster.oidcProviderArn,
          oidcIssuer: this.cluster.oidcIssuer,
          namespace: spec.namespace,
          serviceAccount: spec.serviceAccount,
          roleName: `${args.clusterName}-${role}`,
          managedPolicyArns: spec.managedPolicyArns,
          policy: statements.length > 0 ? stableJson(statementsPolicy(statements)) : undefined,
          tags,
        },
        { parent: this },
      );
    }
    for (const [group, spec] of Object.entries(args.podSecurityGroups ?? {})) {
      const resolve = (rule: object) => {
        const group = (rule as { group?: string }).group;
        return group
          ? { ...rule, securityGroupId: this.podSecurityGroups[group].securityGroupId }
          : rule;
      };
      this.podSecurityGroups[group] = new PodSecurityGroup(
        group,
        {
          ...spec,
          ingress: spec.ingress?.map(resolve) as PodSgIngressRule[] | undefined,
          egress: spec.egress?.map(resolve) as PodSgEgressRule[] | undefined,
          clusterName: args.clusterName,
          vpcId: this.network.vpcId,
          clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
          provider: this.cluster.provider,
          tags,
        },
        { parent: this, dependsOn: [this.nodeGroups] },
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
