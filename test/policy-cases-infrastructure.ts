// Cases for the cluster, node and AWS resource rules. Each rule needs at least one violating and one passing case
// (test/policy-rules.test.ts checks).
import {
  awsCluster,
  bad,
  Case,
  cluster,
  good,
  launchTemplate,
  nodeGroup,
  patch,
  prodContext,
  PUBLIC_SUBNET,
  res,
} from "./policy-fixtures";

const kmsKey = res(
  "aws:kms/key:Key",
  "secrets",
  { enableKeyRotation: true, deletionWindowInDays: 30 },
  true,
);
const podSg = res("aws:ec2/securityGroup:SecurityGroup", "db-clients", {
  vpcId: "vpc-0123",
  ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.10.0.0/16"] }],
});
const ingressRule = res(
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "db-clients-in",
  {
    cidrIpv4: "10.10.0.0/16",
    ipProtocol: "tcp",
  },
);
const fargate = res("aws:eks/fargateProfile:FargateProfile", "karpenter", {
  subnetIds: ["subnet-0private00000001"],
});

export const infrastructureCases: Case[] = [
  bad(
    "eks-endpoint-not-public",
    "open to 0.0.0.0/0",
    patch(cluster, { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] }),
    "includes 0.0.0.0/0",
  ),
  bad(
    "eks-endpoint-not-public",
    "public with no CIDR list",
    patch(cluster, { endpointPublicAccess: undefined }),
    "without publicAccessCidrs",
  ),
  bad(
    "eks-endpoint-not-public",
    "aws cluster public by default",
    patch(awsCluster, { vpcConfig: {} }),
    "0.0.0.0/0",
  ),
  good("eks-endpoint-not-public", "private only", cluster),
  good(
    "eks-endpoint-not-public",
    "public to one office CIDR",
    patch(cluster, { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }),
  ),
  good("eks-endpoint-not-public", "aws cluster private only", awsCluster),
  bad(
    "eks-endpoint-private-access",
    "private endpoint off",
    patch(cluster, { endpointPrivateAccess: false }),
    "endpointPrivateAccess",
  ),
  good("eks-endpoint-private-access", "private endpoint on", cluster),
  bad(
    "eks-secrets-encrypted",
    "no KMS key",
    patch(cluster, { encryptionConfigKeyArn: undefined }),
    "encryptionConfigKeyArn",
  ),
  bad(
    "eks-secrets-encrypted",
    "aws cluster encrypts no secrets",
    patch(awsCluster, { encryptionConfig: { provider: { keyArn: "k" }, resources: [] } }),
    '"secrets"',
  ),
  good("eks-secrets-encrypted", "KMS key set", cluster),
  good("eks-secrets-encrypted", "aws cluster encrypts secrets", awsCluster),
  bad(
    "eks-control-plane-logs",
    "only api and audit",
    patch(cluster, { enabledClusterLogTypes: ["api", "audit"] }),
    "misses authenticator, controllerManager, scheduler",
  ),
  good("eks-control-plane-logs", "all five", cluster),
  bad(
    "eks-access-entries",
    "ConfigMap still used",
    patch(cluster, { authenticationMode: "API_AND_CONFIG_MAP" }),
    "API_AND_CONFIG_MAP",
  ),
  good("eks-access-entries", "API only", cluster),
  bad(
    "production-protected",
    "unprotected KMS key in prod",
    patch(kmsKey, {}, false),
    "not protected in production stack prod",
  ),
  bad(
    "production-protected",
    "unprotected VPC in prod",
    res("awsx:ec2:Vpc", "network", { cidrBlock: "10.10.0.0/16" }),
    "not protected",
  ),
  good("production-protected", "protected cluster", cluster),
  good("production-protected", "unprotected key outside production", patch(kmsKey, {}, false), {
    ...prodContext,
    stack: "dev",
    production: false,
  }),
  bad(
    "eks-deletion-protection",
    "off in prod",
    patch(cluster, { deletionProtection: false }),
    "deletionProtection",
  ),
  good("eks-deletion-protection", "on in prod", cluster),
  bad(
    "imdsv2-hop-limit-1",
    "hop limit 2",
    patch(launchTemplate, {
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 },
    }),
    "httpPutResponseHopLimit is 2",
  ),
  bad(
    "imdsv2-hop-limit-1",
    "IMDSv1 allowed",
    patch(launchTemplate, {
      metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 },
    }),
    '"optional"',
  ),
  bad(
    "imdsv2-hop-limit-1",
    "node group without launch template",
    patch(nodeGroup, { launchTemplate: undefined }),
    "hop limit 2",
  ),
  bad(
    "imdsv2-hop-limit-1",
    "cluster keeps its default node group",
    patch(cluster, { skipDefaultNodeGroup: undefined }),
    "skipDefaultNodeGroup",
  ),
  good("imdsv2-hop-limit-1", "tokens required, hop limit 1", launchTemplate),
  good(
    "imdsv2-hop-limit-1",
    "IMDS disabled",
    patch(launchTemplate, { metadataOptions: { httpEndpoint: "disabled" } }),
  ),
  good("imdsv2-hop-limit-1", "node group with our launch template", nodeGroup),
  bad(
    "nodes-private-subnets",
    "node group in a public subnet",
    patch(nodeGroup, { subnetIds: [PUBLIC_SUBNET] }),
    PUBLIC_SUBNET,
  ),
  bad(
    "nodes-private-subnets",
    "node group on default subnets",
    patch(nodeGroup, { subnetIds: undefined }),
    "every cluster subnet",
  ),
  bad(
    "nodes-private-subnets",
    "Fargate in a public subnet",
    patch(fargate, { subnetIds: [PUBLIC_SUBNET] }),
    PUBLIC_SUBNET,
  ),
  bad(
    "nodes-private-subnets",
    "cluster gives nodes public IPs",
    patch(cluster, { nodeAssociatePublicIpAddress: true }),
    "nodeAssociatePublicIpAddress",
  ),
  bad(
    "nodes-private-subnets",
    "launch template with a public IP",
    patch(launchTemplate, { networkInterfaces: [{ associatePublicIpAddress: "true" }] }),
    "associatePublicIpAddress",
  ),
  good("nodes-private-subnets", "node group in private subnets", nodeGroup),
  good("nodes-private-subnets", "Fargate in private subnets", fargate),
  good("nodes-private-subnets", "cluster without public node IPs", cluster),
  bad(
    "kms-key-rotation",
    "rotation off",
    patch(kmsKey, { enableKeyRotation: false }),
    "enableKeyRotation",
  ),
  good("kms-key-rotation", "rotation on", kmsKey),
  good(
    "kms-key-rotation",
    "asymmetric key cannot rotate",
    patch(kmsKey, {
      enableKeyRotation: false,
      customerMasterKeySpec: "RSA_2048",
      keyUsage: "SIGN_VERIFY",
    }),
  ),
  bad("kms-deletion-window", "7 days", patch(kmsKey, { deletionWindowInDays: 7 }), "only 7 days"),
  good("kms-deletion-window", "30 days", kmsKey),
  bad(
    "log-group-retention",
    "kept forever",
    res("aws:cloudwatch/logGroup:LogGroup", "fluent-bit", { name: "/eks/x" }),
    "retentionInDays",
  ),
  good(
    "log-group-retention",
    "30 days",
    res("aws:cloudwatch/logGroup:LogGroup", "fluent-bit", { retentionInDays: 30 }),
  ),
  bad(
    "security-group-no-open-ingress",
    "inline ingress from anywhere",
    patch(podSg, {
      ingress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 443, toPort: 443, protocol: "tcp" }],
    }),
    "ingress[0] allows 0.0.0.0/0",
  ),
  bad(
    "security-group-no-open-ingress",
    "ingress rule from anywhere (IPv6)",
    patch(ingressRule, { cidrIpv4: undefined, cidrIpv6: "::/0" }),
    "::/0",
  ),
  bad(
    "security-group-no-open-ingress",
    "security group rule from anywhere",
    res("aws:ec2/securityGroupRule:SecurityGroupRule", "r", {
      type: "ingress",
      cidrBlocks: ["0.0.0.0/0"],
    }),
    "0.0.0.0/0",
  ),
  good("security-group-no-open-ingress", "ingress from the VPC", podSg),
  good("security-group-no-open-ingress", "ingress rule from the VPC", ingressRule),
  good(
    "security-group-no-open-ingress",
    "egress rule to anywhere",
    res("aws:ec2/securityGroupRule:SecurityGroupRule", "r", {
      type: "egress",
      cidrBlocks: ["0.0.0.0/0"],
    }),
  ),
  bad(
    "eks-addon-version-pinned",
    "no version",
    res("aws:eks/addon:Addon", "vpc-cni", { addonName: "vpc-cni" }),
    "addonVersion",
  ),
  good(
    "eks-addon-version-pinned",
    "pinned",
    res("aws:eks/addon:Addon", "vpc-cni", {
      addonName: "vpc-cni",
      addonVersion: "v1.20.4-eksbuild.2",
    }),
  ),
];
