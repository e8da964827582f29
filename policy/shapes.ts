import { PolicyResource, StackFacts } from "./types";
import { get, isObj, obj, str, strings } from "./values";

/** The @pulumi/eks component our program registers, and the aws resource it creates (CrossGuard sees both). */
export const EKS_CLUSTER = "eks:index:Cluster";
export const AWS_EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const CLUSTER_TYPES = [EKS_CLUSTER, AWS_EKS_CLUSTER] as const;
export const MANAGED_NODE_GROUP = "eks:index:ManagedNodeGroup";
export const AWS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const NODE_GROUP_TYPES = [MANAGED_NODE_GROUP, AWS_NODE_GROUP] as const;
export const VPC = "awsx:ec2:Vpc";
export const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"] as const;

/** One view over both cluster shapes, with @pulumi/eks and EKS API defaults made explicit. */
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
  if (r.type === EKS_CLUSTER) {
    return {
      name: str(i.name),
      publicAccess: i.endpointPublicAccess !== false,
      privateAccess: i.endpointPrivateAccess === true,
      publicAccessCidrs: Array.isArray(i.publicAccessCidrs)
        ? strings(i.publicAccessCidrs)
        : undefined,
      secretsKeyArn: str(i.encryptionConfigKeyArn),
      logTypes: strings(i.enabledClusterLogTypes),
      authenticationMode: str(i.authenticationMode),
      deletionProtection:
        typeof i.deletionProtection === "boolean" ? i.deletionProtection : undefined,
      publicSubnetIds: strings(i.publicSubnetIds),
    };
  }
  const vpc = obj(i.vpcConfig);
  const encryption = Array.isArray(i.encryptionConfig) ? i.encryptionConfig[0] : i.encryptionConfig;
  const encryptsSecrets = strings(get(encryption, "resources")).includes("secrets");
  return {
    name: str(i.name),
    publicAccess: vpc.endpointPublicAccess !== false,
    privateAccess: vpc.endpointPrivateAccess === true,
    publicAccessCidrs: Array.isArray(vpc.publicAccessCidrs)
      ? strings(vpc.publicAccessCidrs)
      : undefined,
    secretsKeyArn: encryptsSecrets ? str(get(encryption, "provider", "keyArn")) : undefined,
    logTypes: strings(i.enabledClusterLogTypes),
    authenticationMode: str(get(i, "accessConfig", "authenticationMode")),
    deletionProtection:
      typeof i.deletionProtection === "boolean" ? i.deletionProtection : undefined,
    publicSubnetIds: [],
  };
}

/**
 * What several rules need to know about the rest of the stack. Reads inputs (the synth, CrossGuard
 * resource policies) and, for CrossGuard stack policies, which see outputs, the component outputs
 * that carry the same facts (`core.publicSubnetIds` of an eks Cluster, `publicSubnetIds` of a Vpc).
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
    [...view.publicSubnetIds, ...strings(get(r.inputs, "core", "publicSubnetIds"))].forEach((s) =>
      publicSubnetIds.add(s),
    );
  }
  return { clusterNames: [...clusterNames].sort(), publicSubnetIds: [...publicSubnetIds].sort() };
}

/** The stack name inside a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export const stackFromUrn = (urn: string): string => (urn.split("::")[0] ?? "").split(":")[2] ?? "";

/** Stacks that serve traffic. Their cluster, KMS key and VPC must be protected. */
export const PRODUCTION_STACKS: readonly string[] = ["prod", "prod2"];

export const isProductionStack = (stack: string) => PRODUCTION_STACKS.includes(stack);
