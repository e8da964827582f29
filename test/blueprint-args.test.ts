import type { BlueprintArgs } from "../components/blueprint/blueprint";
import { EksBlueprint } from "../components/blueprint/blueprint";
import { blueprintProblems } from "../components/blueprint/blueprint-problems";
import { configKeyOf } from "../stacks/config-keys";
import { SynthError } from "../synth/synthesize";
import { synthProgram } from "./day2-context";
import type { KubernetesMinor } from "../components/cluster/kubernetes-versions";

/** A small blueprint a library user could write; each case below breaks one thing in it. */
const valid: BlueprintArgs = {
  clusterName: "shop",
  kubernetesVersion: "1.35",
  region: "us-west-2",
  network: { cidrBlock: "10.30.0.0/16" },
  nodeGroups: { general: { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 3 } },
};
const general = valid.nodeGroups.general;

async function rejected(args: BlueprintArgs) {
  try {
    await synthProgram(() => new EksBlueprint("shop", args));
  } catch (e) {
    if (e instanceof SynthError) return { message: e.message, registered: e.resources };
    throw e;
  }
  throw new Error("args were accepted");
}

test("the valid blueprint has no problems", () => {
  expect(blueprintProblems(valid)).toEqual([]);
});

test("a library user gets every mistake at once, by arg path, with nothing registered", async () => {
  const { message, registered } = await rejected({
    ...valid,
    endpointPublicAccessCidrs: ["0.0.0.0/0"],
    nodeGroups: {
      general: { ...general, architecture: "arm64", minSize: 10, maxSize: 2 },
    },
  });
  expect(message).toBe(
    [
      "EksBlueprint shop:",
      '  - endpointPublicAccessCidrs[0]: the API endpoint must never be open to the whole internet (got "0.0.0.0/0"); list the CIDRs of your VPN or CI runners',
      '  - nodeGroups.general.instanceTypes: not all arm64 (Graviton) for an arm64 AMI (got ["m7i.large"]); use Graviton types such as m7g.large or c7g.xlarge',
      "  - nodeGroups.general.minSize: above maxSize (got 10); use at most maxSize (2)",
    ].join("\n"),
  );
  expect(registered).toEqual([]);
});

/** One mistake each: the library's path, and the config key the stack names for the same field. */
test.each<[string, Partial<BlueprintArgs>, string, string]>([
  [
    "an unsupported Kubernetes version",
    // The type refuses it; the check is for config and untyped callers.
    { kubernetesVersion: "1.29" as KubernetesMinor },
    'kubernetesVersion: unsupported Kubernetes version (got "1.29"); use one of 1.33, 1.34, 1.35, 1.36',
    "eks-blueprint:kubernetesVersion",
  ],
  [
    "a VPC too small for pods",
    { network: { cidrBlock: "10.30.0.0/24" } },
    'network.cidrBlock: VPC prefix length out of range (got "10.30.0.0/24"); use a /16 to /20 (pods take VPC addresses)',
    "eks-blueprint:vpcCidr",
  ],
  [
    "one availability zone",
    { network: { cidrBlock: "10.30.0.0/16", availabilityZones: 1 } },
    "network.availabilityZones: not a usable number of availability zones (got 1); use an integer from 2 to 6 (EKS needs at least 2)",
    "eks-blueprint:availabilityZones",
  ],
  [
    "an endpoint CIDR with host bits",
    { endpointPublicAccessCidrs: ["198.51.100.7/24"] },
    'endpointPublicAccessCidrs[0]: host bits set (got "198.51.100.7/24"); use the network address 198.51.100.0/24',
    "eks-blueprint:endpointPublicAccessCidrs[0]",
  ],
  [
    "an endpoint CIDR wider than /8",
    { endpointPublicAccessCidrs: ["64.0.0.0/2"] },
    'endpointPublicAccessCidrs[0]: block wider than /8, a large share of the internet (got "64.0.0.0/2"); list the CIDRs of your VPN or CI runners, each /8 or narrower',
    "eks-blueprint:endpointPublicAccessCidrs[0]",
  ],
  [
    "two admin roles of the same name",
    {
      adminRoleArns: [
        "arn:aws:iam::111122223333:role/admin",
        "arn:aws:iam::444455556666:role/admin",
      ],
    },
    'adminRoleArns[1]: a second role named admin; the role name keys its access entry (got "arn:aws:iam::444455556666:role/admin"); list each admin role once, and no two roles of the same name',
    "eks-blueprint:adminRoleArns[1]",
  ],
  [
    "an instance type EC2 does not offer",
    { nodeGroups: { general: { ...general, instanceTypes: ["m7i.hyperlarge"] } } },
    'nodeGroups.general.instanceTypes[0]: not an EC2 instance type (got "m7i.hyperlarge"); use one EC2 offers, such as m7i.large or m7g.large (the list: @pulumi/aws ec2.InstanceType)',
    "eks-blueprint:nodeGroups.general.instanceTypes[0]",
  ],
  [
    "a group that cannot hold a node",
    { nodeGroups: { general: { ...general, minSize: 0, maxSize: 0 } } },
    "nodeGroups.general.maxSize: not a node count of at least 1 (got 0); use an integer from 1 to 10000; a group must be able to hold a node",
    "eks-blueprint:nodeGroups.general.maxSize",
  ],
  [
    "a disk too small for the AMI",
    { nodeGroups: { general: { ...general, diskSizeGiB: 8 } } },
    "nodeGroups.general.diskSizeGiB: not a usable disk size (got 8); use an integer from 20 to 16384 GiB",
    "eks-blueprint:nodeGroups.general.diskSizeGiB",
  ],
  [
    "a label value with a space",
    { nodeGroups: { general: { ...general, labels: { a: "x y" } } } },
    `nodeGroups.general.labels.a: not a Kubernetes label (got {"a":"x y"}); use a label key and value of at most 63 letters, digits, '-', '_' and '.'`,
    "eks-blueprint:nodeGroups.general.labels.a",
  ],
  [
    "a Fargate pattern that takes kube-system",
    { fargateProfiles: { batch: { selectors: [{ namespace: "kube-*" }] } } },
    'fargateProfiles.batch.selectors[0].namespace: pattern also selects namespaces EKS creates (default, kube-node-lease, kube-public, kube-system), putting CoreDNS and the add-ons on Fargate (got "kube-*"); name the namespaces, or use a narrower pattern such as batch-*',
    "eks-blueprint:fargateProfiles.batch.selectors[0].namespace",
  ],
  [
    "a workload role with no permissions",
    { irsaRoles: { orders: { namespace: "orders", serviceAccount: "api", statements: [] } } },
    'irsaRoles.orders: no permissions (got {"namespace":"orders","serviceAccount":"api","statements":[]}); give managedPolicyArns, statements or both',
    "eks-blueprint:irsaRoles.orders",
  ],
  [
    "a pod security group on a type that cannot trunk",
    {
      nodeGroups: { general: { ...general, instanceTypes: ["t3.large"] } },
      podSecurityGroups: { api: { namespace: "kube-system", podSelector: { app: "api" } } },
    },
    'nodeGroups.general.instanceTypes: t3.large has no trunk network interface, which security groups for pods need (got ["t3.large"]); use Nitro types with trunking such as m6i.large, m7g.large or c7i.large (no t-family type has it)',
    "eks-blueprint:nodeGroups.general.instanceTypes",
  ],
  [
    "an unknown AMI family",
    { nodeGroups: { general: { ...general, amiFamily: "Ubuntu" as "AL2023" } } },
    'nodeGroups.general.amiFamily: unknown AMI family (got "Ubuntu"); use AL2023 or Bottlerocket',
    "eks-blueprint:nodeGroups.general.amiFamily",
  ],
  [
    "a workload namespace listed twice",
    { workloadNamespaces: ["orders", "orders"] },
    'workloadNamespaces[1]: listed twice (got "orders"); list each namespace once',
    "eks-blueprint:workloadNamespaces[1]",
  ],
  [
    "a blue/green pair with neither draining",
    {
      nodeGroups: {
        general: { ...general, role: "general" },
        "general-v2": { ...general, role: "general" },
      },
    },
    'nodeGroups.general-v2.draining: two groups with role general but 0 draining (got ["general","general-v2"]); mark exactly the old group draining: true while its replacement takes over',
    "eks-blueprint:nodeGroups.general-v2.draining",
  ],
])(
  "%s is named by its arg path, and by its config key for the stack",
  (_name, change, message, key) => {
    const args = { ...valid, ...change };
    const [first] = blueprintProblems(args);
    expect(first).toBe(message);
    expect(blueprintProblems(args, configKeyOf)[0].split(": ")[0]).toBe(key);
  },
);

test("the label rule is one rule: the same map fails the same way for a pod security group", () => {
  expect(
    blueprintProblems({
      ...valid,
      podSecurityGroups: { api: { namespace: "kube-system", podSelector: { a: "x y" } } },
    }),
  ).toEqual([
    `podSecurityGroups.api.podSelector.a: not a Kubernetes label (got {"a":"x y"}); use a label key and value of at most 63 letters, digits, '-', '_' and '.'`,
  ]);
});
