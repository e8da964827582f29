/**
 * Karpenter's controller IAM from upstream's CloudFormation template at v1.14.1
 * (test/fixtures/upstream/iam/karpenter-cloudformation.yaml, from
 * https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml):
 * its six policies' statements in one document, compared per Sid by test/day2-karpenter.test.ts.
 * Ours alone: the `clusterSubnetsOnly` Denies.
 */
import {
  allow,
  deny,
  policyDocument,
  type PolicyDocument,
  type PolicyStatement,
} from "../../access/irsa-policy";
import { outsideVpcDeny } from "../../access/guards";
import { DISCOVERY_TAG } from "./node-pools";

export interface KarpenterPolicyInput {
  clusterName: string;
  partition: string;
  region: string;
  accountId: string;
  /** ARN of the node role Karpenter passes to the instances it launches. */
  nodeRoleArn: string;
  /** ARN of the interruption queue. */
  queueArn: string;
  /** The cluster's VPC: launches never use another VPC's subnets, groups or ENIs. */
  vpcId: string;
  /** The EC2NodeClass's own tag keys (besides Karpenter's). @default none */
  instanceTagKeys?: string[];
  /** Add upstream's ZonalShiftPolicy (needed for `settings.enableZonalShift`). @default false */
  zonalShift?: boolean;
}

const owned = (c: string) => ({ [`kubernetes.io/cluster/${c}`]: "owned" });
const tagged = (prefix: string, tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:${prefix}/${k}`, v]));

/** NodeLifecyclePolicy: launch, tag and terminate only what carries this cluster's tags. */
function nodeLifecycle(i: KarpenterPolicyInput): PolicyStatement[] {
  const ec2 = (r: string, account = "*") => `arn:${i.partition}:ec2:${i.region}:${account}:${r}`;
  const launched = ["fleet", "instance", "volume", "network-interface", "launch-template"]
    .map((r) => ec2(`${r}/*`))
    .concat(ec2("spot-instances-request/*"));
  const cluster = owned(i.clusterName);
  const requestTags = {
    ...tagged("RequestTag", cluster),
    "aws:RequestTag/eks:eks-cluster-name": i.clusterName,
  };
  const ownedNodepool = {
    StringEquals: tagged("ResourceTag", cluster),
    StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
  };
  return [
    allow(
      "AllowScopedEC2InstanceAccessActions",
      ["ec2:RunInstances", "ec2:CreateFleet"],
      [
        ec2("image/*", ""),
        ec2("snapshot/*", ""),
        ec2("security-group/*"),
        ec2("subnet/*"),
        ec2("capacity-reservation/*"),
        ec2("placement-group/*"),
      ],
    ),
    allow(
      "AllowScopedEC2LaunchTemplateAccessActions",
      ["ec2:RunInstances", "ec2:CreateFleet"],
      ec2("launch-template/*"),
      ownedNodepool,
    ),
    allow(
      "AllowScopedEC2InstanceActionsWithTags",
      ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      launched,
      { StringEquals: requestTags, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
    ),
    allow("AllowScopedResourceCreationTagging", "ec2:CreateTags", launched, {
      StringEquals: {
        ...requestTags,
        "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
      },
      StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
    }),
    allow("AllowScopedResourceTagging", "ec2:CreateTags", ec2("instance/*"), {
      ...ownedNodepool,
      StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": i.clusterName },
      "ForAllValues:StringEquals": {
        "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
      },
    }),
    allow(
      "AllowScopedDeletion",
      ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      [ec2("instance/*"), ec2("launch-template/*")],
      ownedNodepool,
    ),
  ];
}

/** IAMIntegrationPolicy: pass the node role, manage the instance profiles Karpenter creates. */
function iamIntegration(i: KarpenterPolicyInput): PolicyStatement[] {
  const profiles = `arn:${i.partition}:iam::${i.accountId}:instance-profile/*`;
  const cluster = owned(i.clusterName);
  const region = { "topology.kubernetes.io/region": i.region };
  const request = {
    ...tagged("RequestTag", cluster),
    "aws:RequestTag/eks:eks-cluster-name": i.clusterName,
    ...tagged("RequestTag", region),
  };
  const resource = { ...tagged("ResourceTag", cluster), ...tagged("ResourceTag", region) };
  const nodeClass = (prefix: string) => ({ [`aws:${prefix}/karpenter.k8s.aws/ec2nodeclass`]: "*" });
  return [
    allow("AllowPassingInstanceRole", "iam:PassRole", i.nodeRoleArn, {
      StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] },
    }),
    allow("AllowScopedInstanceProfileCreationActions", ["iam:CreateInstanceProfile"], profiles, {
      StringEquals: request,
      StringLike: nodeClass("RequestTag"),
    }),
    allow("AllowScopedInstanceProfileTagActions", ["iam:TagInstanceProfile"], profiles, {
      StringEquals: { ...resource, ...request },
      StringLike: { ...nodeClass("ResourceTag"), ...nodeClass("RequestTag") },
    }),
    allow(
      "AllowScopedInstanceProfileActions",
      [
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
      ],
      profiles,
      { StringEquals: resource, StringLike: nodeClass("ResourceTag") },
    ),
  ];
}

/** ResourceDiscoveryPolicy: read-only lookups, limited to the cluster's region where possible. */
function resourceDiscovery(i: KarpenterPolicyInput): PolicyStatement[] {
  return [
    allow(
      "AllowRegionalReadActions",
      [
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      "*",
      { StringEquals: { "aws:RequestedRegion": i.region } },
    ),
    allow(
      "AllowSSMReadActions",
      "ssm:GetParameter",
      `arn:${i.partition}:ssm:${i.region}::parameter/aws/service/*`,
    ),
    allow("AllowPricingReadActions", "pricing:GetProducts", "*"),
    allow("AllowUnscopedInstanceProfileListAction", "iam:ListInstanceProfiles", "*"),
    allow(
      "AllowInstanceProfileReadActions",
      "iam:GetInstanceProfile",
      `arn:${i.partition}:iam::${i.accountId}:instance-profile/*`,
    ),
  ];
}

/**
 * Upstream lets RunInstances and CreateFleet use any subnet, security group and existing ENI in
 * the region, so Karpenter could launch into another cluster's VPC. Our EC2NodeClass selects
 * subnets and groups by `karpenter.sh/discovery=<cluster>`: the first Deny refuses the rest,
 * untagged too (both calls authorize them by `aws:ResourceTag/${TagKey}`: Service Authorization
 * Reference, Amazon EC2); the second refuses anything outside the cluster's VPC, ENIs included.
 * The third keeps its launches from carrying another cluster's tags (`kubernetes.io/cluster/*`,
 * `eks:cluster-name`, which EBS CSI and EKS trust): only Karpenter's keys, this cluster's and the
 * EC2NodeClass's.
 */
export function clusterSubnetsOnly(i: KarpenterPolicyInput): PolicyStatement[] {
  const ec2 = (r: string) => `arn:${i.partition}:ec2:${i.region}:*:${r}`;
  const launches = ["ec2:RunInstances", "ec2:CreateFleet"];
  const tagKeys = [
    "karpenter.sh/*",
    "karpenter.k8s.aws/*",
    `kubernetes.io/cluster/${i.clusterName}`,
    "eks:eks-cluster-name",
    "Name",
    ...(i.instanceTagKeys ?? []),
  ];
  return [
    deny(
      "DenyLaunchOutsideClusterSubnetsAndSecurityGroups",
      launches,
      [ec2("subnet/*"), ec2("security-group/*")],
      { StringNotEquals: { [`aws:ResourceTag/${DISCOVERY_TAG}`]: i.clusterName } },
    ),
    outsideVpcDeny("DenyLaunchOutsideClusterVpc", launches, i),
    deny(
      "DenyOtherClustersTagKeys",
      [...launches, "ec2:CreateLaunchTemplate", "ec2:CreateTags"],
      "*",
      { "ForAnyValue:StringNotLike": { "aws:TagKeys": [...new Set(tagKeys)].sort() } },
    ),
  ];
}

/** The controller's whole permissions policy (IRSA role for kube-system/karpenter). */
export function karpenterControllerPolicy(i: KarpenterPolicyInput): PolicyDocument {
  const clusterArn = `arn:${i.partition}:eks:${i.region}:${i.accountId}:cluster/${i.clusterName}`;
  return policyDocument(
    ...nodeLifecycle(i),
    ...iamIntegration(i),
    // EKSIntegrationPolicy
    allow("AllowAPIServerEndpointDiscovery", "eks:DescribeCluster", clusterArn),
    // InterruptionPolicy
    allow(
      "AllowInterruptionQueueActions",
      ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      i.queueArn,
    ),
    ...resourceDiscovery(i),
    ...clusterSubnetsOnly(i),
    ...(i.zonalShift
      ? [
          allow("AllowZonalShiftStatusReadOnly", ["arc-zonal-shift:GetManagedResource"], "*", {
            StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn },
          }),
        ]
      : []),
  );
}

/** Upstream's KarpenterInterruptionQueuePolicy: EventBridge and SQS may send; plain HTTP is denied. */
export function interruptionQueuePolicy(queueArn: string): PolicyDocument & { Id: string } {
  return {
    Version: "2012-10-17",
    Id: "EC2InterruptionPolicy",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
        Action: "sqs:SendMessage",
        Resource: queueArn,
      },
      {
        Sid: "DenyHTTP",
        Effect: "Deny",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": false } },
        Principal: { AWS: "*" },
      },
    ],
  };
}

/** Upstream's five EventBridge rules, by a short name for ours: source and detail-type. */
export const INTERRUPTION_EVENTS = {
  "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  "spot-interruption": {
    source: ["aws.ec2"],
    "detail-type": ["EC2 Spot Instance Interruption Warning"],
  },
  rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  "instance-state-change": {
    source: ["aws.ec2"],
    "detail-type": ["EC2 Instance State-change Notification"],
  },
  "capacity-reservation-interruption": {
    source: ["aws.ec2"],
    "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"],
  },
} as const;
