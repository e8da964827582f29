import {
  ARCHITECTURES,
  architectureOf,
  isInstanceTypeName,
  isNvidiaGpuType,
  NVIDIA_GPU_FAMILIES,
} from "./instance-types";
import { isLabelKey, isLabelValue, LABEL_HINT, labelProblems } from "../kubernetes-names";
import { nodeGroupNameProblems } from "./node-group-identity";
import {
  NODE_GROUP_CHOICES,
  NODE_GROUP_DEFAULTS,
  NodeGroupSpec,
  NodeTaint,
  TAINT_EFFECTS,
} from "./node-group-settings";
import {
  isIntegerIn,
  keysOf,
  oneOfProblems,
  PathOf,
  problem,
  problemIf,
  shortNameProblems,
  under,
  isOneOf,
  problemList,
} from "../problems";

/** EKS and EC2 limits; gp3 takes up to 16,384 GiB, and below 20 the AMI and images do not fit. */
export const NODE_GROUP_LIMITS = { minDiskGiB: 20, maxDiskGiB: 16384, maxNodes: 10000 } as const;

function instanceTypeProblems(g: NodeGroupSpec, path: PathOf): string[] {
  const types = g.instanceTypes ?? [];
  if (types.length === 0) {
    return [problem(path("instanceTypes"), "no instance types", types, "list at least one")];
  }
  const [out, add] = problemList(
    types.flatMap((t, i) =>
      problemIf(
        !isInstanceTypeName(t),
        `${path("instanceTypes")}[${i}]`,
        "not an EC2 instance type",
        t,
        "use one EC2 offers, such as m7i.large or m7g.large (the list: @pulumi/aws ec2.InstanceType)",
      ),
    ),
  );
  const architecture = g.architecture ?? NODE_GROUP_DEFAULTS.architecture;
  const arm = architecture === "arm64";
  // An unknown architecture is its own problem; comparing types with it would add a false one.
  if (
    isOneOf(ARCHITECTURES, architecture) &&
    types.some((t) => architectureOf(t) !== architecture)
  ) {
    add(
      path("instanceTypes"),
      arm ? "not all arm64 (Graviton) for an arm64 AMI" : "not all x86_64 for an x86_64 AMI",
      types,
      arm
        ? "use Graviton types such as m7g.large or c7g.xlarge"
        : "use x86 types such as m7i.large, or set architecture: arm64 for Graviton",
    );
  }
  out.push(...gpuTypeProblems(g, types, path));
  if ((g.capacityType ?? NODE_GROUP_DEFAULTS.capacityType) === "SPOT" && types.length < 2) {
    add(
      path("instanceTypes"),
      "spot capacity from a single instance type",
      types,
      "list at least 2 types so one spot pool running dry does not stop the group",
    );
  }
  return out;
}

/** A GPU group of types without NVIDIA GPUs, or NVIDIA GPUs on an AMI without their driver. */
function gpuTypeProblems(g: NodeGroupSpec, types: string[], path: PathOf): string[] {
  const gpu = types.filter(isNvidiaGpuType);
  if (g.accelerator === "nvidia" && gpu.length < types.length) {
    const others = types.filter((t) => !isNvidiaGpuType(t));
    const fix = `use NVIDIA GPU types (families ${NVIDIA_GPU_FAMILIES.join(", ")}), such as g5.xlarge or g6.xlarge`;
    return [
      problem(
        path("instanceTypes"),
        "not all NVIDIA GPU types for accelerator: nvidia",
        others,
        fix,
      ),
    ];
  }
  if (g.accelerator === undefined && gpu.length > 0) {
    const fix =
      "set accelerator: nvidia (the standard AMI has no NVIDIA driver), or use non-GPU types";
    return [
      problem(
        path("instanceTypes"),
        "NVIDIA GPU types on an AMI without the NVIDIA driver",
        gpu,
        fix,
      ),
    ];
  }
  return [];
}

function sizeProblems(g: NodeGroupSpec, path: PathOf): string[] {
  const max = NODE_GROUP_LIMITS.maxNodes;
  const [out, add] = problemList();
  if (!isIntegerIn(g.minSize, 0, max)) {
    add(path("minSize"), "not a node count", g.minSize, `use an integer from 0 to ${max}`);
  }
  if (!isIntegerIn(g.maxSize, 1, max)) {
    add(
      path("maxSize"),
      "not a node count of at least 1",
      g.maxSize,
      `use an integer from 1 to ${max}; a group must be able to hold a node`,
    );
  }
  if (g.desiredSize !== undefined && !isIntegerIn(g.desiredSize, 0, max)) {
    add(path("desiredSize"), "not a node count", g.desiredSize, `use an integer from 0 to ${max}`);
  }
  if (out.length > 0) return out;
  if (g.minSize > g.maxSize) {
    add(path("minSize"), "above maxSize", g.minSize, `use at most maxSize (${g.maxSize})`);
  }
  if (g.desiredSize !== undefined && (g.desiredSize < g.minSize || g.desiredSize > g.maxSize)) {
    add(
      path("desiredSize"),
      "outside minSize..maxSize",
      g.desiredSize,
      `use ${g.minSize} to ${g.maxSize}, or leave it out to start at minSize`,
    );
  }
  return out;
}

function taintProblems(taints: readonly NodeTaint[], at: string): string[] {
  return taints.flatMap((t, i) => {
    const key = `${at}[${i}]`;
    const [out, add] = problemList();
    if (!isLabelKey(t.key) || (t.value !== undefined && !isLabelValue(t.value))) {
      add(key, "not a Kubernetes taint key and value", t, LABEL_HINT);
    }
    if (!isOneOf(TAINT_EFFECTS, t.effect)) {
      add(`${key}.effect`, "not an EKS taint effect", t.effect, `use ${TAINT_EFFECTS.join(", ")}`);
    }
    return out;
  });
}

/** One node group's problems, keyed `<at>.<field>`. */
export function nodeGroupProblems(g: NodeGroupSpec, at: string): string[] {
  const path = under(at);
  const { minDiskGiB, maxDiskGiB } = NODE_GROUP_LIMITS;
  return [
    ...keysOf(NODE_GROUP_CHOICES).flatMap((field) => {
      const { options, what, hint } = NODE_GROUP_CHOICES[field];
      return g[field] === undefined
        ? []
        : oneOfProblems(g[field], options, path(field), what, hint);
    }),
    ...instanceTypeProblems(g, path),
    ...sizeProblems(g, path),
    ...problemIf(
      g.diskSizeGiB !== undefined && !isIntegerIn(g.diskSizeGiB, minDiskGiB, maxDiskGiB),
      path("diskSizeGiB"),
      "not a usable disk size",
      g.diskSizeGiB,
      `use an integer from ${minDiskGiB} to ${maxDiskGiB} GiB`,
    ),
    ...labelProblems(g.labels, path("labels")),
    ...taintProblems(g.taints ?? [], path("taints")),
    ...(g.role === undefined ? [] : shortNameProblems(g.role, path("role"), "role")),
  ];
}

/** Blue/green: at most two groups share a `role`, and two only while exactly the old one drains. */
export function blueGreenProblems(
  groups: Record<string, Pick<NodeGroupSpec, "role" | "draining">>,
  at: string,
): string[] {
  const byRole = new Map<string, string[]>();
  for (const [name, g] of Object.entries(groups)) {
    const role = g.role ?? name;
    byRole.set(role, [...(byRole.get(role) ?? []), name]);
  }
  return [...byRole].flatMap(([role, names]) => {
    const draining = names.filter((n) => groups[n].draining);
    const key = `${at}.${names[names.length - 1]}`;
    if (names.length > 2) {
      const fix = "keep the old and the new generation only, then delete the old one";
      return [problem(`${key}.role`, `more than two groups with role ${role}`, names, fix)];
    }
    if (names.length === 2 && draining.length !== 1) {
      const what = `two groups with role ${role} but ${draining.length} draining`;
      const fix = "mark exactly the old group draining: true while its replacement takes over";
      return [problem(`${key}.draining`, what, names, fix)];
    }
    if (names.length === 1 && draining.length === 1) {
      const what = `the only group with role ${role} is draining`;
      const fix = "add its replacement with the same role first, or it strands the pods";
      return [problem(`${key}.draining`, what, names, fix)];
    }
    return [];
  });
}

/** Node groups' problems, keyed `<at>.<group>…`: at least one (Fargate runs no DaemonSet). */
export function nodeGroupsProblems(
  clusterName: string | undefined,
  groups: Record<string, NodeGroupSpec>,
  at: string,
): string[] {
  const fix = "declare at least one (DaemonSets such as Fluent Bit cannot run on Fargate)";
  if (Object.keys(groups).length === 0) return [problem(at, "no node groups", groups, fix)];
  return [
    ...Object.entries(groups).flatMap(([name, g]) => {
      const badName = shortNameProblems(name, `${at}.${name}`, "node group name");
      return [
        ...(badName.length > 0 || clusterName === undefined
          ? badName
          : nodeGroupNameProblems(clusterName, name, `${at}.${name}`)),
        ...nodeGroupProblems(g, `${at}.${name}`),
      ];
    }),
    ...blueGreenProblems(groups, at),
  ];
}
