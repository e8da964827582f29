import { fargatePatternMatches, FargateSelector } from "../compute/fargate";
import { podIdentityRoleProblems } from "./pod-identity-role";
import { problemIf, under, isOneOf, problemList } from "../problems";
import type { StatementSpec } from "./irsa-policy";

/** How a workload's pods get the role: IRSA (web identity) or EKS Pod Identity. */
export const WORKLOAD_IDENTITIES = ["irsa", "podIdentity"] as const;
export type WorkloadIdentity = (typeof WORKLOAD_IDENTITIES)[number];

/**
 * IRSA: a Pod Identity default would replace existing roles (dropping their services' annotation),
 * Fargate supports only IRSA, and it needs no node agent. Services moving between clusters suit
 * `podIdentity`: no OIDC issuer in its trust, no role on its service account (docs/gitops.md).
 */
export const DEFAULT_WORKLOAD_IDENTITY: WorkloadIdentity = "irsa";

/** A role for an application's service account, declared in stack config. */
export interface WorkloadRoleSpec {
  /** Namespace of the workload's service account. */
  namespace: string;
  /** Name of the service account that may assume the role. */
  serviceAccount: string;
  /** @default [] */
  managedPolicyArns?: string[];
  /** @default [] */
  statements?: StatementSpec[];
  /** The singleton workload this role serves; tagged so the coexistence check sees it. @default none */
  singleton?: string;
  /**
   * `podIdentity` (an association; a created role trusts only this cluster) or `irsa` (trusted by
   * the cluster's OIDC provider). @default "irsa" (DEFAULT_WORKLOAD_IDENTITY)
   */
  identity?: WorkloadIdentity;
  /**
   * An existing role to associate (`podIdentity` only), owned with its trust outside both stacks.
   * @default none: the role `<clusterName>-<name>` is created
   */
  roleArn?: string;
}

/** Whether any role uses EKS Pod Identity, and so needs the pod identity agent on the nodes. */
export const usesPodIdentity = (roles: Record<string, WorkloadRoleSpec> = {}): boolean =>
  Object.values(roles).some((r) => r.identity === "podIdentity");

/**
 * Pod Identity roles whose pods all run on Fargate, which lacks it; keyed `<at>.<role>.identity`
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html#pod-id-considerations).
 */
export function podIdentityFargateProblems(
  roles: Record<string, WorkloadRoleSpec>,
  profiles: Record<string, { selectors: FargateSelector[] }>,
  paths: { at: string; profilesAt: string },
): string[] {
  return Object.entries(roles).flatMap(([role, r]) => {
    if (r.identity !== "podIdentity") return [];
    const on = Object.entries(profiles)
      .filter(([, p]) =>
        p.selectors.some(
          (s) =>
            Object.keys(s.labels ?? {}).length === 0 &&
            fargatePatternMatches(s.namespace, r.namespace),
        ),
      )
      .map(([n]) => `${paths.profilesAt}.${n}`);
    return problemIf(
      on.length > 0,
      `${paths.at}.${role}.identity`,
      `podIdentity, but every pod of namespace ${r.namespace} runs on Fargate (${on.join(", ")}), which Pod Identity does not support`,
      r.identity,
      "use irsa for Fargate pods",
    );
  });
}

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const RESOURCE_ARN = /^arn:aws[a-z-]*:.+$/;

/** A role's problems, keyed `<at>.<field>`: IrsaRole's, and statements' actions and ARNs. */
export function workloadRoleProblems(spec: WorkloadRoleSpec, at: string): string[] {
  const path = under(at);
  const statements = spec.statements ?? [];
  // An existing role's permissions are its owner's: say which of ours would not apply, once.
  const [out, add] = problemList(
    podIdentityRoleProblems(
      {
        ...spec,
        managedPolicyArns: spec.roleArn === undefined ? spec.managedPolicyArns : undefined,
      },
      path,
    ),
  );
  const ignored = (["managedPolicyArns", "statements"] as const).filter(
    (k) => spec[k] !== undefined,
  );
  if (spec.roleArn !== undefined && ignored.length > 0) {
    add(
      path("roleArn"),
      `an existing role, so ${ignored.join(", ")} would not apply`,
      spec.roleArn,
      "leave the role's permissions to its owner, or drop roleArn to create the role here",
    );
  }
  const identity = spec.identity ?? DEFAULT_WORKLOAD_IDENTITY;
  if (!isOneOf(WORKLOAD_IDENTITIES, identity)) {
    add(path("identity"), "not a workload identity", identity, "use irsa or podIdentity");
  } else if (spec.roleArn !== undefined && identity !== "podIdentity") {
    add(
      path("roleArn"),
      "set for an IRSA role, whose trust names this cluster's OIDC provider",
      spec.roleArn,
      "set identity: podIdentity to associate an existing role, or drop roleArn",
    );
  }
  if (spec.roleArn !== undefined) return out;
  if ((spec.managedPolicyArns ?? []).length + statements.length === 0) {
    add(at, "no permissions", spec, "give managedPolicyArns, statements or both");
  }
  statements.forEach((st, i) => {
    const s = `${path("statements")}[${i}]`;
    if (st.effect !== undefined && st.effect !== "Allow" && st.effect !== "Deny") {
      add(`${s}.effect`, "not an IAM effect", st.effect, "use Allow or Deny");
    }
    if (st.actions.length === 0) add(`${s}.actions`, "no actions", st.actions, "list at least one");
    st.actions.forEach((a, j) => {
      if (!IAM_ACTION.test(a)) {
        add(
          `${s}.actions[${j}]`,
          "not an IAM action",
          a,
          "use service:Action such as sqs:ReceiveMessage",
        );
      }
    });
    if (st.resources.length === 0) {
      add(
        `${s}.resources`,
        "no resources",
        st.resources,
        "list the ARNs this statement applies to (never *)",
      );
    }
    st.resources.forEach((r, j) => {
      if (!RESOURCE_ARN.test(r)) add(`${s}.resources[${j}]`, "not an ARN", r, "list resource ARNs");
    });
  });
  return out;
}
