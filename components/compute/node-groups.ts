import type { KubernetesMinor } from "../cluster/kubernetes-versions";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { permittedRole } from "../access/irsa";
import { policyDocument, stableJson } from "../access/irsa-policy";
import { nodeRoleGuard } from "../access/guards";
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
  /** The cluster's Kubernetes minor, such as "1.35"; a bump moves groups to it in place. */
  kubernetesVersion: KubernetesMinor;
  /** Private subnets; nodes never get public addresses. */
  subnetIds: pulumi.Input<string[]>;
  /** Groups by short name, named `<clusterName>-<name>-` plus a suffix: replaced create-first. */
  groups: Record<string, NodeGroupSpec>;
  /** AWS partition. @default "aws" */
  partition?: string;
  /** Tags for the node role, launch templates and node groups, not instances. @default none */
  tags?: Record<string, string>;
  /** Instance and volume tags; changing them replaces every node. @default none */
  instanceTags?: Record<string, string>;
  /** What every group waits for (vpc-cni: the node role has no CNI policy). @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Node role policies; AmazonEKS_CNI_Policy is the vpc-cni IRSA role's, not every node's. */
export const NODE_ROLE_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonSSMManagedInstanceCore",
] as const;

/**
 * An EC2 node role `roleName` with NODE_ROLE_POLICIES, as NodeGroups' and Karpenter's nodes have,
 * and `nodeRoleGuard`: a hostNetwork pod holds these credentials.
 */
export const nodeRole = (
  name: string,
  roleName: string,
  o: { partition: string; clusterName: string; tags?: Record<string, string> },
  parent: pulumi.Resource,
) =>
  permittedRole(
    name,
    stableJson(serviceTrustPolicy("ec2.amazonaws.com")),
    {
      roleName,
      managedPolicyArns: NODE_ROLE_POLICIES.map((p) => managedPolicyArn(o.partition, p)),
      policy: stableJson(policyDocument(...nodeRoleGuard(o.partition, o.clusterName))),
      tags: o.tags,
    },
    parent,
  );

/** Managed node groups sharing one node role, each with its own IMDSv2-only launch template. */
export class NodeGroups extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly groups: Record<string, eks.ManagedNodeGroup> = {};
  /** EKS node group names by short name, known once created (prefix plus suffix). */
  readonly names: Record<string, pulumi.Output<string>> = {};
  /** Name prefixes by short name, known before deployment (discovery, IAM scoping). */
  readonly namePrefixes: Record<string, string> = {};

  constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("NodeGroups", name, nodeGroupsProblems(args.clusterName, args.groups, "groups"));
    super("eks-blueprint:index:NodeGroups", name, {}, opts);
    const partition = args.partition ?? "aws";
    const { role, attachments } = nodeRole(
      `${name}-node`,
      `${args.clusterName}-node`,
      { partition, clusterName: args.clusterName, tags: args.tags },
      this,
    );
    this.role = role;
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
          // Stable per group: a stack tag edit changes only `tags` (no new version, no roll).
          tagSpecifications: launchTemplateTagSpecifications(args.clusterName, group, {
            ...args.instanceTags,
            ...spec.deployed?.instanceTags,
          }),
          tags: args.tags,
        },
        { parent: this },
      );
      const prefix = nodeGroupNamePrefix(args.clusterName, group);
      const managed = new eks.ManagedNodeGroup(
        `${name}-${group}`,
        {
          // Ordered after the cluster it references: nodes follow the control plane on a bump.
          cluster: args.cluster,
          // See nodeGroupNamePrefix; pulumi-aws autonames nodeGroupName only without a conflicting
          // field (pulumi/pulumi-terraform-bridge pkg/tfbridge/schema.go, buildConflictsWith).
          ...(spec.deployed
            ? { nodeGroupName: spec.deployed.name }
            : { nodeGroupNamePrefix: prefix }),
          // pulumi-eks 4.3.0 defaults `version` only without a launch template
          // (nodejs/eks/nodes/nodegroup.ts, createManagedNodeGroup), so a bump would leave our
          // nodes behind; EKS takes `version` with a template setting no custom AMI
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
      // Its name carries the provider's suffix.
      this.names[group] = managed.nodeGroup.apply((g) => g.nodeGroupName);
    }
    this.registerOutputs({
      names: this.names,
      namePrefixes: this.namePrefixes,
      roleArn: this.role.arn,
    });
  }
}
