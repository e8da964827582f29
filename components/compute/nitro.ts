import { problem } from "../problems";

/**
 * Which EC2 instance types can run pods that have their own security group.
 *
 * Security groups for pods put each selected pod on a branch network interface of a trunk
 * interface, which the VPC resource controller attaches only to Nitro-based types it marks
 * trunking compatible: "supported by most Nitro-based Amazon EC2 instance families, though not by
 * all generations of a family ... No instance types in the t family are supported"
 * (https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html, Considerations).
 *
 * Sources of the tables below:
 * - EC2, "Instances built on the AWS Nitro System":
 *   https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-nitro-instances.html
 * - aws/amazon-vpc-resource-controller-k8s `pkg/aws/vpc/limits.go` at
 *   b8d425119bdba371202882b808f202c6073a46cc (generated 2026-03-20), the file the EKS page above
 *   names as the complete list: per type, `Hypervisor` ("xen", "nitro", or "" for bare metal) and
 *   `IsTrunkingCompatible`. Every size of m4 is "xen" there, m4.16xlarge included.
 */

/**
 * Families whose virtualized sizes run on the Xen hypervisor. limits.go lists c1, c3, c4, d2, f1,
 * h1, i2, i3, m1, m2, m3, m4, p3, r3, r4, t1, t2, x1 and x1e as "xen"; cc2, cg1, cr1, g2, g3, g3s,
 * hi1, hs1 and p2 are older Xen generations it no longer lists. p3dn and i3en are separate, Nitro
 * families.
 */
const XEN_FAMILIES: ReadonlySet<string> = new Set([
  "c1",
  "c3",
  "c4",
  "cc2",
  "cg1",
  "cr1",
  "d2",
  "f1",
  "g2",
  "g3",
  "g3s",
  "h1",
  "hi1",
  "hs1",
  "i2",
  "i3",
  "m1",
  "m2",
  "m3",
  "m4",
  "p2",
  "p3",
  "r3",
  "r4",
  "t1",
  "t2",
  "x1",
  "x1e",
]);

/** Bare-metal sizes of Xen families that are built on Nitro (limits.go: Hypervisor "", IsBareMetal). */
const NITRO_METAL_IN_XEN_FAMILIES: ReadonlySet<string> = new Set(["i3.metal"]);

/**
 * Nitro types outside the t family that limits.go marks `IsTrunkingCompatible: false`: they can
 * run on Nitro but take no branch interfaces.
 */
const NITRO_WITHOUT_TRUNKING: ReadonlySet<string> = new Set([
  "i4i.large",
  "u-6tb1.56xlarge",
  "u-6tb1.112xlarge",
]);

/** `m7i-flex.large` → `["m7i-flex", "large"]`; undefined when the text is not `<family>.<size>`. */
export function splitInstanceType(type: string): [family: string, size: string] | undefined {
  const match = /^([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/.exec(type);
  return match ? [match[1], match[2]] : undefined;
}

/**
 * True when the instance type is built on the AWS Nitro System. A family not in the tables above
 * counts as Nitro: every family EC2 has launched since 2018 is Nitro-based, so a new one is too.
 * Text that is not an instance type is false.
 */
export function isNitroInstanceType(type: string): boolean {
  const parts = splitInstanceType(type);
  if (!parts) return false;
  return !XEN_FAMILIES.has(parts[0]) || NITRO_METAL_IN_XEN_FAMILIES.has(type);
}

/**
 * True when pods with their own security group can run on the type: Nitro-based, not in the t
 * family (t3, t3a, t4g and any later t generation) and not one of the few Nitro types without
 * trunking. A type the snapshot of limits.go does not know is assumed compatible; if it is not, the
 * controller leaves such pods Pending rather than running them unprotected.
 */
export function supportsPodSecurityGroups(type: string): boolean {
  const parts = splitInstanceType(type);
  if (!parts || !isNitroInstanceType(type)) return false;
  return !/^t\d/.test(parts[0]) && !NITRO_WITHOUT_TRUNKING.has(type);
}

/**
 * AmazonEKSVPCResourceController, for the cluster IAM role (not an IRSA role): it lets EKS manage
 * the trunk and branch interfaces. AWS managed policies live in account "aws" of each partition.
 */
export function vpcResourceControllerPolicyArn(partition: string): string {
  if (!/^aws(-[a-z]+)*$/.test(partition)) {
    throw new Error(
      `not an AWS partition: ${JSON.stringify(partition)}; use aws, aws-cn or aws-us-gov`,
    );
  }
  return `arn:${partition}:iam::aws:policy/AmazonEKSVPCResourceController`;
}

const list = (items: string[]) =>
  items.length === 1 ? items[0] : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/**
 * A problem when a node group has a type that cannot host pods with their own security group:
 * Xen-based, or Nitro without trunking (every t type). Such pods would stay Pending there
 * (https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html).
 */
export function podSecurityGroupNodeProblems(instanceTypes: string[], at: string): string[] {
  const xen = instanceTypes.filter((t) => !isNitroInstanceType(t));
  const noTrunk = instanceTypes.filter(
    (t) => isNitroInstanceType(t) && !supportsPodSecurityGroups(t),
  );
  if (xen.length + noTrunk.length === 0) return [];
  const reasons = [
    ...(xen.length ? [`${list(xen)} ${xen.length > 1 ? "are" : "is"} not Nitro-based`] : []),
    ...(noTrunk.length
      ? [`${list(noTrunk)} ${noTrunk.length > 1 ? "have" : "has"} no trunk network interface`]
      : []),
  ];
  return [
    problem(
      at,
      `${reasons.join(" and ")}, which security groups for pods need`,
      instanceTypes,
      "use Nitro types with trunking such as m6i.large, m7g.large or c7i.large (no t-family type has it)",
    ),
  ];
}
