/**
 * What a team is: its namespaces (each with its Pod Security level, mesh membership, quota, limit
 * range and extra egress) and the IAM roles that may work in them. The `Teams` component
 * (components/teams/teams.ts) builds it; the checks of one team's args live in team-problems.ts.
 */

/** Pod Security levels below `restricted`, each only as a reasoned exception. */
export type PodSecurityException = "baseline" | "privileged";

/** A namespace's exception to Pod Security `restricted`. */
export interface TeamPodSecurityException {
  /** The level enforced instead of `restricted` (warn and audit stay at restricted). */
  level: PodSecurityException;
  /** Why its pods cannot run under `restricted`: which container needs what. Required. */
  reason: string;
}

/**
 * ResourceQuota of one namespace (https://kubernetes.io/docs/concepts/policy/resource-quotas/).
 * Quantities are Kubernetes quantities (`8`, `500m`, `16Gi`).
 */
export interface TeamQuota {
  /** `requests.cpu`: CPU all pods together may request. @default "8" */
  cpu?: string;
  /** `requests.memory`: memory all pods together may request. @default "16Gi" */
  memory?: string;
  /** `limits.memory`: the sum of the pods' memory limits. @default "32Gi" */
  memoryLimit?: string;
  /** `pods`: pods not yet finished. @default 50 */
  pods?: number;
  /** `persistentvolumeclaims`. @default 10 */
  persistentVolumeClaims?: number;
  /** `requests.storage`: storage all claims together may request. @default "500Gi" */
  storage?: string;
  /**
   * `services.loadbalancers`. @default 0: public traffic enters through the Istio gateway and the
   * stack's weighted records; a team's own LoadBalancer Service would get a load balancer outside
   * both, which a migration weight never moves.
   */
  loadBalancers?: number;
  /** `services.nodeports`. @default 0, for the same reason */
  nodePorts?: number;
}

/**
 * LimitRange of one namespace: what a container gets when its spec says nothing
 * (https://kubernetes.io/docs/concepts/policy/limit-range/).
 */
export interface TeamLimits {
  /** CPU request of a container that sets none. @default "100m" */
  defaultCpuRequest?: string;
  /** Memory request of a container that sets none. @default "128Mi" */
  defaultMemoryRequest?: string;
  /** Memory limit of a container that sets none. @default "512Mi" */
  defaultMemoryLimit?: string;
}

/** Egress a namespace needs beyond the baseline, to addresses outside the cluster. */
export interface TeamEgressRule {
  /** IPv4 network the pods may reach, as `a.b.c.d/n` (`10.30.0.0/16`). */
  cidr: string;
  /** TCP (or `protocol`) ports on it. */
  ports: number[];
  /** @default "TCP" */
  protocol?: "TCP" | "UDP";
  /** Why the namespace needs it: shown in review, kept on the NetworkPolicy as an annotation. */
  reason: string;
}

export interface TeamNamespaceSpec {
  /**
   * An exception to Pod Security `restricted`: the level enforced instead, and why. Without a
   * reason it is refused. @default none: `restricted` is enforced
   */
  podSecurity?: TeamPodSecurityException;
  /**
   * Pods join the Istio mesh: the namespace gets the injection label and its pods may reach
   * istiod. Needs `addons.istio`, and `addons.istioCni` while `restricted`. @default false
   */
  mesh?: boolean;
  /** Quota, over the defaults field by field. @default TEAM_DEFAULTS.quota */
  quota?: TeamQuota;
  /** Container defaults, over the defaults field by field. @default TEAM_DEFAULTS.limits */
  limits?: TeamLimits;
  /** Extra egress by short name (the NetworkPolicy is `allow-egress-<name>`). @default {} */
  egress?: Record<string, TeamEgressRule>;
}

export interface TeamSpec {
  /** The team's namespaces, by Kubernetes name. At least one. */
  namespaces: Record<string, TeamNamespaceSpec>;
  /**
   * IAM roles given AmazonEKSEditPolicy on the team's namespaces, and nothing elsewhere: how the
   * team's pipelines deploy. @default []
   */
  editRoleArns?: string[];
  /** IAM roles given AmazonEKSViewPolicy on the team's namespaces (on-call, auditors). @default [] */
  viewRoleArns?: string[];
}

/**
 * Defaults for every team namespace. The quota is a ceiling, not a reservation: it stops one
 * namespace's runaway (an HPA at its maximum, a loop creating Jobs) from taking the whole
 * autoscaled pool, and is far above what one service needs; size it per namespace. Because the
 * quota sets `requests.*` and `limits.memory`, Kubernetes refuses a container that states
 * neither, so the LimitRange gives each one defaults: a small request, so unsized pods still
 * schedule densely, and a memory limit, so a leak is killed in its container rather than on the
 * node. No default CPU limit: a CPU limit throttles a pod even on an idle node, and the quota
 * counts only CPU requests.
 */
export const TEAM_DEFAULTS = {
  quota: {
    cpu: "8",
    memory: "16Gi",
    memoryLimit: "32Gi",
    pods: 50,
    persistentVolumeClaims: 10,
    storage: "500Gi",
    loadBalancers: 0,
    nodePorts: 0,
  },
  limits: { defaultCpuRequest: "100m", defaultMemoryRequest: "128Mi", defaultMemoryLimit: "512Mi" },
} as const satisfies { quota: Required<TeamQuota>; limits: Required<TeamLimits> };

/** A team namespace's quota with every default filled in. */
export const teamQuota = (ns: TeamNamespaceSpec): Required<TeamQuota> => ({
  ...TEAM_DEFAULTS.quota,
  ...ns.quota,
});

/** A team namespace's limits with every default filled in. */
export const teamLimits = (ns: TeamNamespaceSpec): Required<TeamLimits> => ({
  ...TEAM_DEFAULTS.limits,
  ...ns.limits,
});

/** Every namespace of every team, in declaration order. */
export const teamNamespaces = (teams: Record<string, TeamSpec> | undefined): string[] =>
  Object.values(teams ?? {}).flatMap((t) => Object.keys(t.namespaces ?? {}));
