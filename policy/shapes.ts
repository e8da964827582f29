import { PolicyResource, StackFacts } from "./types";
import { bool, isObj, obj, str, strings } from "./values";
import { valueAt } from "../components/addons/values";

/** The @pulumi/eks component and the aws resource it creates: CrossGuard sees both. */
export const EKS_CLUSTER = "eks:index:Cluster";
export const AWS_EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const CLUSTER_TYPES = [EKS_CLUSTER, AWS_EKS_CLUSTER] as const;
export const MANAGED_NODE_GROUP = "eks:index:ManagedNodeGroup";
export const AWS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const NODE_GROUP_TYPES = [MANAGED_NODE_GROUP, AWS_NODE_GROUP] as const;
export const FARGATE_PROFILE = "aws:eks/fargateProfile:FargateProfile";
export const VPC = "awsx:ec2:Vpc";
export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
export const HELM_TYPES = [HELM_RELEASE, "kubernetes:helm.sh/v4:Chart"] as const;
export const isHelm = (r: Pick<PolicyResource, "type">): boolean =>
  HELM_TYPES.some((t) => t === r.type);

/** What Helm takes of a `kubernetes:helm.sh/v3:Release` record. */
export interface HelmRelease {
  /** The record's `type::name`. */
  key: string;
  /** Helm's release name: `inputs.name`, else the record's name. */
  name: string;
  chart: string;
  /** @default the newest the repository has */
  version?: string;
  /** `repositoryOpts.repo`; none for an `oci://` chart. */
  repo?: string;
  /** @default "default", as the provider's */
  namespace: string;
  values: Record<string, unknown>;
  skipCrds: boolean;
}

export function helmRelease(r: Pick<PolicyResource, "type" | "name" | "inputs">): HelmRelease {
  const i = r.inputs;
  const [version, repo] = [str(i.version), str(valueAt(i, "repositoryOpts", "repo"))];
  return {
    key: `${r.type}::${r.name}`,
    name: str(i.name) ?? r.name,
    chart: str(i.chart) ?? "",
    ...(version ? { version } : {}),
    ...(repo ? { repo } : {}),
    namespace: str(i.namespace) ?? "default",
    values: obj(i.values),
    skipCrds: i.skipCrds === true,
  };
}

export const isRelease = (chart: string) => (r: PolicyResource) =>
  isHelm(r) && r.inputs.chart === chart;
export const isEksAddon = (name: string) => (r: PolicyResource) =>
  r.type === "aws:eks/addon:Addon" && r.inputs.addonName === name;

/** Both cluster shapes, with @pulumi/eks and EKS API defaults made explicit. */
export interface ClusterView {
  name?: string;
  /** Defaults to true in both @pulumi/eks and the EKS API. */
  publicAccess: boolean;
  privateAccess: boolean;
  /** undefined when not set: EKS then allows 0.0.0.0/0. */
  publicAccessCidrs?: string[];
  secretsKeyArn?: string;
  logTypes: string[];
  authenticationMode?: string;
  deletionProtection?: boolean;
  publicSubnetIds: string[];
}

export function clusterView(r: PolicyResource): ClusterView {
  const i = r.inputs;
  // @pulumi/eks takes the endpoint settings at the top level, the EKS API under vpcConfig.
  const endpoint = r.type === EKS_CLUSTER ? i : obj(i.vpcConfig);
  const common = {
    name: str(i.name),
    logTypes: strings(i.enabledClusterLogTypes),
    deletionProtection: bool(i.deletionProtection),
    publicAccess: endpoint.endpointPublicAccess !== false,
    privateAccess: endpoint.endpointPrivateAccess === true,
    publicAccessCidrs: Array.isArray(endpoint.publicAccessCidrs)
      ? strings(endpoint.publicAccessCidrs)
      : undefined,
  };
  if (r.type === EKS_CLUSTER) {
    return {
      ...common,
      secretsKeyArn: str(i.encryptionConfigKeyArn),
      authenticationMode: str(i.authenticationMode),
      publicSubnetIds: strings(i.publicSubnetIds),
    };
  }
  const encryption = Array.isArray(i.encryptionConfig) ? i.encryptionConfig[0] : i.encryptionConfig;
  const encryptsSecrets = strings(valueAt(encryption, "resources")).includes("secrets");
  return {
    ...common,
    secretsKeyArn: encryptsSecrets ? str(valueAt(encryption, "provider", "keyArn")) : undefined,
    authenticationMode: str(valueAt(i, "accessConfig", "authenticationMode")),
    publicSubnetIds: [],
  };
}

/**
 * Reads inputs and, for CrossGuard stack policies (which see outputs), the component outputs that
 * carry the same facts (`core.publicSubnetIds` of an eks Cluster, `publicSubnetIds` of a Vpc).
 */
export function stackFacts(resources: readonly PolicyResource[]): StackFacts {
  const clusterNames = new Set<string>();
  const publicSubnetIds = new Set<string>();
  for (const r of resources) {
    if (!isObj(r.inputs)) continue;
    if (r.type === VPC) strings(r.inputs.publicSubnetIds).forEach((s) => publicSubnetIds.add(s));
    if (!(CLUSTER_TYPES as readonly string[]).includes(r.type)) continue;
    const view = clusterView(r);
    if (view.name) clusterNames.add(view.name);
    [...view.publicSubnetIds, ...strings(valueAt(r.inputs, "core", "publicSubnetIds"))].forEach(
      (s) => publicSubnetIds.add(s),
    );
  }
  return { clusterNames: [...clusterNames].sort(), publicSubnetIds: [...publicSubnetIds].sort() };
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export const stackFromUrn = (urn: string): string => (urn.split("::")[0] ?? "").split(":")[2] ?? "";

/** Stacks that serve traffic: their cluster, KMS key and VPC must be protected. */
export const PRODUCTION_STACKS: readonly string[] = ["prod", "prod2"];

export const isProductionStack = (stack: string) => PRODUCTION_STACKS.includes(stack);
