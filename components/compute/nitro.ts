import { optionList, problemIf } from "../problems";

// Instance types that can run pods with their own security group: branch interfaces need a trunk,
// which the VPC resource controller gives only trunking-compatible Nitro types, never the t family
// (https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html). Sources:
// https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-nitro-instances.html and the list that
// page names, aws/amazon-vpc-resource-controller-k8s `pkg/aws/vpc/limits.go` at
// b8d425119bdba371202882b808f202c6073a46cc (generated 2026-03-20): `Hypervisor` and
// `IsTrunkingCompatible` per type.

/**
 * Families whose virtualized sizes run on Xen: limits.go's "xen" ones (every m4, m4.16xlarge
 * included) plus older ones it no longer lists (cc2, cg1, cr1, g2, g3, g3s, hi1, hs1, p2). p3dn
 * and i3en are separate, Nitro families.
 */
const XEN_FAMILIES: ReadonlySet<string> = new Set([
  ..."c1 c3 c4 cc2 cg1 cr1 d2 f1 g2 g3 g3s h1 hi1 hs1".split(" "),
  ..."i2 i3 m1 m2 m3 m4 p2 p3 r3 r4 t1 t2 x1 x1e".split(" "),
]);

/** Bare-metal sizes of Xen families that are built on Nitro (limits.go: Hypervisor "", IsBareMetal). */
const NITRO_METAL_IN_XEN_FAMILIES: ReadonlySet<string> = new Set(["i3.metal"]);

/** Nitro types outside the t family that limits.go marks `IsTrunkingCompatible: false`. */
const NITRO_WITHOUT_TRUNKING = new Set(["i4i.large", "u-6tb1.56xlarge", "u-6tb1.112xlarge"]);

/** `m7i-flex.large` → `["m7i-flex", "large"]`; undefined when the text is not `<family>.<size>`. */
export function splitInstanceType(type: string): [family: string, size: string] | undefined {
  const match = /^([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/.exec(type);
  return match ? [match[1], match[2]] : undefined;
}

/** Whether a type is Nitro-based; an unlisted family is, as every family since 2018 has been. */
export function isNitroInstanceType(type: string): boolean {
  const parts = splitInstanceType(type);
  if (!parts) return false;
  return !XEN_FAMILIES.has(parts[0]) || NITRO_METAL_IN_XEN_FAMILIES.has(type);
}

/** Nitro, not t, trunking; types limits.go lacks pass (if wrong, pods stay Pending, not open). */
export function supportsPodSecurityGroups(type: string): boolean {
  const parts = splitInstanceType(type);
  if (!parts || !isNitroInstanceType(type)) return false;
  return !/^t\d/.test(parts[0]) && !NITRO_WITHOUT_TRUNKING.has(type);
}

/** For the cluster role (not an IRSA role): lets EKS manage the trunk and branch interfaces. */
export function vpcResourceControllerPolicyArn(partition: string): string {
  if (!/^aws(-[a-z]+)*$/.test(partition)) {
    throw new Error(
      `not an AWS partition: ${JSON.stringify(partition)}; use aws, aws-cn or aws-us-gov`,
    );
  }
  return `arn:${partition}:iam::aws:policy/AmazonEKSVPCResourceController`;
}

const list = (items: string[]) => optionList(items, "and");

/** Types where pods with their own security group would stay Pending: Xen, or no trunking. */
export function podSecurityGroupNodeProblems(instanceTypes: string[], at: string): string[] {
  const xen = instanceTypes.filter((t) => !isNitroInstanceType(t));
  const noTrunk = instanceTypes.filter(
    (t) => isNitroInstanceType(t) && !supportsPodSecurityGroups(t),
  );
  const reasons = [
    ...(xen.length ? [`${list(xen)} ${xen.length > 1 ? "are" : "is"} not Nitro-based`] : []),
    ...(noTrunk.length
      ? [`${list(noTrunk)} ${noTrunk.length > 1 ? "have" : "has"} no trunk network interface`]
      : []),
  ];
  return problemIf(
    reasons.length > 0,
    at,
    `${reasons.join(" and ")}, which security groups for pods need`,
    instanceTypes,
    "use Nitro types with trunking such as m6i.large, m7g.large or c7i.large (no t-family type has it)",
  );
}
