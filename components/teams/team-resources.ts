/**
 * Pure builders for what a team gets besides its namespaces and network policies: the
 * ResourceQuota and LimitRange specs of each namespace and its EKS access policy associations.
 */
import { roleNameOf } from "../cluster/cluster-settings";
import { TeamLimits, TeamQuota, TeamSpec } from "./team-settings";

/** ResourceQuota `spec` (https://kubernetes.io/docs/concepts/policy/resource-quotas/). */
export function resourceQuotaSpec(q: Required<TeamQuota>) {
  return {
    hard: {
      "limits.memory": q.memoryLimit,
      persistentvolumeclaims: String(q.persistentVolumeClaims),
      pods: String(q.pods),
      "requests.cpu": q.cpu,
      "requests.memory": q.memory,
      "requests.storage": q.storage,
      "services.loadbalancers": String(q.loadBalancers),
      "services.nodeports": String(q.nodePorts),
    },
  };
}

/**
 * LimitRange `spec` with container defaults only, no min or max: it fills in what a container
 * leaves out, so the quota's `requests.*` and `limits.memory` never refuse an unsized pod
 * (https://kubernetes.io/docs/concepts/policy/limit-range/).
 */
export function limitRangeSpec(l: Required<TeamLimits>) {
  return {
    limits: [
      {
        type: "Container",
        default: { memory: l.defaultMemoryLimit },
        defaultRequest: { cpu: l.defaultCpuRequest, memory: l.defaultMemoryRequest },
      },
    ],
  };
}

/**
 * EKS access policies a team's roles get, by the field that grants them
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html): edit is
 * the namespaced `edit` ClusterRole (workloads, Services, Secrets, no RBAC), view is read-only
 * without Secrets.
 */
export const TEAM_ACCESS_POLICIES = {
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
} as const;

export type TeamAccessLevel = keyof typeof TEAM_ACCESS_POLICIES;

/** One team role's access entry and its one namespace-scoped policy association. */
export interface TeamAccessGrant {
  /**
   * Logical-name key: the role's name. Not the team's: EKS keeps one access entry per principal,
   * so a role moving between teams must update its entry, not create a second one.
   */
  key: string;
  principalArn: string;
  level: TeamAccessLevel;
  policyArn: string;
  accessScope: { type: "namespace"; namespaces: string[] };
}

/** The grants of one team: every edit and view role, scoped to exactly the team's namespaces. */
export function teamAccessGrants(spec: TeamSpec, partition: string): TeamAccessGrant[] {
  const namespaces = Object.keys(spec.namespaces);
  const grants = (level: TeamAccessLevel, arns: string[] = []) =>
    arns.map((principalArn): TeamAccessGrant => ({
      key: roleNameOf(principalArn),
      principalArn,
      level,
      policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${TEAM_ACCESS_POLICIES[level]}`,
      accessScope: { type: "namespace", namespaces },
    }));
  return [...grants("edit", spec.editRoleArns), ...grants("view", spec.viewRoleArns)];
}
