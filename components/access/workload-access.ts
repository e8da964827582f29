import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { fargatePatternMatches, FargateSelector } from "../compute/fargate";
import { IrsaRole } from "./irsa";
import { PodIdentityRole, podIdentityRoleProblems } from "./pod-identity-role";
import { problem, throwProblems, under } from "../problems";
import { undeclaredNamespaceProblems } from "../teams/namespace";
import { StatementSpec, stableJson, statementsPolicy } from "./irsa-policy";
import { PodSecurityGroup, PodSecurityGroupSpec } from "./pod-security-group";
import { PodSgEgressRule, PodSgIngressRule } from "./pod-security-group-rules";

/** Tag on every resource made for a singleton workload, so the coexistence check can find it. */
export const SINGLETON_TAG = "eks-blueprint:singleton";

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
  if (!(WORKLOAD_IDENTITIES as readonly string[]).includes(identity)) {
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

/** A rule in config form: a sibling pod security group is named by `group`, not by id. */
type ByName<R> = R extends { securityGroupId: unknown }
  ? Omit<R, "securityGroupId"> & { securityGroupId?: string; group?: string }
  : R;

/** A pod security group as stack config declares it. */
export interface PodSecurityGroupConfig extends Omit<PodSecurityGroupSpec, "ingress" | "egress"> {
  /** @default none */
  ingress?: ByName<PodSgIngressRule>[];
  /** @default DNS to the cluster security group only */
  egress?: ByName<PodSgEgressRule>[];
  /** The singleton workload these pods are; tagged so the coexistence check sees it. @default none */
  singleton?: string;
}

const singletonTags = (tags: Record<string, string> | undefined, singleton?: string) =>
  singleton ? { ...tags, [SINGLETON_TAG]: singleton } : tags;

export interface WorkloadAccessArgs {
  /** EKS cluster name; role and security group names derive from it. */
  clusterName: string;
  /** ARN of the cluster's IAM OIDC provider, which the IRSA roles trust. */
  oidcProviderArn: pulumi.Input<string>;
  /** OIDC issuer host and path, without `https://`. */
  oidcIssuer: pulumi.Input<string>;
  /** VPC of the cluster, where the pod security groups live. */
  vpcId: pulumi.Input<string>;
  /**
   * The security group EKS creates with the cluster (`Cluster.clusterSecurityGroupId`): managed
   * nodes, CoreDNS and the kubelet run with it.
   */
  clusterSecurityGroupId: pulumi.Input<string>;
  /** The cluster's one Kubernetes provider, for the SecurityGroupPolicy resources. */
  provider: k8s.Provider;
  /**
   * The cluster as an output (`Cluster.clusterNameOutput`), for Pod Identity associations, so
   * they wait for the cluster through their inputs. @default clusterName
   */
  cluster?: pulumi.Input<string>;
  /**
   * Workload roles by short name, IRSA or Pod Identity (`identity`); a created IAM role is
   * `<clusterName>-<name>`. @default {}
   */
  irsaRoles?: Record<string, WorkloadRoleSpec>;
  /** Pod security groups by short name, in declaration order. @default {} */
  podSecurityGroups?: Record<string, PodSecurityGroupConfig>;
  /**
   * Namespaces this program creates, by name (`createNamespace`). Each SecurityGroupPolicy waits
   * for its own; a pod security group in any other namespace but EKS's own is an error, checked
   * by `podSecurityGroupNamespaceProblems`. @default {}
   */
  namespaces?: Record<string, pulumi.Resource>;
  /** Pod security groups wait for these (the node groups with trunk ENIs). @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** @default none */
  tags?: Record<string, string>;
}

/**
 * Every pod security group whose namespace is neither `declared` nor one EKS has, keyed
 * `<at>.<group>.namespace`; `declaredAt` names where namespaces are declared, in the caller's
 * words (`platform.workloadNamespaces` for EksBlueprint, `eks-blueprint:workloadNamespaces` for
 * stack config).
 */
export function podSecurityGroupNamespaceProblems(
  groups: Record<string, { namespace: string }>,
  declared: readonly string[],
  paths: { at: string; declaredAt: string },
): string[] {
  return undeclaredNamespaceProblems(
    Object.entries(groups).map(([group, g]) => [`${paths.at}.${group}.namespace`, g.namespace]),
    declared,
    paths.declaredAt,
  );
}

/**
 * Rules that name a sibling pod security group (`group`) must name one declared before them:
 * groups are created in declaration order, and a rule takes its peer's id. Keyed
 * `<at>.<group>.<direction>[<index>].group`.
 */
export function podSecurityGroupReferenceProblems(
  groups: Record<string, PodSecurityGroupConfig>,
  at: string,
): string[] {
  const names = Object.keys(groups);
  return names.flatMap((name, index) =>
    (["ingress", "egress"] as const).flatMap((direction) =>
      ((groups[name][direction] ?? []) as { group?: string }[]).flatMap((rule, i) =>
        rule.group === undefined || names.slice(0, index).includes(rule.group)
          ? []
          : [
              problem(
                `${at}.${name}.${direction}[${i}].group`,
                "not a pod security group declared before this one",
                rule.group,
                `name one of the groups declared above it (${names.slice(0, index).join(", ") || "none"})`,
              ),
            ],
      ),
    ),
  );
}

/**
 * What application teams get from stack config alone: IAM roles (IRSA or EKS Pod Identity) and
 * security groups for pods.
 */
export class WorkloadAccess extends pulumi.ComponentResource {
  /** The IRSA roles, by short name. */
  readonly roles: Record<string, IrsaRole> = {};
  /** The Pod Identity roles and associations, by short name. */
  readonly podIdentityRoles: Record<string, PodIdentityRole> = {};
  readonly podSecurityGroups: Record<string, PodSecurityGroup> = {};

  constructor(name: string, args: WorkloadAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): a policy in a namespace nobody creates fails with nothing registered.
    throwProblems("WorkloadAccess", name, [
      ...Object.entries(args.irsaRoles ?? {}).flatMap(([role, spec]) =>
        workloadRoleProblems(spec, `irsaRoles.${role}`),
      ),
      ...podSecurityGroupReferenceProblems(args.podSecurityGroups ?? {}, "podSecurityGroups"),
      ...podSecurityGroupNamespaceProblems(
        args.podSecurityGroups ?? {},
        Object.keys(args.namespaces ?? {}),
        { at: "podSecurityGroups", declaredAt: "namespaces" },
      ),
    ]);
    super("eks-blueprint:index:WorkloadAccess", name, {}, opts);
    for (const [role, spec] of Object.entries(args.irsaRoles ?? {})) {
      const statements = spec.statements ?? [];
      const policy = statements.length > 0 ? stableJson(statementsPolicy(statements)) : undefined;
      if (spec.identity === "podIdentity") {
        this.podIdentityRoles[role] = new PodIdentityRole(
          `${name}-pod-identity-${role}`,
          {
            cluster: args.cluster ?? args.clusterName,
            namespace: spec.namespace,
            serviceAccount: spec.serviceAccount,
            ...(spec.roleArn !== undefined
              ? { roleArn: spec.roleArn }
              : {
                  // Only this cluster's associations: a singleton's role never serves the other
                  // cluster, and a shared service's role is created in each stack.
                  trustedClusters: [args.clusterName],
                  roleName: `${args.clusterName}-${role}`,
                  managedPolicyArns: spec.managedPolicyArns,
                  policy,
                }),
            tags: singletonTags(args.tags, spec.singleton),
          },
          { parent: this },
        );
        continue;
      }
      this.roles[role] = new IrsaRole(
        `${name}-irsa-${role}`,
        {
          oidcProviderArn: args.oidcProviderArn,
          oidcIssuer: args.oidcIssuer,
          namespace: spec.namespace,
          serviceAccount: spec.serviceAccount,
          roleName: `${args.clusterName}-${role}`,
          managedPolicyArns: spec.managedPolicyArns,
          policy,
          tags: singletonTags(args.tags, spec.singleton),
        },
        { parent: this },
      );
    }
    const resolve = (rule: object) => {
      const group = (rule as { group?: string }).group;
      return group
        ? { ...rule, securityGroupId: this.podSecurityGroups[group].securityGroupId }
        : rule;
    };
    for (const [group, { singleton, ...spec }] of Object.entries(args.podSecurityGroups ?? {})) {
      this.podSecurityGroups[group] = new PodSecurityGroup(
        `${name}-${group}`,
        {
          ...spec,
          groupName: group,
          ingress: spec.ingress?.map(resolve) as PodSgIngressRule[] | undefined,
          egress: spec.egress?.map(resolve) as PodSgEgressRule[] | undefined,
          clusterName: args.clusterName,
          vpcId: args.vpcId,
          clusterSecurityGroupId: args.clusterSecurityGroupId,
          provider: args.provider,
          namespaceResource: args.namespaces?.[spec.namespace],
          tags: singletonTags(args.tags, singleton),
        },
        { parent: this, dependsOn: args.dependsOn },
      );
    }
    this.registerOutputs({});
  }
}
