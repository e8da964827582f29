import { PolicyResource, RuleContext } from "../policy/rules";

/** Shared fixtures for the policy tests: one compliant resource per type, changed per case. */
export const CLUSTER_NAME = "eks-blueprint-prod";
export const PUBLIC_SUBNET = "subnet-0public000000001";
export const PRIVATE_SUBNETS = ["subnet-0private00000001", "subnet-0private00000002"];
export const KEY_ARN =
  "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
export const OIDC = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

export const prodContext: RuleContext = {
  stack: "prod",
  production: true,
  facts: { clusterNames: [CLUSTER_NAME], publicSubnetIds: [PUBLIC_SUBNET] },
};

export const res = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  protect?: boolean,
): PolicyResource =>
  protect === undefined ? { type, name, inputs } : { type, name, inputs, protect };

/** A shallow patch of a resource's inputs; `undefined` removes a key. */
export const patch = (
  r: PolicyResource,
  inputs: Record<string, unknown>,
  protect = r.protect,
): PolicyResource => ({
  ...r,
  protect,
  inputs: Object.fromEntries(
    Object.entries({ ...r.inputs, ...inputs }).filter(([, v]) => v !== undefined),
  ),
});

export const cluster = res(
  "eks:index:Cluster",
  "cluster",
  {
    name: CLUSTER_NAME,
    endpointPrivateAccess: true,
    endpointPublicAccess: false,
    encryptionConfigKeyArn: KEY_ARN,
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    authenticationMode: "API",
    skipDefaultNodeGroup: true,
    nodeAssociatePublicIpAddress: false,
    deletionProtection: true,
    privateSubnetIds: PRIVATE_SUBNETS,
    publicSubnetIds: [PUBLIC_SUBNET],
  },
  true,
);

/** The aws:eks/cluster:Cluster that @pulumi/eks creates, as CrossGuard sees it. */
export const awsCluster = res("aws:eks/cluster:Cluster", "cluster-eksCluster", {
  name: CLUSTER_NAME,
  vpcConfig: {
    endpointPrivateAccess: true,
    endpointPublicAccess: false,
    subnetIds: PRIVATE_SUBNETS,
  },
  encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
  enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  accessConfig: { authenticationMode: "API" },
  deletionProtection: true,
});

export const launchTemplate = res("aws:ec2/launchTemplate:LaunchTemplate", "general-lt", {
  metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
});

export const nodeGroup = res("eks:index:ManagedNodeGroup", "general", {
  cluster: "eks:index:Cluster::cluster",
  nodeGroupName: `${CLUSTER_NAME}-general`,
  amiType: "AL2023_x86_64_STANDARD",
  capacityType: "ON_DEMAND",
  subnetIds: PRIVATE_SUBNETS,
  launchTemplate: { id: "lt-0123456789abcdef0", version: "1" },
});

export const trustPolicy = (condition: Record<string, unknown>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRoleWithWebIdentity",
        Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${OIDC}` },
        Condition: condition,
      },
    ],
  });

export const irsaRole = res("aws:iam/role:Role", "external-dns", {
  name: `${CLUSTER_NAME}-external-dns`,
  assumeRolePolicy: trustPolicy({
    StringEquals: {
      [`${OIDC}:sub`]: "system:serviceaccount:external-dns:external-dns",
      [`${OIDC}:aud`]: "sts.amazonaws.com",
    },
  }),
});

export const permissions = (statement: Record<string, unknown>) =>
  res("aws:iam/rolePolicy:RolePolicy", "external-dns-permissions", {
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
  });

export const release = res("kubernetes:helm.sh/v3:Release", "external-dns", {
  chart: "external-dns",
  version: "1.21.1",
  repositoryOpts: { repo: "https://kubernetes-sigs.github.io/external-dns/" },
  namespace: "external-dns",
  values: { txtOwnerId: CLUSTER_NAME, policy: "sync" },
});

/** One row of the rule tables: a resource that violates a rule, or one that passes it. */
export interface Case {
  rule: string;
  label: string;
  resource: PolicyResource;
  /** Text the rule's messages must contain; omitted for a passing case. */
  violation?: string;
  ctx?: RuleContext;
}

export const bad = (
  rule: string,
  label: string,
  resource: PolicyResource,
  violation: string,
  ctx?: RuleContext,
): Case => ({ rule, label, resource, violation, ctx });

export const good = (
  rule: string,
  label: string,
  resource: PolicyResource,
  ctx?: RuleContext,
): Case => ({
  rule,
  label,
  resource,
  ctx,
});
