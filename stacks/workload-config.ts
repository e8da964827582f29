import { z } from "zod";
import type { GitOpsClusterFacts } from "../components/addons/argocd/argocd-cluster";
import { DEFAULT_STATEMENT_EFFECT } from "../components/access/irsa-policy";
import { WORKLOAD_IDENTITIES } from "../components/access/workload-role";
import type { MigrationSettings } from "./migration-config";

/**
 * The shape of `eks-blueprint:irsaRoles`: application teams get AWS access from stack config,
 * without code, through IRSA or (`identity: podIdentity`) EKS Pod Identity. What the values may
 * be is WorkloadAccess's own check (`workloadRoleProblems`), run by the stack through
 * `blueprintProblems` with config keys.
 */
const statement = z.strictObject({
  effect: z
    .enum(["Allow", "Deny"], { error: "not an IAM effect; use Allow or Deny" })
    .default(DEFAULT_STATEMENT_EFFECT),
  actions: z.array(z.string()),
  resources: z.array(z.string()),
});

export const irsaRolesSchema = z.record(
  z.string(),
  z.strictObject({
    namespace: z.string(),
    serviceAccount: z.string(),
    managedPolicyArns: z.array(z.string()).optional(),
    statements: z.array(statement).optional(),
    singleton: z.string().optional(),
    identity: z
      .enum(WORKLOAD_IDENTITIES, { error: "not a workload identity; use irsa or podIdentity" })
      .optional(),
    roleArn: z.string().optional(),
  }),
);

/**
 * What Argo CD's applications read of the migration: this cluster's weight (when it serves
 * shared hostnames) and which singletons it runs (docs/gitops.md).
 */
export function migrationGitOpsFacts(m: MigrationSettings): GitOpsClusterFacts {
  return {
    ...(m.hostnames.length > 0 ? { weight: m.weight } : {}),
    singletons: Object.fromEntries(Object.entries(m.singletons).map(([n, s]) => [n, s.owned])),
  };
}
