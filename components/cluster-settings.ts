/** Every control-plane log type EKS offers; audit and authenticator logs are what an incident review needs. */
export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;

export const managedPolicyArn = (partition: string, name: string): string =>
  `arn:${partition}:iam::aws:policy/${name}`;

/** Log group EKS writes control-plane logs to; created by us first so it has a retention period. */
export const controlPlaneLogGroupName = (clusterName: string): string =>
  `/aws/eks/${clusterName}/cluster`;

export interface AccessEntrySpec {
  principalArn: string;
  accessPolicies: Record<string, { policyArn: string; accessScope: { type: "cluster" } }>;
}

/**
 * Access entries (authentication mode API) giving each admin role cluster-admin, instead of the
 * deprecated aws-auth ConfigMap. https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
 */
export function adminAccessEntries(
  partition: string,
  roleArns: string[],
): Record<string, AccessEntrySpec> {
  return Object.fromEntries(
    roleArns.map((principalArn, i) => [
      `admin-${i}`,
      {
        principalArn,
        accessPolicies: {
          clusterAdmin: {
            policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
            accessScope: { type: "cluster" },
          },
        },
      },
    ]),
  );
}

/** Trust policy letting an AWS service assume a role, optionally only on behalf of resources matching `sourceArn`. */
export function serviceTrustPolicy(service: string, sourceArn?: string) {
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Effect: "Allow" as const,
        Action: "sts:AssumeRole",
        Principal: { Service: service },
        ...(sourceArn ? { Condition: { ArnLike: { "aws:SourceArn": sourceArn } } } : {}),
      },
    ],
  };
}
