import { SIDECAR } from "../addons/istio/istio";
import { quantityValue } from "./quantity";

// A team: namespaces (Pod Security, mesh, quota, limits, egress) and the IAM roles working there.

/** Pod Security levels below `restricted`, each only as a reasoned exception. */
export type PodSecurityException = "baseline" | "privileged";

/** A namespace's exception to Pod Security `restricted`. */
export interface TeamPodSecurityException {
  /** The level enforced instead of `restricted` (warn and audit stay at restricted). */
  level: PodSecurityException;
  /** Why its pods cannot run under `restricted`: which container needs what. Required. */
  reason: string;
}

/** A namespace's ResourceQuota: https://kubernetes.io/docs/concepts/policy/resource-quotas/ */
export interface TeamQuota {
  /** `requests.cpu`: CPU all pods together may request. @default "8" */
  cpu?: string;
  /** `requests.memory`: memory all pods together may request. @default "16Gi" */
  memory?: string;
  /**
   * `limits.memory`: the sum of the pods' memory limits. @default "32Gi"; in the mesh, room for
   * `pods` unsized pods with their sidecars (`meshMemoryLimit`)
   */
  memoryLimit?: string;
  /** `pods`: pods not yet finished. @default 50 */
  pods?: number;
  /** `persistentvolumeclaims`. @default 10 */
  persistentVolumeClaims?: number;
  /** `requests.storage`: storage all claims together may request. @default "500Gi" */
  storage?: string;
  /**
   * `services.loadbalancers`. @default 0: traffic enters through the Istio gateway and weighted
   * records; a team's own load balancer would bypass both, and no migration weight moves it.
   */
  loadBalancers?: number;
  /** `services.nodeports`. @default 0, for the same reason */
  nodePorts?: number;
}

/** Container defaults: https://kubernetes.io/docs/concepts/policy/limit-range/ */
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

/**
 * How far a live namespace's restrictions have come, one step per `pulumi up`: `observe` adds what
 * denies nothing new (Pod Security warns and audits only, the NetworkPolicies beside one allowing
 * all per direction, no quota or LimitRange) while the runbook observes its flows and usage;
 * `enforce` is any namespace's full set (docs/migration.md, "Restrictions on live namespaces").
 */
export const RESTRICTION_STAGES = ["observe", "enforce"] as const;
export type RestrictionStage = (typeof RESTRICTION_STAGES)[number];

/**
 * A namespace that ran before this stack owned it (a cluster in service): imported, never created
 * (creating an existing object fails), its restrictions staged.
 */
export interface TeamLiveNamespace {
  /** How far its restrictions have come. */
  stage: RestrictionStage;
  /**
   * Its Pod Security labels as the cluster has them (`kubectl get namespace <name> -o
   * jsonpath='{.metadata.labels}'`): `observe` keeps the level they enforce. @default {}: none,
   * which enforces `privileged`
   */
  labels?: Record<string, string>;
}

export interface TeamNamespaceSpec {
  /** The namespace already runs: imported, its restrictions staged. @default none: created */
  live?: TeamLiveNamespace;
  /** A reasoned exception to Pod Security `restricted`. @default none: `restricted` is enforced */
  podSecurity?: TeamPodSecurityException;
  /** Join the mesh (needs `addons.istio`; `addons.istioCni` too if `restricted`). @default false */
  mesh?: boolean;
  /** Quota, over the defaults field by field. @default TEAM_DEFAULTS.quota */
  quota?: TeamQuota;
  /** Container defaults, over the defaults field by field. @default TEAM_DEFAULTS.limits */
  limits?: TeamLimits;
  /**
   * TCP ports Prometheus may scrape on the namespace's pods (`allow-prometheus-scrape`); in the
   * mesh the sidecars' 15020 and 15090 too. @default none: nothing but the sidecars' is scraped
   */
  metricsPorts?: number[];
  /** Extra egress by short name (the NetworkPolicy is `allow-egress-<name>`). @default {} */
  egress?: Record<string, TeamEgressRule>;
}

export interface TeamSpec {
  /** The team's namespaces, by Kubernetes name. At least one. */
  namespaces: Record<string, TeamNamespaceSpec>;
  /** Roles given AmazonEKSEditPolicy on the team's namespaces only (pipelines). @default [] */
  editRoleArns?: string[];
  /** IAM roles given AmazonEKSViewPolicy on the team's namespaces (on-call, auditors). @default [] */
  viewRoleArns?: string[];
}

/**
 * The quota is a ceiling, not a reservation, far above one service's needs (size it per namespace):
 * it stops a namespace's runaway (an HPA at max, a Job loop) taking the pool. Containers then need
 * requests and memory limits, so the LimitRange gives a small request (unsized pods pack densely)
 * and a memory limit (a leak dies in its container, not the node); no CPU limit, which throttles
 * even on an idle node.
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

const MI = 2 ** 20;

/**
 * In the mesh every pod carries a sidecar with its own memory limit, which the quota counts: room
 * for `pods` pods of one unsized container each (the LimitRange's default limit) plus the sidecar.
 */
export function meshMemoryLimit(pods: number, defaultMemoryLimit: string): string | undefined {
  const [app, sidecar] = [quantityValue(defaultMemoryLimit), quantityValue(SIDECAR.memoryLimit)];
  if (app === undefined || sidecar === undefined) return undefined;
  return `${Math.ceil((pods * (app + sidecar)) / MI)}Mi`;
}

export function teamQuota(ns: TeamNamespaceSpec): Required<TeamQuota> {
  const q = { ...TEAM_DEFAULTS.quota, ...ns.quota };
  const meshed =
    ns.mesh === true && ns.quota?.memoryLimit === undefined
      ? meshMemoryLimit(q.pods, teamLimits(ns).defaultMemoryLimit)
      : undefined;
  return meshed ? { ...q, memoryLimit: meshed } : q;
}

export const teamLimits = (ns: TeamNamespaceSpec): Required<TeamLimits> => ({
  ...TEAM_DEFAULTS.limits,
  ...ns.limits,
});

/** Every team namespace, in declaration order. */
export const teamNamespaces = (teams: Record<string, TeamSpec> | undefined): string[] =>
  Object.values(teams ?? {}).flatMap((t) => Object.keys(t.namespaces ?? {}));
