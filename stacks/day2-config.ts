/**
 * Day-2 stack config: autoscaler choice, Karpenter node pools, EFS, Container Insights,
 * metrics-server, workload namespaces, and the node-group blue/green checks. Every problem is
 * reported in the project's format (stacks/errors.ts) before any resource exists.
 */
import { z } from "zod";
import { configError, ConfigValidationError, zodProblems } from "./errors";
import { kubernetesLabelMap, namespaceName, shortName, shortNameHint } from "./validators";

export const DAY2_KEYS = {
  autoscaler: "eks-blueprint:autoscaler",
  karpenter: "eks-blueprint:karpenter",
  efs: "eks-blueprint:efs",
  containerInsights: "eks-blueprint:containerInsights",
  metricsServer: "eks-blueprint:metricsServer",
  workloadNamespaces: "eks-blueprint:workloadNamespaces",
} as const;

const enabled = z.boolean({ error: "not a boolean; use true or false" });
const quantity = z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, {
  error: "not a Kubernetes quantity; use a value such as 100 (CPUs) or 400Gi",
});

const nodePool = z.strictObject({
  amiFamily: z
    .enum(["AL2023", "Bottlerocket"], { error: "unknown AMI family; use AL2023 or Bottlerocket" })
    .default("AL2023"),
  amiVersion: z.string().min(1).default("latest"),
  architectures: z
    .array(z.enum(["amd64", "arm64"], { error: "unknown architecture; use amd64 or arm64" }))
    .min(1, { error: "no architectures; list amd64, arm64 or both" })
    .default(["amd64"]),
  capacityTypes: z
    .array(z.enum(["spot", "on-demand"], { error: "unknown capacity type; use spot or on-demand" }))
    .min(1, { error: "no capacity types; list spot, on-demand or both" })
    .default(["on-demand"]),
  instanceCategories: z
    .array(z.string().regex(/^[a-z]+$/))
    .min(1)
    .default(["c", "m", "r"]),
  minGeneration: z.number().int().min(1).default(5),
  limits: z.strictObject(
    { cpu: quantity, memory: quantity },
    {
      error: "no limits; set limits.cpu and limits.memory so the pool cannot grow without bound",
    },
  ),
  diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  labels: kubernetesLabelMap.default({}),
  taints: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        value: z.string().optional(),
        effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"], {
          error: "not a taint effect; use NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE",
        }),
      }),
    )
    .default([]),
  weight: z.number().int().min(1).max(100).optional(),
});

export const day2Schemas = {
  autoscaler: z
    .enum(["cluster-autoscaler", "karpenter"], {
      error: "unknown autoscaler; use cluster-autoscaler or karpenter",
    })
    .default("cluster-autoscaler"),
  karpenter: z
    .strictObject({
      nodePools: z
        .record(
          z.string().regex(shortName, { error: `bad NodePool name; ${shortNameHint}` }),
          nodePool,
        )
        .refine((p) => Object.keys(p).length > 0, {
          error: "no NodePools; declare at least one, or Karpenter launches nothing",
        }),
      controllerNodeSelector: kubernetesLabelMap.optional(),
    })
    .optional(),
  efs: z.strictObject({ enabled: enabled.default(false) }).default({ enabled: false }),
  containerInsights: z
    .strictObject({ enabled: enabled.default(false) })
    .default({ enabled: false }),
  metricsServer: z
    .strictObject({
      enabled: enabled.default(true),
      replicas: z.number().int().min(1).max(10).default(2),
    })
    .default({ enabled: true, replicas: 2 }),
  workloadNamespaces: z
    .array(namespaceName)
    .refine((n) => new Set(n).size === n.length, {
      error: "duplicate namespaces; list each once",
    })
    .default([]),
} as const;

type Day2Key = keyof typeof day2Schemas;
export type Day2Config = { [K in Day2Key]: z.infer<(typeof day2Schemas)[K]> };

/** What the cross-checks need from the rest of the stack config. */
/**
 * The Kubernetes version is not checked here: the stack schema accepts only the minors the
 * catalog pins (its table is typed by them), and CoreAddons refuses any other for library users.
 */
export interface Day2Context {
  /** Whether `eks-blueprint:addons.clusterAutoscaler.enabled` is on. */
  clusterAutoscalerAddon: boolean;
  /** Node groups as declared (for the blue/green checks). */
  nodeGroups?: Record<string, BlueGreenGroup>;
}

/** The two node-group fields the blue/green step adds to `eks-blueprint:nodeGroups.<name>`. */
export interface BlueGreenGroup {
  /** Groups with the same role are one pool in two generations. @default the group's name */
  role?: string;
  /** The old generation: tainted NoSchedule so its pods move to the new group. @default false */
  draining?: boolean;
}

/** The taint a draining group gets: nothing new lands there, running pods are evicted by the drain. */
export { DRAINING_TAINT } from "../components/node-group-settings";

/** Blue/green rules: at most two groups per role; two only while one of them drains. */
export function blueGreenProblems(groups: Record<string, BlueGreenGroup>): string[] {
  const byRole = new Map<string, string[]>();
  for (const [name, g] of Object.entries(groups)) {
    const role = g.role ?? name;
    byRole.set(role, [...(byRole.get(role) ?? []), name]);
  }
  const problems: string[] = [];
  for (const [role, names] of byRole) {
    const draining = names.filter((n) => groups[n].draining);
    const key = `eks-blueprint:nodeGroups.${names[names.length - 1]}`;
    if (names.length > 2) {
      problems.push(
        configError(
          `${key}.role`,
          `more than two groups with role ${role}`,
          names,
          "keep the old and the new generation only, then delete the old one",
        ),
      );
    } else if (names.length === 2 && draining.length !== 1) {
      problems.push(
        configError(
          `${key}.draining`,
          `two groups with role ${role} but ${draining.length} draining`,
          names,
          "mark exactly the old group draining: true while its replacement takes over",
        ),
      );
    } else if (names.length === 1 && draining.length === 1) {
      problems.push(
        configError(
          `${key}.draining`,
          `the only group with role ${role} is draining`,
          names,
          "add its replacement with the same role first, or it strands the pods",
        ),
      );
    }
  }
  return problems;
}

/** Validates the day-2 keys and their cross-checks; returns config or every problem found. */
export function parseDay2Config(
  get: (key: string) => string | undefined,
  ctx: Day2Context,
): { config: Day2Config; problems: [] } | { config?: undefined; problems: string[] } {
  const problems: string[] = [];
  const out: Partial<Record<Day2Key, unknown>> = {};
  for (const key of Object.keys(day2Schemas) as Day2Key[]) {
    const text = get(DAY2_KEYS[key]);
    let raw: unknown = text;
    if (text !== undefined && key !== "autoscaler") {
      try {
        raw = JSON.parse(text);
      } catch {
        problems.push(
          configError(
            DAY2_KEYS[key],
            "not valid JSON/YAML",
            text,
            "see the stack config table in README.md",
          ),
        );
        continue;
      }
    }
    const parsed = day2Schemas[key].safeParse(raw);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(...zodProblems(DAY2_KEYS[key], raw, parsed.error));
  }
  const c = out as Day2Config;
  if (c.autoscaler === "karpenter") {
    if (ctx.clusterAutoscalerAddon) {
      problems.push(
        configError(
          "eks-blueprint:addons.clusterAutoscaler.enabled",
          "cluster-autoscaler is on while eks-blueprint:autoscaler is karpenter",
          true,
          "both would manage the same nodes; turn clusterAutoscaler off or set autoscaler to cluster-autoscaler",
        ),
      );
    }
    if (out.karpenter === undefined && problems.length === 0) {
      problems.push(
        configError(
          DAY2_KEYS.karpenter,
          "missing while eks-blueprint:autoscaler is karpenter",
          undefined,
          "declare karpenter.nodePools with at least one NodePool",
        ),
      );
    }
  } else if (c.karpenter !== undefined) {
    problems.push(
      configError(
        DAY2_KEYS.karpenter,
        `set while eks-blueprint:autoscaler is ${c.autoscaler ?? "cluster-autoscaler"}`,
        Object.keys(c.karpenter.nodePools),
        "set eks-blueprint:autoscaler to karpenter, or remove the karpenter block",
      ),
    );
  }
  problems.push(...blueGreenProblems(ctx.nodeGroups ?? {}));
  return problems.length > 0 ? { problems } : { config: c, problems: [] };
}

/** Same, throwing one ConfigValidationError before any resource is registered. */
export function loadDay2Config(
  get: (key: string) => string | undefined,
  ctx: Day2Context,
): Day2Config {
  const r = parseDay2Config(get, ctx);
  if (r.config === undefined) throw new ConfigValidationError(r.problems);
  return r.config;
}
