import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { stableJson } from "../access/irsa-policy";
import { managedPolicyArn, serviceTrustPolicy } from "../cluster/cluster-settings";
import {
  launchTemplateName,
  launchTemplateTagSpecifications,
  nodeGroupNamePrefix,
} from "./node-group-identity";
import { nodeGroupsProblems } from "./node-group-problems";
import { throwProblems } from "../problems";
import {
  amiTypeFor,
  DRAINING_TAINT,
  launchTemplateBlockDevice,
  NODE_GROUP_DEFAULTS,
  NODE_METADATA_OPTIONS,
  NodeGroupSpec,
} from "./node-group-settings";

export interface NodeGroupsArgs {
  /** The cluster the groups join. */
  cluster: eks.Cluster;
  /** EKS cluster name; node group, launch template and node role names derive from it. */
  clusterName: string;
  /**
   * Kubernetes minor of the nodes, for example "1.35": the cluster's own version. EKS accepts only
   * the cluster's version when a group is created, and moves a group to it in place on a bump.
   */
  kubernetesVersion: string;
  /** Private subnets; nodes never get public addresses. */
  subnetIds: pulumi.Input<string[]>;
  /**
   * The groups, by short name; the EKS node group name is `<clusterName>-<name>-` followed by a
   * unique suffix, so a group that must be replaced can be created before the old one is deleted.
   */
  groups: Record<string, NodeGroupSpec>;
  /** AWS partition. @default "aws" */
  partition?: string;
  /**
   * Tags for the node role, launch templates and node groups. Not copied to instances and volumes,
   * so editing them never rolls nodes (see launchTemplateTagSpecifications). @default none
   */
  tags?: Record<string, string>;
  /**
   * Extra tags on every instance and volume, through the launch templates. Changing them makes a
   * new template version, which replaces every node of every group. @default none
   */
  instanceTags?: Record<string, string>;
  /** What every group waits for (the vpc-cni add-on, since the node role has no CNI policy). @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Worker policies for the node role. The VPC CNI's own permissions (AmazonEKS_CNI_Policy) belong
 * to the vpc-cni add-on's IRSA role, not to every node.
 */
export const NODE_ROLE_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonSSMManagedInstanceCore",
] as const;

/** Managed node groups sharing one node role, each with its own IMDSv2-only launch template. */
export class NodeGroups extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly groups: Record<string, eks.ManagedNodeGroup> = {};
  /** EKS node group names, by short name: known once EKS has the group (prefix and unique suffix). */
  readonly names: Record<string, pulumi.Output<string>> = {};
  /** Node group name prefixes, by short name: known before deployment, for discovery and IAM scoping. */
  readonly namePrefixes: Record<string, string> = {};

  constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("NodeGroups", name, nodeGroupsProblems(args.clusterName, args.groups, "groups"));
    super("eks-blueprint:index:NodeGroups", name, {}, opts);
    const partition = args.partition ?? "aws";
    this.role = new aws.iam.Role(
      `${name}-node`,
      {
        name: `${args.clusterName}-node`,
        assumeRolePolicy: stableJson(serviceTrustPolicy("ec2.amazonaws.com")),
        tags: args.tags,
      },
      { parent: this },
    );
    const attachments = NODE_ROLE_POLICIES.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: this.role.name, policyArn: managedPolicyArn(partition, policy) },
          { parent: this },
        ),
    );
    for (const [group, spec] of Object.entries(args.groups)) {
      const amiFamily = spec.amiFamily ?? NODE_GROUP_DEFAULTS.amiFamily;
      const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-${group}`,
        {
          name: launchTemplateName(args.clusterName, group),
          metadataOptions: NODE_METADATA_OPTIONS,
          blockDeviceMappings: [
            launchTemplateBlockDevice(
              amiFamily,
              spec.diskSizeGiB ?? NODE_GROUP_DEFAULTS.diskSizeGiB,
            ),
          ],
          updateDefaultVersion: true,
          // Stable per group, so a stack tag edit changes only `tags` below (no new version, no roll).
          tagSpecifications: launchTemplateTagSpecifications(
            args.clusterName,
            group,
            args.instanceTags,
          ),
          tags: args.tags,
        },
        { parent: this },
      );
      const prefix = nodeGroupNamePrefix(args.clusterName, group);
      const managed = new eks.ManagedNodeGroup(
        `${name}-${group}`,
        {
          // The engine creates or updates this group only after the cluster it references, so on a
          // kubernetesVersion bump the control plane is upgraded first, then the nodes follow.
          cluster: args.cluster,
          // A prefix, not a fixed name: the provider appends a unique suffix, so a replacement
          // (new instance types, capacity or AMI type, subnets, role: synth/replacements.ts)
          // is created before the old group is deleted without EKS rejecting a duplicate name.
          // pulumi-aws autonames nodeGroupName only when no conflicting field is set
          // (pulumi/pulumi-terraform-bridge pkg/tfbridge/schema.go, buildConflictsWith).
          nodeGroupNamePrefix: prefix,
          // pulumi-eks 4.3.0 defaults `version` to the cluster's only without a launch template
          // (nodejs/eks/nodes/nodegroup.ts, createManagedNodeGroup: `if (!args.version &&
          // !args.launchTemplate)`), and every group here has one: without this, a bump would
          // leave the nodes on the old minor. EKS accepts `version` with a launch template that
          // does not set a custom AMI, as ours do not
          // (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html,
          // https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateNodegroupVersion.html).
          version: args.kubernetesVersion,
          nodeRoleArn: this.role.arn,
          amiType: amiTypeFor(amiFamily, spec.architecture ?? NODE_GROUP_DEFAULTS.architecture),
          instanceTypes: spec.instanceTypes,
          capacityType: spec.capacityType ?? NODE_GROUP_DEFAULTS.capacityType,
          scalingConfig: {
            minSize: spec.minSize,
            maxSize: spec.maxSize,
            desiredSize: spec.desiredSize ?? spec.minSize,
          },
          // The cluster autoscaler owns the desired size once the group exists.
          ignoreScalingChanges: true,
          subnetIds: args.subnetIds,
          launchTemplate: {
            id: launchTemplate.id,
            version: launchTemplate.latestVersion.apply(String),
          },
          labels: spec.labels ?? {},
          taints: [...(spec.taints ?? []), ...(spec.draining ? [DRAINING_TAINT] : [])],
          tags: args.tags,
        },
        { parent: this, dependsOn: [...attachments, ...(args.dependsOn ?? [])] },
      );
      this.groups[group] = managed;
      this.namePrefixes[group] = prefix;
      // pulumi-eks returns the aws.eks.NodeGroup it made; its name carries the provider's suffix.
      this.names[group] = managed.nodeGroup.apply((g) => g.nodeGroupName);
    }
    this.registerOutputs({
      names: this.names,
      namePrefixes: this.namePrefixes,
      roleArn: this.role.arn,
    });
  }
}
