/**
 * NodePool (karpenter.sh/v1) and EC2NodeClass (karpenter.k8s.aws/v1) specs from stack config.
 * Shapes follow the Karpenter v1.14 docs (https://karpenter.sh/v1.14/concepts/nodepools/ and
 * .../nodeclasses/). Each pool gets its own node class, named like it.
 */
import { labelProblems } from "../../kubernetes-names";
import {
  AMI_FAMILIES,
  dataVolumeDevice,
  NODE_METADATA_OPTIONS,
  NodeTaint,
  TAINT_EFFECTS,
} from "../../compute/node-group-settings";
import { isIntegerIn, isOneOf, oneOfProblems, problem, isRecord } from "../../problems";

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

/** The one place a NodePool's defaults live. */
const NODE_POOL_DEFAULTS = {
  amiFamily: "AL2023",
  amiVersion: "latest",
  architectures: ["amd64"],
  capacityTypes: ["on-demand"],
  instanceCategories: ["c", "m", "r"],
  minGeneration: 5,
  diskSizeGiB: 50,
} as const satisfies Partial<KarpenterNodePoolSpec>;

const withDefaults = (p: KarpenterNodePoolSpec) => ({ ...NODE_POOL_DEFAULTS, ...p });

/** NodePool names become Kubernetes object names and part of EventBridge rule names. */
const POOL_NAME = /^[a-z][a-z0-9-]{0,19}$/;
const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/;

/** Every subset of `options`, as a non-empty list. */
function listOfProblems(
  v: unknown,
  options: readonly string[],
  at: string,
  what: string,
): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) && v.length > 0 && v.every((x) => options.includes(x))
    ? []
    : [problem(at, `not a list of ${what}s`, v, `list one or more of ${options.join(", ")}`)];
}

/** Every problem with one NodePool, keyed `<at>.<field>`. */
export function nodePoolProblems(p: KarpenterNodePoolSpec, at: string): string[] {
  const out: string[] =
    p.amiFamily === undefined
      ? []
      : oneOfProblems(p.amiFamily, AMI_FAMILIES, `${at}.amiFamily`, "AMI family");
  out.push(
    ...listOfProblems(p.architectures, ["amd64", "arm64"], `${at}.architectures`, "architecture"),
  );
  out.push(
    ...listOfProblems(
      p.capacityTypes,
      ["spot", "on-demand"],
      `${at}.capacityTypes`,
      "capacity type",
    ),
  );
  if (
    p.instanceCategories !== undefined &&
    !(
      Array.isArray(p.instanceCategories) &&
      p.instanceCategories.length > 0 &&
      p.instanceCategories.every((c) => /^[a-z]+$/.test(c))
    )
  ) {
    out.push(
      problem(
        `${at}.instanceCategories`,
        "not a list of instance categories",
        p.instanceCategories,
        "list lowercase letters such as c, m, r",
      ),
    );
  }
  if (p.minGeneration !== undefined && !isIntegerIn(p.minGeneration, 1, 100)) {
    out.push(
      problem(
        `${at}.minGeneration`,
        "not an instance generation",
        p.minGeneration,
        "use a whole number such as 5",
      ),
    );
  }
  const limits: unknown = p.limits;
  if (
    !isRecord(limits) ||
    typeof limits.cpu !== "string" ||
    typeof limits.memory !== "string" ||
    !QUANTITY.test(limits.cpu) ||
    !QUANTITY.test(limits.memory)
  ) {
    out.push(
      problem(
        `${at}.limits`,
        "missing or not Kubernetes quantities",
        limits,
        'set limits.cpu and limits.memory (such as "100" and 400Gi) so the pool cannot grow without bound',
      ),
    );
  }
  if (p.diskSizeGiB !== undefined && !isIntegerIn(p.diskSizeGiB, 20, 16384)) {
    out.push(
      problem(`${at}.diskSizeGiB`, "not a root volume size", p.diskSizeGiB, "use 20 to 16384 GiB"),
    );
  }
  out.push(...labelProblems(p.labels, `${at}.labels`));
  (p.taints ?? []).forEach((t, i) => {
    if (!t || typeof t.key !== "string" || t.key === "" || !isOneOf(TAINT_EFFECTS, t.effect)) {
      out.push(
        problem(
          `${at}.taints[${i}]`,
          "not a taint",
          t,
          "give a key and an effect: NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE",
        ),
      );
    }
  });
  if (p.weight !== undefined && !isIntegerIn(p.weight, 1, 100)) {
    out.push(
      problem(
        `${at}.weight`,
        "not a NodePool weight",
        p.weight,
        "use a whole number from 1 to 100",
      ),
    );
  }
  return out;
}

/** Every problem with the NodePools map: at least one, short names, each pool's fields. */
export function nodePoolsProblems(pools: unknown, at: string): string[] {
  if (
    pools === null ||
    typeof pools !== "object" ||
    Array.isArray(pools) ||
    Object.keys(pools).length === 0
  ) {
    return [
      problem(at, "no NodePools", pools, "declare at least one, or Karpenter launches nothing"),
    ];
  }
  return Object.entries(pools).flatMap(([name, p]) =>
    POOL_NAME.test(name)
      ? nodePoolProblems(p, `${at}.${name}`)
      : [
          problem(
            `${at}.${name}`,
            "bad NodePool name",
            name,
            "use 1-20 characters: lowercase letters, digits and hyphens, starting with a letter",
          ),
        ],
  );
}

export function nodePoolSpec(name: string, pool: KarpenterNodePoolSpec) {
  const p = withDefaults(pool);
  return {
    template: {
      metadata: { labels: { ...p.labels } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name },
        requirements: [
          { key: "kubernetes.io/arch", operator: "In", values: [...p.architectures] },
          { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
          {
            key: "karpenter.sh/capacity-type",
            operator: "In",
            values: [...p.capacityTypes],
          },
          {
            key: "karpenter.k8s.aws/instance-category",
            operator: "In",
            values: [...p.instanceCategories],
          },
          {
            key: "karpenter.k8s.aws/instance-generation",
            operator: "Gt",
            values: [String(p.minGeneration)],
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
  pool: KarpenterNodePoolSpec,
  c: { clusterName: string; nodeRoleName: string; tags: Record<string, string> },
) {
  const p = withDefaults(pool);
  const family = p.amiFamily;
  return {
    role: c.nodeRoleName,
    amiSelectorTerms: [
      { alias: `${family === "AL2023" ? "al2023" : "bottlerocket"}@${p.amiVersion}` },
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
          volumeSize: `${p.diskSizeGiB}Gi`,
          volumeType: "gp3",
          encrypted: true,
          deleteOnTermination: true,
        },
      },
    ],
    tags: c.tags,
  };
}
