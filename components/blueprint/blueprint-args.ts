// EksBlueprint's args: one object for a whole cluster, checked by blueprintProblems.
import type { KubernetesMinor } from "../cluster/kubernetes-versions";
import type { AddonSelection } from "../addons/registry";
import type { FargateSelector } from "../compute/fargate";
import type { NodeGroupSpec } from "../compute/node-group-settings";
import type { DrillsSettings } from "../drills/drills";
import type { PodSgEnforcingMode } from "../access/pod-security-group-rules";
import type { PodSecurityGroupConfig } from "../access/pod-security-group-config";
import type { TeamSpec } from "../teams/team-settings";
import type { TrafficArgs } from "../traffic/weighted-records";
import type { WorkloadRoleSpec } from "../access/workload-role";

export interface BlueprintArgs {
  /** EKS cluster name; every physical name derives from it, so two stacks never collide. */
  clusterName: string;
  /** Kubernetes minor version, for example "1.35". */
  kubernetesVersion: KubernetesMinor;
  /** AWS region, for example "us-west-2". */
  region: string;
  /** The VPC: CIDR, availability zones and NAT gateways. */
  network: {
    /** VPC CIDR; must not overlap the other cluster's during a migration (they get peered). */
    cidrBlock: string;
    /** @default 3 */
    availabilityZones?: number;
    /** @default "OnePerAz" */
    natGateways?: "OnePerAz" | "Single";
  };
  /** @default [] (public endpoint off) */
  endpointPublicAccessCidrs?: string[];
  /** @default [] */
  adminRoleArns?: string[];
  /** Control-plane log retention in days. @default 30 */
  logRetentionDays?: number;
  /** Keep pulumi-eks's own security groups on a cluster deployed with them (`Cluster`). @default false */
  keepPulumiEksSecurityGroups?: boolean;
  /** Managed node groups by short name. */
  nodeGroups: Record<string, NodeGroupSpec>;
  /** Fargate profiles by short name. @default {} */
  fargateProfiles?: Record<string, { selectors: FargateSelector[] }>;
  /** Workload IRSA roles by short name. @default {} */
  irsaRoles?: Record<string, WorkloadRoleSpec>;
  /** Security groups for pods by short name; any turns the cluster side on. @default {} */
  podSecurityGroups?: Record<string, PodSecurityGroupConfig>;
  /** POD_SECURITY_GROUP_ENFORCING_MODE of the VPC CNI. @default "standard" */
  podSecurityGroupEnforcingMode?: PodSgEnforcingMode;
  /**
   * Add-ons by registry key (components/addons/registry.ts); `karpenter: {…}` replaces
   * cluster-autoscaler. @default metrics-server and cluster-autoscaler
   */
  addons?: AddonSelection;
  /** Namespaces for workloads outside any team, with the default-deny baseline. @default [] */
  workloadNamespaces?: string[];
  /** Teams by short name: guarded namespaces, their roles' namespace-scoped access. @default {} */
  teams?: Record<string, TeamSpec>;
  /** Protect the cluster, its KMS key and the VPC from deletion. @default true */
  protect?: boolean;
  /** Tags for every AWS resource. @default {} */
  tags?: Record<string, string>;
  /** Route 53 weights for hostnames another cluster shares (needs `addons.istio`). @default none */
  traffic?: TrafficArgs;
  /**
   * AWS FIS drills confined to this cluster: a zone's nodes, half the gateway's pods, stopped by
   * an alarm on the gateway's healthy hosts (needs `addons.istio`). @default none
   */
  drills?: DrillsSettings;
}
