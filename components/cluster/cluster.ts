import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { permittedRole } from "../access/irsa";
import { stableJson } from "../access/irsa-policy";
import { secretsKeyPolicy } from "../access/guards";
import {
  adminAccessEntries,
  accessEntryPositions,
  adminRoleArnProblems,
  clusterNameProblems,
  CONTROL_PLANE_LOG_TYPES,
  controlPlaneLogGroupName,
  endpointCidrProblems,
  logRetentionProblems,
  managedPolicyArn,
  serviceTrustPolicy,
} from "./cluster-settings";
import { kubernetesVersionProblems, type KubernetesMinor } from "./kubernetes-versions";
import { PathOf, throwProblems, under } from "../problems";
import { renames } from "../renames";
import { providerOutput, type ProviderOutput } from "../provider-outputs";
import { DISCOVERY_TAG } from "../addons/karpenter/node-pools";

export interface ClusterArgs {
  /** The account the key policy names as administrator. @default the deploying account */
  accountId?: pulumi.Input<string>;
  /** EKS cluster name; every physical name of the cluster derives from it. */
  clusterName: string;
  /** Kubernetes minor version, one of SUPPORTED_KUBERNETES_MINORS, for example "1.35". */
  kubernetesVersion: KubernetesMinor;
  /** VPC of the cluster (the Network component's `vpcId`). */
  vpcId: pulumi.Input<string>;
  /** Subnets for the control plane ENIs and the nodes. */
  privateSubnetIds: pulumi.Input<string[]>;
  /** Subnets for internet-facing load balancers. */
  publicSubnetIds: pulumi.Input<string[]>;
  /**
   * CIDRs that may reach the public API endpoint: network addresses, at most /8, never 0.0.0.0/0.
   * @default [] (public endpoint off; private only)
   */
  endpointPublicAccessCidrs?: string[];
  /** IAM roles made cluster-admin by access entries keyed by role name (unique). @default [] */
  adminRoleArns?: string[];
  /** Retention of the control-plane log group, in days (one CloudWatch Logs offers). @default 30 */
  logRetentionDays?: number;
  /**
   * Keep the security groups pulumi-eks made for a cluster deployed with them: dropping them from a
   * running cluster changes its control plane's groups and deletes resources `protect` holds
   * (pulumi-eks 4.3.0 nodejs/eks/cluster/cluster.ts, `skipDefaultSecurityGroups`). Rules of ours
   * still name the group EKS creates, which managed nodes carry. @default false
   */
  keepPulumiEksSecurityGroups?: boolean;
  /** Extra cluster role policies (AmazonEKSVPCResourceController for pod SGs). @default [] */
  extraClusterRolePolicyArns?: string[];
  /** Tag the cluster group `karpenter.sh/discovery` for Karpenter's nodes. @default false */
  karpenterDiscovery?: boolean;
  /** AWS partition. @default "aws" */
  partition?: string;
  /** Pulumi- and EKS-protect the cluster and its KMS key from deletion. @default true */
  protect?: boolean;
  /** Tags for every AWS resource. @default none */
  tags?: Record<string, string>;
}

export const CLUSTER_DEFAULTS = { logRetentionDays: 30, partition: "aws", protect: true } as const;

/** Every problem with a cluster's args, keyed by `path`. */
export function clusterProblems(
  args: Pick<
    ClusterArgs,
    | "clusterName"
    | "kubernetesVersion"
    | "endpointPublicAccessCidrs"
    | "adminRoleArns"
    | "logRetentionDays"
  >,
  path: PathOf = under(""),
): string[] {
  return [
    ...clusterNameProblems(args.clusterName, path("clusterName")),
    ...kubernetesVersionProblems(args.kubernetesVersion, path("kubernetesVersion")),
    ...endpointCidrProblems(
      args.endpointPublicAccessCidrs ?? [],
      path("endpointPublicAccessCidrs"),
    ),
    ...adminRoleArnProblems(args.adminRoleArns ?? [], path("adminRoleArns")),
    ...(args.logRetentionDays === undefined
      ? []
      : logRetentionProblems(args.logRetentionDays, path("logRetentionDays"))),
  ];
}

/** The EKS control plane: KMS envelope encryption, all control-plane logs, API access entries, OIDC provider. */
export class Cluster extends pulumi.ComponentResource {
  readonly clusterName: string;
  readonly eksCluster: eks.Cluster;
  readonly role: aws.iam.Role;
  readonly kmsKey: aws.kms.Key;
  /** The one Kubernetes provider every add-on and custom resource uses. */
  readonly provider: k8s.Provider;
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  /** Name output: resources naming the cluster wait for it, on a bump for the control plane. */
  readonly clusterNameOutput: pulumi.Output<string>;
  /**
   * EKS's cluster security group: on the control plane ENIs and on managed nodes whose launch
   * template names none (ours), so on CoreDNS and every pod without its own; "the nodes" in rules
   * (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html).
   */
  readonly clusterSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("Cluster", name, clusterProblems(args));
    super("eks-blueprint:index:Cluster", name, {}, opts);
    const partition = args.partition ?? CLUSTER_DEFAULTS.partition;
    const protect = args.protect ?? CLUSTER_DEFAULTS.protect;
    const publicCidrs = args.endpointPublicAccessCidrs ?? [];
    this.clusterName = args.clusterName;

    this.kmsKey = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: `Envelope encryption of Kubernetes secrets in EKS cluster ${args.clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi
          .output(args.accountId ?? aws.getCallerIdentityOutput({}, { parent: this }).accountId)
          .apply((accountId) => stableJson(secretsKeyPolicy(partition, accountId))),
        tags: args.tags,
      },
      { parent: this, protect },
    );
    new aws.kms.Alias(
      `${name}-secrets`,
      { name: `alias/${args.clusterName}-eks-secrets`, targetKeyId: this.kmsKey.keyId },
      { parent: this },
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      {
        name: controlPlaneLogGroupName(args.clusterName),
        retentionInDays: args.logRetentionDays ?? CLUSTER_DEFAULTS.logRetentionDays,
        tags: args.tags,
      },
      { parent: this },
    );

    const { role, attachments } = permittedRole(
      `${name}-cluster`,
      stableJson(serviceTrustPolicy("eks.amazonaws.com")),
      {
        roleName: `${args.clusterName}-cluster`,
        managedPolicyArns: [
          managedPolicyArn(partition, "AmazonEKSClusterPolicy"),
          ...(args.extraClusterRolePolicyArns ?? []),
        ],
        tags: args.tags,
      },
      this,
    );
    this.role = role;

    this.eksCluster = new eks.Cluster(
      name,
      {
        name: args.clusterName,
        version: args.kubernetesVersion,
        vpcId: args.vpcId,
        privateSubnetIds: args.privateSubnetIds,
        publicSubnetIds: args.publicSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        ...(publicCidrs.length > 0 ? { publicAccessCidrs: publicCidrs } : {}),
        encryptionConfigKeyArn: this.kmsKey.arn,
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: adminAccessEntries(partition, args.adminRoleArns ?? []),
        createOidcProvider: true,
        serviceRole: this.role,
        skipDefaultNodeGroup: true,
        nodeAssociatePublicIpAddress: false,
        deletionProtection: protect,
        // pulumi-eks's own groups serve only self-managed nodes and invite mistargeted rules; this
        // makes it return EKS's group as both cluster and node group (pulumi-eks 4.3.0
        // nodejs/eks/cluster/cluster.ts, createCluster).
        ...(args.keepPulumiEksSecurityGroups ? {} : { skipDefaultSecurityGroups: true }),
        // CoreAddons owns vpc-cni, coredns and kube-proxy (pinned, vpc-cni with its own IRSA role).
        useDefaultVpcCni: true,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
        tags: args.tags,
      },
      {
        parent: this,
        protect,
        dependsOn: [logGroup, ...attachments],
        transforms: [
          renames("Cluster", name, accessEntryPositions(name, args.adminRoleArns ?? [])),
        ],
      },
    );

    const c = this.eksCluster;
    const output = <T>(value: pulumi.Output<T>, field: ProviderOutput<"eks:index:Cluster">) =>
      providerOutput(value, "eks:index:Cluster", name, field);
    this.kubeconfig = pulumi.secret(output(c.kubeconfigJson, "kubeconfigJson"));
    this.oidcProviderArn = output(c.oidcProviderArn, "oidcProviderArn");
    this.oidcIssuer = output(c.oidcIssuer, "oidcIssuer");
    this.clusterNameOutput = output(c.eksCluster.name, "eksCluster.name");
    this.clusterSecurityGroupId = args.keepPulumiEksSecurityGroups
      ? output(
          c.eksCluster.vpcConfig.clusterSecurityGroupId,
          "eksCluster.vpcConfig.clusterSecurityGroupId",
        )
      : output(c.clusterSecurityGroupId, "clusterSecurityGroupId");
    if (args.karpenterDiscovery) {
      // A Tag adds one to EKS's group without claiming the rest, as terraform-aws-modules/
      // terraform-aws-eks main.tf aws_ec2_tag.cluster_primary_security_group does; pulumi-eks's
      // nodeSecurityGroupTags would tag only its own node group, which no node carries.
      new aws.ec2.Tag(
        `${name}-karpenter-discovery`,
        { resourceId: this.clusterSecurityGroupId, key: DISCOVERY_TAG, value: args.clusterName },
        { parent: this },
      );
    }
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { parent: this },
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
    });
  }
}
