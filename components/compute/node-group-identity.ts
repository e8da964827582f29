import { problem } from "../problems";

/**
 * What names a managed node group and its launch template, what forces them to be replaced, and
 * which tags their instances carry: the facts that decide whether an edit can be applied in place,
 * create-first, or not at all.
 */

/**
 * Length of the unique suffix the provider appends to a name prefix
 * (terraform-plugin-sdk helper/id, `UniqueIDSuffixLength`), and EKS's limit on a node group name;
 * node_group.go validates `node_group_name_prefix` as at most 63 - 26 characters.
 */
export const NODE_GROUP_NAME_SUFFIX_LENGTH = 26;
export const NODE_GROUP_NAME_MAX_LENGTH = 63;

/**
 * The node group's name prefix, `<cluster>-<group>-`. A change of instance types, capacity or AMI
 * type, subnets or role forces a replacement (the provider's ForceNew attributes, listed in
 * synth/replacements.ts), and Pulumi replaces create-first: a fixed name would make EKS reject the
 * new group as a duplicate of the old one still running. With a prefix the provider gives each
 * generation a new unique name, so the new group is up before the old one is drained and deleted.
 */
export const nodeGroupNamePrefix = (clusterName: string, group: string): string =>
  `${clusterName}-${group}-`;

/**
 * The launch template's name, `<cluster>-<group>`. It can stay fixed: the name is its only
 * replacing field, so a replacement always comes with a new name, and a node group replacement
 * keeps using the same template (by id).
 */
export const launchTemplateName = (clusterName: string, group: string): string =>
  `${clusterName}-${group}`;

/** Every problem with one group's names, worded with the path the caller used. */
export function nodeGroupNameProblems(clusterName: string, group: string, at: string): string[] {
  const prefix = nodeGroupNamePrefix(clusterName, group);
  const max = NODE_GROUP_NAME_MAX_LENGTH - NODE_GROUP_NAME_SUFFIX_LENGTH;
  return prefix.length > max
    ? [
        problem(
          at,
          `node group name prefix longer than ${max} characters`,
          prefix,
          `shorten the group or cluster name so "<clusterName>-<group>-" fits in ${max} (EKS allows ${NODE_GROUP_NAME_MAX_LENGTH}, the provider appends ${NODE_GROUP_NAME_SUFFIX_LENGTH})`,
        ),
      ]
    : [];
}

/**
 * Tags every instance and volume of the group gets, through the launch template. Only values that
 * never change for a cluster's group: the template's tag specifications are part of its version, so
 * putting the stack's tags here would make a tag edit a new version that rolls every node.
 *
 * The trade-off: instances and volumes do not carry the team or cost tags. EKS does not copy the
 * node group's own tags to them either ("Node group tags do not propagate to any other resources
 * associated with the node group, such as the Amazon EC2 instances or subnets",
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html). For cost
 * allocation, activate `eks-blueprint:cluster` as a cost allocation tag (it is on every instance
 * and volume), or use split cost allocation data for EKS to charge pods by namespace
 * (https://docs.aws.amazon.com/cur/latest/userguide/split-cost-allocation-data-resource-amp.html). Tags that
 * must be on the instances themselves go in NodeGroupsArgs.instanceTags, knowing that changing
 * them rolls the nodes.
 */
export function launchTemplateTagSpecifications(
  clusterName: string,
  group: string,
  instanceTags: Record<string, string> = {},
) {
  const tags = {
    ...instanceTags,
    Name: launchTemplateName(clusterName, group),
    "eks-blueprint:cluster": clusterName,
  };
  return [
    { resourceType: "instance", tags },
    { resourceType: "volume", tags },
  ];
}
