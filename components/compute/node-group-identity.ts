import { problemIf } from "../problems";

// Node group and launch template names and instance tags: whether an edit applies in place,
// create-first, or not at all.

/**
 * The provider's unique suffix (terraform-plugin-sdk helper/id, `UniqueIDSuffixLength`) and EKS's
 * name limit; node_group.go allows a `node_group_name_prefix` of 63 - 26 characters.
 */
export const NODE_GROUP_NAME_SUFFIX_LENGTH = 26;
export const NODE_GROUP_NAME_MAX_LENGTH = 63;

/**
 * A prefix, not a name: Pulumi replaces create-first (ForceNew fields: synth/replacements.ts), and
 * EKS would reject a fixed name as a duplicate; a unique name per generation lets the new group
 * come up before the old one is drained and deleted.
 */
export const nodeGroupNamePrefix = (clusterName: string, group: string): string =>
  `${clusterName}-${group}-`;

/** Fixed: the name is its only replacing field, and a replaced node group keeps the template. */
export const launchTemplateName = (clusterName: string, group: string): string =>
  `${clusterName}-${group}`;

/** One group's name problems, keyed `at`. */
export function nodeGroupNameProblems(clusterName: string, group: string, at: string): string[] {
  const prefix = nodeGroupNamePrefix(clusterName, group);
  const max = NODE_GROUP_NAME_MAX_LENGTH - NODE_GROUP_NAME_SUFFIX_LENGTH;
  return problemIf(
    prefix.length > max,
    at,
    `node group name prefix longer than ${max} characters`,
    prefix,
    `shorten the group or cluster name so "<clusterName>-<group>-" fits in ${max} (EKS allows ${NODE_GROUP_NAME_MAX_LENGTH}, the provider appends ${NODE_GROUP_NAME_SUFFIX_LENGTH})`,
  );
}

/**
 * Instance and volume tags, fixed per group: they are part of the template version, so stack tags
 * here would roll every node on a tag edit. EKS does not copy node group tags either
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html); for costs, use
 * `eks-blueprint:cluster` as a cost allocation tag or split cost allocation data
 * (https://docs.aws.amazon.com/cur/latest/userguide/split-cost-allocation-data-resource-amp.html).
 * `instanceTags` add more, rolling the nodes when they change.
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
