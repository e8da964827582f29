import { InstanceType } from "@pulumi/aws/types/enums/ec2";

/** CPU architecture of an EC2 instance type, as EKS AMI types name it. */
export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/**
 * Every EC2 instance type, from @pulumi/aws's `ec2.InstanceType` enum (generated from the AWS
 * provider's schema, node_modules/@pulumi/aws/types/enums/ec2/index.d.ts), not a hand-kept list.
 * It moves with @pulumi/aws: a type launched after the installed version is refused until the
 * package is bumped, which is a one-line change, rather than accepted unchecked.
 */
const EC2_INSTANCE_TYPES: ReadonlySet<string> = new Set(Object.values(InstanceType));

/** True when EC2 offers the instance type (`m7i.large`; not `m7i.hyperlarge`). */
export const isInstanceTypeName = (type: string): boolean => EC2_INSTANCE_TYPES.has(type);

/**
 * Graviton families carry a `g` in the suffix after the generation digit (m7g, c7gn, r8gd, t4g,
 * x2gd, im4gn, is4gen, g5g), plus the first-generation `a1`. x86 GPU families such as g5 or g4dn
 * have no `g` after the digit. https://aws.amazon.com/ec2/graviton/
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+[a-z-]*g/.test(family) ? "arm64" : "x86_64";
}
