// Each of issue 13's twelve blockers, in the shape it had on main at fb96b52 (the config, the
// synth records of that program, its workflows: test/fixtures/fb96b52, made by make.sh there),
// reported by today's rehearsal under the rule written for it.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { rehearse } from "../policy/rehearse/rehearse";
import { allRules } from "../policy/rehearse/rules";
import { asRecords } from "../tools/rehearse/stack";
import type { Finding, RehearsalInput } from "../policy/rehearse/types";

const DIR = path.join(__dirname, "fixtures", "fb96b52");
const read = (file: string) => readFileSync(path.join(DIR, file), "utf8");
const synth = (file: string) =>
  asRecords((JSON.parse(read(file)) as { resources: unknown[] }).resources);
const stackConfig = (stack: string) =>
  (parse(read(`Pulumi.${stack}.yaml`)) as { config: Record<string, unknown> }).config;
const workflows = ["deploy.yml", "pull-request.yml", "pulumi-up.yml"].map((f) => ({
  path: `.github/workflows/${f}`,
  content: read(`workflows/${f}`),
}));

function findings(stack: string, head: string, more: Partial<RehearsalInput> = {}): Finding[] {
  return rehearse(
    {
      stack,
      project: parse(read("Pulumi.yaml")) as RehearsalInput["project"],
      stackConfig: stackConfig(stack),
      workflows,
      head: synth(head),
      ...more,
    },
    allRules,
  ).findings;
}
const of = (found: Finding[], rule: string) =>
  found.filter((f) => f.rule === rule).map((f) => f.subject ?? f.message);

const prod2 = findings("prod2", "prod2.json");

test("1: the CLI refuses both stacks for keys Pulumi.yaml declares without a default", () => {
  expect(of(findings("prod", "prod.json"), "declared-keys-are-set")).toEqual([
    "eks-blueprint:availabilityZones",
    "eks-blueprint:natGateways",
    "eks-blueprint:protect",
    "eks-blueprint:logRetentionDays",
    "eks-blueprint:fargateProfiles",
    "eks-blueprint:podSecurityGroups",
    "eks-blueprint:podSecurityGroupEnforcingMode",
    "eks-blueprint:grafanaAdminPassword",
    "eks-blueprint:karpenter",
    "eks-blueprint:workloadNamespaces",
  ]);
  expect(of(prod2, "declared-keys-are-set")).toEqual([
    "eks-blueprint:availabilityZones",
    "eks-blueprint:natGateways",
    "eks-blueprint:protect",
    "eks-blueprint:logRetentionDays",
    "eks-blueprint:podSecurityGroupEnforcingMode",
    "eks-blueprint:grafanaAdminPassword",
    "eks-blueprint:karpenter",
    "eks-blueprint:workloadNamespaces",
  ]);
});

test("2: the SecurityGroupPolicy goes into namespace api, which nothing creates", () => {
  expect(of(prod2, "k8s-namespace-exists")).toEqual([
    "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy::prod2-workloads-api-server",
  ]);
});

test("3: kube-proxy and the pod identity agent race the cluster", () => {
  expect(of(prod2, "eks-waits-for-cluster")).toEqual([
    "aws:eks/addon:Addon::prod2-core-eks-pod-identity-agent",
    "aws:eks/addon:Addon::prod2-core-kube-proxy",
  ]);
});

test("4: the pod security group's DNS rules name pulumi-eks's own cluster group", () => {
  expect(of(prod2, "rules-target-node-security-group")).toEqual([
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule::prod2-workloads-api-server-dns-tcp-egress",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule::prod2-workloads-api-server-dns-udp-egress",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::prod2-workloads-api-server-dns-tcp-cluster-ingress",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::prod2-workloads-api-server-dns-udp-cluster-ingress",
  ]);
});

test("5: new instance types replace a node group create-first under its fixed name", () => {
  const found = findings("prod2", "prod2-instance-types.json", { base: synth("prod2.json") });
  expect(of(found, "fixed-name-create-before-delete")).toEqual([
    "eks:index:ManagedNodeGroup::prod2-nodes-general",
  ]);
});

test("6: a Kubernetes bump leaves the nodes on the old minor", () => {
  const found = findings("prod", "prod-1.35.json", { base: synth("prod.json") });
  expect(of(found, "kubernetes-version-moves-nodes")).toEqual([
    "eks:index:ManagedNodeGroup::prod-nodes-general",
  ]);
});

test("7: a tag edit rolls every node group's launch template", () => {
  const found = findings("prod2", "prod2-tag-edit.json", { base: synth("prod2.json") });
  expect(of(found, "tag-edit-rolls-nodes")).toEqual([
    "aws:ec2/launchTemplate:LaunchTemplate::prod2-nodes-bottlerocket",
    "aws:ec2/launchTemplate:LaunchTemplate::prod2-nodes-general",
    "aws:ec2/launchTemplate:LaunchTemplate::prod2-nodes-graviton",
  ]);
});

test("8: EKS add-on versions nobody documented", () => {
  expect(of(prod2, "eks-addon-version-documented")).toEqual([
    "aws:eks/addon:Addon::prod2-core-coredns",
    "aws:eks/addon:Addon::prod2-core-eks-pod-identity-agent",
    "aws:eks/addon:Addon::prod2-core-kube-proxy",
    "aws:eks/addon:Addon::prod2-core-vpc-cni",
    "aws:eks/addon:Addon::prod2-platform-addons-ebs-csi",
  ]);
});

test("9: pulumi up runs on a GitHub-hosted runner the endpoint cannot allow", () => {
  expect(of(prod2, "deploy-jobs-on-deploy-runner")).toEqual([
    ".github/workflows/pull-request.yml:120:14",
    ".github/workflows/pulumi-up.yml:21:14",
  ]);
});

test("10: a kube-prometheus-stack bump leaves its CRDs behind", () => {
  const found = findings("prod2", "prod2-prometheus-bump.json", { base: synth("prod2.json") });
  expect(of(found, "helm-crds-upgraded")).toEqual([
    "kubernetes:helm.sh/v3:Release::prod2-platform-addons-prometheus",
  ]);
});

/** What a config change adds to the rehearsal's findings of the fb96b52 prod2 config. */
function added(key: string, value: unknown): string[] {
  const line = (f: Finding) => `${f.rule} | ${f.subject ?? ""}${f.subject ? ": " : ""}${f.message}`;
  const before = new Set(prod2.map(line));
  return findings("prod2", "prod2.json", { stackConfig: { ...stackConfig("prod2"), [key]: value } })
    .map(line)
    .filter((l) => !before.has(l));
}

test.each([
  [
    "eks-blueprint:endpointPublicAcessCidrs",
    ["198.51.100.0/24"],
    "config-keys-are-known | eks-blueprint:endpointPublicAcessCidrs: is not a key this program reads, so it would be ignored; did you mean eks-blueprint:endpointPublicAccessCidrs?",
  ],
  [
    "eks-blueprint:protected",
    false,
    "config-keys-are-known | eks-blueprint:protected: is not a key this program reads, so it would be ignored; did you mean eks-blueprint:protect?",
  ],
  [
    "eks-blueprint:fargateProfiles",
    { batch: { selectors: [{ namespace: "Bad_NS!" }] } },
    `config-is-valid | eks-blueprint:fargateProfiles.batch.selectors[0].namespace: not a namespace name or pattern (got "Bad_NS!"); use at most 63 lowercase letters, digits and '-', with * or ? as wildcards`,
  ],
  [
    "eks-blueprint:fargateProfiles",
    { batch: { selectors: [{ namespace: "*" }] } },
    'config-is-valid | eks-blueprint:fargateProfiles.batch.selectors[0].namespace: pattern also selects namespaces EKS creates (default, kube-node-lease, kube-public, kube-system), putting CoreDNS and the add-ons on Fargate (got "*"); name the namespaces, or use a narrower pattern such as batch-*',
  ],
  [
    "eks-blueprint:nodeGroups",
    { general: { instanceTypes: ["m7i.hyperlarge"], minSize: 1, maxSize: 2 } },
    'config-is-valid | eks-blueprint:nodeGroups.general.instanceTypes[0]: not an EC2 instance type (got "m7i.hyperlarge"); use one EC2 offers, such as m7i.large or m7g.large (the list: @pulumi/aws ec2.InstanceType)',
  ],
  [
    "eks-blueprint:endpointPublicAccessCidrs",
    ["128.0.0.0/1"],
    'config-is-valid | eks-blueprint:endpointPublicAccessCidrs[0]: block wider than /8, a large share of the internet (got "128.0.0.0/1"); list the CIDRs of your VPN or CI runners, each /8 or narrower',
  ],
  [
    "eks-blueprint:endpointPublicAccessCidrs",
    ["198.51.100.7/24"],
    'config-is-valid | eks-blueprint:endpointPublicAccessCidrs[0]: host bits set (got "198.51.100.7/24"); use the network address 198.51.100.0/24',
  ],
])("11: %s = %j, accepted at fb96b52, is reported", (key, value, expected) => {
  expect(added(key, value)).toEqual([expected]);
});

test("12: the EBS CSI policy ARN that does not exist", () => {
  expect(of(prod2, "iam-managed-policy-exists")).toEqual([
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod2-platform-addons-ebs-csi-irsa-managed-0",
  ]);
});
