import { CLUSTER_TYPES, clusterView, EKS_CLUSTER } from "./shapes";
import { Rule } from "./types";
import { isOpenCidr } from "./values";

export const BEST_PRACTICES = "https://docs.aws.amazon.com/eks/latest/best-practices";

/**
 * From the AWS docs, not the component's list, so the rule can fail it; audit and authenticator
 * are what an investigation needs.
 */
export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
];

export const clusterRules: Rule[] = [
  {
    id: "eks-endpoint-not-public",
    description:
      "The cluster's public API endpoint is off or limited to known CIDRs, never 0.0.0.0/0.",
    enforcement: "mandatory",
    // "Make the EKS Cluster Endpoint private"; a public endpoint with no CIDR list is open to all.
    link: `${BEST_PRACTICES}/identity-and-access-management.html`,
    types: CLUSTER_TYPES,
    check(r) {
      const c = clusterView(r);
      if (!c.publicAccess) return [];
      if (!c.publicAccessCidrs || c.publicAccessCidrs.length === 0) {
        return ["public endpoint enabled without publicAccessCidrs, so EKS allows 0.0.0.0/0"];
      }
      return c.publicAccessCidrs
        .filter(isOpenCidr)
        .map(
          (cidr) => `publicAccessCidrs includes ${cidr}: the API server is open to the internet`,
        );
    },
  },
  {
    id: "eks-endpoint-private-access",
    description:
      "The private API endpoint is on, so nodes and pods reach the API server inside the VPC.",
    enforcement: "mandatory",
    link: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
    types: CLUSTER_TYPES,
    check: (r) =>
      clusterView(r).privateAccess
        ? []
        : ["endpointPrivateAccess is not true: node traffic to the API leaves the VPC"],
  },
  {
    id: "eks-secrets-encrypted",
    description: "Kubernetes secrets are envelope-encrypted with a customer-managed KMS key.",
    enforcement: "mandatory",
    link: `${BEST_PRACTICES}/data-encryption-and-secrets-management.html`,
    types: CLUSTER_TYPES,
    check: (r) =>
      clusterView(r).secretsKeyArn
        ? []
        : [
            r.type === EKS_CLUSTER
              ? "encryptionConfigKeyArn is not set: secrets are stored with only EBS-level encryption"
              : 'encryptionConfig does not encrypt "secrets" with a KMS key',
          ],
  },
  {
    id: "eks-control-plane-logs",
    description: `All control-plane log types are sent to CloudWatch (${CONTROL_PLANE_LOG_TYPES.join(", ")}).`,
    enforcement: "mandatory",
    link: `${BEST_PRACTICES}/auditing-and-logging.html`,
    types: CLUSTER_TYPES,
    check(r) {
      const enabled = clusterView(r).logTypes;
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
      return missing.length ? [`enabledClusterLogTypes misses ${missing.join(", ")}`] : [];
    },
  },
  {
    id: "eks-access-entries",
    description:
      'Cluster access is managed with EKS access entries (authenticationMode "API"), not the aws-auth ConfigMap.',
    enforcement: "advisory",
    // aws-auth is deprecated; access entries are auditable AWS API objects.
    link: `${BEST_PRACTICES}/identity-and-access-management.html`,
    types: CLUSTER_TYPES,
    check(r) {
      const mode = clusterView(r).authenticationMode;
      return mode === "API"
        ? []
        : [`authenticationMode is ${mode ?? "unset (CONFIG_MAP)"}; use "API"`];
    },
  },
  {
    id: "production-protected",
    description:
      "In production stacks the cluster, its KMS keys and the VPC carry the protect option.",
    enforcement: "mandatory",
    // Our design: deleting any of these is an outage (a deleted KMS key makes every secret unreadable).
    link: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
    types: [EKS_CLUSTER, "aws:kms/key:Key", "awsx:ec2:Vpc"],
    check: (r, ctx) =>
      ctx.production && r.protect !== true
        ? [
            `not protected in production stack ${ctx.stack}: a mistaken delete would take the cluster down`,
          ]
        : [],
  },
  {
    id: "eks-deletion-protection",
    description:
      "Production clusters turn on EKS deletion protection as well, against deletes outside Pulumi.",
    enforcement: "advisory",
    link: "https://docs.aws.amazon.com/eks/latest/userguide/deletion-protection.html",
    types: CLUSTER_TYPES,
    check: (r, ctx) =>
      ctx.production && clusterView(r).deletionProtection !== true
        ? ["deletionProtection is not true in a production stack"]
        : [],
  },
];
