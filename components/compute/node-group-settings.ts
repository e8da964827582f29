import { ARCHITECTURES, type Architecture } from "./instance-types";

export const AMI_FAMILIES = ["AL2023", "Bottlerocket"] as const;
export type AmiFamily = (typeof AMI_FAMILIES)[number];
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

/** Each EKS taint effect (the managed node group API) as Kubernetes writes it. */
export const KUBERNETES_TAINT_EFFECTS: Record<TaintEffect, string> = {
  NO_SCHEDULE: "NoSchedule",
  NO_EXECUTE: "NoExecute",
  PREFER_NO_SCHEDULE: "PreferNoSchedule",
};
export const ACCELERATORS = ["nvidia"] as const;
export type Accelerator = (typeof ACCELERATORS)[number];

/** Fields taking one of a list, in the words their problems use. */
export const NODE_GROUP_CHOICES = {
  amiFamily: { options: AMI_FAMILIES, what: "AMI family", hint: "" },
  architecture: { options: ARCHITECTURES, what: "architecture", hint: " (Graviton)" },
  capacityType: { options: CAPACITY_TYPES, what: "capacity type", hint: "" },
  accelerator: { options: ACCELERATORS, what: "accelerator", hint: " (NVIDIA GPUs)" },
} as const;

export interface NodeTaint {
  /** Taint key, for example `capacity`. */
  key: string;
  /** Taint value. @default none: the taint has a key only */
  value?: string;
  /** What happens to pods that do not tolerate the taint. */
  effect: TaintEffect;
}

/** One managed node group. */
export interface NodeGroupSpec {
  /** Operating system of the EKS-optimized AMI. @default "AL2023" */
  amiFamily?: AmiFamily;
  /** CPU architecture; must match every instance type (arm64 = Graviton). @default "x86_64" */
  architecture?: Architecture;
  /**
   * GPUs: the family's NVIDIA AMI and the GPU_TAINT, so only pods that tolerate it land there; on
   * AL2023, EksBlueprint installs the NVIDIA device plugin (Bottlerocket's NVIDIA variants run
   * their own). @default none
   */
  accelerator?: Accelerator;
  /** Instance types; spot groups list several, so one pool running dry does not stop scaling. */
  instanceTypes: string[];
  /** On-demand or spot capacity. @default "ON_DEMAND" */
  capacityType?: CapacityType;
  /** Fewest nodes the group scales down to; 0 lets an idle group cost nothing. */
  minSize: number;
  /** Most nodes the group scales up to; at least 1. */
  maxSize: number;
  /** Initial size; the cluster autoscaler owns it afterwards. @default minSize */
  desiredSize?: number;
  /** Size of the encrypted gp3 volume that holds images and pod storage, in GiB. @default 50 */
  diskSizeGiB?: number;
  /** Kubernetes node labels. @default none */
  labels?: Record<string, string>;
  /** Kubernetes node taints. @default none */
  taints?: NodeTaint[];
  /** Groups sharing a role are one pool in two generations (blue/green). @default the group's name */
  role?: string;
  /** The old generation during a replacement: tainted so nothing new lands there. @default false */
  draining?: boolean;
  /** A group that runs already, kept as deployed so an update rolls none of its nodes. @default none */
  deployed?: DeployedNodeGroup;
}

/**
 * What a running group was created with, where today's defaults differ: a new name or new instance
 * tags would replace the group or roll its nodes. Drop it in a deliberate blue/green step.
 */
export interface DeployedNodeGroup {
  /**
   * Its EKS name (`aws eks list-nodegroups`). Fixed: a change that replaces the group then fails as
   * a duplicate name, so replace it with a new group (`role`, `draining`) instead.
   */
  name: string;
  /** Instance and volume tags its launch template carries besides Name and the cluster's. @default {} */
  instanceTags?: Record<string, string>;
}

/** Nothing new lands on a draining group; `kubectl drain` moves what runs. */
export const DRAINING_TAINT = {
  key: "eks-blueprint/draining",
  value: "true",
  effect: "NO_SCHEDULE",
} as const;

export const NODE_GROUP_DEFAULTS = {
  amiFamily: "AL2023",
  architecture: "x86_64",
  capacityType: "ON_DEMAND",
  diskSizeGiB: 50,
} as const;

/**
 * Only GPU workloads on GPU nodes: pods must tolerate it (the device plugin's chart does,
 * values.yaml `tolerations`). EKS taints every node of the group, and cluster-autoscaler reads the
 * taint of a zero-sized group from eks:DescribeNodegroup (aws_manager.go, buildNodeFromTemplate).
 */
export const GPU_TAINT = { key: "nvidia.com/gpu", effect: "NO_SCHEDULE" } as const;

/**
 * On every GPU node: cluster-autoscaler's AWS GPU label (cloudprovider/aws/aws_cloud_provider.go,
 * GPULabel). A node with it but no allocatable `nvidia.com/gpu` yet counts as not ready
 * (utils/gpu), so while the plugin starts the autoscaler waits instead of adding another node.
 * The value names a GPU type only for `--gpu-total` limits, which we do not set.
 */
export const AUTOSCALER_GPU_LABEL = { "k8s.amazonaws.com/accelerator": "nvidia" } as const;

/**
 * On AL2023 GPU nodes: the device plugin chart's default node affinity matches this label (its
 * values.yaml, "a GPU deployment to be forced"), so the plugin runs there and nowhere else.
 */
export const DEVICE_PLUGIN_LABEL = { "nvidia.com/gpu.present": "true" } as const;

/** https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html (amiType). */
const AMI_TYPES: Record<AmiFamily, Record<Architecture, Record<Accelerator | "none", string>>> = {
  AL2023: {
    x86_64: { none: "AL2023_x86_64_STANDARD", nvidia: "AL2023_x86_64_NVIDIA" },
    arm64: { none: "AL2023_ARM_64_STANDARD", nvidia: "AL2023_ARM_64_NVIDIA" },
  },
  Bottlerocket: {
    x86_64: { none: "BOTTLEROCKET_x86_64", nvidia: "BOTTLEROCKET_x86_64_NVIDIA" },
    arm64: { none: "BOTTLEROCKET_ARM_64", nvidia: "BOTTLEROCKET_ARM_64_NVIDIA" },
  },
};

export const amiTypeFor = (
  family: AmiFamily,
  architecture: Architecture,
  accelerator?: Accelerator,
): string => AMI_TYPES[family][architecture][accelerator ?? "none"];

/** The labels EKS puts on the group's nodes: its own, then the GPU ones we own. */
export const nodeLabels = (
  g: Pick<NodeGroupSpec, "accelerator" | "amiFamily" | "labels">,
): Record<string, string> => ({
  ...g.labels,
  ...(g.accelerator ? AUTOSCALER_GPU_LABEL : {}),
  ...(needsDevicePlugin(g) ? DEVICE_PLUGIN_LABEL : {}),
});

/**
 * Whether the group's nodes need the NVIDIA device plugin installed: AL2023 GPU groups; the
 * Bottlerocket NVIDIA AMIs include it (https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html).
 */
export const needsDevicePlugin = (g: Pick<NodeGroupSpec, "accelerator" | "amiFamily">): boolean =>
  g.accelerator === "nvidia" && (g.amiFamily ?? NODE_GROUP_DEFAULTS.amiFamily) === "AL2023";

// IMDSv2, hop limit 1: pods (a hop away) cannot borrow the node role from instance metadata.
// https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
export const NODE_METADATA_OPTIONS = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 1,
} as const;

/** The big volume goes where images live: Bottlerocket's data volume, AL2023's one root volume. */
export const dataVolumeDevice = (family: AmiFamily): string =>
  family === "Bottlerocket" ? "/dev/xvdb" : "/dev/xvda";

export function launchTemplateBlockDevice(family: AmiFamily, sizeGiB: number) {
  return {
    deviceName: dataVolumeDevice(family),
    ebs: { volumeSize: sizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
  };
}
