// Input fields whose change replaces the resource (delete, create) rather than update it: the synth
// diff bolds them, as a replaced production cluster, node group or VPC must not be missed. Sources:
// the `ForceNew` attributes of the Terraform AWS provider that pulumi-aws bridges
// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster,
// .../eks_node_group, .../vpc, .../subnet), the EKS API's in-place updates
// (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterConfig.html), Kubernetes'
// immutable fields (metadata.name and namespace; StorageClass parameters); @pulumi/eks and awsx
// inputs as they feed those. Paths are dotted, as the diff prints them: a path covers its
// sub-fields, `[*]` is any list index.

/** The aws.eks.NodeGroup attributes that are ForceNew in the Terraform provider. */
const NODE_GROUP_FIELDS = [
  "clusterName",
  "nodeGroupName",
  "nodeGroupNamePrefix",
  "amiType",
  "capacityType",
  "subnetIds",
  "instanceTypes",
  "diskSize",
  "nodeRoleArn",
  "remoteAccess",
  "launchTemplate.id",
  "launchTemplate.name",
] as const;

const REPLACEMENT_FIELDS: Record<string, readonly string[]> = {
  "eks:index:Cluster": [
    "name",
    "serviceRole",
    "vpcId",
    "subnetIds",
    "privateSubnetIds",
    "publicSubnetIds",
    "encryptionConfigKeyArn",
    "kubernetesServiceIpAddressRange",
    "ipFamily",
  ],
  "aws:eks/cluster:Cluster": [
    "name",
    "roleArn",
    "vpcConfig.subnetIds",
    "encryptionConfig.provider.keyArn",
    "kubernetesNetworkConfig.serviceIpv4Cidr",
    "kubernetesNetworkConfig.ipFamily",
    "accessConfig.bootstrapClusterCreatorAdminPermissions",
    "bootstrapSelfManagedAddons",
  ],
  // Passed to aws.eks.NodeGroup; `cluster` and `nodeRole` become its clusterName and nodeRoleArn.
  "eks:index:ManagedNodeGroup": ["cluster", "nodeRole", ...NODE_GROUP_FIELDS],
  "aws:eks/nodeGroup:NodeGroup": NODE_GROUP_FIELDS,
  "aws:eks/fargateProfile:FargateProfile": [
    "clusterName",
    "fargateProfileName",
    "podExecutionRoleArn",
    "selectors",
    "subnetIds",
  ],
  "aws:eks/addon:Addon": ["addonName", "clusterName"],
  "aws:eks/accessEntry:AccessEntry": ["clusterName", "principalArn", "type"],
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": [
    "clusterName",
    "namespace",
    "serviceAccount",
  ],
  // A new CIDR or subnet layout replaces the VPC or subnets (and cluster's); tags update in place.
  "awsx:ec2:Vpc": [
    "cidrBlock",
    "ipv4IpamPoolId",
    "ipv4NetmaskLength",
    "subnetStrategy",
    "availabilityZoneNames",
    "numberOfAvailabilityZones",
    "subnetSpecs[*].type",
    "subnetSpecs[*].name",
    "subnetSpecs[*].cidrMask",
    "subnetSpecs[*].cidrBlocks",
    "subnetSpecs[*].size",
  ],
  "aws:ec2/vpc:Vpc": ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
  "aws:ec2/subnet:Subnet": ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"],
  "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "description", "vpcId"],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["securityGroupId"],
  "aws:ec2/launchTemplate:LaunchTemplate": ["name", "namePrefix"],
  "aws:kms/key:Key": ["customerMasterKeySpec", "keySpec", "keyUsage", "multiRegion"],
  "aws:kms/alias:Alias": ["name", "namePrefix"],
  "aws:iam/role:Role": ["name", "namePrefix", "path"],
  "aws:iam/policy:Policy": ["name", "namePrefix", "path", "description"],
  "aws:iam/rolePolicy:RolePolicy": ["name", "namePrefix", "role"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ["url"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix", "logGroupClass"],
  "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
  "aws:route53/record:Record": ["zoneId", "name", "type", "setIdentifier"],
  "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
  "kubernetes:storage.k8s.io/v1:StorageClass": [
    "provisioner",
    "parameters",
    "reclaimPolicy",
    "volumeBindingMode",
  ],
};

/** Every Kubernetes object is replaced when its name or namespace changes. */
const KUBERNETES_IDENTITY = ["metadata.name", "metadata.namespace"];

const covers = (field: string, path: string) => {
  const p = path.replace(/\[\d+\]/g, "[*]");
  return p === field || p.startsWith(`${field}.`) || p.startsWith(`${field}[`);
};

/** The fields listed for a type, for tests and docs. */
export function replacementFields(type: string): readonly string[] {
  const kubernetes = type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/");
  return [...(REPLACEMENT_FIELDS[type] ?? []), ...(kubernetes ? KUBERNETES_IDENTITY : [])];
}

/** Whether changing the input at `path` (as the diff prints it) replaces a resource of `type`. */
export function forcesReplacement(type: string, path: string): boolean {
  return replacementFields(type).some((field) => covers(field, path));
}
