import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "./irsa";
import { PodIdentityRole } from "./pod-identity-role";
import { throwProblems } from "../problems";
import { stableJson, statementsPolicy } from "./irsa-policy";
import { PodSecurityGroup } from "./pod-security-group";
import {
  type PodSecurityGroupConfig,
  podSecurityGroupNamespaceProblems,
  podSecurityGroupReferenceProblems,
} from "./pod-security-group-config";
import { type WorkloadRoleSpec, workloadRoleProblems } from "./workload-role";
import { PodSgEgressRule, PodSgIngressRule } from "./pod-security-group-rules";

/** Tag on every resource made for a singleton workload, so the coexistence check can find it. */
export const SINGLETON_TAG = "eks-blueprint:singleton";

const singletonTags = (tags: Record<string, string> | undefined, singleton?: string) =>
  singleton ? { ...tags, [SINGLETON_TAG]: singleton } : tags;

export interface WorkloadAccessArgs {
  /** EKS cluster name; role and security group names derive from it. */
  clusterName: string;
  /** ARN of the cluster's IAM OIDC provider, which the IRSA roles trust. */
  oidcProviderArn: pulumi.Input<string>;
  /** The account Pod Identity roles trust EKS from (`aws:SourceAccount`). @default the deploying account */
  accountId?: pulumi.Input<string>;
  /** OIDC issuer host and path, without `https://`. */
  oidcIssuer: pulumi.Input<string>;
  /** VPC of the cluster, where the pod security groups live. */
  vpcId: pulumi.Input<string>;
  /** `Cluster.clusterSecurityGroupId`: the group of managed nodes, CoreDNS and the kubelet. */
  clusterSecurityGroupId: pulumi.Input<string>;
  /** The cluster's one Kubernetes provider, for the SecurityGroupPolicy resources. */
  provider: k8s.Provider;
  /** `Cluster.clusterNameOutput`, so Pod Identity associations wait for it. @default clusterName */
  cluster?: pulumi.Input<string>;
  /** IRSA or Pod Identity roles by short name, created as `<clusterName>-<name>`. @default {} */
  irsaRoles?: Record<string, WorkloadRoleSpec>;
  /** Pod security groups by short name, in declaration order. @default {} */
  podSecurityGroups?: Record<string, PodSecurityGroupConfig>;
  /**
   * Namespaces this program creates, by name; each SecurityGroupPolicy waits for its own, and any
   * other namespace but EKS's is an error. @default {}
   */
  namespaces?: Record<string, pulumi.Resource>;
  /** Pod security groups wait for these (the node groups with trunk ENIs). @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** @default none */
  tags?: Record<string, string>;
}

/** What teams get from stack config alone: IAM roles (IRSA or Pod Identity) and pod SGs. */
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
            accountId: args.accountId,
            namespace: spec.namespace,
            serviceAccount: spec.serviceAccount,
            ...(spec.roleArn !== undefined
              ? { roleArn: spec.roleArn }
              : {
                  // This cluster only: a singleton never serves the other, a shared service's
                  // role is created in each stack.
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
    // A sibling named by `group` was created before this group (declaration order is checked).
    const resolve = <R extends PodSgIngressRule | PodSgEgressRule>(rule: R): R =>
      "group" in rule && rule.group !== undefined && rule.securityGroupId === undefined
        ? { ...rule, securityGroupId: this.podSecurityGroups[rule.group].securityGroupId }
        : rule;
    for (const [group, { singleton, ...spec }] of Object.entries(args.podSecurityGroups ?? {})) {
      this.podSecurityGroups[group] = new PodSecurityGroup(
        `${name}-${group}`,
        {
          ...spec,
          groupName: group,
          ingress: spec.ingress?.map(resolve),
          egress: spec.egress?.map(resolve),
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
