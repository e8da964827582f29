import * as k8s from "@pulumi/kubernetes";
import {
  isNitroInstanceType,
  supportsPodSecurityGroups,
  vpcResourceControllerPolicyArn,
} from "../components/compute/nitro";
import {
  PodSecurityGroup,
  podSecurityGroupProblems,
  PodSecurityGroupSpec,
} from "../components/access/pod-security-group";
import { committedSynth } from "./stack-harness";
import {
  baselineRules,
  ruleArgs as ec2RuleArgs,
} from "../components/access/pod-security-group-rules";
import {
  securityGroupPolicySpec,
  vpcCniPodEniConfiguration,
} from "../components/access/security-group-policy";
import { podSecurityGroupPlacementProblems } from "../components/blueprint/blueprint-problems";
import { configKeyOf } from "../stacks/config-keys";
import { synthesize } from "../synth/synthesize";
import type { SynthRecord } from "../synth/record";

const POD_SG = "sg-0000000000000a0a0";
const CLUSTER_SG = "sg-0c1c1c1c1c1c1c1c1";
const DB_SG = "sg-0db0db0db0db0db00";
const tcp = (port: number) => ({ protocol: "tcp" as const, port });

test.each([
  // [type, Nitro-based, takes pods with their own security group]
  ["t2.large", false, false],
  ["m4.large", false, false],
  ["m4.16xlarge", false, false],
  ["c4.xlarge", false, false],
  ["r4.2xlarge", false, false],
  ["i3.large", false, false],
  ["i3.metal", true, true],
  ["p3.2xlarge", false, false],
  ["p3dn.24xlarge", true, true],
  ["g3.4xlarge", false, false],
  ["x1e.xlarge", false, false],
  ["t3.large", true, false],
  ["t4g.medium", true, false],
  ["i4i.large", true, false],
  ["i4i.xlarge", true, true],
  ["m5.large", true, true],
  ["m7i-flex.large", true, true],
  ["c8g.medium", true, true],
  ["m5", false, false],
])("%s: Nitro %s, pod security groups %s", (type, nitro, podSg) => {
  expect([isNitroInstanceType(type), supportsPodSecurityGroups(type)]).toEqual([nitro, podSg]);
});

test("the VPC resource controller policy ARN follows the partition", () => {
  expect(["aws", "aws-cn", "aws-us-gov"].map(vpcResourceControllerPolicyArn)).toEqual([
    "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController",
    "arn:aws-cn:iam::aws:policy/AmazonEKSVPCResourceController",
    "arn:aws-us-gov:iam::aws:policy/AmazonEKSVPCResourceController",
  ]);
  expect(() => vpcResourceControllerPolicyArn("amazon")).toThrow(
    'not an AWS partition: "amazon"; use aws, aws-cn or aws-us-gov',
  );
});

test("the CNI switch turns pod ENIs on; strict mode also turns TCP early demux off", () => {
  expect(vpcCniPodEniConfiguration()).toEqual({
    env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
  });
  expect(vpcCniPodEniConfiguration("strict")).toEqual({
    env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "strict" },
    init: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } },
  });
});

test.each([
  [{ from: "cidr", cidr: "10.0.0.0/16", ...tcp(443) }, { cidrIpv4: "10.0.0.0/16" }],
  [{ from: "cidr", cidr: "2600:1f14::/56", ...tcp(443) }, { cidrIpv6: "2600:1f14::/56" }],
  [
    { from: "podSecurityGroup", securityGroupId: DB_SG, ...tcp(443) },
    { referencedSecurityGroupId: DB_SG },
  ],
  [{ from: "self", ...tcp(443) }, { referencedSecurityGroupId: POD_SG }],
  [
    { from: "prefixList", prefixListId: "pl-63a5400a", ...tcp(443) },
    { prefixListId: "pl-63a5400a" },
  ],
] as const)("ingress from %j", (rule, peer) => {
  const ports = { ipProtocol: "tcp", fromPort: 443, toPort: 443 };
  expect(ec2RuleArgs(POD_SG, rule)).toEqual({ securityGroupId: POD_SG, ...ports, ...peer });
});

test("egress to a database port, a port range, and every protocol", () => {
  const db = { to: "securityGroup", securityGroupId: DB_SG, ...tcp(5432) } as const;
  expect(ec2RuleArgs(POD_SG, { ...db, description: "orders db" })).toEqual({
    securityGroupId: POD_SG,
    referencedSecurityGroupId: DB_SG,
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    description: "orders db",
  });
  const range = { to: "cidr", cidr: "10.0.0.0/8", protocol: "udp", port: 53, toPort: 54 } as const;
  expect(ec2RuleArgs(POD_SG, range)).toMatchObject({
    ipProtocol: "udp",
    fromPort: 53,
    toPort: 54,
  });
  expect(ec2RuleArgs(POD_SG, { to: "cidr", cidr: "0.0.0.0/0", protocol: "all" })).toEqual({
    securityGroupId: POD_SG,
    ipProtocol: "-1",
    cidrIpv4: "0.0.0.0/0",
  });
});

/** One expected rule: `[groupId, referencedGroupId]`, protocol, port and description. */
const ruleArgs = (ids: string[], ipProtocol: string, port: number, description?: string) => ({
  securityGroupId: ids[0],
  referencedSecurityGroupId: ids[1],
  ...{ ipProtocol, fromPort: port, toPort: port, ...(description && { description }) },
});

test("baseline: DNS both ways between the pod and cluster groups, then one rule per probe port", () => {
  const rules = baselineRules({
    groupName: "c-api",
    podSecurityGroupId: POD_SG,
    clusterSecurityGroupId: CLUSTER_SG,
    kubeletProbePorts: [8080],
  });
  const [out, back] = [
    [POD_SG, CLUSTER_SG],
    [CLUSTER_SG, POD_SG],
  ];
  expect(rules.map(({ suffix, direction, args }) => [suffix, direction, args])).toEqual([
    ["dns-tcp-egress", "egress", ruleArgs(out, "tcp", 53, "DNS (tcp) to CoreDNS")],
    ["dns-tcp-cluster-ingress", "ingress", ruleArgs(back, "tcp", 53, "DNS (tcp) from c-api")],
    ["dns-udp-egress", "egress", ruleArgs(out, "udp", 53, "DNS (udp) to CoreDNS")],
    ["dns-udp-cluster-ingress", "ingress", ruleArgs(back, "udp", 53, "DNS (udp) from c-api")],
    ["kubelet-8080", "ingress", ruleArgs(out, "tcp", 8080, "kubelet probes")],
  ]);
});

test("meshed: the sidecar reaches istiod and the trace collector on the nodes, each mirrored; service ports come in from the nodes", () => {
  const rules = baselineRules({
    groupName: "c-api",
    podSecurityGroupId: POD_SG,
    clusterSecurityGroupId: CLUSTER_SG,
    kubeletProbePorts: [],
    servicePorts: [8080],
    mesh: { tracing: true },
  });
  const [out, back] = [
    [POD_SG, CLUSTER_SG],
    [CLUSTER_SG, POD_SG],
  ];
  expect(rules.slice(4).map(({ suffix, direction, args }) => [suffix, direction, args])).toEqual([
    ["service-8080", "ingress", ruleArgs(out, "tcp", 8080, "service port from the nodes")],
    [
      "istiod-egress",
      "egress",
      ruleArgs(out, "tcp", 15012, "istiod (xDS, certificates) on the nodes"),
    ],
    [
      "istiod-cluster-ingress",
      "ingress",
      ruleArgs(back, "tcp", 15012, "istiod (xDS, certificates) from c-api"),
    ],
    ["sidecar-metrics-15020", "ingress", ruleArgs(out, "tcp", 15020, "sidecar metrics")],
    ["sidecar-metrics-15090", "ingress", ruleArgs(out, "tcp", 15090, "sidecar metrics")],
    [
      "trace-collector-egress",
      "egress",
      ruleArgs(out, "tcp", 4317, "sidecar spans (OTLP) on the nodes"),
    ],
    [
      "trace-collector-cluster-ingress",
      "ingress",
      ruleArgs(back, "tcp", 4317, "sidecar spans (OTLP) from c-api"),
    ],
  ]);
});

test("prod2: api-server, meshed behind its pod group, reaches istiod and the collector and takes the gateway's traffic", () => {
  const r = committedSynth("prod2");
  const rules = r.resources
    .filter((x) => x.type.startsWith("aws:vpc/securityGroup") && x.name.includes("api-server"))
    .map(
      (x) =>
        `${x.type.endsWith("IngressRule:SecurityGroupIngressRule") ? "in" : "out"} ${String(x.inputs.fromPort)}`,
    );
  expect(rules).toEqual(expect.arrayContaining(["out 15012", "in 15012", "out 4317", "in 4317"]));
  expect(rules).toEqual(expect.arrayContaining(["in 8080"]));
});

test("the SecurityGroupPolicy spec needs a selector and 1 to 5 groups", () => {
  expect(
    securityGroupPolicySpec({ podSelector: { app: "api" }, serviceAccountSelector: {} }, [POD_SG]),
  ).toEqual({
    podSelector: { matchLabels: { app: "api" } },
    serviceAccountSelector: { matchLabels: {} },
    securityGroups: { groupIds: [POD_SG] },
  });
  expect(() => securityGroupPolicySpec({}, [POD_SG])).toThrow(
    "a SecurityGroupPolicy needs podSelector, serviceAccountSelector or both",
  );
  expect(() => securityGroupPolicySpec({ podSelector: {} }, Array(6).fill(POD_SG))).toThrow(
    "a SecurityGroupPolicy takes 1 to 5 security groups, got 6",
  );
});

test("a bad spec reports every problem with its key", () => {
  const bad: PodSecurityGroupSpec = {
    namespace: "Shop",
    serviceAccountSelector: { "team/": "x" },
    ingress: [{ from: "cidr", cidr: "10.0.0.1/16", protocol: "tcp", port: 70000 }],
    egress: [
      { to: "securityGroup", securityGroupId: "db", protocol: "tcp", port: 5432, toPort: 5431 },
    ],
    kubeletProbePorts: [8080, 8080],
    servicePorts: [0],
  };
  expect(podSecurityGroupProblems(bad, "eks-blueprint:podSecurityGroups.api")).toEqual([
    "eks-blueprint:podSecurityGroups.api.namespace: not a namespace name (got \"Shop\"); use at most 63 lowercase letters, digits and '-'",
    "eks-blueprint:podSecurityGroups.api.serviceAccountSelector.team/: not a Kubernetes label (got {\"team/\":\"x\"}); use a label key and value of at most 63 letters, digits, '-', '_' and '.'",
    'eks-blueprint:podSecurityGroups.api.ingress[0].cidr: host bits set (got "10.0.0.1/16"); use the network address 10.0.0.0/16',
    "eks-blueprint:podSecurityGroups.api.ingress[0].port: not a port (got 70000); use an integer from 0 to 65535",
    'eks-blueprint:podSecurityGroups.api.egress[0].securityGroupId: not a security group id (got "db"); use an id such as sg-0123456789abcdef0',
    "eks-blueprint:podSecurityGroups.api.egress[0].toPort: not a port at or above port (got 5431); use an integer from 5432 to 65535",
    "eks-blueprint:podSecurityGroups.api.kubeletProbePorts: not distinct ports (got [8080,8080]); use distinct integers from 1 to 65535",
    "eks-blueprint:podSecurityGroups.api.servicePorts: not distinct ports (got [0]); use distinct integers from 1 to 65535",
  ]);
  expect(podSecurityGroupProblems({ namespace: "shop" })).toEqual([
    "podSelector: no selector, so the policy would select no pod (got null); set podSelector, serviceAccountSelector or both ({} selects every pod in the namespace)",
  ]);
});

test("the component throws every problem before registering anything", () => {
  const args = { clusterName: "blue", vpcId: "vpc-0abc", clusterSecurityGroupId: CLUSTER_SG };
  const provider = undefined as unknown as k8s.Provider; // never reached: validation comes first
  expect(() => new PodSecurityGroup("Api", { ...args, provider, namespace: "shop" })).toThrow(
    "PodSecurityGroup Api:\n" +
      "  - podSelector: no selector, so the policy would select no pod (got null); set podSelector, serviceAccountSelector or both ({} selects every pod in the namespace)\n" +
      "  - name: not a Kubernetes object name (got \"Api\"); use lowercase letters, digits and '-'",
  );
});

describe("placement checks, worded with config keys as the stack words them", () => {
  const api = { namespace: "shop", podSelector: { app: "api" } };
  const base = { podSecurityGroups: { api }, nodeGroups: {}, fargateProfiles: {} };
  const nodes = (types: string[]) => ({ instanceTypes: types, minSize: 0, maxSize: 1 });
  const podSecurityProblems = (input: Parameters<typeof podSecurityGroupPlacementProblems>[0]) =>
    podSecurityGroupPlacementProblems(input, configKeyOf);

  test("nothing is reported without a pod security group", () => {
    const nodeGroups = { legacy: nodes(["t2.large"]) };
    expect(podSecurityProblems({ ...base, podSecurityGroups: {}, nodeGroups })).toEqual([]);
  });

  test("Xen types and Nitro types without trunking are config errors", () => {
    const nodeGroups = {
      legacy: nodes(["t2.large"]),
      mixed: nodes(["m6i.large", "m4.xlarge", "c4.large", "t3.large"]),
      general: nodes(["m7g.large", "c7i.large"]),
    };
    expect(podSecurityProblems({ ...base, nodeGroups })).toEqual([
      'eks-blueprint:nodeGroups.legacy.instanceTypes: t2.large is not Nitro-based, which security groups for pods need (got ["t2.large"]); use Nitro types with trunking such as m6i.large, m7g.large or c7i.large (no t-family type has it)',
      'eks-blueprint:nodeGroups.mixed.instanceTypes: m4.xlarge and c4.large are not Nitro-based and t3.large has no trunk network interface, which security groups for pods need (got ["m6i.large","m4.xlarge","c4.large","t3.large"]); use Nitro types with trunking such as m6i.large, m7g.large or c7i.large (no t-family type has it)',
    ]);
  });

  test("a Fargate profile that selects a group's pods is a config error", () => {
    const fargateProfiles = {
      system: { selectors: [{ namespace: "kube-system" }] },
      shop: { selectors: [{ namespace: "sh?p", labels: { "a*": "api" } }] },
      batch: { selectors: [{ namespace: "shop", labels: { compute: "fargate" } }] },
    };
    expect(podSecurityProblems({ ...base, fargateProfiles })).toEqual([
      "eks-blueprint:podSecurityGroups.api.namespace: Fargate profile shop selects these pods, and on Fargate a SecurityGroupPolicy's groups replace the cluster security group they reach the control plane through (got \"shop\"); run them on a node group: narrow the profile's selectors (namespace or labels) so they miss this group's podSelector",
    ]);
  });
});

describe("PodSecurityGroup under the mocks", () => {
  const ids: Record<string, string> = {};
  let resources: SynthRecord[] = [];
  const inputs = (kind: string, name: string) =>
    resources.find((r) => r.type.endsWith(`:${kind}`) && r.name === name)?.inputs;
  const tags = { team: "payments" };
  const common = { clusterName: "blue", vpcId: "vpc-0abc", clusterSecurityGroupId: CLUSTER_SG };

  beforeAll(async () => {
    const config = { project: "eks-blueprint", stack: "test", config: {} };
    ({ resources } = await synthesize(config, () => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const shop = { ...common, provider, namespace: "shop" };
      const api = new PodSecurityGroup("api", { ...shop, podSelector: { app: "api" } });
      const payments = new PodSecurityGroup("payments", {
        ...shop,
        tags,
        podSelector: { app: "payments" },
        serviceAccountSelector: { team: "payments" },
        kubeletProbePorts: [8080],
        ingress: [{ from: "podSecurityGroup", securityGroupId: api.securityGroupId, ...tcp(8443) }],
        egress: [{ to: "securityGroup", securityGroupId: DB_SG, ...tcp(5432) }],
      });
      api.securityGroupId.apply((id) => (ids.api = id));
      payments.securityGroupId.apply((id) => (ids.payments = id));
    }));
  });

  test("the security group is named and tagged for its cluster and revokes its rules on delete", () => {
    expect([ids.api, ids.payments].every((id) => /^sg-[0-9a-f]{17}$/.test(id))).toBe(true);
    expect(inputs("SecurityGroup", "payments")).toStrictEqual({
      name: "blue-payments",
      description: "Pods of blue-payments, given by SecurityGroupPolicy",
      vpcId: "vpc-0abc",
      revokeRulesOnDelete: true,
      tags: { team: "payments", Name: "blue-payments", "kubernetes.io/cluster/blue": "owned" },
    });
  });

  test("each rule is its own resource with the exact ports and referenced groups", () => {
    const [own, api] = [ids.payments, ids.api];
    expect([
      inputs("SecurityGroupIngressRule", "payments-ingress-tcp-8443-podsecuritygroup"),
      inputs("SecurityGroupEgressRule", "payments-egress-tcp-5432-sg-0db0db0db0db0db00"),
      inputs("SecurityGroupIngressRule", "payments-kubelet-8080"),
      inputs("SecurityGroupIngressRule", "payments-dns-udp-cluster-ingress"),
      inputs("SecurityGroupEgressRule", "payments-dns-tcp-egress"),
    ]).toStrictEqual([
      { ...ruleArgs([own, api], "tcp", 8443), tags },
      { ...ruleArgs([own, DB_SG], "tcp", 5432), tags },
      { ...ruleArgs([own, CLUSTER_SG], "tcp", 8080, "kubelet probes"), tags },
      { ...ruleArgs([CLUSTER_SG, own], "udp", 53, "DNS (udp) from blue-payments"), tags },
      { ...ruleArgs([own, CLUSTER_SG], "tcp", 53, "DNS (tcp) to CoreDNS"), tags },
    ]);
    const children = resources.filter((r) => r.parent?.endsWith(":PodSecurityGroup::payments"));
    const rules = "dns-tcp-cluster-ingress dns-tcp-egress dns-udp-cluster-ingress dns-udp-egress";
    expect(children.map((r) => r.name).sort()).toEqual([
      ...["payments", "payments"], // the security group and the SecurityGroupPolicy
      ...`${rules} egress-tcp-5432-sg-0db0db0db0db0db00 ingress-tcp-8443-podsecuritygroup kubelet-8080`
        .split(" ")
        .map((s) => `payments-${s}`),
    ]);
  });

  test("the SecurityGroupPolicy selects the pods in their namespace and gives them the group", () => {
    expect(inputs("vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy", "payments")).toStrictEqual({
      apiVersion: "vpcresources.k8s.aws/v1beta1",
      kind: "SecurityGroupPolicy",
      metadata: { name: "payments", namespace: "shop" },
      spec: {
        podSelector: { matchLabels: { app: "payments" } },
        serviceAccountSelector: { matchLabels: { team: "payments" } },
        securityGroups: { groupIds: [ids.payments] },
      },
    });
  });
});

test("the SecurityGroupPolicy waits for the Namespace it goes into, when it is given one", async () => {
  const { resources } = await synthesize(
    { project: "eks-blueprint", stack: "test", config: {} },
    () => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const shop = new k8s.core.v1.Namespace(
        "ns-shop",
        { metadata: { name: "shop" } },
        { provider },
      );
      new PodSecurityGroup("api", {
        clusterName: "blue",
        vpcId: "vpc-0abc",
        clusterSecurityGroupId: CLUSTER_SG,
        provider,
        namespace: "shop",
        podSelector: { app: "api" },
        namespaceResource: shop,
      });
    },
  );
  const policy = resources.find((r) => r.type.endsWith(":SecurityGroupPolicy"));
  expect(policy?.dependsOn).toContain("kubernetes:core/v1:Namespace::ns-shop");
});
