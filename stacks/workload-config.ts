import { z } from "zod";
import type { GitOpsClusterFacts } from "../components/addons/argocd/argocd-cluster";
import { DEFAULT_STATEMENT_EFFECT } from "../components/access/irsa-policy";
import { WORKLOAD_IDENTITIES } from "../components/access/workload-role";
import type { MigrationSettings } from "./migration-config";

// `eks-blueprint:irsaRoles`: AWS access for teams from config, through IRSA or EKS Pod Identity
// (`identity: podIdentity`); values are WorkloadAccess's check (`workloadRoleProblems`).
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

/** The migration as Argo CD's apps read it (docs/gitops.md): weight with hostnames, singletons. */
export function migrationGitOpsFacts(m: MigrationSettings): GitOpsClusterFacts {
  return {
    ...(m.hostnames.length > 0 ? { weight: m.weight } : {}),
    singletons: Object.fromEntries(Object.entries(m.singletons).map(([n, s]) => [n, s.owned])),
  };
}
