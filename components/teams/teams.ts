import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { meshLabels } from "../addons/istio/istio-cni";
import { teamPolicies } from "../addons/network-policies";
import { createNamespace, podSecurityException } from "./namespace";
import { throwProblems } from "../problems";
import { teamProblems } from "./team-problems";
import { limitRangeSpec, resourceQuotaSpec, teamAccessGrants } from "./team-resources";
import { TeamSpec, teamLimits, teamQuota } from "./team-settings";

export type {
  TeamEgressRule,
  TeamLimits,
  TeamNamespaceSpec,
  TeamPodSecurityException,
  TeamQuota,
  TeamSpec,
} from "./team-settings";

export interface TeamsArgs {
  /** Teams by short name. */
  teams: Record<string, TeamSpec>;
  /**
   * The cluster as an output (`Cluster.clusterNameOutput`): the access entries name it and so
   * wait for it through their inputs.
   */
  cluster: pulumi.Input<string>;
  /** Kubernetes minor of the cluster, for the Pod Security version labels. */
  kubernetesVersion: string;
  /** AWS partition, for the access policy ARNs. @default "aws" */
  partition?: string;
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** What enforces NetworkPolicies (the vpc-cni add-on); every policy waits for it. @default none */
  networkPolicyEngine?: pulumi.Resource;
  /** Tags for the access entries. @default none */
  tags?: Record<string, string>;
}

/**
 * Every team's namespaces and access: per namespace a Namespace (Pod Security `restricted`
 * unless a reasoned exception, mesh label when meshed), its default-deny egress policies with
 * the allows a workload needs, a ResourceQuota and a LimitRange; per role an access entry with
 * one namespace-scoped access policy. Children are named by namespace and by role, never by
 * team, so moving a namespace or a role between teams changes it in place.
 */
export class Teams extends pulumi.ComponentResource {
  /** Every team namespace, by name. */
  readonly namespaces: Record<string, k8s.core.v1.Namespace> = {};
  /** Every team role's access entry, by role name. */
  readonly accessEntries: Record<string, aws.eks.AccessEntry> = {};

  constructor(name: string, args: TeamsArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems(
      "Teams",
      name,
      Object.entries(args.teams).flatMap(([t, s]) => teamProblems(t, s, `teams.${t}`)),
    );
    super("eks-blueprint:index:Teams", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    for (const team of Object.values(args.teams)) {
      const teamNamespaces = Object.keys(team.namespaces);
      for (const [ns, spec] of Object.entries(team.namespaces)) {
        const psa = podSecurityException(spec.podSecurity);
        const namespace = createNamespace(
          `${name}-ns`,
          {
            name: ns,
            podSecurity: psa.podSecurity,
            kubernetesVersion: args.kubernetesVersion,
            provider: args.provider,
            labels: meshLabels(spec.mesh ?? false),
            annotations: psa.annotations,
          },
          { parent: this },
        );
        this.namespaces[ns] = namespace;
        const inside = { ...k8sOpts, dependsOn: [namespace] };
        new k8s.core.v1.ResourceQuota(
          `${name}-${ns}-quota`,
          {
            metadata: { name: "team-quota", namespace: ns },
            spec: resourceQuotaSpec(teamQuota(spec)),
          },
          inside,
        );
        new k8s.core.v1.LimitRange(
          `${name}-${ns}-limits`,
          {
            metadata: { name: "team-defaults", namespace: ns },
            spec: limitRangeSpec(teamLimits(spec)),
          },
          inside,
        );
        const engine = args.networkPolicyEngine ? [args.networkPolicyEngine] : [];
        for (const policy of teamPolicies(ns, {
          teamNamespaces,
          mesh: spec.mesh,
          egress: spec.egress,
        })) {
          new k8s.networking.v1.NetworkPolicy(`${name}-${ns}-${policy.metadata.name}`, policy, {
            ...k8sOpts,
            dependsOn: [namespace, ...engine],
          });
        }
      }
    }
    this.grantAccess(name, args);
    this.registerOutputs({ namespaces: Object.keys(this.namespaces) });
  }

  /** One access entry per role, and its one namespace-scoped access policy. */
  private grantAccess(name: string, args: TeamsArgs): void {
    for (const spec of Object.values(args.teams)) {
      for (const grant of teamAccessGrants(spec, args.partition ?? "aws")) {
        const entry = new aws.eks.AccessEntry(
          `${name}-${grant.key}`,
          {
            clusterName: args.cluster,
            principalArn: grant.principalArn,
            type: "STANDARD",
            tags: args.tags,
          },
          { parent: this },
        );
        this.accessEntries[grant.key] = entry;
        new aws.eks.AccessPolicyAssociation(
          `${name}-${grant.key}-${grant.level}`,
          {
            clusterName: args.cluster,
            principalArn: entry.principalArn,
            policyArn: grant.policyArn,
            accessScope: grant.accessScope,
          },
          {
            parent: this,
            // The association is identified by cluster, principal and policy, and a changed
            // scope replaces it (access_scope is ForceNew: terraform-provider-aws
            // internal/service/eks/access_policy_association.go). Created first, the new one
            // would be the old one's identity, and deleting the old would then remove the grant.
            deleteBeforeReplace: true,
          },
        );
      }
    }
  }
}
