// A team's ResourceQuota and LimitRange specs and EKS access grants.
import { arnName } from "../access/irsa-policy";
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
 * LimitRange `spec`, defaults only, so the quota never refuses an unsized pod
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
 * Edit: workloads, Services, Secrets, no RBAC; view: read-only, no Secrets
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html).
 */
export const TEAM_ACCESS_POLICIES = {
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
} as const;

export type TeamAccessLevel = keyof typeof TEAM_ACCESS_POLICIES;

/** A team role's access entry and namespace-scoped policy association. */
export interface TeamAccessGrant {
  /** The role's name, not the team's: EKS keeps one entry per principal, updated on a move. */
  key: string;
  principalArn: string;
  level: TeamAccessLevel;
  policyArn: string;
  accessScope: { type: "namespace"; namespaces: string[] };
}

/** Every edit and view role of a team, scoped to exactly its namespaces. */
export function teamAccessGrants(spec: TeamSpec, partition: string): TeamAccessGrant[] {
  const namespaces = Object.keys(spec.namespaces);
  const grants = (level: TeamAccessLevel, arns: string[] = []) =>
    arns.map((principalArn): TeamAccessGrant => ({
      key: arnName(principalArn),
      principalArn,
      level,
      policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${TEAM_ACCESS_POLICIES[level]}`,
      accessScope: { type: "namespace", namespaces },
    }));
  return [...grants("edit", spec.editRoleArns), ...grants("view", spec.viewRoleArns)];
}
