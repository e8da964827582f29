import { InstanceType } from "@pulumi/aws/types/enums/ec2";
import { isOneOf } from "../problems";

/** CPU architectures as EKS AMI types name them. */
export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** From @pulumi/aws's `ec2.InstanceType`: a newer type is refused until a bump, not let through. */
const EC2_INSTANCE_TYPES: ReadonlySet<string> = new Set(Object.values(InstanceType));

/** True when EC2 offers the instance type (`m7i.large`; not `m7i.hyperlarge`). */
export const isInstanceTypeName = (type: string): boolean => EC2_INSTANCE_TYPES.has(type);

/**
 * Graviton: `a1`, or a `g` after the generation digit (m7g, c7gn, im4gn, g5g; not the x86 g5 or
 * g4dn). https://aws.amazon.com/ec2/graviton/
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+[a-z-]*g/.test(family) ? "arm64" : "x86_64";
}

/**
 * EC2 families EKS's NVIDIA AMIs support, per the EKS user guide's table of accelerated AMI
 * variants (https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html): AL2023
 * x86_64 NVIDIA and Bottlerocket x86_64 nvidia, then the arm64 ones (g5g; p6e-gb200 and
 * p6e-gb300 on AL2023 only). Not g4ad (AMD) nor inf/trn (Neuron).
 */
export const NVIDIA_GPU_FAMILIES = [
  "g4dn",
  "g5",
  "g6",
  "g6e",
  "g6f",
  "gr6",
  "gr6f",
  "g7e",
  "p3",
  "p3dn",
  "p4d",
  "p4de",
  "p5",
  "p5e",
  "p5en",
  "p6-b200",
  "p6-b300",
  "g5g",
  "p6e-gb200",
  "p6e-gb300",
] as const;

/** True for an instance type of a family in NVIDIA_GPU_FAMILIES (`g5.xlarge`; not `g4ad.xlarge`). */
export const isNvidiaGpuType = (type: string): boolean =>
  isOneOf(NVIDIA_GPU_FAMILIES, type.split(".")[0]);
