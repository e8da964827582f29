import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { meshLabels } from "../addons/istio/istio-cni";
import { observedPolicies, type Policy, teamPolicies } from "../addons/network-policies";
import { createNamespace, podSecurityException } from "./namespace";
import { throwProblems } from "../problems";
import { teamProblems } from "./team-problems";
import { limitRangeSpec, resourceQuotaSpec, teamAccessGrants } from "./team-resources";
import { TeamSpec, teamLimits, teamQuota } from "./team-settings";
import type { KubernetesMinor } from "../cluster/kubernetes-versions";

export interface TeamsArgs {
  /** Teams by short name. */
  teams: Record<string, TeamSpec>;
  /** `Cluster.clusterNameOutput`, so the access entries wait for the cluster. */
  cluster: pulumi.Input<string>;
  /** Kubernetes minor of the cluster, for the Pod Security version labels. */
  kubernetesVersion: KubernetesMinor;
  /** AWS partition, for the access policy ARNs. @default "aws" */
  partition?: string;
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** The cluster's VPC CIDR: TCP 443 reaches it and public addresses, never a peer's network. */
  vpcCidr: string;
  /** The OpenTelemetry add-on collects spans: meshed namespaces may send them. @default false */
  tracing?: boolean;
  /** What enforces NetworkPolicies (the vpc-cni add-on); every policy waits for it. @default none */
  networkPolicyEngine?: pulumi.Resource;
  /** Tags for the access entries. @default none */
  tags?: Record<string, string>;
}

/**
 * Per namespace: a Namespace, default-deny network policies, a ResourceQuota and a LimitRange; per
 * role, an access entry. Named by namespace and role, not team, so team moves happen in place.
 */
export class Teams extends pulumi.ComponentResource {
  /** Every team namespace, by name. */
  readonly namespaces: Record<string, k8s.core.v1.Namespace> = {};
  /** The allow-all policies of observed namespaces: every denying policy is applied after them. */
  readonly allowAll: k8s.networking.v1.NetworkPolicy[] = [];
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
        const namespace = createNamespace(
          `${name}-ns`,
          {
            name: ns,
            ...podSecurityException(spec.podSecurity),
            kubernetesVersion: args.kubernetesVersion,
            provider: args.provider,
            labels: meshLabels(spec.mesh ?? false),
            live: spec.live,
          },
          { parent: this },
        );
        this.namespaces[ns] = namespace;
        const stage = spec.live?.stage ?? "enforce";
        const inside = { ...k8sOpts, dependsOn: [namespace] };
        const metadata = (objectName: string) => ({ name: objectName, namespace: ns });
        // The quota refuses pods above it, the LimitRange caps unsized ones: both wait for enforce.
        if (stage === "enforce") {
          new k8s.core.v1.ResourceQuota(
            `${name}-${ns}-quota`,
            { metadata: metadata("team-quota"), spec: resourceQuotaSpec(teamQuota(spec)) },
            inside,
          );
          new k8s.core.v1.LimitRange(
            `${name}-${ns}-limits`,
            { metadata: metadata("team-defaults"), spec: limitRangeSpec(teamLimits(spec)) },
            inside,
          );
        }
        const engine = args.networkPolicyEngine ? [args.networkPolicyEngine] : [];
        const policy = (p: Policy, after: pulumi.Resource[] = []) =>
          new k8s.networking.v1.NetworkPolicy(`${name}-${ns}-${p.metadata.name}`, p, {
            ...k8sOpts,
            dependsOn: [namespace, ...engine, ...after],
          });
        // Observed, the allow-all pair goes first: applied together, a deny could win for a moment.
        const open = stage === "observe" ? observedPolicies(ns).map((p) => policy(p)) : [];
        this.allowAll.push(...open);
        for (const p of teamPolicies(ns, {
          ...spec,
          teamNamespaces,
          vpcCidr: args.vpcCidr,
          tracing: args.tracing,
        }))
          policy(p, open);
      }
    }
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
            // A scope change replaces it (ForceNew: terraform-provider-aws
            // internal/service/eks/access_policy_association.go); created first, the new one would
            // share the old's identity, and deleting the old would remove the grant.
            deleteBeforeReplace: true,
          },
        );
      }
    }
    this.registerOutputs({ namespaces: Object.keys(this.namespaces) });
  }
}
