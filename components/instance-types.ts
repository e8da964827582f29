/** CPU architecture of an EC2 instance type, as EKS AMI types name it. */
export type Architecture = "x86_64" | "arm64";

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

export const isInstanceTypeName = (type: string): boolean => INSTANCE_TYPE.test(type);

/**
 * Graviton families carry a `g` in the suffix after the generation digit (m7g, c7gn, r8gd, t4g,
 * x2gd, im4gn, is4gen, g5g), plus the first-generation `a1`. x86 GPU families such as g5 or g4dn
 * have no `g` after the digit. https://aws.amazon.com/ec2/graviton/
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+[a-z-]*g/.test(family) ? "arm64" : "x86_64";
}
