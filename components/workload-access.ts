import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole, irsaRoleProblems } from "./irsa";
import { problem, throwProblems, under } from "./problems";
import { undeclaredNamespaceProblems } from "./namespace";
import { StatementSpec, stableJson, statementsPolicy } from "./irsa-policy";
import { PodSecurityGroup, PodSecurityGroupSpec } from "./pod-security-group";
import { PodSgEgressRule, PodSgIngressRule } from "./pod-security-group-rules";

/** Tag on every resource made for a singleton workload, so the coexistence check can find it. */
export const SINGLETON_TAG = "eks-blueprint:singleton";

/** An IRSA role for an application's service account, declared in stack config. */
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
}

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const RESOURCE_ARN = /^arn:aws[a-z-]*:.+$/;

/**
 * Every problem with one workload role, keyed `<at>.<field>`: the IrsaRole's own checks, and
 * statements that grant something (actions `service:Action`, resources as ARNs, never `*`).
 */
export function workloadRoleProblems(spec: WorkloadRoleSpec, at: string): string[] {
  const path = under(at);
  const out = irsaRoleProblems(spec, path);
  const statements = spec.statements ?? [];
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
  /** Workload IRSA roles by short name; the IAM role is `<clusterName>-<name>`. @default {} */
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

/** What application teams get from stack config alone: IRSA roles and security groups for pods. */
export class WorkloadAccess extends pulumi.ComponentResource {
  readonly roles: Record<string, IrsaRole> = {};
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
      this.roles[role] = new IrsaRole(
        `${name}-irsa-${role}`,
        {
          oidcProviderArn: args.oidcProviderArn,
          oidcIssuer: args.oidcIssuer,
          namespace: spec.namespace,
          serviceAccount: spec.serviceAccount,
          roleName: `${args.clusterName}-${role}`,
          managedPolicyArns: spec.managedPolicyArns,
          policy: statements.length > 0 ? stableJson(statementsPolicy(statements)) : undefined,
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
