import { arnName, policyDocument, type PolicyStatement } from "../access/irsa-policy";
import { hostBitsProblems, parseCidr } from "../network/cidr";
import { problem, problemIf, isOneOf } from "../problems";

/** Every control-plane log type; an incident review needs audit and authenticator logs. */
export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;

export const managedPolicyArn = (partition: string, name: string): string =>
  `arn:${partition}:iam::aws:policy/${name}`;

/** EKS's control-plane log group; we create it first to give it a retention period. */
export const controlPlaneLogGroupName = (clusterName: string): string =>
  `/aws/eks/${clusterName}/cluster`;

export interface AccessEntrySpec {
  principalArn: string;
  accessPolicies: Record<string, { policyArn: string; accessScope: { type: "cluster" } }>;
}

/**
 * Cluster-admin access entries, not the deprecated aws-auth ConfigMap:
 * https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
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

/** Lets an AWS service assume a role, under `condition` when given (a source ARN or account). */
export function serviceTrustPolicy(service: string, condition?: PolicyStatement["Condition"]) {
  return policyDocument({
    Effect: "Allow" as const,
    Action: "sts:AssumeRole",
    Principal: { Service: service },
    ...(condition ? { Condition: condition } : {}),
  });
}

/**
 * An admin's access entry key: the role's name, not its list position, which pulumi-eks puts in
 * entry names (pulumi-eks 4.3.0 nodejs/eks/cluster/authenticationMode.ts, createAccessEntries):
 * removing the first admin would replace every later entry, and EKS allows one per principal.
 */
export const accessEntryKey = (roleArn: string): string => `admin-${arnName(roleArn)}`;

/** Each admin's access entry and policy association: its index in `adminRoleArns`. */
export const accessEntryPositions = (cluster: string, roleArns: readonly string[]) =>
  new Map(
    roleArns.flatMap((arn, i) => [
      [`${cluster}-${accessEntryKey(arn)}`, i],
      [`${cluster}-${accessEntryKey(arn)}-clusterAdmin`, i],
    ]),
  );

/** 32 leaves room in IAM role names (`<cluster>-aws-load-balancer-controller`, at most 64). */
const CLUSTER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export const clusterNameProblems = (name: unknown, at: string): string[] =>
  problemIf(
    !(typeof name === "string" && CLUSTER_NAME.test(name)),
    at,
    "not a usable cluster name",
    name,
    "use 1-32 characters: lowercase letters, digits and hyphens, starting with a letter",
  );

/**
 * Widest public endpoint block: a /8 is the most one organisation holds (class A, 17.0.0.0/8:
 * https://www.iana.org/assignments/ipv4-address-space/ipv4-address-space.xhtml); wider is not
 * "our VPN or our CI runners".
 */
export const WIDEST_PUBLIC_ACCESS_PREFIX = 8;

/** Not the internet, at most /8, no host bits (EKS stores typos like 198.51.100.7/24 as given). */
export function endpointCidrProblems(cidrs: readonly unknown[], at: string): string[] {
  const widest = WIDEST_PUBLIC_ACCESS_PREFIX;
  return cidrs.flatMap((cidr, i) => {
    const key = `${at}[${i}]`;
    const parsed = typeof cidr === "string" ? parseCidr(cidr) : undefined;
    if (!parsed) return [problem(key, "not an IPv4 CIDR", cidr, "use the form 198.51.100.0/24")];
    if (parsed.prefix < widest) {
      return [
        parsed.prefix === 0
          ? problem(
              key,
              "the API endpoint must never be open to the whole internet",
              cidr,
              "list the CIDRs of your VPN or CI runners",
            )
          : problem(
              key,
              `block wider than /${widest}, a large share of the internet`,
              cidr,
              `list the CIDRs of your VPN or CI runners, each /${widest} or narrower`,
            ),
      ];
    }
    return hostBitsProblems(cidr, key);
  });
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const isRoleArn = (arn: unknown): arn is string => typeof arn === "string" && ROLE_ARN.test(arn);
const ROLE_ARN_HINT = "use arn:aws:iam::<12-digit account>:role/<name>";

/** A problem unless `arn` is an IAM role ARN. */
export const roleArnProblems = (arn: unknown, at: string): string[] =>
  problemIf(!isRoleArn(arn), at, "not an IAM role ARN", arn, ROLE_ARN_HINT);

/** Admin role ARNs: IAM role ARNs, no two with one role name (it keys the access entry). */
export function adminRoleArnProblems(arns: readonly unknown[], at: string): string[] {
  return arns.flatMap((arn, i) => {
    const key = `${at}[${i}]`;
    if (!isRoleArn(arn)) return roleArnProblems(arn, key);
    const first = arns.findIndex((a) => typeof a === "string" && arnName(a) === arnName(arn));
    return problemIf(
      first !== i,
      key,
      `a second role named ${arnName(arn)}; the role name keys its access entry`,
      arn,
      "list each admin role once, and no two roles of the same name",
    );
  });
}

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const logRetentionProblems = (days: unknown, at: string): string[] =>
  problemIf(
    !isOneOf(LOG_RETENTION_DAYS, days),
    at,
    "not a CloudWatch Logs retention period",
    days,
    `use one of ${LOG_RETENTION_DAYS.join(", ")}`,
  );
