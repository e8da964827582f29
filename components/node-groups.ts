import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { stableJson } from "./irsa-policy";
import { managedPolicyArn, serviceTrustPolicy } from "./cluster-settings";
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
  /** Private subnets; nodes never get public addresses. */
  subnetIds: pulumi.Input<string[]>;
  /** The groups, by short name; the EKS node group name is `<clusterName>-<name>`. */
  groups: Record<string, NodeGroupSpec>;
  /** AWS partition. @default "aws" */
  partition?: string;
  /** Tags for every AWS resource. @default none */
  tags?: Record<string, string>;
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
  /** EKS node group names, by short name. */
  readonly names: Record<string, string> = {};

  constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
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
      const nodeGroupName = `${args.clusterName}-${group}`;
      const amiFamily = spec.amiFamily ?? NODE_GROUP_DEFAULTS.amiFamily;
      const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-${group}`,
        {
          name: nodeGroupName,
          metadataOptions: NODE_METADATA_OPTIONS,
          blockDeviceMappings: [
            launchTemplateBlockDevice(
              amiFamily,
              spec.diskSizeGiB ?? NODE_GROUP_DEFAULTS.diskSizeGiB,
            ),
          ],
          updateDefaultVersion: true,
          tagSpecifications: [
            { resourceType: "instance", tags: { ...args.tags, Name: nodeGroupName } },
            { resourceType: "volume", tags: { ...args.tags, Name: nodeGroupName } },
          ],
          tags: args.tags,
        },
        { parent: this },
      );
      this.groups[group] = new eks.ManagedNodeGroup(
        `${name}-${group}`,
        {
          cluster: args.cluster,
          nodeGroupName,
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
      this.names[group] = nodeGroupName;
    }
    this.registerOutputs({ names: this.names, roleArn: this.role.arn });
  }
}
