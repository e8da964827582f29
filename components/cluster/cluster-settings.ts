import { hasHostBits, parseCidr, formatCidr } from "../network/cidr";
import { problem, isOneOf } from "../problems";

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
    roleArns.map((principalArn) => [
      accessEntryKey(principalArn),
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

/** The role's name, the last segment of its ARN (`arn:aws:iam::1:role/team/admin` → `admin`). */
export const roleNameOf = (roleArn: string): string => roleArn.split("/").pop() ?? roleArn;

/**
 * An admin's access entry key, from the role's name and never its place in the list. pulumi-eks
 * names the AccessEntry `<cluster component>-<key>` and its AccessPolicyAssociation
 * `<cluster component>-<key>-<policy>` (pulumi-eks 4.3.0 nodejs/eks/cluster/authenticationMode.ts,
 * createAccessEntries), so a position key made removing the first admin replace every later
 * entry, and EKS refuses a second entry for a principal that still has one.
 */
export const accessEntryKey = (roleArn: string): string => `admin-${roleNameOf(roleArn)}`;

/** Where each admin's access entry, and its policy association, stands in `adminRoleArns`. */
export const accessEntryPositions = (cluster: string, roleArns: readonly string[]) =>
  new Map(
    roleArns.flatMap((arn, i) => [
      [`${cluster}-${accessEntryKey(arn)}`, i],
      [`${cluster}-${accessEntryKey(arn)}-clusterAdmin`, i],
    ]),
  );

/** Cluster names end up in IAM role names (`<cluster>-aws-load-balancer-controller`, 64 at most); 32 leaves room. */
const CLUSTER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export const clusterNameProblems = (name: unknown, at: string): string[] =>
  typeof name === "string" && CLUSTER_NAME.test(name)
    ? []
    : [
        problem(
          at,
          "not a usable cluster name",
          name,
          "use 1-32 characters: lowercase letters, digits and hyphens, starting with a letter",
        ),
      ];

/**
 * The widest block the public API endpoint may admit. A /8 is the largest block one organisation
 * holds (the legacy class A allocations, such as 17.0.0.0/8; IANA's registry:
 * https://www.iana.org/assignments/ipv4-address-space/ipv4-address-space.xhtml); anything wider
 * spans many unrelated networks, so it cannot be "our VPN or our CI runners".
 */
export const WIDEST_PUBLIC_ACCESS_PREFIX = 8;

/**
 * Problems with the CIDRs allowed to reach the public API endpoint: never the whole internet,
 * never wider than a /8, and written as the network address. EKS stores the block as given, so a
 * typo such as 198.51.100.7/24 would sit in the config meaning something other than it says.
 */
export function endpointCidrProblems(cidrs: readonly unknown[], at: string): string[] {
  const widest = WIDEST_PUBLIC_ACCESS_PREFIX;
  return cidrs.flatMap((cidr, i) => {
    const key = `${at}[${i}]`;
    const parsed = typeof cidr === "string" ? parseCidr(cidr) : undefined;
    if (!parsed) return [problem(key, "not an IPv4 CIDR", cidr, "use the form 198.51.100.0/24")];
    if (parsed.prefix === 0) {
      return [
        problem(
          key,
          "the API endpoint must never be open to the whole internet",
          cidr,
          "list the CIDRs of your VPN or CI runners",
        ),
      ];
    }
    if (parsed.prefix < widest) {
      return [
        problem(
          key,
          `block wider than /${widest}, a large share of the internet`,
          cidr,
          `list the CIDRs of your VPN or CI runners, each /${widest} or narrower`,
        ),
      ];
    }
    return typeof cidr === "string" && hasHostBits(cidr)
      ? [
          problem(
            key,
            "host bits set",
            cidr,
            `use the network address ${formatCidr(parsed.network, parsed.prefix)}`,
          ),
        ]
      : [];
  });
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Problems with the admin role ARNs: each an IAM role ARN, and no two with the same role name,
 * since the role name keys the role's access entry.
 */
export function adminRoleArnProblems(arns: readonly unknown[], at: string): string[] {
  return arns.flatMap((arn, i) => {
    const key = `${at}[${i}]`;
    if (typeof arn !== "string" || !ROLE_ARN.test(arn)) {
      return [
        problem(key, "not an IAM role ARN", arn, "use arn:aws:iam::<12-digit account>:role/<name>"),
      ];
    }
    const first = arns.findIndex((a) => typeof a === "string" && roleNameOf(a) === roleNameOf(arn));
    return first !== i
      ? [
          problem(
            key,
            `a second role named ${roleNameOf(arn)}; the role name keys its access entry`,
            arn,
            "list each admin role once, and no two roles of the same name",
          ),
        ]
      : [];
  });
}

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const isLogRetentionDays = (d: unknown): boolean => isOneOf(LOG_RETENTION_DAYS, d);

export const logRetentionProblems = (days: unknown, at: string): string[] =>
  isLogRetentionDays(days)
    ? []
    : [
        problem(
          at,
          "not a CloudWatch Logs retention period",
          days,
          `use one of ${LOG_RETENTION_DAYS.join(", ")}`,
        ),
      ];
