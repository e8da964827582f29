/** Per https://karpenter.sh/v1.14/concepts/nodepools/ and .../nodeclasses/ */
import { labelProblems } from "../../kubernetes-names";
import {
  AMI_FAMILIES,
  dataVolumeDevice,
  NODE_METADATA_OPTIONS,
  NodeTaint,
  KUBERNETES_TAINT_EFFECTS,
  TAINT_EFFECTS,
} from "../../compute/node-group-settings";
import {
  isIntegerIn,
  isOneOf,
  oneOfProblems,
  problem,
  isRecord,
  shortNameProblems,
  problemList,
  unknownFieldProblems,
} from "../../problems";

/** Karpenter's own discovery tag: on private subnets and the node security group. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";
export const discoveryTags = (clusterName: string): Record<string, string> => ({
  [DISCOVERY_TAG]: clusterName,
});

export interface KarpenterNodePoolSpec {
  /** @default "AL2023" */
  amiFamily?: "AL2023" | "Bottlerocket";
  /** AMI alias version; "latest" rolls via drift, so pin one in production. @default "latest" */
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

const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/;

/** Every field of a NodePool: the compiler keeps it whole, the check refuses any other key. */
const NODE_POOL_FIELDS: Record<keyof KarpenterNodePoolSpec, true> = {
  amiFamily: true,
  amiVersion: true,
  architectures: true,
  capacityTypes: true,
  instanceCategories: true,
  minGeneration: true,
  limits: true,
  diskSizeGiB: true,
  labels: true,
  taints: true,
  weight: true,
};

/** Every problem with one NodePool, keyed `<at>.<field>`. */
export function nodePoolProblems(p: KarpenterNodePoolSpec, at: string): string[] {
  const [out, add] = problemList([
    ...unknownFieldProblems(p, Object.keys(NODE_POOL_FIELDS), at),
    ...unknownFieldProblems(p.limits, ["cpu", "memory"], `${at}.limits`),
    ...(Array.isArray(p.taints) ? p.taints : []).flatMap((t, i) =>
      unknownFieldProblems(t, ["key", "value", "effect"], `${at}.taints[${i}]`),
    ),
  ]);
  type Key = keyof KarpenterNodePoolSpec;
  const list = (key: Key, ok: (x: unknown) => boolean, what: string, valid: string) => {
    const v = p[key];
    if (v !== undefined && !(Array.isArray(v) && v.length > 0 && v.every(ok))) {
      add(`${at}.${key}`, `not a list of ${what}`, v, valid);
    }
  };
  const subset = (key: Key, what: string, options: string[]) =>
    list(key, (x) => isOneOf(options, x), what, `list one or more of ${options.join(", ")}`);
  const whole = (key: Key, min: number, max: number, what: string, valid: string) => {
    if (p[key] !== undefined && !isIntegerIn(p[key], min, max)) {
      add(`${at}.${key}`, what, p[key], valid);
    }
  };
  if (p.amiFamily !== undefined) {
    out.push(...oneOfProblems(p.amiFamily, AMI_FAMILIES, `${at}.amiFamily`, "AMI family"));
  }
  subset("architectures", "architectures", ["amd64", "arm64"]);
  subset("capacityTypes", "capacity types", ["spot", "on-demand"]);
  list(
    "instanceCategories",
    (c) => /^[a-z]+$/.test(String(c)),
    "instance categories",
    "list lowercase letters such as c, m, r",
  );
  whole("minGeneration", 1, 100, "not an instance generation", "use a whole number such as 5");
  const limits: unknown = p.limits;
  if (
    !isRecord(limits) ||
    typeof limits.cpu !== "string" ||
    typeof limits.memory !== "string" ||
    !QUANTITY.test(limits.cpu) ||
    !QUANTITY.test(limits.memory)
  ) {
    add(
      `${at}.limits`,
      "missing or not Kubernetes quantities",
      limits,
      'set limits.cpu and limits.memory (such as "100" and 400Gi) so the pool cannot grow without bound',
    );
  }
  whole("diskSizeGiB", 20, 16384, "not a root volume size", "use 20 to 16384 GiB");
  out.push(...labelProblems(p.labels, `${at}.labels`));
  (p.taints ?? []).forEach((t, i) => {
    if (!t || typeof t.key !== "string" || t.key === "" || !isOneOf(TAINT_EFFECTS, t.effect)) {
      add(
        `${at}.taints[${i}]`,
        "not a taint",
        t,
        "give a key and an effect: NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE",
      );
    }
  });
  whole("weight", 1, 100, "not a NodePool weight", "use a whole number from 1 to 100");
  return out;
}

/** Every problem with the NodePools map: at least one, short names, each pool's fields. */
export function nodePoolsProblems(
  pools: Record<string, KarpenterNodePoolSpec> | undefined,
  at: string,
): string[] {
  if (!isRecord(pools) || Object.keys(pools).length === 0) {
    return [
      problem(at, "no NodePools", pools, "declare at least one, or Karpenter launches nothing"),
    ];
  }
  return Object.entries(pools).flatMap(([name, p]) => {
    const bad = shortNameProblems(name, `${at}.${name}`, "NodePool name");
    return bad.length > 0 ? bad : nodePoolProblems(p, `${at}.${name}`);
  });
}

const requirement = (key: string, values: readonly string[], operator = "In") => ({
  key,
  operator,
  values: [...values],
});

export function nodePoolSpec(name: string, pool: KarpenterNodePoolSpec) {
  const p = withDefaults(pool);
  return {
    template: {
      metadata: { labels: { ...p.labels } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name },
        requirements: [
          requirement("kubernetes.io/arch", p.architectures),
          requirement("kubernetes.io/os", ["linux"]),
          requirement("karpenter.sh/capacity-type", p.capacityTypes),
          requirement("karpenter.k8s.aws/instance-category", p.instanceCategories),
          requirement("karpenter.k8s.aws/instance-generation", [String(p.minGeneration)], "Gt"),
        ],
        taints: (p.taints ?? []).map((t) => ({
          key: t.key,
          ...(t.value !== undefined ? { value: t.value } : {}),
          effect: KUBERNETES_TAINT_EFFECTS[t.effect],
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
    metadataOptions: { ...NODE_METADATA_OPTIONS, httpProtocolIPv6: "disabled" },
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
