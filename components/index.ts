/**
 * eks-blueprint: production Amazon EKS clusters as Pulumi ComponentResources. The one, curated
 * entry point: components with their Args, add-ons under `addons`, and the pure builders consumers
 * compose with; all else is internal. test/public-api.test.ts pins the runtime names.
 * @packageDocumentation
 */

// The composition: one typed args object, the whole cluster.
export {
  blueprintProblems,
  EksBlueprint,
  type BlueprintArgs,
  type PodSecurityGroupConfig,
  type WorkloadRoleSpec,
} from "./blueprint/blueprint";

// Network, control plane, core EKS add-ons, compute.
export { Network, subnetTags, type NetworkArgs } from "./network/network";
export { Cluster, type ClusterArgs } from "./cluster/cluster";
export { CoreAddons, type CoreAddonsArgs } from "./cluster/core-addons";
export { NodeGroups, type NodeGroupsArgs } from "./compute/node-groups";
export type {
  Accelerator,
  AmiFamily,
  CapacityType,
  DeployedNodeGroup,
  NodeGroupSpec,
  NodeTaint,
  TaintEffect,
} from "./compute/node-group-settings";
export type { Architecture } from "./compute/instance-types";
export { FargateProfiles, type FargateProfilesArgs, type FargateSelector } from "./compute/fargate";
export { FargateLogging, type FargateLoggingArgs } from "./compute/fargate-logging";
export { SUPPORTED_KUBERNETES_MINORS, type KubernetesMinor } from "./cluster/kubernetes-versions";

// Workload identity and network policy for pods, and the IAM documents a consumer composes.
export { IrsaRole, type IrsaRoleArgs } from "./access/irsa";
export { PodIdentityRole, type PodIdentityRoleArgs } from "./access/pod-identity-role";
export {
  irsaAnnotation,
  irsaTrustPolicy,
  podIdentityTrustPolicy,
  partitionOf,
  stableJson,
  statementsPolicy,
  type PolicyDocument,
  type PolicyStatement,
  type ServiceAccountRef,
  type StatementSpec,
} from "./access/irsa-policy";
export { managedPolicyArn, serviceTrustPolicy } from "./cluster/cluster-settings";
export {
  PodSecurityGroup,
  type PodSecurityGroupArgs,
  type PodSecurityGroupMesh,
  type PodSecurityGroupSpec,
} from "./access/pod-security-group";
export type {
  PodSgEgressRule,
  PodSgEnforcingMode,
  PodSgGroupPeer,
  PodSgIngressRule,
  PodSgPeer,
  PodSgPortSpec,
  PodSgRuleText,
} from "./access/pod-security-group-rules";
export type { WorkloadIdentity } from "./access/workload-role";
export {
  WorkloadAccess,
  type WorkloadAccessArgs,
  type WorkloadMesh,
} from "./access/workload-access";

// Route 53 weighted records for hostnames two clusters share during a migration.
export { Drills, drillsProblems, type DrillsArgs, type DrillsSettings } from "./drills/drills";
export { TrafficRecords, type TrafficRecordsArgs } from "./traffic/traffic-records";
export type { AliasTarget, ExternalPeer, TrafficArgs } from "./traffic/weighted-records";

// The in-cluster platform: the selected add-ons, in order, and the network-policy baseline.
export { AddonBundle, type AddonBundleArgs } from "./addons/bundle";
export {
  type BaselineOptions,
  NetworkPolicyBaseline,
  type NetworkPolicyBaselineArgs,
} from "./addons/network-policies";
// Teams: their namespaces (Pod Security, network policies, quota, limits) and namespaced access.
export { Teams, type TeamsArgs } from "./teams/teams";
export type { PodSecurityLevel } from "./teams/namespace";
export type {
  PodSecurityException,
  RestrictionStage,
  TeamEgressRule,
  TeamLiveNamespace,
  TeamLimits,
  TeamNamespaceSpec,
  TeamPodSecurityException,
  TeamQuota,
  TeamSpec,
} from "./teams/team-settings";
export {
  InterruptionQueue,
  type InterruptionQueueArgs,
} from "./addons/karpenter/interruption-queue";
export * as addons from "./addons/index";
