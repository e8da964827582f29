/**
 * Karpenter's controller IAM, copied from upstream's getting-started CloudFormation template at
 * v1.14.1 (test/fixtures/upstream/iam/karpenter-cloudformation.yaml, from
 * https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml).
 * Upstream splits it over six managed policies; we keep their statements (same Sids, actions,
 * resources and conditions) in one document. test/day2-karpenter.test.ts compares the Allow
 * statements per Sid against the reference file, so an upstream bump shows up as a failing test.
 * One statement is ours: `clusterSubnetsOnly`, the Deny that keeps launches in this cluster.
 */
import type { PolicyDocument, PolicyStatement } from "../../access/irsa-policy";
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
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Resource: [
        ec2("image/*", ""),
        ec2("snapshot/*", ""),
        ec2("security-group/*"),
        ec2("subnet/*"),
        ec2("capacity-reservation/*"),
        ec2("placement-group/*"),
      ],
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
    },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Resource: ec2("launch-template/*"),
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Condition: ownedNodepool,
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Resource: launched,
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Condition: {
        StringEquals: requestTags,
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Resource: launched,
      Action: "ec2:CreateTags",
      Condition: {
        StringEquals: {
          ...requestTags,
          "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
        },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Resource: ec2("instance/*"),
      Action: "ec2:CreateTags",
      Condition: {
        ...ownedNodepool,
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": i.clusterName },
        "ForAllValues:StringEquals": {
          "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
        },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Resource: [ec2("instance/*"), ec2("launch-template/*")],
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Condition: ownedNodepool,
    },
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
    {
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Resource: i.nodeRoleArn,
      Action: "iam:PassRole",
      Condition: {
        StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Resource: profiles,
      Action: ["iam:CreateInstanceProfile"],
      Condition: { StringEquals: request, StringLike: nodeClass("RequestTag") },
    },
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Resource: profiles,
      Action: ["iam:TagInstanceProfile"],
      Condition: {
        StringEquals: { ...resource, ...request },
        StringLike: { ...nodeClass("ResourceTag"), ...nodeClass("RequestTag") },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Resource: profiles,
      Action: [
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
      ],
      Condition: { StringEquals: resource, StringLike: nodeClass("ResourceTag") },
    },
  ];
}

/** ResourceDiscoveryPolicy: read-only lookups, limited to the cluster's region where possible. */
function resourceDiscovery(i: KarpenterPolicyInput): PolicyStatement[] {
  return [
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Resource: "*",
      Action: [
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
      Condition: { StringEquals: { "aws:RequestedRegion": i.region } },
    },
    {
      Sid: "AllowSSMReadActions",
      Effect: "Allow",
      Resource: `arn:${i.partition}:ssm:${i.region}::parameter/aws/service/*`,
      Action: "ssm:GetParameter",
    },
    {
      Sid: "AllowPricingReadActions",
      Effect: "Allow",
      Resource: "*",
      Action: "pricing:GetProducts",
    },
    {
      Sid: "AllowUnscopedInstanceProfileListAction",
      Effect: "Allow",
      Resource: "*",
      Action: "iam:ListInstanceProfiles",
    },
    {
      Sid: "AllowInstanceProfileReadActions",
      Effect: "Allow",
      Resource: `arn:${i.partition}:iam::${i.accountId}:instance-profile/*`,
      Action: "iam:GetInstanceProfile",
    },
  ];
}

/**
 * Upstream's AllowScopedEC2InstanceAccessActions lets RunInstances and CreateFleet use any subnet
 * and security group in the region, so a Karpenter could launch nodes into another cluster's VPC
 * with its node security group. Our EC2NodeClass selects both by `karpenter.sh/discovery=<cluster>`
 * (node-pools.ts, `subnetSelectorTerms` / `securityGroupSelectorTerms`), so anything else is
 * refused: a Deny, so upstream's statements stay as they are. RunInstances authorizes the subnet
 * and security-group ARNs with `aws:ResourceTag/${TagKey}` (Service Authorization Reference,
 * Amazon EC2, RunInstances; CreateFleet lists subnet as well). StringNotEquals also matches an
 * untagged subnet. Instances and launch templates need nothing more: upstream keys them on
 * `kubernetes.io/cluster/<cluster>: owned`, whose key already names the cluster.
 */
export function clusterSubnetsOnly(i: KarpenterPolicyInput): PolicyStatement {
  const ec2 = (r: string) => `arn:${i.partition}:ec2:${i.region}:*:${r}`;
  return {
    Sid: "DenyLaunchOutsideClusterSubnetsAndSecurityGroups",
    Effect: "Deny",
    Resource: [ec2("subnet/*"), ec2("security-group/*")],
    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
    Condition: { StringNotEquals: { [`aws:ResourceTag/${DISCOVERY_TAG}`]: i.clusterName } },
  };
}

/** The controller's whole permissions policy (IRSA role for kube-system/karpenter). */
export function karpenterControllerPolicy(i: KarpenterPolicyInput): PolicyDocument {
  const clusterArn = `arn:${i.partition}:eks:${i.region}:${i.accountId}:cluster/${i.clusterName}`;
  const statements: PolicyStatement[] = [
    ...nodeLifecycle(i),
    ...iamIntegration(i),
    // EKSIntegrationPolicy
    {
      Sid: "AllowAPIServerEndpointDiscovery",
      Effect: "Allow",
      Resource: clusterArn,
      Action: "eks:DescribeCluster",
    },
    // InterruptionPolicy
    {
      Sid: "AllowInterruptionQueueActions",
      Effect: "Allow",
      Resource: i.queueArn,
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
    },
    ...resourceDiscovery(i),
    clusterSubnetsOnly(i),
  ];
  if (i.zonalShift) {
    statements.push({
      Sid: "AllowZonalShiftStatusReadOnly",
      Effect: "Allow",
      Resource: "*",
      Action: ["arc-zonal-shift:GetManagedResource"],
      Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
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
