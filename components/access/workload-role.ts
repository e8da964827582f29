import { fargatePatternMatches, FargateSelector } from "../compute/fargate";
import { podIdentityRoleProblems } from "./pod-identity-role";
import { problem, under, isOneOf } from "../problems";
import type { StatementSpec } from "./irsa-policy";

/** How a workload's pods get the role: IRSA (web identity) or EKS Pod Identity. */
export const WORKLOAD_IDENTITIES = ["irsa", "podIdentity"] as const;
export type WorkloadIdentity = (typeof WORKLOAD_IDENTITIES)[number];

/**
 * IRSA by default: every role deployed before Pod Identity existed keeps its identity and trust
 * (a Pod Identity default would replace each of them, and their services would lose the
 * annotation they run with), Fargate pods can only use IRSA, and IRSA needs no agent on the
 * nodes. A service that moves between clusters is better off with `podIdentity`: its trust names
 * no OIDC issuer and its service account no role (docs/gitops.md).
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
   * `podIdentity`: an EKS Pod Identity association (and a role trusted by
   * `pods.eks.amazonaws.com`, admitting this cluster only); `irsa`: a role trusted by this
   * cluster's OIDC provider. @default "irsa" (DEFAULT_WORKLOAD_IDENTITY)
   */
  identity?: WorkloadIdentity;
  /**
   * An existing role, owned outside both stacks, to associate (`podIdentity` only): no role is
   * created, and its trust is its owner's. @default none: the role `<clusterName>-<name>` is created
   */
  roleArn?: string;
}

/** Whether any role uses EKS Pod Identity, and so needs the pod identity agent on the nodes. */
export const usesPodIdentity = (roles: Record<string, WorkloadRoleSpec> = {}): boolean =>
  Object.values(roles).some((r) => r.identity === "podIdentity");

/**
 * Pod Identity roles whose pods all run on Fargate (a profile selects their namespace without
 * labels), keyed `<at>.<role>.identity`: Fargate does not support Pod Identity
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
    return on.length === 0
      ? []
      : [
          problem(
            `${paths.at}.${role}.identity`,
            `podIdentity, but every pod of namespace ${r.namespace} runs on Fargate (${on.join(", ")}), which Pod Identity does not support`,
            r.identity,
            "use irsa for Fargate pods",
          ),
        ];
  });
}

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const RESOURCE_ARN = /^arn:aws[a-z-]*:.+$/;

/**
 * Every problem with one workload role, keyed `<at>.<field>`: the IrsaRole's own checks, and
 * statements that grant something (actions `service:Action`, resources as ARNs, never `*`).
 */
export function workloadRoleProblems(spec: WorkloadRoleSpec, at: string): string[] {
  const path = under(at);
  const statements = spec.statements ?? [];
  // An existing role's permissions are its owner's: say which of ours would not apply, once.
  const out = podIdentityRoleProblems(
    { ...spec, managedPolicyArns: spec.roleArn === undefined ? spec.managedPolicyArns : undefined },
    path,
  );
  const ignored = (["managedPolicyArns", "statements"] as const).filter(
    (k) => spec[k] !== undefined,
  );
  if (spec.roleArn !== undefined && ignored.length > 0) {
    out.push(
      problem(
        path("roleArn"),
        `an existing role, so ${ignored.join(", ")} would not apply`,
        spec.roleArn,
        "leave the role's permissions to its owner, or drop roleArn to create the role here",
      ),
    );
  }
  const identity = spec.identity ?? DEFAULT_WORKLOAD_IDENTITY;
  if (!isOneOf(WORKLOAD_IDENTITIES, identity)) {
    out.push(
      problem(path("identity"), "not a workload identity", identity, "use irsa or podIdentity"),
    );
  } else if (spec.roleArn !== undefined && identity !== "podIdentity") {
    out.push(
      problem(
        path("roleArn"),
        "set for an IRSA role, whose trust names this cluster's OIDC provider",
        spec.roleArn,
        "set identity: podIdentity to associate an existing role, or drop roleArn",
      ),
    );
  }
  if (spec.roleArn !== undefined) return out;
  if ((spec.managedPolicyArns ?? []).length + statements.length === 0) {
    out.push(problem(at, "no permissions", spec, "give managedPolicyArns, statements or both"));
  }
  statements.forEach((st, i) => {
    const s = `${path("statements")}[${i}]`;
    if (st.effect !== undefined && st.effect !== "Allow" && st.effect !== "Deny") {
      out.push(problem(`${s}.effect`, "not an IAM effect", st.effect, "use Allow or Deny"));
    }
    if (st.actions.length === 0) {
      out.push(problem(`${s}.actions`, "no actions", st.actions, "list at least one"));
    }
    st.actions.forEach((a, j) => {
      if (!IAM_ACTION.test(a)) {
        out.push(
          problem(
            `${s}.actions[${j}]`,
            "not an IAM action",
            a,
            "use service:Action such as sqs:ReceiveMessage",
          ),
        );
      }
    });
    if (st.resources.length === 0) {
      out.push(
        problem(
          `${s}.resources`,
          "no resources",
          st.resources,
          "list the ARNs this statement applies to (never *)",
        ),
      );
    }
    st.resources.forEach((r, j) => {
      if (!RESOURCE_ARN.test(r)) {
        out.push(problem(`${s}.resources[${j}]`, "not an ARN", r, "list resource ARNs"));
      }
    });
  });
  return out;
}
