/**
 * NodePool (karpenter.sh/v1) and EC2NodeClass (karpenter.k8s.aws/v1) specs from stack config.
 * Shapes follow the Karpenter v1.14 docs (https://karpenter.sh/v1.14/concepts/nodepools/ and
 * .../nodeclasses/). Each pool gets its own node class, named like it.
 */
import { dataVolumeDevice, NODE_METADATA_OPTIONS, NodeTaint } from "../node-group-settings";

/** Karpenter's own discovery tag: on private subnets and the node security group. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";
export const discoveryTags = (clusterName: string): Record<string, string> => ({
  [DISCOVERY_TAG]: clusterName,
});

export interface KarpenterNodePoolSpec {
  /** @default "AL2023" */
  amiFamily?: "AL2023" | "Bottlerocket";
  /**
   * AMI version in Karpenter's alias (`al2023@<version>`). "latest" follows new AMIs, which
   * Karpenter then rolls out through drift: pin a version in production to roll on purpose.
   * @default "latest"
   */
  amiVersion?: string;
  /** Kubernetes architectures. @default ["amd64"] */
  architectures?: ("amd64" | "arm64")[];
  /** @default ["on-demand"] */
  capacityTypes?: ("spot" | "on-demand")[];
  /** EC2 instance categories. @default ["c", "m", "r"] */
  instanceCategories?: string[];
  /** Only instance generations above this. @default 5 */
  minGeneration?: number;
  /** Most the pool may hold in total: Kubernetes quantities, for example { cpu: "200", memory: "800Gi" }. */
  limits: {
    /** Total CPUs, for example "200". */
    cpu: string;
    /** Total memory, for example "800Gi". */
    memory: string;
  };
  /** @default 50 */
  diskSizeGiB?: number;
  /** Node labels. @default none */
  labels?: Record<string, string>;
  /** Node taints, in the EKS form the node-group config uses. @default none */
  taints?: NodeTaint[];
  /** Higher weight pools are tried first. @default none */
  weight?: number;
}

const EFFECTS = {
  NO_SCHEDULE: "NoSchedule",
  NO_EXECUTE: "NoExecute",
  PREFER_NO_SCHEDULE: "PreferNoSchedule",
} as const;

export function nodePoolSpec(name: string, p: KarpenterNodePoolSpec) {
  return {
    template: {
      metadata: { labels: { ...p.labels } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name },
        requirements: [
          { key: "kubernetes.io/arch", operator: "In", values: p.architectures ?? ["amd64"] },
          { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
          {
            key: "karpenter.sh/capacity-type",
            operator: "In",
            values: p.capacityTypes ?? ["on-demand"],
          },
          {
            key: "karpenter.k8s.aws/instance-category",
            operator: "In",
            values: p.instanceCategories ?? ["c", "m", "r"],
          },
          {
            key: "karpenter.k8s.aws/instance-generation",
            operator: "Gt",
            values: [String(p.minGeneration ?? 5)],
          },
        ],
        taints: (p.taints ?? []).map((t) => ({
          key: t.key,
          ...(t.value !== undefined ? { value: t.value } : {}),
          effect: EFFECTS[t.effect],
        })),
        // Nodes are replaced at least monthly, so AMI patches land even without drift.
        expireAfter: "720h",
      },
    },
    limits: { cpu: p.limits.cpu, memory: p.limits.memory },
    disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m" },
    ...(p.weight !== undefined ? { weight: p.weight } : {}),
  };
}

export function ec2NodeClassSpec(
  p: KarpenterNodePoolSpec,
  c: { clusterName: string; nodeRoleName: string; tags: Record<string, string> },
) {
  const family = p.amiFamily ?? "AL2023";
  return {
    role: c.nodeRoleName,
    amiSelectorTerms: [
      { alias: `${family === "AL2023" ? "al2023" : "bottlerocket"}@${p.amiVersion ?? "latest"}` },
    ],
    subnetSelectorTerms: [{ tags: discoveryTags(c.clusterName) }],
    securityGroupSelectorTerms: [{ tags: discoveryTags(c.clusterName) }],
    // Same as our managed groups: IMDSv2 only, one hop, so pods cannot borrow the node role.
    metadataOptions: {
      httpEndpoint: NODE_METADATA_OPTIONS.httpEndpoint,
      httpTokens: NODE_METADATA_OPTIONS.httpTokens,
      httpPutResponseHopLimit: NODE_METADATA_OPTIONS.httpPutResponseHopLimit,
      httpProtocolIPv6: "disabled",
    },
    blockDeviceMappings: [
      {
        deviceName: dataVolumeDevice(family),
        ebs: {
          volumeSize: `${p.diskSizeGiB ?? 50}Gi`,
          volumeType: "gp3",
          encrypted: true,
          deleteOnTermination: true,
        },
      },
    ],
    tags: c.tags,
  };
}
